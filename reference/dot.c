/* libmxref dot products: exact DotGeneral and the FP32-accumulating models, by integer
 * logic (include/mxconform/dot.h is the contract, spec_notes/dot.md the long form).
 *
 * Why a block sum is an integer. Every element value is an integer times a fixed power of
 * two per format: v = F * 2^-Q with Q = mbits - emin for the float formats (E4M3 9,
 * E5M2 16, E2M3 3, E3M2 4, E2M1 1) and Q = 6 for INT8. |F| is below 2^18 (E4M3: 448 * 2^9),
 * 2^31.8 (E5M2: 57344 * 2^16), 2^6, 2^9, 2^4, 2^7. A product of two elements is then
 * F_a * F_b * 2^-(Q_a + Q_b), and a block's sum is the integer S = sum F_a * F_b times that
 * power of two. Bound: |F_a * F_b| < 2^50 for every pair except E5M2 x E5M2, so for any
 * k <= MX_BLOCK_MAX = 2^12, |S| < 2^62 fits an int64_t; E5M2 x E5M2 (|F_a F_b| < 2^63.6,
 * |S| < 2^75.6) sums in __int128. The block's value is S * 2^(Xa + Xb - 254 - Q_a - Q_b).
 *
 * Why one wide accumulator is exact. Those values have their lowest bit at or above
 * 2^(-254 - 32) = 2^-286 and (times any realistic block count) their highest below 2^400;
 * FP32 C lies inside. The accumulator is 24 limbs of 32-bit digits spanning
 * 2^-320 .. 2^448, each limb an int64_t so that adds never propagate carries (a limb gains
 * less than 2^32 per add; carries are resolved every 2^30 adds and before rounding). Adding
 * a block costs four limb additions whatever the exponent.
 *
 * Rounding to FP32 reads the top 64 bits of the magnitude plus a sticky bit for everything
 * below, and decides by integer comparison (round_sig below). Nothing here uses
 * floating-point arithmetic. */
#include <pthread.h>
#include <string.h>

#include "avx2.h"
#include "dispatch.h"
#include "internal.h"
#include "mxconform/dot.h"

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

/* ---- element tables ------------------------------------------------------------------------ */

typedef struct elem_tab {
  int64_t fix[256];   /* value * 2^q of the code (high bits ignored); 0 for NaN/Inf codes */
  uint8_t neg[256];   /* sign bit of the code: the sign of a zero product */
  uint8_t cls[256];   /* mx_class */
  int q;              /* value = fix * 2^-q */
  unsigned sp_mask;   /* (code & sp_mask) == sp_mask marks NaN/Inf codes; 0: the format has none */
  int wide;           /* |fix| may reach 2^31 (E5M2) */
} elem_tab;

static elem_tab g_tab[MX_BLOCK_FMT_COUNT];
static pthread_once_t g_tab_once = PTHREAD_ONCE_INIT;

static void build_tables(void) {
  for (int f = 0; f < MX_BLOCK_FMT_COUNT; f++) {
    mx_fmt e = mx_block_element((mx_block_fmt)f);
    const mx_format_desc *d = mx_format(e);
    elem_tab *t = &g_tab[f];
    uint32_t mask = (1u << d->bits) - 1u;
    t->q = d->kind == MX_KIND_INT ? -d->int_scale_log2 : d->mbits - d->emin;
    t->wide = 0;
    switch (d->specials) {
    case MX_SPECIALS_IEEE: t->sp_mask = ((1u << d->ebits) - 1u) << d->mbits; break;
    case MX_SPECIALS_NAN_ALLONES: t->sp_mask = (1u << (d->bits - 1)) - 1u; break;
    default: t->sp_mask = 0; break;
    }
    for (uint32_t c = 0; c < 256; c++) {
      uint32_t code = c & mask;
      mx_class cls = mx_classify(e, code);
      int64_t fix = 0;
      t->cls[c] = (uint8_t)cls;
      t->neg[c] = (uint8_t)mx_code_sign(e, code);
      if (cls == MX_CLASS_NAN || cls == MX_CLASS_INF) {
        fix = 0;
      } else if (d->kind == MX_KIND_INT) {
        fix = (int8_t)(uint8_t)code; /* two's complement q; value q * 2^-6 */
      } else {
        uint32_t mant = code & ((1u << d->mbits) - 1u);
        uint32_t ef = (code >> d->mbits) & ((1u << d->ebits) - 1u);
        /* subnormal: mant * 2^(emin - mbits); normal: (2^m + mant) * 2^(ef - bias - m),
         * and emin = 1 - bias, so in units of 2^-q the normal value is shifted by ef - 1 */
        int64_t mag = ef == 0 ? (int64_t)mant : (int64_t)((1u << d->mbits) | mant) << (ef - 1);
        fix = t->neg[c] ? -mag : mag;
      }
      t->fix[c] = fix;
      if (fix >= ((int64_t)1 << 31) || fix <= -((int64_t)1 << 31)) t->wide = 1;
    }
  }
}

