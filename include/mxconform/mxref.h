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
 * o->round == MX_SR: its low o->sr_bits bits are the random integer. Where a knob says the
 * library refuses the value (nan_finite / inf_finite / ovf_finite = refuse) the result is
 * MX_CODE_REFUSED (0x200), no code. */
uint32_t mxref_convert_one(mx_fmt dst, mx_fmt src, uint64_t src_bits, const mx_convert_opts *o,
                           uint32_t sr_random);

/* Array form: n source values (element size 2, 4 or 8 bytes by `src`) to n codes, one byte
 * each. `sr_random` may be NULL unless o->round == MX_SR, where it supplies n words. A byte
 * cannot say "refused": when mx_convert_opts_may_refuse(o), ask mxref_convert_one for the
 * values that matter (a refused value is written here as its code's low byte, 0x00). */
void mxref_convert(mx_fmt dst, mx_fmt src, const void *src_values, uint8_t *codes, size_t n,
                   const mx_convert_opts *o, const uint32_t *sr_random);

/* Exact decode of element/scale codes. NaN codes decode to a quiet NaN carrying the code's
 * sign; E8M0 0x00 decodes to 2^-127 (the f32 subnormal 0x00400000). Every element value is
 * exactly representable in f32 and f64, so these never round. */
uint32_t mxref_decode_f32_bits(mx_fmt fmt, uint32_t code);
uint64_t mxref_decode_f64_bits(mx_fmt fmt, uint32_t code);
void mxref_decode_f32(mx_fmt fmt, const uint8_t *codes, float *out, size_t n);
void mxref_decode_f64(mx_fmt fmt, const uint8_t *codes, double *out, size_t n);

/* ---- code paths ------------------------------------------------------------------------
 * libmxref has a portable scalar path and, on x86-64 CPUs with AVX2 (+FMA, BMI2, F16C),
 * an AVX2 path for the array operations (mxref_convert, mxref_decode_f32, the block and
 * tensor quantize/dequantize, the exact dot). Both compute exactly the same bits: the
 * proofs (`prove`, `make exhaustive`) run per path. The path is chosen once, on first use:
 * the environment variable MXREF_PATH (scalar | avx2 | auto) if set, else the best path
 * the CPU supports; mxref_set_path overrides it at any time (not concurrently with calls
 * that convert). */
typedef enum mxref_path {
  MXREF_PATH_AUTO = 0, /* the best path this CPU supports */
  MXREF_PATH_SCALAR,
  MXREF_PATH_AVX2,
  MXREF_PATH_COUNT
} mxref_path;

/* 1 when this build and this CPU can run the path (AUTO and SCALAR: always). */
int mxref_path_supported(mxref_path p);
/* Use path p from now on. Returns 0, or -1 (and changes nothing) when unsupported. */
int mxref_set_path(mxref_path p);
/* The path in use (never AUTO). */
mxref_path mxref_get_path(void);
/* "auto" "scalar" "avx2"; mxref_path_by_name returns -1 for an unknown name. */
const char *mxref_path_name(mxref_path p);
int mxref_path_by_name(const char *name);

/* Worker threads for the tensor operations (mxref_quantize / mxref_dequantize in block.h,
 * mxref_nvfp4_quantize / mxref_nvfp4_dequantize_tensor in nvfp4.h):
 * 1 (the default) keeps everything on the calling thread; n > 1 splits inputs of at least
 * MXREF_THREAD_MIN_VALUES values into n contiguous ranges of whole blocks. The environment
 * variable MXREF_THREADS sets the initial value. Results do not depend on the count. */
#define MXREF_THREAD_MIN_VALUES ((size_t)1 << 18)
void mxref_set_threads(int n);
int mxref_get_threads(void);

/* Library version string. */
const char *mxref_version(void);

#ifdef __cplusplus
}
#endif
#endif
