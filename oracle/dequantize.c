/* Oracle block dequantize: v_i = X * P_i as an exact MPFR product, then rounded once to
 * the destination (f32, bf16, f64; any IEEE-style source format works the same way).
 *
 * The rounding to the destination is written out by its definition instead of MPFR's
 * exponent-range emulation: the quantum (the value of one unit in the last place) of a
 * format with p-bit significands at |x| in binade e is 2^(max(e, emin) - (p - 1)); the
 * result is the nearest multiple of the quantum, ties to the even multiple. That one
 * formula covers normals and subnormals, and needs no global MPFR state. */
#include <stdlib.h>

#include "oracle_block.h"

#define DPREC 64 /* element values have <= 8 significant bits; f64 needs 53 */

static void exact_or_die(int ternary) {
  if (ternary != 0) abort();
}

static uint64_t quiet_nan_bits(const mx_format_desc *d) {
  uint64_t expall = (((uint64_t)1 << d->ebits) - 1) << d->mbits;
  return expall | ((uint64_t)1 << (d->mbits - 1));
}

static uint64_t inf_bits(const mx_format_desc *d, int sign) {
  return ((uint64_t)sign << (d->bits - 1)) | ((((uint64_t)1 << d->ebits) - 1) << d->mbits);
}

/* The value of an MPFR integer 0 <= a < 2^53, exactly: the double holds it without rounding.
 * (mpfr_get_uj allocates a temporary on every call; this runs for every element.) */
static uint64_t small_integer(mpfr_srcptr a) {
  if (!mpfr_integer_p(a) || mpfr_sgn(a) < 0 || mpfr_cmp_ui_2exp(a, 1, 53) >= 0) abort();
  return (uint64_t)mpfr_get_d(a, MPFR_RNDN);
}

/* Round a finite nonzero real to the IEEE format d (to nearest, ties to even), encoding
 * the result. |result| >= 2^(emax+1) is overflow: Inf, or +-max finite under sat. */
static uint64_t round_to_ieee(const mx_format_desc *d, mpfr_srcptr x, mx_dequant_overflow ovf) {
  int sign = mpfr_signbit(x) ? 1 : 0;
  uint64_t sign_bit = (uint64_t)sign << (d->bits - 1);
  /* on the stack (MPFR_DECL_INIT, never cleared): this runs for every element of every
   * proved block, and two mallocs and frees a call were a fifth of the oracle's time */
  MPFR_DECL_INIT(a, DPREC);
  MPFR_DECL_INIT(q, DPREC);
  exact_or_die(mpfr_abs(a, x, MPFR_RNDN));
  long e = (long)mpfr_get_exp(a) - 1; /* 2^e <= |x| < 2^(e+1) */
  long quantum = (e > d->emin ? e : d->emin) - d->mbits;
  /* a / 2^quantum, rounded to an integer with ties to even, times 2^quantum */
  exact_or_die(mpfr_div_2si(q, a, quantum, MPFR_RNDN));
  mpfr_rint(q, q, MPFR_RNDN); /* MPFR's rint under RNDN sends halfway cases to even */
  uint64_t bits;
  if (mpfr_zero_p(q)) {
    bits = sign_bit; /* below half the smallest subnormal */
  } else {
    exact_or_die(mpfr_mul_2si(a, q, quantum, MPFR_RNDN)); /* the rounded magnitude */
    if (mpfr_cmp_ui_2exp(a, 1, d->emax + 1) >= 0) {
      bits = ovf == MX_DQOVF_SAT ? (sign_bit | d->max_code) : inf_bits(d, sign);
    } else {
      long er = (long)mpfr_get_exp(a) - 1; /* rounding may have carried into the next binade */
      if (er < d->emin) {
        /* subnormal: the significand field counts quanta of 2^(emin - mbits) */
        exact_or_die(mpfr_div_2si(a, a, d->emin - d->mbits, MPFR_RNDN));
        bits = sign_bit | small_integer(a);
      } else {
        exact_or_die(mpfr_div_2si(a, a, er - d->mbits, MPFR_RNDN)); /* 2^mbits + field */
        uint64_t field = small_integer(a) - ((uint64_t)1 << d->mbits);
        bits = sign_bit | ((uint64_t)(er + d->bias) << d->mbits) | field;
      }
    }
  }
  return bits;
}

void mxo_dequantize_block(mx_block_fmt f, uint8_t scale, const uint8_t *codes, size_t k, mx_fmt dst,
                          const mx_block_opts *o, uint64_t *out) {
  mx_block_opts def;
  if (!o) {
    mx_block_opts_default(&def);
    o = &def;
  }
  const mx_format_desc *d = mx_format(dst);
  if (d->kind != MX_KIND_FLOAT || d->specials != MX_SPECIALS_IEEE) { /* not a destination */
    for (size_t i = 0; i < k; i++) out[i] = 0;
    return;
  }
  mx_fmt elem = mx_block_element(f);
  mxo_value p;
  mxo_value_init(&p);
  mpfr_t v;
  mpfr_init2(v, DPREC);
  for (size_t i = 0; i < k; i++) {
    if (scale == 0xFF) { /* MX §5.1: a NaN scale makes every value NaN, whatever P_i is */
      out[i] = quiet_nan_bits(d);
      continue;
    }
    mxo_decode(elem, codes[i], &p);
    switch (p.cls) {
    case MX_CLASS_NAN: out[i] = quiet_nan_bits(d); break;
    case MX_CLASS_INF: out[i] = inf_bits(d, p.sign); break;        /* X > 0: the sign stays */
    case MX_CLASS_ZERO: out[i] = (uint64_t)p.sign << (d->bits - 1); break; /* -0 stays -0 */
    default:
      /* X * P_i exactly: X = 2^(scale - 127), E8M0 has no other values */
      exact_or_die(mpfr_mul_2si(v, p.mag, (long)scale - 127, MPFR_RNDN));
      if (p.sign) mpfr_neg(v, v, MPFR_RNDN);
      out[i] = round_to_ieee(d, v, o->dequant_overflow);
    }
  }
  mpfr_clear(v);
  mxo_value_clear(&p);
}