/* Does any code (c & m) == m? Eight bytes at a time: with x = c & m (a submask, so x <= m)
 * the byte x + (0x80 - m) reaches 0x80 exactly when x == m, and never carries into the next
 * byte. */
static inline int has_special(const elem_tab *t, const uint8_t *c, size_t k) {
  const unsigned m = t->sp_mask;
  if (!m) return 0;
  const uint64_t ones = 0x0101010101010101ull, mm = ones * m, add = ones * (0x80u - m);
  uint64_t any = 0;
  size_t i = 0;
  for (; i + 8 <= k; i += 8) {
    uint64_t w;
    memcpy(&w, c + i, 8);
    any |= (w & mm) + add;
  }
  int tail = 0;
  for (; i < k; i++) tail |= (c[i] & m) == m;
  return tail || (any & (ones * 0x80u)) != 0;
}

/* sum_{lo <= i < hi} F_a * F_b, exactly (bounds in the file comment). */
static inline i128 range_sum(const elem_tab *ta, const elem_tab *tb, int wide, const uint8_t *ca, const uint8_t *cb,
                             size_t lo, size_t hi) {
  if (wide) {
    i128 s = 0;
    for (size_t i = lo; i < hi; i++) s += (i128)ta->fix[ca[i]] * tb->fix[cb[i]];
    return s;
  }
  int64_t s = 0;
  for (size_t i = lo; i < hi; i++) s += ta->fix[ca[i]] * tb->fix[cb[i]];
  return s;
}

/* Are all products in [lo, hi) negative zeros? (Only asked when their sum is zero.) */
static int range_all_neg_zero(const elem_tab *ta, const elem_tab *tb, const uint8_t *ca, const uint8_t *cb, size_t lo,
                              size_t hi) {
  for (size_t i = lo; i < hi; i++) {
    int zero = ta->fix[ca[i]] == 0 || tb->fix[cb[i]] == 0;
    if (!zero || !(ta->neg[ca[i]] ^ tb->neg[cb[i]])) return 0;
  }
  return 1;
}

/* ---- the wide accumulator ------------------------------------------------------------------ */

#define W_LIMBS 24
#define W_BASE (-320) /* bit 0 of limb 0 weighs 2^W_BASE */

typedef struct wide {
  int64_t d[W_LIMBS]; /* 32-bit digits with lazy carries: value = sum d[i] * 2^(W_BASE + 32 i) */
  int lo, hi;         /* touched limbs; lo > hi when empty */
  unsigned adds;
} wide;

static void wide_init(wide *w) {
  memset(w->d, 0, sizeof w->d);
  w->lo = W_LIMBS;
  w->hi = -1;
  w->adds = 0;
}

static void wide_clear(wide *w) {
  for (int i = w->lo; i <= w->hi; i++) w->d[i] = 0;
  w->lo = W_LIMBS;
  w->hi = -1;
  w->adds = 0;
}

/* Resolve carries: digits lo..hi-1 in [0, 2^32), the top digit in [0, 2^32) or -1 (negative). */
static void wide_normalize(wide *w) {
  if (w->hi < w->lo) return;
  int64_t carry = 0;
  int i;
  for (i = w->lo; i <= w->hi; i++) {
    int64_t x = w->d[i] + carry;
    w->d[i] = x & 0xFFFFFFFF;
    carry = x >> 32; /* arithmetic shift (GCC, Clang): floor division by 2^32 */
  }
  while (carry != 0 && carry != -1) {
    w->d[i] = carry & 0xFFFFFFFF;
    carry >>= 32;
    i++;
  }
  if (carry == -1) w->d[i++] = -1; /* the sign extension, as one digit of value -2^(32 i) */
  w->hi = i - 1;
  w->adds = 0;
}

