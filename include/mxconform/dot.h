/* mxconform — MX dot products: Dot and DotGeneral (OCP MX §6.1, §6.2).
 *
 * The spec fixes the formula and the FP32 result; it leaves internal precision, order of
 * operations, rounding and special values to the implementation. This header is the
 * contract for BOTH the oracle (oracle/dot.c, MPFR) and libmxref (reference/dot.c,
 * integer logic); spec_notes/dot.md is the long form with sources.
 *
 * ---- The value ------------------------------------------------------------------------
 * An operand is n blocks of k elements: block j has the E8M0 scale X_j and element codes
 * P_j,0 .. P_j,k-1 (k = 32 for every MX format; any 1 <= k <= MX_BLOCK_MAX is accepted).
 *   Dot(A_j, B_j)  = X^A_j * X^B_j * sum_i P^A_j,i * P^B_j,i              (MX §6.1)
 *   DotGeneral     = sum_j Dot(A_j, B_j)  [+ C]                           (MX §6.2)
 * The two operands may use different element formats (mxfp4_e2m1 x mxfp6_e3m2, ...): the
 * formula does not need them equal and PTX kind::mxf8f6f4 / Triton dot_scaled mix them.
 * C is an optional FP32 accumulator input (bit pattern). The result is an FP32 bit pattern.
 *
 * ---- Special values (the default of every model; no source states rules for Dot) --------
 * Decided before any arithmetic, by IEEE 754 semantics on the exact values:
 *  1. a NaN scale (E8M0 0xFF) in any block of either operand, a NaN element (E4M3
 *     S.1111.111, E5M2 S.11111.xx with xx != 0), or C = NaN      -> NaN;
 *  2. an Inf element (E5M2) times a zero element                  -> NaN;
 *  3. otherwise each Inf element times a nonzero element is an Inf product with the xor of
 *     the signs (scales are positive); Inf products of both signs, or an Inf product and
 *     a C = Inf of the other sign                                 -> NaN;
 *  4. otherwise any Inf product or C = +-Inf                      -> that Inf.
 * Only when none applies does a model below run. NaN results are returned as 0x7FC00000;
 * the NaN's sign and payload carry no meaning (compare NaN as "any NaN").
 * Inside a model, an FP32 accumulator that overflows to Inf follows IEEE 754 from there on
 * (Inf + finite = Inf, Inf + -Inf = NaN).
 *
 * Signed zero: a sum that is exactly zero is -0 when every addend is -0, else +0 (IEEE 754
 * §6.3 for round-to-nearest and toward-zero). A product's zero has the xor of the element
 * signs (MXINT8 has one zero, +0). An absent C counts as -0, the identity of IEEE addition,
 * so an all -0 dot product stays -0. A nonzero value that rounds to zero, or is flushed,
 * keeps its sign.
 *
 * ---- The accumulation model ------------------------------------------------------------
 * What implementations differ in. Notation: p_j,i = P^A_j,i * P^B_j,i (exact),
 * s_j = X^A_j * X^B_j (a power of two). R_acc(x) rounds to FP32 by `accum` (identity for
 * MX_DOT_ACCUM_EXACT), R_fin(x) by `final_round`; both produce FP32 subnormals unless
 * `subnormal` = flush (a subnormal FP32 result becomes a zero of the same sign), and on
 * overflow give +-Inf (RNE) or +-FLT_MAX (RTZ).
 *
 * Align_f(T), the fused sum of a set of exact terms T: if every term is zero, the sum is
 * zero (sign rule above). Else let E = max floor(log2|t|) over the nonzero terms; each term
 * is rounded to an integer multiple of 2^(E - f) by `align` (trunc: toward zero; floor:
 * toward -inf; rne: nearest, ties to the even multiple); the rounded terms are summed
 * exactly. f = MX_DOT_FRAC_EXACT rounds nothing: Align is the exact sum. (Exponents come
 * from the terms' values, not from their encodings; spec_notes/dot.md §3 says how this
 * relates to hardware models that use the sum of the operand exponents.)
 *
 * R_step(x), the output of a fused step (the value the unit writes): x rounded by
 * `step_round` to the format with FP32's exponent range and `step_frac` fraction bits
 * (grid 2^(max(floor(log2|x|), -126) - step_frac); overflow gives +-Inf under RNE, the
 * largest finite value of that format under RTZ; no flushing of its own). Every value it
 * returns is an FP32 value. step_frac = 23 (or 0, the zero-initialised field) is plain
 * FP32: R_step is then the identity (the model of the ten earlier parameters).
 * MMA-Sim's "e8m13" FP8 output of Ada/Hopper is step_frac = 13, step_round = rtz.
 *
 * Steps. With S = ceil(k / g) steps per block (g = group; group = 0 or >= k: g = k, one
 * step per block; steps never span blocks), `assign` says which products of block j form
 * step t (t = 0 .. S-1), in this order:
 *   contiguous:  products t*g .. min(t*g + g, k) - 1          (consecutive runs of g)
 *   interleaved: products t, t + S, t + 2S, ... (< k)        (stride S: with k = 32,
 *                g = 16 the even products form step 0 and the odd ones step 1)
 * An interleaved step holds ceil(k/S) or floor(k/S) products, which can be fewer than g.
 *
 * Evaluation, in this order:
 *   acc := (C present and c_at = first) ? C : -0
 *   for block j = 0 .. n-1, for each step t = 0 .. S-1 of block j:
 *     chunks := the step's products, in the order above, in consecutive runs of `presum`
 *               (0 or 1: every product alone); each chunk is summed exactly into one term
 *     scale_at = product, acc = fused:     acc := R_acc(R_step(Align_f({acc} U {s_j * chunk})))
 *     scale_at = product, acc = separate:  d := R_acc(R_step(Align_f({s_j * chunk})))
 *                                          acc := R_acc(acc + d)
 *     scale_at = group  (acc = separate):  d := R_acc(s_j * R_acc(R_step(Align_f({chunk}))))
 *                                          acc := R_acc(acc + d)
 *   if C present and c_at = last:          acc := R_acc(acc + C)
 *   result := R_fin(acc)
 * except that the LAST accumulator update is not rounded by R_acc: its exact value goes to
 * R_fin, so the result has exactly one final rounding after the last R_step (with n = 0
 * the result is R_fin(C), or -0 without C). If acc is Inf or NaN it passes through a fused
 * step unchanged. The steps of one block are separate fused sums combined through the
 * accumulator: interleaved groups are "summed separately, then combined" by R_acc (fused:
 * the second group's sum takes the first one's rounded result as a term).
 *
 * Consequences worth knowing: with accum = exact and frac_bits = exact every model is the
 * exact value rounded once (MX_DOT_EXACT_RNE and its rtz/flush variants), whatever group,
 * presum, scale_at, acc, c_at and assign say. scale_at = group differs from product only through
 * its extra FP32 rounding of the unscaled step result (a unit that returns FP32 before the
 * scales are applied in software): alignment itself is invariant under a power-of-two
 * scale shared by the whole step. assign = interleaved differs from contiguous only
 * when a block has two or more steps (1 < g < k). R_step rounds nothing when every step
 * sum fits in step_frac + 1 significant bits and stays in the normal range (spec_notes/
 * dot.md "Probes" gives the bounds); step_frac < 23 needs an FP32 accumulator (accum !=
 * exact): the step output is what the unit writes to its FP32 register.
 *
 * libmxref implements every model except finite frac_bits together with accum = exact (it
 * returns MX_DOT_EUNSUPPORTED for those: an exact accumulator cut to a grid would need a
 * cut of the wide accumulator); the oracle implements every model.
 */
