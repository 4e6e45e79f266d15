/* Structured fuzz inputs (fuzz_gen.h). Values are built from the destination's own code
 * values (decoded by libmxref's table-driven decoder) and the source format's bit layout;
 * nothing here computes an expected output. */
#include "fuzz_gen.h"

#include <math.h>
#include <string.h>

#include "mxconform/mxref.h"
#include "mxconform/nvfp4.h"

/* ---- choices ------------------------------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void fuzz_src_seed(fuzz_src *r, uint64_t seed) {
  memset(r, 0, sizeof *r);
  r->state = seed;
}

void fuzz_src_bytes(fuzz_src *r, const uint8_t *data, size_t size) {
  memset(r, 0, sizeof *r);
  r->data = data;
  r->size = size;
  r->from_bytes = 1;
}

static unsigned next_byte(fuzz_src *r) {
  if (!r->size) return 0;
  r->size--;
  return *r->data++;
}

uint64_t fuzz_word(fuzz_src *r) {
  if (!r->from_bytes) return splitmix64(&r->state);
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= (uint64_t)next_byte(r) << (8 * i);
  return v;
}

unsigned fuzz_below(fuzz_src *r, unsigned n) {
  if (n <= 1) return 0;
  if (!r->from_bytes) return (unsigned)(splitmix64(&r->state) % n);
  unsigned v = next_byte(r);
  if (n > 256) v |= next_byte(r) << 8;
  return v % n;
}

static int coin(fuzz_src *r, unsigned one_in) { return fuzz_below(r, one_in) == 0; }

static unsigned pick_weighted(fuzz_src *r, const unsigned *w, unsigned n) {
  unsigned total = 0;
  for (unsigned i = 0; i < n; i++) total += w[i];
  unsigned x = fuzz_below(r, total);
  for (unsigned i = 0; i < n; i++) {
    if (x < w[i]) return i;
    x -= w[i];
  }
  return 0;
}

int fuzz_ops_parse(const char *text, unsigned *mask) {
  *mask = 0;
  const char *p = text;
  while (*p) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    int found = 0;
    for (int op = OP_CVT; op < OP_COUNT; op++)
      if (strlen(op_table[op].name) == n && !strncmp(op_table[op].name, p, n)) {
        *mask |= 1u << op;
        found = 1;
      }
    if (!found) return -1;
    p += n + (e != NULL);
  }
  return *mask ? 0 : -1;
}

/* ---- source values -------------------------------------------------------------------------- */

static uint64_t mask_bits(int bits) { return bits >= 64 ? ~0ull : ((1ull << bits) - 1); }
static uint64_t sign_bit(mx_fmt f) { return 1ull << (mx_format(f)->bits - 1); }
static uint64_t inf_bits(mx_fmt f) { return mask_bits(mx_format(f)->ebits) << mx_format(f)->mbits; }

double fuzz_source_value(mx_fmt src, uint64_t bits) {
  const mx_format_desc *d = mx_format(src);
  uint64_t e = (bits >> d->mbits) & mask_bits(d->ebits), m = bits & mask_bits(d->mbits);
  double v;
  if (e == mask_bits(d->ebits)) v = m ? NAN : INFINITY;
  else if (e) v = ldexp((double)(m | (1ull << d->mbits)), (int)e - d->bias - d->mbits);
  else v = ldexp((double)m, d->emin - d->mbits);
  return (bits & sign_bit(src)) ? -v : v;
}

/* d in source format src, rounded toward zero (exact when representable); beyond the
 * format's range: Inf. */
static uint64_t src_from_double(mx_fmt src, double d) {
  const mx_format_desc *f = mx_format(src);
  uint64_t sign = signbit(d) ? sign_bit(src) : 0;
  d = fabs(d);
  if (isnan(d)) return sign | inf_bits(src) | (1ull << (f->mbits - 1));
  if (isinf(d)) return sign | inf_bits(src);
  if (d == 0) return sign;
  if (src == MX_F64) {
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return sign | b;
  }
  int e;
  (void)frexp(d, &e);
  int binade = e - 1;
  if (binade > f->emax) return sign | inf_bits(src);
  int lsb = (binade >= f->emin ? binade : f->emin) - f->mbits; /* exponent of the last place */
  uint64_t q = (uint64_t)ldexp(d, -lsb);                        /* truncates below it */
  if (binade >= f->emin) return sign | ((uint64_t)(binade + f->bias) << f->mbits) | (q & mask_bits(f->mbits));
  return sign | q; /* subnormal or zero */
}

/* The bit pattern d places away in magnitude (same sign), kept within [0, Inf]. */
static uint64_t src_nudge(mx_fmt src, uint64_t bits, int d) {
  uint64_t s = bits & sign_bit(src), m = bits & ~sign_bit(src), top = inf_bits(src);
  if (m > top) return bits; /* a NaN stays itself */
  if (d < 0 && m < (uint64_t)-d) m = 0;
  else m += (uint64_t)(int64_t)d;
  return s | (m > top ? top : m);
}

static int small_delta(fuzz_src *r) {
  static const int d[] = {0, 0, 1, -1, 1, -1, 2, -2};
  return d[fuzz_below(r, 8)];
}

static double signed_value(fuzz_src *r, double v) { return coin(r, 2) ? -v : v; }

/* A random source value in binade b with a random significand. */
static double random_in_binade(fuzz_src *r, int b) {
  return ldexp(1.0 + (double)(fuzz_word(r) >> 11) * 0x1p-53, b);
}

