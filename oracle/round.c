/* Oracle rounding: mx_round_to_element by the definition.
 *
 * For a destination format and a sign, the oracle lists every finite magnitude that
 * sign can take (decoded exactly from every code), sorted, plus one "virtual" value just
 * beyond the largest: the value the next code would have if the exponent range were
 * unbounded (E4M3 480, E5M2 65536, E2M1 8, INT8 128/64, E8M0 2^128). Rounding a
 * magnitude is then: find the neighbours lo <= |x| < hi in that list and pick one by the
 * rounding rule — no exponent arithmetic, no bit tricks. Landing on the virtual value
 * means overflow ("round first, then range-check", OFP8 §5.2.1).
 * Ties to even pick the neighbour whose magnitude code is even. */
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

typedef struct entry {
  mpfr_t val;       /* exact magnitude */
  uint32_t code;    /* the code that encodes it with this sign (unused for the virtual entry) */
  uint32_t magcode; /* magnitude code: parity decides ties to even */
  mpfr_t mid_up;    /* (val + the next entry's val) / 2, exact: the tie point above (not in the virtual entry) */
} entry;

typedef struct value_list {
  int n;          /* real entries; entries[n] is the virtual value */
  entry e[300];
} value_list;

/* [format][sign][int8 range] */
static value_list *g_lists[MX_FMT_COUNT][2][2];

static void die_if_inexact(int t) {
  if (t) abort();
}

static int cmp_entry(const void *a, const void *b) {
  return mpfr_cmp(((const entry *)a)->val, ((const entry *)b)->val);
}

/* Magnitude of the would-be next code `mag` in an unbounded version of the format. */
static void unbounded_value(const mx_format_desc *d, uint32_t mag, mpfr_t out) {
  switch (d->kind) {
  case MX_KIND_INT: die_if_inexact(mpfr_set_ui_2exp(out, mag, d->int_scale_log2, MPFR_RNDN)); break;
  case MX_KIND_SCALE: die_if_inexact(mpfr_set_ui_2exp(out, 1, (long)mag - d->bias, MPFR_RNDN)); break;
  default: {
    unsigned long e = mag >> d->mbits, m = mag & ((1u << d->mbits) - 1);
    /* the largest codes are normal, so the virtual one is too */
    die_if_inexact(mpfr_set_ui_2exp(out, (1ul << d->mbits) + m, (long)e - d->bias - d->mbits, MPFR_RNDN));
  }
  }
}

static value_list *build_list(mx_fmt fmt, int sign, int symmetric_int8) {
  const mx_format_desc *d = mx_format(fmt);
  value_list *L = calloc(1, sizeof *L);
  if (!L) abort();
  mxo_value v;
  mxo_value_init(&v);
  uint32_t ncodes = 1u << d->bits;
  for (uint32_t c = 0; c < ncodes; c++) {
    mxo_decode(fmt, c, &v);
    if (v.cls == MX_CLASS_NAN || v.cls == MX_CLASS_INF) continue;
    if (d->has_sign && v.cls != MX_CLASS_ZERO && v.sign != sign) continue;
    /* +0 for +, -0 for -; a format without -0 (FNUZ) rounds both signs' tiny values to its one
     * zero, and mxo_round_to_element then applies knob fnuz_zero */
    if (v.cls == MX_CLASS_ZERO && d->kind == MX_KIND_FLOAT && v.sign != sign && d->specials != MX_SPECIALS_NAN_NEGZERO)
      continue;
    uint32_t magcode = c;
    if (d->kind == MX_KIND_FLOAT) magcode = c & ((1u << (d->bits - 1)) - 1);
    if (d->kind == MX_KIND_INT) {
      int q = (int)(int8_t)(uint8_t)c;
      magcode = (uint32_t)(q < 0 ? -q : q);
      if (symmetric_int8 && q == -128) continue;
    }
    entry *e = &L->e[L->n++];
    mpfr_init2(e->val, 64);
    die_if_inexact(mpfr_set(e->val, v.mag, MPFR_RNDN));
    e->code = c;
    e->magcode = magcode;
  }
  qsort(L->e, (size_t)L->n, sizeof(entry), cmp_entry);
  /* the virtual value beyond the largest */
  entry *top = &L->e[L->n - 1], *virt = &L->e[L->n];
  mpfr_init2(virt->val, 64);
  virt->magcode = top->magcode + 1;
  virt->code = 0;
  unbounded_value(d, virt->magcode, virt->val);
  /* the midpoints once per list, not once per rounding: values have <= 64 significant bits
   * and nearby exponents, so 128 bits hold every sum exactly */
  for (int i = 0; i < L->n; i++) {
    mpfr_init2(L->e[i].mid_up, 128);
    die_if_inexact(mpfr_add(L->e[i].mid_up, L->e[i].val, L->e[i + 1].val, MPFR_RNDN));
    mpfr_div_2ui(L->e[i].mid_up, L->e[i].mid_up, 1, MPFR_RNDN);
  }
  mxo_value_clear(&v);
  return L;
}

