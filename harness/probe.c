/* Dot-product probes (harness/probe.h): feature-targeted DotGenerals in the style of
 * Fasi et al. 2021 and Khattak & Mikaitis 2025, and a fit of the model of
 * include/mxconform/dot.h to a black-box target's answers.
 *
 * Every probe has a predicted result under every candidate model (libmxref evaluates the
 * model), so a probe does not need a hand-written decision rule: a parameter is set to the
 * value whose predictions reproduce the target on the most probes. The families are built
 * so that each parameter has probes whose outcome hinges on it (spec_notes/dot.md
 * "Probes"); the fit is a coordinate ascent on the number of reproduced probes (the seven
 * two- and three-valued parameters jointly, then frac_bits, group and presum one at a
 * time), repeated until nothing changes. */
#include "probe.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mxconform/mxref.h"

const char *const probe_family_names[PROBE_FAM_COUNT] = {"subnormal", "window", "window-acc", "group",  "presum",
                                                         "round",     "c",      "scale",      "stepout", "interleave", "mixed"};

/* ---- element values and products ------------------------------------------------------ */

typedef struct prod_ent {
  double v;
  uint8_t a, b;
} prod_ent;

typedef struct fmt_pair {
  mx_block_fmt fa, fb;
  double va[256], vb[256];
  int na, nb;           /* number of codes */
  prod_ent *prods;      /* every finite product, sorted by value */
  size_t nprods;
  int lmax, lmin;       /* log2 of the largest / smallest positive power-of-two product */
  double fin_a[256];    /* finite codes of a (for random cases) */
} fmt_pair;

static double code_value(mx_block_fmt f, unsigned code) {
  uint64_t bits = mxref_decode_f64_bits(mx_block_element(f), code);
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

static int cmp_prod(const void *x, const void *y) {
  const prod_ent *p = x, *q = y;
  if (p->v != q->v) return p->v < q->v ? -1 : 1;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  return (p->b > q->b) - (p->b < q->b);
}

static void pair_init(fmt_pair *P, mx_block_fmt fa, mx_block_fmt fb) {
  memset(P, 0, sizeof *P);
  P->fa = fa;
  P->fb = fb;
  P->na = 1 << mx_format(mx_block_element(fa))->bits;
  P->nb = 1 << mx_format(mx_block_element(fb))->bits;
  for (int c = 0; c < P->na; c++) P->va[c] = code_value(fa, (unsigned)c);
  for (int c = 0; c < P->nb; c++) P->vb[c] = code_value(fb, (unsigned)c);
  P->prods = malloc(sizeof(prod_ent) * (size_t)P->na * (size_t)P->nb);
  if (!P->prods) abort();
  for (int a = 0; a < P->na; a++)
    for (int b = 0; b < P->nb; b++) {
      double x = P->va[a], y = P->vb[b];
      if (!isfinite(x) || !isfinite(y) || x == 0 || y == 0) continue;
      prod_ent e = {x * y, (uint8_t)a, (uint8_t)b}; /* exact: at most 2 x 18 significant bits */
      P->prods[P->nprods++] = e;
    }
  qsort(P->prods, P->nprods, sizeof(prod_ent), cmp_prod);
  P->lmax = -1000;
  P->lmin = 1000;
  for (size_t i = 0; i < P->nprods; i++) {
    double v = P->prods[i].v;
    int e;
    if (v > 0 && frexp(v, &e) == 0.5) {
      if (e - 1 > P->lmax) P->lmax = e - 1;
      if (e - 1 < P->lmin) P->lmin = e - 1;
    }
  }
}

static void pair_free(fmt_pair *P) { free(P->prods); }

/* codes (a, b) with a * b == v exactly; -1 when v is no product of the pair */
static int find_prod(const fmt_pair *P, double v, uint8_t *a, uint8_t *b) {
  if (v == 0) {
    *a = 0; /* +0 in every format */
    *b = 0;
    return 0;
  }
  size_t lo = 0, hi = P->nprods;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (P->prods[mid].v < v) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= P->nprods || P->prods[lo].v != v) return -1;
  *a = P->prods[lo].a;
  *b = P->prods[lo].b;
  return 0;
}

static int has_prod(const fmt_pair *P, double v) {
  uint8_t a, b;
  return find_prod(P, v, &a, &b) == 0;
}

/* ---- building cases -------------------------------------------------------------------- */

typedef struct builder {
  const fmt_pair *P;
  probe_case *v;
  size_t n, cap;
} builder;

static probe_case *new_case(builder *B, unsigned nblocks, int family) {
  if (B->n == B->cap) {
    B->cap = B->cap ? 2 * B->cap : 1024;
    B->v = realloc(B->v, B->cap * sizeof(probe_case));
    if (!B->v) abort();
  }
  probe_case *pc = &B->v[B->n];
  memset(pc, 0, sizeof *pc);
  pc->fa = B->P->fa;
  pc->fb = B->P->fb;
  pc->n = nblocks;
  pc->k = PROBE_K;
  pc->family = (uint8_t)family;
  for (unsigned j = 0; j < PROBE_NB; j++) pc->sa[j] = pc->sb[j] = 127;
  return pc;
}

/* Keep the case being built (new_case reserved it) only when ok. */
static void commit(builder *B, int ok) {
  if (ok) B->n++;
}

static int set_scale(probe_case *pc, unsigned j, int e) {
  if (e < -254 || e > 254) return -1;
  int ea = e / 2, eb = e - ea;
  pc->sa[j] = (uint8_t)(127 + ea);
  pc->sb[j] = (uint8_t)(127 + eb);
  return 0;
}

static int set_prod(const fmt_pair *P, probe_case *pc, unsigned j, unsigned i, double v) {
  uint8_t a, b;
  if (find_prod(P, v, &a, &b)) return -1;
  pc->ca[j * PROBE_K + i] = a;
  pc->cb[j * PROBE_K + i] = b;
  return 0;
}

/* A block holding the single value v (a product m * 2^e with m the first product mantissa
 * among 1, 1.5, 1.25, 1.75, 0.75 that the pair has); 0 on success. */
static int set_block_value(const fmt_pair *P, probe_case *pc, unsigned j, double v) {
  if (v == 0) return set_scale(pc, j, 0);
  int e;
  double m = frexp(fabs(v), &e); /* v = m * 2^e, m in [0.5, 1) */
  m *= 2;
  e -= 1; /* m in [1, 2) */
  double sgn = v < 0 ? -1 : 1;
  /* product p = m * 2^t with t near the middle of the pair's range */
  for (int t = 0; t <= P->lmax + 2; t = t > 0 ? -t : 1 - t) {
    double p = sgn * ldexp(m, t);
    if (t < P->lmin - 4 || t > P->lmax + 2) continue;
    if (has_prod(P, p) && set_scale(pc, j, e - t) == 0) return set_prod(P, pc, j, 0, p);
    if (t < -40) break;
  }
  return -1;
}

