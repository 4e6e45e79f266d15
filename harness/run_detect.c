/* run's profile detection: which knob values, unhonoured requests (cvt round/overflow) and
 * dot accumulation model explain the failures (run.h). Expected values always come from
 * libmxref / the oracle under the candidate; the target's answers are only compared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "mxconform/dot.h"
#include "mxconform/mxref.h"
#include "run.h"

/* Switching one knob to the values of profile `cand`: over every suite whose op depends on
 * the knob, the cases that would newly pass (returned) and newly fail (*broken). With
 * apply, the pass flags are updated to the new expectations. */
static size_t evaluate_knob(suite_list *L, const mx_profile *cand, const char *knob, size_t *broken, int apply) {
  size_t gained = 0, lost = 0;
  uint64_t exp[1 + MX_BLOCK_MAX];
  for (size_t i = 0; i < L->n; i++) {
    suite_run *r = &L->v[i];
    vec_suite *s = &r->s;
    int depends = 0;
    for (const char *const *k = op_table[s->op].knobs; *k; k++) depends |= !strcmp(*k, knob);
    if (!depends) continue;
    for (size_t c = 0; c < s->ncases; c++) {
      if (r->st[c] != T_OK) continue;
      expect_case(s, cand, s->in + c * s->nin, s->rnd[c], exp);
      size_t dc = 0;
      int now = expect_equal(s, exp, r->actual + c * s->nout, &dc);
      if (now && !r->ok[c]) gained++;
      if (!now && r->ok[c]) lost++;
      if (apply) r->ok[c] = (unsigned char)now;
    }
  }
  *broken = lost;
  return gained;
}

/* A cvt suite's requested parameter (round or overflow) replaced by another value: how
 * many cases of the suites that asked for `asked` would then pass / now fail. This names
 * targets that ignore a request (e.g. always round to nearest even). */
static size_t score_param(suite_list *L, const mx_profile *p, int which, int asked, int alt, size_t *broken, int apply) {
  size_t gained = 0, lost = 0;
  for (size_t i = 0; i < L->n; i++) {
    suite_run *r = &L->v[i];
    vec_suite s = r->s;
    if (s.op != OP_CVT || (which ? (int)s.overflow : (int)s.round) != asked) continue;
    if (alt == MX_SR || asked == MX_SR) continue; /* random bits are not comparable across modes */
    if (which) s.overflow = (mx_overflow)alt; else s.round = (mx_round)alt;
    for (size_t c = 0; c < s.ncases; c++) {
      if (r->st[c] != T_OK) continue;
      uint64_t exp[1];
      expect_case(&s, p, s.in + c * s.nin, s.rnd[c], exp);
      int now = exp[0] == r->actual[c];
      if (now && !r->ok[c]) gained++;
      if (!now && r->ok[c]) lost++;
      if (apply) r->ok[c] = (unsigned char)now;
    }
  }
  *broken = lost;
  return gained;
}

static int detect_params(suite_list *L, const mx_profile *p, finding *f, int nf, int maxf) {
  for (int which = 0; which < 2 && nf < maxf; which++) {
    int nvals = which ? 2 : MX_ROUND_COUNT;
    for (int asked = 0; asked < nvals && nf < maxf; asked++) {
      size_t fails = 0;
      for (size_t i = 0; i < L->n; i++)
        if (L->v[i].s.op == OP_CVT && (which ? (int)L->v[i].s.overflow : (int)L->v[i].s.round) == asked)
          for (size_t c = 0; c < L->v[i].s.ncases; c++) fails += L->v[i].st[c] == T_OK && !L->v[i].ok[c];
      if (!fails) continue;
      long best_net = 0;
      int best = -1;
      size_t best_gain = 0;
      for (int alt = 0; alt < nvals; alt++) {
        if (alt == asked) continue;
        size_t broken, gain = score_param(L, p, which, asked, alt, &broken, 0);
        if ((long)gain - (long)broken > best_net) {
          best_net = (long)gain - (long)broken;
          best = alt;
          best_gain = gain;
        }
      }
      if (best < 0) continue;
      /* claim "ignores the request" only when it explains (nearly) all of those failures,
       * not when it happens to fix some of a different bug's cases */
      size_t broken_best;
      score_param(L, p, which, asked, best, &broken_best, 0);
      size_t remaining = fails - best_gain + broken_best;
      if (remaining * 10 > fails) continue;
      size_t dummy;
      score_param(L, p, which, asked, best, &dummy, 1);
      const char *const *names = which ? mx_overflow_names : mx_round_names;
      snprintf(f[nf].knob, sizeof f[nf].knob, "cvt %s=%s", which ? "overflow" : "round", names[asked]);
      snprintf(f[nf].from, sizeof f[nf].from, "%s", names[asked]);
      snprintf(f[nf].to, sizeof f[nf].to, "%s", names[best]);
      f[nf].explains = best_gain;
      nf++;
    }
  }
  return nf;
}