/* The special and edge bit patterns of a source format. */
static uint64_t src_special(fuzz_src *r, mx_fmt src) {
  const mx_format_desc *d = mx_format(src);
  uint64_t s = coin(r, 2) ? sign_bit(src) : 0, inf = inf_bits(src);
  switch (fuzz_below(r, 9)) {
  case 0: return s;
  case 1: return s | inf;
  case 2: return s | inf | (1ull << (d->mbits - 1)); /* quiet NaN */
  case 3: return s | inf | 1;                         /* signalling NaN */
  case 4: return s | inf | mask_bits(d->mbits);       /* NaN, all-ones payload */
  case 5: return s | 1;                               /* smallest subnormal */
  case 6: return s | mask_bits(d->mbits);             /* largest subnormal */
  case 7: return s | (1ull << d->mbits);              /* smallest normal */
  default: return s | (inf - 1);                      /* largest finite */
  }
}

static uint64_t src_subnormal(fuzz_src *r, mx_fmt src) {
  const mx_format_desc *d = mx_format(src);
  uint64_t m = fuzz_word(r) & mask_bits(d->mbits);
  if (coin(r, 3)) m >>= fuzz_below(r, (unsigned)d->mbits); /* the smallest ones too */
  return (coin(r, 2) ? sign_bit(src) : 0) | (m ? m : 1);
}

/* ---- destination code values ------------------------------------------------------------------ */

/* Codes 0..max_code of every element/scale format are its non-negative finite values in
 * increasing order (INT8: 0..127; E8M0: 2^-127..2^127). */
static double code_value(mx_fmt e, uint64_t c) {
  uint64_t b = mxref_decode_f64_bits(e, (uint32_t)c);
  double v;
  memcpy(&v, &b, sizeof v);
  return v;
}

static uint64_t max_code(mx_fmt e) { return mx_format(e)->max_code; }

/* The value one step above the largest (as if the grid went on): the overflow band's end. */
static double past_max(mx_fmt e) {
  double vmax = code_value(e, max_code(e)), below = code_value(e, max_code(e) - 1);
  if (mx_format(e)->kind == MX_KIND_SCALE) return 2 * vmax;
  return vmax + (vmax - below);
}

/* A value on the element grid or between two neighbours of it: a code value, a midpoint
 * (a rounding boundary of the nearest modes), or anywhere between (directed modes, sr). */
static double grid_value(fuzz_src *r, mx_fmt e, uint64_t lo, uint64_t hi) {
  uint64_t c = lo + fuzz_below(r, (unsigned)(hi - lo));
  double a = code_value(e, c), b = code_value(e, c + 1);
  switch (fuzz_below(r, 4)) {
  case 0: return a;
  case 1:
  case 2: return (a + b) / 2;
  default: return a + (b - a) * (double)(fuzz_word(r) >> 11) * 0x1p-53;
  }
}

/* Lowest codes of a format: its subnormals and first normal binade (floats). */
static uint64_t low_codes(mx_fmt e) {
  const mx_format_desc *d = mx_format(e);
  uint64_t n = d->kind == MX_KIND_FLOAT ? (2ull << d->mbits) : 4;
  return n < max_code(e) ? n : max_code(e);
}

/* ---- the strategies ------------------------------------------------------------------------- */

typedef void (*case_fn)(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd);

typedef struct strategy {
  vec_op op;
  const char *name;
  unsigned base;            /* weight before the op's dependencies */
  const char *aims[6];      /* knobs and suite parameters the strategy exercises */
  case_fn fn;
} strategy;

static const char *g_last = "";

const char *fuzz_last_strategy(void) { return g_last; }

/* cvt ---------------------------------------------------------------------------------------- */

static void cvt_code(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  double v = code_value(s->dst, fuzz_below(r, (unsigned)max_code(s->dst) + 1));
  in[0] = src_nudge(s->src, src_from_double(s->src, signed_value(r, v)), small_delta(r));
}

static void cvt_boundary(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  double v = grid_value(r, s->dst, 0, max_code(s->dst));
  if (coin(r, 8)) v = code_value(s->dst, coin(r, 2)) / 2; /* below the smallest values */
  in[0] = src_nudge(s->src, src_from_double(s->src, signed_value(r, v)), small_delta(r));
}

static void cvt_overflow(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  double vmax = code_value(s->dst, max_code(s->dst)), next = past_max(s->dst), v;
  switch (fuzz_below(r, 5)) {
  case 0: v = (vmax + next) / 2; break; /* the overflow threshold of the nearest modes */
  case 1: v = next; break;
  case 2: v = vmax + (next - vmax) * (double)(fuzz_word(r) >> 11) * 0x1p-53; break;
  case 3: v = ldexp(vmax, 1 + (int)fuzz_below(r, 40)); break;
  default: v = INFINITY; break;
  }
  in[0] = src_nudge(s->src, src_from_double(s->src, signed_value(r, v)), small_delta(r));
}

static void cvt_dst_subnormal(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  double v = grid_value(r, s->dst, 0, low_codes(s->dst));
  in[0] = src_nudge(s->src, src_from_double(s->src, signed_value(r, v)), small_delta(r));
}

static void cvt_src_subnormal(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  in[0] = src_subnormal(r, s->src);
}

static void cvt_special(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  in[0] = src_special(r, s->src);
}

static void cvt_raw(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  in[0] = fuzz_word(r) & mask_bits(mx_format(s->src)->bits);
}

