/* Vector generation from the oracle: which inputs each suite holds (the expected outputs
 * always come from expect_case, i.e. the MPFR oracle). Deterministic: the same tier and
 * seed give the same bytes on every machine. */
#include "gen.h"

#include <stdlib.h>
#include <string.h>

#include "../oracle/oracle_print.h"
#include "mxconform/nvfp4.h"
#include "expect.h"
#include "probe.h"

#define ALL_SOURCES {MX_F32, MX_BF16, MX_F16, MX_F64}, 4
const gen_tier gen_tiers[] = {
  /* name    cvt srcs   random  sr  quant dequant pack dot  binade_step quant srcs   rule more probe
   *         full srcs, the other sources' modes: smoke tries bf16/f16/f64 with the modes that
   *         see every sticky bit (rup) and the SR threshold, not every mode */
  {"smoke", ALL_SOURCES, 48, 32, 12, 12, 6, 16, 3, ALL_SOURCES, 4, 4, 16, 1, 1u << MX_RUP | 1u << MX_SR},
  {"standard", ALL_SOURCES, 256, 256, 160, 96, 48, 160, 1, ALL_SOURCES, 40, 40, 4, 4, 0},
  {"full", ALL_SOURCES, 8192, 8192, 4096, 2048, 512, 4096, 1, ALL_SOURCES, 1024, 1024, 1, 4, 0},
};

const gen_tier *gen_tier_find(const char *name) {
  for (size_t i = 0; i < sizeof gen_tiers / sizeof gen_tiers[0]; i++)
    if (!strcmp(gen_tiers[i].name, name)) return &gen_tiers[i];
  return NULL;
}

static uint64_t splitmix64(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* A seed per suite, from the run seed and the suite name (FNV-1a). */
static uint64_t suite_seed(uint64_t seed, const char *name) {
  uint64_t h = 1469598103934665603ull ^ seed;
  for (const char *p = name; *p; p++) h = (h ^ (uint8_t)*p) * 1099511628211ull;
  return h;
}

/* ---- input sets ------------------------------------------------------------------------ */

typedef struct u64set {
  uint64_t *v;
  size_t n, cap;
} u64set;

static void set_add(u64set *s, uint64_t x) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 1024;
    s->v = realloc(s->v, s->cap * sizeof *s->v);
    if (!s->v) abort();
  }
  s->v[s->n++] = x;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static void set_sort_unique(u64set *s) {
  if (!s->n) return;
  qsort(s->v, s->n, sizeof *s->v, cmp_u64);
  size_t w = 1;
  for (size_t i = 1; i < s->n; i++)
    if (s->v[i] != s->v[w - 1]) s->v[w++] = s->v[i];
  s->n = w;
}

/* ---- each case once ---------------------------------------------------------------------- */

/* An open-addressing table of the current suite's cases (index + 1; 0 = empty), so that a
 * suite never holds the same case twice (a failure would be listed twice, and the case
 * counts would overstate the coverage). It starts afresh with each suite. */
static struct {
  size_t *slot;
  size_t cap;
} g_seen;

static size_t case_hash(const vec_suite *s, const uint64_t *in, uint32_t r) {
  uint64_t h = 1469598103934665603ull ^ r;
  for (size_t i = 0; i < s->nin; i++) {
    h = (h ^ in[i]) * 1099511628211ull;
    h ^= h >> 29;
  }
  return (size_t)h;
}

static size_t *seen_slot(const vec_suite *s, const uint64_t *in, uint32_t r) {
  size_t i = case_hash(s, in, r) & (g_seen.cap - 1);
  for (; g_seen.slot[i]; i = (i + 1) & (g_seen.cap - 1)) {
    size_t c = g_seen.slot[i] - 1;
    if (s->rnd[c] == r && !memcmp(s->in + c * s->nin, in, s->nin * sizeof *in)) break;
  }
  return &g_seen.slot[i];
}

static void seen_rebuild(const vec_suite *s, size_t cap) {
  if (cap != g_seen.cap) {
    free(g_seen.slot);
    g_seen.slot = malloc(cap * sizeof *g_seen.slot);
    if (!g_seen.slot) abort();
    g_seen.cap = cap;
  }
  memset(g_seen.slot, 0, cap * sizeof *g_seen.slot);
  for (size_t c = 0; c < s->ncases; c++) *seen_slot(s, s->in + c * s->nin, s->rnd[c]) = c + 1;
}

/* Add a case with its expected outputs from the oracle, unless the suite has it already.
 * Returns 1 when added. */
static int emit(vec_suite *s, const uint64_t *in, uint32_t r) {
  static uint64_t out[1 + MX_BLOCK_MAX];
  if (s->ncases == 0 || 2 * (s->ncases + 1) > g_seen.cap) {
    size_t cap = 1024;
    while (cap < 4 * (s->ncases + 1)) cap *= 2;
    seen_rebuild(s, cap);
  }
  size_t *slot = seen_slot(s, in, r);
  if (*slot) return 0;
  expect_case(s, &s->knobs, in, r, out);
  vec_suite_add(s, in, out, r);
  *slot = s->ncases;
  return 1;
}

typedef struct boundary_ctx {
  u64set *set;
  uint64_t seg_first, seg_last;
} boundary_ctx;

/* Every run boundary and its +-1 neighbours (inside the segment). */
static int add_boundaries(void *ctx, uint64_t first, uint64_t last, uint32_t code) {
  boundary_ctx *b = ctx;
  (void)code;
  uint64_t pts[4] = {first, first + 1, last - 1, last};
  for (int i = 0; i < 4; i++)
    if (pts[i] >= b->seg_first && pts[i] <= b->seg_last && pts[i] >= first && pts[i] <= last) set_add(b->set, pts[i]);
  if (first > b->seg_first) set_add(b->set, first - 1);
  if (last < b->seg_last) set_add(b->set, last + 1);
  return 0;
}

static uint64_t random_source(mx_fmt src, mx_fmt dst, uint64_t *rng) {
  const mx_format_desc *s = mx_format(src), *d = mx_format(dst);
  uint64_t r = splitmix64(rng), r2 = splitmix64(rng);
  uint64_t mask = s->bits == 64 ? ~0ull : (((uint64_t)1 << s->bits) - 1);
  if (r % 4 == 0) return r2 & mask; /* anywhere */
  int lo = d->emin - d->mbits - 2, hi = d->emax + 2;
  if (d->kind == MX_KIND_INT) { lo = -9; hi = 2; }
  int e = lo + (int)(r2 % (uint64_t)(hi - lo + 1));
  if (e < s->emin) e = s->emin; /* keep it simple: normal source values near the grid */
  if (e > s->emax) e = s->emax;
  uint64_t mant = (r >> 8) & (((uint64_t)1 << s->mbits) - 1);
  return ((uint64_t)((r2 >> 40) & 1) << (s->bits - 1)) | ((uint64_t)(e + s->bias) << s->mbits) | mant;
}

/* ---- structured conversion inputs ---------------------------------------------------------- */

/* The destination's grid as intervals [g, g + q) of its positive values (g a code's value or,
 * past the largest finite value, a point of the grid continued with the top binade's
 * spacing), with the ones the structured inputs visit marked. */
typedef struct grid_iv {
  mpfr_t g, q;
  int top;  /* at or past the largest finite value: the overflow band */
  int even; /* g's last significand bit is 0 (a tie there rounds down under rne) */
} grid_iv;

typedef struct dst_grid {
  grid_iv *iv;
  size_t n;
} dst_grid;

#define GRID_PREC 256
#define GRID_VIRTUAL 4 /* grid points continued past the largest finite value */

static int cmp_mpfr_ptr(const void *a, const void *b) { return mpfr_cmp(*(mpfr_t *)a, *(mpfr_t *)b); }

/* Every positive finite value of dst (and zero), ascending. */
static size_t dst_values(mx_fmt dst, mpfr_t **out) {
  size_t codes = (size_t)mx_format_code_count(dst), n = 0;
  mpfr_t *v = malloc((codes + 1) * sizeof *v);
  if (!v) abort();
  for (uint64_t c = 0; c < codes; c++) {
    mpfr_init2(v[n], GRID_PREC);
    mxo_decode_signed(dst, c, v[n]);
    if (mpfr_nan_p(v[n]) || mpfr_inf_p(v[n]) || mpfr_sgn(v[n]) < 0 || mpfr_signbit(v[n])) {
      mpfr_clear(v[n]);
      continue;
    }
    n++;
  }
  qsort(v, n, sizeof *v, cmp_mpfr_ptr);
  *out = v;
  return n;
}

/* Intervals of the grid that the tier visits: in every binade_step-th binade (binades counted
 * from the smallest value; the subnormal range counts as one) the first two and the last
 * value; when a format has very many binades (E8M0), the extreme ones, those around 1 and
 * every 32nd; all of a format of at most 16 values; and the overflow band. */
static void grid_build(mx_fmt dst, int binade_step, dst_grid *G) {
  const mx_format_desc *d = mx_format(dst);
  mpfr_t *v;
  size_t n = dst_values(dst, &v);
  G->iv = calloc(n + GRID_VIRTUAL, sizeof *G->iv);
  G->n = 0;
  if (!G->iv) abort();
  long nbin = 0, bin = 0;
  for (size_t i = 1; i < n; i++) nbin += mpfr_get_exp(v[i]) != mpfr_get_exp(v[i - 1]) || mpfr_zero_p(v[i - 1]);
  for (size_t i = 0; i + 1 < n; i++) {
    mpfr_exp_t e = mpfr_zero_p(v[i]) ? 0 : mpfr_get_exp(v[i]);
    int first = i == 0 || mpfr_zero_p(v[i - 1]) || mpfr_get_exp(v[i - 1]) != e;
    int second = i == 1 || (i >= 2 && (mpfr_zero_p(v[i - 2]) || mpfr_get_exp(v[i - 2]) != e));
    int last = mpfr_get_exp(v[i + 1]) != e;
    bin += i > 0 && first;
    int keep = n <= 17 || first || second || last || i + 2 >= n;
    if (n > 17 && binade_step > 1 && bin % binade_step && i + 2 < n && i > 0) keep = 0;
    if (nbin > 64 && !mpfr_zero_p(v[i])) { /* E8M0: each value is a binade of its own */
      long x = (long)e - 1;
      keep = x <= d->emin + 2 || x >= d->emax - 2 || (x >= -2 && x <= 1) || (x & 31) == 0;
    }
    if (!keep) continue;
    grid_iv *iv = &G->iv[G->n++];
    mpfr_init2(iv->g, GRID_PREC);
    mpfr_init2(iv->q, GRID_PREC);
    mpfr_set(iv->g, v[i], MPFR_RNDN);
    mpfr_sub(iv->q, v[i + 1], v[i], MPFR_RNDN);
    iv->top = i + 2 >= n;
    iv->even = (i & 1) == 0; /* the values are the positive codes in order */
  }
  /* the overflow band: the top binade's spacing continued past the largest finite value
   * (doubling at each power of two), e.g. E4M3 448, 480, 512, 576 */
  mpfr_t g, q;
  mpfr_inits2(GRID_PREC, g, q, (mpfr_ptr)0);
  mpfr_set(g, v[n - 1], MPFR_RNDN);
  mpfr_sub(q, v[n - 1], v[n - 2], MPFR_RNDN);
  for (int j = 0; j < GRID_VIRTUAL; j++) {
    grid_iv *iv = &G->iv[G->n++];
    mpfr_init2(iv->g, GRID_PREC);
    mpfr_init2(iv->q, GRID_PREC);
    mpfr_set(iv->g, g, MPFR_RNDN);
    mpfr_set(iv->q, q, MPFR_RNDN);
    iv->top = 1;
    iv->even = ((n - 1 + (size_t)j) & 1) == 0;
    mpfr_exp_t e = mpfr_get_exp(g);
    mpfr_add(g, g, q, MPFR_RNDN);
    if (mpfr_get_exp(g) != e && d->kind == MX_KIND_FLOAT) mpfr_mul_2ui(q, q, 1, MPFR_RNDN);
  }
  mpfr_clears(g, q, (mpfr_ptr)0);
  for (size_t i = 0; i < n; i++) mpfr_clear(v[i]);
  free(v);
}

