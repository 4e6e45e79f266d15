/* Dot-product probes: fingerprint a black-box DotGeneral against the accumulation model
 * space of include/mxconform/dot.h (spec_notes/dot.md "Probes" says what each probe
 * measures and which parameters are unobservable for which formats). */
#ifndef MXCONFORM_PROBE_H
#define MXCONFORM_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "mxconform/dot.h"

#define PROBE_NB 4 /* most blocks in one probe or confirmation case */
#define PROBE_K MX_BLOCK_SIZE

/* One DotGeneral: n blocks of k elements of formats fa x fb, optional C. */
typedef struct probe_case {
  mx_block_fmt fa, fb;
  unsigned n, k;
  uint8_t sa[PROBE_NB], sb[PROBE_NB];
  uint8_t ca[PROBE_NB * PROBE_K], cb[PROBE_NB * PROBE_K];
  int has_c;
  uint32_t c;
  uint8_t family; /* which probe family built it (probe_family_names), or PROBE_FAM_RANDOM */
} probe_case;

enum {
  PROBE_FAM_SUBNORMAL = 0, /* results in the FP32 subnormal range */
  PROBE_FAM_WINDOW,        /* one large term and tiny ones in the same step */
  PROBE_FAM_WINDOW_ACC,    /* a large accumulator (C or an earlier block), tiny products */
  PROBE_FAM_GROUP,         /* a dominant product walked through every position */
  PROBE_FAM_PRESUM,        /* cancelling pairs that survive only when summed before alignment */
  PROBE_FAM_ROUND,         /* blocks whose FP32 partial sums round (ties, carries, mirrors) */
  PROBE_FAM_C,             /* C of 2^k with small blocks: where C enters */
  PROBE_FAM_SCALE,         /* subnormal scaled step results: where the scales enter */
  PROBE_FAM_STEPOUT,       /* step sums with carries / cancellation: the step output's precision */
  PROBE_FAM_INTERLEAVE,    /* two dominant products at positions i, j: which products share a step */
  PROBE_FAM_MIXED,         /* fixed-seed random DotGenerals: what the targeted families leave open */
  PROBE_FAM_COUNT,
  PROBE_FAM_RANDOM = PROBE_FAM_COUNT
};
extern const char *const probe_family_names[PROBE_FAM_COUNT];

/* The target: evaluate cnt cases, write FP32 result bits. Returns 0, or nonzero when the
 * target failed (then msg says why). */
typedef int (*probe_dot_fn)(void *ctx, const probe_case *cases, size_t cnt, uint32_t *out, char *msg,
                            size_t msglen);

/* Evaluate a case under a model with libmxref. Returns MX_DOT_OK or an MX_DOT_E* code. */
int probe_eval(const probe_case *pc, const mx_dot_model *m, uint32_t *out);

/* Result equality as the model contract compares them (every NaN equals every NaN). */
int probe_same(uint32_t x, uint32_t y);

/* The probe set for a format pair (feature-targeted vectors of every family). *cases is
 * malloc'ed; returns the count. */
size_t probe_build(mx_block_fmt fa, mx_block_fmt fb, probe_case **cases);

/* Random DotGenerals for confirmation (shapes of test_dot_random.c: uniform codes,
 * cancellation, wide exponent spread, tiny scales, C of every size, a few specials). */
void probe_random_case(mx_block_fmt fa, mx_block_fmt fb, uint64_t *rng, probe_case *pc);

/* Why a target may see other operands than a case gives, whatever its accumulation model:
 * software that takes FP32 tensors (an emulation's matmul) cannot hold an element value that
 * is no FP32 value (scale times element >= 2^128, or below FP32's precision near 2^-149),
 * and one that quantizes its inputs to MX again changes a block that is no fixed point of
 * quantization (OCP: floor rule, RNE, saturating), e.g. an E4M3 block whose largest element
 * 240 lies below the top binade (re-quantized it saturates to 224) or an MXINT8 block with
 * -2. The fit does not explain such a miss by the model; it counts and names them. */
enum { PROBE_CAVEAT_NONE = 0, PROBE_CAVEAT_BEYOND_FP32, PROBE_CAVEAT_REQUANTIZED, PROBE_CAVEAT_ZERO_SIGN, PROBE_CAVEAT_COUNT };
extern const char *const probe_caveat_names[PROBE_CAVEAT_COUNT]; /* "", "operand-beyond-fp32", ... */
/* The first operand caveat of pc (in enum order), or PROBE_CAVEAT_NONE. */
int probe_case_caveat(const probe_case *pc);
/* Why the model's answer `model` and the target's `got` to pc differ: PROBE_CAVEAT_ZERO_SIGN
 * when both are zeros (of other signs: dot.h counts an absent C as -0, so an all -0 sum is
 * -0, where a loop that starts from +0, the reference BLAS one, gives +0 — a difference no
 * model parameter says), else pc's operand caveat. */
int probe_miss_why(const probe_case *pc, uint32_t model, uint32_t got);
/* pc as such a target sees it: each block's values as FP32 (one that is no FP32 value makes
 * the block NaN, as an Inf does in an FP32 tensor) quantized to MX again (OCP: floor rule,
 * RNE, saturating); blocks with a NaN scale or NaN/Inf elements stay as given. */
void probe_requantize(const probe_case *pc, probe_case *out);

#define PROBE_MISS_SHOWN 8 /* misses without a caveat kept for the report */

typedef struct probe_fit {
  mx_dot_model model;
  size_t probes, agree;            /* probe set size, how many the fitted model reproduces */
  size_t fam_cases[PROBE_FAM_COUNT], fam_agree[PROBE_FAM_COUNT];
  const char *nearest;             /* nearest preset (fewest differing parameters) */
  int nearest_distance;            /* parameters that differ from it (after equivalences) */
  int starts;                      /* fit starts used (1: from exact-rne alone) */
  char unobservable[512];          /* parameters the probe set cannot see, comma separated */
  /* The probes the model does not reproduce, by caveat (probe_case_caveat); the first
   * PROBE_MISS_SHOWN without one (indices into the probe set): those the model leaves
   * unexplained. */
  size_t miss_caveat[PROBE_CAVEAT_COUNT];
  size_t miss_shown[PROBE_MISS_SHOWN];
  int nmiss_shown;
} probe_fit;

/* Run the probe set on the target and fit the model. Returns 0, or nonzero when the target
 * failed (msg). verbose: progress lines on stderr. */
int probe_fit_target(mx_block_fmt fa, mx_block_fmt fb, probe_dot_fn fn, void *ctx, int verbose, probe_fit *fit,
                     char *msg, size_t msglen);

/* The same fit from answers already given: got[i] is the target's result for cases[i]
 * (e.g. the dot suites of `run`, harness/run_detect.c). Cases of any family. */
void probe_fit_answers(const probe_case *cases, const uint32_t *got, size_t n, int verbose, probe_fit *fit);

/* Number of model parameters in which two models differ, counting parameters that the
 * model definition makes irrelevant (dot.h "Consequences") as equal. */
int probe_model_distance(const mx_dot_model *a, const mx_dot_model *b);

/* One-line text of a model: "group=0 presum=0 frac_bits=13 align=trunc ..." (the text form
 * of dot.h, mx_dot_model_format: a profile file's `dot` line reads it back). */
void probe_model_text(const mx_dot_model *m, char *buf, size_t len);

#endif