static void cvt_binade(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  const mx_format_desc *d = mx_format(s->dst);
  int lo = d->kind == MX_KIND_INT ? -9 : d->emin - d->mbits - 2, hi = d->emax + 2;
  double v = random_in_binade(r, lo + (int)fuzz_below(r, (unsigned)(hi - lo + 1)));
  in[0] = src_from_double(s->src, signed_value(r, v));
}

/* quantize --------------------------------------------------------------------------------------- */

/* Binade of the block's amax: mostly moderate, sometimes at the source format's extremes. */
static int amax_binade(fuzz_src *r, mx_fmt src) {
  const mx_format_desc *d = mx_format(src);
  int lo = d->emin > -60 ? d->emin : -60, hi = d->emax < 60 ? d->emax : 60;
  switch (fuzz_below(r, 8)) {
  case 0: return d->emax - (int)fuzz_below(r, 3);
  case 1: return d->emin + (int)fuzz_below(r, 3);
  default: return lo + (int)fuzz_below(r, (unsigned)(hi - lo + 1));
  }
}

/* Scale exponent X for amax in binade b under the OCP rule: b - emax_elem. */
static int scale_for(const vec_suite *s, int b) { return b - mx_format(mx_block_element(s->bfmt))->emax; }

/* An element-grid value (code, midpoint or between) times 2^x, signed, in the source. */
static uint64_t scaled_grid(fuzz_src *r, const vec_suite *s, int x, uint64_t lo, uint64_t hi) {
  mx_fmt e = mx_block_element(s->bfmt);
  double v = ldexp(grid_value(r, e, lo, hi), x);
  uint64_t b = src_from_double(s->src, signed_value(r, v));
  return coin(r, 4) ? src_nudge(s->src, b, small_delta(r)) : b;
}

/* Every element on the grid at scale x (a sixth of them signed zeros). */
static void fill_grid(fuzz_src *r, const vec_suite *s, uint64_t *in, int x) {
  mx_fmt e = mx_block_element(s->bfmt);
  for (size_t i = 0; i < s->k; i++) in[i] = coin(r, 6) ? (coin(r, 2) ? sign_bit(s->src) : 0) : scaled_grid(r, s, x, 0, max_code(e));
}

static void q_pow2_amax(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  int b = amax_binade(r, s->src);
  fill_grid(r, s, in, scale_for(s, b) - (int)fuzz_below(r, 2));
  static const int d[] = {0, -1, -1, -2, 1, -3};
  uint64_t amax = src_nudge(s->src, src_from_double(s->src, ldexp(1.0, b + 1)), d[fuzz_below(r, 6)]);
  in[fuzz_below(r, (unsigned)s->k)] = amax | (coin(r, 2) ? sign_bit(s->src) : 0);
}

static void q_ties(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  mx_fmt e = mx_block_element(s->bfmt);
  int x = scale_for(s, amax_binade(r, s->src));
  fill_grid(r, s, in, x);
  in[fuzz_below(r, (unsigned)s->k)] = src_from_double(s->src, signed_value(r, ldexp(code_value(e, max_code(e)), x)));
}

static void q_overflow_band(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  mx_fmt e = mx_block_element(s->bfmt);
  int x = scale_for(s, amax_binade(r, s->src));
  fill_grid(r, s, in, x);
  double vmax = code_value(e, max_code(e)), next = past_max(e);
  double top = ldexp(1.0, mx_format(e)->emax + 1); /* where the next binade would start */
  double v = coin(r, 2) ? (vmax + next) / 2 : vmax + (top - vmax) * (double)(fuzz_word(r) >> 11) * 0x1p-53;
  uint64_t b = src_from_double(s->src, signed_value(r, ldexp(v, x)));
  in[fuzz_below(r, (unsigned)s->k)] = src_nudge(s->src, b, small_delta(r));
}

static void q_elem_subnormal(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  mx_fmt e = mx_block_element(s->bfmt);
  int x = scale_for(s, amax_binade(r, s->src));
  for (size_t i = 0; i < s->k; i++) in[i] = coin(r, 4) ? 0 : scaled_grid(r, s, x, 0, low_codes(e));
  in[fuzz_below(r, (unsigned)s->k)] = src_from_double(s->src, signed_value(r, ldexp(code_value(e, max_code(e)), x)));
}

static void q_subnormal_amax(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  for (size_t i = 0; i < s->k; i++) in[i] = coin(r, 3) ? 0 : src_subnormal(r, s->src);
}

static void q_specials(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  fill_grid(r, s, in, scale_for(s, amax_binade(r, s->src)));
  unsigned n = 1 + fuzz_below(r, 3);
  for (unsigned j = 0; j < n; j++) {
    uint64_t v = src_special(r, s->src);
    if (coin(r, 2)) v = (v & sign_bit(s->src)) | inf_bits(s->src) | (coin(r, 2) ? 1 : 0); /* Inf or NaN */
    in[fuzz_below(r, (unsigned)s->k)] = v;
  }
}

static void q_zeros(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  for (size_t i = 0; i < s->k; i++) in[i] = coin(r, 2) ? sign_bit(s->src) : 0;
  if (coin(r, 2)) in[fuzz_below(r, (unsigned)s->k)] = coin(r, 2) ? src_subnormal(r, s->src) : src_special(r, s->src);
}

static void q_random(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  int b = amax_binade(r, s->src), spread = 1 + (int)fuzz_below(r, 24);
  for (size_t i = 0; i < s->k; i++) {
    double v = coin(r, 8) ? 0 : random_in_binade(r, b - (int)fuzz_below(r, (unsigned)spread));
    in[i] = src_from_double(s->src, signed_value(r, v));
  }
}

