/* The famous edges, hand-checked: each expected code is written by hand from the spec text
 * (spec.md §1, §3.2, §3.3; OFP8 §5.2.1) — or, where no spec defines the result (E8M0
 * conversion, NaN/Inf into FP4/FP6/INT8), from our documented knob defaults
 * (spec_notes/conversion.md) — and both the reference and the oracle must produce it. */
#include <string.h>

#include "check.h"
#include "mxconform/mxref.h"
#include "oracle.h"

static uint32_t f32_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}

/* Convert an f32 bit pattern under the given rounding/overflow with both implementations. */
static void expect_cvt(const char *what, mx_fmt dst, uint32_t src_bits, mx_round r, mx_overflow ov, uint32_t want) {
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  o.round = r;
  o.overflow = ov;
  uint32_t ref = mxref_convert_one(dst, MX_F32, src_bits, &o, 0);
  uint32_t ora = mxo_convert(dst, MX_F32, src_bits, &o, 0);
  CHECK(ref == want, "%s: reference gave 0x%02x, spec says 0x%02x (f32 0x%08x, %s %s)", what, ref, want, src_bits,
        mx_round_names[r], mx_overflow_names[ov]);
  CHECK(ora == want, "%s: oracle gave 0x%02x, spec says 0x%02x (f32 0x%08x, %s %s)", what, ora, want, src_bits,
        mx_round_names[r], mx_overflow_names[ov]);
}

static void e4m3_464_rounds_to_448_and_465_overflows(void) {
  expect_cvt("E4M3 448 exact", MX_E4M3, f32_bits(448.0f), MX_RNE, MX_SAT, 0x7E);
  expect_cvt("E4M3 464 tie -> 448 (even)", MX_E4M3, f32_bits(464.0f), MX_RNE, MX_OVF, 0x7E);
  expect_cvt("E4M3 464 tie -> 448 sat", MX_E4M3, f32_bits(464.0f), MX_RNE, MX_SAT, 0x7E);
  expect_cvt("E4M3 465 overflows -> NaN", MX_E4M3, f32_bits(465.0f), MX_RNE, MX_OVF, 0x7F);
  expect_cvt("E4M3 465 saturates", MX_E4M3, f32_bits(465.0f), MX_RNE, MX_SAT, 0x7E);
  expect_cvt("E4M3 just above 464 overflows", MX_E4M3, f32_bits(464.0f) + 1, MX_RNE, MX_OVF, 0x7F);
  expect_cvt("E4M3 -465 overflows -> -NaN", MX_E4M3, f32_bits(-465.0f), MX_RNE, MX_OVF, 0xFF);
  expect_cvt("E4M3 464 ties-away overflows", MX_E4M3, f32_bits(464.0f), MX_RNA, MX_OVF, 0x7F);
  expect_cvt("E4M3 1e6 rtz never overflows", MX_E4M3, f32_bits(1e6f), MX_RTZ, MX_OVF, 0x7E);
  expect_cvt("E4M3 +Inf nonsat -> NaN", MX_E4M3, 0x7F800000u, MX_RNE, MX_OVF, 0x7F);
  expect_cvt("E4M3 +Inf sat -> 448", MX_E4M3, 0x7F800000u, MX_RNE, MX_SAT, 0x7E);
  expect_cvt("E4M3 1.31640625 -> 1.375 (no double rounding via bf16)", MX_E4M3, f32_bits(1.31640625f), MX_RNE, MX_SAT, 0x3B);
}

static void e5m2_61440_is_the_overflow_threshold(void) {
  expect_cvt("E5M2 57344 exact", MX_E5M2, f32_bits(57344.0f), MX_RNE, MX_OVF, 0x7B);
  expect_cvt("E5M2 61440 tie -> Inf (even)", MX_E5M2, f32_bits(61440.0f), MX_RNE, MX_OVF, 0x7C);
  expect_cvt("E5M2 61440 sat", MX_E5M2, f32_bits(61440.0f), MX_RNE, MX_SAT, 0x7B);
  expect_cvt("E5M2 below 61440 -> max", MX_E5M2, f32_bits(61440.0f) - 1, MX_RNE, MX_OVF, 0x7B);
  expect_cvt("E5M2 -61440 -> -Inf", MX_E5M2, f32_bits(-61440.0f), MX_RNE, MX_OVF, 0xFC);
  expect_cvt("E5M2 +Inf nonsat", MX_E5M2, 0x7F800000u, MX_RNE, MX_OVF, 0x7C);
  expect_cvt("E5M2 +Inf sat -> max", MX_E5M2, 0x7F800000u, MX_RNE, MX_SAT, 0x7B);
  expect_cvt("E5M2 NaN -> quiet 0x7E", MX_E5M2, 0x7FC00000u, MX_RNE, MX_SAT, 0x7E);
  expect_cvt("E5M2 -NaN keeps sign", MX_E5M2, 0xFFC00000u, MX_RNE, MX_SAT, 0xFE);
  expect_cvt("E5M2 65536 rdn overflow toward zero -> max", MX_E5M2, f32_bits(65536.0f), MX_RDN, MX_OVF, 0x7B);
  expect_cvt("E5M2 65536 rup -> Inf", MX_E5M2, f32_bits(65536.0f), MX_RUP, MX_OVF, 0x7C);
  expect_cvt("E5M2 -65536 rup toward zero -> -max", MX_E5M2, f32_bits(-65536.0f), MX_RUP, MX_OVF, 0xFB);
}