/* w += v * 2^e. |v| < 2^76, -320 <= e and the value below 2^440. */
static inline void wide_add(wide *w, i128 v, int e) {
  if (!v) return;
  int pos = e - W_BASE, i = pos >> 5;
  u128 x = (u128)v << (pos & 31); /* |v * 2^r| < 2^108: the two's complement bits are exact */
  w->d[i] += (int64_t)(uint32_t)x;
  w->d[i + 1] += (int64_t)(uint32_t)(x >> 32);
  w->d[i + 2] += (int64_t)(uint32_t)(x >> 64);
  w->d[i + 3] += (int64_t)((i128)x >> 96); /* the signed top digit, |.| < 2^12 */
  if (i < w->lo) w->lo = i;
  if (i + 3 > w->hi) w->hi = i + 3;
  if (++w->adds >= (1u << 30)) wide_normalize(w);
}

/* w += an FP32 value (finite bits). */
static void wide_add_f32(wide *w, uint32_t bits, int scale_exp) {
  uint32_t ef = (bits >> 23) & 0xFF, mant = bits & 0x7FFFFF;
  int64_t sig = ef ? (int64_t)(mant | 0x800000u) : (int64_t)mant;
  int e = ef ? (int)ef - 150 : -149;
  wide_add(w, (bits >> 31) ? -sig : sig, e + scale_exp);
}

/* Round a magnitude whose leading bit weighs 2^P, given as sig (leading bit at bit 63;
 * lower bits, with everything below folded into bit 0 as a sticky bit), to the format with
 * FP32's exponent range and `frac` fraction bits (1 .. 23; 23 is FP32: R_acc, R_fin; fewer
 * is R_step of dot.h), returned as the FP32 bits of that value. */
static uint32_t round_sig(int neg, uint64_t sig, int P, mx_dot_round mode, mx_dot_subnormal subn, int frac) {
  /* bits kept: frac + 1 in a normal binade; down to the 2^(-126 - frac) grid below it */
  int keep = P >= -126 ? frac + 1 : P + 127 + frac;
  const int pad = 23 - frac; /* the kept bits sit this far above FP32's last bit */
  uint64_t q = 0;
  int up = 0;
  if (keep > 0) {
    int shift = 64 - keep; /* 40 .. 63: the sticky bit is far below the half point */
    uint64_t rem = sig & (((uint64_t)1 << shift) - 1), half = (uint64_t)1 << (shift - 1);
    q = sig >> shift;
    up = mode == MX_DOT_RNE && (rem > half || (rem == half && (q & 1)));
  } else if (keep == 0) {
    /* value in [2^-150, 2^-149): half the grid step is the leading bit itself */
    up = mode == MX_DOT_RNE && sig > ((uint64_t)1 << 63); /* an exact tie goes to even: 0 */
  } /* keep < 0: below 2^-150, nothing rounds up */
  q += (uint64_t)up;
  q <<= pad;
  /* a carry out of the significand lands in the exponent field by itself */
  uint64_t bits = P >= -126 ? ((uint64_t)(P + 127) << 23) + (q - ((uint64_t)1 << 23)) : q;
  if (bits >= 0x7F800000u) bits = mode == MX_DOT_RTZ ? 0x7F800000u - ((uint64_t)1 << pad) : 0x7F800000u;
  if (subn == MX_DOT_SUBN_FLUSH && bits != 0 && bits < 0x00800000u) bits = 0;
  return (neg ? 0x80000000u : 0u) | (uint32_t)bits;
}

/* Round the accumulator to FP32. *zero = 1 (and +0 returned) when its value is exactly 0:
 * the caller knows the sign of that zero. Normalizes w (its value is unchanged). */