static uint32_t f32_bits(double v) {
  float f = (float)v;
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

static uint64_t rng_next(uint64_t *s) { /* splitmix64 */
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static unsigned rng_below(uint64_t *s, unsigned n) { return (unsigned)(rng_next(s) % n); }

/* ---- the families ----------------------------------------------------------------------- */

/* SUBNORMAL: results at 2^-140, 2^-149 and sums of products below the FP32 range. */
static void fam_subnormal(builder *B) {
  const fmt_pair *P = B->P;
  static const double vals[] = {0x1p-140, -0x1p-140, 0x1p-149, 0x1p-127, 0x1.8p-130};
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
    probe_case *pc = new_case(B, 1, PROBE_FAM_SUBNORMAL);
    commit(B, set_block_value(P, pc, 0, vals[i]) == 0);
  }
  for (int s = 0; s < 2; s++) { /* 32 products of 2^-150 each: only their sum is representable */
    probe_case *pc = new_case(B, 1, PROBE_FAM_SUBNORMAL);
    int ok = set_scale(pc, 0, -150) == 0;
    for (unsigned i = 0; i < PROBE_K && ok; i++) ok = set_prod(P, pc, 0, i, s ? -1.0 : 1.0) == 0;
    commit(B, ok);
  }
  { /* two blocks, each subnormal */
    probe_case *pc = new_case(B, 2, PROBE_FAM_SUBNORMAL);
    commit(B, set_block_value(P, pc, 0, 0x1p-140) == 0 && set_block_value(P, pc, 1, 0x1p-141) == 0);
  }
  { /* C subnormal, products zero */
    probe_case *pc = new_case(B, 1, PROBE_FAM_SUBNORMAL);
    pc->has_c = 1;
    pc->c = 0x00000200u;
    commit(B, 1);
  }
}

/* WINDOW: the largest power-of-two product T and tiny ones T * 2^-m in the same block;
 * how many tiny ones survive, and in which direction they are cut, gives frac_bits and
 * align when no wider term (the accumulator) is present. */
static void fam_window(builder *B) {
  const fmt_pair *P = B->P;
  double T = ldexp(1, P->lmax);
  int span = P->lmax - P->lmin;
  for (int m = 1; m <= span; m++) {
    double t = ldexp(T, -m);
    for (int var = 0; var < 7; var++) {
      probe_case *pc = new_case(B, 1, PROBE_FAM_WINDOW);
      int ok = set_scale(pc, 0, -P->lmax) == 0;
      double big = var == 4 ? -T : T, tiny = var == 1 || var == 3 ? -t : var == 5 ? 1.5 * t : t;
      unsigned ntiny = var == 2 || var == 3 ? 1 : PROBE_K - 1;
      if (var == 6) { /* tiny ones first, the big one last */
        ok = ok && set_prod(P, pc, 0, PROBE_K - 1, T) == 0;
        for (unsigned i = 0; i + 1 < PROBE_K && ok; i++) ok = set_prod(P, pc, 0, i, -t) == 0;
      } else {
        ok = ok && set_prod(P, pc, 0, 0, big) == 0;
        for (unsigned i = 1; i <= ntiny && ok; i++) ok = set_prod(P, pc, 0, i, tiny) == 0;
      }
      commit(B, ok);
    }
  }
}

/* WINDOW-ACC: an accumulator of 1 (C, or an earlier block) and 32 products of 2^-m (or one,
 * or 1.5 * 2^-m), m = 1 .. 64: a fused unit cuts them on the accumulator's grid. */
static void fam_window_acc(builder *B) {
  const fmt_pair *P = B->P;
  for (int m = 1; m <= 64; m++) {
    for (int var = 0; var < 9; var++) {
      int viac = var < 6 || var == 8;
      probe_case *pc = new_case(B, viac ? 1 : 2, PROBE_FAM_WINDOW_ACC);
      unsigned j = viac ? 0 : 1;
      double acc = var == 4 ? -1.0 : 1.0;
      double t = var == 1 || var == 3 || var == 7 ? -1.0 : var == 5 ? 1.5 : var == 8 ? -1.5 : 1.0;
      unsigned cnt = var == 2 || var == 3 || var == 5 || var == 8 ? 1 : PROBE_K;
      int ok = 1;
      if (viac) {
        pc->has_c = 1;
        pc->c = f32_bits(acc);
      } else {
        ok = set_block_value(P, pc, 0, acc) == 0;
      }
      /* products t * 2^q with q = the pair's nearest power, scale 2^(-m-q) */
      int q = P->lmin > 0 ? P->lmin : P->lmax < 0 ? P->lmax : 0;
      ok = ok && set_scale(pc, j, -m - q) == 0;
      for (unsigned i = 0; i < cnt && ok; i++) ok = set_prod(P, pc, j, i, ldexp(t, q)) == 0;
      commit(B, ok);
    }
  }
}

/* GROUP: a dominant product walked through positions 0..31 among tiny ones (Fasi test B,
 * anchors.md A7 test 5); and C = 2^24..2^26 followed by the first i products = 1, whose
 * FP32 accumulation rounds per step. */
static void fam_group(builder *B) {
  const fmt_pair *P = B->P;
  double T = ldexp(1, P->lmax);
  int span = P->lmax - P->lmin;
  static const int ms[] = {4, 8, 12, 16, 20, 24, 26, 30};
  for (size_t r = 0; r < sizeof ms / sizeof ms[0]; r++) {
    if (ms[r] > span) continue;
    for (unsigned p = 0; p < PROBE_K; p++) {
      probe_case *pc = new_case(B, 1, PROBE_FAM_GROUP);
      int ok = set_scale(pc, 0, -P->lmax) == 0;
      for (unsigned i = 0; i < PROBE_K && ok; i++) ok = set_prod(P, pc, 0, i, i == p ? T : ldexp(T, -ms[r])) == 0;
      commit(B, ok);
    }
  }
  for (int c = 24; c <= 26; c++)
    for (unsigned cnt = 1; cnt <= PROBE_K; cnt++) {
      probe_case *pc = new_case(B, 1, PROBE_FAM_GROUP);
      pc->has_c = 1;
      pc->c = f32_bits(ldexp(1, c));
      int q = P->lmin > 0 ? P->lmin : P->lmax < 0 ? P->lmax : 0;
      int ok = set_scale(pc, 0, -q) == 0;
      for (unsigned i = 0; i < cnt && ok; i++) ok = set_prod(P, pc, 0, i, ldexp(1, q)) == 0;
      commit(B, ok);
    }
}

/* PRESUM: products that cancel (T at 0, -T at d) among tiny ones: summed exactly before
 * alignment (same chunk) they leave the tiny ones whole; aligned separately they set the
 * grid. And C = 1 with the first i products 1.5 * 2^-m: chunk sums cross the grid. */
static void fam_presum(builder *B) {
  const fmt_pair *P = B->P;
  double T = ldexp(1, P->lmax);
  int span = P->lmax - P->lmin;
  int mlist[2] = {span < 20 ? span : 20, span};
  for (int r = 0; r < 2; r++) {
    if (r == 1 && mlist[1] == mlist[0]) break;
    for (unsigned d = 1; d < PROBE_K; d++)
      for (unsigned s = 0; s < 2; s++) { /* (0, d) and (d - 1, d) */
        unsigned p0 = s ? d - 1 : 0, p1 = d;
        if (s && d == 1) continue;
        probe_case *pc = new_case(B, 1, PROBE_FAM_PRESUM);
        int ok = set_scale(pc, 0, -P->lmax) == 0;
        for (unsigned i = 0; i < PROBE_K && ok; i++)
          ok = set_prod(P, pc, 0, i, i == p0 ? T : i == p1 ? -T : ldexp(T, -mlist[r])) == 0;
        commit(B, ok);
      }
  }
  static const int ms[] = {12, 20, 24, 26, 30, 34, 36, 40, 46};
  int q = P->lmin > 0 ? P->lmin : P->lmax < 0 ? P->lmax : 0;
  double u = has_prod(P, ldexp(1.5, q)) ? 1.5 : has_prod(P, ldexp(1.75, q)) ? 1.75 : 0;
  if (u == 0) return;
  for (size_t r = 0; r < sizeof ms / sizeof ms[0]; r++)
    for (unsigned cnt = 1; cnt <= PROBE_K; cnt++)
      for (int neg = 0; neg < 2; neg++) { /* negative: visible through a final truncation too */
        probe_case *pc = new_case(B, 1, PROBE_FAM_PRESUM);
        pc->has_c = 1;
        pc->c = f32_bits(1.0);
        int ok = set_scale(pc, 0, -ms[r] - q) == 0;
        for (unsigned i = 0; i < cnt && ok; i++) ok = set_prod(P, pc, 0, i, ldexp(neg ? -u : u, q)) == 0;
        commit(B, ok);
      }
}

/* ROUND: one value per block, so that only the FP32 accumulator and the final rounding act:
 * ties, 0.75 ulp, carries, overflow; every sequence also mirrored. */
static void fam_round(builder *B) {
  const fmt_pair *P = B->P;
  static const double seq[][5] = {
      /* count, values */
      {4, 1, 0x1p-24, 0x1p-24, 0x1p-24}, {2, 1, 0x1.8p-24, 0, 0},       {2, 1, 0x1.8p-25, 0, 0},
      {2, 1, -0x1p-25, 0, 0},            {2, 1, -0x1.8p-24, 0, 0},      {3, 1, 0x1p-23, 0x1p-24, 0},
      {3, 0x1p24, 1, 1, 0},              {4, 0x1p24, 1, 1, 1},          {4, 0x1p25, 1, 1, 1},
      {2, 1, 0x1p-24, 0, 0},             {2, 1.5, 0x1.8p-24, 0, 0},     {3, 1, 1, 0x1.8p-23, 0},
      {2, 1, 0x1.cp-24, 0, 0},           {2, 1, 0x1.4p-24, 0, 0},       {3, 0x1p-24, 0x1p-24, 1, 0},
      {2, 0x1.cp127, 0x1.cp127, 0, 0},   {2, 0x1p127, 0x1p127, 0, 0},   {2, 1, -0x1.8p-23, 0, 0},
      {3, 1, 0x1p-24, -0x1p-30, 0},      {2, 0x1.8p1, 0x1.8p-23, 0, 0},
      /* a rounding in a middle update (the last one goes to final_round) */
      {3, 1, 0x1.8p-24, 0, 0},           {4, 1, 0x1.8p-24, 0, 0},       {4, 1, 0x1p-23, 0x1p-24, 0},
      {3, 1, 0x1.4p-24, 0, 0},           {4, 0x1.cp127, 0x1.cp127, -0x1.cp127, 0}, {3, 1, -0x1p-25, 0, 0},
  };
  for (size_t s = 0; s < sizeof seq / sizeof seq[0]; s++)
    for (int neg = 0; neg < 2; neg++) {
      unsigned n = (unsigned)seq[s][0];
      probe_case *pc = new_case(B, n, PROBE_FAM_ROUND);
      int ok = 1;
      for (unsigned j = 0; j < n && ok; j++) ok = set_block_value(P, pc, j, neg ? -seq[s][1 + j] : seq[s][1 + j]) == 0;
      commit(B, ok);
    }
}

/* C: a C of 2^k with small blocks, and a tiny C beside blocks that cancel: whether C starts
 * the accumulator or is added last. */
static void fam_c(builder *B) {
  const fmt_pair *P = B->P;
  static const double seq[][5] = {
      /* C, count, values */
      {0x1p24, 2, 1, 1, 0},        {0x1p25, 3, 1, 1, 1},  {0x1p-30, 2, 1, -1, 0}, {0x1p-30, 3, 1, -1, 1},
      {1, 2, 0x1p-24, 0x1p-24, 0}, {1, 1, 0x1.8p-24, 0, 0}, {0x1.8p-24, 1, 1, 0, 0}, {0x1p24, 1, 1, 0, 0},
      {0x1p-60, 2, 0x1p20, -0x1p20, 0}, {-0x1p24, 2, -1, -1, 0},
  };
  for (size_t s = 0; s < sizeof seq / sizeof seq[0]; s++)
    for (int neg = 0; neg < 2; neg++) {
      unsigned n = (unsigned)seq[s][1];
      probe_case *pc = new_case(B, n, PROBE_FAM_C);
      pc->has_c = 1;
      pc->c = f32_bits(neg ? -seq[s][0] : seq[s][0]);
      int ok = 1;
      for (unsigned j = 0; j < n && ok; j++) ok = set_block_value(P, pc, j, neg ? -seq[s][2 + j] : seq[s][2 + j]) == 0;
      commit(B, ok);
    }
  /* C = 1 and a block worth 2^-24 + 2^-24-d: rounded on its own first (separate) it is a tie
   * that goes to even; added to C in one rounding (fused, exact) it rounds up */
  {
    double T = ldexp(1, P->lmax);
    int span = P->lmax - P->lmin;
    for (int d = 1; d <= span; d++)
      for (int neg = 0; neg < 2; neg++) {
        probe_case *pc = new_case(B, 1, PROBE_FAM_C);
        pc->has_c = 1;
        pc->c = f32_bits(neg ? -1.0 : 1.0);
        double sg = neg ? -1 : 1;
        int ok = set_scale(pc, 0, -24 - P->lmax) == 0 && set_prod(P, pc, 0, 0, sg * T) == 0 &&
                 set_prod(P, pc, 0, 1, sg * ldexp(T, -d)) == 0;
        commit(B, ok);
      }
  }
  /* one block with two products 1 after C = 2^24 (the per-step rounding inside one block) */
  for (int neg = 0; neg < 2; neg++) {
    probe_case *pc = new_case(B, 1, PROBE_FAM_C);
    pc->has_c = 1;
    pc->c = f32_bits(neg ? -0x1p24 : 0x1p24);
    int q = P->lmin > 0 ? P->lmin : P->lmax < 0 ? P->lmax : 0;
    int ok = set_scale(pc, 0, -q) == 0;
    for (unsigned i = 0; i < 2 && ok; i++) ok = set_prod(P, pc, 0, i, ldexp(neg ? -1 : 1, q)) == 0;
    commit(B, ok);
  }
}

/* SCALE: a step sum with more than 24 significant bits scaled into the subnormal range:
 * rounded once (scales in the products) or twice (FP32 step result, then scaled). */
static void fam_scale(builder *B) {
  const fmt_pair *P = B->P;
  double T = ldexp(1, P->lmax);
  static const int shapes[][4] = {{19, 20, 26, 0}, {19, 20, 26, 1}, {18, 19, 25, 0}, {20, 21, 27, 0}, {12, 13, 19, 0}};
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
    for (int at = -133; at <= -126; at++)
      for (int neg = 0; neg < 2; neg++) {
        probe_case *pc = new_case(B, 1, PROBE_FAM_SCALE);
        double sg = neg ? -1 : 1;
        int ok = set_scale(pc, 0, at - P->lmax) == 0;
        ok = ok && set_prod(P, pc, 0, 0, sg * T) == 0 && set_prod(P, pc, 0, 1, sg * ldexp(T, -shapes[s][0])) == 0 &&
             set_prod(P, pc, 0, 2, sg * ldexp(T, -shapes[s][1])) == 0 &&
             set_prod(P, pc, 0, 3, (shapes[s][3] ? sg : -sg) * ldexp(T, -shapes[s][2])) == 0;
        commit(B, ok);
      }
  /* random blocks of finite codes scaled so that the sum lands near 2^-135 .. 2^-126 */
  uint64_t rng = 0x5CA1E5EEDull;
  for (int r = 0; r < 64; r++) {
    probe_case *pc = new_case(B, 1, PROBE_FAM_SCALE);
    double sum = 0;
    for (unsigned i = 0; i < PROBE_K; i++) {
      unsigned a, b;
      do a = rng_below(&rng, (unsigned)P->na); while (!isfinite(P->va[a]));
      do b = rng_below(&rng, (unsigned)P->nb); while (!isfinite(P->vb[b]));
      pc->ca[i] = (uint8_t)a;
      pc->cb[i] = (uint8_t)b;
      sum += P->va[a] * P->vb[b];
    }
    int e = 0;
    if (sum != 0) frexp(sum, &e);
    commit(B, sum != 0 && set_scale(pc, 0, -126 - (int)rng_below(&rng, 10) - e) == 0);
  }
}

/* STEPOUT: step sums with more significant bits than the largest term (n equal products T
 * and a tiny one: carries), with fewer (T - T/2 - T/4 and a tiny one: cancellation, so the
 * output grid is finer than the alignment grid), and C-fused shapes of both kinds; then the
 * output is cut (or rounded) to step_frac fraction bits, which frac_bits alone cannot
 * mimic. Also single values 1 + 2^-m in the subnormal range, where the step format's grid
 * 2^(-126 - step_frac) is coarser than FP32's. Every shape mirrored. */
static void fam_stepout(builder *B) {
  const fmt_pair *P = B->P;
  double T = ldexp(1, P->lmax);
  int span = P->lmax - P->lmin, mmax = span < 30 ? span : 30;
  static const unsigned counts[] = {2, 3, 5, 8, 17, 31};
  for (size_t r = 0; r < sizeof counts / sizeof counts[0]; r++)
    for (int m = 1; m <= mmax; m++)
      for (int var = 0; var < 2; var++)
        for (int neg = 0; neg < 2; neg++) {
          probe_case *pc = new_case(B, 1, PROBE_FAM_STEPOUT);
          double sg = neg ? -1 : 1, tiny = (var ? 1.5 : 1.0) * ldexp(T, -m);
          int ok = set_scale(pc, 0, -P->lmax) == 0;
          for (unsigned i = 0; i < counts[r] && ok; i++) ok = set_prod(P, pc, 0, i, sg * T) == 0;
          ok = ok && set_prod(P, pc, 0, counts[r], sg * tiny) == 0;
          commit(B, ok);
        }
  /* T - T/2 - ... - T/2^d = T/2^d, then one or 31 - d - 1 tiny ones of either sign: the
   * result lies d bits below the largest term, so the output grid is d bits finer than the
   * alignment grid (and a floor alignment's lost units show through a narrow output) */
  static const int depths[] = {2, 5, 9, 14};
  for (size_t r = 0; r < sizeof depths / sizeof depths[0]; r++) {
    int d = depths[r];
    if (d > span) continue;
    for (int m = d + 1; m <= mmax + 4 && m <= span; m++)
      for (int var = 0; var < 4; var++)
        for (int neg = 0; neg < 2; neg++) {
          probe_case *pc = new_case(B, 1, PROBE_FAM_STEPOUT);
          double sg = neg ? -1 : 1, tiny = (var & 1 ? -1.0 : 1.0) * ldexp(T, -m);
          unsigned ntiny = var & 2 ? PROBE_K - (unsigned)d - 1 : 1;
          int ok = set_scale(pc, 0, -P->lmax) == 0 && set_prod(P, pc, 0, 0, sg * T) == 0;
          for (int i = 1; i <= d && ok; i++) ok = set_prod(P, pc, 0, (unsigned)i, -sg * ldexp(T, -i)) == 0;
          for (unsigned i = 0; i < ntiny && ok; i++) ok = set_prod(P, pc, 0, (unsigned)d + 1 + i, sg * tiny) == 0;
          commit(B, ok);
        }
  }
  /* c1 products T, c2 products -T, then tiny ones: two presum chunks that cancel leave a
   * result far below the larger chunk (a chunk grid then cuts what a narrow output keeps) */
  static const unsigned cc[][2] = {{16, 15}, {8, 7}, {16, 8}, {4, 3}};
  for (size_t r = 0; r < sizeof cc / sizeof cc[0]; r++)
    for (int m = 1; m <= mmax; m++)
      for (int var = 0; var < 2; var++)
        for (int neg = 0; neg < 2; neg++) {
          probe_case *pc = new_case(B, 1, PROBE_FAM_STEPOUT);
          double sg = neg ? -1 : 1, tiny = (var ? -1.0 : 1.0) * ldexp(T, -m);
          int ok = set_scale(pc, 0, -P->lmax) == 0;
          for (unsigned i = 0; i < cc[r][0] + cc[r][1] && ok; i++) ok = set_prod(P, pc, 0, i, i < cc[r][0] ? sg * T : -sg * T) == 0;
          ok = ok && set_prod(P, pc, 0, cc[r][0] + cc[r][1], sg * tiny) == 0;
          commit(B, ok);
        }
  /* C = 1.75 with 0.25 and 2^-m (the sum carries to 2); C = 1 with -0.5, -0.25 and 2^-m */
  int q = P->lmin > 0 ? P->lmin : P->lmax < 0 ? P->lmax : 0;
  for (int m = 1; m <= 40; m++)
    for (int shape = 0; shape < 2; shape++)
      for (int neg = 0; neg < 2; neg++) {
        probe_case *pc = new_case(B, 1, PROBE_FAM_STEPOUT);
        double sg = neg ? -1 : 1;
        pc->has_c = 1;
        pc->c = f32_bits(sg * (shape ? 1.0 : 1.75));
        /* products u * 2^q on the scale 2^-q-2 (0.25 = 1 * 2^q * 2^(-q-2)) */
        int ok = set_scale(pc, 0, -q - 2) == 0;
        if (shape) ok = ok && set_prod(P, pc, 0, 0, -sg * ldexp(2, q)) == 0 && set_prod(P, pc, 0, 1, -sg * ldexp(1, q)) == 0;
        else ok = ok && set_prod(P, pc, 0, 0, sg * ldexp(1, q)) == 0;
        ok = ok && set_prod(P, pc, 0, 2, sg * ldexp(1, q + 2 - m)) == 0; /* 2^-m: kept when it is a product */
        commit(B, ok);
      }
  /* 1 + 2^-m in the subnormal range (products T and T * 2^-m scaled to 2^-127 .. 2^-133) */
  for (int at = -133; at <= -127; at += 3)
    for (int m = 1; m <= span && m <= 24; m++)
      for (int neg = 0; neg < 2; neg++) {
        probe_case *pc = new_case(B, 1, PROBE_FAM_STEPOUT);
        double sg = neg ? -1 : 1;
        int ok = set_scale(pc, 0, at - P->lmax) == 0 && set_prod(P, pc, 0, 0, sg * T) == 0 &&
                 set_prod(P, pc, 0, 1, sg * ldexp(T, -m)) == 0;
        commit(B, ok);
      }
}

/* INTERLEAVE: two products T at positions i < j (and T, -T) among tiny ones T * 2^-m: whether
 * i and j share a step shows which products a step takes (contiguous runs or every S-th). */
static void fam_interleave(builder *B) {
  const fmt_pair *P = B->P;
  double T = ldexp(1, P->lmax);
  int span = P->lmax - P->lmin;
  static const int ms[] = {6, 14, 24};
  static const unsigned js[] = {1, 2, 3, 4, 8, 16};
  for (size_t r = 0; r < sizeof ms / sizeof ms[0]; r++) {
    if (ms[r] > span) continue;
    for (size_t d = 0; d < sizeof js / sizeof js[0]; d++)
      for (unsigned i = 0; i + js[d] < PROBE_K; i += 3)
        for (int neg = 0; neg < 2; neg++) {
          probe_case *pc = new_case(B, 1, PROBE_FAM_INTERLEAVE);
          int ok = set_scale(pc, 0, -P->lmax) == 0;
          for (unsigned x = 0; x < PROBE_K && ok; x++)
            ok = set_prod(P, pc, 0, x, x == i ? T : x == i + js[d] ? (neg ? -T : T) : ldexp(T, -ms[r])) == 0;
          commit(B, ok);
        }
  }
}

size_t probe_build(mx_block_fmt fa, mx_block_fmt fb, probe_case **cases) {
  fmt_pair P;
  pair_init(&P, fa, fb);
  builder B = {&P, NULL, 0, 0};
  fam_subnormal(&B);
  fam_window(&B);
  fam_window_acc(&B);
  fam_group(&B);
  fam_presum(&B);
  fam_round(&B);
  fam_c(&B);
  fam_scale(&B);
  fam_stepout(&B);
  fam_interleave(&B);
  /* MIXED: random DotGenerals of the confirmation shapes (another seed than any
   * confirmation run's default): models that agree on every targeted probe by a
   * coincidence of the vectors (a presum chunk's grid mimicking a narrow step output,
   * say) rarely agree on these too; KM25b fit with random vectors in the same way */
  uint64_t rng = 0x9B0BE5EEDull;
  for (int r = 0; r < 384; r++) {
    probe_case *pc = new_case(&B, 1, PROBE_FAM_MIXED);
    probe_random_case(fa, fb, &rng, pc);
    pc->family = PROBE_FAM_MIXED;
    commit(&B, 1);
  }
  pair_free(&P);
  *cases = B.v;
  return B.n;
}

/* ---- random confirmation cases --------------------------------------------------------- */

void probe_random_case(mx_block_fmt fa, mx_block_fmt fb, uint64_t *rng, probe_case *pc) {
  static fmt_pair P;
  static int have = 0;
  if (!have || P.fa != fa || P.fb != fb) {
    if (have) pair_free(&P);
    pair_init(&P, fa, fb);
    have = 1;
  }
  memset(pc, 0, sizeof *pc);
  pc->fa = fa;
  pc->fb = fb;
  pc->k = PROBE_K;
  pc->family = PROBE_FAM_RANDOM;
  pc->n = 1 + rng_below(rng, PROBE_NB);
  unsigned shape = rng_below(rng, 8);
  int base = (int)rng_below(rng, 21) - 10;
  for (unsigned j = 0; j < pc->n; j++) {
    int e = base;
    if (shape == 4) e += (int)rng_below(rng, 61) - 30;          /* blocks of very different sizes */
    if (shape == 5) e = -130 - (int)rng_below(rng, 20);          /* subnormal results */
    if (shape == 6 && rng_below(rng, 4) == 0) e = 100 + (int)rng_below(rng, 40); /* overflow */
    set_scale(pc, j, e);
    if (rng_below(rng, 8) == 0) { /* independent scales per operand */
      pc->sa[j] = (uint8_t)(127 + (int)rng_below(rng, 17) - 8);
      pc->sb[j] = (uint8_t)(127 + (int)rng_below(rng, 17) - 8);
    }
    for (unsigned i = 0; i < PROBE_K; i++) {
      unsigned x = j * PROBE_K + i;
      unsigned a = rng_below(rng, (unsigned)P.na), b = rng_below(rng, (unsigned)P.nb);
      if (shape != 7) { /* finite codes (shape 7 keeps NaN/Inf codes) */
        while (!isfinite(P.va[a])) a = rng_below(rng, (unsigned)P.na);
        while (!isfinite(P.vb[b])) b = rng_below(rng, (unsigned)P.nb);
      }
      if (shape == 2 && rng_below(rng, 4)) a = b = 0; /* sparse */
      if (shape == 3 && i >= 1 && rng_below(rng, 2)) { /* one large product, small ones */
        const prod_ent *pe = &P.prods[rng_below(rng, (unsigned)(P.nprods / 8 + 1)) + P.nprods / 2];
        if (pe->v > 0) {
          a = pe->a;
          b = pe->b;
        }
      }
      pc->ca[x] = (uint8_t)a;
      pc->cb[x] = (uint8_t)b;
    }
    if (shape == 1) /* cancellation: the second half is the first half negated */
      for (unsigned i = 0; i < PROBE_K / 2; i++) {
        uint8_t a, b;
        unsigned x = j * PROBE_K + i, y = x + PROBE_K / 2;
        double v = P.va[pc->ca[x]] * P.vb[pc->cb[x]];
        if (isfinite(v) && find_prod(&P, -v, &a, &b) == 0) {
          pc->ca[y] = a;
          pc->cb[y] = b;
          if (rng_below(rng, 4) == 0) pc->cb[y] = (uint8_t)rng_below(rng, (unsigned)P.nb); /* near-cancel */
          if (!isfinite(P.vb[pc->cb[y]])) pc->cb[y] = b;
        }
      }
  }
  if (rng_below(rng, 2)) {
    pc->has_c = 1;
    unsigned kind = rng_below(rng, 5);
    if (kind == 0) pc->c = (uint32_t)rng_next(rng) & 0x80000000u; /* +-0 */
    else if (kind == 1) pc->c = ((uint32_t)rng_next(rng) & 0x80000000u) | ((uint32_t)(127 + base + 20 + rng_below(rng, 10)) << 23);
    else {
      int ce = 127 + base + (int)rng_below(rng, 41) - 20 + (shape == 5 ? -135 : 0);
      if (ce < 0) ce = 0;
      if (ce > 254) ce = 254;
      pc->c = ((uint32_t)rng_next(rng) & 0x807FFFFFu) | ((uint32_t)ce << 23);
    }
  }
}

/* ---- caveats: operands a target may not see as given ------------------------------------ */

const char *const probe_caveat_names[PROBE_CAVEAT_COUNT] = {"", "operand-beyond-fp32", "operand-requantized",
                                                            "zero-sign"};

/* The values of operand block j (scale 2^(s-127) times each element, exact in a double);
 * 0 when the block holds a NaN scale or a NaN/Inf element (no caveat applies: the special
 * value rules decide those cases). */
static int block_values(mx_block_fmt f, uint8_t scale, const uint8_t *codes, unsigned k, double *v) {
  if (scale == 0xFF) return 0;
  for (unsigned i = 0; i < k; i++) {
    double e = code_value(f, codes[i]);
    if (!isfinite(e)) return 0;
    v[i] = ldexp(e, (int)scale - 127); /* exact: at most 2^-159 below the element's own bits */
  }
  return 1;
}

static int block_caveat(mx_block_fmt f, uint8_t scale, const uint8_t *codes, unsigned k) {
  double v[PROBE_K];
  uint32_t bits[PROBE_K] = {0};
  if (k > PROBE_K || !block_values(f, scale, codes, k, v)) return PROBE_CAVEAT_NONE;
  for (unsigned i = 0; i < k; i++) {
    float x = (float)v[i];
    if ((double)x != v[i]) return PROBE_CAVEAT_BEYOND_FP32;
    memcpy(&bits[i], &x, sizeof x);
  }
  uint8_t s2, c2[PROBE_K];
  mxref_quantize_block(f, MX_F32, bits, k, NULL, NULL, &s2, c2);
  double w[PROBE_K];
  if (!block_values(f, s2, c2, k, w)) return PROBE_CAVEAT_REQUANTIZED;
  for (unsigned i = 0; i < k; i++)
    if (w[i] != v[i]) return PROBE_CAVEAT_REQUANTIZED;
  return PROBE_CAVEAT_NONE;
}

void probe_requantize(const probe_case *pc, probe_case *out) {
  *out = *pc;
  for (int o = 0; o < 2; o++)
    for (unsigned j = 0; j < out->n; j++) {
      mx_block_fmt f = o ? out->fb : out->fa;
      uint8_t *sc = o ? &out->sb[j] : &out->sa[j], *co = (o ? out->cb : out->ca) + j * out->k;
      double v[PROBE_K];
      uint32_t bits[PROBE_K] = {0};
      if (out->k > PROBE_K || !block_values(f, *sc, co, out->k, v)) continue; /* NaN/Inf: as given */
      int fp32 = 1;
      for (unsigned i = 0; i < out->k; i++) {
        float x = (float)v[i];
        fp32 &= (double)x == v[i];
        memcpy(&bits[i], &x, sizeof x);
      }
      if (!fp32) *sc = 0xFF; /* an Inf (or a rounded value) in an FP32 tensor: the quantizer's NaN block */
      else mxref_quantize_block(f, MX_F32, bits, out->k, NULL, NULL, sc, co);
    }
}

int probe_miss_why(const probe_case *pc, uint32_t model, uint32_t got) {
  if (!((model | got) & 0x7FFFFFFFu)) return PROBE_CAVEAT_ZERO_SIGN; /* two zeros, of other signs */
  return probe_case_caveat(pc);
}

int probe_case_caveat(const probe_case *pc) {
  int worst = PROBE_CAVEAT_NONE;
  for (unsigned j = 0; j < pc->n; j++) {
    int a = block_caveat(pc->fa, pc->sa[j], pc->ca + j * pc->k, pc->k);
    int b = block_caveat(pc->fb, pc->sb[j], pc->cb + j * pc->k, pc->k);
    if (a && (!worst || a < worst)) worst = a;
    if (b && (!worst || b < worst)) worst = b;
  }
  return worst;
}

/* ---- model evaluation and comparison --------------------------------------------------- */

int probe_eval(const probe_case *pc, const mx_dot_model *m, uint32_t *out) {
  mx_dot_vec a = {pc->fa, pc->sa, pc->ca}, b = {pc->fb, pc->sb, pc->cb};
  return mxref_dot_general(&a, &b, pc->n, pc->k, pc->has_c ? &pc->c : NULL, m, out);
}

int probe_same(uint32_t x, uint32_t y) {
  int nx = (x & 0x7FFFFFFFu) > 0x7F800000u, ny = (y & 0x7FFFFFFFu) > 0x7F800000u;
  return nx || ny ? nx && ny : x == y;
}

static mx_dot_model normalise(const mx_dot_model *in) {
  mx_dot_model m = *in;
  if (m.presum <= 1) m.presum = 0;
  if (m.group >= PROBE_K) m.group = 0;
  if (m.step_frac == 0) m.step_frac = MX_DOT_STEP_FRAC_F32; /* both are plain FP32 */
  if (m.step_frac == MX_DOT_STEP_FRAC_F32) m.step_round = MX_DOT_RNE; /* R_step is the identity */
  if (m.group <= 1) m.assign = MX_DOT_ASSIGN_CONTIGUOUS; /* one step per block, or one product per step */
  if (m.assign == MX_DOT_ASSIGN_INTERLEAVED) { /* the steps depend on S = ceil(k / group) alone */
    unsigned S = (PROBE_K + m.group - 1) / m.group;
    m.group = (PROBE_K + S - 1) / S;
  }
  if (m.presum >= PROBE_K) m.presum = PROBE_K;
  if (m.acc == MX_DOT_ACC_FUSED && m.step_frac < MX_DOT_STEP_FRAC_F32 && m.c_at == MX_DOT_C_FIRST &&
      m.accum != MX_DOT_ACCUM_EXACT) {
    /* every update is a fused step whose R_step result is already an FP32 value: R_acc and
     * R_fin round nothing (only flushing acts), so their directions are irrelevant */
    m.final_round = MX_DOT_RNE;
    m.accum = MX_DOT_ACCUM_F32_RNE;
  }
  {
    /* a step of one term (presum >= the step's size) without the accumulator: Align_f cuts
     * that term to f + 1 significant bits relative to itself, which is R_step with f
     * fraction bits applied to the unscaled sum (a power-of-two scale moves both alike;
     * unscaled sums are normal FP32 values), followed by the same R_acc */
    unsigned stepn = m.group ? m.group : PROBE_K;
    if (m.acc == MX_DOT_ACC_SEPARATE && m.frac_bits >= 1 && m.frac_bits < MX_DOT_STEP_FRAC_F32 &&
        m.presum >= stepn && m.align != MX_DOT_ALIGN_FLOOR && m.step_frac == MX_DOT_STEP_FRAC_F32 &&
        m.accum != MX_DOT_ACCUM_EXACT) {
      m.step_frac = m.frac_bits;
      m.step_round = m.align == MX_DOT_ALIGN_TRUNC ? MX_DOT_RTZ : MX_DOT_RNE;
      m.frac_bits = MX_DOT_FRAC_EXACT;
      m.scale_at = MX_DOT_SCALE_GROUP;
    }
  }
  if (m.frac_bits == MX_DOT_FRAC_EXACT) { /* Align cuts nothing: align and presum do nothing */
    m.align = MX_DOT_ALIGN_TRUNC;
    m.presum = 0;
    if (m.accum == MX_DOT_ACCUM_EXACT) { /* one rounding of the exact value (dot.h) */
      mx_dot_model d = MX_DOT_MODEL_EXACT_RNE;
      d.final_round = m.final_round;
      d.subnormal = m.subnormal;
      m = d;
    }
  }
  if (m.presum >= PROBE_K) m.presum = PROBE_K;
  if (m.scale_at == MX_DOT_SCALE_GROUP && m.frac_bits != MX_DOT_FRAC_EXACT) {
    /* an unscaled step sum of N terms on the grid 2^(E-f), each below 2^(E+1), is a multiple
     * of 2^(E-f) below N * 2^(E+1): FP32 holds it exactly when N * 2^(f+1) <= 2^24 (and the
     * unscaled products of every MX pair are far inside FP32's normal range), so the extra
     * rounding of scale_at = group rounds nothing (spec_notes/dot.md "Probes") */
    unsigned step = m.group ? m.group : PROBE_K, h = m.presum > 1 ? m.presum : 1, N = (step + h - 1) / h;
    /* the same bound makes R_step (step_frac bits) round nothing on the unscaled sum */
    if (m.frac_bits + 1 <= 24 && (double)N * ldexp(1, m.frac_bits + 1) <= ldexp(1, m.step_frac + 1)) {
      m.step_frac = MX_DOT_STEP_FRAC_F32;
      m.step_round = MX_DOT_RNE;
    }
    if (m.frac_bits + 1 <= 24 && (double)N * ldexp(1, m.frac_bits + 1) <= 0x1p24 &&
        m.step_frac == MX_DOT_STEP_FRAC_F32)
      m.scale_at = MX_DOT_SCALE_PRODUCT;
  }
  return m;
}

/* The simplest of the models the definition makes equal to m (dot.h "Consequences",
 * probe_model_distance 0): each parameter back at its exact-rne value where that changes no
 * result by definition. A search leaves such parameters where it last moved them (presum 8
 * where every step holds one product, group = 1); the report names the model, not the path. */
static mx_dot_model simplest(const mx_dot_model *m) {
  static const size_t fields[] = {
      offsetof(mx_dot_model, presum),   offsetof(mx_dot_model, align),      offsetof(mx_dot_model, assign),
      offsetof(mx_dot_model, step_round), offsetof(mx_dot_model, step_frac), offsetof(mx_dot_model, scale_at),
      offsetof(mx_dot_model, frac_bits), offsetof(mx_dot_model, group),     offsetof(mx_dot_model, acc),
      offsetof(mx_dot_model, c_at),      offsetof(mx_dot_model, final_round), offsetof(mx_dot_model, accum),
      offsetof(mx_dot_model, subnormal)};
  const mx_dot_model ideal = MX_DOT_MODEL_EXACT_RNE;
  mx_dot_model best = *m;
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    mx_dot_model c = best;
    memcpy((char *)&c + fields[i], (const char *)&ideal + fields[i], sizeof(int)); /* int-sized fields */
    if (!mx_dot_model_check(&c) && probe_model_distance(&c, m) == 0) best = c;
  }
  return best;
}

