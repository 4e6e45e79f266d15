/* The famous edges, hand-checked: each expected code is written by hand from the spec text
 * (spec.md §1, §3.2, §3.3; OFP8 §5.2.1) — or, where no spec defines the result (E8M0
 * conversion, NaN/Inf into FP4/FP6/INT8), from our documented knob defaults
 * (spec_notes/conversion.md) — and both the reference and the oracle must produce it. */
#include <string.h>

#include "check.h"
#include "mxconform/block.h"
#include "mxconform/mxref.h"
#include "oracle.h"
#include "oracle_block.h"

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

/* The NaN knobs, one expected code per value (spec_notes/conversion.md §3.4, §3.5), from every
 * source format: the scalar entry point, the array entry point (the NaN among 63 ordinary
 * values, so a vectorised path must hand it to the scalar code) and the oracle must agree. */
static void expect_nan_knob(const char *what, mx_fmt dst, mx_fmt src, uint64_t bits, mx_overflow ov,
                            mx_nan_sign ns, mx_e5m2_nan en, mx_inf_sat is, uint32_t want) {
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  o.overflow = ov;
  o.nan_sign = ns;
  o.e5m2_nan = en;
  o.inf_sat = is;
  const mx_format_desc *sd = mx_format(src);
  uint32_t ref = mxref_convert_one(dst, src, bits, &o, 0);
  uint32_t ora = mxo_convert(dst, src, bits, &o, 0);
  /* the array path: 1.0 everywhere, the input at index 37 */
  union {
    uint16_t h[64];
    uint32_t w[64];
    uint64_t d[64];
  } arr;
  uint8_t codes[64];
  const uint64_t one = (uint64_t)sd->bias << sd->mbits;
  for (int i = 0; i < 64; i++) {
    uint64_t b = i == 37 ? bits : one;
    if (sd->bits == 16) arr.h[i] = (uint16_t)b;
    else if (sd->bits == 32) arr.w[i] = (uint32_t)b;
    else arr.d[i] = b;
  }
  mxref_convert(dst, src, &arr, codes, 64, &o, NULL);
  char knobs[96];
  char b1[32], b2[32], b3[32];
  snprintf(knobs, sizeof knobs, "%s %s, nan_sign=%s e5m2_nan=%s inf_sat=%s", sd->name, mx_overflow_names[ov],
           mx_knob_get(&o, mx_knob_find("nan_sign"), b1, sizeof b1),
           mx_knob_get(&o, mx_knob_find("e5m2_nan"), b2, sizeof b2),
           mx_knob_get(&o, mx_knob_find("inf_sat"), b3, sizeof b3));
  CHECK(ref == want, "%s: reference gave 0x%02x, want 0x%02x (0x%llx, %s)", what, ref, want, (unsigned long long)bits, knobs);
  CHECK(codes[37] == want, "%s: reference array path gave 0x%02x, want 0x%02x (0x%llx, %s)", what, codes[37], want,
        (unsigned long long)bits, knobs);
  CHECK(ora == want, "%s: oracle gave 0x%02x, want 0x%02x (0x%llx, %s)", what, ora, want, (unsigned long long)bits, knobs);
}