static uint32_t wide_round_to(wide *w, mx_dot_round mode, mx_dot_subnormal subn, int frac, int *zero) {
  wide_normalize(w);
  *zero = 1;
  if (w->hi < w->lo) return 0;
  int lo = w->lo, hi = w->hi, neg = w->d[hi] < 0;
  uint32_t mag[W_LIMBS];
  if (!neg) {
    for (int i = lo; i <= hi; i++) mag[i] = (uint32_t)w->d[i];
  } else {
    /* magnitude = -(value): two's complement over the digits, the top digit being -1 */
    uint64_t carry = 1;
    for (int i = lo; i <= hi; i++) {
      uint64_t x = (uint64_t)(~(uint32_t)w->d[i]) + carry;
      mag[i] = (uint32_t)x;
      carry = x >> 32;
    }
  }
  int t = hi;
  while (t >= lo && mag[t] == 0) t--;
  if (t < lo) return 0;
  *zero = 0;
  int bl = 32 - __builtin_clz(mag[t]); /* 1 .. 32 */
  int P = W_BASE + 32 * t + bl - 1;
  u128 win = (u128)mag[t] << 64;
  if (t - 1 >= lo) win |= (u128)mag[t - 1] << 32;
  if (t - 2 >= lo) win |= mag[t - 2];
  uint64_t sig = (uint64_t)(win >> bl); /* leading bit to bit 63 */
  int sticky = (win & (((u128)1 << bl) - 1)) != 0;
  for (int i = lo; i < t - 2; i++) sticky |= mag[i] != 0;
  return round_sig(neg, sig | (uint64_t)sticky, P, mode, subn, frac);
}

static uint32_t wide_round(wide *w, mx_dot_round mode, mx_dot_subnormal subn, int *zero) {
  return wide_round_to(w, mode, subn, 23, zero);
}

/* ---- FP32 helpers for the sequential models ------------------------------------------------ */

static int f32_is_nan(uint32_t x) { return (x & 0x7FFFFFFFu) > 0x7F800000u; }
static int f32_is_inf(uint32_t x) { return (x & 0x7FFFFFFFu) == 0x7F800000u; }
#define F32_NEG_ZERO 0x80000000u

/* x + y, IEEE 754 special rules, exact sum rounded once by mode. */
static uint32_t add_f32(wide *w, uint32_t x, uint32_t y, mx_dot_round mode, mx_dot_subnormal subn) {
  if (f32_is_nan(x) || f32_is_nan(y)) return MX_DOT_F32_NAN;
  if (f32_is_inf(x) && f32_is_inf(y)) return x == y ? x : MX_DOT_F32_NAN;
  if (f32_is_inf(x)) return x;
  if (f32_is_inf(y)) return y;
  int zero;
  wide_clear(w);
  wide_add_f32(w, x, 0);
  wide_add_f32(w, y, 0);
  uint32_t r = wide_round(w, mode, subn, &zero);
  if (zero) r = (x == F32_NEG_ZERO && y == F32_NEG_ZERO) ? F32_NEG_ZERO : 0;
  return r;
}

/* ---- the entry points ---------------------------------------------------------------------- */

typedef struct dot_ctx {
  const mx_dot_vec *a, *b;
  size_t n, k;
  const elem_tab *ta, *tb;
  int wide_pair, qsum;
  const uint64_t *smul; /* NULL: s_j is the E8M0 product; else s_j = smul[j] * 2^sexp[j] (NVFP4) */
  const int *sexp;
} dot_ctx;

/* s_j = block_mul * 2^block_exp: a power of two from the E8M0 codes, or the caller's scale
 * (mxr_dot_general_scaled: NVFP4's E4M3 x FP32 scales, not powers of two). */
static inline int block_exp(const dot_ctx *x, size_t j) {
  return x->sexp ? x->sexp[j] : (int)(x->a->scales[j] + x->b->scales[j]) - 254;
}
static inline i128 block_mul(const dot_ctx *x, size_t j) { return x->smul ? (i128)x->smul[j] : 1; }