int probe_model_distance(const mx_dot_model *a, const mx_dot_model *b) {
  mx_dot_model x = normalise(a), y = normalise(b);
  return (x.group != y.group) + (x.presum != y.presum) + (x.frac_bits != y.frac_bits) + (x.align != y.align) +
         (x.scale_at != y.scale_at) + (x.acc != y.acc) + (x.c_at != y.c_at) + (x.final_round != y.final_round) +
         (x.accum != y.accum) + (x.subnormal != y.subnormal) + (x.assign != y.assign) +
         (x.step_frac != y.step_frac) + (x.step_round != y.step_round);
}

void probe_model_text(const mx_dot_model *m, char *buf, size_t len) { mx_dot_model_format(m, buf, len); }

/* ---- the fit ------------------------------------------------------------------------------ */

typedef struct fitctx {
  const probe_case *cases;
  const uint32_t *got; /* the target's answers */
  size_t n;
} fitctx;

static int supported(const mx_dot_model *m) {
  return !mx_dot_model_check(m) && !(m->frac_bits != MX_DOT_FRAC_EXACT && m->accum == MX_DOT_ACCUM_EXACT);
}

/* Probes the model misses, stopping once more than `limit` are missed. */
static size_t misses(const fitctx *F, const mx_dot_model *m, size_t limit) {
  if (!supported(m)) return (size_t)-1;
  size_t miss = 0;
  for (size_t i = 0; i < F->n; i++) {
    uint32_t r;
    if (probe_eval(&F->cases[i], m, &r) != MX_DOT_OK || !probe_same(r, F->got[i])) {
      if (++miss > limit) return miss;
    }
  }
  return miss;
}

