/* MX blocks, hand-checked: every expected byte below was worked out by hand from the spec
 * and survey text (shared research spec.md §2.2, §3.4, §3.7, §5; peers.md D6, D8, D11,
 * D12) and the contract in include/mxconform/block.h, never computed by the code under
 * test. The comment on each case shows the working.
 *
 * Each case runs against the oracle (mxo_*) and, when libmxref's block layer is built in
 * (MXC_HAVE_REF_BLOCKS), against libmxref too: both must give the written bytes.
 *
 * Usage: test_block_worked_examples scale|specials|dequantize|pack */
#include <math.h>
#include <string.h>

#include "check.h"
#include "mxconform/block.h"
#include "oracle_block.h"

/* ---- inputs ------------------------------------------------------------------------------- */

static uint64_t f32b(float x) {
  uint32_t b;
  memcpy(&b, &x, 4);
  return b;
}

static uint64_t f64b(double x) {
  uint64_t b;
  memcpy(&b, &x, 8);
  return b;
}

#define F32_NAN 0x7FC00000u
#define F32_INF 0x7F800000u

static mx_block_opts ocp(void) {
  mx_block_opts o;
  mx_block_opts_default(&o);
  return o;
}

static mx_block_opts with_rule(mx_scale_rule r) {
  mx_block_opts o = ocp();
  o.rule = r;
  return o;
}

/* ---- running one block through each implementation ---------------------------------------- */

#ifdef MXC_HAVE_REF_BLOCKS
/* libmxref takes the inputs at their own width. */
static void ref_quantize(mx_block_fmt f, mx_fmt src, const uint64_t *in, size_t k, const mx_block_opts *o,
                         uint8_t *scale, uint8_t *codes) {
  uint16_t h[MX_BLOCK_SIZE];
  uint32_t w[MX_BLOCK_SIZE];
  const void *typed = in; /* f64: already uint64_t */
  int bits = mx_format(src)->bits;
  for (size_t i = 0; i < k; i++) {
    h[i] = (uint16_t)in[i];
    w[i] = (uint32_t)in[i];
  }
  if (bits == 16) typed = h;
  if (bits == 32) typed = w;
  mxref_quantize_block(f, src, typed, k, o, NULL, scale, codes);
}
#endif

/* Quantize `n` given values (the rest of the 32 are +0) and compare with the written scale
 * and codes (codes beyond n must be 0x00, the code of +0 in every element format). With a
 * NaN scale the element codes are don't-care (MX §5.1); the oracle writes 0. */
static void expect_block(const char *what, mx_block_fmt f, mx_fmt src, const uint64_t *vals, size_t n,
                         const mx_block_opts *o, uint8_t want_scale, const uint8_t *want) {
  uint64_t in[MX_BLOCK_SIZE] = {0};
  uint8_t want_codes[MX_BLOCK_SIZE] = {0};
  for (size_t i = 0; i < n; i++) {
    in[i] = vals[i];
    if (want) want_codes[i] = want[i];
  }
  const char *impl[2] = {"oracle", "reference"};
  for (int which = 0; which < 2; which++) {
    uint8_t scale = 0, codes[MX_BLOCK_SIZE];
    memset(codes, 0xAA, sizeof codes);
    if (which == 0) {
      mxo_quantize_block(f, src, in, MX_BLOCK_SIZE, o, NULL, &scale, codes);
    } else {
#ifdef MXC_HAVE_REF_BLOCKS
      ref_quantize(f, src, in, MX_BLOCK_SIZE, o, &scale, codes);
#else
      continue;
#endif
    }
    CHECK(scale == want_scale, "%s [%s %s]: scale 0x%02X, worked example says 0x%02X", what, impl[which],
          mx_block_fmt_names[f], scale, want_scale);
    if (want_scale == 0xFF && which == 1) continue; /* NaN block: libmxref's element bits are free */
    for (size_t i = 0; i < MX_BLOCK_SIZE; i++)
      CHECK(codes[i] == want_codes[i], "%s [%s %s]: element %zu code 0x%02X, worked example says 0x%02X", what,
            impl[which], mx_block_fmt_names[f], i, codes[i], want_codes[i]);
  }
}

/* The scale alone from amax (the API the 2^32-amax proof uses) must agree with the block. */
static void expect_scale_of_amax(const char *what, mx_block_fmt f, mx_fmt src, uint64_t amax_bits,
                                 const mx_block_opts *o, uint8_t want) {
  uint8_t got = mxo_block_scale(f, src, amax_bits, o);
  CHECK(got == want, "%s [oracle block_scale %s]: 0x%02X, worked example says 0x%02X", what, mx_block_fmt_names[f],
        got, want);
#ifdef MXC_HAVE_REF_BLOCKS
  got = mxref_block_scale(f, src, amax_bits, o);
  CHECK(got == want, "%s [reference block_scale %s]: 0x%02X, worked example says 0x%02X", what,
        mx_block_fmt_names[f], got, want);
#endif
}

/* ---- scale rules and the spec's worked examples -------------------------------------------- */