/* Rules 1-4 of dot.h over block j's elements (called only for blocks holding NaN/Inf codes). */
static void block_specials(const dot_ctx *x, size_t j, int *nan, int *pinf, int *ninf) {
  const uint8_t *ca = x->a->codes + j * x->k, *cb = x->b->codes + j * x->k;
  for (size_t i = 0; i < x->k; i++) {
    int cla = x->ta->cls[ca[i]], clb = x->tb->cls[cb[i]];
    if (cla == MX_CLASS_NAN || clb == MX_CLASS_NAN) {
      *nan = 1;
    } else if (cla == MX_CLASS_INF || clb == MX_CLASS_INF) {
      if (cla == MX_CLASS_ZERO || clb == MX_CLASS_ZERO) *nan = 1;
      else if (x->ta->neg[ca[i]] ^ x->tb->neg[cb[i]]) *ninf = 1;
      else *pinf = 1;
    }
  }
}

/* Combine the special flags with C: 1 and *out set when they decide the result. */
static int specials_decide(int nan, int pinf, int ninf, const uint32_t *c, uint32_t *out) {
  if (c && f32_is_nan(*c)) nan = 1;
  if (c && f32_is_inf(*c)) {
    if (*c >> 31) ninf = 1;
    else pinf = 1;
  }
  if (nan || (pinf && ninf)) {
    *out = MX_DOT_F32_NAN;
    return 1;
  }
  if (pinf || ninf) {
    *out = pinf ? 0x7F800000u : 0xFF800000u;
    return 1;
  }
  return 0;
}

static int all_neg_zero(const dot_ctx *x, const uint32_t *c) {
  if (c && *c != F32_NEG_ZERO) return 0;
  for (size_t j = 0; j < x->n; j++)
    if (!range_all_neg_zero(x->ta, x->tb, x->a->codes + j * x->k, x->b->codes + j * x->k, 0, x->k)) return 0;
  return 1;
}

/* The exact value rounded once: every model with accum = exact and frac_bits = exact. */
static uint32_t dot_exact(const dot_ctx *x, const uint32_t *c, mx_dot_round mode, mx_dot_subnormal subn) {
  wide w;
  wide_init(&w);
  int nan = 0, pinf = 0, ninf = 0;
  const size_t k = x->k;
#if MXR_HAVE_AVX2
  const int simd_sum = mxr_use_avx2() && mxr_avx2_block_sum_applies(x->a->fmt, x->b->fmt, k);
#endif
  for (size_t j = 0; j < x->n; j++) {
    unsigned sa = x->a->scales[j], sb = x->b->scales[j];
    const uint8_t *ca = x->a->codes + j * k, *cb = x->b->codes + j * k;
    if (sa == 0xFF || sb == 0xFF) return MX_DOT_F32_NAN; /* rule 1 decides at once */
    if (has_special(x->ta, ca, k) || has_special(x->tb, cb, k)) {
      block_specials(x, j, &nan, &pinf, &ninf);
      continue; /* the result is NaN or Inf: this block's finite part no longer matters */
    }
    i128 s;
#if MXR_HAVE_AVX2
    if (simd_sum) s = mxr_avx2_block_sum(x->a->fmt, x->b->fmt, ca, cb, k);
    else
#endif
      s = range_sum(x->ta, x->tb, x->wide_pair, ca, cb, 0, k);
    wide_add(&w, s * block_mul(x, j), block_exp(x, j) - x->qsum);
  }
  uint32_t out;
  if (specials_decide(nan, pinf, ninf, c, &out)) return out;
  if (c) wide_add_f32(&w, *c, 0);
  int zero;
  out = wide_round(&w, mode, subn, &zero);
  if (zero) out = all_neg_zero(x, c) ? F32_NEG_ZERO : 0;
  return out;
}

/* ---- the fused sum Align_f, by integer logic ------------------------------------------------ */

static int i128_bitlen(i128 v) {
  u128 a = v < 0 ? -(u128)v : (u128)v;
  uint64_t hi = (uint64_t)(a >> 64), lo = (uint64_t)a;
  return hi ? 128 - __builtin_clzll(hi) : lo ? 64 - __builtin_clzll(lo) : 0;
}

/* v * 2^-s (s >= 1) rounded to an integer by the alignment rounding: the term v * 2^e cut to
 * a multiple of 2^(e + s). */