static void nan_sign_values(void) {
  const mx_nan_sign K = MX_NAN_SIGN_KEEP, P = MX_NAN_SIGN_POSITIVE, I = MX_NAN_SIGN_NAN_INPUT_POSITIVE;
  const mx_e5m2_nan Q = MX_E5M2_NAN_QUIET;
  const mx_inf_sat M = MX_INF_SAT_MAX, S = MX_INF_SAT_SPECIAL;
  const uint64_t neg465 = f32_bits(-465.0f);
  /* keep: every NaN keeps the sign */
  expect_nan_knob("keep: -NaN -> E4M3 -NaN", MX_E4M3, MX_F32, 0xFFC00000u, MX_SAT, K, Q, M, 0xFF);
  expect_nan_knob("keep: -465 overflows to -NaN", MX_E4M3, MX_F32, neg465, MX_OVF, K, Q, M, 0xFF);
  expect_nan_knob("keep: -Inf ovf -> -NaN", MX_E4M3, MX_F32, 0xFF800000u, MX_OVF, K, Q, M, 0xFF);
  /* positive: every NaN is +NaN */
  expect_nan_knob("positive: -NaN -> E4M3 +NaN", MX_E4M3, MX_F32, 0xFFC00000u, MX_SAT, P, Q, M, 0x7F);
  expect_nan_knob("positive: -NaN -> E5M2 +NaN", MX_E5M2, MX_F32, 0xFFC00000u, MX_SAT, P, Q, M, 0x7E);
  expect_nan_knob("positive: -465 overflows to +NaN", MX_E4M3, MX_F32, neg465, MX_OVF, P, Q, M, 0x7F);
  expect_nan_knob("positive: -Inf ovf -> +NaN", MX_E4M3, MX_F32, 0xFF800000u, MX_OVF, P, Q, M, 0x7F);
  expect_nan_knob("positive: -Inf sat, inf_sat=special -> +NaN", MX_E4M3, MX_F32, 0xFF800000u, MX_SAT, P, Q, S, 0x7F);
  /* nan-input-positive: a NaN input gives +NaN, a NaN made from Inf or overflow keeps the sign
   * (CUDA's float entry points: -NaN -> 0x7F, -464.00003 under __NV_NOSAT -> 0xFF) */
  expect_nan_knob("nan-input-positive: -NaN -> E4M3 +NaN", MX_E4M3, MX_F32, 0xFFC00000u, MX_SAT, I, Q, M, 0x7F);
  expect_nan_knob("nan-input-positive: -NaN ovf -> E4M3 +NaN", MX_E4M3, MX_F32, 0xFF800001u, MX_OVF, I, Q, M, 0x7F);
  expect_nan_knob("nan-input-positive: bf16 -NaN -> E4M3 +NaN", MX_E4M3, MX_BF16, 0xFFC0u, MX_SAT, I, Q, M, 0x7F);
  expect_nan_knob("nan-input-positive: f16 -NaN -> E4M3 +NaN", MX_E4M3, MX_F16, 0xFE00u, MX_SAT, I, Q, M, 0x7F);
  expect_nan_knob("nan-input-positive: f64 -NaN -> E4M3 +NaN", MX_E4M3, MX_F64, 0xFFF8000000000000ull, MX_SAT, I, Q, M,
                  0x7F);
  expect_nan_knob("nan-input-positive: -NaN -> E5M2 +NaN", MX_E5M2, MX_F32, 0xFFC00000u, MX_SAT, I, Q, M, 0x7E);
  expect_nan_knob("nan-input-positive: +NaN stays +", MX_E4M3, MX_F32, 0x7FC00000u, MX_SAT, I, Q, M, 0x7F);
  expect_nan_knob("nan-input-positive: -465 overflows to -NaN", MX_E4M3, MX_F32, neg465, MX_OVF, I, Q, M, 0xFF);
  expect_nan_knob("nan-input-positive: -464.00003 overflows to -NaN", MX_E4M3, MX_F32, 0xC3E80001u, MX_OVF, I, Q, M,
                  0xFF);
  expect_nan_knob("nan-input-positive: -Inf ovf -> -NaN", MX_E4M3, MX_F32, 0xFF800000u, MX_OVF, I, Q, M, 0xFF);
  expect_nan_knob("nan-input-positive: -Inf sat, inf_sat=special -> -NaN", MX_E4M3, MX_F32, 0xFF800000u, MX_SAT, I, Q,
                  S, 0xFF);
  expect_nan_knob("nan-input-positive: -Inf ovf -> E5M2 -Inf", MX_E5M2, MX_F32, 0xFF800000u, MX_OVF, I, Q, M, 0xFC);
  expect_nan_knob("nan-input-positive: -465 sat -> -448", MX_E4M3, MX_F32, neg465, MX_SAT, I, Q, M, 0xFE);
}

