/* Oracle printing: exact text forms of values (hex float, shortest exact decimal), and
 * rounding of a typed-in number to a source format (for the CLI). */
#include <stdio.h>
#include <string.h>

#include "oracle_print.h"

/* C99-style normalized hex float: 0x1.cp+8, -0x1p-127. */
static void format_hex(mpfr_srcptr x, char *buf, size_t len) {
  long e = (long)mpfr_get_exp(x) - 1; /* |x| = 1.f * 2^e */
  mpfr_prec_t p = mpfr_get_prec(x);
  long k = (long)((p + 3) / 4); /* hex digits after the point */
  mpz_t m, one;
  mpz_init(m);
  mpz_init(one);
  mpfr_t t;
  mpfr_init2(t, p);
  mpfr_abs(t, x, MPFR_RNDN);
  mpfr_mul_2si(t, t, 4 * k - e, MPFR_RNDN); /* exact: scales by a power of two */
  mpfr_get_z(m, t, MPFR_RNDN);
  mpz_ui_pow_ui(one, 2, (unsigned long)(4 * k));
  mpz_sub(m, m, one); /* fraction bits */
  char digits[64] = "";
  if (mpz_sgn(m) != 0 && k < 60) {
    gmp_snprintf(digits, sizeof digits, "%0*Zx", (int)k, m);
    size_t n = strlen(digits);
    while (n > 0 && digits[n - 1] == '0') digits[--n] = 0;
  }
  snprintf(buf, len, "%s0x1%s%s%+ld", mpfr_signbit(x) ? "-" : "", digits[0] ? "." : "", digits, e);
  mpfr_clear(t);
  mpz_clear(m);
  mpz_clear(one);
}

/* insert the 'p' before the exponent sign */
static void add_p(char *buf, size_t len) {
  size_t n = strlen(buf);
  for (size_t i = n; i > 2; i--) {
    if ((buf[i - 1] == '+' || buf[i - 1] == '-') && i - 1 > 0) {
      if (n + 1 >= len) return;
      memmove(buf + i, buf + i - 1, n - (i - 1) + 1);
      buf[i - 1] = 'p';
      return;
    }
  }
}

void mxo_format_mpfr(mpfr_srcptr x, char *buf, size_t len) {
  if (mpfr_nan_p(x)) { snprintf(buf, len, "NaN"); return; }
  if (mpfr_inf_p(x)) { snprintf(buf, len, "%sInf", mpfr_signbit(x) ? "-" : "+"); return; }
  if (mpfr_zero_p(x)) { snprintf(buf, len, "%s0", mpfr_signbit(x) ? "-" : ""); return; }
  char hex[160];
  format_hex(x, hex, sizeof hex);
  add_p(hex, sizeof hex);
  /* the fewest significant decimal digits that give the value back exactly */
  char dec[512] = "";
  mpfr_t back;
  mpfr_init2(back, mpfr_get_prec(x) + 8);
  for (int digits = 1; digits <= 400; digits++) {
    mpfr_snprintf(dec, sizeof dec, "%.*Rg", digits, x);
    mpfr_set_str(back, dec, 10, MPFR_RNDN);
    if (mpfr_equal_p(back, x)) break;
  }
  mpfr_clear(back);
  snprintf(buf, len, "%s (%s)", hex, dec);
}

void mxo_format_code(mx_fmt fmt, uint64_t code, char *buf, size_t len) {
  mpfr_t x;
  mpfr_init2(x, 64);
  mxo_decode_signed(fmt, code, x);
  mxo_format_mpfr(x, buf, len);
  mpfr_clear(x);
}

/* Round a real number to an IEEE source format (RNE, with subnormals), giving its bits.
 * Returns 0 when exact, 1 when rounded. Uses MPFR's exponent-range emulation. */
int mxo_number_to_source(mx_fmt src, mpfr_srcptr x, uint64_t *bits) {
  const mx_format_desc *d = mx_format(src);
  uint64_t sign = (uint64_t)(mpfr_signbit(x) ? 1 : 0) << (d->bits - 1);
  uint64_t expall = (((uint64_t)1 << d->ebits) - 1) << d->mbits;
  if (mpfr_nan_p(x)) { *bits = expall | ((uint64_t)1 << (d->mbits - 1)); return 0; }
  if (mpfr_inf_p(x)) { *bits = sign | expall; return 0; }
  if (mpfr_zero_p(x)) { *bits = sign; return 0; }
  mpfr_exp_t old_emin = mpfr_get_emin(), old_emax = mpfr_get_emax();
  /* MPFR exponents: x = 0.1xxx * 2^E, so binade 2^e has E = e + 1 */
  mpfr_set_emin(d->emin - d->mbits + 1);
  mpfr_set_emax(d->emax + 1);
  mpfr_t y;
  mpfr_init2(y, d->mbits + 1);
  int t = mpfr_set(y, x, MPFR_RNDN);
  t = mpfr_check_range(y, t, MPFR_RNDN);
  t = mpfr_subnormalize(y, t, MPFR_RNDN);
  mpfr_set_emin(old_emin);
  mpfr_set_emax(old_emax);
  if (mpfr_inf_p(y)) { *bits = sign | expall; mpfr_clear(y); return 1; }
  if (mpfr_zero_p(y)) { *bits = sign; mpfr_clear(y); return 1; }
  mpfr_abs(y, y, MPFR_RNDN);
  long e = mpfr_get_exp(y) - 1; /* binade */
  uint64_t mant;
  if (e < d->emin) {
    /* subnormal: y / 2^(emin - m) is an integer */
    mpfr_mul_2si(y, y, -(long)(d->emin - d->mbits), MPFR_RNDN);
    mant = mpfr_get_uj(y, MPFR_RNDN);
    *bits = sign | mant;
  } else {
    mpfr_mul_2si(y, y, (long)d->mbits - e, MPFR_RNDN);
    mant = mpfr_get_uj(y, MPFR_RNDN) - ((uint64_t)1 << d->mbits);
    *bits = sign | ((uint64_t)(e + d->bias) << d->mbits) | mant;
  }
  mpfr_clear(y);
  return t != 0;
}