static i128 cut(i128 v, int s, mx_dot_align mode) {
  int neg = v < 0;
  u128 a = neg ? -(u128)v : (u128)v; /* < 2^127 */
  int gone = s >= 128;               /* every bit is below the grid */
  u128 q = gone ? 0 : a >> s, rem = gone ? a : a & (((u128)1 << s) - 1);
  switch (mode) {
  case MX_DOT_ALIGN_FLOOR: q += (u128)(neg && rem != 0); break; /* toward -inf: magnitude up if negative */
  case MX_DOT_ALIGN_RNE:
    if (!gone) { /* gone: rem = a < 2^127 <= half, nothing rounds up */
      u128 half = (u128)1 << (s - 1);
      q += (u128)(rem > half || (rem == half && (q & 1)));
    }
    break;
  default: break; /* trunc: toward zero */
  }
  return neg ? -(i128)q : (i128)q;
}

/* One step of a block: the products first, first + stride, ... (count of them), in that
 * order (dot.h "Steps": contiguous steps have stride 1, interleaved ones stride S). */
typedef struct step_set {
  size_t first, stride, count;
} step_set;

static step_set step_of(const mx_dot_model *m, size_t k, size_t g, size_t t) {
  step_set s;
  if (m->assign == MX_DOT_ASSIGN_INTERLEAVED) {
    size_t S = (k + g - 1) / g;
    s.first = t;
    s.stride = S;
    s.count = (k - t + S - 1) / S;
  } else {
    s.first = t * g;
    s.stride = 1;
    s.count = k - t * g < g ? k - t * g : g;
  }
  return s;
}

/* the step's positions [lo, hi) summed exactly (one chunk) */
static i128 chunk_sum(const dot_ctx *x, const uint8_t *ca, const uint8_t *cb, const step_set *ss, size_t lo,
                      size_t hi) {
  if (ss->stride == 1) return range_sum(x->ta, x->tb, x->wide_pair, ca, cb, ss->first + lo, ss->first + hi);
  i128 s = 0;
  for (size_t p = lo; p < hi; p++) {
    size_t i = ss->first + p * ss->stride;
    s += (i128)x->ta->fix[ca[i]] * x->tb->fix[cb[i]];
  }
  return s;
}

/* Are all of the step's products negative zeros? (Only asked when their sum is zero.) */
static int step_all_neg_zero(const dot_ctx *x, const uint8_t *ca, const uint8_t *cb, const step_set *ss) {
  if (ss->stride == 1) return range_all_neg_zero(x->ta, x->tb, ca, cb, ss->first, ss->first + ss->count);
  for (size_t p = 0; p < ss->count; p++) {
    size_t i = ss->first + p * ss->stride;
    if (!range_all_neg_zero(x->ta, x->tb, ca, cb, i, i + 1)) return 0;
  }
  return 1;
}

/* w := Align_f over the step's chunks (each chunk's sum times 2^texp) and, when fused, the
 * finite FP32 accumulator. Two passes over the chunks (the largest exponent first, then the
 * cuts) so that no term list has to be stored. */
static void step_align(const dot_ctx *x, const mx_dot_model *m, wide *w, const uint8_t *ca, const uint8_t *cb,
                       const step_set *ss, i128 tmul, int texp, int fused, uint32_t acc) {
  wide_clear(w);
  i128 av = 0;
  int ae = 0;
  const size_t n = ss->count;
  if (fused) { /* the accumulator as a term sig * 2^ae */
    uint32_t ef = (acc >> 23) & 0xFF, mant = acc & 0x7FFFFF;
    av = ef ? (i128)(mant | 0x800000u) : (i128)mant;
    ae = ef ? (int)ef - 150 : -149;
    if (acc >> 31) av = -av;
  }
  if (m->frac_bits == MX_DOT_FRAC_EXACT) {
    wide_add(w, av, ae);
    wide_add(w, chunk_sum(x, ca, cb, ss, 0, n) * tmul, texp);
    return;
  }
  size_t h = m->presum <= 1 ? 1 : m->presum;
  int have = av != 0, E = have ? i128_bitlen(av) - 1 + ae : 0; /* floor(log2|t|) of the largest */
  for (size_t c = 0; c < n; c += h) {
    i128 v = chunk_sum(x, ca, cb, ss, c, c + h < n ? c + h : n) * tmul;
    if (!v) continue;
    int l = i128_bitlen(v) - 1 + texp;
    if (!have || l > E) E = l;
    have = 1;
  }
  if (!have) return; /* every term zero */
  int U = E - m->frac_bits; /* the grid 2^U; a term with lsb at or above it is kept whole */
  if (av) wide_add(w, ae >= U ? av : cut(av, U - ae, m->align), ae >= U ? ae : U);
  for (size_t c = 0; c < n; c += h) {
    i128 v = chunk_sum(x, ca, cb, ss, c, c + h < n ? c + h : n) * tmul;
    if (v) wide_add(w, texp >= U ? v : cut(v, U - texp, m->align), texp >= U ? texp : U);
  }
}

