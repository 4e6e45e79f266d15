/* Pins every number of the format table against the OCP MX v1.0 / OFP8 spec tables
 * (shared/research/spec.md §1.1, OFP8 Tables 1 and 2). Expected values are written here
 * from the spec text, as decimal strings, and compared exactly with the oracle's decode
 * and the reference's decode. */
#include <string.h>

#include "check.h"
#include "mxconform/mxref.h"
#include "oracle.h"

typedef struct spec_row {
  const char *name;
  int bits, ebits, mbits, bias, emax, emin;
  const char *max, *min_normal, *max_subnormal, *min_subnormal; /* NULL: none */
  int finite_codes, nan_codes, inf_codes, zero_codes;
} spec_row;

/* spec.md §1.1 summary table (values) and §1.2-1.6 (code counts). */
static const spec_row k_spec[] = {
  {"e4m3", 8, 4, 3, 7, 8, -6, "448", "0.015625", "0.013671875", "0.001953125", 254, 2, 0, 2},
  {"e5m2", 8, 5, 2, 15, 15, -14, "57344", "6.103515625e-5", "4.57763671875e-5", "1.52587890625e-5", 248, 6, 2, 2},
  {"e2m3", 6, 2, 3, 1, 2, 0, "7.5", "1", "0.875", "0.125", 64, 0, 0, 2},
  {"e3m2", 6, 3, 2, 3, 4, -2, "28", "0.25", "0.1875", "0.0625", 64, 0, 0, 2},
  {"e2m1", 4, 2, 1, 1, 2, 0, "6", "1", "0.5", "0.5", 16, 0, 0, 2},
  {"int8", 8, 0, 7, 0, 0, -6, "1.984375", NULL, NULL, "0.015625", 256, 0, 0, 1},
  {"e8m0", 8, 8, 0, 127, 127, -127, "1.7014118346046923173168730371588410572800e38",
   "5.8774717541114375398436826861112283890933277838604376075437585313920862972736358642578125e-39", NULL, NULL,
   255, 1, 0, 0},
  {"f32", 32, 8, 23, 127, 127, -126, "3.40282346638528859811704183484516925440e38", NULL, NULL, NULL, 0, 0, 0, 0},
  {"bf16", 16, 8, 7, 127, 127, -126, "3.38953138925153547590470800371487866880e38", NULL, NULL, NULL, 0, 0, 0, 0},
  {"f16", 16, 5, 10, 15, 15, -14, "65504", NULL, NULL, NULL, 0, 0, 0, 0},
  {"f64", 64, 11, 52, 1023, 1023, -1022, NULL, NULL, NULL, NULL, 0, 0, 0, 0},
  /* The other FP8 variants (spec_notes/formats.md): LLVM APFloat fltSemantics (maxExponent,
   * minExponent, precision), ml_dtypes README; values worked out by hand from those. */
  {"e4m3fnuz", 8, 4, 3, 8, 7, -7, "240", "0.0078125", "0.0068359375", "0.0009765625", 255, 1, 0, 1},
  {"e5m2fnuz", 8, 5, 2, 16, 15, -15, "57344", "3.0517578125e-5", "2.288818359375e-5", "7.62939453125e-6", 255, 1, 0, 1},
  {"e4m3b11fnuz", 8, 4, 3, 11, 4, -10, "30", "0.0009765625", "0.0008544921875", "0.0001220703125", 255, 1, 0, 1},
  {"e4m3ieee", 8, 4, 3, 7, 7, -6, "240", "0.015625", "0.013671875", "0.001953125", 240, 14, 2, 2},
  {"e3m4", 8, 3, 4, 3, 3, -2, "15.5", "0.25", "0.234375", "0.015625", 224, 30, 2, 2},
};

static int equals_decimal(mx_fmt f, uint64_t code, const char *dec) {
  mpfr_t a, b;
  mpfr_init2(a, 64);
  mpfr_init2(b, 400);
  mxo_decode_signed(f, code, a);
  mpfr_set_str(b, dec, 10, MPFR_RNDN);
  int eq = mpfr_equal_p(a, b);
  /* the reference's decode must give the same value */
  if (mx_format(f)->is_element) {
    uint64_t bits = mxref_decode_f64_bits(f, (uint32_t)code);
    double d;
    memcpy(&d, &bits, 8);
    mpfr_set_d(a, d, MPFR_RNDN);
    eq = eq && mpfr_equal_p(a, b);
  }
  mpfr_clear(a);
  mpfr_clear(b);
  return eq;
}

