/* run's detection, second half: conditional knob values (profile.h "conditional knob
 * values"). Real libraries choose some knobs by the request: ml_dtypes turns E8M0 zero into
 * NaN under ovf only, CUDA's f64 entry point keeps a NaN's sign where its float ones do not.
 * One value per knob cannot explain that evidence; a value per condition can.
 *
 * After the unconditional values (run_detect.c), for every knob with failing cases: each
 * value the knob can take, under each condition present in the suites, scored on the suites
 * the condition matches only: the failing cases it explains, provided it breaks none of their
 * passing ones and they come from two requests at least (thin evidence, below), one of them a
 * conversion where the condition names round or overflow. Conditions
 * are one dimension and one value (overflow=ovf, src=f64), then, when they gain more, one
 * value in each of two dimensions of k_pairs (src=f16 dst=e5m2: ml_dtypes keeps a NaN's
 * payload where source and destination share an exponent width). The best
 * becomes a rule; repeat while something gains. Then each knob's rules are written in their
 * simplest form: when they are all on one dimension, the plain value is the one most values
 * of the dimension take (ties: the one its first value takes, so sat and rne keep the plain
 * value), one rule per other value; a knob's single two-dimension rule stays as found. Any
 * other mix is one code path's behaviour, not a choice, and is dropped (see simplify_all). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "mxconform/knobs.h"
#include "run.h"

/* The condition dimensions, in the order of mx_knob_context and of the profile text. */
enum { DIM_OP, DIM_SRC, DIM_DST, DIM_ROUND, DIM_OVERFLOW, NDIMS };
static const char *const k_dim_names[NDIMS] = {"op", "src", "dst", "round", "overflow"};

static const char *dim_value_name(int d, unsigned v) {
  switch (d) {
  case DIM_OP: return mx_op_kind_names[v];
  case DIM_ROUND: return mx_round_names[v];
  case DIM_OVERFLOW: return mx_overflow_names[v];
  default: return mx_format((mx_fmt)v)->name;
  }
}

int run_suite_context(const vec_suite *s, const mx_profile *p, mx_knob_context *c) {
  if (s->op == OP_CVT) {
    *c = (mx_knob_context){MX_OPK_CVT, s->src, s->dst, s->round, s->overflow};
    return 1;
  }
  if (s->op == OP_QUANTIZE) { /* as mx_profile_block_opts sees it: the profile's round and overflow */
    *c = (mx_knob_context){MX_OPK_QUANTIZE, s->src, mx_block_element(s->bfmt), p->o.elem.round, p->o.elem.overflow};
    return 1;
  }
  return 0;
}

/* What the search knows of one suite for the knob and value under test. */
typedef struct rsuite {
  int usable;          /* answered cases, an op that takes rules and depends on the knob */
  unsigned dim[NDIMS]; /* the request's value in each dimension */
  size_t gained;       /* failing cases that pass with the knob at the value */
  int lost;            /* -1 not looked at; 0 no passing case breaks; 1 one does */
} rsuite;

/* A condition the search proposes: one value in dimension d[0], and in d[1] unless it is -1. */
typedef struct rule_cond {
  int d[2];
  unsigned dv[2];
} rule_cond;

typedef struct rule_pick {
  int knob;
  unsigned value;
  rule_cond when;
  size_t gained;
} rule_pick;

/* The pairs of dimensions a two-dimension condition may use. A library picks a conversion
 * routine by its source and destination, and a routine's behaviour by rounding and overflow;
 * a condition on `op` and something else describes one code path's departure from the
 * library's own choice, which is what a bug looks like, so no pair holds `op`. */
static const int k_pairs[][2] = {
    {DIM_SRC, DIM_DST}, {DIM_SRC, DIM_OVERFLOW}, {DIM_DST, DIM_OVERFLOW},
    {DIM_SRC, DIM_ROUND}, {DIM_DST, DIM_ROUND}, {DIM_ROUND, DIM_OVERFLOW},
};
#define NPAIRS (sizeof k_pairs / sizeof k_pairs[0])

static int cond_holds(const rule_cond *w, const rsuite *r) {
  return r->usable && r->dim[w->d[0]] == w->dv[0] && (w->d[1] < 0 || r->dim[w->d[1]] == w->dv[1]);
}

static int case_passes(const vec_suite *s, const mx_profile *p, const uint64_t *actual, size_t c) {
  uint64_t exp[1 + MX_BLOCK_MAX];
  size_t dc = 0;
  expect_case(s, p, s->in + c * s->nin, s->rnd[c], exp);
  return expect_equal(s, exp, actual + c * s->nout, &dc);
}