/* Models with an FP32 accumulator (any alignment): the loop of dot.h step by step. */
static uint32_t dot_stepwise(const dot_ctx *x, const uint32_t *c, const mx_dot_model *m) {
  const size_t k = x->k;
  int nan = 0, pinf = 0, ninf = 0;
  uint32_t out;
  for (size_t j = 0; j < x->n; j++) {
    if (x->a->scales[j] == 0xFF || x->b->scales[j] == 0xFF) return MX_DOT_F32_NAN;
    if (has_special(x->ta, x->a->codes + j * k, k) || has_special(x->tb, x->b->codes + j * k, k))
      block_specials(x, j, &nan, &pinf, &ninf);
  }
  if (specials_decide(nan, pinf, ninf, c, &out)) return out;

  const mx_dot_round racc = m->accum == MX_DOT_ACCUM_F32_RTZ ? MX_DOT_RTZ : MX_DOT_RNE;
  const mx_dot_subnormal sub = m->subnormal;
  const int fused = m->acc == MX_DOT_ACC_FUSED, group = m->scale_at == MX_DOT_SCALE_GROUP;
  /* R_step: 23 fraction bits is FP32 itself (identity before R_acc / R_fin) */
  const int sfrac = m->step_frac == 0 ? MX_DOT_STEP_FRAC_F32 : m->step_frac;
  size_t g = (m->group == 0 || m->group > k) ? k : m->group, steps = (k + g - 1) / g;
  int c_last = c && m->c_at == MX_DOT_C_LAST;
  size_t updates = x->n * steps + (c_last ? 1 : 0), u = 0;
  wide w;
  wide_init(&w);
  uint32_t acc = (c && m->c_at == MX_DOT_C_FIRST) ? *c : F32_NEG_ZERO;

  for (size_t j = 0; j < x->n; j++) {
    const uint8_t *ca = x->a->codes + j * k, *cb = x->b->codes + j * k;
    int sexp = block_exp(x, j);
    i128 smul = block_mul(x, j);
    for (size_t t = 0; t < steps; t++) {
      const step_set ss = step_of(m, k, g, t);
      /* the last update is rounded once, by final_round (dot.h) */
      mx_dot_round rm = ++u == updates ? m->final_round : racc;
      if (fused && (f32_is_nan(acc) || f32_is_inf(acc))) continue; /* passes through */
      step_align(x, m, &w, ca, cb, &ss, group ? 1 : smul, group ? -x->qsum : sexp - x->qsum, fused, acc);
      int zero;
      /* R_acc(Align) or R_fin(Align) for plain FP32 steps; else R_step, whose value is an
       * FP32 value, so that the R_acc / R_fin after it can only flush */
      uint32_t r = sfrac < MX_DOT_STEP_FRAC_F32 ? wide_round_to(&w, m->step_round, sub, sfrac, &zero)
                                               : wide_round(&w, fused ? rm : racc, sub, &zero);
      if (zero) { /* -0 only when every term is -0 */
        int neg0 = step_all_neg_zero(x, ca, cb, &ss) && (!fused || acc == F32_NEG_ZERO);
        r = neg0 ? F32_NEG_ZERO : 0;
      }
      if (fused) { /* acc := R(R_step(Align_f({acc} U {s_j * chunk}))) */
        acc = r;
        continue;
      }
      uint32_t d = r; /* d := R(R_step(Align_f({s_j * chunk}))) */
      if (group && (r & 0x7FFFFFFFu) && !f32_is_inf(r)) {
        /* d := R(s_j * R(R_step(Align_f({chunk})))); r != 0, so the rounding sees a nonzero value */
        wide_clear(&w);
        if (!x->smul) {
          wide_add_f32(&w, r, sexp);
        } else { /* r * smul in two halves of smul (< 2^56), each product < 2^56; r without its
                    trailing zeros (a multiple of 2^-qsum), so that the lowest bit stays in range */
          uint32_t ef = (r >> 23) & 0xFF, sig = ef ? (r & 0x7FFFFFu) | 0x800000u : r & 0x7FFFFFu;
          int tz = __builtin_ctz(sig), e = (ef ? (int)ef - 150 : -149) + tz + sexp;
          i128 v = (r >> 31) ? -(i128)(sig >> tz) : (i128)(sig >> tz);
          wide_add(&w, v * (smul & 0xFFFFFFFF), e);
          wide_add(&w, v * (smul >> 32), e + 32);
        }
        d = wide_round(&w, racc, sub, &zero);
      }
      acc = add_f32(&w, acc, d, rm, sub);
    }
  }
  if (c_last) acc = add_f32(&w, acc, *c, m->final_round, sub);
  if (updates == 0 && !f32_is_nan(acc) && !f32_is_inf(acc)) {
    /* no update at all (n = 0): the result is R_fin(C or -0); only flushing can change it */
    if (sub == MX_DOT_SUBN_FLUSH && (acc & 0x7FFFFFFFu) < 0x00800000u) acc &= 0x80000000u;
  }
  return acc;
}