/* Try cand; keep it when strictly better, or when equal and cur is unsupported. */
static void consider(const fitctx *F, mx_dot_model *best, size_t *best_miss, const mx_dot_model *cand) {
  if (!supported(cand)) return;
  size_t lim = *best_miss == (size_t)-1 ? (size_t)-2 : *best_miss - (*best_miss > 0);
  if (*best_miss == 0) return;
  size_t mm = misses(F, cand, lim);
  if (mm < *best_miss) {
    *best = *cand;
    *best_miss = mm;
  }
}

static size_t fit_from(const fitctx *F, mx_dot_model *m, int verbose) {
  size_t cur = misses(F, m, (size_t)-2);
  for (int pass = 0; pass < 8 && cur > 0; pass++) {
    size_t before = cur;
    /* the seven small parameters jointly */
    for (int al = 0; al < MX_DOT_ALIGN_COUNT; al++)
      for (int sa = 0; sa < MX_DOT_SCALE_AT_COUNT; sa++)
        for (int ac = 0; ac < MX_DOT_ACC_COUNT; ac++)
          for (int ca = 0; ca < MX_DOT_C_AT_COUNT; ca++)
            for (int fr = 0; fr < MX_DOT_ROUND_COUNT; fr++)
              for (int au = 0; au < MX_DOT_ACCUM_COUNT; au++)
                for (int sn = 0; sn < MX_DOT_SUBN_COUNT; sn++) {
                  mx_dot_model c = *m;
                  c.align = (mx_dot_align)al;
                  c.scale_at = (mx_dot_scale_at)sa;
                  c.acc = (mx_dot_acc)ac;
                  c.c_at = (mx_dot_c_at)ca;
                  c.final_round = (mx_dot_round)fr;
                  c.accum = (mx_dot_accum)au;
                  c.subnormal = (mx_dot_subnormal)sn;
                  if (au == MX_DOT_ACCUM_EXACT) { /* an exact accumulator: no grid, no narrowed step */
                    c.frac_bits = MX_DOT_FRAC_EXACT;
                    c.step_frac = MX_DOT_STEP_FRAC_F32;
                  }
                  consider(F, m, &cur, &c);
                }
    /* frac_bits alone, and jointly with the parameters whose effect it can hide (a coarse
     * grid masks the accumulator's rounding and the fused/separate difference) */
    for (int f = -1; f <= 80; f++)
      for (int ac = 0; ac < MX_DOT_ACC_COUNT; ac++)
        for (int au = 0; au < MX_DOT_ACCUM_COUNT; au++)
          for (int fr = 0; fr < MX_DOT_ROUND_COUNT; fr++) {
            mx_dot_model c = *m;
            c.frac_bits = f;
            c.acc = (mx_dot_acc)ac;
            c.accum = (mx_dot_accum)au;
            c.final_round = (mx_dot_round)fr;
            if (c.acc == MX_DOT_ACC_FUSED) c.scale_at = MX_DOT_SCALE_PRODUCT;
            consider(F, m, &cur, &c);
          }
    for (int f = -1; f <= 80; f++)
      for (unsigned h = 0; h <= PROBE_K; h += h ? h : 2) { /* presum 0 2 4 8 16 32 with frac_bits */
        mx_dot_model c = *m;
        c.frac_bits = f;
        c.presum = h;
        consider(F, m, &cur, &c);
      }
    for (unsigned g = 0; g < PROBE_K; g++) /* group with the assignment of products to steps */
      for (int as = 0; as < MX_DOT_ASSIGN_COUNT; as++) {
        mx_dot_model c = *m;
        c.group = g;
        c.assign = (mx_dot_assign)as;
        consider(F, m, &cur, &c);
      }
    /* the step output's precision and rounding, alone and with frac_bits (a narrow step
     * output hides bits the alignment keeps, and the other way round) */
    for (int sf = MX_DOT_STEP_FRAC_F32; sf >= 1; sf--)
      for (int sr = 0; sr < MX_DOT_ROUND_COUNT; sr++) {
        mx_dot_model c = *m;
        c.step_frac = sf;
        c.step_round = (mx_dot_round)sr;
        consider(F, m, &cur, &c);
      }
    /* presum with the step output and the place of the scales: a whole-step chunk cut by
     * Align_f imitates a narrow step output (spec_notes/dot.md "Probes"), and leaving that
     * imitation takes all of them at once */
    if (cur > 0)
      for (unsigned h = 0; h <= PROBE_K; h += h ? h : 2)
        for (int sf = MX_DOT_STEP_FRAC_F32; sf >= 1; sf--)
          for (int sr = 0; sr < MX_DOT_ROUND_COUNT; sr++)
            for (int sa = 0; sa < MX_DOT_SCALE_AT_COUNT; sa++) {
              mx_dot_model c = *m;
              c.presum = h;
              c.step_frac = sf;
              c.step_round = (mx_dot_round)sr;
              c.scale_at = (mx_dot_scale_at)sa;
              consider(F, m, &cur, &c);
            }
    if (cur > 0)
      for (int f = -1; f <= 40; f++)
        for (int sf = MX_DOT_STEP_FRAC_F32; sf >= 1; sf--)
          for (int sr = 0; sr < MX_DOT_ROUND_COUNT; sr++) {
            mx_dot_model c = *m;
            c.frac_bits = f;
            c.step_frac = sf;
            c.step_round = (mx_dot_round)sr;
            consider(F, m, &cur, &c);
          }
    for (unsigned h = 0; h <= PROBE_K; h++) {
      if (h == 1) continue;
      mx_dot_model c = *m;
      c.presum = h;
      consider(F, m, &cur, &c);
    }
    if (verbose) {
      char t[256];
      probe_model_text(m, t, sizeof t);
      fprintf(stderr, "probe: pass %d: %zu of %zu probes missed: %s\n", pass + 1, cur, F->n, t);
    }
    if (cur == before) break;
  }
  return cur;
}