/* A dot case evaluated under an accumulation model by libmxref (itself proven equal to the
 * oracle for every model). */
static uint32_t dot_under_model(const vec_suite *s, const uint64_t *in, const mx_dot_model *m, int *ok) {
  static uint8_t sa[64], sb[64], ca[MX_BLOCK_MAX], cb[MX_BLOCK_MAX];
  mx_dot_vec a, b;
  uint32_t c, r = 0;
  int has_c = vec_dot_operands(s, in, sa, ca, sb, cb, &a, &b, &c);
  *ok = mxref_dot_general(&a, &b, s->nblocks, s->k, has_c ? &c : NULL, m, &r) == MX_DOT_OK;
  return r;
}

/* Dot suites: which accumulation-model preset reproduces the target's answers (the spec
 * leaves internal precision and order implementation-defined, MX §6.1/§6.2). A preset is
 * named when it explains every failing dot case and breaks no passing one. */
static int detect_dot_model(suite_list *L, finding *f, int nf, int maxf) {
  size_t fails = 0;
  for (size_t i = 0; i < L->n; i++)
    if (L->v[i].s.op == OP_DOT)
      for (size_t c = 0; c < L->v[i].s.ncases; c++) fails += L->v[i].st[c] == T_OK && !L->v[i].ok[c];
  if (!fails || nf >= maxf) return nf;
  for (const mx_dot_preset *pr = mx_dot_presets; pr->name; pr++) {
    size_t gained = 0, lost = 0;
    for (size_t i = 0; i < L->n; i++) {
      suite_run *r = &L->v[i];
      if (r->s.op != OP_DOT) continue;
      for (size_t c = 0; c < r->s.ncases; c++) {
        if (r->st[c] != T_OK) continue;
        int ok;
        uint64_t e = dot_under_model(&r->s, r->s.in + c * r->s.nin, &pr->model, &ok);
        size_t dc = 0;
        int now = ok && expect_equal(&r->s, &e, r->actual + c, &dc);
        gained += now && !r->ok[c];
        lost += !now && r->ok[c];
      }
    }
    if (gained == fails && lost == 0) {
      for (size_t i = 0; i < L->n; i++)
        if (L->v[i].s.op == OP_DOT)
          for (size_t c = 0; c < L->v[i].s.ncases; c++)
            if (L->v[i].st[c] == T_OK) L->v[i].ok[c] = 1;
      snprintf(f[nf].knob, sizeof f[nf].knob, "dot_model");
      snprintf(f[nf].from, sizeof f[nf].from, "exact-rne");
      snprintf(f[nf].to, sizeof f[nf].to, "%s", pr->name);
      f[nf].explains = gained;
      return nf + 1;
    }
  }
  return nf;
}

static int detect_profile(suite_list *L, const mx_profile *base, mx_profile *detected, finding *f, int maxf) {
  *detected = *base;
  int nf = 0;
  const char *const *keys = mx_profile_keys();
  while (nf < maxf) {
    size_t best_gain = 0;
    long best_net = 0;
    char best_key[48] = "", best_val[48] = "", from[48] = "";
    for (const char *const *k = keys; *k; k++) {
      int relevant = 0; /* only knobs some failing suite's op depends on */
      for (size_t i = 0; i < L->n && !relevant; i++) {
        if (!L->v[i].failed) continue;
        for (const char *const *q = op_table[L->v[i].s.op].knobs; *q; q++) relevant |= !strcmp(*q, *k);
      }
      if (!relevant) continue;
      char vals[512], cur[64];
      if (!mx_profile_key_values(*k, vals, sizeof vals)) continue;
      const char *curv = mx_profile_get(detected, *k, cur, sizeof cur);
      char *save = NULL;
      for (char *v = strtok_r(vals, " ", &save); v; v = strtok_r(NULL, " ", &save)) {
        if (curv && !strcmp(v, curv)) continue;
        mx_profile cand = *detected;
        if (mx_profile_set(&cand, *k, v)) continue;
        size_t broken, gain = evaluate_knob(L, &cand, *k, &broken, 0);
        long net = (long)gain - (long)broken;
        if (net > best_net) { /* the value that explains the most, net of what it breaks */
          best_net = net;
          best_gain = gain;
          snprintf(best_key, sizeof best_key, "%s", *k);
          snprintf(best_val, sizeof best_val, "%s", v);
          snprintf(from, sizeof from, "%s", curv ? curv : "?");
        }
      }
    }
    if (!best_key[0]) break;
    mx_profile_set(detected, best_key, best_val);
    size_t unused;
    evaluate_knob(L, detected, best_key, &unused, 1);
    snprintf(f[nf].knob, sizeof f[nf].knob, "%s", best_key);
    snprintf(f[nf].from, sizeof f[nf].from, "%s", from);
    snprintf(f[nf].to, sizeof f[nf].to, "%s", best_val);
    f[nf].explains = best_gain;
    nf++;
  }
  /* then requests the target did not honour (cvt rounding / overflow), then the dot model */
  nf = detect_params(L, detected, f, nf, maxf);
  return detect_dot_model(L, f, nf, maxf);
}