static int dot_general(const mx_dot_vec *a, const mx_dot_vec *b, size_t n, size_t k, const uint32_t *c,
                       const mx_dot_model *mp, const uint64_t *smul, const int *sexp, uint32_t *out) {
  const mx_dot_model def = MX_DOT_MODEL_EXACT_RNE;
  const mx_dot_model *m = mp ? mp : &def;
  if (!a || !b || !out || k < 1 || k > MX_BLOCK_MAX || mx_dot_model_check(m)) return MX_DOT_EINVAL;
  if ((unsigned)a->fmt >= MX_BLOCK_FMT_COUNT || (unsigned)b->fmt >= MX_BLOCK_FMT_COUNT) return MX_DOT_EINVAL;
  if (n && (!a->scales || !b->scales || !a->codes || !b->codes)) return MX_DOT_EINVAL;
  if (m->frac_bits != MX_DOT_FRAC_EXACT && m->accum == MX_DOT_ACCUM_EXACT) return MX_DOT_EUNSUPPORTED;
  pthread_once(&g_tab_once, build_tables);
  dot_ctx x = {a, b, n, k, &g_tab[a->fmt], &g_tab[b->fmt], 0, 0, smul, sexp};
  x.wide_pair = x.ta->wide && x.tb->wide;
  x.qsum = x.ta->q + x.tb->q;
  *out = m->accum == MX_DOT_ACCUM_EXACT ? dot_exact(&x, c, m->final_round, m->subnormal) : dot_stepwise(&x, c, m);
  return MX_DOT_OK;
}

int mxref_dot_general(const mx_dot_vec *a, const mx_dot_vec *b, size_t n, size_t k, const uint32_t *c,
                      const mx_dot_model *m, uint32_t *out) {
  return dot_general(a, b, n, k, c, m, NULL, NULL, out);
}

int mxr_dot_general_scaled(const mx_dot_vec *a, const mx_dot_vec *b, size_t n, size_t k, const uint32_t *c,
                           const mx_dot_model *m, const uint64_t *smul, const int *sexp, uint32_t *out) {
  if (n && (!smul || !sexp)) return MX_DOT_EINVAL;
  return dot_general(a, b, n, k, c, m, smul, sexp, out);
}

uint32_t mxref_dot(mx_block_fmt fa, uint8_t scale_a, const uint8_t *codes_a, mx_block_fmt fb, uint8_t scale_b,
                   const uint8_t *codes_b, size_t k) {
  mx_dot_vec a = {fa, &scale_a, codes_a}, b = {fb, &scale_b, codes_b};
  uint32_t r;
  return mxref_dot_general(&a, &b, 1, k, NULL, NULL, &r) == MX_DOT_OK ? r : MX_DOT_F32_NAN;
}