/* Parameters an alternative value of which also reproduces every probe (and is not the
 * same model by definition). */
static void unobservable(const fitctx *F, const mx_dot_model *m, char *out, size_t len) {
  out[0] = 0;
  size_t used = 0;
#define ALT(NAME, FIELD, LO, HI)                                                                        \
  do {                                                                                                  \
    int any = 0;                                                                                        \
    for (long v = (LO); v <= (HI); v++) {                                                              \
      mx_dot_model c = *m;                                                                             \
      c.FIELD = (__typeof__(c.FIELD))v;                                                                \
      if (c.FIELD == m->FIELD || !supported(&c) || probe_model_distance(&c, m) == 0) continue;        \
      if (misses(F, &c, 0) != 0 || used + 40 >= len) continue;                                         \
      used += (size_t)snprintf(out + used, len - used, "%s%ld", any ? "|" : used ? ", " NAME "=" : NAME "=", v); \
      any = 1;                                                                                         \
    }                                                                                                   \
  } while (0)
  ALT("group", group, 0, PROBE_K - 1);
  ALT("presum", presum, 0, PROBE_K);
  ALT("frac_bits", frac_bits, -1, 80);
  ALT("align", align, 0, MX_DOT_ALIGN_COUNT - 1);
  ALT("scale_at", scale_at, 0, MX_DOT_SCALE_AT_COUNT - 1);
  ALT("acc", acc, 0, MX_DOT_ACC_COUNT - 1);
  ALT("c_at", c_at, 0, MX_DOT_C_AT_COUNT - 1);
  ALT("final_round", final_round, 0, MX_DOT_ROUND_COUNT - 1);
  ALT("accum", accum, 0, MX_DOT_ACCUM_COUNT - 1);
  ALT("subnormal", subnormal, 0, MX_DOT_SUBN_COUNT - 1);
  ALT("assign", assign, 0, MX_DOT_ASSIGN_COUNT - 1);
  ALT("step_frac", step_frac, 1, MX_DOT_STEP_FRAC_F32);
  ALT("step_round", step_round, 0, MX_DOT_ROUND_COUNT - 1);
#undef ALT
}