static void e5m2_nan_values(void) {
  const mx_nan_sign K = MX_NAN_SIGN_KEEP, I = MX_NAN_SIGN_NAN_INPUT_POSITIVE;
  const mx_e5m2_nan Q = MX_E5M2_NAN_QUIET, A = MX_E5M2_NAN_ALLONES, PR = MX_E5M2_NAN_PROPAGATE;
  const mx_inf_sat M = MX_INF_SAT_MAX;
  /* quiet and allones ignore the payload */
  expect_nan_knob("quiet: NaN with payload bit 21 -> 0x7E", MX_E5M2, MX_F32, 0x7FE00000u, MX_SAT, K, Q, M, 0x7E);
  expect_nan_knob("allones: quiet NaN -> 0x7F", MX_E5M2, MX_F32, 0x7FC00000u, MX_SAT, K, A, M, 0x7F);
  expect_nan_knob("allones: -NaN -> 0xFF", MX_E5M2, MX_F32, 0xFFC00000u, MX_OVF, K, A, M, 0xFF);
  expect_nan_knob("allones + nan-input-positive: -NaN -> 0x7F (CUDA float path)", MX_E5M2, MX_BF16, 0xFFC1u, MX_SAT, I,
                  A, M, 0x7F);
  /* propagate: S.11111.1p, p = the source's payload bit just below its quiet bit; the quiet
   * bit is always set, so a signalling NaN whose payload lies lower stays a NaN (not Inf) */
  expect_nan_knob("propagate: f32 0x7FC00000 (p clear) -> 0x7E", MX_E5M2, MX_F32, 0x7FC00000u, MX_SAT, K, PR, M, 0x7E);
  expect_nan_knob("propagate: f32 0x7FE00000 (bit 21) -> 0x7F", MX_E5M2, MX_F32, 0x7FE00000u, MX_SAT, K, PR, M, 0x7F);
  expect_nan_knob("propagate: f32 -NaN bit 21 -> 0xFF", MX_E5M2, MX_F32, 0xFFE00000u, MX_OVF, K, PR, M, 0xFF);
  expect_nan_knob("propagate: f32 0x7FDFFFFF (bit 21 clear) -> 0x7E", MX_E5M2, MX_F32, 0x7FDFFFFFu, MX_SAT, K, PR, M,
                  0x7E);
  expect_nan_knob("propagate: f32 sNaN 0x7FA00000 (bit 21) -> 0x7F", MX_E5M2, MX_F32, 0x7FA00000u, MX_OVF, K, PR, M,
                  0x7F);
  expect_nan_knob("propagate: f32 sNaN 0x7F800001 -> 0x7E, not Inf", MX_E5M2, MX_F32, 0x7F800001u, MX_SAT, K, PR, M,
                  0x7E);
  expect_nan_knob("propagate: f64 0x7FF8000000000000 -> 0x7E", MX_E5M2, MX_F64, 0x7FF8000000000000ull, MX_SAT, K, PR, M,
                  0x7E);
  expect_nan_knob("propagate: f64 0x7FFC000000000000 (bit 50) -> 0x7F", MX_E5M2, MX_F64, 0x7FFC000000000000ull, MX_SAT,
                  K, PR, M, 0x7F);
  expect_nan_knob("propagate: f64 sNaN 0x7FF0000000000001 -> 0x7E", MX_E5M2, MX_F64, 0x7FF0000000000001ull, MX_OVF, K,
                  PR, M, 0x7E);
  expect_nan_knob("propagate: f64 -sNaN 0xFFF4000000000000 (bit 50) -> 0xFF", MX_E5M2, MX_F64, 0xFFF4000000000000ull,
                  MX_SAT, K, PR, M, 0xFF);
  expect_nan_knob("propagate: bf16 0x7FC0 -> 0x7E", MX_E5M2, MX_BF16, 0x7FC0u, MX_SAT, K, PR, M, 0x7E);
  expect_nan_knob("propagate: bf16 0x7FE0 (bit 5) -> 0x7F", MX_E5M2, MX_BF16, 0x7FE0u, MX_SAT, K, PR, M, 0x7F);
  expect_nan_knob("propagate: bf16 sNaN 0x7FA0 (bit 5) -> 0x7F", MX_E5M2, MX_BF16, 0x7FA0u, MX_SAT, K, PR, M, 0x7F);
  expect_nan_knob("propagate: f16 0x7E00 -> 0x7E", MX_E5M2, MX_F16, 0x7E00u, MX_SAT, K, PR, M, 0x7E);
  expect_nan_knob("propagate: f16 0x7F00 (bit 8) -> 0x7F", MX_E5M2, MX_F16, 0x7F00u, MX_SAT, K, PR, M, 0x7F);
  expect_nan_knob("propagate: f16 -sNaN 0xFD00 (bit 8) -> 0xFF", MX_E5M2, MX_F16, 0xFD00u, MX_SAT, K, PR, M, 0xFF);
  expect_nan_knob("propagate: f16 sNaN 0x7C01 -> 0x7E", MX_E5M2, MX_F16, 0x7C01u, MX_SAT, K, PR, M, 0x7E);
  expect_nan_knob("propagate + nan-input-positive: -NaN bit 21 -> 0x7F", MX_E5M2, MX_F32, 0xFFE00000u, MX_SAT, I, PR, M,
                  0x7F);
  /* not a NaN input: propagate changes nothing (E5M2 overflows to Inf; E4M3 has one NaN) */
  expect_nan_knob("propagate: +Inf ovf -> +Inf", MX_E5M2, MX_F32, 0x7F800000u, MX_OVF, K, PR, M, 0x7C);
  expect_nan_knob("propagate: 1e6 ovf -> +Inf", MX_E5M2, MX_F32, f32_bits(1e6f), MX_OVF, K, PR, M, 0x7C);
  expect_nan_knob("propagate: E4M3 NaN bit 21 -> 0x7F", MX_E4M3, MX_F32, 0x7FE00000u, MX_SAT, K, PR, M, 0x7F);
  expect_nan_knob("propagate: E4M3 -NaN -> 0xFF", MX_E4M3, MX_F32, 0xFFC00000u, MX_SAT, K, PR, M, 0xFF);
  /* inside an MX block (nan_block=ignore): the element of a NaN is the scalar conversion of
   * V_i / X, and the division keeps the NaN's payload */
  mx_block_opts bo;
  mx_block_opts_default(&bo);
  bo.nan_block = MX_NANB_IGNORE;
  bo.elem.e5m2_nan = PR;
  uint32_t vals[32];
  uint64_t vals64[32];
  for (int i = 0; i < 32; i++) vals[i] = f32_bits(1.0f);
  vals[3] = 0x7FE00000u;  /* payload bit 21 set */
  vals[4] = 0xFFC00000u;  /* clear */
  vals[5] = 0x7FA00001u;  /* signalling, bit 21 set */
  for (int i = 0; i < 32; i++) vals64[i] = vals[i];
  uint8_t rs, rc[32], os, oc[32];
  mxref_quantize_block(MX_MXFP8_E5M2, MX_F32, vals, 32, &bo, NULL, &rs, rc);
  mxo_quantize_block(MX_MXFP8_E5M2, MX_F32, vals64, 32, &bo, NULL, &os, oc);
  /* amax 1.0: X = 2^(0 - emax_elem) = 2^-15, E8M0 0x70 */
  CHECK(rs == 0x70 && os == 0x70, "block of 1.0 + NaNs, nan_block=ignore: scale 0x%02x / 0x%02x, want 0x70", rs, os);
  const uint8_t want[3] = {0x7F, 0xFE, 0x7F};
  for (int i = 0; i < 3; i++) {
    CHECK(rc[3 + i] == want[i], "block element %d (0x%08x), propagate: reference 0x%02x, want 0x%02x", 3 + i, vals[3 + i],
          rc[3 + i], want[i]);
    CHECK(oc[3 + i] == want[i], "block element %d (0x%08x), propagate: oracle 0x%02x, want 0x%02x", 3 + i, vals[3 + i],
          oc[3 + i], want[i]);
  }
}