/* Which single finding explains failing case c of suite r (-1: only their combination). */
int run_explaining_finding(const suite_run *r, size_t c, const mx_profile *base, const finding *f, int nf) {
  uint64_t exp[1 + MX_BLOCK_MAX];
  for (int q = 0; q < nf; q++) {
    vec_suite s = r->s;
    mx_profile p = *base;
    if (!strcmp(f[q].knob, "dot_model")) {
      const mx_dot_preset *pr = mx_dot_preset_find(f[q].to);
      int ok;
      if (s.op != OP_DOT || !pr) continue;
      uint64_t e = dot_under_model(&s, s.in + c * s.nin, &pr->model, &ok);
      size_t dc = 0;
      if (ok && expect_equal(&s, &e, r->actual + c, &dc)) return q;
      continue;
    }
    if (!strncmp(f[q].knob, "cvt ", 4)) { /* a request the target did not honour */
      if (s.op != OP_CVT) continue;
      int overflow = !strncmp(f[q].knob + 4, "overflow", 8);
      const char *const *names = overflow ? mx_overflow_names : mx_round_names;
      if (strcmp(names[overflow ? (int)s.overflow : (int)s.round], f[q].from)) continue;
      int v = mx_name_index(names, f[q].to);
      if (v < 0) continue;
      if (overflow) s.overflow = (mx_overflow)v; else s.round = (mx_round)v;
    } else if (mx_profile_set(&p, f[q].knob, f[q].to)) {
      continue;
    }
    expect_case(&s, &p, s.in + c * s.nin, s.rnd[c], exp);
    size_t dc = 0;
    if (expect_equal(&s, exp, r->actual + c * s.nout, &dc)) return q;
  }
  return -1;
}

/* The one-line profile summary of the terminal and of detected_profile.summary. */
static void summarize(const mx_profile *profile, const run_totals *t, run_detection *d) {
  char *summary = d->summary;
  size_t len = sizeof d->summary;
  if (d->failed_before) {
    size_t o = (size_t)snprintf(summary, len, "%s %s", d->n ? "matches" : "does not match", profile->name);
    if (d->n) {
      o += (size_t)snprintf(summary + o, len - o, " except:");
      for (int i = 0; i < d->n && o < len - 80; i++)
        o += (size_t)snprintf(summary + o, len - o, "%s %s = %s", i ? ";" : "", d->f[i].knob, d->f[i].to);
    }
    if (d->failed_after && o < len - 80)
      snprintf(summary + o, len - o, "%s(%zu cases still differ under the detected profile)", d->n ? " " : "; ",
               d->failed_after);
  } else if (t->crash || t->timeout || t->protocol || t->flaky) {
    snprintf(summary, len, "matches %s on every answered case; the target crashed, timed out or broke the protocol",
             profile->name);
  } else {
    snprintf(summary, len, "matches %s", profile->name);
  }
}

void run_detect(suite_list *L, const mx_profile *profile, const run_totals *t, run_detection *d) {
  memset(d, 0, sizeof *d);
  d->detected = *profile;
  for (size_t i = 0; i < L->n; i++) d->failed_before += L->v[i].failed;
  if (d->failed_before) {
    /* keep the run-profile pass flags for the per-suite report */
    unsigned char **saved = calloc(L->n, sizeof *saved);
    for (size_t i = 0; i < L->n; i++) {
      saved[i] = malloc(L->v[i].s.ncases + 1);
      memcpy(saved[i], L->v[i].ok, L->v[i].s.ncases + 1);
    }
    d->n = detect_profile(L, profile, &d->detected, d->f, RUN_MAX_FINDINGS);
    /* after detection, L->v[].ok holds the pass flags under the detected profile */
    for (size_t i = 0; i < L->n; i++) {
      for (size_t c = 0; c < L->v[i].s.ncases; c++) {
        d->failed_after += L->v[i].st[c] == T_OK && !L->v[i].ok[c];
        /* stash: bit 1 = passes under detected profile, bit 0 = under the run profile */
        L->v[i].ok[c] = (unsigned char)(saved[i][c] | (L->v[i].ok[c] << 1));
      }
      free(saved[i]);
    }
    free(saved);
  } else {
    for (size_t i = 0; i < L->n; i++)
      for (size_t c = 0; c < L->v[i].s.ncases; c++) L->v[i].ok[c] = (unsigned char)(L->v[i].ok[c] * 3);
  }
  summarize(profile, t, d);
}
