/* probe_recovers_every_preset_exactly: every dot preset, and synthetic configurations of the
 * step parameters (assign, step_frac), emulated in process as a black-box target, is
 * fingerprinted by the probes of harness/probe.c; the fit must reproduce every probe, equal
 * the target (probe_model_distance 0: equal up to the parameters that dot.h makes
 * irrelevant), and agree with the target on random DotGenerals (argv[1] per preset, default
 * 20000; argv[2] per synthetic configuration, default 10^5; argv[3], if given, the index of
 * the one format pair to run).
 *
 * Format pairs: E4M3 x E4M3 (the default of `mxconform probe dot`), E5M2, E3M2 and INT8
 * pairs recover every model exactly. On the narrow pairs E2M3 x E2M3, E2M1 x E2M1 and
 * E2M1 x E3M2 some Hopper models are provably other functions' twins (spec_notes/dot.md
 * "Probes", unobservable parameters): every product's lowest bit lies at most W = 11, 7, 12
 * bits below the leading bit of the largest product, so a 13-bit window cuts nothing
 * (frac_bits 13 is frac_bits exact when the step holds no accumulator); a block's exact sum
 * has at most 17, 13, 18 significant bits, so on E2M1 x E2M1 neither the e8m13 step output
 * (14 significant bits) nor the extra FP32 rounding of scale_at = group rounds anything, and
 * nvidia-hopper-fp8 is fp32-sequential there; on the other two narrow pairs the e8m13 output
 * does cut, and the fit must name the Hopper model with frac_bits = exact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/probe.h"

static int model_dot(void *ctx, const probe_case *cs, size_t cnt, uint32_t *out, char *msg, size_t msglen) {
  const mx_dot_model *m = ctx;
  for (size_t i = 0; i < cnt; i++)
    if (probe_eval(&cs[i], m, &out[i]) != MX_DOT_OK) {
      snprintf(msg, msglen, "libmxref cannot evaluate the model");
      return -1;
    }
  return 0;
}

typedef struct pair_t {
  mx_block_fmt fa, fb;
  int narrow; /* W of the file comment; 0: a wide pair */
} pair_t;

static const pair_t pairs[] = {
    {MX_MXFP8_E4M3, MX_MXFP8_E4M3, 0}, {MX_MXFP8_E5M2, MX_MXFP8_E5M2, 0},  {MX_MXFP6_E3M2, MX_MXFP6_E3M2, 0},
    {MX_MXINT8, MX_MXINT8, 0},         {MX_MXFP6_E2M3, MX_MXFP6_E2M3, 11}, {MX_MXFP4_E2M1, MX_MXFP4_E2M1, 7},
    {MX_MXFP4_E2M1, MX_MXFP6_E3M2, 12},
};

/* The model the fit must name for target t on pair P (the equivalences of the file comment). */
static mx_dot_model expected(const pair_t *P, const mx_dot_model *t) {
  mx_dot_model w = *t;
  if (!P->narrow || w.acc != MX_DOT_ACC_SEPARATE || w.frac_bits == MX_DOT_FRAC_EXACT || w.frac_bits < P->narrow)
    return w;
  w.frac_bits = MX_DOT_FRAC_EXACT; /* a window of W or more bits, no accumulator in the step */
  int e2m1 = P->fa == MX_MXFP4_E2M1 && P->fb == MX_MXFP4_E2M1;
  int plain = w.step_frac == 0 || w.step_frac == MX_DOT_STEP_FRAC_F32 || (e2m1 && w.step_frac >= 13);
  if (plain && w.scale_at == MX_DOT_SCALE_GROUP && w.align == MX_DOT_ALIGN_TRUNC && w.group == 0 && w.presum == 0)
    w = mx_dot_preset_find("fp32-sequential")->model; /* block sums fit FP32 (and the step output) */
  return w;
}

/* The same equivalence applied to a fitted model. */
static int distance(const pair_t *P, const mx_dot_model *fit, const mx_dot_model *want) {
  mx_dot_model g = expected(P, fit);
  int a = probe_model_distance(&g, want), b = probe_model_distance(fit, want);
  return a < b ? a : b;
}