/* One knob set, then both implementations (for the FNUZ -0 knob). */
static void expect_cvt_knob(const char *what, mx_fmt dst, uint32_t src_bits, const char *knob, uint32_t want) {
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  CHECK(mx_knob_assign(&o, knob) == 0, "knob %s", knob);
  uint32_t ref = mxref_convert_one(dst, MX_F32, src_bits, &o, 0);
  uint32_t ora = mxo_convert(dst, MX_F32, src_bits, &o, 0);
  CHECK(ref == want && ora == want, "%s (%s): reference 0x%02x, oracle 0x%02x, want 0x%02x", what, knob, ref, ora, want);
}

/* Oracle and reference both give `want` for bits of src under o. */
static void expect_both(const char *what, mx_fmt dst, mx_fmt src, uint64_t bits, const mx_convert_opts *o, uint32_t want) {
  uint32_t ora = mxo_convert(dst, src, bits, o, 0), ref = mxref_convert_one(dst, src, bits, o, 0);
  CHECK(ora == want && ref == want, "%s: oracle 0x%x, reference 0x%x, want 0x%x", what, ora, ref, want);
}

/* The knob values added for real libraries (spec_notes/conversion.md 3.12b), each on the
 * input the table there gives, worked out by hand. */
static void knob_values_of_real_libraries(void) {
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  o.round = MX_RTZ;
  o.overflow = MX_OVF;
  const uint32_t big = 0x7F7FFFFEu; /* 3.4e38: beyond E4M3's 480 by far */
  CHECK(mxo_convert(MX_E4M3, MX_F32, big, &o, 0) == 0x7E && mxref_convert_one(MX_E4M3, MX_F32, big, &o, 0) == 0x7E,
        "rtz ovf keeps max by default (IEEE 754 7.4)");
  o.ovf_directed = MX_OVF_DIRECTED_SPECIAL;
  CHECK(mxo_convert(MX_E4M3, MX_F32, big, &o, 0) == 0x7F && mxref_convert_one(MX_E4M3, MX_F32, big, &o, 0) == 0x7F,
        "ovf_directed=special: rtz overflow -> NaN");
  CHECK(mxo_convert(MX_E5M2, MX_F32, big, &o, 0) == 0x7C && mxref_convert_one(MX_E5M2, MX_F32, big, &o, 0) == 0x7C,
        "ovf_directed=special: E5M2 rtz overflow -> Inf");
  CHECK(mxref_convert_one(MX_E4M3, MX_F32, f32_bits(479.0f), &o, 0) == 0x7E, "479 truncates to 448: no overflow");
  expect_cvt_knob("E8M0 1.5*2^-125 tie, even code", MX_E8M0, 0x01400000u, "e8m0_tie=even", 0x02);
  expect_cvt_knob("E8M0 1.5*2^-125 tie, up", MX_E8M0, 0x01400000u, "e8m0_tie=up", 0x03);
  expect_cvt_knob("E8M0 3.0 tie, up", MX_E8M0, f32_bits(3.0f), "e8m0_tie=up", 0x81);
  expect_cvt_knob("E4M3 +NaN, nan_sign=negative", MX_E4M3, 0x7FC00000u, "nan_sign=negative", 0xFF);
  expect_cvt_knob("E5M2 +NaN, nan_sign=negative (quiet)", MX_E5M2, 0x7FC00000u, "nan_sign=negative", 0xFE);
  expect_cvt_knob("E2M1 NaN refused", MX_E2M1, 0x7FC00000u, "nan_finite=refuse", MX_CODE_REFUSED);
  expect_cvt_knob("INT8 -Inf refused", MX_INT8, 0xFF800000u, "inf_finite=refuse", MX_CODE_REFUSED);
  expect_cvt_knob("E8M0 -3 refused", MX_E8M0, f32_bits(-3.0f), "e8m0_neg=refuse", MX_CODE_REFUSED);
  expect_cvt_knob("E4M3 464.00003 under sat: ovf_nan does not apply", MX_E4M3, 0x43E80001u, "ovf_nan=refuse", 0x7E);
  expect_cvt_knob("E2M1 FLT_MAX sat: ovf_finite does not apply", MX_E2M1, 0x7F7FFFFFu, "ovf_finite=refuse", 0x07);
  mx_convert_opts_default(&o);
  o.overflow = MX_OVF;
  o.ovf_finite = MX_OVF_FINITE_REFUSE;
  expect_both("ovf_finite=refuse: FLT_MAX into E2M1 under ovf is refused", MX_E2M1, MX_F32, 0x7F7FFFFFu, &o, MX_CODE_REFUSED);
  CHECK(mxref_convert_one(MX_E2M1, MX_F32, f32_bits(6.5f), &o, 0) == 0x07, "6.5 rounds to 6: no overflow");
  CHECK(mxref_convert_one(MX_INT8, MX_F32, f32_bits(2.0f), &o, 0) == MX_CODE_REFUSED, "INT8 2.0 (128 units) overflows");
  mx_convert_opts_default(&o);
  o.overflow = MX_OVF;
  o.ovf_nan = MX_OVF_NAN_REFUSE;
  expect_both("ovf_nan=refuse: E4M3 464.00003 under ovf is refused", MX_E4M3, MX_F32, 0x43E80001u, &o, MX_CODE_REFUSED);
  CHECK(mxref_convert_one(MX_E5M2, MX_F32, 0x7F7FFFFFu, &o, 0) == 0x7C, "ovf_nan: E5M2 overflow is still Inf");
  CHECK(mxref_convert_one(MX_E4M3, MX_F32, 0x7FC00000u, &o, 0) == 0x7F, "ovf_nan: a NaN input is still NaN");
  mx_convert_opts_default(&o);
  const uint64_t above_quarter = 0x3FD0000000000001ull; /* 0.25 + 2^-54: double rounding via f32 lands on the tie */
  CHECK(mxo_convert(MX_E2M1, MX_F64, above_quarter, &o, 0) == 0x1, "f64 0.25+: one rounding -> 0.5");
  o.f64_src = MX_F64_VIA_F32;
  CHECK(mxo_convert(MX_E2M1, MX_F64, above_quarter, &o, 0) == 0x0 && mxref_convert_one(MX_E2M1, MX_F64, above_quarter, &o, 0) == 0x0,
        "f64_src=via-f32: 0.25+ -> f32 0.25 -> tie to even 0");
  const uint64_t tiny = 0x3690000000000000ull; /* 2^-150: half the smallest f32 subnormal, a tie to +0 */
  CHECK(mxo_convert(MX_E8M0, MX_F64, tiny, &o, 0) == mxref_convert_one(MX_E8M0, MX_F64, tiny, &o, 0),
        "f64_src=via-f32 on an f32 subnormal tie: oracle and reference agree");
}