/* The first fit. The probes whose operands every target sees as given (no caveat) first: a
 * model that reproduces all of them, and the others on their re-quantized operands, is the
 * answer for a target that changes its operands (an emulation that re-quantizes FP32
 * tensors), and the
 * search over the rest would only chase those operands (restarts from every preset, hours of
 * evaluations, for nothing the model could explain): *settled = 1. Otherwise the plain fit
 * on every probe (*settled = 0: the caller's restarts decide). Returns the misses over every
 * probe. */
static size_t fit_clean_first(const fitctx *F, mx_dot_model *m, int verbose, int *settled) {
  probe_case *cc = malloc(F->n * sizeof *cc + 1);
  uint32_t *cg = malloc(F->n * sizeof *cg + 1);
  if (!cc || !cg) abort();
  size_t nc = 0;
  for (size_t i = 0; i < F->n; i++)
    if (probe_case_caveat(&F->cases[i]) == PROBE_CAVEAT_NONE) {
      cc[nc] = F->cases[i];
      cg[nc++] = F->got[i];
    }
  fitctx C = {cc, cg, nc};
  mx_dot_model clean = *m;
  size_t clean_miss = fit_from(&C, &clean, verbose);
  free(cc);
  free(cg);
  /* The shortcut holds when every miss is set apart: the sign of an exact zero (probe_miss_why),
   * or an operand caveat whose probe gets the model's answer on the operands quantized again
   * (probe_requantize): the target demonstrably changes them. A target that sees its operands
   * as given (MXINT8's -2 is a caveat, and the window probes need it) fails this and gets the
   * search on every probe. */
  size_t all = 0, apart = 0;
  for (size_t i = 0; i < F->n; i++) {
    uint32_t r = MX_DOT_F32_NAN;
    if (probe_eval(&F->cases[i], &clean, &r) == MX_DOT_OK && probe_same(r, F->got[i])) continue;
    all++;
    int why = probe_miss_why(&F->cases[i], r, F->got[i]);
    if (why == PROBE_CAVEAT_ZERO_SIGN) apart++;
    else if (why != PROBE_CAVEAT_NONE) {
      probe_case q;
      probe_requantize(&F->cases[i], &q);
      apart += probe_eval(&q, &clean, &r) == MX_DOT_OK && probe_same(r, F->got[i]);
    }
  }
  if (verbose)
    fprintf(stderr, "probe: %zu of %zu probes without an operand caveat missed; of the %zu misses in all, %zu are set "
                    "apart (zero sign, or the model on re-quantized operands)\n", clean_miss, nc, all, apart);
  *m = clean;
  *settled = apart == all;
  if (*settled || nc == F->n) return all; /* no caveats: that fit was on every probe already */
  mx_dot_model_default(m);
  return fit_from(F, m, verbose);
}