#ifndef MXCONFORM_DOT_H
#define MXCONFORM_DOT_H

#include <stddef.h>
#include <stdint.h>

#include "mxconform/block.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One operand: n_blocks blocks of one MX format. */
typedef struct mx_dot_vec {
  mx_block_fmt fmt;      /* element format of every block (the two operands may differ) */
  const uint8_t *scales; /* n_blocks E8M0 bytes */
  const uint8_t *codes;  /* n_blocks * k codes, one per byte in the low bits (higher bits are
                            ignored); block j is codes[j*k .. j*k+k-1] */
} mx_dot_vec;

/* How a term is cut to the fused sum's grid (Align_f above). */
typedef enum mx_dot_align {
  MX_DOT_ALIGN_TRUNC = 0, /* toward zero: NVIDIA (Fasi et al. 2021; MMA-Sim) */
  MX_DOT_ALIGN_FLOOR,     /* toward -inf: AMD CDNA3 (MMA-Sim) — sign-asymmetric */
  MX_DOT_ALIGN_RNE,       /* nearest, ties to even */
  MX_DOT_ALIGN_COUNT
} mx_dot_align;

/* Where the block scales enter. */
typedef enum mx_dot_scale_at {
  MX_DOT_SCALE_PRODUCT = 0, /* into every product's exponent (hardware block-scaled MMA) */
  MX_DOT_SCALE_GROUP,       /* onto the step's FP32 result, in software (unscaled MMA) */
  MX_DOT_SCALE_AT_COUNT
} mx_dot_scale_at;

