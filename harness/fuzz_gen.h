/* Structured fuzz inputs for every operation (`mxconform fuzz`, and the libFuzzer target
 * fuzz/fuzz_target_differential.c, which drives the same generators from its input bytes).
 *
 * Inputs are built with structure, not drawn as random bits: values at and around every
 * code value and rounding boundary of the destination, its overflow band, subnormal edges of
 * source and destination, specials, blocks whose amax sits on a power-of-two boundary or is
 * subnormal, blocks mixing +-0/NaN/Inf, odd lengths, dot vectors that cancel, extreme scales,
 * mixed formats. Each operation's strategies are weighted by what it depends on: a strategy
 * tied to a knob weighs more for an op whose row of op_table lists that knob.
 *
 * Only inputs come from here; expected outputs always come from expect_case (the oracle). */
#ifndef MXCONFORM_FUZZ_GEN_H
#define MXCONFORM_FUZZ_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "vectors.h"

/* Where choices come from: a seeded splitmix64 stream (`mxconform fuzz`: deterministic for a
 * seed), or the bytes of a libFuzzer input (each choice reads the next bytes; past the end
 * every read is 0, so every input is valid and coverage guidance steers the choices). */
typedef struct fuzz_src {
  uint64_t state;
  const uint8_t *data;
  size_t size;
  int from_bytes;
} fuzz_src;

void fuzz_src_seed(fuzz_src *r, uint64_t seed);
void fuzz_src_bytes(fuzz_src *r, const uint8_t *data, size_t size);
uint64_t fuzz_word(fuzz_src *r);              /* 64 bits (8 bytes) */
unsigned fuzz_below(fuzz_src *r, unsigned n); /* 0 .. n-1 (1 byte, 2 when n > 256); 0 when n = 0 */

/* The operations the generators know (cvt quantize dequantize pack dot) as a bit mask of
 * 1 << vec_op; fuzz_ops_parse reads "cvt,dot" (-1 on an unknown name). */
#define FUZZ_OPS_ALL ((1u << OP_CVT) | (1u << OP_QUANTIZE) | (1u << OP_DEQUANTIZE) | (1u << OP_PACK) | (1u << OP_DOT))
int fuzz_ops_parse(const char *text, unsigned *mask);

/* Draw an op from mask (uniformly), then the suite parameters of one batch: formats, round
 * and overflow (cvt), k (odd lengths sometimes), layout, block count and formats (dot).
 * s must be vec_suite_init'ed with its knobs set (the profile); s is shaped and named. */
vec_op fuzz_pick_op(fuzz_src *r, unsigned mask);
void fuzz_shape(fuzz_src *r, vec_op op, vec_suite *s);

/* One case of suite s: s->nin input words into in, and the random word (round = sr). */
void fuzz_case(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd);

/* Name of the strategy that built the last case (for reports). */
const char *fuzz_last_strategy(void);

/* Exact value of a source-format bit pattern (f32 bf16 f16 f64) as a double. */
double fuzz_source_value(mx_fmt src, uint64_t bits);

#endif
