/* probe_recovers_every_preset_exactly: every dot preset, emulated in process as a black-box
 * target, is fingerprinted by the probes of harness/probe.c; the fit must reproduce every
 * probe, equal the preset (probe_model_distance 0: equal up to the parameters that dot.h
 * makes irrelevant), and agree with the target on random DotGenerals.
 *
 * Format pairs: E4M3 x E4M3 (the default of `mxconform probe dot`), E5M2, E3M2 and INT8
 * pairs recover every preset exactly. On the narrow pairs E2M3 x E2M3, E2M1 x E2M1 and
 * E2M1 x E3M2, nvidia-hopper-fp8 is provably the same function as fp32-sequential
 * (spec_notes/dot.md "Probes", unobservable parameters): every product's lowest bit lies at
 * most W = 11, 7, 12 bits below the leading bit of the largest product, so a 13-bit window
 * cuts nothing, and a block's exact sum has at most 17, 13, 18 significant bits, so the
 * extra FP32 rounding of scale_at = group rounds nothing; the fit must then name that. */
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

int main(int argc, char **argv) {
  unsigned long confirm = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
  static const struct { mx_block_fmt fa, fb; int narrow; } pairs[] = {
      {MX_MXFP8_E4M3, MX_MXFP8_E4M3, 0}, {MX_MXFP8_E5M2, MX_MXFP8_E5M2, 0}, {MX_MXFP6_E3M2, MX_MXFP6_E3M2, 0},
      {MX_MXINT8, MX_MXINT8, 0},         {MX_MXFP6_E2M3, MX_MXFP6_E2M3, 1}, {MX_MXFP4_E2M1, MX_MXFP4_E2M1, 1},
      {MX_MXFP4_E2M1, MX_MXFP6_E3M2, 1},
  };
  int fails = 0;
  probe_case *cs = malloc(confirm * sizeof(probe_case) + 1);
  uint32_t *got = malloc(confirm * sizeof(uint32_t) + 1);
  if (!cs || !got) return 2;
  for (size_t q = 0; q < sizeof pairs / sizeof pairs[0]; q++)
    for (const mx_dot_preset *p = mx_dot_presets; p->name; p++) {
      mx_dot_model target = p->model;
      probe_fit fit;
      char msg[256] = "", text[320];
      if (probe_fit_target(pairs[q].fa, pairs[q].fb, model_dot, &target, 0, &fit, msg, sizeof msg)) {
        printf("FAIL %s: %s\n", p->name, msg);
        fails++;
        continue;
      }
      const char *want = p->name;
      if (pairs[q].narrow && !strcmp(p->name, "nvidia-hopper-fp8")) want = "fp32-sequential";
      const mx_dot_preset *wp = mx_dot_preset_find(want);
      int dist = probe_model_distance(&fit.model, &wp->model);
      uint64_t rng = 0xC0FFEEull + q, agree = 0;
      for (unsigned long i = 0; i < confirm; i++) probe_random_case(pairs[q].fa, pairs[q].fb, &rng, &cs[i]);
      model_dot(&target, cs, confirm, got, msg, sizeof msg);
      for (unsigned long i = 0; i < confirm; i++) {
        uint32_t r;
        agree += probe_eval(&cs[i], &fit.model, &r) == MX_DOT_OK && probe_same(r, got[i]);
      }
      int ok = fit.agree == fit.probes && dist == 0 && agree == confirm;
      probe_model_text(&fit.model, text, sizeof text);
      printf("%s %s x %s %-26s probes %zu/%zu starts %d fit = %s (distance %d to %s) confirm %llu/%lu%s%s\n",
             ok ? "ok  " : "FAIL", mx_block_fmt_names[pairs[q].fa], mx_block_fmt_names[pairs[q].fb], p->name,
             fit.agree, fit.probes, fit.starts, text, dist, want, (unsigned long long)agree, confirm,
             fit.unobservable[0] ? "; unobservable on the probes: " : "", fit.unobservable);
      fails += !ok;
    }
  free(cs);
  free(got);
  printf("%s: %d failure%s\n", fails ? "FAIL" : "PASS", fails, fails == 1 ? "" : "s");
  return fails ? 1 : 0;
}
