/* Oracle decode: the value of a code, from the formula of its format kind, in MPFR.
 *   FLOAT  normal    (-1)^S * 2^(E - bias) * (1 + M / 2^m)
 *          subnormal (-1)^S * 2^(1 - bias) * (M / 2^m)          (E = 0)
 *   INT    q * 2^int_scale_log2, q the two's complement integer
 *   SCALE  2^(E - bias)
 * Specials come from mx_classify (the table's bit fields). */
#include "oracle.h"

#include <stdlib.h>

#define MXO_PREC 64 /* every source and element significand fits exactly */

void mxo_value_init(mxo_value *v) {
  mpfr_init2(v->mag, MXO_PREC);
  mpfr_set_zero(v->mag, 1);
  v->cls = MX_CLASS_ZERO;
  v->sign = 0;
  v->nan_field = 0;
  v->nan_field_bits = 0;
}

void mxo_value_clear(mxo_value *v) { mpfr_clear(v->mag); }

static void exact_or_die(int ternary) {
  if (ternary != 0) abort(); /* the oracle never rounds while decoding */
}

void mxo_decode(mx_fmt fmt, uint64_t code, mxo_value *out) {
  const mx_format_desc *d = mx_format(fmt);
  out->cls = mx_classify(fmt, code);
  out->sign = mx_code_sign(fmt, code);
  mpfr_set_zero(out->mag, 1);
  out->nan_field = 0;
  out->nan_field_bits = 0;
  if (out->cls == MX_CLASS_NAN && d->kind == MX_KIND_FLOAT) { /* the NaN's own bits, for e5m2_nan */
    out->nan_field_bits = d->mbits;
    out->nan_field = code % (1ull << d->mbits);
  }
  if (out->cls == MX_CLASS_NAN || out->cls == MX_CLASS_INF || out->cls == MX_CLASS_ZERO) return;
  switch (d->kind) {
  case MX_KIND_INT: {
    int64_t q = (int64_t)(code & ((1ull << d->bits) - 1));
    if (q >= (1ll << (d->bits - 1))) q -= (1ll << d->bits); /* two's complement */
    exact_or_die(mpfr_set_si(out->mag, q < 0 ? -q : q, MPFR_RNDN));
    exact_or_die(mpfr_mul_2si(out->mag, out->mag, d->int_scale_log2, MPFR_RNDN));
    break;
  }
  case MX_KIND_SCALE:
    exact_or_die(mpfr_set_ui_2exp(out->mag, 1, (long)(code & 0xFF) - d->bias, MPFR_RNDN));
    break;
  case MX_KIND_FLOAT:
  default: {
    uint64_t m = code & ((1ull << d->mbits) - 1);
    long e = (long)((code >> d->mbits) & ((1ull << d->ebits) - 1));
    if (e == 0) {
      /* (M / 2^m) * 2^(1 - bias) */
      exact_or_die(mpfr_set_uj_2exp(out->mag, m, 1 - d->bias - d->mbits, MPFR_RNDN));
    } else {
      /* (2^m + M) / 2^m * 2^(E - bias) */
      exact_or_die(mpfr_set_uj_2exp(out->mag, (1ull << d->mbits) + m, e - d->bias - d->mbits, MPFR_RNDN));
    }
    break;
  }
  }
}

void mxo_decode_signed(mx_fmt fmt, uint64_t code, mpfr_t out) {
  mxo_value v;
  mxo_value_init(&v);
  mxo_decode(fmt, code, &v);
  switch (v.cls) {
  case MX_CLASS_NAN: mpfr_set_nan(out); break;
  case MX_CLASS_INF: mpfr_set_inf(out, v.sign ? -1 : 1); break;
  case MX_CLASS_ZERO: mpfr_set_zero(out, v.sign ? -1 : 1); break;
  default:
    exact_or_die(mpfr_set(out, v.mag, MPFR_RNDN));
    if (v.sign) mpfr_neg(out, out, MPFR_RNDN);
  }
  mxo_value_clear(&v);
}