static void e2m1_ties(void) {
  /* spec.md §3.2: RNE 0.25->0, 0.75->1, 1.25->1, 1.75->2, 2.5->2, 3.5->4, 5->4, 7->6 (clamp) */
  const float in[] = {0.25f, 0.75f, 1.25f, 1.75f, 2.5f, 3.5f, 5.0f, 7.0f};
  const uint32_t rne[] = {0x0, 0x2, 0x2, 0x4, 0x4, 0x6, 0x6, 0x7};
  const uint32_t rna[] = {0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x7};
  for (int i = 0; i < 8; i++) {
    expect_cvt("E2M1 tie, rne", MX_E2M1, f32_bits(in[i]), MX_RNE, MX_SAT, rne[i]);
    expect_cvt("E2M1 tie, rna", MX_E2M1, f32_bits(in[i]), MX_RNA, MX_SAT, rna[i]);
    expect_cvt("E2M1 negative tie, rne", MX_E2M1, f32_bits(-in[i]), MX_RNE, MX_SAT, rne[i] | 0x8);
  }
}

static void e8m0_0x00_is_2_pow_minus_127(void) {
  CHECK(mxref_decode_f32_bits(MX_E8M0, 0x00) == 0x00400000u, "E8M0 0x00 decodes to f32 0x00400000, got 0x%08x",
        mxref_decode_f32_bits(MX_E8M0, 0x00));
  CHECK(mxref_decode_f32_bits(MX_E8M0, 0x7F) == 0x3F800000u, "E8M0 0x7F = 1.0");
  CHECK(mxref_decode_f32_bits(MX_E8M0, 0xFE) == 0x7F000000u, "E8M0 0xFE = 2^127");
  uint32_t nan = mxref_decode_f32_bits(MX_E8M0, 0xFF);
  CHECK((nan & 0x7F800000u) == 0x7F800000u && (nan & 0x7FFFFFu), "E8M0 0xFF decodes to NaN, got 0x%08x", nan);
  /* conversions: 3.0 is a tie between 2 (0x80) and 4 (0x81) */
  expect_cvt("E8M0 3.0 rne -> even code 0x80", MX_E8M0, f32_bits(3.0f), MX_RNE, MX_SAT, 0x80);
  expect_cvt("E8M0 3.0 rna (ties up) -> 0x81", MX_E8M0, f32_bits(3.0f), MX_RNA, MX_SAT, 0x81);
  expect_cvt("E8M0 3.0 rtz -> 0x80", MX_E8M0, f32_bits(3.0f), MX_RTZ, MX_SAT, 0x80);
  expect_cvt("E8M0 3.0 rup -> 0x81", MX_E8M0, f32_bits(3.0f), MX_RUP, MX_SAT, 0x81);
  expect_cvt("E8M0 6.0 rne -> even code 0x82", MX_E8M0, f32_bits(6.0f), MX_RNE, MX_SAT, 0x82);
  expect_cvt("E8M0 1.5*2^-127 rtz -> 0x00", MX_E8M0, 0x00600000u, MX_RTZ, MX_SAT, 0x00);
  expect_cvt("E8M0 1.5*2^-127 rup -> 0x01", MX_E8M0, 0x00600000u, MX_RUP, MX_SAT, 0x01);
  expect_cvt("E8M0 1.5*2^-127 rne -> 0x00", MX_E8M0, 0x00600000u, MX_RNE, MX_SAT, 0x00);
  expect_cvt("E8M0 1.5*2^-127 rna -> 0x01", MX_E8M0, 0x00600000u, MX_RNA, MX_SAT, 0x01);
  expect_cvt("E8M0 2^-149 clamps to 0x00", MX_E8M0, 0x00000001u, MX_RNE, MX_SAT, 0x00);
  expect_cvt("E8M0 FLT_MAX rne ovf -> NaN", MX_E8M0, 0x7F7FFFFFu, MX_RNE, MX_OVF, 0xFF);
  expect_cvt("E8M0 FLT_MAX rne sat -> 0xFE", MX_E8M0, 0x7F7FFFFFu, MX_RNE, MX_SAT, 0xFE);
  expect_cvt("E8M0 FLT_MAX rtz -> 0xFE", MX_E8M0, 0x7F7FFFFFu, MX_RTZ, MX_OVF, 0xFE);
  expect_cvt("E8M0 0 -> 0x00 (default)", MX_E8M0, 0, MX_RNE, MX_SAT, 0x00);
  expect_cvt("E8M0 -3.0 |x| (default) rne", MX_E8M0, f32_bits(-3.0f), MX_RNE, MX_SAT, 0x80);
  expect_cvt("E8M0 NaN", MX_E8M0, 0x7FC00000u, MX_RNE, MX_SAT, 0xFF);
}