static void spec_section_3_7_examples(void) {
  mx_block_opts o = ocp();
  /* MXFP4 {7, -3.3, 0.25, 0.001}: amax 7 = 1.75*2^2, emax(E2M1) = 2 -> s = 0, X = 1 (0x7F).
   * 7 is the tie between 6 and the would-be 8: RNE picks 8's side, which overflows ->
   * saturates to 6 (0x7). -3.3 -> -3 (0xD). 0.25 ties 0 and 0.5 -> even 0. 0.001 -> 0. */
  {
    uint64_t v[] = {f32b(7.0f), f32b(-3.3f), f32b(0.25f), f32b(0.001f)};
    uint8_t c[] = {0x7, 0xD, 0x0, 0x0};
    expect_block("spec 3.7 MXFP4 7,-3.3,0.25,0.001", MX_MXFP4_E2M1, MX_F32, v, 4, &o, 0x7F, c);
  }
  /* E4M3 {1000, 3, -1/7}: 1000 = 1.953125*2^9, emax 8 -> s = 1 (0x80). 500 > 464 -> 448
   * (0x7E); 1.5 = 0.0111.100 (0x3C); -1/14 = -9.14*2^-7 -> -9/128 = -1.125*2^-4 =
   * 1.0011.001 (0x99). */
  {
    uint64_t v[] = {f32b(1000.0f), f32b(3.0f), f32b(-1.0f / 7.0f)};
    uint8_t c[] = {0x7E, 0x3C, 0x99};
    expect_block("spec 3.7 E4M3 1000,3,-1/7", MX_MXFP8_E4M3, MX_F32, v, 3, &o, 0x80, c);
  }
  /* all zeros: amax 0 -> zero_block: min = 0x00 (2^-127, the default), one = 0x7F */
  expect_block("spec 3.7 MXFP4 all zeros, zero_block=min", MX_MXFP4_E2M1, MX_F32, NULL, 0, &o, 0x00, NULL);
  {
    mx_block_opts one = ocp();
    one.zero_block = MX_ZEROB_ONE;
    expect_block("MXFP4 all zeros, zero_block=one", MX_MXFP4_E2M1, MX_F32, NULL, 0, &one, 0x7F, NULL);
    uint64_t negzero[] = {f32b(-0.0f)};
    uint8_t c[] = {0x8};
    expect_block("MXFP4 -0 keeps its sign, zero_block=one", MX_MXFP4_E2M1, MX_F32, negzero, 1, &one, 0x7F, c);
  }
  /* {2^-140, -2^-141}: s = -140 - 2 = -142 -> clamp -127 (0x00); elements 2^-13, -2^-14
   * -> +0 (0x0), -0 (0x8) */
  {
    uint64_t v[] = {f32b(0x1p-140f), f32b(-0x1p-141f)};
    uint8_t c[] = {0x0, 0x8};
    expect_block("spec 3.7 MXFP4 2^-140,-2^-141 clamps to 2^-127", MX_MXFP4_E2M1, MX_F32, v, 2, &o, 0x00, c);
  }
  /* MXINT8 {1, -1.99609375}: amax = 1.99609375*2^0, emax 0 -> s = 0 (0x7F). 1 -> q = 64
   * (0x40). -1.99609375*64 = -127.75 -> -128 (0x80) in two's complement; the symmetric
   * range has no -128, so it saturates to -127 (0x81). */
  {
    uint64_t v[] = {f32b(1.0f), f32b(-1.99609375f)};
    uint8_t twos[] = {0x40, 0x80}, sym[] = {0x40, 0x81};
    expect_block("spec 3.7 MXINT8 1,-1.99609375 two's complement", MX_MXINT8, MX_F32, v, 2, &o, 0x7F, twos);
    mx_block_opts s = ocp();
    s.elem.int8_range = MX_INT8_SYMMETRIC;
    expect_block("spec 3.7 MXINT8 1,-1.99609375 symmetric", MX_MXINT8, MX_F32, v, 2, &s, 0x7F, sym);
  }
  /* E4M3 {16777215, 1}: 2^24 - 1 = 1.99999994*2^23 -> s = 23 - 8 = 15 (0x8E), NOT 16 as a
   * binary32 log2 would give (spec.md 3.5). 511.99997 -> 448 (0x7E); 2^-15 -> 0. */
  {
    uint64_t v[] = {f32b(16777215.0f), f32b(1.0f)};
    uint8_t c[] = {0x7E, 0x00};
    expect_block("spec 3.7 E4M3 16777215,1 (exact floor log2)", MX_MXFP8_E4M3, MX_F32, v, 2, &o, 0x8E, c);
    expect_scale_of_amax("E4M3 amax 16777215", MX_MXFP8_E4M3, MX_F32, f32b(16777215.0f), &o, 0x8E);
  }
}

/* peers.md D6 table, one single-value block per row (rest zeros), every rule. Columns:
 * floor, ceil, rceil, even, even-tiedown. With amax = m*2^e, M = element fraction bits:
 * floor s = e - emax; ceil +1 if m > 1; rceil +1 if m > m_max; even +1 if m >= 2-2^-(M+1);
 * even-tiedown +1 if m > 2-2^-(M+1). */
typedef struct rule_row {
  const char *what;
  mx_block_fmt f;
  float amax;
  uint8_t scale[MX_RULE_COUNT];
  uint8_t code[MX_RULE_COUNT];
} rule_row;

