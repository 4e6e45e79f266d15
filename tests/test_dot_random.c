/* MX dot products, N-version proofs: libmxref (integer logic) against the MPFR oracle on
 * random DotGenerals, most of them built to land on a hard case.
 *
 *   exact N [seed]      exact value rounded once (rne, and rtz / flush variants) — the
 *                       reference against the oracle's direct exact sum; every 8th case
 *                       also the oracle's step-by-step model evaluation of exact-rne
 *   sequential N [seed] the fp32-sequential preset, reference against oracle
 *   models N [seed]     random models (every group, presum, frac_bits, align, scale_at, acc,
 *                       c_at, final, accum, subnormal value; libmxref declines only finite
 *                       frac_bits with an exact accumulator), reference against oracle
 *   presets N [seed]    every named preset in turn, reference against oracle
 *   alignment N [seed]  the oracle's finite-frac_bits code path with frac_bits so wide that
 *                       nothing may be cut, against the reference's exact alignment
 *   round N [seed]      mxo_round_f32 (the oracle's own FP32 rounding) against MPFR's
 *                       exponent-range emulation (set_emin/emax, check_range, subnormalize)
 *   blas-loop N [seed]  the model group=1 accum=f32-rne c_at=last, both implementations,
 *                       against a plain FP32 C loop (a reference BLAS sgemm's order)
 *
 * Format pairs cycle through all 36 ordered pairs (fp8 x fp8, fp6 x fp4, int8 x fp8, ...).
 * The shapes (see gen_case) aim at: exact cancellation, 32 near-max products (carry-out),
 * subnormal elements, E8M0 0x00 / 0xFE / 0xFF scales, NaN and Inf elements, Inf x 0, results
 * that overflow FP32 or are FP32 subnormals, exact ties at the rounding point, signed zeros.
 * The run prints how many results fell in each class, so a generator that stopped reaching a
 * case shows up. Every failure prints the whole input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mxconform/mxref.h"
#include "oracle_dot.h"

#define NMAX 16
#define KMAX 64

typedef struct dcase {
  mx_block_fmt fa, fb;
  size_t n, k;
  uint8_t sa[NMAX], sb[NMAX];
  uint8_t ca[NMAX * KMAX], cb[NMAX * KMAX];
  int has_c;
  uint32_t c;
  int shape;
} dcase;

/* ---- randomness --------------------------------------------------------------------------- */