/* dequantize ------------------------------------------------------------------------------------- */

/* A code of element format e: any, +-0, the largest, NaN/Inf where it has them, subnormal. */
static uint64_t elem_code(fuzz_src *r, mx_fmt e) {
  const mx_format_desc *d = mx_format(e);
  uint64_t sign = d->kind == MX_KIND_FLOAT && coin(r, 2) ? sign_bit(e) : 0;
  switch (fuzz_below(r, 8)) {
  case 0: return sign;
  case 1: return sign | (d->kind == MX_KIND_INT && coin(r, 2) ? 0x80 : max_code(e)); /* INT8: -2 too */
  case 2:
    if (d->specials == MX_SPECIALS_IEEE) return sign | inf_bits(e) | fuzz_below(r, 4);
    if (d->specials == MX_SPECIALS_NAN_ALLONES) return sign | mask_bits(d->bits - 1);
    return sign | max_code(e);
  case 3: return sign | fuzz_below(r, (unsigned)low_codes(e));
  default: return fuzz_word(r) & mask_bits(d->bits);
  }
}

static void dq_fill(fuzz_src *r, const vec_suite *s, uint64_t *in, uint64_t scale) {
  in[0] = scale & 0xFF;
  for (size_t i = 0; i < s->k; i++) in[1 + i] = elem_code(r, mx_block_element(s->bfmt));
}

static void dq_scale_edges(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  static const uint8_t edges[] = {0x00, 0x01, 0x02, 0x7E, 0x7F, 0x80, 0xFD, 0xFE, 0xFF};
  dq_fill(r, s, in, edges[fuzz_below(r, sizeof edges)]);
}

static void dq_overflow(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  /* results near the destination's largest finite value */
  int top = mx_format(s->dst)->emax - mx_format(mx_block_element(s->bfmt))->emax;
  int e = top - 2 + (int)fuzz_below(r, 5);
  dq_fill(r, s, in, e + 127 > 0xFE ? 0xFE : (uint64_t)(e + 127));
}

static void dq_subnormal_results(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  /* results in or near the destination's subnormal range */
  const mx_format_desc *d = mx_format(s->dst);
  int e = d->emin - (int)fuzz_below(r, (unsigned)d->mbits + 4) + 2;
  dq_fill(r, s, in, e + 127 < 0 ? 0 : (uint64_t)(e + 127));
}

static void dq_random(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  dq_fill(r, s, in, fuzz_word(r));
}

/* pack -------------------------------------------------------------------------------------------- */

static void pk_codes(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  uint64_t m = mask_bits(mx_format(mx_block_element(s->bfmt))->bits), c = fuzz_word(r) & m;
  unsigned pattern = fuzz_below(r, 5);
  for (size_t i = 0; i < s->k; i++) {
    switch (pattern) {
    case 0: in[i] = c; break;                                 /* constant */
    case 1: in[i] = (c + i) & m; break;                       /* ascending: shows the order */
    case 2: in[i] = i % 2 ? m : 0; break;                     /* alternating all-ones / zero */
    case 3: in[i] = (1ull << fuzz_below(r, 8)) & m; break;    /* one bit */
    default: in[i] = fuzz_word(r) & m; break;
    }
  }
}

/* dot -------------------------------------------------------------------------------------------- */

typedef struct dot_view {
  uint64_t *sa, *ca, *sb, *cb, *has_c, *c;
  size_t nk;
} dot_view;

static dot_view dot_split(const vec_suite *s, uint64_t *in) {
  dot_view v;
  v.nk = s->nblocks * s->k;
  v.sa = in;
  v.ca = in + s->nblocks;
  v.sb = v.ca + v.nk;
  v.cb = v.sb + s->nblocks;
  v.has_c = v.cb + v.nk;
  v.c = v.has_c + 1;
  return v;
}

static uint64_t negate_code(mx_fmt e, uint64_t c) {
  if (mx_format(e)->kind == MX_KIND_INT) return c == 0x80 ? 0x81 : (uint64_t)((0x100 - c) & 0xFF);
  return c ^ sign_bit(e);
}

static uint64_t finite_code(fuzz_src *r, mx_fmt e) {
  for (;;) {
    uint64_t c = fuzz_word(r) & mask_bits(mx_format(e)->bits);
    if (isfinite(code_value(e, c))) return c;
  }
}

static void dot_c(fuzz_src *r, dot_view *v) {
  *v->has_c = coin(r, 2);
  static const uint32_t specials[] = {0, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0x00000001u, 0x807FFFFFu};
  uint32_t c;
  switch (fuzz_below(r, 4)) {
  case 0: c = specials[fuzz_below(r, sizeof specials / sizeof specials[0])]; break;
  case 1: c = (uint32_t)fuzz_word(r); break;
  default: c = (uint32_t)(fuzz_word(r) & 0x807FFFFFu) | (0x30000000u + fuzz_below(r, 32) * 0x800000u); break;
  }
  *v->c = *v->has_c ? c : 0;
}

static void dot_fill_random(fuzz_src *r, const vec_suite *s, dot_view *v) {
  mx_fmt ea = mx_block_element(s->bfmt), eb = mx_block_element(s->bfmt_b);
  for (size_t j = 0; j < s->nblocks; j++) {
    v->sa[j] = 0x70 + fuzz_below(r, 32);
    v->sb[j] = 0x70 + fuzz_below(r, 32);
  }
  for (size_t i = 0; i < v->nk; i++) {
    v->ca[i] = finite_code(r, ea);
    v->cb[i] = finite_code(r, eb);
  }
  dot_c(r, v);
}