static void int8_0x80_is_minus_2(void) {
  CHECK(mxref_decode_f32_bits(MX_INT8, 0x80) == f32_bits(-2.0f), "INT8 0x80 = -2");
  CHECK(mxref_decode_f32_bits(MX_INT8, 0x7F) == f32_bits(1.984375f), "INT8 0x7F = 127/64");
  expect_cvt("INT8 -2 -> 0x80", MX_INT8, f32_bits(-2.0f), MX_RNE, MX_SAT, 0x80);
  expect_cvt("INT8 -1.99609375 -> 0x80 (rne to -128/64)", MX_INT8, f32_bits(-1.99609375f), MX_RNE, MX_SAT, 0x80);
  expect_cvt("INT8 -3 saturates to 0x80", MX_INT8, f32_bits(-3.0f), MX_RNE, MX_SAT, 0x80);
  expect_cvt("INT8 2 saturates to 0x7F", MX_INT8, f32_bits(2.0f), MX_RNE, MX_SAT, 0x7F);
  expect_cvt("INT8 1/128 tie -> 0", MX_INT8, f32_bits(0.0078125f), MX_RNE, MX_SAT, 0x00);
  expect_cvt("INT8 3/128 tie -> 2/64", MX_INT8, f32_bits(0.0234375f), MX_RNE, MX_SAT, 0x02);
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  o.int8_range = MX_INT8_SYMMETRIC;
  CHECK(mxref_convert_one(MX_INT8, MX_F32, f32_bits(-2.0f), &o, 0) == 0x81, "INT8 symmetric: -2 -> -127/64");
  CHECK(mxo_convert(MX_INT8, MX_F32, f32_bits(-2.0f), &o, 0) == 0x81, "INT8 symmetric (oracle): -2 -> -127/64");
}

static void negative_zero_is_preserved(void) {
  const mx_fmt f[] = {MX_E4M3, MX_E5M2, MX_E2M3, MX_E3M2, MX_E2M1};
  const uint32_t negzero[] = {0x80, 0x80, 0x20, 0x20, 0x8};
  for (int i = 0; i < 5; i++) {
    expect_cvt("-0 keeps its sign", f[i], 0x80000000u, MX_RNE, MX_SAT, negzero[i]);
    expect_cvt("-tiny rounds to -0", f[i], 0x80000001u, MX_RNE, MX_SAT, negzero[i]);
  }
  expect_cvt("INT8 has one zero", MX_INT8, 0x80000000u, MX_RNE, MX_SAT, 0x00);
}

static void smallest_subnormal_and_half_of_it(void) {
  /* the smallest subnormal is kept; half of it is a tie that goes to even (zero);
   * a hair above half rounds up */
  const mx_fmt f[] = {MX_E4M3, MX_E5M2, MX_E2M3, MX_E3M2, MX_E2M1, MX_INT8};
  const float minsub[] = {0x1p-9f, 0x1p-16f, 0.125f, 0.0625f, 0.5f, 0x1p-6f};
  for (int i = 0; i < 6; i++) {
    expect_cvt("smallest subnormal exact", f[i], f32_bits(minsub[i]), MX_RNE, MX_SAT, 0x01);
    expect_cvt("half the smallest subnormal ties to zero", f[i], f32_bits(minsub[i] / 2), MX_RNE, MX_SAT, 0x00);
    expect_cvt("just above half rounds up", f[i], f32_bits(minsub[i] / 2) + 1, MX_RNE, MX_SAT, 0x01);
    expect_cvt("half the smallest, ties away", f[i], f32_bits(minsub[i] / 2), MX_RNA, MX_SAT, 0x01);
    expect_cvt("below half, rup", f[i], f32_bits(minsub[i] / 4), MX_RUP, MX_SAT, 0x01);
  }
}

static void specials_into_finite_formats(void) {
  /* default knobs: NaN -> +max (nan_finite=pos-max), Inf -> +-max */
  expect_cvt("NaN -> E2M1 +max", MX_E2M1, 0x7FC00000u, MX_RNE, MX_SAT, 0x7);
  expect_cvt("-NaN -> E2M1 +max", MX_E2M1, 0xFFC00000u, MX_RNE, MX_SAT, 0x7);
  expect_cvt("-Inf -> E2M1 -max", MX_E2M1, 0xFF800000u, MX_RNE, MX_SAT, 0xF);
  expect_cvt("+Inf -> E3M2 +max", MX_E3M2, 0x7F800000u, MX_RNE, MX_OVF, 0x1F);
  expect_cvt("+Inf -> INT8 +max", MX_INT8, 0x7F800000u, MX_RNE, MX_SAT, 0x7F);
}

int main(void) {
  e4m3_464_rounds_to_448_and_465_overflows();
  e5m2_61440_is_the_overflow_threshold();
  e2m1_ties();
  e8m0_0x00_is_2_pow_minus_127();
  int8_0x80_is_minus_2();
  negative_zero_is_preserved();
  smallest_subnormal_and_half_of_it();
  specials_into_finite_formats();
  return CHECK_DONE();
}