static uint64_t g_rng;
static uint64_t rnd64(void) {
  uint64_t z = (g_rng += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
static unsigned rnd(unsigned n) { return (unsigned)(rnd64() % n); }
static int chance(unsigned percent) { return rnd(100) < percent; }
static int rnd_range(int lo, int hi) { return lo + (int)rnd((unsigned)(hi - lo + 1)); }

/* ---- element codes, from the format table --------------------------------------------------- */

static mx_fmt efmt(mx_block_fmt f) { return mx_block_element(f); }
static unsigned ebits(mx_block_fmt f) { return (unsigned)mx_format(efmt(f))->bits; }
static int is_float(mx_block_fmt f) { return mx_format(efmt(f))->kind == MX_KIND_FLOAT; }

/* Per-format tables, built once: the generator runs a million times. */
static double g_val[MX_BLOCK_FMT_COUNT][256];     /* exact value of each code (NaN/Inf too) */
static uint8_t g_finite[MX_BLOCK_FMT_COUNT][256]; /* the finite codes */
static unsigned g_nfinite[MX_BLOCK_FMT_COUNT];
static uint8_t g_one[MX_BLOCK_FMT_COUNT];         /* the code of 1.0 */

static void build_format_tables(void) {
  for (int f = 0; f < MX_BLOCK_FMT_COUNT; f++) {
    mx_fmt e = mx_block_element((mx_block_fmt)f);
    unsigned ncodes = 1u << mx_format(e)->bits;
    for (unsigned c = 0; c < 256; c++) {
      uint64_t b = mxref_decode_f64_bits(e, c & (ncodes - 1));
      memcpy(&g_val[f][c], &b, 8);
    }
    for (unsigned c = 0; c < ncodes; c++) {
      mx_class cl = mx_classify(e, c);
      if (cl != MX_CLASS_NAN && cl != MX_CLASS_INF) g_finite[f][g_nfinite[f]++] = (uint8_t)c;
      if (g_val[f][c] == 1.0) g_one[f] = (uint8_t)c;
    }
  }
}

static uint8_t rand_finite(mx_block_fmt f) { return g_finite[f][rnd(g_nfinite[f])]; }

static uint8_t neg_code(mx_block_fmt f, uint8_t c) {
  if (is_float(f)) return (uint8_t)(c ^ (1u << (ebits(f) - 1)));
  int q = (int8_t)c;
  return q == -128 ? (uint8_t)0x80 : (uint8_t)(-q); /* -(-2) = 2 is not an INT8 code; callers avoid 0x80 */
}

static uint8_t max_code(mx_block_fmt f, int neg) {
  uint8_t c = (uint8_t)mx_format(efmt(f))->max_code;
  return neg ? neg_code(f, c) : c;
}

/* a subnormal element (float formats) or a small one (INT8) */
static uint8_t tiny_code(mx_block_fmt f) {
  const mx_format_desc *d = mx_format(efmt(f));
  if (d->kind == MX_KIND_INT) return (uint8_t)(int8_t)rnd_range(-3, 3);
  unsigned mant = 1 + rnd((1u << d->mbits) - 1);
  return (uint8_t)(mant | (chance(50) ? 1u << (d->bits - 1) : 0));
}

static double value_of(mx_block_fmt f, uint8_t c) { return g_val[f][c]; }

/* Two E8M0 bytes whose exponents add to t (-254 .. 254), split at random. */
static void split_scale(int t, uint8_t *xa, uint8_t *xb) {
  int sum = t + 254; /* 0 .. 508 */
  int lo = sum - 254 > 0 ? sum - 254 : 0, hi = sum < 254 ? sum : 254;
  int a = rnd_range(lo, hi);
  *xa = (uint8_t)a;
  *xb = (uint8_t)(sum - a);
}

static uint32_t f32_bits(float x) {
  uint32_t b;
  memcpy(&b, &x, 4);
  return b;
}

/* A random finite FP32 with binary exponent near e (clamped to the FP32 range). */
static uint32_t f32_near(int e, int sign) {
  e += rnd_range(-3, 3);
  uint32_t mant = (uint32_t)rnd64() & 0x7FFFFF;
  uint32_t bits;
  if (e > 127) bits = 0x7F000000u | mant;
  else if (e >= -126) bits = ((uint32_t)(e + 127) << 23) | mant;
  else if (e >= -149) bits = mant >> (-126 - e); /* subnormal */
  else bits = 1;
  return (sign ? 0x80000000u : 0u) | bits;
}

/* ---- the generator ---------------------------------------------------------------------------- */

enum {
  SH_NEAR, SH_WIDE, SH_SPARSE, SH_CANCEL, SH_NEARMAX, SH_SUBNORMAL, SH_EXTREME_SCALES, SH_SPECIALS,
  SH_TIE, SH_ZEROS, SH_BOUNDARY, SH_COUNT
};
static const char *const shape_names[SH_COUNT] = {"near",  "wide",     "sparse", "cancel", "nearmax", "subnormal",
                                                  "extreme-scales", "specials", "tie", "zeros", "boundary"};

/* rough log2 |block j sum| with unit scales (test-side estimate: only steers the generator) */
static double block_log2(const dcase *d, size_t j) {
  double s = 0;
  for (size_t i = 0; i < d->k; i++)
    s += value_of(d->fa, d->ca[j * d->k + i]) * value_of(d->fb, d->cb[j * d->k + i]);
  return (s == 0 || !isfinite(s)) ? -1000 : log2(fabs(s)); /* -1000: nothing to steer by */
}

static void gen_case(dcase *d, unsigned long idx) {
  memset(d, 0, sizeof *d);
  unsigned pair = (unsigned)(idx % 36);
  d->fa = (mx_block_fmt)(pair / 6);
  d->fb = (mx_block_fmt)(pair % 6);
  unsigned r = rnd(100);
  d->n = r < 35 ? 1 : r < 75 ? (size_t)rnd_range(2, 4) : (size_t)rnd_range(5, NMAX);
  d->k = chance(85) ? 32 : (size_t)rnd_range(1, KMAX);
  d->shape = (int)rnd(SH_COUNT);
  size_t n = d->n, k = d->k;
  for (size_t j = 0; j < n; j++) {
    d->sa[j] = (uint8_t)rnd_range(119, 135);
    d->sb[j] = (uint8_t)rnd_range(119, 135);
    for (size_t i = 0; i < k; i++) {
      d->ca[j * k + i] = rand_finite(d->fa);
      d->cb[j * k + i] = rand_finite(d->fb);
    }
  }
  int c_hint = 0; /* the exponent C should sit near, when it is drawn "near" */
  switch (d->shape) {
  case SH_NEAR: break;
  case SH_WIDE:
    for (size_t j = 0; j < n; j++) {
      d->sa[j] = (uint8_t)rnd(255);
      d->sb[j] = (uint8_t)rnd(255);
    }
    break;
  case SH_SPARSE: /* a few nonzero products per block, blocks far apart in exponent */
    for (size_t j = 0; j < n; j++) {
      split_scale(rnd_range(-200, 120), &d->sa[j], &d->sb[j]);
      for (size_t i = 0; i < k; i++)
        if (!chance(10)) d->ca[j * k + i] = 0;
    }
    break;
  case SH_CANCEL: /* second half of each block = first half with B negated; maybe perturbed */
    for (size_t j = 0; j < n; j++) {
      size_t h = k / 2;
      for (size_t i = 0; i < h; i++) {
        if (d->cb[j * k + i] == 0x80 && !is_float(d->fb)) d->cb[j * k + i] = 0x7F;
        d->ca[j * k + h + i] = d->ca[j * k + i];
        d->cb[j * k + h + i] = neg_code(d->fb, d->cb[j * k + i]);
      }
      if (k & 1) d->ca[j * k + k - 1] = 0;
      if (chance(50)) d->cb[j * k + rnd((unsigned)k)] = tiny_code(d->fb);
      if (j > 0 && chance(30)) { /* this block is the previous one negated */
        d->sa[j] = d->sa[j - 1];
        d->sb[j] = d->sb[j - 1];
        for (size_t i = 0; i < k; i++) {
          d->ca[j * k + i] = d->ca[(j - 1) * k + i];
          uint8_t b = d->cb[(j - 1) * k + i];
          d->cb[j * k + i] = (b == 0x80 && !is_float(d->fb)) ? 0x80 : neg_code(d->fb, b);
          if (b == 0x80 && !is_float(d->fb)) d->ca[j * k + i] = 0;
        }
      }
    }
    break;
  case SH_NEARMAX: { /* 32 near-max products of one sign: carry-out, and overflow of FP32 */
    int neg = chance(50);
    for (size_t j = 0; j < n; j++) {
      for (size_t i = 0; i < k; i++) {
        uint8_t a = max_code(d->fa, 0), b = max_code(d->fb, neg);
        if (chance(20)) a = (uint8_t)(a - 1); /* the next one down, same sign */
        d->ca[j * k + i] = a;
        d->cb[j * k + i] = b;
      }
      split_scale(rnd_range(60, 127 - (int)block_log2(d, j) + 3), &d->sa[j], &d->sb[j]);
    }
    c_hint = 127;
    break;
  }
  case SH_SUBNORMAL: /* subnormal elements, scales that put the sum among FP32 subnormals */
    for (size_t j = 0; j < n; j++) {
      for (size_t i = 0; i < k; i++) {
        d->ca[j * k + i] = chance(70) ? tiny_code(d->fa) : 0;
        d->cb[j * k + i] = chance(70) ? tiny_code(d->fb) : rand_finite(d->fb);
      }
      double l = block_log2(d, j);
      if (l > -900) split_scale(rnd_range(-160, -120) - (int)l, &d->sa[j], &d->sb[j]);
    }
    c_hint = -140;
    break;
  case SH_EXTREME_SCALES: {
    static const uint8_t ext[] = {0x00, 0x01, 0x02, 0xFD, 0xFE, 0x7F};
    for (size_t j = 0; j < n; j++) {
      d->sa[j] = ext[rnd(sizeof ext)];
      d->sb[j] = ext[rnd(sizeof ext)];
    }
    break;
  }
  case SH_SPECIALS: {
    size_t j = rnd((unsigned)n), i = rnd((unsigned)k);
    if (chance(20)) {
      if (chance(50)) d->sa[j] = 0xFF;
      else d->sb[j] = 0xFF;
    }
    mx_block_fmt f8[2] = {d->fa, d->fb};
    uint8_t *cc[2] = {d->ca, d->cb};
    for (int side = 0; side < 2; side++) {
      if (f8[side] == MX_MXFP8_E4M3 && chance(25)) cc[side][j * k + i] = chance(50) ? 0x7F : 0xFF;
      if (f8[side] == MX_MXFP8_E5M2 && chance(60)) {
        size_t t = rnd((unsigned)(n * k));
        unsigned kind = rnd(10);
        cc[side][t] = kind < 4 ? 0x7C : kind < 8 ? 0xFC : (uint8_t)(0x7D + rnd(3)); /* +Inf -Inf NaN */
        if (chance(20)) cc[1 - side][t] = 0; /* Inf x 0 */
      }
    }
    break;
  }
  case SH_TIE: { /* the exact sum is the midpoint of two FP32 neighbours (or just off it) */
    memset(d->ca, 0, sizeof d->ca);
    memset(d->cb, 0, sizeof d->cb);
    if (n < 2) d->n = n = 2;
    uint8_t oa = g_one[d->fa], ob = g_one[d->fb];
    int E = rnd_range(-165, 131);
    int G = E - 23 > -149 ? E - 23 : -149; /* the FP32 grid at 2^E */
    int sign = chance(50);
    d->ca[0] = oa;
    d->cb[0] = sign ? neg_code(d->fb, ob) : ob;
    split_scale(E, &d->sa[0], &d->sb[0]);
    d->ca[k] = oa; /* block 1: half a grid step, same or other sign */
    d->cb[k] = chance(50) ? neg_code(d->fb, ob) : ob;
    split_scale(G - 1, &d->sa[1], &d->sb[1]);
    if (n > 2) { /* block 2: one grid step (flips the parity) or a nudge off the tie */
      d->ca[2 * k] = oa;
      d->cb[2 * k] = chance(50) ? neg_code(d->fb, ob) : ob;
      split_scale(chance(50) ? G : G - 1 - rnd_range(1, 40), &d->sa[2], &d->sb[2]);
    }
    break;
  }
  case SH_ZEROS: /* signed zeros only (or all but one element) */
    for (size_t t = 0; t < n * k; t++) {
      d->ca[t] = is_float(d->fa) && chance(70) ? (uint8_t)(1u << (ebits(d->fa) - 1)) : 0;
      d->cb[t] = is_float(d->fb) && chance(50) ? (uint8_t)(1u << (ebits(d->fb) - 1)) : 0;
    }
    if (chance(20)) d->ca[rnd((unsigned)(n * k))] = rand_finite(d->fa);
    break;
  case SH_BOUNDARY: { /* the sum near 2^128, 2^-126 or 2^-149 */
    static const int targets[] = {127, 128, -126, -127, -149, -150};
    int t = targets[rnd(6)];
    for (size_t j = 0; j < n; j++) {
      double l = block_log2(d, j);
      if (l > -900) split_scale(t - (int)floor(l) - (j ? rnd_range(0, 30) : 0), &d->sa[j], &d->sb[j]);
    }
    c_hint = t;
    break;
  }
  default: break;
  }
  /* C: absent, near the sum, a tie partner, a signed zero, a subnormal or anything */
  if (chance(50)) {
    d->has_c = 1;
    unsigned kind = rnd(100);
    double l = block_log2(d, 0) + (int)d->sa[0] + (int)d->sb[0] - 254;
    int e = c_hint ? c_hint : (l > -900 ? (int)l : rnd_range(-149, 127));
    if (kind < 40) d->c = f32_near(e, chance(50));
    else if (kind < 55) d->c = chance(50) ? 0x80000000u : 0u;
    else if (kind < 70) d->c = (uint32_t)(rnd64() & 0x807FFFFFu); /* subnormal (or zero) */
    else if (kind < 80 && d->shape != SH_TIE) {
      /* C and a single product half of C's grid step apart: a tie */
      int ce = rnd_range(-160, 127);
      d->c = f32_near(ce, chance(50));
      uint32_t ef = (d->c >> 23) & 0xFF;
      int grid = ef ? (int)ef - 150 : -149;
      memset(d->ca, 0, sizeof d->ca);
      memset(d->cb, 0, sizeof d->cb);
      d->ca[0] = g_one[d->fa];
      d->cb[0] = chance(50) ? neg_code(d->fb, g_one[d->fb]) : g_one[d->fb];
      split_scale(grid - 1, &d->sa[0], &d->sb[0]);
    } else if (kind < 97) d->c = (uint32_t)rnd64() & 0xFF7FFFFFu; /* any finite */
    else d->c = chance(50) ? f32_bits(INFINITY) | (chance(50) ? 0x80000000u : 0) : 0x7FC00000u;
  }
}

static void print_case(const dcase *d) {
  fprintf(stderr, "  shape %s, %s x %s, n %zu, k %zu, C %s0x%08x\n", shape_names[d->shape],
          mx_block_fmt_names[d->fa], mx_block_fmt_names[d->fb], d->n, d->k, d->has_c ? "" : "(none) ", d->c);
  for (size_t j = 0; j < d->n; j++) {
    fprintf(stderr, "  block %zu scales 0x%02x 0x%02x\n    A:", j, d->sa[j], d->sb[j]);
    for (size_t i = 0; i < d->k; i++) fprintf(stderr, " %02x", d->ca[j * d->k + i]);
    fprintf(stderr, "\n    B:");
    for (size_t i = 0; i < d->k; i++) fprintf(stderr, " %02x", d->cb[j * d->k + i]);
    fprintf(stderr, "\n");
  }
}

/* ---- statistics ------------------------------------------------------------------------------ */

enum { ST_NAN, ST_INF, ST_ZERO, ST_NEGZERO, ST_SUBNORMAL, ST_NORMAL, ST_MAXFINITE, ST_TIE, ST_COUNT };
static const char *const st_names[ST_COUNT] = {"nan", "inf", "+0", "-0", "subnormal", "normal", "flt_max",
                                               "exact-tie"};
static unsigned long g_stats[ST_COUNT];

static void count_result(uint32_t r) {
  uint32_t m = r & 0x7FFFFFFFu;
  if (m > 0x7F800000u) g_stats[ST_NAN]++;
  else if (m == 0x7F800000u) g_stats[ST_INF]++;
  else if (m == 0) g_stats[r ? ST_NEGZERO : ST_ZERO]++;
  else if (m < 0x00800000u) g_stats[ST_SUBNORMAL]++;
  else g_stats[m == 0x7F7FFFFFu ? ST_MAXFINITE : ST_NORMAL]++;
}

/* Is the finite x exactly halfway between two FP32 neighbours? */
static int is_tie(mpfr_srcptr x) {
  if (!mpfr_number_p(x) || mpfr_zero_p(x)) return 0;
  uint32_t lo = mxo_round_f32(x, MX_DOT_RTZ, MX_DOT_SUBN_KEEP);
  if ((lo & 0x7FFFFFFFu) >= 0x7F7FFFFFu) return 0;
  mpfr_t a, b;
  mpfr_inits2(64, a, b, (mpfr_ptr)0);
  mxo_decode_signed(MX_F32, lo, a);
  mxo_decode_signed(MX_F32, lo + 1, b); /* the next magnitude, same sign */
  mpfr_add(a, a, b, MPFR_RNDN);         /* 25 significant bits at most: exact */
  mpfr_div_2ui(a, a, 1, MPFR_RNDN);
  int t = mpfr_equal_p(a, x);
  mpfr_clears(a, b, (mpfr_ptr)0);
  return t;
}

static void print_stats(unsigned long cases, unsigned long fails) {
  printf("%lu cases, %lu failures; results:", cases, fails);
  for (int i = 0; i < ST_COUNT; i++) printf(" %s %lu", st_names[i], g_stats[i]);
  printf("\n");
}

/* ---- the proofs -------------------------------------------------------------------------------- */

static unsigned long g_fails;

static int report(const char *what, const dcase *d, const mx_dot_model *m, uint32_t want, uint32_t got) {
  if (want == got) return 0;
  if (++g_fails <= 10) {
    fprintf(stderr, "FAIL %s: oracle 0x%08x, reference 0x%08x", what, want, got);
    if (m)
      fprintf(stderr, " (model group %u presum %u frac %d align %s scale_at %s acc %s c_at %s final %s accum %s %s)",
              m->group, m->presum, m->frac_bits, mx_dot_align_names[m->align], mx_dot_scale_at_names[m->scale_at],
              mx_dot_acc_names[m->acc], mx_dot_c_at_names[m->c_at], mx_dot_round_names[m->final_round],
              mx_dot_accum_names[m->accum], mx_dot_subnormal_names[m->subnormal]);
    if (m)
      fprintf(stderr, " (assign %s step_frac %d step_round %s)", mx_dot_assign_names[m->assign], m->step_frac,
              mx_dot_round_names[m->step_round]);
    fprintf(stderr, "\n");
    print_case(d);
  }
  return 1;
}

static void vecs(const dcase *d, mx_dot_vec *a, mx_dot_vec *b) {
  a->fmt = d->fa;
  a->scales = d->sa;
  a->codes = d->ca;
  b->fmt = d->fb;
  b->scales = d->sb;
  b->codes = d->cb;
}

static void run_exact(unsigned long n) {
  mpfr_t x;
  mpfr_init2(x, 64);
  for (unsigned long t = 0; t < n; t++) {
    dcase d;
    gen_case(&d, t);
    mx_dot_vec a, b;
    vecs(&d, &a, &b);
    const uint32_t *c = d.has_c ? &d.c : NULL;
    mx_dot_model m = MX_DOT_MODEL_EXACT_RNE;
    if (chance(20)) m.final_round = MX_DOT_RTZ;
    if (chance(10)) m.subnormal = MX_DOT_SUBN_FLUSH;
    if (mxo_dot_exact(&a, &b, d.n, d.k, c, x) != MX_DOT_OK) abort();
    uint32_t want = mpfr_nan_p(x) ? MX_DOT_F32_NAN
                    : mpfr_inf_p(x) ? (mpfr_signbit(x) ? 0xFF800000u : 0x7F800000u)
                                    : mxo_round_f32(x, m.final_round, m.subnormal);
    uint32_t got = 0;
    if (mxref_dot_general(&a, &b, d.n, d.k, c, &m, &got) != MX_DOT_OK) got = 0xDEADBEEFu;
    report("exact", &d, &m, want, got);
    count_result(got);
    if (is_tie(x)) g_stats[ST_TIE]++;
    if (t % 8 == 0) { /* the oracle's model path must agree with its direct exact sum */
      uint32_t o = 0;
      mxo_dot_general(&a, &b, d.n, d.k, c, &m, &o);
      report("oracle model path vs oracle exact sum", &d, &m, want, o);
    }
  }
  mpfr_clear(x);
}

static void random_model(mx_dot_model *m) {
  static const unsigned groups[] = {0, 1, 2, 3, 7, 8, 16, 31, 32, 64};
  m->group = groups[rnd(10)];
  m->presum = groups[rnd(10)];
  static const int fracs[] = {0, 1, 2, 5, 13, 23, 24, 25, 35, 60, 200};
  m->frac_bits = chance(50) ? MX_DOT_FRAC_EXACT : fracs[rnd(11)];
  m->align = (mx_dot_align)rnd(MX_DOT_ALIGN_COUNT);
  m->scale_at = (mx_dot_scale_at)rnd(MX_DOT_SCALE_AT_COUNT);
  m->acc = m->scale_at == MX_DOT_SCALE_PRODUCT ? (mx_dot_acc)rnd(MX_DOT_ACC_COUNT) : MX_DOT_ACC_SEPARATE;
  m->c_at = (mx_dot_c_at)rnd(MX_DOT_C_AT_COUNT);
  m->final_round = (mx_dot_round)rnd(MX_DOT_ROUND_COUNT);
  m->accum = (mx_dot_accum)rnd(MX_DOT_ACCUM_COUNT);
  if (m->frac_bits != MX_DOT_FRAC_EXACT && m->accum == MX_DOT_ACCUM_EXACT) /* libmxref declines these */
    m->accum = chance(50) ? MX_DOT_ACCUM_F32_RNE : MX_DOT_ACCUM_F32_RTZ;
  m->subnormal = chance(25) ? MX_DOT_SUBN_FLUSH : MX_DOT_SUBN_KEEP;
  /* the step parameters: interleaved steps, a narrowed step output (FP32 accumulators) */
  m->assign = chance(30) ? MX_DOT_ASSIGN_INTERLEAVED : MX_DOT_ASSIGN_CONTIGUOUS;
  static const int sfracs[] = {0, 1, 7, 10, 13, 16, 20, 22};
  m->step_frac = chance(30) && m->accum != MX_DOT_ACCUM_EXACT ? sfracs[rnd(8)] : MX_DOT_STEP_FRAC_F32;
  m->step_round = (mx_dot_round)rnd(MX_DOT_ROUND_COUNT);
}

/* mode: 0 the fp32-sequential preset, 1 random models, 2 the oracle's finite alignment made
 * wide against exact alignment, 3 every preset in turn */
static void run_models(unsigned long n, int mode) {
  const mx_dot_preset *seq = mx_dot_preset_find("fp32-sequential");
  unsigned long n_presets = 0;
  while (mx_dot_presets[n_presets].name) n_presets++;
  if (!seq || !n_presets) abort();
  for (unsigned long t = 0; t < n; t++) {
    dcase d;
    gen_case(&d, t);
    mx_dot_vec a, b;
    vecs(&d, &a, &b);
    const uint32_t *c = d.has_c ? &d.c : NULL;
    mx_dot_model m = seq->model, om;
    if (mode == 1 || mode == 2) random_model(&m);
    if (mode == 2) m.frac_bits = MX_DOT_FRAC_EXACT;
    if (mode == 3) m = mx_dot_presets[t % n_presets].model;
    om = m;
    if (mode == 2) om.frac_bits = MX_DOT_FRAC_MAX; /* wider than any exponent span: nothing cut */
    uint32_t want = 0, got = 0;
    if (mxo_dot_general(&a, &b, d.n, d.k, c, &om, &want) != MX_DOT_OK) abort();
    if (mxref_dot_general(&a, &b, d.n, d.k, c, &m, &got) != MX_DOT_OK) got = 0xDEADBEEFu;
    report(mode == 0 ? "fp32-sequential" : mode == 1 ? "model" : mode == 2 ? "wide alignment"
                                                              : mx_dot_presets[t % n_presets].name,
           &d, &om, want, got);
    count_result(got);
  }
}

/* The model group=1, accum=f32-rne, c_at=last (frac_bits exact) is the plain FP32 loop of a
 * reference BLAS sgemm/sdot (spec_notes/dot.md "A software target measured"): each product
 * rounded to FP32, added in index order, C added last. Both implementations against that loop
 * written in C floats (no FMA: -std=c11 turns contraction off, and the product goes through a
 * volatile). The loop starts at -0 as the model does (BLAS starts at +0: an all -0 sum differs
 * there, by design of the comparison). Cases with an operand value >= 2^128, which has no FP32
 * value to put in the loop, are skipped and counted; so are those where dot.h's special-value
 * rule 4 (C = +-Inf decides the result before any arithmetic) meets a loop whose finite
 * products and sums overflowed to NaN or the other Inf (the loop's NaN is IEEE order, the
 * rule is dot.h's choice). */
static int loop_has_inf_product(const float *a, const float *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (isinf(a[i]) || isinf(b[i])) return 1;
  return 0;
}

static void run_blas_loop(unsigned long n) {
  unsigned long skipped = 0, c_inf_rule = 0;
  mx_dot_model m = MX_DOT_MODEL_EXACT_RNE;
  m.group = 1;
  m.accum = MX_DOT_ACCUM_F32_RNE;
  m.c_at = MX_DOT_C_LAST;
  for (unsigned long t = 0; t < n; t++) {
    dcase d;
    gen_case(&d, t);
    static float va[NMAX * KMAX], vb[NMAX * KMAX];
    int fits = 1;
    for (size_t i = 0; i < d.n * d.k && fits; i++) {
      double x = value_of(d.fa, d.ca[i]) * ldexp(1.0, d.sa[i / d.k] - 127);
      double y = value_of(d.fb, d.cb[i]) * ldexp(1.0, d.sb[i / d.k] - 127);
      va[i] = d.sa[i / d.k] == 0xFF ? NAN : (float)x;
      vb[i] = d.sb[i / d.k] == 0xFF ? NAN : (float)y;
      fits = (isinf(va[i]) == isinf(x)) && (isinf(vb[i]) == isinf(y));
    }
    if (!fits) {
      skipped++;
      continue;
    }
    float acc = -0.0f, cf;
    for (size_t i = 0; i < d.n * d.k; i++) {
      volatile float p = va[i] * vb[i];
      acc = acc + p;
    }
    memcpy(&cf, &d.c, 4);
    if (d.has_c && isinf(cf) && (isnan(acc) || (isinf(acc) && signbit(cf) != signbit(acc))) &&
        !loop_has_inf_product(va, vb, d.n * d.k)) {
      c_inf_rule++; /* dot.h rule 4 decides C = +-Inf before any arithmetic: that Inf, where the
                       loop's finite products and sums have overflowed (to NaN, or to the other
                       Inf) and give NaN */
      continue;
    }
    if (d.has_c) acc = acc + cf;
    uint32_t loop = isnan(acc) ? MX_DOT_F32_NAN : f32_bits(acc);
    mx_dot_vec a, b;
    vecs(&d, &a, &b);
    const uint32_t *c = d.has_c ? &d.c : NULL;
    uint32_t o = 0, r = 0;
    if (mxo_dot_general(&a, &b, d.n, d.k, c, &m, &o) != MX_DOT_OK) abort();
    if (mxref_dot_general(&a, &b, d.n, d.k, c, &m, &r) != MX_DOT_OK) r = 0xDEADBEEFu;
    report("FP32 loop (want) vs oracle model", &d, &m, loop, (o >> 23 & 0xFF) == 0xFF && o & 0x7FFFFF ? MX_DOT_F32_NAN : o);
    report("FP32 loop (want) vs reference model", &d, &m, loop,
           (r >> 23 & 0xFF) == 0xFF && r & 0x7FFFFF ? MX_DOT_F32_NAN : r);
    count_result(r);
  }
  printf("blas-loop: %lu cases skipped (an operand value >= 2^128), %lu left to rule 4 (C = +-Inf against finite "
         "products that overflowed to NaN or the other Inf)\n", skipped, c_inf_rule);
}

/* mxo_round_f32 against MPFR's own binary32 emulation, on values of every precision around
 * the overflow threshold, the normal range and the subnormal range. */
static void run_round(unsigned long n) {
  mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
  mpfr_t x, y;
  mpfr_init2(x, 128);
  mpfr_init2(y, 24);
  for (unsigned long t = 0; t < n; t++) {
    /* an integer of `bits` significant bits, its last bit often set (ties, near-ties) */
    int bits = chance(50) ? rnd_range(1, 30) : rnd_range(1, 100);
    __extension__ unsigned __int128 v = ((unsigned __int128)rnd64() << 64) | rnd64();
    v = (v | ((unsigned __int128)1 << 127)) >> (128 - bits);
    if (chance(50)) v |= 1;
    mpfr_set_uj_2exp(x, (uint64_t)(v >> 64), 64, MPFR_RNDN);
    {
      mpfr_t l;
      mpfr_init2(l, 64);
      mpfr_set_uj(l, (uint64_t)v, MPFR_RNDN);
      mpfr_add(x, x, l, MPFR_RNDN); /* exact at precision 128 */
      mpfr_clear(l);
    }
    int e = rnd_range(-175, 135);
    mpfr_mul_2si(x, x, e - (int)mpfr_get_exp(x), MPFR_RNDN);
    if (chance(50)) mpfr_neg(x, x, MPFR_RNDN);
    for (int mode = 0; mode < 2; mode++) {
      mpfr_rnd_t r = mode ? MPFR_RNDZ : MPFR_RNDN;
      int tern = mpfr_set(y, x, r); /* 24 bits, exponent unbounded */
      mpfr_set_emin(-148);
      mpfr_set_emax(128);
      tern = mpfr_check_range(y, tern, r);
      mpfr_subnormalize(y, tern, r);
      float f = mpfr_get_flt(y, MPFR_RNDN); /* exact: y is a binary32 value */
      mpfr_set_emin(emin);
      mpfr_set_emax(emax);
      uint32_t want = f32_bits(f);
      for (int fl = 0; fl < 2; fl++) {
        uint32_t w = want;
        if (fl && (w & 0x7FFFFFFFu) < 0x00800000u) w &= 0x80000000u;
        uint32_t got = mxo_round_f32(x, mode ? MX_DOT_RTZ : MX_DOT_RNE, fl ? MX_DOT_SUBN_FLUSH : MX_DOT_SUBN_KEEP);
        if (got != w && ++g_fails <= 10) {
          mpfr_fprintf(stderr, "FAIL round %s%s of %Ra: mxo_round_f32 0x%08x, MPFR 0x%08x\n", mode ? "rtz" : "rne",
                       fl ? " flush" : "", x, got, w);
        }
        if (!fl) count_result(got);
      }
    }
  }
  mpfr_clears(x, y, (mpfr_ptr)0);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: test_dot_random exact|sequential|models|alignment|presets|round|blas-loop N [seed]\n");
    return 2;
  }
  unsigned long n = strtoul(argv[2], NULL, 0);
  g_rng = argc > 3 ? strtoull(argv[3], NULL, 0) : 0x6D78646F74ull; /* "mxdot" */
  build_format_tables();
  if (!strcmp(argv[1], "exact")) run_exact(n);
  else if (!strcmp(argv[1], "sequential")) run_models(n, 0);
  else if (!strcmp(argv[1], "models")) run_models(n, 1);
  else if (!strcmp(argv[1], "alignment")) run_models(n, 2);
  else if (!strcmp(argv[1], "presets")) run_models(n, 3);
  else if (!strcmp(argv[1], "round")) run_round(n);
  else if (!strcmp(argv[1], "blas-loop")) run_blas_loop(n);
  else {
    fprintf(stderr, "test_dot_random: unknown proof '%s'\n", argv[1]);
    return 2;
  }
  print_stats(n, g_fails);
  return g_fails ? 1 : 0;
}