static void grid_free(dst_grid *G) {
  for (size_t i = 0; i < G->n; i++) mpfr_clears(G->iv[i].g, G->iv[i].q, (mpfr_ptr)0);
  free(G->iv);
}

/* The source format's ulp at x > 0 (the spacing of its significand there). */
static void source_ulp(mx_fmt src, mpfr_srcptr x, mpfr_t u) {
  const mx_format_desc *sd = mx_format(src);
  long e = (long)mpfr_get_exp(x) - 1; /* x in [2^e, 2^(e+1)) */
  if (e < sd->emin) e = sd->emin;
  mpfr_set_ui_2exp(u, 1, e - sd->mbits, MPFR_RNDN);
}

/* x (exact, > 0) with sign `neg` as a source bit pattern, when the source holds it exactly. */
static int exact_source(mx_fmt src, mpfr_srcptr x, int neg, uint64_t *bits) {
  if (mpfr_sgn(x) <= 0 || mxo_number_to_source(src, x, bits)) return 0;
  if (neg) *bits |= (uint64_t)1 << (mx_format(src)->bits - 1);
  return 1;
}

enum { FAM_ROUND = 1, FAM_TIE = 2, FAM_STICKY = 4 };

/* The structured inputs of one interval [g, g + q): midpoint and quarter points with their
 * source-ulp neighbours, round bit and all sticky bits (FAM_ROUND); the midpoint plus exactly
 * one sticky bit at each position of the source significand below the round bit (FAM_TIE: a
 * sticky mask that misses a bit makes it a tie); g plus exactly one sticky bit (FAM_STICKY:
 * an inexact result that rup/rdn must round away from g). */
static void interval_points(mx_fmt src, const grid_iv *iv, int fam, int neg, u64set *set) {
  mpfr_t m, u, x, h;
  mpfr_inits2(GRID_PREC, m, u, x, h, (mpfr_ptr)0);
  uint64_t b;
  mpfr_div_2ui(h, iv->q, 1, MPFR_RNDN);
  mpfr_add(m, iv->g, h, MPFR_RNDN);
  source_ulp(src, m, u);
  if (fam & FAM_ROUND) {
    static const int quarters[] = {1, 2, 3};
    for (int i = 0; i < 3; i++) {
      mpfr_mul_ui(x, iv->q, (unsigned long)quarters[i], MPFR_RNDN);
      mpfr_div_2ui(x, x, 2, MPFR_RNDN);
      mpfr_add(x, x, iv->g, MPFR_RNDN);
      for (int d = -1; d <= 1; d++) {
        mpfr_t y;
        mpfr_init2(y, GRID_PREC);
        if (d < 0) mpfr_sub(y, x, u, MPFR_RNDN); else if (d > 0) mpfr_add(y, x, u, MPFR_RNDN); else mpfr_set(y, x, MPFR_RNDN);
        if (exact_source(src, y, neg, &b)) set_add(set, b);
        mpfr_clear(y);
      }
    }
    mpfr_add(x, iv->g, iv->q, MPFR_RNDN); /* round bit and every sticky bit */
    mpfr_sub(x, x, u, MPFR_RNDN);
    if (exact_source(src, x, neg, &b)) set_add(set, b);
  }
  for (int f = FAM_TIE; f <= FAM_STICKY; f <<= 1) {
    if (!(fam & f)) continue;
    mpfr_t step;
    mpfr_init2(step, GRID_PREC);
    for (mpfr_set(step, u, MPFR_RNDN); mpfr_cmp(step, h) < 0; mpfr_mul_2ui(step, step, 1, MPFR_RNDN)) {
      mpfr_add(x, f == FAM_TIE ? m : iv->g, step, MPFR_RNDN);
      if (exact_source(src, x, neg, &b)) set_add(set, b);
    }
    mpfr_clear(step);
  }
  mpfr_clears(m, u, x, h, (mpfr_ptr)0);
}

/* The structured inputs of a cvt suite: per interval of the destination grid, the families
 * the suite's rounding mode can tell apart (nearest: ties; directed: inexactness), in the
 * overflow band only for `ovf` suites (elsewhere they mirror the `sat` ones). */
static void structured_inputs(const vec_suite *s, const gen_tier *t, const dst_grid *G, u64set *set) {
  static const int fam_of[MX_ROUND_COUNT] = {
    [MX_RNE] = FAM_ROUND | FAM_TIE, [MX_RNA] = FAM_ROUND | FAM_TIE, [MX_RTZ] = FAM_ROUND,
    [MX_RUP] = FAM_ROUND | FAM_STICKY, [MX_RDN] = FAM_ROUND | FAM_STICKY, [MX_SR] = 0};
  int fam = fam_of[s->round];
  (void)t;
  for (size_t i = 0; i < G->n && fam; i++) {
    const grid_iv *iv = &G->iv[i];
    if (s->overflow == MX_OVF && !iv->top) continue;
    if (fam & FAM_TIE && !iv->even) { /* a tie-detection miss shows only where a tie goes down */
      interval_points(s->src, iv, FAM_ROUND, (int)(i & 1), set);
      continue;
    }
    /* the sticky family where it rounds away from zero: rup positive, rdn negative */
    int neg = s->round == MX_RDN ? 1 : s->round == MX_RUP ? 0 : (int)(i & 1);
    interval_points(s->src, iv, fam & ~FAM_ROUND, neg, set);
    interval_points(s->src, iv, FAM_ROUND, (int)(i & 1), set);
  }
}

/* SR: per interval, inputs at a few fractions of the spacing, each with the random word at
 * the threshold (the smallest that rounds up) and one below it; the high bits above sr_bits
 * are noise. */
static void sr_threshold_cases(vec_suite *s, const dst_grid *G, const mx_convert_opts *o, uint64_t *rng) {
  unsigned sb = o->sr_bits ? o->sr_bits : 16;
  uint64_t top = sb >= 32 ? 0xFFFFFFFFull : (((uint64_t)1 << sb) - 1);
  mpfr_t x, u, f;
  mpfr_inits2(GRID_PREC, x, u, f, (mpfr_ptr)0);
  static const int num[] = {0, 1, 2, 3, 4, 2, 2}, adj[] = {1, 0, 0, 0, -1, 1, -1}; /* (num/4) q + adj u */
  for (size_t i = 0; i < G->n; i++) {
    const grid_iv *iv = &G->iv[i];
    if (s->overflow == MX_OVF && !iv->top) continue;
    mpfr_add(x, iv->g, iv->q, MPFR_RNDN);
    source_ulp(s->src, x, u);
    if (!mpfr_zero_p(iv->g)) source_ulp(s->src, iv->g, u);
    for (size_t j = 0; j < sizeof num / sizeof num[0]; j++) {
      mpfr_mul_ui(f, iv->q, (unsigned long)num[j], MPFR_RNDN);
      mpfr_div_2ui(f, f, 2, MPFR_RNDN);
      mpfr_add(x, iv->g, f, MPFR_RNDN);
      if (adj[j] > 0) mpfr_add(x, x, u, MPFR_RNDN);
      if (adj[j] < 0) mpfr_sub(x, x, u, MPFR_RNDN);
      uint64_t b;
      if (!exact_source(s->src, x, (int)((i + j) & 1), &b)) continue;
      uint32_t c0 = mxo_convert(s->dst, s->src, b, o, 0);
      if (mxo_convert(s->dst, s->src, b, o, (uint32_t)top) == c0) continue; /* exact, or never rounds up */
      uint64_t lo = 0, hi = top; /* c(lo) == c0, c(hi) != c0 */
      while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (mxo_convert(s->dst, s->src, b, o, (uint32_t)mid) == c0) lo = mid; else hi = mid;
      }
      uint32_t noise = sb >= 32 ? 0 : (uint32_t)(splitmix64(rng) & ~top);
      emit(s, &b, (uint32_t)hi | noise);
      emit(s, &b, (uint32_t)lo | noise);
    }
  }
  mpfr_clears(x, u, f, (mpfr_ptr)0);
}

void gen_cvt(vec_suite *s, const gen_tier *t, uint64_t seed) {
  const mx_format_desc *sd = mx_format(s->src), *dd = mx_format(s->dst);
  mx_convert_opts o = s->knobs.o.elem;
  o.round = s->round;
  o.overflow = s->overflow;
  u64set in = {0};
  uint64_t f[4], l[4];
  mxo_source_segments(s->src, f, l);
  /* run boundaries (directed/nearest modes; for sr, those of rtz: where truncation changes) */
  mx_convert_opts ob = o;
  if (ob.round == MX_SR) ob.round = MX_RTZ;
  for (int g = 0; g < 4; g++) {
    boundary_ctx b = {&in, f[g], l[g]};
    mxo_walk_runs(s->dst, s->src, &ob, f[g], l[g], add_boundaries, &b);
  }
  /* every code's exact value and its neighbours, both signs */
  mpfr_t x;
  mpfr_init2(x, 64);
  uint64_t sb = (uint64_t)1 << (sd->bits - 1);
  for (uint32_t c = 0; c < (1u << dd->bits); c++) {
    mxo_decode_signed(s->dst, c, x);
    if (mpfr_nan_p(x) || mpfr_inf_p(x)) continue;
    uint64_t bits;
    if (mxo_number_to_source(s->src, x, &bits)) continue;
    for (int sg = 0; sg < 2; sg++) {
      uint64_t b = (bits & ~sb) | (sg ? sb : 0);
      set_add(&in, b);
      if ((b & ~sb) > 0) set_add(&in, b - 1);
      if ((b & ~sb) < sd->max_code) set_add(&in, b + 1);
    }
  }
  mpfr_clear(x);
  /* specials */
  uint64_t expall = (((uint64_t)1 << sd->ebits) - 1) << sd->mbits, quiet = (uint64_t)1 << (sd->mbits - 1);
  uint64_t sp[] = {0, 1, quiet - 1, quiet, sd->max_code, expall, expall | quiet, expall | 1, expall | (2 * quiet - 1)};
  for (size_t i = 0; i < sizeof sp / sizeof sp[0]; i++) {
    set_add(&in, sp[i]);
    set_add(&in, sp[i] | sb);
  }
  dst_grid G;
  grid_build(s->dst, t->binade_step, &G);
  structured_inputs(s, t, &G, &in);
  set_sort_unique(&in);
  uint64_t rng = suite_seed(seed, s->name);
  size_t nrandom = (size_t)(s->round == MX_SR ? t->sr_random : t->random);
  vec_suite_shape(s);
  for (size_t i = 0; i < in.n; i++) emit(s, &in.v[i], s->nrand ? (uint32_t)splitmix64(&rng) : 0);
  if (s->round == MX_SR) sr_threshold_cases(s, &G, &o, &rng);
  grid_free(&G);
  for (size_t i = 0; i < nrandom; i++) {
    /* a few tries for an input the suite does not hold yet */
    for (int try = 0; try < 8; try++) {
      uint64_t b = random_source(s->src, s->dst, &rng);
      uint32_t r = s->nrand ? (uint32_t)splitmix64(&rng) : 0;
      if (emit(s, &b, r)) break;
    }
  }
  free(in.v);
}