/* Per suite: failing cases that pass under cand (cand = the knob at one value everywhere: on
 * the suites a rule's condition matches, the same as the rule). Returns the total. */
static size_t tally_gains(suite_list *L, const mx_profile *cand, rsuite *rs) {
  size_t total = 0;
  for (size_t i = 0; i < L->n; i++) {
    rs[i].gained = 0;
    rs[i].lost = -1;
    if (!rs[i].usable) continue; /* not r->failed: the plain values may have broken cases that passed */
    const suite_run *r = &L->v[i];
    for (size_t c = 0; c < r->s.ncases; c++)
      if (r->st[c] == T_OK && !r->ok[c]) rs[i].gained += (size_t)case_passes(&r->s, cand, r->actual, c);
    total += rs[i].gained;
  }
  return total;
}

/* Does cand break a passing case of suite i? Looked at once per candidate, stops at the first. */
static int suite_loses(suite_list *L, const mx_profile *cand, rsuite *rs, size_t i) {
  if (rs[i].lost < 0) {
    const suite_run *r = &L->v[i];
    rs[i].lost = 0;
    for (size_t c = 0; c < r->s.ncases && !rs[i].lost; c++)
      if (r->st[c] == T_OK && r->ok[c]) rs[i].lost = !case_passes(&r->s, cand, r->actual, c);
  }
  return rs[i].lost;
}

/* Condition w (on d0, and d1 unless -1) as suite i holds it. */
static rule_cond cond_of_suite(const rsuite *r, int d0, int d1) {
  return (rule_cond){{d0, d1}, {r->dim[d0], d1 < 0 ? 0 : r->dim[d1]}};
}

/* Thin evidence: a condition says which dimensions of the request a library's choice
 * follows. Gains from one request (one op, src, dst, round and overflow; several suites can
 * share it, e.g. quantize under each scale rule) cannot show that: they fit the condition
 * naming all of that request's dimensions as well as the one or two found, and whether
 * another request that also meets the condition behaves the same is not known. So a rule
 * needs gains from at least two requests that meet it, which then differ in a dimension the
 * condition leaves open: the value holds beyond one request at least once. ONNX Runtime's
 * bf16 path loses a NaN's sign into E4M3 under ovf, and cvt.bf16.e4m3.rne.ovf is the only
 * request of src=bf16 overflow=ovf where it shows a NaN's sign: that path's bug, not a choice
 * (spec_notes/profiles.md "Conditional values"; mutant nan_sign_lost_on_one_request). */
static int same_request(const rsuite *a, const rsuite *b) { return !memcmp(a->dim, b->dim, sizeof a->dim); }

/* Does a suite after `first` (the first that holds w and gains) that holds w gain on another
 * request? */
static int gains_on_two_requests(const rsuite *rs, size_t n, const rule_cond *w, size_t first) {
  for (size_t j = first + 1; j < n; j++)
    if (rs[j].gained && cond_holds(w, &rs[j]) && !same_request(&rs[first], &rs[j])) return 1;
  return 0;
}

/* A quantize suite's round and overflow are the profile's (run_suite_context), not the
 * request's: a condition on round or overflow whose gains are all on quantize suites says
 * op=quantize in disguise (f16 subnormals flushed in quantize only, read on the smoke tier as
 * "src=f16 round=rne" because its f16 conversions are rup and sr), which k_pairs keeps out.
 * Such a condition needs gains on a conversion, whose round and overflow the request chose. */
static int round_or_overflow_asked(const rsuite *rs, size_t n, const rule_cond *w) {
  int on_choice = 0;
  for (int k = 0; k < 2; k++) on_choice |= w->d[k] == DIM_ROUND || w->d[k] == DIM_OVERFLOW;
  for (size_t j = 0; j < n && on_choice; j++)
    if (rs[j].gained && cond_holds(w, &rs[j]) && rs[j].dim[DIM_OP] == MX_OPK_CVT) return 1;
  return !on_choice;
}

/* Try every condition on dimensions d0 (and d1) that a suite with gains holds: the most
 * gained among those that gain on two requests (on a conversion where they name round or
 * overflow) and break nothing, if more than pick->gained, goes into *pick. */