/* Whether the running accumulator is a term of each fused step (D = A*B + C in one unit)
 * or is added after the step with an FP32 addition of its own. */
typedef enum mx_dot_acc { MX_DOT_ACC_SEPARATE = 0, MX_DOT_ACC_FUSED, MX_DOT_ACC_COUNT } mx_dot_acc;

/* Where C enters: as the accumulator's start value, or added after every block. */
typedef enum mx_dot_c_at { MX_DOT_C_FIRST = 0, MX_DOT_C_LAST, MX_DOT_C_AT_COUNT } mx_dot_c_at;

/* Rounding to FP32. */
typedef enum mx_dot_round { MX_DOT_RNE = 0, MX_DOT_RTZ, MX_DOT_ROUND_COUNT } mx_dot_round;

/* The running accumulator between steps (and blocks): exact, or an FP32 register. */
typedef enum mx_dot_accum {
  MX_DOT_ACCUM_EXACT = 0,
  MX_DOT_ACCUM_F32_RNE,
  MX_DOT_ACCUM_F32_RTZ,
  MX_DOT_ACCUM_COUNT
} mx_dot_accum;

/* FP32 subnormal results of every rounding (R_acc and R_fin). */
typedef enum mx_dot_subnormal { MX_DOT_SUBN_KEEP = 0, MX_DOT_SUBN_FLUSH, MX_DOT_SUBN_COUNT } mx_dot_subnormal;

/* Which products of a block form each step (see "Steps" above). */
typedef enum mx_dot_assign {
  MX_DOT_ASSIGN_CONTIGUOUS = 0, /* consecutive runs of `group` products */
  MX_DOT_ASSIGN_INTERLEAVED,    /* step t takes products t, t+S, t+2S, ... (S steps per block) */
  MX_DOT_ASSIGN_COUNT
} mx_dot_assign;

#define MX_DOT_FRAC_EXACT (-1) /* frac_bits: the fused sum keeps every bit */
#define MX_DOT_FRAC_MAX 1000   /* largest finite frac_bits accepted */
#define MX_DOT_STEP_FRAC_F32 23 /* step_frac: the step output is plain FP32 (R_step = identity) */

typedef struct mx_dot_model {
  unsigned group;  /* products per fused step (between accumulator roundings); 0 = whole block */
  unsigned presum; /* products summed exactly into one term before alignment; 0 or 1 = none */
  int frac_bits;   /* f: fraction bits kept below the leading bit of the step's largest term;
                      MX_DOT_FRAC_EXACT or 0 .. MX_DOT_FRAC_MAX */
  mx_dot_align align;
  mx_dot_scale_at scale_at;
  mx_dot_acc acc; /* fused requires scale_at = product */
  mx_dot_c_at c_at;
  mx_dot_round final_round;
  mx_dot_accum accum;
  mx_dot_subnormal subnormal;
  /* Added after the first ten; a zero-initialised field means its default. */
  mx_dot_assign assign;   /* which products form a step: contiguous (default) or interleaved */
  int step_frac;          /* fraction bits of a fused step's output R_step: 1 .. 23;
                             23 (MX_DOT_STEP_FRAC_F32) or 0 = plain FP32, the default */
  mx_dot_round step_round; /* how R_step rounds (rne, rtz); irrelevant at step_frac 23 */
} mx_dot_model;

/* The ideal: the exact value, rounded once to nearest even (subnormals kept). */
#define MX_DOT_MODEL_EXACT_RNE                                                                             \
  {0u, 0u, MX_DOT_FRAC_EXACT, MX_DOT_ALIGN_TRUNC, MX_DOT_SCALE_PRODUCT, MX_DOT_ACC_SEPARATE, MX_DOT_C_FIRST, \
   MX_DOT_RNE, MX_DOT_ACCUM_EXACT, MX_DOT_SUBN_KEEP, MX_DOT_ASSIGN_CONTIGUOUS, MX_DOT_STEP_FRAC_F32, MX_DOT_RNE}

/* Named models (spec_notes/dot.md §4 gives each one's sources and what is our guess). */
typedef struct mx_dot_preset {
  const char *name;    /* e.g. "exact-rne" */
  const char *summary; /* one line */
  const char *source;  /* the public sources it rests on (keys of spec_notes/dot.md) */
  mx_dot_model model;
} mx_dot_preset;