void gen_decode(vec_suite *s) {
  vec_suite_shape(s);
  uint64_t out[1];
  for (uint64_t c = 0; c < mx_format_code_count(s->fmt); c++) {
    expect_case(s, &s->knobs, &c, 0, out);
    vec_suite_add(s, &c, out, 0);
  }
}

/* ---- blocks ------------------------------------------------------------------------------ */

/* The bit pattern of sign * m * 2^e in source format src (m an integer with few bits), or of
 * the nearest value when not representable. */
static uint64_t source_value(mx_fmt src, int sign, int64_t m, long e) {
  mpfr_t x;
  mpfr_init2(x, 128);
  mpfr_set_si_2exp(x, sign ? -m : m, e, MPFR_RNDN);
  uint64_t b;
  mxo_number_to_source(src, x, &b);
  mpfr_clear(x);
  return b;
}

static void add_block(vec_suite *s, const uint64_t *v) { emit(s, v, 0); }

/* Hand-picked edge blocks (block.md / spec.md §3.7 / peers.md D6), each value at index 0
 * or spread, rest zeros. */
static void curated_blocks(vec_suite *s) {
  const mx_format_desc *sd = mx_format(s->src);
  uint64_t v[MX_BLOCK_MAX];
  size_t k = s->k;
  /* single-value blocks: each as sign * m * 2^e, plus a small companion value */
  static const struct { int64_t m; long e; } singles[] = {
    {7, 0},   {33, -5} /* 1.03 */, {1000, 0}, {960, 0}, {957, 0}, {0xFFFFFF, -14} /* 0x1.fffffep+9 */,
    {0xFFFFFF, -17} /* 127.99999 */, {0xFFFFFF, -21} /* 0x1.fffffep+2 */, {11, -1} /* 5.5 */, {7, 0},
    {150, 0}, {39, -1} /* 3.9 ~ */, {30, 0}, {0xE00001, -142} /* 0x1.c00002p-119 */, {16777215, 0},
    {1, 0},   {1, -140}, {3, -130}, {464, 0}, {61440, 0}, {1, 127}, {3, 126}, {127, -6}, {255, -7}};
  for (size_t i = 0; i < sizeof singles / sizeof singles[0]; i++) {
    for (int sign = 0; sign < 2; sign++) {
      memset(v, 0, sizeof v);
      for (size_t j = 0; j < k; j++) v[j] = sign ? ((uint64_t)1 << (sd->bits - 1)) : 0; /* signed zeros */
      v[i % k] = source_value(s->src, sign, singles[i].m, singles[i].e);
      if (k > 1) v[(i + 1) % k] = source_value(s->src, !sign, 3, singles[i].e - 3);
      add_block(s, v);
    }
  }
  /* all zeros, NaN inside, Inf inside, -Inf, subnormal-only */
  uint64_t expall = (((uint64_t)1 << sd->ebits) - 1) << sd->mbits;
  uint64_t specials[][2] = {{0, 0}, {expall | ((uint64_t)1 << (sd->mbits - 1)), 1}, {expall, 1},
                            {expall | ((uint64_t)1 << (sd->bits - 1)), 1}, {1, 2}, {3, 2}};
  for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
    memset(v, 0, sizeof v);
    v[k / 2] = specials[i][0];
    if (specials[i][1] == 1 && k > 2) v[0] = source_value(s->src, 0, 5, 0);
    if (specials[i][1] == 2) for (size_t j = 0; j < k; j += 3) v[j] = specials[i][0] + j;
    add_block(s, v);
  }
}

/* Random blocks drawn to stress the rules: a random amax binade, values spread below it,
 * some exactly on the element grid's ties after scaling, sprinkled specials and zeros. */
static void random_block(vec_suite *s, uint64_t *rng, uint64_t *v) {
  const mx_format_desc *sd = mx_format(s->src);
  uint64_t r = splitmix64(rng);
  long e_top;
  int span = sd->emax - sd->emin;
  if (span > 60) span = 60;
  e_top = (long)(r % (uint64_t)(2 * span + 1)) - span; /* wide dynamic range, some near the extremes */
  if (r % 17 == 0) e_top = sd->emin - 3;              /* subnormal amax */
  if (r % 19 == 0) e_top = sd->emax;
  int spread = 1 + (int)((r >> 16) % 20);
  for (size_t i = 0; i < s->k; i++) {
    uint64_t q = splitmix64(rng);
    long e = e_top - (long)(q % (uint64_t)spread);
    int64_t m;
    switch ((q >> 8) % 8) {
    case 0: m = 0; break;                                   /* zero */
    case 1: m = (int64_t)(((q >> 16) % 16) * 2 + 1); e -= 4; break; /* grid ties in small formats */
    case 2: m = 1; break;                                   /* a power of two */
    default: m = (int64_t)((q >> 16) & 0xFFFFFF) | 0x800000; e -= 23; break; /* 24-bit significand */
    }
    /* f64: bits an f32 cast loses (a grid tie plus one f64 ulp, a 53-bit significand) */
    if (s->src == MX_F64 && m > 1 && (q >> 12) & 1) {
      int tie = (q >> 8) % 8 == 1;
      m = tie ? (m << 40) | 1 : (m << 29) | (int64_t)((q >> 32) & 0x1FFFFFFF) | 1;
      e -= tie ? 40 : 29;
    }
    v[i] = source_value(s->src, (int)((q >> 60) & 1), m, e);
  }
  uint64_t q = splitmix64(rng);
  if (q % 23 == 0) v[q % s->k] = (((uint64_t)1 << sd->ebits) - 1) << sd->mbits; /* Inf */
  if (q % 29 == 1) v[(q >> 8) % s->k] = ((((uint64_t)1 << sd->ebits) - 1) << sd->mbits) | 1; /* NaN */
}

/* Does the block's answer under the suite's rule differ from that under some other rule? */
static int rules_disagree(const vec_suite *s, const uint64_t *v) {
  static uint64_t mine[1 + MX_BLOCK_MAX], other[1 + MX_BLOCK_MAX];
  vec_suite t = *s;
  t.rule = s->rule;
  expect_case(&t, &s->knobs, v, 0, mine);
  for (int r = 0; r < MX_RULE_COUNT; r++) {
    if (r == s->rule) continue;
    t.rule = r;
    expect_case(&t, &s->knobs, v, 0, other);
    if (memcmp(mine, other, s->nout * sizeof *mine)) return 1;
  }
  return 0;
}

/* Blocks where the scale rules part ways: the block maximum at (and one source ulp around)
 * the element format's largest value, the tie just above it, the quarter points, and the
 * powers of two around the top binade, at a few block magnitudes; the other elements smaller.
 * Kept where the suite's rule answers differently from another rule. */
static void rule_blocks(vec_suite *s, uint64_t *rng) {
  const mx_format_desc *ed = mx_format(mx_block_element(s->bfmt));
  const mx_format_desc *sd = mx_format(s->src);
  mpfr_t top, q, x;
  mpfr_inits2(GRID_PREC, top, q, x, (mpfr_ptr)0);
  mxo_decode_signed(mx_block_element(s->bfmt), ed->max_code, top);
  mxo_decode_signed(mx_block_element(s->bfmt), ed->max_code - 1, q);
  mpfr_sub(q, top, q, MPFR_RNDN);
  static const int quarters[] = {0, 1, 2, 3};
  static const long shifts[] = {0, -9, 6, -40, 30};
  uint64_t v[MX_BLOCK_MAX];
  int which = 0;
  for (size_t si = 0; si < sizeof shifts / sizeof shifts[0]; si++)
    for (int kind = 0; kind < 7; kind++) {
      if (kind < 4) { /* max + (j/4) q */
        mpfr_mul_ui(x, q, (unsigned long)quarters[kind], MPFR_RNDN);
        mpfr_div_2ui(x, x, 2, MPFR_RNDN);
        mpfr_add(x, x, top, MPFR_RNDN);
      } else { /* 2^(emax+1), 2^emax, 1.5 * 2^emax */
        mpfr_set_ui_2exp(x, kind == 6 ? 3 : 1, ed->emax + (kind == 4) - (kind == 6), MPFR_RNDN);
      }
      mpfr_mul_2si(x, x, shifts[si], MPFR_RNDN);
      uint64_t b;
      mxo_number_to_source(s->src, x, &b);
      for (int d = -1; d <= 1; d++) {
        uint64_t amax = b + (uint64_t)(int64_t)d;
        if (amax == 0 || (amax & ~(((uint64_t)1 << (sd->bits - 1)) - 1))) continue;
        long e = (long)mpfr_get_exp(x) - 2;
        for (size_t i = 0; i < s->k; i++) {
          uint64_t r = splitmix64(rng);
          v[i] = source_value(s->src, (int)(r & 1), (int64_t)((r >> 8) & 0xFFFFFF) | 0x800000, e - (long)(r >> 60) - 24);
        }
        size_t at = (size_t)which++ % s->k;
        v[at] = amax | ((uint64_t)(which & 1) << (sd->bits - 1));
        if (rules_disagree(s, v)) add_block(s, v);
      }
    }
  mpfr_clears(top, q, x, (mpfr_ptr)0);
}

void gen_quantize(vec_suite *s, const gen_tier *t, uint64_t seed) {
  vec_suite_shape(s);
  if (s->rule < 0 || t->binade_step == 1) curated_blocks(s); /* smoke: once per format and source */
  uint64_t rng = suite_seed(seed, s->name), v[MX_BLOCK_MAX];
  unsigned nrandom = t->quantize_blocks;
  if (s->rule >= 0) { /* a suite that names its rule: where the rules differ, then random */
    rule_blocks(s, &rng);
    nrandom = t->rule_blocks;
  } else if (s->src == MX_F16 || s->src == MX_F64) {
    nrandom /= 2;
  }
  for (unsigned i = 0; i < nrandom; i++) {
    random_block(s, &rng, v);
    add_block(s, v);
  }
}