static const value_list *list_for(mx_fmt fmt, int sign, int symmetric) {
  const mx_format_desc *d = mx_format(fmt);
  if (!d->has_sign) sign = 0;
  if (d->kind != MX_KIND_INT) symmetric = 0;
  value_list **slot = &g_lists[fmt][sign][symmetric];
  if (!*slot) *slot = build_list(fmt, sign, symmetric);
  return *slot;
}

/* ---- specials and overflow -------------------------------------------------------- */

static uint32_t sign_code(const mx_format_desc *d, int sign) {
  return d->has_sign && d->kind == MX_KIND_FLOAT && sign ? 1u << (d->bits - 1) : 0;
}

/* Largest finite code of the given sign. */
static uint32_t max_finite(mx_fmt fmt, int sign, const mx_convert_opts *o) {
  const value_list *L = list_for(fmt, sign, o->int8_range == MX_INT8_SYMMETRIC);
  return L->e[L->n - 1].code;
}

static uint32_t zero_code(mx_fmt fmt, int sign) {
  const mx_format_desc *d = mx_format(fmt);
  return d->specials == MX_SPECIALS_NAN_NEGZERO ? 0 : sign_code(d, sign); /* FNUZ: see fnuz_zero */
}

/* A -0 result in a format without -0 (FNUZ, whose sign bit alone is the NaN): knob fnuz_zero.
 * `rounded`: the value was nonzero and rounded to zero (otherwise the input was -0). */
static uint32_t fnuz_negative_zero(const mx_format_desc *d, const mx_convert_opts *o, int rounded) {
  int nan = o->fnuz_zero == MX_FNUZ_ZERO_NAN || (o->fnuz_zero == MX_FNUZ_ZERO_UNDERFLOW_NAN && rounded);
  return nan ? sign_code(d, 1) : 0;
}

/* The NaN conversion produces (formats that have NaN). `input` is the NaN input it comes
 * from, or NULL for a NaN made from +-Inf or by overflow (E4M3 under ovf). */