static void dot_cancel(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  dot_view v = dot_split(s, in);
  dot_fill_random(r, s, &v);
  /* the second half of the products mirrors the first with B negated: the sum cancels
   * exactly, then one product (or none) is left over, maybe tiny */
  for (size_t j = 0; j < s->nblocks; j++) v.sa[j] = v.sa[0], v.sb[j] = v.sb[0];
  size_t half = v.nk / 2;
  for (size_t i = 0; i < half; i++) {
    v.ca[half + i] = v.ca[i];
    v.cb[half + i] = negate_code(mx_block_element(s->bfmt_b), v.cb[i]);
  }
  if (v.nk % 2) v.ca[v.nk - 1] = 0;
  if (coin(r, 2)) v.ca[fuzz_below(r, (unsigned)v.nk)] = coin(r, 2) ? 1 : 0;
}

static void dot_extreme_scales(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  dot_view v = dot_split(s, in);
  dot_fill_random(r, s, &v);
  static const uint8_t edges[] = {0x00, 0x01, 0x10, 0x20, 0x30, 0xC0, 0xD0, 0xE0, 0xFD, 0xFE};
  for (size_t j = 0; j < s->nblocks; j++) {
    v.sa[j] = edges[fuzz_below(r, sizeof edges)];
    v.sb[j] = coin(r, 2) ? v.sa[j] : edges[fuzz_below(r, sizeof edges)];
  }
}

static void dot_specials(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  dot_view v = dot_split(s, in);
  dot_fill_random(r, s, &v);
  mx_fmt ea = mx_block_element(s->bfmt), eb = mx_block_element(s->bfmt_b);
  switch (fuzz_below(r, 3)) {
  case 0: (coin(r, 2) ? v.sa : v.sb)[fuzz_below(r, (unsigned)s->nblocks)] = 0xFF; break;
  case 1: v.ca[fuzz_below(r, (unsigned)v.nk)] = elem_code(r, ea); break;
  default: {
    size_t i = fuzz_below(r, (unsigned)v.nk);
    v.ca[i] = elem_code(r, ea);
    v.cb[i] = elem_code(r, eb);
  }
  }
}

static void dot_zero_result(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  dot_view v = dot_split(s, in);
  dot_fill_random(r, s, &v);
  mx_fmt ea = mx_block_element(s->bfmt);
  /* every product is a signed zero: the sign of the result is all that is left */
  for (size_t i = 0; i < v.nk; i++)
    v.ca[i] = mx_format(ea)->kind == MX_KIND_FLOAT && coin(r, 2) ? sign_bit(ea) : 0;
  if (*v.has_c && coin(r, 2)) *v.c = coin(r, 2) ? 0x80000000u : 0;
}

static void dot_subnormal_result(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  dot_view v = dot_split(s, in);
  dot_fill_random(r, s, &v);
  /* scale exponents adding up to about -140: products land in f32's subnormal range */
  for (size_t j = 0; j < s->nblocks; j++) {
    int ea = -60 - (int)fuzz_below(r, 20), eb = -70 - (int)fuzz_below(r, 20);
    v.sa[j] = (uint64_t)(127 + ea);
    v.sb[j] = (uint64_t)(127 + eb);
  }
  if (coin(r, 2)) *v.has_c = 0, *v.c = 0;
}

static void dot_random(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  dot_view v = dot_split(s, in);
  dot_fill_random(r, s, &v);
  if (coin(r, 2))
    for (size_t i = 0; i < v.nk; i++)
      if (!coin(r, 4)) v.ca[i] = 0; /* sparse */
}

/* NVFP4 ----------------------------------------------------------------------------------------
 * quantize: [16n f32 values, has_amax, amax], all finite (no NVFP4 flow is defined for NaN/Inf);
 * dequantize: [tensor scale, block scale, 16 codes]; dot: [A: tensor scale, n scales, 16n
 * codes; B: the same; has_c, c]. */

static const double k_e2m1_mid[] = {0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0}; /* E2M1 midpoints */

static uint32_t f32_from(double v) {
  float f = (float)v;
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}

/* a finite f32 of binade e (clamped to f32's normal range) with a random significand and sign */
static uint32_t nv_value(fuzz_src *r, int e) {
  if (e < -126) e = -126;
  if (e > 127) e = 127;
  uint64_t w = fuzz_word(r);
  return (uint32_t)(w >> 63) << 31 | (uint32_t)(e + 127) << 23 | (uint32_t)(w & 0x7FFFFF);
}

/* Blocks whose elements sit on, or one f32 step beside, the E2M1 midpoints of the block's
 * largest value 6 * 2^e: the element rounding and its ties (nvfp4_elem_scale). Mostly under a
 * calibrated amax 2688 * 2^(te - 4), whose s_t = 2^(te - 4) makes s_b = 2^(e - te + 4) exact,
 * so the midpoints are exact ties of x / (s_b s_t). */
static void nvq_midpoints(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  int te = (int)fuzz_below(r, 40) - 20;
  size_t nv = s->nblocks * MX_NVFP4_BLOCK;
  if (!coin(r, 4)) in[nv] = 1, in[nv + 1] = f32_from(ldexp(2688.0, te - 4));
  for (size_t b = 0; b < s->nblocks; b++) {
    int e = te - (int)fuzz_below(r, 10);
    for (size_t i = 0; i < MX_NVFP4_BLOCK; i++) {
      double v = i == 0 ? 6.0 : k_e2m1_mid[fuzz_below(r, 7)];
      uint32_t x = f32_from(ldexp(v, e));
      if (i && coin(r, 3)) x += coin(r, 2) ? 1u : (uint32_t)-1; /* one step beside */
      in[b * MX_NVFP4_BLOCK + i] = x | (coin(r, 2) ? 0x80000000u : 0);
    }
  }
}