void gen_dequantize(vec_suite *s, const gen_tier *t, uint64_t seed) {
  vec_suite_shape(s);
  uint64_t rng = suite_seed(seed, s->name), in[1 + MX_BLOCK_MAX];
  int bits = mx_format(mx_block_element(s->bfmt))->bits;
  static const uint8_t scales[] = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0xF7, 0xF6, 0x08};
  for (unsigned i = 0; i < t->dequantize_blocks + sizeof scales; i++) {
    in[0] = i < sizeof scales ? scales[i] : (splitmix64(&rng) & 0xFF);
    for (size_t j = 0; j < s->k; j++) in[1 + j] = i < sizeof scales ? (j * 7 + i) % (1u << bits) : splitmix64(&rng) % (1u << bits);
    emit(s, in, 0);
  }
}

void gen_pack(vec_suite *s, const gen_tier *t, uint64_t seed) {
  vec_suite_shape(s);
  uint64_t rng = suite_seed(seed, s->name), in[MX_BLOCK_MAX];
  int bits = mx_format(mx_block_element(s->bfmt))->bits;
  uint64_t mask = (1u << bits) - 1;
  /* codes 0, 1, 2, ... in order; then each position alone holding all ones (a code that
   * lands in the wrong bits of its group shows); then random codes */
  for (size_t j = 0; j < s->k; j++) in[j] = j & mask;
  emit(s, in, 0);
  for (size_t p = 0; p < s->k; p++) {
    for (size_t j = 0; j < s->k; j++) in[j] = j == p ? mask : 0;
    emit(s, in, 0);
  }
  for (unsigned i = 0; i < t->pack_cases; i++) {
    for (size_t j = 0; j < s->k; j++) in[j] = splitmix64(&rng) & mask;
    emit(s, in, 0);
  }
}

/* ---- dot products -------------------------------------------------------------------------- */

/* The element code of a value (RNE, saturating) — the oracle's conversion from f64. */
static uint64_t elem_code(mx_block_fmt f, double v) {
  uint64_t bits;
  memcpy(&bits, &v, 8);
  return mxo_convert(mx_block_element(f), MX_F64, bits, NULL, 0);
}

static uint64_t *dot_sa(vec_suite *s, uint64_t *in) { (void)s; return in; }
static uint64_t *dot_ca(vec_suite *s, uint64_t *in) { return in + s->nblocks; }
static uint64_t *dot_sb(vec_suite *s, uint64_t *in) { return in + s->nblocks + s->nblocks * s->k; }
static uint64_t *dot_cb(vec_suite *s, uint64_t *in) { return in + 2 * s->nblocks + s->nblocks * s->k; }

static void dot_fill(vec_suite *s, uint64_t *in, uint64_t sa, uint64_t a, uint64_t sb, uint64_t b) {
  size_t nk = s->nblocks * s->k;
  for (size_t j = 0; j < s->nblocks; j++) dot_sa(s, in)[j] = sa, dot_sb(s, in)[j] = sb;
  for (size_t i = 0; i < nk; i++) dot_ca(s, in)[i] = a, dot_cb(s, in)[i] = b;
  in[2 * (s->nblocks + nk)] = 0;
  in[2 * (s->nblocks + nk) + 1] = 0;
}

static void dot_add(vec_suite *s, uint64_t *in, int has_c, uint32_t c) {
  size_t nk = s->nblocks * s->k;
  in[2 * (s->nblocks + nk)] = (uint64_t)has_c;
  in[2 * (s->nblocks + nk) + 1] = has_c ? c : 0;
  emit(s, in, 0);
}

static uint32_t f32_bits(float x) {
  uint32_t b;
  memcpy(&b, &x, 4);
  return b;
}

/* The negative of an element code (INT8: two's complement; FP: the sign bit). */
static uint64_t elem_neg(mx_block_fmt f, uint64_t code) {
  const mx_format_desc *d = mx_format(mx_block_element(f));
  if (d->kind == MX_KIND_INT) return (uint64_t)((0x100 - code) & 0xFF);
  return code ^ ((uint64_t)1 << (d->bits - 1));
}

/* One product a x b (codes) at element 0 of block 0 with scales 2^ea and 2^eb, every other
 * element zero (signed zeros `za`, `zb`). */
static void dot_one_product(vec_suite *s, uint64_t *in, uint64_t za, uint64_t zb, uint64_t a, uint64_t b, int ea,
                            int eb) {
  dot_fill(s, in, 0x7F, za, 0x7F, zb);
  dot_sa(s, in)[0] = (uint64_t)(127 + ea);
  dot_sb(s, in)[0] = (uint64_t)(127 + eb);
  dot_ca(s, in)[0] = a;
  dot_cb(s, in)[0] = b;
}

/* The result's sign and range edges: exact -0 (every product -0 without C, and with a -0 C;
 * +0 products with a -0 C), the smallest FP32 subnormal and its half (a tie to even at 0),
 * 1.5 ulp (a tie up), a subnormal C plus a product, the sum of tiny products of every block
 * (a dropped block shows), and C = +-FLT_MAX plus a product of half an ulp (the tie rounds
 * to even: overflow), of a quarter ulp and of just under half an ulp (FLT_MAX). */
static void dot_signs_and_edges(vec_suite *s, uint64_t *in) {
  const mx_format_desc *ea = mx_format(mx_block_element(s->bfmt)), *eb = mx_format(mx_block_element(s->bfmt_b));
  uint64_t one_a = elem_code(s->bfmt, 1.0), one_b = elem_code(s->bfmt_b, 1.0);
  uint64_t nz_a = ea->kind == MX_KIND_FLOAT ? (uint64_t)1 << (ea->bits - 1) : 0;
  uint64_t nz_b = eb->kind == MX_KIND_FLOAT ? (uint64_t)1 << (eb->bits - 1) : 0;
  size_t nk = s->nblocks * s->k;
  /* -0: (-0) x (+0) everywhere; and +0 products */
  if (nz_a) dot_fill(s, in, 0x7F, nz_a, 0x7F, 0);
  else dot_fill(s, in, 0x7F, 0, 0x7F, nz_b);
  dot_add(s, in, 0, 0);
  dot_add(s, in, 1, 0x80000000u);
  dot_add(s, in, 1, 0x00000000u);
  dot_fill(s, in, 0x7F, 0, 0x7F, 0);
  dot_add(s, in, 1, 0x80000000u);
  dot_add(s, in, 0, 0);
  /* exact cancellation to zero, with a -0 C: +0 under rne */
  dot_one_product(s, in, 0, 0, one_a, one_b, 0, 0);
  dot_ca(s, in)[1] = one_a;
  dot_cb(s, in)[1] = elem_neg(s->bfmt_b, one_b);
  dot_add(s, in, 1, 0x80000000u);
  /* subnormal FP32 results: 2^-149 (both signs), 2^-150 (tie to 0), 1.5 * 2^-149, 2^-127 */
  dot_one_product(s, in, 0, 0, one_a, one_b, -75, -74);
  dot_add(s, in, 0, 0);
  dot_cb(s, in)[0] = elem_neg(s->bfmt_b, one_b);
  dot_add(s, in, 0, 0);
  dot_one_product(s, in, 0, 0, one_a, one_b, -75, -75);
  dot_add(s, in, 0, 0);
  dot_add(s, in, 1, 0x00000001u); /* 2^-150 + 2^-149: tie, to even */
  dot_ca(s, in)[1] = one_a;
  dot_cb(s, in)[1] = one_b;
  dot_ca(s, in)[2] = one_a;
  dot_cb(s, in)[2] = one_b;
  dot_add(s, in, 0, 0); /* 3 * 2^-150 */
  dot_one_product(s, in, 0, 0, one_a, one_b, -64, -63);
  dot_add(s, in, 0, 0);
  dot_add(s, in, 1, 0x00000003u);
  /* one tiny product in every block: 2^-149 each, the sum is n * 2^-149 (drop a block, lose one) */
  dot_fill(s, in, 0x7F, 0, 0x7F, 0);
  for (size_t j = 0; j < s->nblocks; j++) {
    dot_sa(s, in)[j] = 127 - 75;
    dot_sb(s, in)[j] = 127 - 74;
    dot_ca(s, in)[j * s->k + (j * 7) % s->k] = one_a;
    dot_cb(s, in)[j * s->k + (j * 7) % s->k] = one_b;
  }
  dot_add(s, in, 0, 0);
  /* and one product of 1 in every block but the last, 2^20 in the last: the last block */
  dot_sa(s, in)[s->nblocks - 1] = 127 + 10;
  dot_sb(s, in)[s->nblocks - 1] = 127 + 10;
  dot_add(s, in, 0, 0);
  /* FLT_MAX + half an ulp (2^103): overflow; + a quarter ulp and + just under half: FLT_MAX */
  for (int sign = 0; sign < 2; sign++) {
    uint32_t cmax = sign ? 0xFF7FFFFFu : 0x7F7FFFFFu;
    uint64_t b1 = sign ? elem_neg(s->bfmt_b, one_b) : one_b;
    dot_one_product(s, in, 0, 0, one_a, b1, 52, 51);
    dot_add(s, in, 1, cmax);
    dot_sa(s, in)[0] = 127 + 51;
    dot_add(s, in, 1, cmax);
    dot_sa(s, in)[0] = 127 + 52;
    dot_ca(s, in)[1] = 1; /* the smallest positive element (code 1 in every format) */
    dot_cb(s, in)[1] = elem_neg(s->bfmt_b, sign ? elem_neg(s->bfmt_b, 1) : 1);
    dot_add(s, in, 1, cmax);
  }
  (void)nk;
}

/* The dot probes (harness/probe.h: every family that pins one accumulation-model parameter,
 * not the random MIXED family) of this suite's format pair and block count, every n-th. */
static void dot_probes(vec_suite *s, const gen_tier *t) {
  probe_case *pc;
  size_t n = probe_build(s->bfmt, s->bfmt_b, &pc), kept = 0;
  uint64_t *in = calloc(s->nin, sizeof *in);
  if (!in) abort();
  for (size_t i = 0; i < n; i++) {
    if (pc[i].family == PROBE_FAM_MIXED || pc[i].n != s->nblocks || pc[i].k != s->k) continue;
    if (kept++ % t->dot_probe_every) continue;
    for (size_t j = 0; j < s->nblocks; j++) dot_sa(s, in)[j] = pc[i].sa[j], dot_sb(s, in)[j] = pc[i].sb[j];
    for (size_t j = 0; j < s->nblocks * s->k; j++) dot_ca(s, in)[j] = pc[i].ca[j], dot_cb(s, in)[j] = pc[i].cb[j];
    dot_add(s, in, pc[i].has_c, pc[i].c);
  }
  free(in);
  free(pc);
}

/* Curated DotGenerals (spec_notes/dot.md): exact sums, cancellation, carry-out of 32
 * near-max products, overflow and underflow of the f32 result, E8M0 0x00/0xFE/0xFF scales,
 * Inf/NaN elements, a tie at the f32 rounding point, and C in every role; then random ones. */
