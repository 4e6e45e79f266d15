/* libmxref — the optimized reference implementation of the OCP MX formats.
 *
 * Contract: every function computes exactly what the MPFR oracle (oracle/) computes for
 * the same inputs and knobs; `make exhaustive` proves it for every enumerable input.
 * Rounding decisions use integer bit logic only, never floating-point arithmetic.
 *
 * Codes are passed in the low bits of an integer (uint8_t for the MX element and scale
 * formats). Source values are passed as their bit patterns: f32 as uint32_t, bf16 and
 * f16 as uint16_t, f64 as uint64_t.
 */
#ifndef MXCONFORM_MXREF_H
#define MXCONFORM_MXREF_H

#include <stddef.h>
#include <stdint.h>

#include "mxconform/formats.h"
#include "mxconform/knobs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Convert one source value (bit pattern `src_bits` of format `src`, one of f32, bf16,
 * f16, f64) to a code of element/scale format `dst` (e4m3 e5m2 e2m3 e3m2 e2m1 int8
 * e8m0) under the knobs `o` (NULL = defaults). `sr_random` is used only when
 * o->round == MX_SR: its low o->sr_bits bits are the random integer. */
uint32_t mxref_convert_one(mx_fmt dst, mx_fmt src, uint64_t src_bits, const mx_convert_opts *o,
                           uint32_t sr_random);

/* Array form: n source values (element size 2, 4 or 8 bytes by `src`) to n codes, one byte
 * each. `sr_random` may be NULL unless o->round == MX_SR, where it supplies n words. */
void mxref_convert(mx_fmt dst, mx_fmt src, const void *src_values, uint8_t *codes, size_t n,
                   const mx_convert_opts *o, const uint32_t *sr_random);

/* Exact decode of element/scale codes. NaN codes decode to a quiet NaN carrying the code's
 * sign; E8M0 0x00 decodes to 2^-127 (the f32 subnormal 0x00400000). Every element value is
 * exactly representable in f32 and f64, so these never round. */
uint32_t mxref_decode_f32_bits(mx_fmt fmt, uint32_t code);
uint64_t mxref_decode_f64_bits(mx_fmt fmt, uint32_t code);
void mxref_decode_f32(mx_fmt fmt, const uint8_t *codes, float *out, size_t n);
void mxref_decode_f64(mx_fmt fmt, const uint8_t *codes, double *out, size_t n);

/* Library version string. */
const char *mxref_version(void);

#ifdef __cplusplus
}
#endif
#endif
