/* run's profile detection: which knob values, unhonoured requests (cvt round/overflow) and
 * dot accumulation model explain the failures (run.h). Expected values always come from
 * libmxref / the oracle under the candidate; the target's answers are only compared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "probe.h"
#include "mxconform/dot.h"
#include "mxconform/mxref.h"
#include "run.h"

int run_op_depends(vec_op op, const char *knob) {
  for (const char *const *k = vec_op_knobs(op); *k; k++)
    if (!strcmp(*k, knob)) return 1;
  return op == OP_CVT && mx_knob_find(knob) && strcmp(knob, "round") && strcmp(knob, "overflow");
}

void run_finding_text(const finding *f, char *buf, size_t len) {
  snprintf(buf, len, "%s = %s%s%s", f->knob, f->to, f->when[0] ? " when " : "", f->when);
}

/* Switching one knob to the values of profile `cand`: over every suite whose op depends on
 * the knob, the cases that would newly pass (returned) and newly fail (*broken). With
 * apply, the pass flags are updated to the new expectations. */
static size_t evaluate_knob(suite_list *L, const mx_profile *cand, const char *knob, size_t *broken, int apply) {
  size_t gained = 0, lost = 0;
  uint64_t exp[1 + MX_BLOCK_MAX];
  for (size_t i = 0; i < L->n; i++) {
    suite_run *r = &L->v[i];
    vec_suite *s = &r->s;
    if (!run_op_depends(s->op, knob)) continue;
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

/* 1 when case c of suite r passes under profile p. */
static int passes_under(const suite_run *r, const mx_profile *p, size_t c) {
  uint64_t exp[1 + MX_BLOCK_MAX];
  size_t dc = 0;
  expect_case(&r->s, p, r->s.in + c * r->s.nin, r->s.rnd[c], exp);
  return expect_equal(&r->s, exp, r->actual + c * r->s.nout, &dc);
}

/* evaluate_knob's gained - broken, looked at only as far as it can still beat `floor`: the
 * failing cases first (few), the passing ones (many) only when the gain is above the floor,
 * stopping once the breaks bring it down to it. Returns a value <= floor when it cannot. */
static long knob_net_above(suite_list *L, const mx_profile *cand, const char *knob, long floor, size_t *gained) {
  size_t gain = 0, lost = 0;
  for (size_t i = 0; i < L->n; i++) /* the failing cases: what the value explains */
    if (run_op_depends(L->v[i].s.op, knob))
      for (size_t c = 0; c < L->v[i].s.ncases; c++)
        if (L->v[i].st[c] == T_OK && !L->v[i].ok[c]) gain += (size_t)passes_under(&L->v[i], cand, c);
  *gained = gain;
  if ((long)gain <= floor) return floor;
  for (size_t i = 0; i < L->n; i++) /* the passing ones: what it breaks */
    if (run_op_depends(L->v[i].s.op, knob))
      for (size_t c = 0; c < L->v[i].s.ncases; c++)
        if (L->v[i].st[c] == T_OK && L->v[i].ok[c] && !passes_under(&L->v[i], cand, c) &&
            (long)gain - (long)++lost <= floor)
          return floor;
  return (long)gain - (long)lost;
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

/* Over every answered dot case: how many that fail now would pass under model m (*gained)
 * and how many that pass would fail (*lost). */
static void dot_model_score(const suite_list *L, const mx_dot_model *m, size_t *gained, size_t *lost) {
  *gained = *lost = 0;
  for (size_t i = 0; i < L->n; i++) {
    const suite_run *r = &L->v[i];
    if (r->s.op != OP_DOT) continue;
    for (size_t c = 0; c < r->s.ncases; c++) {
      if (r->st[c] != T_OK) continue;
      int ok;
      uint64_t e = dot_under_model(&r->s, r->s.in + c * r->s.nin, m, &ok);
      size_t dc = 0;
      int now = ok && expect_equal(&r->s, &e, r->actual + c, &dc);
      *gained += now && !r->ok[c];
      *lost += !now && r->ok[c];
    }
  }
}

/* The answered dot cases as probe cases, with the target's results: what `probe dot`
 * fits, here from the suites' answers (no extra request to the target). Cases wider than a
 * probe case (more blocks than PROBE_NB) are left out of the fit, not out of the check. */
static size_t dot_cases_as_probes(const suite_list *L, probe_case **pcs, uint32_t **got) {
  size_t n = 0, cap = 256;
  *pcs = malloc(cap * sizeof **pcs);
  *got = malloc(cap * sizeof **got);
  for (size_t i = 0; i < L->n; i++) {
    const suite_run *r = &L->v[i];
    const vec_suite *s = &r->s;
    if (s->op != OP_DOT || s->nblocks > PROBE_NB || s->k > PROBE_K) continue;
    for (size_t c = 0; c < s->ncases; c++) {
      if (r->st[c] != T_OK) continue;
      if (n == cap) {
        cap *= 2;
        *pcs = realloc(*pcs, cap * sizeof **pcs);
        *got = realloc(*got, cap * sizeof **got);
      }
      probe_case *pc = &(*pcs)[n];
      memset(pc, 0, sizeof *pc);
      const uint64_t *in = s->in + c * s->nin;
      size_t nb = s->nblocks, k = s->k, o = 0;
      pc->fa = s->bfmt;
      pc->fb = s->bfmt_b;
      pc->n = (unsigned)nb;
      pc->k = (unsigned)k;
      for (size_t j = 0; j < nb; j++) pc->sa[j] = (uint8_t)in[o++];
      for (size_t j = 0; j < nb * k; j++) pc->ca[j] = (uint8_t)in[o++];
      for (size_t j = 0; j < nb; j++) pc->sb[j] = (uint8_t)in[o++];
      for (size_t j = 0; j < nb * k; j++) pc->cb[j] = (uint8_t)in[o++];
      pc->has_c = in[o] != 0;
      pc->c = (uint32_t)in[o + 1];
      pc->family = PROBE_FAM_RANDOM;
      (*got)[n++] = (uint32_t)r->actual[c];
    }
  }
  return n;
}

/* "nearest-preset with p=v ...": the parameters of m that differ from the preset's. */
static void dot_model_name(const mx_dot_model *m, const char *nearest, char *out, size_t len) {
  const mx_dot_preset *p = mx_dot_preset_find(nearest);
  char mt[512], pt[512];
  probe_model_text(m, mt, sizeof mt);
  probe_model_text(&p->model, pt, sizeof pt);
  size_t o = (size_t)snprintf(out, len, "%s", nearest);
  int first = 1;
  char *save = NULL;
  for (char *tok = strtok_r(mt, " ", &save); tok && o + 2 < len; tok = strtok_r(NULL, " ", &save)) {
    char pat[96];
    snprintf(pat, sizeof pat, " %s ", tok);
    char padded[520];
    snprintf(padded, sizeof padded, " %s ", pt);
    if (strstr(padded, pat)) continue; /* same as the preset */
    o += (size_t)snprintf(out + o, len - o, "%s%s", first ? " with " : ",", tok);
    first = 0;
  }
}

static int dot_finding(suite_list *L, finding *f, const mx_dot_model *m, const char *name, size_t gained) {
  for (size_t i = 0; i < L->n; i++)
    if (L->v[i].s.op == OP_DOT)
      for (size_t c = 0; c < L->v[i].s.ncases; c++)
        if (L->v[i].st[c] == T_OK) L->v[i].ok[c] = 1;
  snprintf(f->knob, sizeof f->knob, "dot_model");
  snprintf(f->from, sizeof f->from, "exact-rne");
  snprintf(f->to, sizeof f->to, "%s", name);
  f->explains = gained;
  f->is_dot = 1;
  f->dot = *m;
  return 1;
}

/* Dot suites: which accumulation model reproduces the target's answers (the spec leaves
 * internal precision and order implementation-defined, MX §6.1/§6.2). First the presets;
 * then every parameter `probe dot` fits (harness/probe.c), fitted to the suites' answers,
 * so that e.g. an RTZ final rounding or a flushed result is named, not "unexplained". A
 * model is named only when it explains every failing dot case and breaks no passing one. */
static int detect_dot_model(suite_list *L, finding *f, int nf, int maxf) {
  size_t fails = 0, gained, lost;
  for (size_t i = 0; i < L->n; i++)
    if (L->v[i].s.op == OP_DOT)
      for (size_t c = 0; c < L->v[i].s.ncases; c++) fails += L->v[i].st[c] == T_OK && !L->v[i].ok[c];
  if (!fails || nf >= maxf) return nf;
  for (const mx_dot_preset *pr = mx_dot_presets; pr->name; pr++) {
    dot_model_score(L, &pr->model, &gained, &lost);
    if (gained == fails && lost == 0) return nf + dot_finding(L, &f[nf], &pr->model, pr->name, gained);
  }
  probe_case *pcs;
  uint32_t *got;
  size_t n = dot_cases_as_probes(L, &pcs, &got);
  /* The fit's local search is linear in the cases and, where no model fits (a blocked BLAS
   * order), tries every start: on thousands of cases that took an hour. A model that fits all
   * cases fits every subset, so search on an evenly spaced sample and let dot_model_score
   * below judge the model found on every case. */
  const size_t sample = 256;
  if (n > sample) {
    for (size_t i = 0; i < sample; i++) {
      pcs[i] = pcs[i * n / sample];
      got[i] = got[i * n / sample];
    }
    n = sample;
  }
  probe_fit fit;
  if (n) probe_fit_answers(pcs, got, n, 0, &fit);
  free(pcs);
  free(got);
  if (!n || fit.agree != fit.probes) return nf;
  dot_model_score(L, &fit.model, &gained, &lost);
  if (gained != fails || lost != 0) return nf;
  char name[160];
  dot_model_name(&fit.model, fit.nearest ? fit.nearest : "exact-rne", name, sizeof name);
  return nf + dot_finding(L, &f[nf], &fit.model, name, gained);
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
      for (size_t i = 0; i < L->n && !relevant; i++)
        relevant = L->v[i].failed && run_op_depends(L->v[i].s.op, *k);
      if (!relevant) continue;
      char vals[512], cur[64];
      if (!mx_profile_key_values(*k, vals, sizeof vals)) continue;
      const char *curv = mx_profile_get(detected, *k, cur, sizeof cur);
      char *save = NULL;
      for (char *v = strtok_r(vals, " ", &save); v; v = strtok_r(NULL, " ", &save)) {
        if (curv && !strcmp(v, curv)) continue;
        mx_profile cand = *detected;
        if (mx_profile_set(&cand, *k, v)) continue;
        size_t gain;
        long net = knob_net_above(L, &cand, *k, best_net, &gain);
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
  /* then requests the target did not honour (cvt rounding / overflow), then values that
   * depend on the request (run_detect_rules.c), then the dot model */
  nf = detect_params(L, detected, f, nf, maxf);
  nf = run_detect_rules(L, base, detected, f, nf, maxf);
  int n = detect_dot_model(L, f, nf, maxf);
  if (n > nf && f[nf].is_dot) mx_profile_set_dot_model(detected, &f[nf].dot); /* a `dot` line of --write-profile */
  return n;
}

/* Which single finding explains failing case c of suite r (-1: only their combination). */
int run_explaining_finding(const suite_run *r, size_t c, const mx_profile *base, const finding *f, int nf) {
  uint64_t exp[1 + MX_BLOCK_MAX];
  for (int q = 0; q < nf; q++) {
    vec_suite s = r->s;
    mx_profile p = *base;
    if (f[q].is_dot) {
      int ok;
      if (s.op != OP_DOT) continue;
      uint64_t e = dot_under_model(&s, s.in + c * s.nin, &f[q].dot, &ok);
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
    } else if (f[q].when[0] ? mx_profile_add_rule(&p, f[q].knob, f[q].to, f[q].when, NULL, 0)
                            : mx_profile_set(&p, f[q].knob, f[q].to)) {
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
      for (int i = 0; i < d->n && o + 330 < len; i++) {
        char text[320];
        run_finding_text(&d->f[i], text, sizeof text);
        o += (size_t)snprintf(summary + o, len - o, "%s %s", i ? ";" : "", text);
      }
    }
    if (d->failed_after && o < len - 80)
      snprintf(summary + o, len - o, "%s(%zu cases still differ under the detected profile)", d->n ? " " : "; ",
               d->failed_after);
  } else if (t->crash || t->timeout || t->protocol || t->flaky) {
    snprintf(summary, len, "matches %s on every answered case; the target crashed, timed out or broke the protocol",
             profile->name);
  } else if (t->unobserved) { /* never "matches": those results were not seen */
    snprintf(summary, len, "matches %s on every observed case; %zu results not observable by the target", profile->name,
             t->unobserved);
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