void gen_dot(vec_suite *s, const gen_tier *t, uint64_t seed) {
  vec_suite_shape(s);
  uint64_t *in = calloc(s->nin, sizeof *in);
  if (!in) abort();
  const mx_format_desc *ea = mx_format(mx_block_element(s->bfmt)), *eb = mx_format(mx_block_element(s->bfmt_b));
  uint64_t one_a = elem_code(s->bfmt, 1.0), one_b = elem_code(s->bfmt_b, 1.0);
  uint64_t max_a = ea->max_code, max_b = eb->max_code;
  uint64_t sign_b = eb->kind == MX_KIND_INT ? 0 : (uint64_t)1 << (eb->bits - 1);
  size_t nk = s->nblocks * s->k;
  /* ones x ones: exactly 32 per block */
  dot_fill(s, in, 0x7F, one_a, 0x7F, one_b);
  dot_add(s, in, 0, 0);
  /* exact cancellation: B alternates +1 / -1 */
  dot_fill(s, in, 0x7F, one_a, 0x7F, one_b);
  for (size_t i = 1; i < nk; i += 2) dot_cb(s, in)[i] = eb->kind == MX_KIND_INT ? (uint64_t)(uint8_t)(0x100 - one_b) : one_b | sign_b;
  dot_add(s, in, 0, 0);
  dot_add(s, in, 1, f32_bits(1.0f));  /* C survives the cancellation */
  dot_add(s, in, 1, f32_bits(-0.0f));
  /* 32 near-max products per block (carry-out), then with the largest scales (overflow) */
  dot_fill(s, in, 0x7F, max_a, 0x7F, max_b);
  dot_add(s, in, 0, 0);
  dot_fill(s, in, 0xFE, max_a, 0xFE, max_b);
  dot_add(s, in, 0, 0);
  dot_add(s, in, 1, f32_bits(-3.0e38f));
  /* smallest elements with the smallest scales: the result underflows f32 */
  dot_fill(s, in, 0x00, 1, 0x00, 1);
  dot_add(s, in, 0, 0);
  dot_fill(s, in, 0x20, 1, 0x20, 1); /* 2^-95 each: subnormal f32 results */
  dot_add(s, in, 0, 0);
  /* a NaN scale makes the result NaN */
  dot_fill(s, in, 0xFF, one_a, 0x7F, one_b);
  dot_add(s, in, 0, 0);
  /* Inf and NaN elements where the format has them */
  if (ea->specials == MX_SPECIALS_IEEE) {
    uint64_t inf = (((uint64_t)1 << ea->ebits) - 1) << ea->mbits;
    dot_fill(s, in, 0x7F, 0, 0x7F, one_b);
    dot_ca(s, in)[3] = inf;
    dot_add(s, in, 0, 0);               /* Inf x 1 -> Inf */
    dot_cb(s, in)[3] = 0;
    dot_add(s, in, 0, 0);               /* Inf x 0 -> NaN */
  }
  if (ea->specials != MX_SPECIALS_NONE) {
    dot_fill(s, in, 0x7F, one_a, 0x7F, one_b);
    dot_ca(s, in)[0] = ea->specials == MX_SPECIALS_IEEE ? ((((uint64_t)1 << ea->ebits) - 1) << ea->mbits) | 1
                                                        : ((uint64_t)1 << (ea->bits - 1)) - 1;
    dot_add(s, in, 0, 0);               /* NaN element */
  }
  /* a tie at the f32 rounding point: 2^24 (block 0) + 1 (block 1) */
  if (s->nblocks >= 2) {
    dot_fill(s, in, 0x7F, 0, 0x7F, 0);
    dot_sa(s, in)[0] = 0x7F + 24;
    dot_ca(s, in)[0] = one_a;
    dot_cb(s, in)[0] = one_b;
    dot_ca(s, in)[s->k] = one_a;
    dot_cb(s, in)[s->k] = one_b;
    dot_add(s, in, 0, 0);
    dot_ca(s, in)[s->k + 1] = one_a;    /* 2^24 + 2: exact */
    dot_cb(s, in)[s->k + 1] = one_b;
    dot_add(s, in, 0, 0);
  }
  /* C in the special roles */
  dot_fill(s, in, 0x7F, one_a, 0x7F, one_b);
  dot_add(s, in, 1, 0x7FC00000u); /* NaN C */
  dot_add(s, in, 1, 0xFF800000u); /* -Inf C */
  dot_signs_and_edges(s, in);
  dot_probes(s, t);
  /* random: scales mostly near 2^0, sometimes anywhere; codes anywhere */
  uint64_t rng = suite_seed(seed, s->name);
  unsigned nrandom = s->nblocks == 2 ? t->dot_cases : t->dot_more_cases;
  for (unsigned r = 0; r < nrandom; r++) {
    uint64_t q = splitmix64(&rng);
    for (size_t j = 0; j < s->nblocks; j++) {
      uint64_t x = splitmix64(&rng);
      dot_sa(s, in)[j] = (q & 7) == 0 ? (x & 0xFF) : 0x70 + (x & 0x1F);
      dot_sb(s, in)[j] = (q & 7) == 0 ? ((x >> 8) & 0xFF) : 0x70 + ((x >> 8) & 0x1F);
      if (dot_sa(s, in)[j] == 0xFF && (q & 0x300)) dot_sa(s, in)[j] = 0xFE; /* NaN scales stay rare */
      if (dot_sb(s, in)[j] == 0xFF && (q & 0x300)) dot_sb(s, in)[j] = 0xFE;
    }
    for (size_t i = 0; i < nk; i++) {
      uint64_t x = splitmix64(&rng);
      dot_ca(s, in)[i] = x & (((uint64_t)1 << ea->bits) - 1);
      dot_cb(s, in)[i] = (x >> 16) & (((uint64_t)1 << eb->bits) - 1);
      if ((q >> 12) & 1) { /* sparse blocks: most products zero */
        if ((x >> 40) & 3) dot_ca(s, in)[i] = 0;
      }
    }
    int has_c = (q >> 20) & 1;
    uint32_t c = (uint32_t)(splitmix64(&rng) & 0x807FFFFFu) | (uint32_t)(0x3F000000u + ((q >> 24) % 0x10) * 0x800000u);
    dot_add(s, in, has_c, c);
  }
  free(in);
}


/* ---- NVFP4 (include/mxconform/nvfp4.h) ------------------------------------------------------
 * The families a narrow bug slips through, each built around a tensor scale that is a power of
 * two (the tensor amax A = 2688 * 2^j gives s_t = 2^j exactly under every nvfp4_tensor_scale
 * value), so that the quantity under test lands exactly where it should: a block amax on an
 * E4M3 rounding boundary of amax_b / (6 s_t) and one f32 step either side; elements on the
 * E2M1 midpoints (those that round across a binade: 0.75 -> 1, 1.75 -> 2, 3.5 -> 4) and beside
 * them; block scales that round to 0 or saturate at 448; tensor amaxes from 0 (all zeros, and
 * a calibrated amax of 0) through subnormal to FLT_MAX. Then seeded random tensors. */

static uint32_t nv_f32(double x) { return f32_bits((float)x); } /* x exact in f32 where used */
static double nv_pow2(int k) { /* 2^k, |k| < 1000: exact, no libm */
  double r = 1;
  for (; k > 0; k--) r *= 2;
  for (; k < 0; k++) r /= 2;
  return r;
}
static uint32_t nv_step(uint32_t bits, int up) { /* the f32 neighbour of a positive finite value */
  return up ? bits + 1 : bits ? bits - 1 : 0;
}

/* A tensor under construction: its last block is the block under test, block 0 carries the
 * tensor amax A when no calibrated amax is given (then every other block stays below A). */
typedef struct nv_case {
  uint64_t in[MX_BLOCK_MAX + 2]; /* 16 n values, has_amax, amax (n <= 64: the reader's limit) */
  size_t nb;
} nv_case;

static void nv_begin(nv_case *c, const vec_suite *s) {
  c->nb = s->nblocks;
  memset(c->in, 0, sizeof c->in);
}
static uint64_t *nv_block(nv_case *c, size_t b) { return c->in + b * MX_NVFP4_BLOCK; }
static uint64_t *nv_test_block(nv_case *c) { return nv_block(c, c->nb - 1); }

/* Emit the case twice where it can: with A given as a calibrated amax, and with A carried by
 * block 0 (a tensor of one block cannot carry it beside the block under test). */
static void nv_emit_with_amax(vec_suite *s, nv_case *c, uint32_t amax) {
  size_t nv = c->nb * MX_NVFP4_BLOCK;
  c->in[nv] = 1;
  c->in[nv + 1] = amax;
  emit(s, c->in, 0);
  if (c->nb < 2) return;
  c->in[nv] = 0;
  c->in[nv + 1] = 0;
  uint64_t keep = nv_block(c, 0)[0];
  nv_block(c, 0)[0] = amax;
  emit(s, c->in, 0);
  nv_block(c, 0)[0] = keep;
}

/* The 16 values of a block whose largest magnitude is `top` (f32 bits, placed at `at`): the
 * others are top * k / 16 for varied k (< 16) and signs. */
static void nv_fill_block(uint64_t *v, uint32_t top, unsigned at) {
  float t;
  memcpy(&t, &top, 4);
  for (unsigned i = 0; i < MX_NVFP4_BLOCK; i++) {
    float x = (float)((double)t * ((i * 5 + 3) % 16) / 16); /* below t: never overflows */
    v[i] = f32_bits((i & 1) ? -x : x);
  }
  v[at % MX_NVFP4_BLOCK] = top | ((at & 2u) ? 0x80000000u : 0u);
}

/* amax_b / (6 s_t) on every E4M3 midpoint (and at 448 | 464 | beyond), one step either side. */
static void nv_block_scale_boundaries(vec_suite *s, const gen_tier *t) {
  static const int js[] = {-10, 0, 7, -60};
  nv_case c;
  nv_begin(&c, s);
  unsigned every = t->binade_step == 1 ? 1 : 6;
  for (unsigned code = 0; code < 0x7F; code += every) {
    mpfr_t lo, hi;
    double vlo, vhi;
    mpfr_inits2(64, lo, hi, (mpfr_ptr)0);
    mxo_decode_signed(MX_E4M3, code, lo);
    if (code < 0x7E) mxo_decode_signed(MX_E4M3, code + 1, hi);
    else mpfr_set_ui(hi, 480, MPFR_RNDN); /* the step beyond 448 that satfinite clamps */
    vlo = mpfr_get_d(lo, MPFR_RNDN);
    vhi = mpfr_get_d(hi, MPFR_RNDN);
    mpfr_clears(lo, hi, (mpfr_ptr)0);
    int j = js[code % 4];
    uint32_t amax = nv_f32(2688.0 * nv_pow2(j)), mid = nv_f32((vlo + vhi) / 2 * 6 * nv_pow2(j));
    for (int d = -1; d <= 1; d++) {
      uint32_t top = d ? nv_step(mid, d > 0) : mid;
      nv_fill_block(nv_test_block(&c), top, code);
      nv_emit_with_amax(s, &c, amax);
    }
  }
}