static uint32_t nan_code(mx_fmt fmt, int sign, const mx_convert_opts *o, const mxo_value *input) {
  const mx_format_desc *d = mx_format(fmt);
  if (d->kind == MX_KIND_SCALE) return 0xFF;
  if (d->specials == MX_SPECIALS_NAN_NEGZERO) return sign_code(d, 1); /* the one NaN: no sign, no payload */
  int s = sign;
  if (o->nan_sign == MX_NAN_SIGN_POSITIVE) s = 0;
  if (o->nan_sign == MX_NAN_SIGN_NAN_INPUT_POSITIVE && input) s = 0;
  if (o->nan_sign == MX_NAN_SIGN_NEGATIVE) s = 1;
  uint32_t all = (1u << (d->bits - 1)) - 1; /* S.1111.111 */
  if (d->specials == MX_SPECIALS_IEEE) {
    /* E5M2: the exponent field all ones, the top mantissa bit (IEEE's quiet bit) set, and
     * below it the payload: none, all ones, or the source NaN's payload cut to this width */
    uint32_t below = (1u << (d->mbits - 1)) - 1; /* the mantissa bits below the top one */
    uint32_t payload = 0;
    if (o->e5m2_nan == MX_E5M2_NAN_ALLONES) payload = below;
    if (o->e5m2_nan == MX_E5M2_NAN_PROPAGATE && input && input->nan_field_bits > d->mbits) {
      /* drop the source's quiet bit and keep the next mbits - 1 bits: truncation */
      uint64_t src_payload = input->nan_field % (1ull << (input->nan_field_bits - 1));
      payload = (uint32_t)(src_payload >> (input->nan_field_bits - d->mbits));
    }
    all = (all & ~below) | payload;
  }
  return sign_code(d, s) | all;
}

static uint32_t inf_code(mx_fmt fmt, int sign) {
  const mx_format_desc *d = mx_format(fmt);
  return sign_code(d, sign) | (((1u << d->ebits) - 1) << d->mbits);
}

/* What overflow (rounding landed on the virtual value) gives, for modes that round
 * away from zero or to nearest. */
static uint32_t overflow_code(mx_fmt fmt, int sign, const mx_convert_opts *o) {
  const mx_format_desc *d = mx_format(fmt);
  if (o->overflow == MX_SAT) return max_finite(fmt, sign, o);
  switch (d->specials) {
  case MX_SPECIALS_IEEE: return inf_code(fmt, sign);
  case MX_SPECIALS_NAN_ALLONES: /* E4M3 and the FNUZ formats: NaN, or no code (knob ovf_nan) */
  case MX_SPECIALS_NAN_NEGZERO: return o->ovf_nan == MX_OVF_NAN_REFUSE ? MX_CODE_REFUSED : nan_code(fmt, sign, o, NULL);
  case MX_SPECIALS_NAN_ALLBITS: return nan_code(fmt, sign, o, NULL);
  default: /* nothing to overflow into: the largest finite value, or no code (knob ovf_finite) */
    return o->ovf_finite == MX_OVF_FINITE_REFUSE ? MX_CODE_REFUSED : max_finite(fmt, sign, o);
  }
}

/* ---- rounding of a finite magnitude ----------------------------------------------- */