/* exact-rne, fp32-sequential, nvidia-hopper-fp8 (its step output is e8m13: step_frac 13,
 * step_round rtz), nvidia-blackwell-mxf8f6f4, nvidia-blackwell-mxf4, amd-cdna3; terminated
 * by an entry with name == NULL. */
extern const mx_dot_preset mx_dot_presets[];
const mx_dot_preset *mx_dot_preset_find(const char *name); /* NULL when unknown */
void mx_dot_model_default(mx_dot_model *m);                 /* exact-rne */
/* NULL when m is a valid model, else a one-line reason. */
const char *mx_dot_model_check(const mx_dot_model *m);

/* ---- the model as text (common/dot_model.c) ----------------------------------------------
 * One form everywhere (`probe dot`, a profile file's `dot` line, run's findings):
 *   group=1 presum=0 frac_bits=exact align=trunc scale_at=product acc=separate c_at=last
 *   final=rne accum=f32-rne subnormal=keep assign=contiguous step_frac=23 step_round=rne
 * mx_dot_model_parse reads words separated by blanks or commas: optionally a preset name first
 * (the start; default exact-rne) and then `with` (run names models "PRESET with p=v,p=v"),
 * then parameter=value words that change it. Numbers are decimal digits (frac_bits also
 * "exact"); `final_round` is read as `final`. A parameter given twice, an unknown word and a
 * model mx_dot_model_check rejects are errors. 0 ok (*m set); -1 with a one-line reason in
 * err (*m untouched). */
int mx_dot_model_parse(const char *text, mx_dot_model *m, char *err, size_t errlen);
/* One parameter by name from its text (the words of mx_dot_model_parse); 0 or -1 with a
 * reason. Does not check the whole model (a later parameter may make it valid). */
int mx_dot_model_set(mx_dot_model *m, const char *key, const char *value, char *err, size_t errlen);
/* All thirteen parameters in the form above (step_frac 0 written as 23); 200 bytes suffice. */
void mx_dot_model_format(const mx_dot_model *m, char *buf, size_t len);
/* 1 when a and b have the same text form (step_frac 0 and 23 are the same). */
int mx_dot_model_equal(const mx_dot_model *a, const mx_dot_model *b);

/* Value names, indexed by the enums, NULL-terminated (CLI, vector headers, reports). */
extern const char *const mx_dot_align_names[];     /* "trunc" "floor" "rne" */
extern const char *const mx_dot_scale_at_names[];  /* "product" "group" */
extern const char *const mx_dot_acc_names[];       /* "separate" "fused" */
extern const char *const mx_dot_c_at_names[];      /* "first" "last" */
extern const char *const mx_dot_round_names[];     /* "rne" "rtz" */
extern const char *const mx_dot_accum_names[];     /* "exact" "f32-rne" "f32-rtz" */
extern const char *const mx_dot_subnormal_names[]; /* "keep" "flush" */
extern const char *const mx_dot_assign_names[];    /* "contiguous" "interleaved" */

/* Return codes. */
#define MX_DOT_OK 0
#define MX_DOT_EINVAL (-1)      /* bad format, k, pointer or model */
#define MX_DOT_EUNSUPPORTED (-2) /* libmxref: finite frac_bits with accum = exact (oracle only) */

#define MX_DOT_F32_NAN 0x7FC00000u /* the NaN every function here returns */

/* ---- libmxref -------------------------------------------------------------------------- */

/* DotGeneral of n_blocks blocks of k elements under model m (NULL = exact-rne); c is the
 * FP32 bit pattern of C, or NULL for none. Writes the FP32 result bits to *out. Returns
 * MX_DOT_OK, MX_DOT_EINVAL or MX_DOT_EUNSUPPORTED (then *out is untouched).
 * Exact models cost a little over one integer multiply-add per element (bench/bench_dot.c). */
int mxref_dot_general(const mx_dot_vec *a, const mx_dot_vec *b, size_t n_blocks, size_t k, const uint32_t *c,
                      const mx_dot_model *m, uint32_t *out);

/* Dot of one block pair, exact-rne, no C: X^A X^B sum P^A_i P^B_i rounded once. NaN on bad
 * arguments. */
uint32_t mxref_dot(mx_block_fmt fa, uint8_t scale_a, const uint8_t *codes_a, mx_block_fmt fb, uint8_t scale_b,
                   const uint8_t *codes_b, size_t k);

#ifdef __cplusplus
}
#endif
#endif