/* The f32 values either side of x (> 0): the largest <= x and the smallest >= x. */
static void nv_f32_around(double x, uint32_t *lo, uint32_t *hi) {
  float f = (float)x;
  uint32_t b = f32_bits(f);
  *lo = (double)f > x ? b - 1 : b;
  *hi = (double)f < x ? b + 1 : b;
}

/* Where the block-scale formulas part: under tensor amaxes that are not 2688 * 2^j (s_t not a
 * power of two), the block amaxes just below and above each E4M3 midpoint m of the exact
 * quotient amax_b / (6 s_t) (s_t = RN(A / 2688)) and of Transformer Engine's product
 * RN(amax_b * RN(S_enc * RN(1/6))) (the amax_b nearest m / c). Cases with the amax calibrated;
 * written in the one-block suite only (the families' size, not their power, grows with n). */
static void nv_block_scale_formulas(vec_suite *s, const gen_tier *t) {
  static const float amaxes[] = {6.0f, 1.0f, 3.3f, 1000.0f, 0.01f};
  nv_case c;
  nv_begin(&c, s);
  unsigned every = t->binade_step == 1 ? 1 : 6;
  for (unsigned a = 0; a < sizeof amaxes / sizeof amaxes[0]; a++) {
    float A = amaxes[a], st = A / 2688.0f, senc = 2688.0f / A, inv6 = 1.0f / 6.0f, ct = senc * inv6;
    for (unsigned code = a % every; code < 0x7E; code += every) {
      mpfr_t lo, hi;
      mpfr_inits2(64, lo, hi, (mpfr_ptr)0);
      mxo_decode_signed(MX_E4M3, code, lo);
      mxo_decode_signed(MX_E4M3, code + 1, hi);
      double m = (mpfr_get_d(lo, MPFR_RNDN) + mpfr_get_d(hi, MPFR_RNDN)) / 2;
      mpfr_clears(lo, hi, (mpfr_ptr)0);
      uint32_t cand[4];
      nv_f32_around(m * 6 * (double)st, &cand[0], &cand[1]);
      nv_f32_around(m / (double)ct, &cand[2], &cand[3]);
      for (unsigned k = 0; k < 4; k++) {
        if (!cand[k]) continue;
        nv_fill_block(nv_test_block(&c), cand[k], code + k);
        nv_emit_with_amax(s, &c, f32_bits(A));
      }
    }
  }
}

/* Elements on and beside the E2M1 midpoints under s_t = 2^j, s_b = 2^i (the block amax is
 * 6 * 2^(i+j)), for E4M3 scales from the subnormal 2^-9 to 2^8. */
static void nv_element_midpoints(vec_suite *s) {
  static const double mids[] = {0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0};
  nv_case c;
  nv_begin(&c, s);
  for (int i = -9; i <= 8; i++) {
    int j = (i & 1) ? -10 : 3;
    double unit = nv_pow2(i + j);
    uint64_t *v = nv_test_block(&c);
    v[0] = nv_f32(6 * unit);
    for (unsigned m = 0; m < 7; m++)
      for (int d = -1; d <= 1; d++) {
        unsigned slot = 1 + (m * 3 + (unsigned)(d + 1)) % 15;
        uint32_t b = nv_f32(mids[m] * unit);
        v[slot] = (d ? nv_step(b, d > 0) : b) | (((m + (unsigned)i) & 1) ? 0x80000000u : 0u);
      }
    v[15] = 0x80000000u; /* -0 keeps its sign */
    nv_emit_with_amax(s, &c, nv_f32(2688.0 * nv_pow2(j)));
  }
}

/* Block scales that round to 0 (amax_b / (6 s_t) at 2^-10, the tie below E4M3's smallest
 * 2^-9, and beside it; 1.5 * 2^-9, the tie between codes 1 and 2) and that saturate at 448
 * (a calibrated amax below the block's: 448, 464, 500 and 2^20 times the block's share). */
static void nv_block_scale_extremes(vec_suite *s) {
  static const double ratios[] = {0x1p-10, 0x1p-11, 0x1.8p-9, 448, 464, 500, 0x1p20};
  nv_case c;
  nv_begin(&c, s);
  for (unsigned r = 0; r < sizeof ratios / sizeof ratios[0]; r++)
    for (int d = -1; d <= 1; d++) {
      int j = r & 1 ? -20 : 2;
      uint32_t top = nv_f32(ratios[r] * 6 * nv_pow2(j));
      nv_fill_block(nv_test_block(&c), d ? nv_step(top, d > 0) : top, r);
      nv_emit_with_amax(s, &c, nv_f32(2688.0 * nv_pow2(j)));
    }
}

/* The tensor scale: an all-zero tensor (signed zeros), a calibrated amax of 0 over nonzero
 * values, and amaxes from the smallest subnormal to FLT_MAX, on and beside 2688 * 2^j. */
static void nv_tensor_amax(vec_suite *s) {
  static const uint32_t amaxes[] = {0x00000001u, 0x00000100u, 0x00800000u, 0x3f800000u, 0x40c00000u, 0x45280000u,
                                    0x45280001u, 0x4527ffffu, 0x3b124925u, 0x7f7fffffu, 0x7f000000u, 0x1e3ce508u};
  nv_case c;
  nv_begin(&c, s);
  size_t nv = c.nb * MX_NVFP4_BLOCK;
  for (size_t i = 0; i < nv; i++) c.in[i] = (i % 3) ? 0x80000000u : 0; /* all zeros: s_t = 1 */
  emit(s, c.in, 0);
  nv_fill_block(nv_test_block(&c), 0x40400000u, 5); /* a calibrated amax of 0 over values up to 3 */
  c.in[nv] = 1;
  emit(s, c.in, 0);
  c.in[nv] = 0;
  for (unsigned a = 0; a < sizeof amaxes / sizeof amaxes[0]; a++) {
    nv_fill_block(nv_test_block(&c), amaxes[a], a); /* the tensor's own amax */
    /* the other blocks below it: half the bit pattern is a smaller positive f32 (or 0) */
    for (size_t b = 0; b + 1 < c.nb; b++) nv_fill_block(nv_block(&c, b), amaxes[a] >> 1 & 0x7FFFFFFFu, a + b);
    emit(s, c.in, 0);
    nv_emit_with_amax(s, &c, amaxes[a]);
  }
}

/* A random tensor: per block a random binade around a random tensor binade, values with
 * random significands (now and then exact E2M1 grid multiples, zeros, negative zeros). */
static void nv_random(vec_suite *s, unsigned count, uint64_t *rng) {
  nv_case c;
  nv_begin(&c, s);
  size_t nv = c.nb * MX_NVFP4_BLOCK;
  for (unsigned r = 0; r < count; r++) {
    uint64_t q = splitmix64(rng);
    int te = (int)(q % 60) - 30;
    for (size_t b = 0; b < c.nb; b++) {
      int be = te - (int)((splitmix64(rng) >> 7) % 12);
      for (unsigned i = 0; i < MX_NVFP4_BLOCK; i++) {
        uint64_t x = splitmix64(rng);
        uint32_t bits = (uint32_t)((be + (int)(x % 3) + 127) << 23) | (uint32_t)(x >> 20 & 0x7FFFFF);
        if ((x >> 60) == 0) bits &= 0xFFE00000u;   /* short significands: grid multiples */
        if ((x >> 58 & 15) == 1) bits = 0;         /* zeros */
        nv_block(&c, b)[i] = bits | (uint32_t)((x >> 50 & 1) << 31);
      }
    }
    c.in[nv] = (q >> 40 & 3) == 0; /* now and then a calibrated amax, within 2^-2 .. 2^2 of the tensor's */
    c.in[nv + 1] = c.in[nv] ? (uint32_t)((te + 125 + (int)(q >> 44 & 3)) << 23) | (uint32_t)(q >> 8 & 0x7FFFFF) : 0;
    emit(s, c.in, 0);
  }
}

void gen_nvfp4_quantize(vec_suite *s, const gen_tier *t, uint64_t seed) {
  vec_suite_shape(s);
  uint64_t rng = suite_seed(seed, s->name);
  if (s->nblocks <= 2) {
    nv_block_scale_boundaries(s, t);
    if (s->nblocks == 1) nv_block_scale_formulas(s, t); /* calibrated amax: one block is enough */
    nv_element_midpoints(s);
    nv_block_scale_extremes(s);
  }
  nv_tensor_amax(s);
  nv_random(s, t->quantize_blocks / (unsigned)(s->nblocks <= 2 ? 2 : 4), &rng);
}

/* Every block scale code (NaN 0x7F/0xFF, sign bit set, subnormal, 448) with all 16 codes,
 * under tensor scales that keep the results exact, make them round (0x3B124925 = RN(1/448)),
 * overflow (FLT_MAX), underflow into subnormals, or are 0, Inf and NaN; then random blocks. */
void gen_nvfp4_dequantize(vec_suite *s, const gen_tier *t, uint64_t seed) {
  vec_suite_shape(s);
  static const uint32_t tscales[] = {0x3f800000u, 0x3a800000u, 0x3b124925u, 0x7f7fffffu, 0x00000001u, 0x00800000u,
                                     0x2e000000u, 0x00000000u, 0x7f800000u, 0x7fc00000u, 0x3d4ccccdu, 0xbf800000u};
  const unsigned nts = sizeof tscales / sizeof tscales[0];
  uint64_t rng = suite_seed(seed, s->name), in[2 + MX_NVFP4_BLOCK];
  for (unsigned sc = 0; sc < 256; sc++) {
    in[0] = tscales[sc % nts];
    in[1] = sc;
    for (unsigned i = 0; i < MX_NVFP4_BLOCK; i++) in[2 + i] = (i + sc) & 0xF;
    emit(s, in, 0);
  }
  for (unsigned r = 0; r < nts * 4; r++) { /* each tensor scale with the extreme block scales */
    static const uint8_t edge[] = {0x00, 0x01, 0x7E, 0xFE};
    in[0] = tscales[r / 4];
    in[1] = edge[r % 4];
    for (unsigned i = 0; i < MX_NVFP4_BLOCK; i++) in[2 + i] = (i * 7 + r) & 0xF;
    emit(s, in, 0);
  }
  for (unsigned r = 0; r < t->dequantize_blocks; r++) {
    uint64_t x = splitmix64(&rng);
    in[0] = (uint32_t)((x & 0x807FFFFFu) | (uint32_t)(((x >> 32) % 80 + 80) << 23)); /* 2^-47 .. 2^32 */
    in[1] = x >> 40 & 0xFF;
    uint64_t y = splitmix64(&rng);
    for (unsigned i = 0; i < MX_NVFP4_BLOCK; i++) in[2 + i] = y >> (4 * i) & 0xF;
    emit(s, in, 0);
  }
}