/* Tensors whose block amaxes put amax_b / (6 s_t) on E4M3 midpoints, around subnormal block
 * scales, or beyond 448 under a calibrated amax below the tensor's (nvfp4_block_scale). */
static void nvq_block_scales(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  size_t nv = s->nblocks * MX_NVFP4_BLOCK;
  int te = (int)fuzz_below(r, 60) - 30;
  for (size_t b = 0; b < s->nblocks; b++) {
    int e = te - (int)fuzz_below(r, 20); /* down to 2^-20 of the tensor: subnormal and zero scales */
    for (size_t i = 0; i < MX_NVFP4_BLOCK; i++) in[b * MX_NVFP4_BLOCK + i] = nv_value(r, e - (int)fuzz_below(r, 4));
  }
  if (coin(r, 3)) { /* a calibrated amax, up to 4x below or above the tensor's */
    in[nv] = 1;
    in[nv + 1] = nv_value(r, te + 2 - (int)fuzz_below(r, 4)) & 0x7FFFFFFFu;
  }
}

/* Zeros of both signs, subnormal f32 values, an all-zero tensor, a tiny or huge amax. */
static void nvq_edges(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  size_t nv = s->nblocks * MX_NVFP4_BLOCK;
  int big = coin(r, 3) ? 120 : -140;
  for (size_t i = 0; i < nv; i++) {
    unsigned k = fuzz_below(r, 4);
    uint32_t sign = coin(r, 2) ? 0x80000000u : 0;
    in[i] = k == 0 ? sign : k == 1 ? sign | (uint32_t)(fuzz_word(r) & 0x7FFFFF) : nv_value(r, big + (int)fuzz_below(r, 8));
  }
  if (coin(r, 2)) in[nv] = 1, in[nv + 1] = coin(r, 2) ? 0 : nv_value(r, big) & 0x7FFFFFFFu;
}

static void nvdq_random(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)s, (void)rnd;
  static const uint32_t edges[] = {0x3B124925u, 0x7F7FFFFFu, 0x00000001u, 0x00000000u, 0x80000000u,
                                   0x7F800000u, 0x7FC00000u, 0xBF800000u};
  in[0] = coin(r, 3) ? edges[fuzz_below(r, 8)] : nv_value(r, (int)fuzz_below(r, 100) - 60);
  in[1] = fuzz_below(r, 256); /* every block scale code: NaN, sign bit, subnormal, 448 */
  uint64_t w = fuzz_word(r);
  for (size_t i = 0; i < MX_NVFP4_BLOCK; i++) in[2 + i] = w >> (4 * i) & 0xF;
}

typedef struct nvd_view {
  uint64_t *ts[2], *sc[2], *co[2], *has_c, *c;
  size_t nb;
} nvd_view;

static nvd_view nvd_split(const vec_suite *s, uint64_t *in) {
  nvd_view v;
  size_t nb = s->nblocks, half = 1 + nb + nb * MX_NVFP4_BLOCK;
  for (int o = 0; o < 2; o++) v.ts[o] = in + o * half, v.sc[o] = in + o * half + 1, v.co[o] = in + o * half + 1 + nb;
  v.has_c = in + 2 * half;
  v.c = in + 2 * half + 1;
  v.nb = nb;
  return v;
}

/* uniform codes and block scales (now and then with the sign bit, subnormal or 0), tensor
 * scales around 2^(te), C one time in three */
static void nvd_fill(fuzz_src *r, nvd_view *v, int te) {
  for (int o = 0; o < 2; o++) {
    *v->ts[o] = nv_value(r, te + (int)fuzz_below(r, 8) - 4);
    for (size_t j = 0; j < v->nb; j++) {
      uint64_t c = fuzz_below(r, 0x7F);
      if (coin(r, 8)) c |= 0x80;
      v->sc[o][j] = c;
    }
    uint64_t w = 0;
    for (size_t i = 0; i < v->nb * MX_NVFP4_BLOCK; i++) {
      if (i % 16 == 0) w = fuzz_word(r);
      v->co[o][i] = w >> (4 * (i % 16)) & 0xF;
    }
  }
  *v->has_c = coin(r, 3);
  *v->c = *v->has_c ? nv_value(r, te) : 0;
}

static void nvd_random(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  nvd_view v = nvd_split(s, in);
  nvd_fill(r, &v, (int)fuzz_below(r, 30) - 15);
}

/* B's codes the negation of A's in one block, or C the negation of the sum's leading part:
 * exact cancellation, the signed-zero rule, and a tiny remainder that must round once. */
static void nvd_cancel(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  nvd_view v = nvd_split(s, in);
  nvd_fill(r, &v, 0);
  size_t j = fuzz_below(r, (unsigned)v.nb);
  for (size_t i = 0; i < 8; i++) { /* the second half of block j undoes the first */
    v.co[0][j * 16 + 8 + i] = v.co[0][j * 16 + i] ^ 0x8;
    v.co[1][j * 16 + 8 + i] = v.co[1][j * 16 + i];
  }
  if (coin(r, 2)) v.co[0][j * 16] = 0x1; /* one small product left over */
}