/* The other FP8 variants (spec_notes/formats.md): each expected code worked out by hand from
 * the bias and specials of LLVM APFloat's fltSemantics / the ml_dtypes README. */
static void fp8_variants_edges(void) {
  /* E4M3FNUZ: bias 8, max 240 = 0x7F, next binade step 16: 248 is the tie to 256 */
  expect_cvt("E4M3FNUZ 1.0 = 0x40", MX_E4M3FNUZ, f32_bits(1.0f), MX_RNE, MX_SAT, 0x40);
  expect_cvt("E4M3FNUZ 240 = 0x7F", MX_E4M3FNUZ, f32_bits(240.0f), MX_RNE, MX_OVF, 0x7F);
  expect_cvt("E4M3FNUZ 248 tie -> 256 overflows -> NaN 0x80", MX_E4M3FNUZ, f32_bits(248.0f), MX_RNE, MX_OVF, 0x80);
  expect_cvt("E4M3FNUZ 248 tie sat -> 240", MX_E4M3FNUZ, f32_bits(248.0f), MX_RNE, MX_SAT, 0x7F);
  expect_cvt("E4M3FNUZ -240 = 0xFF", MX_E4M3FNUZ, f32_bits(-240.0f), MX_RNE, MX_SAT, 0xFF);
  expect_cvt("E4M3FNUZ -NaN -> 0x80 (one NaN)", MX_E4M3FNUZ, 0xFFC00000u, MX_RNE, MX_SAT, 0x80);
  expect_cvt("E4M3FNUZ +NaN -> 0x80", MX_E4M3FNUZ, 0x7FC00000u, MX_RNE, MX_OVF, 0x80);
  expect_cvt("E4M3FNUZ -Inf nonsat -> NaN 0x80", MX_E4M3FNUZ, 0xFF800000u, MX_RNE, MX_OVF, 0x80);
  expect_cvt("E4M3FNUZ -Inf sat -> -240", MX_E4M3FNUZ, 0xFF800000u, MX_RNE, MX_SAT, 0xFF);
  expect_cvt("E4M3FNUZ -0 -> +0 (no -0)", MX_E4M3FNUZ, 0x80000000u, MX_RNE, MX_SAT, 0x00);
  expect_cvt("E4M3FNUZ min subnormal 2^-10 = 0x01", MX_E4M3FNUZ, f32_bits(0x1p-10f), MX_RNE, MX_SAT, 0x01);
  expect_cvt("E4M3FNUZ -2^-11 tie -> zero (even) -> +0", MX_E4M3FNUZ, f32_bits(-0x1p-11f), MX_RNE, MX_SAT, 0x00);
  expect_cvt("E4M3FNUZ -2^-11 rdn -> -2^-10", MX_E4M3FNUZ, f32_bits(-0x1p-11f), MX_RDN, MX_SAT, 0x81);
  expect_cvt_knob("E4M3FNUZ -0, sign kept", MX_E4M3FNUZ, 0x80000000u, "fnuz_zero=nan", 0x80);
  expect_cvt_knob("E4M3FNUZ -0 input stays +0", MX_E4M3FNUZ, 0x80000000u, "fnuz_zero=underflow-nan", 0x00);
  expect_cvt_knob("E4M3FNUZ -2^-12 rounds to -0 -> 0x80", MX_E4M3FNUZ, f32_bits(-0x1p-12f), "fnuz_zero=underflow-nan", 0x80);
  /* E5M2FNUZ: bias 16, max 57344 = 0x7F, 61440 the tie to 65536 */
  expect_cvt("E5M2FNUZ 1.0 = 0x40", MX_E5M2FNUZ, f32_bits(1.0f), MX_RNE, MX_SAT, 0x40);
  expect_cvt("E5M2FNUZ 61440 tie -> NaN", MX_E5M2FNUZ, f32_bits(61440.0f), MX_RNE, MX_OVF, 0x80);
  expect_cvt("E5M2FNUZ 2^-17 = min subnormal 0x01", MX_E5M2FNUZ, f32_bits(0x1p-17f), MX_RNE, MX_SAT, 0x01);
  /* E4M3B11FNUZ: bias 11, max 30 = 0x7F, 31 the tie to 32 */
  expect_cvt("E4M3B11FNUZ 1.0 = 0x58", MX_E4M3B11FNUZ, f32_bits(1.0f), MX_RNE, MX_SAT, 0x58);
  expect_cvt("E4M3B11FNUZ 31 tie -> NaN", MX_E4M3B11FNUZ, f32_bits(31.0f), MX_RNE, MX_OVF, 0x80);
  expect_cvt("E4M3B11FNUZ 30.9 -> 30", MX_E4M3B11FNUZ, f32_bits(30.9f), MX_RNE, MX_OVF, 0x7F);
  /* E4M3 IEEE-like: bias 7, max 240 = 0x77, 0x78 Inf, NaN quiet 0x7C */
  expect_cvt("E4M3IEEE 240 = 0x77", MX_E4M3IEEE, f32_bits(240.0f), MX_RNE, MX_OVF, 0x77);
  expect_cvt("E4M3IEEE 248 tie -> Inf", MX_E4M3IEEE, f32_bits(248.0f), MX_RNE, MX_OVF, 0x78);
  expect_cvt("E4M3IEEE -Inf nonsat", MX_E4M3IEEE, 0xFF800000u, MX_RNE, MX_OVF, 0xF8);
  expect_cvt("E4M3IEEE NaN -> quiet S.1111.100", MX_E4M3IEEE, 0x7FC00000u, MX_RNE, MX_SAT, 0x7C);
  expect_cvt("E4M3IEEE -0 -> 0x80", MX_E4M3IEEE, 0x80000000u, MX_RNE, MX_SAT, 0x80);
  /* E3M4 IEEE-like: bias 3, max 15.5 = 0x6F, 15.75 the tie to 16 */
  expect_cvt("E3M4 1.0 = 0x30", MX_E3M4, f32_bits(1.0f), MX_RNE, MX_SAT, 0x30);
  expect_cvt("E3M4 15.5 = 0x6F", MX_E3M4, f32_bits(15.5f), MX_RNE, MX_OVF, 0x6F);
  expect_cvt("E3M4 15.75 tie -> Inf", MX_E3M4, f32_bits(15.75f), MX_RNE, MX_OVF, 0x70);
  expect_cvt("E3M4 NaN -> quiet S.111.1000", MX_E3M4, 0x7FC00000u, MX_RNE, MX_SAT, 0x78);
  expect_cvt("E3M4 2^-6 = min subnormal 0x01", MX_E3M4, f32_bits(0x1p-6f), MX_RNE, MX_SAT, 0x01);
}

int main(void) {
  fp8_variants_edges();
  knob_values_of_real_libraries();
  e4m3_464_rounds_to_448_and_465_overflows();
  e5m2_61440_is_the_overflow_threshold();
  e2m1_ties();
  e8m0_0x00_is_2_pow_minus_127();
  int8_0x80_is_minus_2();
  negative_zero_is_preserved();
  smallest_subnormal_and_half_of_it();
  specials_into_finite_formats();
  nan_sign_values();
  e5m2_nan_values();
  return CHECK_DONE();
}