/* ---- NVFP4 dot (spec_notes/nvfp4.md §7) --------------------------------------------------------
 * A case is [A tensor scale, A block scales, A codes, B ..., has_c, c] (vectors.h). Each
 * family puts what it tests in the LAST block too, so a loop that misses a block fails. */

typedef struct nd_case {
  vec_suite *s;
  size_t nb, half;
  uint64_t in[2 * (1 + 4 + 4 * MX_NVFP4_BLOCK) + 2];
} nd_case;

static void nd_begin(nd_case *c, vec_suite *s) {
  c->s = s;
  c->nb = s->nblocks;
  c->half = 1 + c->nb + c->nb * MX_NVFP4_BLOCK;
  memset(c->in, 0, sizeof c->in);
}
/* operand o (0 = A, 1 = B): its tensor scale, block scale j, element i of block j */
static uint64_t *nd_ts(nd_case *c, int o) { return &c->in[(size_t)o * c->half]; }
static uint64_t *nd_sc(nd_case *c, int o, size_t j) { return &c->in[(size_t)o * c->half + 1 + j]; }
static uint64_t *nd_el(nd_case *c, int o, size_t j, size_t i) {
  return &c->in[(size_t)o * c->half + 1 + c->nb + j * MX_NVFP4_BLOCK + i];
}
/* every block: scale codes sa / sb, every element code a / b; tensor scales ta / tb; no C */
static void nd_fill(nd_case *c, uint32_t ta, uint8_t sa, uint8_t a, uint32_t tb, uint8_t sb, uint8_t b) {
  *nd_ts(c, 0) = ta;
  *nd_ts(c, 1) = tb;
  for (size_t j = 0; j < c->nb; j++) {
    *nd_sc(c, 0, j) = sa;
    *nd_sc(c, 1, j) = sb;
    for (size_t i = 0; i < MX_NVFP4_BLOCK; i++) *nd_el(c, 0, j, i) = a, *nd_el(c, 1, j, i) = b;
  }
  c->in[2 * c->half] = c->in[2 * c->half + 1] = 0;
}
static void nd_emit(nd_case *c, int has_c, uint32_t cv) {
  c->in[2 * c->half] = (uint64_t)has_c;
  c->in[2 * c->half + 1] = has_c ? cv : 0;
  emit(c->s, c->in, 0);
}

/* The hand-checked examples of tests/test_nvfp4.c `worked_dot`, placed in the last block(s):
 * 6 x 6 x 448 x 448 x 2^-10 x 2^-10 = 6.890625; 1 + 2^-24 ties to even; + 2^-26 rounds up. */
static void nd_worked(vec_suite *s) {
  nd_case c;
  nd_begin(&c, s);
  size_t L = c.nb - 1;
  nd_fill(&c, 0x3A800000u, 0x7E, 0, 0x3A800000u, 0x7E, 0);
  *nd_el(&c, 0, L, 0) = *nd_el(&c, 1, L, 0) = 0x7;
  nd_emit(&c, 0, 0);
  nd_emit(&c, 1, 0xC0DC8000u); /* C = -6.890625: an exact cancellation, +0 */
  /* 1 (scale 16 x 2^-4 each) and 2^-24 (scale 2^-8 x 2^-8 = 0x02 x 0x02 at tensor 2^-4 each) */
  nd_fill(&c, 0x3D800000u, 0x02, 0, 0x3D800000u, 0x02, 0);
  *nd_sc(&c, 0, 0) = *nd_sc(&c, 1, 0) = 0x58;
  *nd_el(&c, 0, 0, 0) = *nd_el(&c, 1, 0, 0) = 0x2;
  if (c.nb == 1) { /* one block: the tie comes from C instead */
    nd_emit(&c, 1, 0x33800000u); /* 1 + 2^-24: ties to even, 1.0 */
    nd_emit(&c, 1, 0x33C00000u); /* 1 + 1.5 x 2^-24: up */
    return;
  }
  *nd_el(&c, 0, L, 0) = *nd_el(&c, 1, L, 0) = 0x2;
  nd_emit(&c, 0, 0);
  *nd_el(&c, 0, L, 1) = *nd_el(&c, 1, L, 1) = 0x1;
  nd_emit(&c, 0, 0);
}

/* Zeros and cancellation: all -0 products (-0), one +0 among them, zero scales and zero tensor
 * scales of either sign (products +-0 by the xor of every sign), C = +-0, and blocks that
 * cancel exactly (x and -x in one block, or block against block, or against C). */
static void nd_zeros(vec_suite *s) {
  static const uint32_t ts[] = {0x3F800000u, 0xBF800000u, 0x00000000u, 0x80000000u};
  nd_case c;
  nd_begin(&c, s);
  size_t L = c.nb - 1;
  for (unsigned t = 0; t < 4; t++) {
    nd_fill(&c, ts[t], 0x38, 0x8, 0x3F800000u, 0x38, 0x0); /* -0 x +0 */
    nd_emit(&c, 0, 0);
    nd_emit(&c, 1, 0x80000000u);
    nd_emit(&c, 1, 0x00000000u);
    *nd_el(&c, 1, L, 5) = 0x8; /* one (-0)(-0) = +0 */
    nd_emit(&c, 0, 0);
    nd_fill(&c, ts[t], 0x38, 0x7, 0x3F800000u, 0x00, 0xD); /* block scale 0 of B: 6 x -3 x 0 */
    nd_emit(&c, 0, 0);
    *nd_sc(&c, 1, L) = 0x80; /* the sign bit of a zero scale: a zero of the other sign when signed */
    nd_emit(&c, 0, 0);
  }
  nd_fill(&c, 0x3B124925u, 0x7E, 0x0, 0x3C000000u, 0x35, 0x0);
  for (size_t j = 0; j < c.nb; j++) {
    *nd_el(&c, 0, j, 3) = 0x6, *nd_el(&c, 1, j, 3) = 0x5;  /* 4 x 3 */
    *nd_el(&c, 0, j, 9) = 0xE, *nd_el(&c, 1, j, 9) = 0x5;  /* -4 x 3 */
    *nd_el(&c, 0, j, 15) = 0x3, *nd_el(&c, 1, j, 15) = 0x3; /* 1.5 x 1.5 */
    *nd_el(&c, 0, j, 0) = 0xB, *nd_el(&c, 1, j, 0) = 0x3;  /* -1.5 x 1.5 */
  }
  nd_emit(&c, 0, 0);
  nd_emit(&c, 1, 0x80000000u);
  if (c.nb > 1) { /* the first block against the last */
    nd_fill(&c, 0x3B124925u, 0x7E, 0x0, 0x3C000000u, 0x35, 0x0);
    *nd_el(&c, 0, 0, 2) = 0x7, *nd_el(&c, 1, 0, 2) = 0x7;
    *nd_el(&c, 0, L, 7) = 0xF, *nd_el(&c, 1, L, 7) = 0x7;
    nd_emit(&c, 0, 0);
    *nd_el(&c, 0, L, 8) = 0x1, *nd_el(&c, 1, L, 8) = 0x1; /* what is left: 0.25 s */
    nd_emit(&c, 0, 0);
  }
}

/* NaN: a NaN block scale (0x7F; 0xFF, NaN whether its sign is read or ignored) in A or B, in
 * the last block, among finite blocks, with or without C; C = NaN; C = +-Inf. */
static void nd_specials(vec_suite *s) {
  static const uint8_t nans[] = {0x7F, 0xFF};
  nd_case c;
  nd_begin(&c, s);
  size_t L = c.nb - 1;
  for (int o = 0; o < 2; o++)
    for (unsigned k = 0; k < 2; k++) {
      nd_fill(&c, 0x3F800000u, 0x38, 0x2, 0x3F800000u, 0x38, 0x3);
      *nd_sc(&c, o, L) = nans[k];
      nd_emit(&c, 0, 0);
      nd_emit(&c, 1, 0xFF800000u); /* NaN beats -Inf */
      nd_fill(&c, 0x3F800000u, 0x38, 0x0, 0x3F800000u, 0x38, 0x0); /* every element zero: still NaN */
      *nd_sc(&c, o, L) = nans[k];
      nd_emit(&c, 0, 0);
    }
  nd_fill(&c, 0x3F800000u, 0x38, 0x2, 0x3F800000u, 0x38, 0x3);
  nd_emit(&c, 1, 0x7FC00000u);
  nd_emit(&c, 1, 0x7F800001u); /* a signalling NaN C */
  nd_emit(&c, 1, 0x7F800000u);
  nd_emit(&c, 1, 0xFF800000u);
}

/* Magnitude: the largest products (6 x 6 x 448 x 448) under tensor scales that put the result
 * just below FLT_MAX, on the rounding edge to Inf, and above it; both signs; C = FLT_MAX
 * added; an overflow cancelled by C would be a finite value (exact-rne sees it whole). */
static void nd_extremes(vec_suite *s) {
  /* 16 n products 6 x 6 x 448 x 448 (2^26.8 n) under s_t(a) = 2^62: 2^88.8 n s_t(b), so s_t(b)
   * from 2^37 to 2^40 crosses FLT_MAX for n = 1, 2 and 4; FLT_MAX overflows any n; tiny ones don't */
  static const uint32_t tb[] = {0x52000000u, 0x52800000u, 0x52FFFFFFu, 0x53000000u, 0x537FFFFFu, 0x53800000u,
                                0x7F7FFFFFu, 0x00000001u, 0x00800000u, 0x0D000000u};
  nd_case c;
  nd_begin(&c, s);
  for (unsigned t = 0; t < sizeof tb / sizeof tb[0]; t++) {
    nd_fill(&c, 0x5E800000u, 0x7E, 0x7, tb[t], 0x7E, 0x7);
    nd_emit(&c, 0, 0);
    nd_emit(&c, 1, 0xFF7FFFFFu);
    *nd_el(&c, 1, c.nb - 1, 15) = 0xF; /* one product negative */
    nd_emit(&c, 0, 0);
  }
  /* FLT_MAX itself: one product 1 x 1 under scales whose product is FLT_MAX-ish */
  nd_fill(&c, 0x7F7FFFFFu, 0x38, 0x0, 0x3F800000u, 0x38, 0x0);
  *nd_el(&c, 0, c.nb - 1, 0) = *nd_el(&c, 1, c.nb - 1, 0) = 0x2;
  nd_emit(&c, 0, 0);
  nd_emit(&c, 1, 0x73800000u); /* + 2^104, one ulp of FLT_MAX: 2^128 is Inf */
  nd_emit(&c, 1, 0x73000000u); /* + 2^103, half an ulp: a tie, to even (Inf) */
  nd_emit(&c, 1, 0xF3800000u);
}

/* Subnormal results: tiny tensor scales put single products and sums on FP32's subnormal
 * grid, on ties of it (2^-150 + 2^-149 steps), and below half of 2^-149 (to +-0). */