/* Tensor scales at the ends of f32 (results that overflow or are subnormal), zero and negative
 * tensor scales, NaN block scales, NaN / Inf C. */
static void nvd_extremes(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  (void)rnd;
  static const int tes[] = {-149, -140, -126, -75, 40, 60, 100, 127};
  nvd_view v = nvd_split(s, in);
  nvd_fill(r, &v, tes[fuzz_below(r, 8)]);
  unsigned k = fuzz_below(r, 6);
  if (k == 0) *v.ts[fuzz_below(r, 2)] = coin(r, 2) ? 0x80000000u : 0;
  else if (k == 1) v.sc[fuzz_below(r, 2)][fuzz_below(r, (unsigned)v.nb)] = coin(r, 2) ? 0x7F : 0xFF;
  else if (k == 2) *v.has_c = 1, *v.c = coin(r, 2) ? 0x7FC00000u : coin(r, 2) ? 0x7F800000u : 0xFF800000u;
  else if (k == 3) *v.ts[0] = 0x00000001u, *v.ts[1] = 0x00000001u | (uint32_t)(fuzz_word(r) & 0x7FFFFF); /* 2^-298 */
}

/* The table: op, name, base weight, what it aims at, generator. */
static const strategy k_strategies[] = {
  {OP_CVT, "code-value", 3, {"e8m0_zero", "e8m0_neg", "int8_range", NULL}, cvt_code},
  {OP_CVT, "rounding-boundary", 4, {"round", "sr_bits", NULL}, cvt_boundary},
  {OP_CVT, "overflow-band", 2, {"overflow", "inf_sat", "int8_range", NULL}, cvt_overflow},
  {OP_CVT, "destination-subnormal", 2, {"round", NULL}, cvt_dst_subnormal},
  {OP_CVT, "source-subnormal", 1, {"src_subnormals", NULL}, cvt_src_subnormal},
  {OP_CVT, "special", 1, {"nan_sign", "e5m2_nan", "inf_sat", "nan_finite", "inf_finite", NULL}, cvt_special},
  {OP_CVT, "raw-bits", 1, {NULL}, cvt_raw},
  {OP_CVT, "random-binade", 1, {NULL}, cvt_binade},
  {OP_QUANTIZE, "amax-power-of-two", 3, {"rule", "scale_overflow", NULL}, q_pow2_amax},
  {OP_QUANTIZE, "element-ties", 3, {"round", "sr_bits", NULL}, q_ties},
  {OP_QUANTIZE, "element-overflow-band", 2, {"overflow", "rule", "int8_range", NULL}, q_overflow_band},
  {OP_QUANTIZE, "element-subnormals", 2, {"round", NULL}, q_elem_subnormal},
  {OP_QUANTIZE, "subnormal-amax", 1, {"src_subnormals", "zero_block", NULL}, q_subnormal_amax},
  {OP_QUANTIZE, "zero-nan-inf-mix", 1, {"nan_block", "inf_block", "nan_sign", "inf_sat", NULL}, q_specials},
  {OP_QUANTIZE, "signed-zeros", 1, {"zero_block", NULL}, q_zeros},
  {OP_QUANTIZE, "random-block", 2, {NULL}, q_random},
  {OP_DEQUANTIZE, "scale-edges", 2, {NULL}, dq_scale_edges},
  {OP_DEQUANTIZE, "result-overflow", 1, {"dequant_overflow", NULL}, dq_overflow},
  {OP_DEQUANTIZE, "subnormal-results", 2, {NULL}, dq_subnormal_results},
  {OP_DEQUANTIZE, "random-block", 1, {NULL}, dq_random},
  {OP_PACK, "code-patterns", 1, {NULL}, pk_codes},
  {OP_DOT, "cancellation", 2, {NULL}, dot_cancel},
  {OP_DOT, "extreme-scales", 2, {NULL}, dot_extreme_scales},
  {OP_DOT, "specials", 1, {NULL}, dot_specials},
  {OP_DOT, "signed-zero-result", 1, {NULL}, dot_zero_result},
  {OP_DOT, "subnormal-result", 1, {NULL}, dot_subnormal_result},
  {OP_DOT, "random", 2, {NULL}, dot_random},
  {OP_NVFP4_QUANTIZE, "element-midpoints", 3, {"nvfp4_elem_scale", NULL}, nvq_midpoints},
  {OP_NVFP4_QUANTIZE, "block-scales", 3, {"nvfp4_block_scale", "nvfp4_tensor_scale", NULL}, nvq_block_scales},
  {OP_NVFP4_QUANTIZE, "zeros-subnormals-extremes", 1, {"nvfp4_tensor_scale", NULL}, nvq_edges},
  {OP_NVFP4_DEQUANTIZE, "scale-codes", 1, {"nvfp4_dequant", "nvfp4_scale_sign", NULL}, nvdq_random},
  {OP_NVFP4_DOT, "random", 2, {NULL}, nvd_random},
  {OP_NVFP4_DOT, "cancellation", 2, {NULL}, nvd_cancel},
  {OP_NVFP4_DOT, "extremes-specials", 2, {"nvfp4_scale_sign", NULL}, nvd_extremes},
};
#define NSTRAT (sizeof k_strategies / sizeof k_strategies[0])

/* Suite parameters an op takes besides its knobs (a strategy aimed at one weighs more). */
static const char *const k_op_params[OP_COUNT][3] = {
  [OP_CVT] = {"round", "overflow", NULL},
};