static void try_conditions(suite_list *L, const mx_profile *cand, rsuite *rs, int d0, int d1, rule_pick *pick) {
  for (size_t i = 0; i < L->n; i++) {
    if (!rs[i].gained) continue;
    rule_cond w = cond_of_suite(&rs[i], d0, d1);
    int seen = 0; /* each condition once: at its first suite with gains */
    for (size_t j = 0; j < i && !seen; j++) seen = rs[j].gained && cond_holds(&w, &rs[j]);
    if (seen) continue;
    size_t gained = 0;
    for (size_t j = i; j < L->n; j++) gained += cond_holds(&w, &rs[j]) ? rs[j].gained : 0;
    if (gained <= pick->gained || !gains_on_two_requests(rs, L->n, &w, i) || !round_or_overflow_asked(rs, L->n, &w))
      continue;
    int lost = 0;
    for (size_t j = 0; j < L->n && !lost; j++)
      if (cond_holds(&w, &rs[j])) lost = suite_loses(L, cand, rs, j);
    if (!lost) pick->when = w, pick->gained = gained;
  }
}

/* The best condition for knob k at value v (see the top): one dimension first, so a pair
 * wins only by gaining more. */
static void best_condition(suite_list *L, const mx_profile *cand, rsuite *rs, int k, unsigned v, rule_pick *pick) {
  rule_pick mine = {k, v, {{-1, -1}, {0, 0}}, pick->gained};
  for (int d = 0; d < NDIMS; d++) try_conditions(L, cand, rs, d, -1, &mine);
  for (size_t q = 0; q < NPAIRS; q++) try_conditions(L, cand, rs, k_pairs[q][0], k_pairs[q][1], &mine);
  if (mine.gained > pick->gained) *pick = mine;
}

static int is_rule_knob(const mx_knob *k) {
  return !k->is_number && strcmp(k->name, "round") && strcmp(k->name, "overflow");
}

/* Which suites the search may use for knob k under profile p. */
static void mark_usable(suite_list *L, const mx_profile *p, const mx_knob *k, rsuite *rs) {
  for (size_t i = 0; i < L->n; i++) {
    mx_knob_context c;
    rs[i].usable = run_suite_context(&L->v[i].s, p, &c) && run_op_depends(L->v[i].s.op, k->name);
    if (!rs[i].usable) continue;
    unsigned dims[NDIMS] = {(unsigned)c.op, (unsigned)c.src, (unsigned)c.dst, (unsigned)c.round, (unsigned)c.overflow};
    memcpy(rs[i].dim, dims, sizeof dims);
  }
}

/* One round of the search: the best rule over every knob and value (pick->gained 0: none). */
static void search_rule(suite_list *L, const mx_profile *detected, rsuite *rs, rule_pick *pick) {
  pick->gained = 0;
  for (int k = 0; mx_knob_table[k].name; k++) {
    const mx_knob *kn = &mx_knob_table[k];
    if (!is_rule_knob(kn)) continue;
    mark_usable(L, detected, kn, rs);
    for (unsigned v = 0; kn->values[v]; v++) {
      mx_profile cand = *detected;
      if (mx_profile_set(&cand, kn->name, kn->values[v])) continue;
      if (tally_gains(L, &cand, rs) > pick->gained) best_condition(L, &cand, rs, k, v, pick);
    }
  }
}

static void cond_text(const rule_cond *w, char *buf, size_t len) {
  int o = snprintf(buf, len, "%s=%s", k_dim_names[w->d[0]], dim_value_name(w->d[0], w->dv[0]));
  if (w->d[1] >= 0 && o > 0 && (size_t)o < len)
    snprintf(buf + o, len - (size_t)o, " %s=%s", k_dim_names[w->d[1]], dim_value_name(w->d[1], w->dv[1]));
}

/* Pass flags of every usable suite re-evaluated under p (after a rule was added). */
static void refresh_flags(suite_list *L, const mx_profile *p, const rsuite *rs) {
  for (size_t i = 0; i < L->n; i++) {
    if (!rs[i].usable) continue;
    suite_run *r = &L->v[i];
    for (size_t c = 0; c < r->s.ncases; c++)
      if (r->st[c] == T_OK) r->ok[c] = (unsigned char)case_passes(&r->s, p, r->actual, c);
  }
}

/* ---- the simplest form of one knob's rules -------------------------------------------- */

static unsigned *opts_field(mx_convert_opts *o, const mx_knob *k) { return (unsigned *)((char *)o + k->offset); }
static unsigned opts_value(const mx_convert_opts *o, const mx_knob *k) { return *(const unsigned *)((const char *)o + k->offset); }

