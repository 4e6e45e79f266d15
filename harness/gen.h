/* Vector generation (the oracle decides every expected value; see gen.c). */
#ifndef MXCONFORM_GEN_H
#define MXCONFORM_GEN_H

#include "vectors.h"

typedef struct gen_tier {
  const char *name;
  mx_fmt cvt_src[4];
  int ncvt_src;
  unsigned random;            /* random inputs per cvt suite */
  unsigned sr_random;         /* random inputs per cvt suite with round = sr */
  unsigned quantize_blocks;   /* random blocks per quantize suite (plus the curated ones) */
  unsigned dequantize_blocks; /* per dequantize suite */
  unsigned pack_cases;        /* per pack suite */
  unsigned dot_cases;         /* random DotGenerals per dot suite (plus the curated ones) */
  int binade_step;            /* structured cvt inputs in every n-th destination binade (1: all) */
  mx_fmt quant_src[4];        /* quantize sources (suites asking for the profile's rule) */
  int nquant_src;
  unsigned rule_blocks;       /* random blocks per quantize suite that names its rule */
  unsigned dot_more_cases;    /* random DotGenerals per dot suite of 1, 3 or 4 blocks */
  unsigned dot_probe_every;   /* the dot probes (harness/probe.h) kept: every n-th of a shape */
  int nfull_src;              /* cvt_src[0..nfull_src-1]: every rounding and overflow mode; the
                                 rest only the modes in extra_rounds (bits 1 << mx_round), sat */
  unsigned extra_rounds;
} gen_tier;

extern const gen_tier gen_tiers[3];
const gen_tier *gen_tier_find(const char *name);

/* Called once per generated suite; nonzero stops generation and is returned. */
typedef int (*gen_suite_fn)(void *ctx, vec_suite *s);
/* Generate every suite of a tier under profile p (expected values from the oracle). */
int gen_tier_suites(const gen_tier *t, uint64_t seed, const mx_profile *p, gen_suite_fn fn, void *ctx);

void gen_cvt(vec_suite *s, const gen_tier *t, uint64_t seed);
void gen_decode(vec_suite *s);
void gen_quantize(vec_suite *s, const gen_tier *t, uint64_t seed);
void gen_dequantize(vec_suite *s, const gen_tier *t, uint64_t seed);
void gen_pack(vec_suite *s, const gen_tier *t, uint64_t seed);
void gen_dot(vec_suite *s, const gen_tier *t, uint64_t seed);
void gen_nvfp4_quantize(vec_suite *s, const gen_tier *t, uint64_t seed);
void gen_nvfp4_dequantize(vec_suite *s, const gen_tier *t, uint64_t seed);
void gen_nvfp4_dot(vec_suite *s, const gen_tier *t, uint64_t seed);

#define MXC_DEFAULT_SEED 20261123ull

#endif