static const rule_row k_rule_rows[] = {
  /* 960 = 1.875*2^9 (emax 8, s_floor 1): floor 480 is the would-be slot past 448 -> 448;
   * ceil/rceil (1.875 > 1.75) s = 2: 240 = 1.1110.111 (0x77); 1.875 < 1.9375 -> even stays */
  {"D6 960 E4M3", MX_MXFP8_E4M3, 960.0f, {0x80, 0x81, 0x81, 0x80, 0x80}, {0x7E, 0x77, 0x77, 0x7E, 0x7E}},
  /* 957: floor 478.5 -> 448 (microxcaling#4); s = 2: 239.25 -> 240 (0x77) */
  {"D6 957 E4M3", MX_MXFP8_E4M3, 957.0f, {0x80, 0x81, 0x81, 0x80, 0x80}, {0x7E, 0x77, 0x77, 0x7E, 0x7E}},
  /* 0x1.fffffep+9: m ~ 2 -> every rule but floor goes up; 255.99998 -> 256 = 0.1111.000 (0x78) */
  {"D6 0x1.fffffep+9 E4M3", MX_MXFP8_E4M3, 0x1.fffffep+9f, {0x80, 0x81, 0x81, 0x81, 0x81},
   {0x7E, 0x78, 0x78, 0x78, 0x78}},
  /* 127.99999 = 0x1.fffffep+6, E5M2 emax 15: floor s = -9 (0x76), 65535.99 -> 57344 (0x7B);
   * others s = -8 (0x77): 32767.998 -> 32768 = 0.11110.00 (0x78) */
  {"D6 127.99999 E5M2", MX_MXFP8_E5M2, 0x1.fffffep+6f, {0x76, 0x77, 0x77, 0x77, 0x77},
   {0x7B, 0x78, 0x78, 0x78, 0x78}},
  /* 0x1.fffffep+2, E2M1 emax 2: floor s = 0, 7.9999995 -> 6 (0x7); others s = 1: 3.9999998 -> 4 (0x6) */
  {"D6 0x1.fffffep+2 E2M1", MX_MXFP4_E2M1, 0x1.fffffep+2f, {0x7F, 0x80, 0x80, 0x80, 0x80}, {0x7, 0x6, 0x6, 0x6, 0x6}},
  /* 5.5 = 1.375*2^2: only ceil goes up (m > 1); 2.75 -> 3 (0x5); 5.5 -> 6 (0x7) otherwise */
  {"D6 5.5 E2M1", MX_MXFP4_E2M1, 5.5f, {0x7F, 0x80, 0x7F, 0x7F, 0x7F}, {0x7, 0x5, 0x7, 0x7, 0x7}},
  /* 7.0 = 1.75*2^2, and 1.75 = 2 - 2^-2 is the even threshold itself (M = 1): a tie.
   * even goes up, even-tiedown stays. Up: 3.5 ties 3 and 4 -> even code 4 (0x6). Stay:
   * 7 ties 6 and the would-be 8 -> saturates to 6 (0x7). rceil: 7 > 6 -> up. */
  {"D6 7.0 E2M1 (the even tie)", MX_MXFP4_E2M1, 7.0f, {0x7F, 0x80, 0x80, 0x80, 0x7F}, {0x7, 0x6, 0x6, 0x6, 0x7}},
  /* 150 = 1.171875*2^7: s_floor -1 (0x7E), 300 -> 288 = 0.1111.001 (0x79); ceil s = 0:
   * 150 -> 144 = 0.1110.001 (0x71); rceil: 448/2 = 224 >= 150 -> s = -1 */
  {"D6 150 E4M3", MX_MXFP8_E4M3, 150.0f, {0x7E, 0x7F, 0x7E, 0x7E, 0x7E}, {0x79, 0x71, 0x79, 0x79, 0x79}},
  /* 3.9 = 1.95*2^1, E2M3 emax 2 (s_floor -1): 7.8 > 7.75 -> saturates 7.5 (0x1F);
   * 1.95 > 1.875 (rceil) and >= 1.9375 (even) -> s = 0: 3.9 -> 4 = 0.11.000 (0x18) */
  {"D6 3.9 E2M3", MX_MXFP6_E2M3, 3.9f, {0x7E, 0x7F, 0x7F, 0x7F, 0x7F}, {0x1F, 0x18, 0x18, 0x18, 0x18}},
  /* 30 = 1.875*2^4, E3M2 emax 4, M = 2: 1.875 is the even threshold (a tie). Stay: 30 ties
   * 28 and the would-be 32 -> 28 (0x1F). Up: 15 ties 14 (0x1B) and 16 (0x1C) -> even 0x1C */
  {"D6 30 E3M2 (the even tie)", MX_MXFP6_E3M2, 30.0f, {0x7F, 0x80, 0x80, 0x80, 0x7F}, {0x1F, 0x1C, 0x1C, 0x1C, 0x1F}},
  /* 0x1.c00002p-119 = 1.75000012*2^-119, E4M3: floor s = -127 (0x00): 448.00005 -> 448
   * (0x7E). rceil: 448*2^-127 = 1.75*2^-119 < amax, so s = -126 (0x01) exactly (FP32
   * division loses this sticky bit, D12): 224.00003 -> 224 = 0.1110.110 (0x76) */
  {"D6 0x1.c00002p-119 E4M3", MX_MXFP8_E4M3, 0x1.c00002p-119f, {0x00, 0x01, 0x01, 0x00, 0x00},
   {0x7E, 0x76, 0x76, 0x7E, 0x7E}},
  /* MXINT8, M = 6 (127/64 = 1.111111b): threshold 2 - 2^-7 = 1.9921875 is a tie; m_max
   * 1.984375 < 1.9921875 -> rceil goes up. Up: 0.99609375*64 = 63.75 -> 64 (0x40). Stay:
   * 127.5 ties 127 and the would-be 128 -> saturates 127 (0x7F). */
  {"INT8 1.9921875 (the even tie)", MX_MXINT8, 1.9921875f, {0x7F, 0x80, 0x80, 0x80, 0x7F},
   {0x7F, 0x40, 0x40, 0x40, 0x7F}},
};

static void peers_d6_rule_table(void) {
  for (size_t r = 0; r < sizeof k_rule_rows / sizeof k_rule_rows[0]; r++) {
    const rule_row *row = &k_rule_rows[r];
    for (int rule = 0; rule < MX_RULE_COUNT; rule++) {
      char what[160];
      snprintf(what, sizeof what, "%s rule=%s", row->what, mx_scale_rule_names[rule]);
      mx_block_opts o = with_rule((mx_scale_rule)rule);
      uint64_t v[] = {f32b(row->amax)};
      expect_block(what, row->f, MX_F32, v, 1, &o, row->scale[rule], &row->code[rule]);
      expect_scale_of_amax(what, row->f, MX_F32, f32b(row->amax), &o, row->scale[rule]);
      /* the sign of amax does not matter to the scale */
      expect_scale_of_amax(what, row->f, MX_F32, f32b(-row->amax), &o, row->scale[rule]);
    }
  }
}

