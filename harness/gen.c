/* Vector generation from the oracle: which inputs each suite holds (the expected outputs
 * always come from expect_case, i.e. the MPFR oracle). Deterministic: the same tier and
 * seed give the same bytes on every machine. */
#include "gen.h"

#include <stdlib.h>
#include <string.h>

#include "../oracle/oracle_print.h"
#include "expect.h"

const gen_tier gen_tiers[] = {
  /* name       cvt srcs                 random  sr   quant  dequant pack  dot */
  {"smoke", {MX_F32}, 1, 48, 32, 12, 12, 6, 16},
  {"standard", {MX_F32, MX_BF16, MX_F16, MX_F64}, 4, 256, 256, 160, 96, 48, 160},
  {"full", {MX_F32, MX_BF16, MX_F16, MX_F64}, 4, 8192, 8192, 4096, 2048, 512, 4096},
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
  set_sort_unique(&in);
  uint64_t rng = suite_seed(seed, s->name);
  size_t nrandom = (size_t)(s->round == MX_SR ? t->sr_random : t->random);
  vec_suite_shape(s);
  uint64_t out[1];
  for (size_t i = 0; i < in.n; i++) {
    uint32_t r = s->nrand ? (uint32_t)splitmix64(&rng) : 0;
    expect_case(s, &s->knobs, &in.v[i], r, out);
    vec_suite_add(s, &in.v[i], out, r);
  }
  for (size_t i = 0; i < nrandom; i++) {
    uint64_t b = random_source(s->src, s->dst, &rng);
    uint32_t r = s->nrand ? (uint32_t)splitmix64(&rng) : 0;
    expect_case(s, &s->knobs, &b, r, out);
    vec_suite_add(s, &b, out, r);
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

static void add_block(vec_suite *s, const uint64_t *v) {
  uint64_t out[1 + MX_BLOCK_MAX];
  expect_case(s, &s->knobs, v, 0, out);
  vec_suite_add(s, v, out, 0);
}

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
    v[i] = source_value(s->src, (int)((q >> 60) & 1), m, e);
  }
  uint64_t q = splitmix64(rng);
  if (q % 23 == 0) v[q % s->k] = (((uint64_t)1 << sd->ebits) - 1) << sd->mbits; /* Inf */
  if (q % 29 == 1) v[(q >> 8) % s->k] = ((((uint64_t)1 << sd->ebits) - 1) << sd->mbits) | 1; /* NaN */
}

void gen_quantize(vec_suite *s, const gen_tier *t, uint64_t seed) {
  vec_suite_shape(s);
  curated_blocks(s);
  uint64_t rng = suite_seed(seed, s->name), v[MX_BLOCK_MAX];
  for (unsigned i = 0; i < t->quantize_blocks; i++) {
    random_block(s, &rng, v);
    add_block(s, v);
  }
}

void gen_dequantize(vec_suite *s, const gen_tier *t, uint64_t seed) {
  vec_suite_shape(s);
  uint64_t rng = suite_seed(seed, s->name), in[1 + MX_BLOCK_MAX], out[MX_BLOCK_MAX];
  int bits = mx_format(mx_block_element(s->bfmt))->bits;
  static const uint8_t scales[] = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0xF7, 0xF6, 0x08};
  for (unsigned i = 0; i < t->dequantize_blocks + sizeof scales; i++) {
    in[0] = i < sizeof scales ? scales[i] : (splitmix64(&rng) & 0xFF);
    for (size_t j = 0; j < s->k; j++) in[1 + j] = i < sizeof scales ? (j * 7 + i) % (1u << bits) : splitmix64(&rng) % (1u << bits);
    expect_case(s, &s->knobs, in, 0, out);
    vec_suite_add(s, in, out, 0);
  }
}

void gen_pack(vec_suite *s, const gen_tier *t, uint64_t seed) {
  vec_suite_shape(s);
  uint64_t rng = suite_seed(seed, s->name), in[MX_BLOCK_MAX], out[MX_BLOCK_MAX];
  int bits = mx_format(mx_block_element(s->bfmt))->bits;
  for (unsigned i = 0; i < t->pack_cases; i++) {
    for (size_t j = 0; j < s->k; j++) in[j] = i == 0 ? j % (1u << bits) : splitmix64(&rng) % (1u << bits);
    expect_case(s, &s->knobs, in, 0, out);
    vec_suite_add(s, in, out, 0);
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
  uint64_t out[1];
  expect_case(s, &s->knobs, in, 0, out);
  vec_suite_add(s, in, out, 0);
}

static uint32_t f32_bits(float x) {
  uint32_t b;
  memcpy(&b, &x, 4);
  return b;
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
  /* random: scales mostly near 2^0, sometimes anywhere; codes anywhere */
  uint64_t rng = suite_seed(seed, s->name);
  for (unsigned r = 0; r < t->dot_cases; r++) {
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
  static const mx_fmt qsrc[] = {MX_F32, MX_BF16};
  for (int b = 0; b < MX_BLOCK_FMT_COUNT; b++) {
    for (size_t q = 0; q < sizeof qsrc / sizeof qsrc[0]; q++) {
      START(s);
      s.op = OP_QUANTIZE;
      s.bfmt = (mx_block_fmt)b;
      s.src = qsrc[q];
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
    for (int l = 0; l < MX_PACK_LAYOUT_COUNT; l++) {
      if (!mx_packed_size((mx_block_fmt)b, (mx_pack_layout)l, 1)) continue;
      if (l == MX_PACK_BYTE && mx_format(mx_block_element((mx_block_fmt)b))->bits == 8) continue; /* identity */
      START(s);
      s.op = OP_PACK;
      s.bfmt = (mx_block_fmt)b;
      s.layout = (mx_pack_layout)l;
      vec_suite_make_name(&s);
      gen_pack(&s, t, seed);
      FINISH(s);
    }
  }
  /* dot products: same-format pairs and two mixed ones (MXFP4 x MXFP6, MXFP8 x MXFP4) */
  static const mx_block_fmt dot_pairs[][2] = {
    {MX_MXFP8_E4M3, MX_MXFP8_E4M3}, {MX_MXFP8_E5M2, MX_MXFP8_E5M2}, {MX_MXFP6_E2M3, MX_MXFP6_E2M3},
    {MX_MXFP6_E3M2, MX_MXFP6_E3M2}, {MX_MXFP4_E2M1, MX_MXFP4_E2M1}, {MX_MXINT8, MX_MXINT8},
    {MX_MXFP4_E2M1, MX_MXFP6_E3M2}, {MX_MXFP8_E4M3, MX_MXFP4_E2M1}};
  for (size_t i = 0; i < sizeof dot_pairs / sizeof dot_pairs[0]; i++) {
    START(s);
    s.op = OP_DOT;
    s.bfmt = dot_pairs[i][0];
    s.bfmt_b = dot_pairs[i][1];
    s.nblocks = 2;
    vec_suite_make_name(&s);
    gen_dot(&s, t, seed);
    FINISH(s);
  }
#undef START
#undef FINISH
  return 0;
}