static int op_depends_on(vec_op op, const char *name) {
  for (const char *const *k = vec_op_knobs(op); *k; k++)
    if (!strcmp(*k, name)) return 1;
  for (int i = 0; k_op_params[op][i]; i++)
    if (!strcmp(k_op_params[op][i], name)) return 1;
  return 0;
}

/* weight = base * (1 + number of the op's knobs and parameters the strategy aims at) */
static unsigned strategy_weight(const strategy *st) {
  unsigned hits = 0;
  for (int i = 0; st->aims[i]; i++) hits += (unsigned)op_depends_on(st->op, st->aims[i]);
  return st->base * (1 + hits);
}

void fuzz_case(fuzz_src *r, const vec_suite *s, uint64_t *in, uint32_t *rnd) {
  unsigned w[NSTRAT], idx[NSTRAT], n = 0;
  for (unsigned i = 0; i < NSTRAT; i++)
    if (k_strategies[i].op == s->op) {
      w[n] = strategy_weight(&k_strategies[i]);
      idx[n++] = i;
    }
  memset(in, 0, s->nin * sizeof *in);
  *rnd = 0;
  if (!n) return;
  const strategy *st = &k_strategies[idx[pick_weighted(r, w, n)]];
  g_last = st->name;
  st->fn(r, s, in, rnd);
  if (s->nrand) *rnd = (uint32_t)fuzz_word(r);
}

/* ---- suite shapes ---------------------------------------------------------------------------- */

vec_op fuzz_pick_op(fuzz_src *r, unsigned mask) {
  vec_op ops[OP_COUNT];
  unsigned n = 0;
  for (int op = OP_CVT; op < OP_COUNT; op++)
    if (mask & (1u << op)) ops[n++] = (vec_op)op;
  return n ? ops[fuzz_below(r, n)] : OP_CVT;
}

static mx_fmt pick_source(fuzz_src *r) {
  static const mx_fmt src[] = {MX_F32, MX_F32, MX_F32, MX_BF16, MX_F16, MX_F64};
  return src[fuzz_below(r, 6)];
}

/* k: the MX block size mostly; odd and other lengths one time in six */
static size_t pick_k(fuzz_src *r) {
  static const size_t odd[] = {1, 2, 3, 5, 7, 16, 17, 31, 33, 64};
  return coin(r, 6) ? odd[fuzz_below(r, 10)] : MX_BLOCK_SIZE;
}

void fuzz_shape(fuzz_src *r, vec_op op, vec_suite *s) {
  static const mx_fmt elements[] = {MX_E4M3, MX_E5M2, MX_E2M3, MX_E3M2, MX_E2M1, MX_INT8, MX_E8M0};
  static const mx_fmt dq_dst[] = {MX_F32, MX_BF16, MX_F64};
  s->op = op;
  s->k = MX_BLOCK_SIZE;
  s->nblocks = 1;
  switch (op) {
  case OP_CVT:
    s->src = pick_source(r);
    s->dst = elements[fuzz_below(r, 7)];
    s->round = coin(r, 3) ? MX_RNE : (mx_round)fuzz_below(r, MX_ROUND_COUNT);
    s->overflow = (mx_overflow)fuzz_below(r, 2);
    break;
  case OP_QUANTIZE:
    s->bfmt = (mx_block_fmt)fuzz_below(r, MX_BLOCK_FMT_COUNT);
    s->src = pick_source(r);
    s->k = pick_k(r);
    break;
  case OP_DEQUANTIZE:
    s->bfmt = (mx_block_fmt)fuzz_below(r, MX_BLOCK_FMT_COUNT);
    s->dst = dq_dst[fuzz_below(r, 3)];
    s->k = pick_k(r);
    break;
  case OP_PACK: {
    /* every (format, layout) pair that is not the identity (8-bit codes, one per byte) */
    mx_block_fmt fmts[MX_BLOCK_FMT_COUNT * MX_PACK_LAYOUT_COUNT];
    mx_pack_layout layouts[MX_BLOCK_FMT_COUNT * MX_PACK_LAYOUT_COUNT];
    unsigned n = 0;
    for (int b = 0; b < MX_BLOCK_FMT_COUNT; b++)
      for (int l = 0; l < MX_PACK_LAYOUT_COUNT; l++)
        if (mx_packed_size((mx_block_fmt)b, (mx_pack_layout)l, 1) &&
            !(l == MX_PACK_BYTE && mx_format(mx_block_element((mx_block_fmt)b))->bits == 8))
          fmts[n] = (mx_block_fmt)b, layouts[n++] = (mx_pack_layout)l;
    unsigned pick = fuzz_below(r, n);
    s->bfmt = fmts[pick];
    s->layout = layouts[pick];
    s->k = coin(r, 2) ? MX_BLOCK_SIZE : 1 + fuzz_below(r, 40); /* odd lengths: a half-filled last byte */
    break;
  }
  case OP_DOT:
    s->bfmt = (mx_block_fmt)fuzz_below(r, MX_BLOCK_FMT_COUNT);
    s->bfmt_b = coin(r, 2) ? s->bfmt : (mx_block_fmt)fuzz_below(r, MX_BLOCK_FMT_COUNT); /* mixed formats */
    s->nblocks = 1 + fuzz_below(r, 4);
    break;
  case OP_NVFP4_QUANTIZE:
  case OP_NVFP4_DOT: s->nblocks = 1 + fuzz_below(r, 4); break; /* a tensor scale shared by 1..4 blocks */
  default: break;
  }
  vec_suite_shape(s);
  vec_suite_make_name(s);
}