static uint32_t round_magnitude(mx_fmt fmt, int sign, mpfr_srcptr a, const mx_convert_opts *o, uint32_t rnd) {
  const value_list *L = list_for(fmt, sign, o->int8_range == MX_INT8_SYMMETRIC);
  if (mpfr_cmp(a, L->e[0].val) < 0) return L->e[0].code; /* below the smallest (E8M0 only): clamp */
  /* largest i with e[i] <= a (binary search over the sorted list, virtual included) */
  int lo = 0, hi = L->n; /* invariant: e[lo] <= a; e[hi] > a or hi == n (virtual) */
  if (mpfr_cmp(a, L->e[L->n].val) >= 0) {
    lo = L->n; /* at or beyond the virtual value: overflow whatever the mode, except toward zero */
  } else {
    while (hi - lo > 1) {
      int mid = (lo + hi) / 2;
      if (mpfr_cmp(L->e[mid].val, a) <= 0) lo = mid; else hi = mid;
    }
  }
  int toward_zero = o->round == MX_RTZ || (o->round == MX_RUP && sign) || (o->round == MX_RDN && !sign);
  if (lo == L->n) /* IEEE 754 7.4: toward zero gives the largest finite value (knob ovf_directed) */
    return toward_zero && o->ovf_directed == MX_OVF_DIRECTED_MAX ? L->e[L->n - 1].code : overflow_code(fmt, sign, o);
  const entry *down = &L->e[lo], *up = &L->e[lo + 1];
  if (mpfr_equal_p(a, down->val)) return down->code;
  int take_up = 0;
  switch (o->round) {
  case MX_RTZ: take_up = 0; break;
  case MX_RUP: take_up = !sign; break;
  case MX_RDN: take_up = sign; break;
  case MX_RNE:
  case MX_RNA: {
    int c = mpfr_cmp(a, down->mid_up); /* the exact midpoint of down and up */
    if (c > 0) take_up = 1;
    else if (c < 0) take_up = 0;
    else if (o->round == MX_RNA || (mx_format(fmt)->kind == MX_KIND_SCALE && o->e8m0_tie == MX_E8M0_TIE_UP))
      take_up = 1; /* tie: away (E8M0: up) */
    else
      take_up = (int)(down->magcode & 1u); /* tie: to the even code */
    break;
  }
  case MX_SR: {
    /* Exact definition: result = truncate(|x| + r * ulp / 2^k), ulp = up - down.
     * Equivalently: up iff |x| >= down + ulp * (2^k - r) / 2^k. */
    unsigned k = o->sr_bits;
    uint64_t r = k >= 32 ? rnd : (rnd & ((1u << k) - 1u));
    MPFR_DECL_INIT(t, 192);
    die_if_inexact(mpfr_sub(t, up->val, down->val, MPFR_RNDN));
    die_if_inexact(mpfr_mul_ui(t, t, (unsigned long)(((uint64_t)1 << k) - r), MPFR_RNDN));
    mpfr_div_2ui(t, t, k, MPFR_RNDN);
    die_if_inexact(mpfr_add(t, t, down->val, MPFR_RNDN));
    take_up = mpfr_cmp(a, t) >= 0;
    break;
  }
  default: break;
  }
  if (!take_up) return down->code;
  if (lo + 1 == L->n) return overflow_code(fmt, sign, o); /* rounded onto the virtual value */
  return up->code;
}

uint32_t mxo_round_to_element(mx_fmt dst, const mxo_value *v, const mx_convert_opts *o, uint32_t rnd) {
  const mx_format_desc *d = mx_format(dst);
  int sign = v->sign;

  if (d->kind == MX_KIND_SCALE) { /* E8M0: no sign, no zero, no Inf */
    if (v->cls == MX_CLASS_NAN) return 0xFF;
    if (v->cls == MX_CLASS_ZERO) return o->e8m0_zero == MX_E8M0_ZERO_MIN ? 0x00 : 0xFF;
    if (sign && o->e8m0_neg == MX_E8M0_NEG_NAN) return 0xFF;
    if (sign && o->e8m0_neg == MX_E8M0_NEG_REFUSE) return MX_CODE_REFUSED;
    if (sign && (o->e8m0_neg == MX_E8M0_NEG_MIN || (o->e8m0_neg == MX_E8M0_NEG_MIN_FINITE && v->cls != MX_CLASS_INF)))
      return 0x00;
    if (v->cls == MX_CLASS_INF)
      return (o->overflow == MX_SAT && o->inf_sat == MX_INF_SAT_MAX) ? max_finite(dst, 0, o) : 0xFF;
    if (o->e8m0_range == MX_E8M0_RANGE_CHECK_FIRST) { /* the range test before rounding */
      if (mpfr_cmp_ui_2exp(v->mag, 1, 127) > 0) return o->overflow == MX_SAT ? max_finite(dst, 0, o) : 0xFF;
      if (mpfr_cmp_ui_2exp(v->mag, 1, -127) < 0) return o->e8m0_zero == MX_E8M0_ZERO_MIN ? 0x00 : 0xFF;
    }
    return round_magnitude(dst, 0, v->mag, o, rnd); /* |x|, rounded as a positive number */
  }

  int no_negzero = d->specials == MX_SPECIALS_NAN_NEGZERO;
  if (v->cls == MX_CLASS_ZERO) /* INT8 has one zero */
    return no_negzero && sign ? fnuz_negative_zero(d, o, 0) : zero_code(dst, sign);

  if (v->cls == MX_CLASS_NAN) {
    if (d->specials != MX_SPECIALS_NONE) return nan_code(dst, sign, o, v);
    switch (o->nan_finite) {
    case MX_NANF_REFUSE: return MX_CODE_REFUSED;
    case MX_NANF_POS_MAX: return max_finite(dst, 0, o);
    case MX_NANF_SIGNED_MAX: return max_finite(dst, sign, o);
    case MX_NANF_ZERO: return zero_code(dst, 0);
    case MX_NANF_SIGNED_ZERO: return zero_code(dst, sign);
    case MX_NANF_INVERTED_ZERO: return zero_code(dst, !sign);
    }
    return 0;
  }

  if (v->cls == MX_CLASS_INF) {
    if (d->specials == MX_SPECIALS_NONE) {
      if (o->inf_finite == MX_INFF_REFUSE) return MX_CODE_REFUSED;
      return o->inf_finite == MX_INFF_MAX ? max_finite(dst, sign, o) : zero_code(dst, sign);
    }
    if (o->overflow == MX_SAT && o->inf_sat == MX_INF_SAT_MAX) return max_finite(dst, sign, o);
    if (d->specials == MX_SPECIALS_IEEE) return inf_code(dst, sign);
    return o->ovf_nan == MX_OVF_NAN_REFUSE ? MX_CODE_REFUSED : nan_code(dst, sign, o, NULL); /* no Inf code: NaN */
  }

  uint32_t c = round_magnitude(dst, sign, v->mag, o, rnd);
  return no_negzero && sign && c == 0 ? fnuz_negative_zero(d, o, 1) : c;
}