/* ---- specials, subnormals, scale overflow ------------------------------------------------- */

static void nan_and_inf_blocks(void) {
  mx_block_opts o = ocp();
  /* a NaN anywhere (nan_block=nan-scale, default) -> scale 0xFF, elements don't-care */
  uint64_t with_nan[] = {f32b(1.0f), F32_NAN};
  expect_block("NaN block -> 0xFF", MX_MXFP8_E4M3, MX_F32, with_nan, 2, &o, 0xFF, NULL);
  expect_block("NaN block -> 0xFF (MXFP4)", MX_MXFP4_E2M1, MX_F32, with_nan, 2, &o, 0xFF, NULL);
  expect_scale_of_amax("NaN amax -> 0xFF", MX_MXFP8_E4M3, MX_F32, F32_NAN, &o, 0xFF);
  /* nan_block=ignore: amax = 1 -> E4M3 s = -8 (0x77), 1*2^8 = 256 (0x78); the NaN goes
   * through the scalar knobs: E4M3 NaN 0x7F (sign kept, +). MXFP4: s = -2 (0x7D), 4 (0x6),
   * NaN -> nan_finite=pos-max -> +6 (0x7). */
  mx_block_opts ign = ocp();
  ign.nan_block = MX_NANB_IGNORE;
  uint8_t e4[] = {0x78, 0x7F}, e2[] = {0x6, 0x7};
  expect_block("nan_block=ignore E4M3", MX_MXFP8_E4M3, MX_F32, with_nan, 2, &ign, 0x77, e4);
  expect_block("nan_block=ignore MXFP4", MX_MXFP4_E2M1, MX_F32, with_nan, 2, &ign, 0x7D, e2);
  expect_scale_of_amax("NaN amax, nan_block=ignore -> as all-zero (0x00)", MX_MXFP8_E4M3, MX_F32, F32_NAN, &ign, 0x00);

  /* {1, +Inf, -2} in E4M3 under each inf_block value */
  uint64_t with_inf[] = {f32b(1.0f), F32_INF, f32b(-2.0f)};
  expect_block("inf_block=nan-scale -> 0xFF", MX_MXFP8_E4M3, MX_F32, with_inf, 3, &o, 0xFF, NULL);
  expect_scale_of_amax("Inf amax, inf_block=nan-scale", MX_MXFP8_E4M3, MX_F32, F32_INF, &o, 0xFF);
  /* max-scale: X = 2^127 (0xFE); 1/2^127 -> +0, Inf -> inf_sat=max -> 448 (0x7E),
   * -2/2^127 -> -0 (0x80) */
  mx_block_opts maxs = ocp();
  maxs.inf_block = MX_INFB_MAX_SCALE;
  uint8_t cmax[] = {0x00, 0x7E, 0x80};
  expect_block("inf_block=max-scale -> 0xFE, Inf saturates", MX_MXFP8_E4M3, MX_F32, with_inf, 3, &maxs, 0xFE, cmax);
  expect_scale_of_amax("Inf amax, inf_block=max-scale", MX_MXFP8_E4M3, MX_F32, F32_INF, &maxs, 0xFE);
  /* ignore: amax = 2 = 1*2^1 -> s = -7 (0x78); 1*2^7 = 128 = 0.1110.000 (0x70), Inf ->
   * 448 (0x7E), -256 = 1.1111.000 (0xF8) */
  mx_block_opts igi = ocp();
  igi.inf_block = MX_INFB_IGNORE;
  uint8_t cign[] = {0x70, 0x7E, 0xF8};
  expect_block("inf_block=ignore -> amax of the finite values", MX_MXFP8_E4M3, MX_F32, with_inf, 3, &igi, 0x78, cign);
  expect_scale_of_amax("Inf amax, inf_block=ignore -> as all-zero", MX_MXFP8_E4M3, MX_F32, F32_INF, &igi, 0x00);
  /* ignore with inf_sat=special into E5M2: the Inf element stays Inf (0x7C); amax 2 ->
   * s = 1 - 15 = -14 (0x71); 1*2^14 = 0.11101.00 (0x74); -2^15 = 1.11110.00 (0xF8) */
  igi.elem.inf_sat = MX_INF_SAT_SPECIAL;
  uint8_t c52[] = {0x74, 0x7C, 0xF8};
  expect_block("inf_block=ignore, inf_sat=special E5M2", MX_MXFP8_E5M2, MX_F32, with_inf, 3, &igi, 0x71, c52);
}

static void subnormal_amax_exact_vs_flush(void) {
  /* E5M2 block {2^-140} (an f32 subnormal). exact: s = -140 - 15 -> clamp -127 (0x00),
   * 2^-140 / 2^-127 = 2^-13 = 0.00010.00 (0x08), a normal E5M2 value.
   * flush: the input is +0 -> all-zero block -> 0x00, element +0. */
  uint64_t v[] = {f32b(0x1p-140f)};
  mx_block_opts exact = ocp(), flush = ocp();
  flush.elem.src_subnormals = MX_SUBN_FLUSH;
  uint8_t ce[] = {0x08}, cf[] = {0x00};
  expect_block("f32-subnormal amax, src_subnormals=exact", MX_MXFP8_E5M2, MX_F32, v, 1, &exact, 0x00, ce);
  expect_block("f32-subnormal amax, src_subnormals=flush", MX_MXFP8_E5M2, MX_F32, v, 1, &flush, 0x00, cf);
  /* with zero_block=one the flushed block's scale differs too: 0x7F */
  flush.zero_block = MX_ZEROB_ONE;
  expect_block("f32-subnormal amax, flush + zero_block=one", MX_MXFP8_E5M2, MX_F32, v, 1, &flush, 0x7F, cf);
  expect_scale_of_amax("subnormal amax, flush + zero_block=one", MX_MXFP8_E5M2, MX_F32, f32b(0x1p-140f), &flush, 0x7F);
  /* a flushed subnormal beside a normal value: {-2^-130, 2^-120} E5M2. exact: amax 2^-120
   * -> s = -135 -> -127 (0x00); -2^-3 = 1.01100.00 (0xB0), 2^7 = 0.10110.00 (0x58).
   * flush: -2^-130 is -0 (0x80). */
  uint64_t mix[] = {f32b(-0x1p-130f), f32b(0x1p-120f)};
  uint8_t me[] = {0xB0, 0x58}, mf[] = {0x80, 0x58};
  mx_block_opts fl = ocp();
  fl.elem.src_subnormals = MX_SUBN_FLUSH;
  expect_block("subnormal element beside a normal, exact", MX_MXFP8_E5M2, MX_F32, mix, 2, &exact, 0x00, me);
  expect_block("subnormal element beside a normal, flush -> -0", MX_MXFP8_E5M2, MX_F32, mix, 2, &fl, 0x00, mf);
}