/* The one dimension all of knob k's rules are on (each a single dimension), or -1. */
static int rules_dimension(const mx_profile *p, int k) {
  int dim = -1;
  for (int i = 0; i < p->nrules; i++) {
    if (p->rules[i].knob != k) continue;
    const mx_knob_cond *w = &p->rules[i].when;
    uint32_t m[NDIMS] = {w->op, w->src, w->dst, w->round, w->overflow};
    int here = -1, n = 0;
    for (int d = 0; d < NDIMS; d++)
      if (m[d]) here = d, n++;
    if (n != 1 || (dim >= 0 && dim != here)) return -1;
    dim = here;
  }
  return dim;
}

static uint32_t cond_mask(const mx_knob_cond *w, int d) {
  uint32_t m[NDIMS] = {w->op, w->src, w->dst, w->round, w->overflow};
  return m[d];
}

/* Rewrite knob k's rules on dimension d (dimension values `present`, a mask, those the
 * suites hold) as: plain = the value most present values take (ties: the lowest present
 * value's), one rule per other value listing its dimension values. Same knob values for every
 * present dimension value. */
static void simplify_knob(mx_profile *p, int k, int d, uint32_t present) {
  const mx_knob *kn = &mx_knob_table[k];
  unsigned eff[32], count[32] = {0}, nvals = 0;
  if (!present) return;
  while (kn->values[nvals]) nvals++;
  for (unsigned v = 0; v < 32; v++) {
    if (!((present >> v) & 1u)) continue;
    eff[v] = opts_value(&p->o.elem, kn);
    for (int i = 0; i < p->nrules; i++)
      if (p->rules[i].knob == k && (cond_mask(&p->rules[i].when, d) >> v) & 1u) eff[v] = p->rules[i].value;
    count[eff[v]]++;
  }
  unsigned plain = 0, first = 1;
  for (unsigned v = 0; v < 32; v++)
    if ((present >> v) & 1u) {
      if (first || count[eff[v]] > count[plain]) plain = eff[v];
      first = 0;
    }
  mx_profile_set(p, kn->name, kn->values[plain]); /* drops k's rules */
  for (unsigned val = 0; val < nvals; val++) {
    if (val == plain || !count[val]) continue;
    char when[256];
    size_t o = (size_t)snprintf(when, sizeof when, "%s=", k_dim_names[d]);
    for (unsigned v = 0; v < 32 && o < sizeof when; v++)
      if ((present >> v) & 1u && eff[v] == val)
        o += (size_t)snprintf(when + o, sizeof when - o, "%s%s", when[o - 1] == '=' ? "" : ",", dim_value_name(d, v));
    mx_profile_add_rule(p, kn->name, kn->values[val], when, NULL, 0);
  }
}

/* Cases of the usable suites that pass under `with` and fail under `without`. */
static size_t needed_by(suite_list *L, const rsuite *rs, const mx_profile *without) {
  size_t n = 0;
  for (size_t i = 0; i < L->n; i++) {
    if (!rs[i].usable) continue;
    const suite_run *r = &L->v[i];
    for (size_t c = 0; c < r->s.ncases; c++)
      if (r->st[c] == T_OK && r->ok[c]) n += !case_passes(&r->s, without, r->actual, c);
  }
  return n;
}

/* Knob k's findings, rebuilt from p after simplify_knob: the plain value where it differs from
 * the run profile's, then a finding per rule; each explains the cases that fail without it. */
static int knob_findings(suite_list *L, const rsuite *rs, const mx_profile *base, const mx_profile *p, int k,
                         finding *f, int nf, int maxf) {
  const mx_knob *kn = &mx_knob_table[k];
  int w = 0;
  for (int q = 0; q < nf; q++) /* drop the knob's earlier findings */
    if (strcmp(f[q].knob, kn->name)) f[w++] = f[q];
  nf = w;
  char bv[64], pv[64];
  const char *from = mx_profile_get(base, kn->name, bv, sizeof bv), *plain = mx_profile_get(p, kn->name, pv, sizeof pv);
  if (strcmp(from, plain) && nf < maxf) {
    mx_profile without = *p;
    *opts_field(&without.o.elem, kn) = opts_value(&base->o.elem, kn);
    f[nf] = (finding){.explains = needed_by(L, rs, &without)};
    snprintf(f[nf].knob, sizeof f[nf].knob, "%s", kn->name);
    snprintf(f[nf].from, sizeof f[nf].from, "%s", from);
    snprintf(f[nf].to, sizeof f[nf].to, "%s", plain);
    nf++;
  }
  for (int i = 0; i < p->nrules && nf < maxf; i++) {
    if (p->rules[i].knob != k) continue;
    mx_profile without = *p;
    memmove(&without.rules[i], &without.rules[i + 1], (size_t)(p->nrules - i - 1) * sizeof *p->rules);
    without.nrules--;
    f[nf] = (finding){.explains = needed_by(L, rs, &without)};
    snprintf(f[nf].knob, sizeof f[nf].knob, "%s", kn->name);
    snprintf(f[nf].from, sizeof f[nf].from, "%s", plain);
    snprintf(f[nf].to, sizeof f[nf].to, "%s", kn->values[p->rules[i].value]);
    mx_knob_cond_format(&p->rules[i].when, f[nf].when, sizeof f[nf].when);
    nf++;
  }
  return nf;
}