static int run(const pair_t *P, const char *name, const mx_dot_model *target, unsigned long confirm, uint64_t seed,
               probe_case *cs, uint32_t *got) {
  probe_fit fit;
  char msg[256] = "", text[320];
  if (probe_fit_target(P->fa, P->fb, model_dot, (void *)target, 0, &fit, msg, sizeof msg)) {
    printf("FAIL %s: %s\n", name, msg);
    return 1;
  }
  mx_dot_model want = expected(P, target);
  int dist = distance(P, &fit.model, &want);
  uint64_t rng = seed, agree = 0;
  for (unsigned long i = 0; i < confirm; i++) probe_random_case(P->fa, P->fb, &rng, &cs[i]);
  model_dot((void *)target, cs, confirm, got, msg, sizeof msg);
  for (unsigned long i = 0; i < confirm; i++) {
    uint32_t r;
    agree += probe_eval(&cs[i], &fit.model, &r) == MX_DOT_OK && probe_same(r, got[i]);
  }
  int ok = fit.agree == fit.probes && dist == 0 && agree == confirm;
  probe_model_text(&fit.model, text, sizeof text);
  printf("%s %s x %s %-26s probes %zu/%zu starts %d fit = %s (distance %d) confirm %llu/%lu%s%s\n",
         ok ? "ok  " : "FAIL", mx_block_fmt_names[P->fa], mx_block_fmt_names[P->fb], name, fit.agree, fit.probes,
         fit.starts, text, dist, (unsigned long long)agree, confirm,
         fit.unobservable[0] ? "; unobservable on the probes: " : "", fit.unobservable);
  return !ok;
}

/* Synthetic configurations: a preset with the step parameters changed. */
typedef struct synth {
  const char *name, *base;
  unsigned group;
  mx_dot_assign assign;
  int step_frac;
  mx_dot_round step_round;
  int fp8_only; /* a model of an FP8 unit: probed on the FP8 pairs only */
} synth;

static const synth synths[] = {
    /* B200 fp8 read as two interleaved 16-product groups (KM25b's description), each a fused
     * step with the accumulator; the preset keeps KM25b's single 32-term alignment */
    {"blackwell-interleaved", "nvidia-blackwell-mxf8f6f4", 16, MX_DOT_ASSIGN_INTERLEAVED, 23, MX_DOT_RNE, 0},
    /* Hopper fp8 with a plain FP32 MMA output (the preset before e8m13): the probes must tell
     * the two apart in both directions */
    {"hopper-fp32-output", "nvidia-hopper-fp8", 0, MX_DOT_ASSIGN_CONTIGUOUS, 23, MX_DOT_RNE, 0},
    /* Hopper's e8m13 output rounded to nearest instead of truncated */
    {"hopper-e8m13-rne", "nvidia-hopper-fp8", 0, MX_DOT_ASSIGN_CONTIGUOUS, 13, MX_DOT_RNE, 0},
    /* both at once on an RNE unit: 8-product interleaved steps, 16-bit outputs rounded.
     * On narrower pairs the 24-bit floor alignment behind the 16-bit output shows only on a
     * few random vectors (spec_notes/dot.md "Probes"), so FP8 pairs only */
    {"cdna3-interleaved-e8m16", "amd-cdna3", 8, MX_DOT_ASSIGN_INTERLEAVED, 16, MX_DOT_RNE, 1},
};

/* ---- a target that re-quantizes its operands ------------------------------------------------ */

/* microxcaling's mx.matmul without torch (targets/python/mxtarget_microxcaling.py): the
 * operands as FP32 tensors quantized to MX again (probe_requantize), then the reference BLAS
 * loop, dot.h's group=1 accum=f32-rne c_at=last. */