static void scale_overflow_from_f64(void) {
  /* f64 amax 2^135, E4M3: s = 135 - 8 = 127 -> 0xFE (the largest scale), 2^8 -> 0x78 */
  uint64_t at[] = {f64b(0x1p135)};
  uint8_t c_at[] = {0x78};
  mx_block_opts nan = ocp(), clamp = ocp();
  clamp.scale_overflow = MX_SCALEOVF_CLAMP;
  expect_block("f64 amax 2^135 -> s = 127 exactly", MX_MXFP8_E4M3, MX_F64, at, 1, &nan, 0xFE, c_at);
  /* 2^136: s = 128 > 127. nan -> 0xFF; clamp -> 0xFE and 2^9 saturates to 448 (0x7E) */
  uint64_t over[] = {f64b(0x1p136), f64b(-1.0)};
  uint8_t c_over[] = {0x7E, 0x80}; /* -1/2^127 -> -0 */
  expect_block("f64 amax 2^136, scale_overflow=nan", MX_MXFP8_E4M3, MX_F64, over, 2, &nan, 0xFF, NULL);
  expect_block("f64 amax 2^136, scale_overflow=clamp", MX_MXFP8_E4M3, MX_F64, over, 2, &clamp, 0xFE, c_over);
  expect_scale_of_amax("f64 amax 2^136 nan", MX_MXFP8_E4M3, MX_F64, f64b(0x1p136), &nan, 0xFF);
  expect_scale_of_amax("f64 amax 2^136 clamp", MX_MXFP8_E4M3, MX_F64, f64b(0x1p136), &clamp, 0xFE);
  /* far above: 1e300 ~ 2^996.6 -> s = 988; clamp -> 0xFE, element saturates */
  uint64_t huge[] = {f64b(-1e300)};
  uint8_t c_huge[] = {0xFE}; /* -448 */
  expect_block("f64 amax 1e300, scale_overflow=clamp", MX_MXFP8_E4M3, MX_F64, huge, 1, &clamp, 0xFE, c_huge);
  /* f64 amax far below: 2^-1074 -> clamp -127 (0x00), element 0 */
  uint64_t tiny[] = {1};
  expect_block("f64 amax 2^-1074 -> 0x00", MX_MXFP8_E4M3, MX_F64, tiny, 1, &nan, 0x00, NULL);
  /* MXINT8 (emax 0) reaches s = 128 from f32: FLT_MAX = (2-2^-23)*2^127, ceil -> 128 */
  mx_block_opts ceil_nan = with_rule(MX_RULE_CEIL), ceil_clamp = with_rule(MX_RULE_CEIL);
  ceil_clamp.scale_overflow = MX_SCALEOVF_CLAMP;
  uint64_t fmax[] = {0x7F7FFFFFu};
  uint8_t c_fmax[] = {0x7F}; /* clamp: 1.99999988 -> 127.99999 -> saturates +127 */
  expect_block("MXINT8 f32 FLT_MAX, ceil, scale_overflow=nan", MX_MXINT8, MX_F32, fmax, 1, &ceil_nan, 0xFF, NULL);
  expect_block("MXINT8 f32 FLT_MAX, ceil, scale_overflow=clamp", MX_MXINT8, MX_F32, fmax, 1, &ceil_clamp, 0xFE,
               c_fmax);
  /* floor: 127 - 0 = 127 fits */
  expect_block("MXINT8 f32 FLT_MAX, floor", MX_MXINT8, MX_F32, fmax, 1, &nan, 0xFE, c_fmax);
}

static void round_sr_uses_the_random_words(void) {
  /* E2M1, X = 1 (amax 6): 0.75 lies halfway between 0.5 and 1. sr with sr_bits = 1: up iff
   * 0.75 >= 0.5 + 0.5*(2 - r)/2, i.e. r = 1 -> up (1.0, 0x2), r = 0 -> down (0.5, 0x1). */
  uint64_t in[MX_BLOCK_SIZE] = {f32b(6.0f), f32b(0.75f), f32b(0.75f)};
  uint32_t rnd[MX_BLOCK_SIZE] = {0, 1, 0};
  mx_block_opts o = ocp();
  o.elem.round = MX_SR;
  o.elem.sr_bits = 1;
  uint8_t scale, codes[MX_BLOCK_SIZE];
  mxo_quantize_block(MX_MXFP4_E2M1, MX_F32, in, MX_BLOCK_SIZE, &o, rnd, &scale, codes);
  CHECK(scale == 0x7F && codes[0] == 0x7 && codes[1] == 0x2 && codes[2] == 0x1,
        "sr block: scale 0x%02X codes %X %X %X, want 7F 7 2 1", scale, codes[0], codes[1], codes[2]);
}

/* ---- dequantize ----------------------------------------------------------------------------- */