/* Knob k as it was before the rules (`before`): its plain value back, its rules gone. */
static void drop_rules(mx_profile *p, int k, const mx_profile *before) {
  const mx_knob *kn = &mx_knob_table[k];
  *opts_field(&p->o.elem, kn) = opts_value(&before->o.elem, kn);
  int w = 0;
  for (int i = 0; i < p->nrules; i++)
    if (p->rules[i].knob != k) p->rules[w++] = p->rules[i];
  p->nrules = w;
}

/* The dimensions knob k's rules name, as a mask (bit d: dimension d). */
static unsigned rules_dims(const mx_profile *p, int k) {
  unsigned dims = 0;
  for (int i = 0; i < p->nrules; i++)
    for (int d = 0; d < NDIMS; d++)
      if (p->rules[i].knob == k && cond_mask(&p->rules[i].when, d)) dims |= 1u << d;
  return dims;
}

/* Every knob that got rules: its simplest form, and its findings. Rules on one dimension are
 * rewritten (simplify_knob); a single rule on two dimensions stays as found (ml_dtypes'
 * f16 -> E5M2 routine). Anything else describes one code path, not a choice a library makes
 * by the request: rules that need `op` and another dimension (src=f16 but not op=quantize:
 * flushing f16 subnormals in conversion only), or several two-dimension rules that patch
 * around one (bf16 subnormals flushed in conversion only, read as "src=bf16 overflow=ovf",
 * "src=bf16 round=rup", ... because quantize requests are rne and sat). Such a knob's rules
 * are dropped and those failures stay unexplained, as a bug's should. */
static int simplify_all(suite_list *L, const mx_profile *base, const mx_profile *before, mx_profile *detected,
                        rsuite *rs, finding *f, int nf, int maxf) {
  for (int k = 0; mx_knob_table[k].name; k++) {
    unsigned dims = rules_dims(detected, k);
    if (!dims) continue;
    mark_usable(L, detected, &mx_knob_table[k], rs);
    int d = rules_dimension(detected, k), n = 0;
    for (int i = 0; i < detected->nrules; i++) n += detected->rules[i].knob == k;
    if (d < 0 && (n > 1 || (dims & (1u << DIM_OP)))) {
      drop_rules(detected, k, before);
      refresh_flags(L, detected, rs);
      continue;
    }
    if (d >= 0) {
      uint32_t present = 0;
      for (size_t i = 0; i < L->n; i++)
        if (rs[i].usable && rs[i].dim[d] < 32) present |= 1u << rs[i].dim[d];
      simplify_knob(detected, k, d, present);
    }
    nf = knob_findings(L, rs, base, detected, k, f, nf, maxf);
  }
  return nf;
}

int run_detect_rules(suite_list *L, const mx_profile *base, mx_profile *detected, finding *f, int nf, int maxf) {
  rsuite *rs = calloc(L->n + 1, sizeof *rs);
  const mx_profile before = *detected;
  int added = 0;
  while (nf + added < maxf && detected->nrules < MX_PROFILE_MAX_RULES) {
    rule_pick pick;
    search_rule(L, detected, rs, &pick);
    if (!pick.gained) break;
    const mx_knob *kn = &mx_knob_table[pick.knob];
    char when[96];
    cond_text(&pick.when, when, sizeof when);
    if (mx_profile_add_rule(detected, kn->name, kn->values[pick.value], when, NULL, 0)) break;
    mark_usable(L, detected, kn, rs);
    refresh_flags(L, detected, rs);
    added++;
  }
  if (added) nf = simplify_all(L, base, &before, detected, rs, f, nf, maxf);
  free(rs);
  return nf;
}