int main(void) {
  for (size_t i = 0; i < sizeof k_spec / sizeof k_spec[0]; i++) {
    const spec_row *s = &k_spec[i];
    int f = mx_format_by_name(s->name);
    CHECK(f >= 0, "format %s missing", s->name);
    if (f < 0) continue;
    const mx_format_desc *d = mx_format((mx_fmt)f);
    CHECK(d->id == (mx_fmt)f, "%s: id", s->name);
    CHECK(d->bits == s->bits, "%s: bits %d, spec %d", s->name, d->bits, s->bits);
    CHECK(d->ebits == s->ebits, "%s: ebits", s->name);
    CHECK(d->mbits == s->mbits, "%s: mbits", s->name);
    CHECK(d->bias == s->bias, "%s: bias %d, spec %d", s->name, d->bias, s->bias);
    CHECK(d->emax == s->emax, "%s: emax %d, spec %d", s->name, d->emax, s->emax);
    CHECK(d->emin == s->emin, "%s: emin %d, spec %d", s->name, d->emin, s->emin);
    if (s->max) CHECK(equals_decimal((mx_fmt)f, d->max_code, s->max), "%s: max code 0x%llx is not %s", s->name,
                      (unsigned long long)d->max_code, s->max);
    if (s->min_normal) {
      uint64_t c = d->kind == MX_KIND_SCALE ? 0 : (uint64_t)1 << d->mbits;
      CHECK(equals_decimal((mx_fmt)f, c, s->min_normal), "%s: min normal is not %s", s->name, s->min_normal);
    }
    if (s->max_subnormal)
      CHECK(equals_decimal((mx_fmt)f, ((uint64_t)1 << d->mbits) - 1, s->max_subnormal), "%s: max subnormal", s->name);
    if (s->min_subnormal) CHECK(equals_decimal((mx_fmt)f, 1, s->min_subnormal), "%s: min subnormal", s->name);
    if (s->finite_codes) {
      int fin = 0, nan = 0, inf = 0, zero = 0;
      for (uint64_t c = 0; c < mx_format_code_count((mx_fmt)f); c++) {
        mx_class k = mx_classify((mx_fmt)f, c);
        fin += k != MX_CLASS_NAN && k != MX_CLASS_INF;
        nan += k == MX_CLASS_NAN;
        inf += k == MX_CLASS_INF;
        zero += k == MX_CLASS_ZERO;
      }
      CHECK(fin == s->finite_codes, "%s: %d finite codes, spec %d", s->name, fin, s->finite_codes);
      CHECK(nan == s->nan_codes, "%s: %d NaN codes, spec %d", s->name, nan, s->nan_codes);
      CHECK(inf == s->inf_codes, "%s: %d Inf codes, spec %d", s->name, inf, s->inf_codes);
      CHECK(zero == s->zero_codes, "%s: %d zero codes, spec %d", s->name, zero, s->zero_codes);
    }
  }
  /* Individual spec facts. */
  CHECK(mx_classify(MX_E4M3, 0x7F) == MX_CLASS_NAN && mx_classify(MX_E4M3, 0xFF) == MX_CLASS_NAN, "E4M3 NaN 0x7F/0xFF");
  CHECK(mx_classify(MX_E4M3, 0x78) == MX_CLASS_NORMAL, "E4M3 S.1111.000 = 256 is a number (no Inf)");
  CHECK(equals_decimal(MX_E4M3, 0x78, "256"), "E4M3 0x78 = 256");
  CHECK(mx_classify(MX_E5M2, 0x7C) == MX_CLASS_INF && mx_classify(MX_E5M2, 0xFC) == MX_CLASS_INF, "E5M2 Inf");
  for (unsigned c = 0x7D; c <= 0x7F; c++) CHECK(mx_classify(MX_E5M2, c) == MX_CLASS_NAN, "E5M2 NaN 0x%x", c);
  CHECK(mx_classify(MX_E8M0, 0xFF) == MX_CLASS_NAN, "E8M0 0xFF NaN");
  CHECK(equals_decimal(MX_E8M0, 0x7F, "1"), "E8M0 0x7F = 1");
  CHECK(equals_decimal(MX_INT8, 0x80, "-2"), "INT8 0x80 = -2");
  CHECK(equals_decimal(MX_INT8, 0xFF, "-0.015625"), "INT8 0xFF = -1/64");
  CHECK(equals_decimal(MX_E3M2, 0x1C, "16"), "E3M2 S.111.00 = 16 is a normal binade");
  static const char *e2m1[16] = {"0", "0.5", "1", "1.5", "2", "3", "4", "6", "-0", "-0.5", "-1", "-1.5", "-2", "-3", "-4", "-6"};
  for (int c = 0; c < 16; c++) CHECK(equals_decimal(MX_E2M1, (uint64_t)c, e2m1[c]), "E2M1 code 0x%x = %s (spec §1.4)", c, e2m1[c]);
  /* FNUZ: the sign bit alone is the one NaN, the all-ones exponent holds numbers (ml_dtypes README) */
  static const mx_fmt fnuz[] = {MX_E4M3FNUZ, MX_E5M2FNUZ, MX_E4M3B11FNUZ};
  for (size_t i = 0; i < 3; i++) {
    CHECK(mx_classify(fnuz[i], 0x80) == MX_CLASS_NAN, "%s: 0x80 is NaN", mx_format(fnuz[i])->name);
    CHECK(mx_classify(fnuz[i], 0xFF) == MX_CLASS_NORMAL, "%s: 0xFF is -max", mx_format(fnuz[i])->name);
  }
  CHECK(equals_decimal(MX_E4M3FNUZ, 0xFF, "-240"), "E4M3FNUZ 0xFF = -240");
  CHECK(equals_decimal(MX_E5M2FNUZ, 0x7C, "32768"), "E5M2FNUZ S.11111.00 = 2^15 is a number");
  CHECK(equals_decimal(MX_E4M3B11FNUZ, 0x58, "1"), "E4M3B11FNUZ 0x58 = 1 (exponent field 11 = the bias)");
  CHECK(mx_classify(MX_E4M3IEEE, 0x78) == MX_CLASS_INF && mx_classify(MX_E4M3IEEE, 0x79) == MX_CLASS_NAN,
        "E4M3IEEE: 0x78 Inf, 0x79 NaN");
  CHECK(mx_classify(MX_E3M4, 0x70) == MX_CLASS_INF && mx_classify(MX_E3M4, 0xF8) == MX_CLASS_NAN, "E3M4 Inf/NaN");
  CHECK(equals_decimal(MX_E3M4, 0x30, "1"), "E3M4 0x30 = 1");
  return CHECK_DONE();
}