static void nd_subnormal(vec_suite *s) {
  static const uint32_t ta[] = {0x00000001u, 0x00000003u, 0x00400000u, 0x007FFFFFu, 0x0C000000u, 0x0B800000u, 0x01000000u};
  static const uint8_t sc[] = {0x01, 0x08, 0x30, 0x38};
  nd_case c;
  nd_begin(&c, s);
  for (unsigned t = 0; t < sizeof ta / sizeof ta[0]; t++)
    for (unsigned k = 0; k < sizeof sc / sizeof sc[0]; k++) {
      nd_fill(&c, ta[t], sc[k], 0x0, 0x3F800000u, 0x38, 0x0);
      *nd_el(&c, 0, c.nb - 1, 0) = 0x1, *nd_el(&c, 1, c.nb - 1, 0) = 0x1;  /* 0.25 */
      *nd_el(&c, 0, c.nb - 1, 7) = 0x3, *nd_el(&c, 1, c.nb - 1, 7) = 0xA;  /* -1.5 */
      nd_emit(&c, 0, 0);
      *nd_el(&c, 0, 0, 4) = 0x5, *nd_el(&c, 1, 0, 4) = 0x2; /* + 3 */
      nd_emit(&c, 0, 0);
      nd_emit(&c, 1, 0x80000001u);
    }
}

/* Scales: every block scale code (sign bit set or not) against tensor scales that are not
 * powers of two (RN(1/448) = 0x3B124925, 0.1, -1), so that the product rounds. */
static void nd_scales(vec_suite *s) {
  static const uint32_t ts[] = {0x3B124925u, 0x3DCCCCCDu, 0xBF800000u, 0x3A800000u};
  nd_case c;
  nd_begin(&c, s);
  for (unsigned sc = 0; sc < 256; sc += 3) {
    if ((sc & 0x7F) == 0x7F) continue; /* NaN: nd_specials */
    nd_fill(&c, ts[sc % 4], (uint8_t)sc, 0x0, ts[(sc / 4) % 4], (uint8_t)(0x7E - (sc & 0x3F)), 0x0);
    for (size_t j = 0; j < c.nb; j++)
      for (size_t i = 0; i < MX_NVFP4_BLOCK; i++) {
        *nd_el(&c, 0, j, i) = (i * 5 + sc + j) & 0xF;
        *nd_el(&c, 1, j, i) = (i * 3 + 7 * j) & 0xF;
      }
    nd_emit(&c, 0, 0);
  }
}

/* Random: codes uniform, block scales mostly 0x20..0x7E (some with the sign bit), tensor
 * scales random in 2^-20 .. 2^5 of either sign, now and then a C of the result's size. */
static void nd_random(vec_suite *s, unsigned count, uint64_t *rng) {
  nd_case c;
  nd_begin(&c, s);
  for (unsigned r = 0; r < count; r++) {
    uint64_t q = splitmix64(rng);
    for (int o = 0; o < 2; o++) {
      uint64_t x = splitmix64(rng);
      *nd_ts(&c, o) = (uint32_t)(x & 0x807FFFFFu) | (uint32_t)((107 + (x >> 32) % 26) << 23);
      for (size_t j = 0; j < c.nb; j++) {
        uint64_t y = splitmix64(rng);
        uint8_t code = (uint8_t)(0x20 + y % 0x5F);
        if ((y >> 8) % 11 == 0) code |= 0x80;
        if ((y >> 12) % 17 == 0) code = (uint8_t)((y >> 20) % 8); /* subnormal block scale */
        *nd_sc(&c, o, j) = code;
        uint64_t z = splitmix64(rng);
        for (size_t i = 0; i < MX_NVFP4_BLOCK; i++) *nd_el(&c, o, j, i) = z >> (4 * i) & 0xF;
      }
    }
    int has_c = (q & 3) == 0;
    nd_emit(&c, has_c, has_c ? (uint32_t)(q >> 8 & 0x807FFFFFu) | (uint32_t)((100 + (q >> 40) % 30) << 23) : 0);
  }
}

void gen_nvfp4_dot(vec_suite *s, const gen_tier *t, uint64_t seed) {
  vec_suite_shape(s);
  uint64_t rng = suite_seed(seed, s->name);
  nd_worked(s);
  nd_zeros(s);
  nd_specials(s);
  nd_extremes(s);
  nd_subnormal(s);
  nd_scales(s);
  nd_random(s, t->dot_cases, &rng);
}

/* ---- the whole tier ------------------------------------------------------------------------ */

int gen_tier_suites(const gen_tier *t, uint64_t seed, const mx_profile *p, gen_suite_fn fn, void *ctx) {
  char generator[256];
  snprintf(generator, sizeof generator, "mxconform gen --tier %s --seed %llu (MPFR oracle)", t->name,
           (unsigned long long)seed);
#define START(S)                                       \
  vec_suite S;                                         \
  vec_suite_init(&S);                                  \
  S.knobs = *p;                                        \
  S.seed = seed;                                       \
  snprintf(S.generator, sizeof S.generator, "%s", generator)
#define FINISH(S)                                      \
  do {                                                 \
    int rc_ = fn(ctx, &S);                             \
    vec_suite_free(&S);                                \
    if (rc_) return rc_;                               \
  } while (0)
  for (int f = 0; f < MX_FMT_COUNT; f++) {
    if (!mx_format((mx_fmt)f)->is_element) continue;
    START(s);
    s.op = OP_DECODE;
    s.fmt = (mx_fmt)f;
    vec_suite_make_name(&s);
    gen_decode(&s);
    FINISH(s);
  }
  for (int si = 0; si < t->ncvt_src; si++)
    for (int f = 0; f < MX_FMT_COUNT; f++) {
      if (!mx_format((mx_fmt)f)->is_element) continue;
      for (int r = 0; r < MX_ROUND_COUNT; r++)
        for (int ov = 0; ov < 2; ov++) {
          if (si >= t->nfull_src && (!(t->extra_rounds >> r & 1) || ov != MX_SAT)) continue;
          START(s);
          s.op = OP_CVT;
          s.src = t->cvt_src[si];
          s.dst = (mx_fmt)f;
          s.round = (mx_round)r;
          s.overflow = (mx_overflow)ov;
          vec_suite_make_name(&s);
          gen_cvt(&s, t, seed);
          FINISH(s);
        }
    }
  for (int b = 0; b < MX_BLOCK_FMT_COUNT; b++) {
    /* quantize under the profile's rule, from every source; then one suite per rule that
     * names it (`param rule`), so that a target ignoring the rule fails under any profile */
    for (int q = 0; q < t->nquant_src + MX_RULE_COUNT; q++) {
      START(s);
      s.op = OP_QUANTIZE;
      s.bfmt = (mx_block_fmt)b;
      s.src = q < t->nquant_src ? t->quant_src[q] : MX_F32;
      s.rule = q < t->nquant_src ? -1 : q - t->nquant_src;
      vec_suite_make_name(&s);
      gen_quantize(&s, t, seed);
      FINISH(s);
    }
    static const mx_fmt ddst[] = {MX_F32, MX_BF16, MX_F64};
    for (size_t d = 0; d < sizeof ddst / sizeof ddst[0]; d++) {
      START(s);
      s.op = OP_DEQUANTIZE;
      s.bfmt = (mx_block_fmt)b;
      s.dst = ddst[d];
      vec_suite_make_name(&s);
      gen_dequantize(&s, t, seed);
      FINISH(s);
    }
    /* pack: a whole block, and the lengths that end inside a byte or a group: odd n for FP4
     * (the padding nibble), n = 1, 2, 3 (mod 4) for FP6 (a partial 3-byte group) */
    static const size_t pack_n[] = {MX_BLOCK_SIZE, 1, 2, 3, 5, 30, 31};
    for (int l = 0; l < MX_PACK_LAYOUT_COUNT; l++) {
      if (!mx_packed_size((mx_block_fmt)b, (mx_pack_layout)l, 1)) continue;
      if (l == MX_PACK_BYTE && mx_format(mx_block_element((mx_block_fmt)b))->bits == 8) continue; /* identity */
      for (size_t ni = 0; ni < sizeof pack_n / sizeof pack_n[0]; ni++) {
        if (ni && l == MX_PACK_BYTE) break; /* one code per byte: no partial groups */
        START(s);
        s.op = OP_PACK;
        s.bfmt = (mx_block_fmt)b;
        s.layout = (mx_pack_layout)l;
        s.k = pack_n[ni];
        vec_suite_make_name(&s);
        gen_pack(&s, t, seed);
        FINISH(s);
      }
    }
  }
  /* dot products: same-format pairs and two mixed ones (MXFP4 x MXFP6, MXFP8 x MXFP4) */
  static const mx_block_fmt dot_pairs[][2] = {
    {MX_MXFP8_E4M3, MX_MXFP8_E4M3}, {MX_MXFP8_E5M2, MX_MXFP8_E5M2}, {MX_MXFP6_E2M3, MX_MXFP6_E2M3},
    {MX_MXFP6_E3M2, MX_MXFP6_E3M2}, {MX_MXFP4_E2M1, MX_MXFP4_E2M1}, {MX_MXINT8, MX_MXINT8},
    {MX_MXFP4_E2M1, MX_MXFP6_E3M2}, {MX_MXFP8_E4M3, MX_MXFP4_E2M1}};
  /* with 2 blocks, and with 1, 3 and 4 (a loop over pairs of blocks, or one that stops
   * early, misses a block) */
  static const size_t dot_n[] = {2, 1, 3, 4};
  for (size_t i = 0; i < sizeof dot_pairs / sizeof dot_pairs[0]; i++)
    for (size_t ni = 0; ni < sizeof dot_n / sizeof dot_n[0]; ni++) {
      START(s);
      s.op = OP_DOT;
      s.bfmt = dot_pairs[i][0];
      s.bfmt_b = dot_pairs[i][1];
      s.nblocks = dot_n[ni];
      vec_suite_make_name(&s);
      gen_dot(&s, t, seed);
      FINISH(s);
    }
  /* NVFP4: tensors and dot operands of 1, 2 and 4 blocks of 16 (a tensor scale shared across
   * blocks); dequantize decodes one block (no count) */
  static const struct {
    vec_op op;
    void (*gen)(vec_suite *, const gen_tier *, uint64_t);
    size_t nblocks[3]; /* 0: the suite has no block count */
  } nvfp4_suites[] = {{OP_NVFP4_QUANTIZE, gen_nvfp4_quantize, {1, 2, 4}},
                      {OP_NVFP4_DEQUANTIZE, gen_nvfp4_dequantize, {0}},
                      {OP_NVFP4_DOT, gen_nvfp4_dot, {1, 2, 4}}};
  for (size_t i = 0; i < sizeof nvfp4_suites / sizeof nvfp4_suites[0]; i++)
    for (size_t ni = 0; ni < 3 && (ni == 0 || nvfp4_suites[i].nblocks[ni]); ni++) {
      START(s);
      s.op = nvfp4_suites[i].op;
      if (nvfp4_suites[i].nblocks[ni]) s.nblocks = nvfp4_suites[i].nblocks[ni];
      vec_suite_make_name(&s);
      nvfp4_suites[i].gen(&s, t, seed);
      FINISH(s);
    }
#undef START
#undef FINISH
  return 0;
}