static int requantizing_loop(void *ctx, const probe_case *cs, size_t cnt, uint32_t *out, char *msg, size_t msglen) {
  const mx_dot_model *m = ctx;
  for (size_t i = 0; i < cnt; i++) {
    probe_case q;
    probe_requantize(&cs[i], &q);
    if (probe_eval(&q, m, &out[i]) != MX_DOT_OK) {
      snprintf(msg, msglen, "libmxref cannot evaluate the model");
      return -1;
    }
  }
  return 0;
}

/* probe_names_the_fp32_loop_behind_requantized_operands: the fit names the loop's model in its
 * simplest form (no leftover presum), and every probe it misses is one whose operands the
 * target does not see as given (a caveat), none unexplained. */
static int requantized(void) {
  mx_dot_model loop = MX_DOT_MODEL_EXACT_RNE;
  char err[256], text[256], msg[256];
  if (mx_dot_model_parse("group=1 accum=f32-rne c_at=last", &loop, err, sizeof err)) return 1;
  probe_fit fit;
  if (probe_fit_target(MX_MXFP8_E4M3, MX_MXFP8_E4M3, requantizing_loop, &loop, 0, &fit, msg, sizeof msg)) return 1;
  probe_model_text(&fit.model, text, sizeof text);
  size_t misses = fit.probes - fit.agree;
  int ok = mx_dot_model_equal(&fit.model, &loop) && fit.miss_caveat[PROBE_CAVEAT_NONE] == 0 && misses > 0 &&
           fit.miss_caveat[PROBE_CAVEAT_REQUANTIZED] > 0;
  printf("%s requantizing FP32 loop: fit = %s; %zu of %zu probes missed: %zu %s, %zu %s, %zu other\n",
         ok ? "ok  " : "FAIL", text, misses, fit.probes, fit.miss_caveat[PROBE_CAVEAT_BEYOND_FP32],
         probe_caveat_names[PROBE_CAVEAT_BEYOND_FP32], fit.miss_caveat[PROBE_CAVEAT_REQUANTIZED],
         probe_caveat_names[PROBE_CAVEAT_REQUANTIZED], fit.miss_caveat[PROBE_CAVEAT_NONE]);
  return !ok;
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "requantized")) return requantized();
  unsigned long confirm = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
  unsigned long confirm2 = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
  /* argv[3]: only the format pair of that index in pairs[] (CTest runs the pairs as separate
   * tests, so that two cores share them); absent: every pair */
  size_t first = 0, end = sizeof pairs / sizeof pairs[0];
  if (argc > 3) {
    first = strtoul(argv[3], NULL, 10);
    if (first >= end) return 2;
    end = first + 1;
  }
  unsigned long most = confirm > confirm2 ? confirm : confirm2;
  int fails = 0;
  probe_case *cs = malloc(most * sizeof(probe_case) + 1);
  uint32_t *got = malloc(most * sizeof(uint32_t) + 1);
  if (!cs || !got) return 2;
  for (size_t q = first; q < end; q++)
    for (const mx_dot_preset *p = mx_dot_presets; p->name; p++)
      fails += run(&pairs[q], p->name, &p->model, confirm, 0xC0FFEEull + q, cs, got);
  for (size_t q = first; q < end; q++)
    for (size_t y = 0; y < sizeof synths / sizeof synths[0]; y++) {
      const synth *sy = &synths[y];
      int fp8 = pairs[q].fa <= MX_MXFP8_E5M2 && pairs[q].fb <= MX_MXFP8_E5M2;
      if (sy->fp8_only && !fp8) continue;
      mx_dot_model target = mx_dot_preset_find(sy->base)->model;
      target.group = sy->group;
      target.assign = sy->assign;
      target.step_frac = sy->step_frac;
      target.step_round = sy->step_round;
      fails += run(&pairs[q], sy->name, &target, confirm2, 0x5EEDull + 7 * q + y, cs, got);
    }
  free(cs);
  free(got);
  printf("%s: %d failure%s\n", fails ? "FAIL" : "PASS", fails, fails == 1 ? "" : "s");
  return fails ? 1 : 0;
}