static void expect_dequant(const char *what, mx_block_fmt f, uint8_t scale, const uint8_t *codes, size_t n,
                           mx_fmt dst, const mx_block_opts *o, const uint64_t *want, int want_nan) {
  uint64_t out[MX_BLOCK_SIZE];
  mxo_dequantize_block(f, scale, codes, n, dst, o, out);
  const mx_format_desc *d = mx_format(dst);
  for (size_t i = 0; i < n; i++) {
    if (want_nan) {
      uint64_t expall = (((uint64_t)1 << d->ebits) - 1) << d->mbits, man = ((uint64_t)1 << d->mbits) - 1;
      CHECK((out[i] & expall) == expall && (out[i] & man), "%s [oracle %s]: element %zu 0x%llX is not NaN", what,
            d->name, i, (unsigned long long)out[i]);
    } else {
      CHECK(out[i] == want[i], "%s [oracle %s]: element %zu 0x%llX, worked example says 0x%llX", what, d->name, i,
            (unsigned long long)out[i], (unsigned long long)want[i]);
    }
  }
#ifdef MXC_HAVE_REF_BLOCKS
  uint64_t r64[MX_BLOCK_SIZE];
  uint32_t r32[MX_BLOCK_SIZE];
  uint16_t r16[MX_BLOCK_SIZE];
  void *dstbuf = d->bits == 64 ? (void *)r64 : d->bits == 32 ? (void *)r32 : (void *)r16;
  mxref_dequantize_block(f, scale, codes, n, dst, o, dstbuf);
  for (size_t i = 0; i < n; i++) {
    uint64_t got = d->bits == 64 ? r64[i] : d->bits == 32 ? r32[i] : r16[i];
    if (want_nan) {
      uint64_t expall = (((uint64_t)1 << d->ebits) - 1) << d->mbits, man = ((uint64_t)1 << d->mbits) - 1;
      CHECK((got & expall) == expall && (got & man), "%s [reference %s]: element %zu 0x%llX is not NaN", what,
            d->name, i, (unsigned long long)got);
    } else {
      CHECK(got == want[i], "%s [reference %s]: element %zu 0x%llX, worked example says 0x%llX", what, d->name, i,
            (unsigned long long)got, (unsigned long long)want[i]);
    }
  }
#endif
}