int probe_fit_target(mx_block_fmt fa, mx_block_fmt fb, probe_dot_fn fn, void *ctx, int verbose, probe_fit *fit,
                     char *msg, size_t msglen) {
  memset(fit, 0, sizeof *fit);
  probe_case *cases;
  size_t n = probe_build(fa, fb, &cases);
  uint32_t *got = malloc(n * sizeof(uint32_t) + 1);
  if (!got) abort();
  if (fn(ctx, cases, n, got, msg, msglen)) {
    free(cases);
    free(got);
    return -1;
  }
  probe_fit_answers(cases, got, n, verbose, fit);
  free(cases);
  free(got);
  return 0;
}

void probe_fit_answers(const probe_case *cases, const uint32_t *got, size_t n, int verbose, probe_fit *fit) {
  memset(fit, 0, sizeof *fit);
  fitctx F = {cases, got, n};
  mx_dot_model best;
  mx_dot_model_default(&best);
  int settled;
  size_t best_miss = fit_clean_first(&F, &best, verbose, &settled);
  fit->starts = 1;
  /* not every probe reproduced (nor every one without a caveat): start again from every
   * preset and keep the best fit */
  for (const mx_dot_preset *p = mx_dot_presets; p->name && best_miss > 0 && !settled; p++) {
    mx_dot_model m = p->model;
    if (verbose) fprintf(stderr, "probe: restart from %s\n", p->name);
    size_t mm = fit_from(&F, &m, verbose);
    fit->starts++;
    if (mm < best_miss) {
      best = m;
      best_miss = mm;
    }
  }
  fit->model = simplest(&best);
  fit->probes = n;
  fit->agree = n - best_miss;
  for (size_t i = 0; i < n; i++) {
    uint32_t r = MX_DOT_F32_NAN; /* what a failed evaluation counts as */
    int f = cases[i].family < PROBE_FAM_COUNT ? cases[i].family : PROBE_FAM_MIXED;
    fit->fam_cases[f]++;
    if (probe_eval(&cases[i], &fit->model, &r) == MX_DOT_OK && probe_same(r, got[i])) {
      fit->fam_agree[f]++;
      continue;
    }
    int why = probe_miss_why(&cases[i], r, got[i]);
    fit->miss_caveat[why]++;
    if (why == PROBE_CAVEAT_NONE && fit->nmiss_shown < PROBE_MISS_SHOWN) fit->miss_shown[fit->nmiss_shown++] = i;
  }
  unobservable(&F, &fit->model, fit->unobservable, sizeof fit->unobservable);
  fit->nearest = NULL;
  fit->nearest_distance = 99;
  for (const mx_dot_preset *p = mx_dot_presets; p->name; p++) {
    int d = probe_model_distance(&best, &p->model);
    if (d < fit->nearest_distance) {
      fit->nearest_distance = d;
      fit->nearest = p->name;
    }
  }
}