/* Knob f64_src=via-f32: the f64 rounded to binary32 by MPFR (RNE, with binary32's subnormals
 * and overflow to Inf); a NaN keeps its sign and the top 23 bits of its fraction, quiet bit
 * set (IEEE 754 6.2.3: the payload cut to the narrower format). */
static uint64_t f64_bits_to_f32_rne(uint64_t bits) {
  uint32_t sign = (uint32_t)(bits >> 63) << 31;
  if ((bits & 0x7FF0000000000000ull) == 0x7FF0000000000000ull && (bits & 0xFFFFFFFFFFFFFull))
    return sign | 0x7FC00000u | (uint32_t)((bits & 0xFFFFFFFFFFFFFull) >> 29);
  double d;
  memcpy(&d, &bits, 8);
  mpfr_t x;
  mpfr_init2(x, 64);
  mpfr_set_d(x, d, MPFR_RNDN); /* exact */
  float f = mpfr_get_flt(x, MPFR_RNDN);
  mpfr_clear(x);
  uint32_t fb;
  memcpy(&fb, &f, 4);
  return fb;
}

uint32_t mxo_convert(mx_fmt dst, mx_fmt src, uint64_t src_bits, const mx_convert_opts *o, uint32_t rnd) {
  mx_convert_opts def;
  if (!o) {
    mx_convert_opts_default(&def);
    o = &def;
  }
  if (src == MX_F64 && o->f64_src == MX_F64_VIA_F32) {
    src_bits = f64_bits_to_f32_rne(src_bits);
    src = MX_F32;
  }
  mxo_value v;
  mxo_value_init(&v);
  mxo_decode(src, src_bits, &v);
  if (v.cls == MX_CLASS_SUBNORMAL && o->src_subnormals == MX_SUBN_FLUSH) {
    v.cls = MX_CLASS_ZERO;
    mpfr_set_zero(v.mag, 1);
  }
  uint32_t c = mxo_round_to_element(dst, &v, o, rnd);
  mxo_value_clear(&v);
  return c;
}