static void dequantize_examples(void) {
  mx_block_opts inf = ocp(), sat = ocp();
  sat.dequant_overflow = MX_DQOVF_SAT;
  /* scale 0x00 = 2^-127 (never 0): E4M3 1.0 (0x38) -> f32 subnormal 0x00400000, bf16
   * 0x0040, f64 2^-127 = exponent 1023-127 = 0x380 -> 0x3800000000000000 */
  uint8_t one[] = {0x38};
  uint64_t w32[] = {0x00400000u}, w16[] = {0x0040u}, w64[] = {0x3800000000000000ull};
  expect_dequant("scale 0x00 is 2^-127 (f32 subnormal)", MX_MXFP8_E4M3, 0x00, one, 1, MX_F32, &inf, w32, 0);
  expect_dequant("scale 0x00 is 2^-127 (bf16)", MX_MXFP8_E4M3, 0x00, one, 1, MX_BF16, &inf, w16, 0);
  expect_dequant("scale 0x00 is 2^-127 (f64)", MX_MXFP8_E4M3, 0x00, one, 1, MX_F64, &inf, w64, 0);
  /* bf16 rounds below its subnormal quantum 2^-133: with X = 2^-127, E4M3 1.125*2^-6
   * (0x09) -> 1.125*2^-133 -> 1 quantum (0x0001); 1.5*2^-6 (0x0C) -> 1.5 quanta, a tie ->
   * even 2 (0x0002); 1.875*2^-6 (0x0F) -> 2 (0x0002); E4M3 2^-9 (0x01) -> 2^-136 -> 0.
   * f32 holds them all exactly: 1.125*2^-133 = 9*2^-136 = 9*2^13 quanta of 2^-149. */
  uint8_t fine[] = {0x09, 0x0C, 0x0F, 0x01, 0x81};
  uint64_t fine16[] = {0x0001u, 0x0002u, 0x0002u, 0x0000u, 0x8000u};
  uint64_t fine32[] = {9u << 13, 12u << 13, 15u << 13, 1u << 13, 0x80000000u | (1u << 13)};
  expect_dequant("bf16 subnormal products round to nearest even", MX_MXFP8_E4M3, 0x00, fine, 5, MX_BF16, &inf,
                 fine16, 0);
  expect_dequant("f32 subnormal products are exact", MX_MXFP8_E4M3, 0x00, fine, 5, MX_F32, &inf, fine32, 0);
  /* E5M2 max subnormal 3*2^-16 (0x03) at 2^-127 = 3*2^-143: f32 0xC0 (192 quanta of 2^-149);
   * bf16: 3*2^-143 < 2^-134 (half a quantum) -> +0 */
  uint8_t e5[] = {0x03};
  uint64_t e5_32[] = {0xC0u}, e5_16[] = {0x0000u};
  expect_dequant("E5M2 3*2^-16 * 2^-127 (f32 exact)", MX_MXFP8_E5M2, 0x00, e5, 1, MX_F32, &inf, e5_32, 0);
  expect_dequant("E5M2 3*2^-16 * 2^-127 (bf16 -> 0)", MX_MXFP8_E5M2, 0x00, e5, 1, MX_BF16, &inf, e5_16, 0);
  /* scale 0xFF: every value NaN, whatever the element */
  uint8_t any[] = {0x38, 0x00, 0x80, 0x7E};
  expect_dequant("scale 0xFF -> all NaN (f32)", MX_MXFP8_E4M3, 0xFF, any, 4, MX_F32, &inf, NULL, 1);
  expect_dequant("scale 0xFF -> all NaN (bf16)", MX_MXFP8_E4M3, 0xFF, any, 4, MX_BF16, &inf, NULL, 1);
  expect_dequant("scale 0xFF -> all NaN (f64)", MX_MXFP8_E4M3, 0xFF, any, 4, MX_F64, &inf, NULL, 1);
  uint8_t fp4[] = {0x1, 0x9};
  expect_dequant("scale 0xFF -> all NaN (MXFP4)", MX_MXFP4_E2M1, 0xFF, fp4, 2, MX_F32, &inf, NULL, 1);
  /* 448 * 2^120 = 1.75*2^128 >= 2^128 overflows f32 and bf16: inf -> +-Inf, sat ->
   * +-FLT_MAX (0x7F7FFFFF) / bf16 max (0x7F7F). Scale 127 + 120 = 247 = 0xF7. */
  uint8_t big[] = {0x7E, 0xFE};
  uint64_t inf32[] = {0x7F800000u, 0xFF800000u}, sat32[] = {0x7F7FFFFFu, 0xFF7FFFFFu};
  uint64_t inf16[] = {0x7F80u, 0xFF80u}, sat16[] = {0x7F7Fu, 0xFF7Fu};
  expect_dequant("448*2^120 overflows f32, dequant_overflow=inf", MX_MXFP8_E4M3, 0xF7, big, 2, MX_F32, &inf, inf32, 0);
  expect_dequant("448*2^120 overflows f32, dequant_overflow=sat", MX_MXFP8_E4M3, 0xF7, big, 2, MX_F32, &sat, sat32, 0);
  expect_dequant("448*2^120 overflows bf16, dequant_overflow=inf", MX_MXFP8_E4M3, 0xF7, big, 2, MX_BF16, &inf, inf16,
                 0);
  expect_dequant("448*2^120 overflows bf16, dequant_overflow=sat", MX_MXFP8_E4M3, 0xF7, big, 2, MX_BF16, &sat, sat16,
                 0);
  /* f64 holds it: 1.75*2^128 -> exponent 1023+128 = 0x47F, fraction .11 -> 0x47FC000000000000 */
  uint64_t big64[] = {0x47FC000000000000ull, 0xC7FC000000000000ull};
  expect_dequant("448*2^120 in f64 is exact", MX_MXFP8_E4M3, 0xF7, big, 2, MX_F64, &sat, big64, 0);
  /* 448 * 2^119 = 1.75*2^127 fits: f32 exponent 254, fraction .11 -> 0x7F600000; bf16 0x7F60 */
  uint64_t fit32[] = {0x7F600000u, 0xFF600000u}, fit16[] = {0x7F60u, 0xFF60u};
  expect_dequant("448*2^119 fits f32", MX_MXFP8_E4M3, 0xF6, big, 2, MX_F32, &inf, fit32, 0);
  expect_dequant("448*2^119 fits bf16", MX_MXFP8_E4M3, 0xF6, big, 2, MX_BF16, &inf, fit16, 0);
  /* element specials with a finite scale: -0 stays -0; E5M2 +-Inf stay Inf even under sat */
  uint8_t spec[] = {0x80, 0x7C, 0xFC};
  uint64_t spec32[] = {0x80000000u, 0x7F800000u, 0xFF800000u};
  expect_dequant("-0 and Inf elements pass through", MX_MXFP8_E5M2, 0x7F, spec, 3, MX_F32, &sat, spec32, 0);
  uint8_t e4nan[] = {0x7F};
  expect_dequant("E4M3 NaN element -> NaN", MX_MXFP8_E4M3, 0x7F, e4nan, 1, MX_F32, &inf, NULL, 1);
  /* MXINT8 -2 (0x80) and 127/64 (0x7F) at X = 2: -4 (0xC0800000), 3.96875 = 1.984375*2^1
   * -> 0x407E0000 */
  uint8_t i8[] = {0x80, 0x7F};
  uint64_t i8_32[] = {0xC0800000u, 0x407E0000u};
  expect_dequant("MXINT8 -2 and 127/64 at X = 2", MX_MXINT8, 0x80, i8, 2, MX_F32, &inf, i8_32, 0);
}

/* ---- packing (peers.md D8, spec.md 5.2) -------------------------------------------------------- */

static void expect_pack(const char *what, mx_block_fmt f, mx_pack_layout l, const uint8_t *codes, size_t n,
                        const uint8_t *want, size_t want_n) {
  uint8_t out[64], back[64];
  memset(out, 0xEE, sizeof out);
  size_t got = mxo_pack(f, l, codes, n, out);
  CHECK(got == want_n, "%s [oracle]: %zu bytes, want %zu", what, got, want_n);
  CHECK(mx_packed_size(f, l, n) == want_n, "%s: mx_packed_size %zu, want %zu", what, mx_packed_size(f, l, n), want_n);
  for (size_t i = 0; i < want_n && i < got; i++)
    CHECK(out[i] == want[i], "%s [oracle]: byte %zu 0x%02X, want 0x%02X", what, i, out[i], want[i]);
  if (want_n) {
    size_t rd = mxo_unpack(f, l, want, n, back);
    CHECK(rd == want_n, "%s [oracle unpack]: %zu bytes read, want %zu", what, rd, want_n);
    for (size_t i = 0; i < n; i++)
      CHECK(back[i] == codes[i], "%s [oracle unpack]: code %zu 0x%02X, want 0x%02X", what, i, back[i], codes[i]);
  }
#ifdef MXC_HAVE_REF_BLOCKS
  memset(out, 0xEE, sizeof out);
  got = mxref_pack(f, l, codes, n, out);
  CHECK(got == want_n, "%s [reference]: %zu bytes, want %zu", what, got, want_n);
  for (size_t i = 0; i < want_n && i < got; i++)
    CHECK(out[i] == want[i], "%s [reference]: byte %zu 0x%02X, want 0x%02X", what, i, out[i], want[i]);
  if (want_n) {
    mxref_unpack(f, l, want, n, back);
    for (size_t i = 0; i < n; i++)
      CHECK(back[i] == codes[i], "%s [reference unpack]: code %zu 0x%02X, want 0x%02X", what, i, back[i], codes[i]);
  }
#endif
}

static void packing_examples(void) {
  /* FP4 fp4-low: element 2i in bits 3..0, 2i+1 in bits 7..4; odd count -> high nibble 0 */
  uint8_t c4[] = {0x1, 0x2, 0x3};
  uint8_t low[] = {0x21, 0x03}, high[] = {0x12, 0x30};
  expect_pack("fp4-low {1,2,3}", MX_MXFP4_E2M1, MX_PACK_FP4_LOW, c4, 3, low, 2);
  expect_pack("fp4-high {1,2,3}", MX_MXFP4_E2M1, MX_PACK_FP4_HIGH, c4, 3, high, 2);
  uint8_t c4b[] = {0xF, 0x8};
  uint8_t lowb[] = {0x8F}, highb[] = {0xF8};
  expect_pack("fp4-low {F,8}", MX_MXFP4_E2M1, MX_PACK_FP4_LOW, c4b, 2, lowb, 1);
  expect_pack("fp4-high {F,8}", MX_MXFP4_E2M1, MX_PACK_FP4_HIGH, c4b, 2, highb, 1);
  /* FP6 fp6-lsb: v0 = byte0[5:0]; v1 = byte0[7:6] | byte1[3:0]<<2; v2 = byte1[7:4] |
   * byte2[1:0]<<4; v3 = byte2[7:2]. {1,2,3,4}: byte0 = 0x01 | (2&3)<<6 = 0x81; byte1 =
   * 2>>2 | (3&15)<<4 = 0x30; byte2 = 3>>4 | 4<<2 = 0x10 */
  uint8_t c6[] = {0x01, 0x02, 0x03, 0x04};
  uint8_t lsb[] = {0x81, 0x30, 0x10};
  expect_pack("fp6-lsb {1,2,3,4}", MX_MXFP6_E2M3, MX_PACK_FP6_LSB, c6, 4, lsb, 3);
  /* five codes: 30 bits -> 4 bytes, the last byte's top 2 bits 0. {3F x5}: FF FF FF 3F */
  uint8_t c6b[] = {0x3F, 0x3F, 0x3F, 0x3F, 0x3F};
  uint8_t lsbb[] = {0xFF, 0xFF, 0xFF, 0x3F};
  expect_pack("fp6-lsb five all-ones codes", MX_MXFP6_E3M2, MX_PACK_FP6_LSB, c6b, 5, lsbb, 4);
  /* byte layout: one code per byte, low bits */
  uint8_t bytes6[] = {0x3F, 0x20, 0x01};
  expect_pack("byte FP6", MX_MXFP6_E2M3, MX_PACK_BYTE, bytes6, 3, bytes6, 3);
  uint8_t bytes4[] = {0xF, 0x8};
  expect_pack("byte FP4", MX_MXFP4_E2M1, MX_PACK_BYTE, bytes4, 2, bytes4, 2);
  uint8_t bytes8[] = {0xFF, 0x80, 0x7E};
  expect_pack("byte FP8", MX_MXFP8_E4M3, MX_PACK_BYTE, bytes8, 3, bytes8, 3);
  expect_pack("byte INT8", MX_MXINT8, MX_PACK_BYTE, bytes8, 3, bytes8, 3);
  /* layouts that do not apply: 0 bytes */
  expect_pack("fp4-low does not apply to E4M3", MX_MXFP8_E4M3, MX_PACK_FP4_LOW, bytes8, 3, NULL, 0);
  expect_pack("fp6-lsb does not apply to E2M1", MX_MXFP4_E2M1, MX_PACK_FP6_LSB, bytes4, 2, NULL, 0);
  expect_pack("fp4-high does not apply to E3M2", MX_MXFP6_E3M2, MX_PACK_FP4_HIGH, bytes6, 3, NULL, 0);
  /* unpack ignores the unused high bits of the last byte (and byte-layout padding bits) */
  uint8_t dirty4[] = {0xA3}, dirty6[] = {0xFF, 0xFF, 0xFF, 0xFF}, back[8];
  mxo_unpack(MX_MXFP4_E2M1, MX_PACK_FP4_LOW, dirty4, 1, back);
  CHECK(back[0] == 0x3, "fp4-low unpack of one code ignores the high nibble: 0x%X", back[0]);
  mxo_unpack(MX_MXFP6_E2M3, MX_PACK_FP6_LSB, dirty6, 5, back);
  CHECK(back[4] == 0x3F, "fp6-lsb unpack of five codes ignores the top 2 bits: 0x%X", back[4]);
  uint8_t dirtyb[] = {0xFF};
  mxo_unpack(MX_MXFP6_E2M3, MX_PACK_BYTE, dirtyb, 1, back);
  CHECK(back[0] == 0x3F, "byte-layout FP6 unpack keeps the 6 code bits: 0x%X", back[0]);
}

int main(int argc, char **argv) {
  const char *group = argc > 1 ? argv[1] : "all";
  int all = !strcmp(group, "all");
  if (all || !strcmp(group, "scale")) {
    spec_section_3_7_examples();
    peers_d6_rule_table();
  }
  if (all || !strcmp(group, "specials")) {
    nan_and_inf_blocks();
    subnormal_amax_exact_vs_flush();
    scale_overflow_from_f64();
    round_sr_uses_the_random_words();
  }
  if (all || !strcmp(group, "dequantize")) dequantize_examples();
  if (all || !strcmp(group, "pack")) packing_examples();
  return CHECK_DONE();
}
