/* MX dot products, hand-checked: every expected FP32 bit pattern below was worked out by
 * hand from the definitions in include/mxconform/dot.h (and the element tables of
 * spec_notes/formats.md), never computed by the code under test. The comment on each case
 * shows the working.
 *
 * Each case runs through the oracle (mxo_dot_general) and through libmxref
 * (mxref_dot_general, which declines only finite frac_bits with accum = exact); both must
 * give the written bits. For
 * exact-rne the oracle's direct exact value (mxo_dot_exact + mxo_round_f32) must agree too.
 *
 * Usage: test_dot_worked_examples exact|specials|models|api */
#include <string.h>

#include "check.h"
#include "oracle_dot.h"

/* Element codes used below (value: working from the format table).
 * E4M3 (bias 7, 3 mantissa bits): 1.0 = 0 0111 000 = 0x38; -1.0 = 0xB8; 448 = 0 1111 110 =
 *   0x7E; -448 = 0xFE; 2^-9 = subnormal 0 0000 001 = 0x01 (1/8 * 2^-6); 2^-7 = 0x04;
 *   2^-6 = 0 0001 000 = 0x08; -0 = 0x80; NaN = 0x7F.
 * E5M2 (bias 15): 1.0 = 0 01111 00 = 0x3C; -1.0 = 0xBC; 57344 = 0 11110 11 = 0x7B;
 *   +Inf = 0x7C; -Inf = 0xFC; 2^-11 = 0 00100 00 = 0x10; 2^-12 = 0 00011 00 = 0x0C;
 *   2^-15 = subnormal 0 00000 10 = 0x02 (2/4 * 2^-14).
 * E2M1: 1.5 = 0 01 1 = 0x3; -1.5 = 0xB; 6.0 = 0 11 1 = 0x7.
 * E3M2 (bias 3): 28 = 0 111 11 = 0x1F.   INT8 (q * 2^-6): -2 = 0x80.
 * E8M0: X = 2^(byte - 127); 0x7F = 1, 0x00 = 2^-127, 0xFE = 2^127, 0xFF = NaN. */

#define NB 4  /* blocks at most */
#define K 32

typedef struct ex {
  mx_block_fmt fa, fb;
  size_t n;
  uint8_t sa[NB], sb[NB];
  uint8_t ca[NB * K], cb[NB * K];
  const uint32_t *c;
  uint32_t cval;
} ex;

/* n blocks of zeros (code 0 is +0 in every format) with scales 1.0 (0x7F). */
static ex make(mx_block_fmt fa, mx_block_fmt fb, size_t n) {
  ex e;
  memset(&e, 0, sizeof e);
  e.fa = fa;
  e.fb = fb;
  e.n = n;
  memset(e.sa, 0x7F, sizeof e.sa);
  memset(e.sb, 0x7F, sizeof e.sb);
  return e;
}

static void set(ex *e, size_t j, size_t i, uint8_t a, uint8_t b) {
  e->ca[j * K + i] = a;
  e->cb[j * K + i] = b;
}

static void fill(ex *e, size_t j, size_t from, size_t to, uint8_t a, uint8_t b) {
  for (size_t i = from; i < to; i++) set(e, j, i, a, b);
}

static void with_c(ex *e, uint32_t c) {
  e->cval = c;
  e->c = &e->cval;
}

static mx_dot_model preset(const char *name) {
  const mx_dot_preset *p = mx_dot_preset_find(name);
  mx_dot_model m = MX_DOT_MODEL_EXACT_RNE;
  CHECK(p != NULL, "preset %s missing", name);
  if (p) m = p->model;
  return m;
}

/* Run one case under model m through every implementation that supports it. */
static void expect(const char *what, const ex *e, const mx_dot_model *m, uint32_t want) {
  mx_dot_vec a = {e->fa, e->sa, e->ca}, b = {e->fb, e->sb, e->cb};
  uint32_t got = 0;
  int rc = mxo_dot_general(&a, &b, e->n, K, e->c, m, &got);
  CHECK(rc == MX_DOT_OK && got == want, "%s: oracle 0x%08x (rc %d), want 0x%08x", what, got, rc, want);
  rc = mxref_dot_general(&a, &b, e->n, K, e->c, m, &got);
  if (m->frac_bits == MX_DOT_FRAC_EXACT || m->accum != MX_DOT_ACCUM_EXACT)
    CHECK(rc == MX_DOT_OK && got == want, "%s: libmxref 0x%08x (rc %d), want 0x%08x", what, got, rc, want);
  else
    CHECK(rc == MX_DOT_EUNSUPPORTED, "%s: libmxref must decline finite frac_bits with an exact accumulator (rc %d)", what, rc);
  if (m->frac_bits == MX_DOT_FRAC_EXACT && m->accum == MX_DOT_ACCUM_EXACT) {
    /* the same value straight from the oracle's exact sum */
    mpfr_t x;
    mpfr_init2(x, 64);
    CHECK(mxo_dot_exact(&a, &b, e->n, K, e->c, x) == MX_DOT_OK, "%s: mxo_dot_exact", what);
    uint32_t direct = mpfr_nan_p(x) ? MX_DOT_F32_NAN
                      : mpfr_inf_p(x) ? (mpfr_signbit(x) ? 0xFF800000u : 0x7F800000u)
                                      : mxo_round_f32(x, m->final_round, m->subnormal);
    CHECK(direct == want, "%s: oracle exact value rounds to 0x%08x, want 0x%08x", what, direct, want);
    mpfr_clear(x);
  }
}

static void expect_exact(const char *what, const ex *e, uint32_t want) {
  mx_dot_model m = MX_DOT_MODEL_EXACT_RNE;
  expect(what, e, &m, want);
}

/* ---- exact-rne: the value of MX §6.1/§6.2 rounded once ------------------------------------ */

static void exact_cases(void) {
  ex e;

  /* 32 x (1 * 1) * 2^0 * 2^0 = 32 = 2^5: biased exponent 132 = 0x84 -> 0x42000000 */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  fill(&e, 0, 0, K, 0x38, 0x38);
  expect_exact("ones x ones = 32", &e, 0x42000000u);
  CHECK(mxref_dot(MX_MXFP8_E4M3, 0x7F, e.ca, MX_MXFP8_E4M3, 0x7F, e.cb, K) == 0x42000000u, "mxref_dot ones");

  /* block 0: 32, block 1 with X^A = 2^-1 (0x7E): 16; total 48 = 1.5 * 2^5 -> 0x42400000 */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 2);
  fill(&e, 0, 0, K, 0x38, 0x38);
  fill(&e, 1, 0, K, 0x38, 0x38);
  e.sa[1] = 0x7E;
  expect_exact("two blocks, scales 1 and 1/2: 32 + 16 = 48", &e, 0x42400000u);

  /* 16 x (1 * 1) + 16 x (1 * -1) = 0 exactly; nonzero addends cancel to +0 */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  fill(&e, 0, 0, 16, 0x38, 0x38);
  fill(&e, 0, 16, K, 0x38, 0xB8);
  expect_exact("exact cancellation is +0", &e, 0x00000000u);

  /* every product (-0) * (+0) = -0 and no C: the sum of -0s is -0; C = +0 makes it +0 */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  fill(&e, 0, 0, K, 0x80, 0x00);
  expect_exact("all products -0, no C: -0", &e, 0x80000000u);
  with_c(&e, 0x00000000u);
  expect_exact("all products -0, C = +0: +0", &e, 0x00000000u);
  with_c(&e, 0x80000000u);
  expect_exact("all products -0, C = -0: -0", &e, 0x80000000u);
  /* (-0) * (-0) = +0 (xor of the signs): a sum of +0s is +0 even without C */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  fill(&e, 0, 0, K, 0x80, 0x80);
  expect_exact("all products (-0) * (-0) = +0: +0", &e, 0x00000000u);
  /* MXINT8 has one zero, +0: (+0) * (-0 of E4M3) = -0 for every product */
  e = make(MX_MXINT8, MX_MXFP8_E4M3, 1);
  fill(&e, 0, 0, K, 0x00, 0x80);
  expect_exact("int8 0 times E4M3 -0: -0", &e, 0x80000000u);

  /* 2^-9 * 2^-9 * 2^(61-127) * 2^(62-127) = 2^-18 * 2^-131 = 2^-149: the smallest FP32
   * subnormal, 0x00000001 */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  set(&e, 0, 0, 0x01, 0x01);
  e.sa[0] = 61;
  e.sb[0] = 62;
  expect_exact("smallest subnormal result 2^-149", &e, 0x00000001u);
  /* scales 61 + 61: 2^-150, half of 2^-149: a tie between 0 (even) and 2^-149 -> +0 */
  e.sb[0] = 61;
  expect_exact("2^-150 ties to even: +0", &e, 0x00000000u);
  /* 3 * 2^-150 = 1.5 * 2^-149: a tie between 2^-149 (odd) and 2 * 2^-149 (even) -> 0x2.
   * E4M3 2^-9 * 3 * 2^-9 (0x03) = 3 * 2^-18, scales 61 + 61 */
  set(&e, 0, 0, 0x01, 0x03);
  expect_exact("3 * 2^-150 ties to even: 2 * 2^-149", &e, 0x00000002u);

  /* E8M0 0x00 is 2^-127, not zero: 0x00 and 0xFE multiply to 2^0; ones x ones = 32 */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  fill(&e, 0, 0, K, 0x38, 0x38);
  e.sa[0] = 0x00;
  e.sb[0] = 0xFE;
  expect_exact("scale 0x00 (2^-127) times 0xFE (2^127) is 1", &e, 0x42000000u);
  /* both 0x00: 32 * 2^-254 = 2^-249, far below 2^-150: +0 */
  e.sb[0] = 0x00;
  expect_exact("scales 0x00 x 0x00 underflow to +0", &e, 0x00000000u);

  /* 448 * 448 = 200704 = 1.53125 * 2^17 (1.10001b); scales 0xFE and 0x6F give
   * 2^(254 + 111 - 254) = 2^111: total 1.53125 * 2^128 >= 2^128 -> +Inf */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  set(&e, 0, 0, 0x7E, 0x7E);
  e.sa[0] = 0xFE;
  e.sb[0] = 0x6F;
  expect_exact("448^2 * 2^111 overflows to +Inf", &e, 0x7F800000u);
  {
    mx_dot_model rtz = MX_DOT_MODEL_EXACT_RNE;
    rtz.final_round = MX_DOT_RTZ;
    expect("448^2 * 2^111 under rtz: FLT_MAX", &e, &rtz, 0x7F7FFFFFu);
  }
  /* scale 0x6E: 1.53125 * 2^127: exponent field 254, mantissa .10001b = 0x440000 */
  e.sb[0] = 0x6E;
  expect_exact("448^2 * 2^110 = 1.53125 * 2^127", &e, 0x7F440000u);

  /* E5M2 57344^2 = (1.75 * 2^15)^2 = 3.0625 * 2^30 = 1.53125 * 2^31; 32 of them: 1.53125 * 2^36
   * (carry-out of 32 near-max products): exponent field 163 = 0xA3 -> 0x51800000 | 0x440000 */
  e = make(MX_MXFP8_E5M2, MX_MXFP8_E5M2, 1);
  fill(&e, 0, 0, K, 0x7B, 0x7B);
  expect_exact("32 x 57344^2 = 1.53125 * 2^36", &e, 0x51C40000u);

  /* mixed formats: E2M1 6 x E3M2 28 = 168; 32 x 168 = 5376 = 1.3125 * 2^12 (1.0101b):
   * exponent field 139 = 0x8B -> 0x45800000 | 0x280000 */
  e = make(MX_MXFP4_E2M1, MX_MXFP6_E3M2, 1);
  fill(&e, 0, 0, K, 0x7, 0x1F);
  expect_exact("mxfp4 6 x mxfp6_e3m2 28, 32 times = 5376", &e, 0x45A80000u);

  /* MXINT8 0x80 is -2: (-2) * (-2) = 4; 32 x 4 = 128 = 2^7 -> 0x43000000 */
  e = make(MX_MXINT8, MX_MXINT8, 1);
  fill(&e, 0, 0, K, 0x80, 0x80);
  expect_exact("int8 -2 x -2, 32 times = 128", &e, 0x43000000u);

  /* ties at a normal rounding point: C = 1.0 plus one product 2^-24 (1 * 1 * 2^(127+103-254))
   * is half an ulp of 1.0: ties to the even 1.0; from C = 1 + 2^-23 (odd) it goes up */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  set(&e, 0, 0, 0x38, 0x38);
  e.sb[0] = 103;
  with_c(&e, 0x3F800000u);
  expect_exact("1 + 2^-24 ties to even: 1.0", &e, 0x3F800000u);
  with_c(&e, 0x3F800001u);
  expect_exact("(1 + 2^-23) + 2^-24 ties to even: 1 + 2^-22", &e, 0x3F800002u);
}

/* ---- special values (dot.h rules 1-4) ------------------------------------------------------- */

static void special_cases(void) {
  ex e;
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  e.sa[0] = 0xFF;
  expect_exact("NaN scale with all-zero elements: NaN", &e, MX_DOT_F32_NAN);

  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 2);
  fill(&e, 0, 0, K, 0x38, 0x38);
  e.sb[1] = 0xFF;
  expect_exact("NaN scale in the second block: NaN", &e, MX_DOT_F32_NAN);

  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  set(&e, 0, 5, 0x7F, 0x00);
  expect_exact("E4M3 NaN (0x7F) times 0: NaN", &e, MX_DOT_F32_NAN);

  e = make(MX_MXFP8_E5M2, MX_MXFP8_E5M2, 1);
  set(&e, 0, 0, 0x7C, 0x00);
  expect_exact("E5M2 +Inf times 0: NaN", &e, MX_DOT_F32_NAN);
  set(&e, 0, 0, 0x7C, 0x3C);
  expect_exact("+Inf times 1: +Inf", &e, 0x7F800000u);
  set(&e, 0, 0, 0x7C, 0xBC);
  expect_exact("+Inf times -1: -Inf", &e, 0xFF800000u);
  set(&e, 0, 0, 0xFC, 0xFC);
  expect_exact("-Inf times -Inf: +Inf", &e, 0x7F800000u);
  set(&e, 0, 0, 0x7C, 0x3C);
  set(&e, 0, 1, 0xFC, 0x3C);
  expect_exact("+Inf and -Inf products: NaN", &e, MX_DOT_F32_NAN);

  e = make(MX_MXFP8_E5M2, MX_MXFP8_E5M2, 1);
  set(&e, 0, 0, 0x7C, 0x3C);
  with_c(&e, 0xFF800000u);
  expect_exact("+Inf product + C = -Inf: NaN", &e, MX_DOT_F32_NAN);
  with_c(&e, 0x7F800000u);
  expect_exact("+Inf product + C = +Inf: +Inf", &e, 0x7F800000u);

  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  fill(&e, 0, 0, K, 0x38, 0x38);
  with_c(&e, 0x7FC00000u);
  expect_exact("C = NaN: NaN", &e, MX_DOT_F32_NAN);
  with_c(&e, 0xFF800000u);
  expect_exact("finite products, C = -Inf: -Inf", &e, 0xFF800000u);

  /* IEEE inside a model: in fp32-sequential block 0 is 448^2 * 2^111 -> +Inf and block 1 its
   * negation -> -Inf, and Inf + -Inf = NaN; the exact value is 0 (+0: nonzero addends). */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 2);
  set(&e, 0, 0, 0x7E, 0x7E);
  set(&e, 1, 0, 0x7E, 0xFE);
  e.sa[0] = e.sa[1] = 0xFE;
  e.sb[0] = e.sb[1] = 0x6F;
  expect_exact("overflowing blocks that cancel: exact +0", &e, 0x00000000u);
  mx_dot_model seq = preset("fp32-sequential");
  expect("overflowing blocks that cancel: fp32-sequential NaN", &e, &seq, MX_DOT_F32_NAN);
}

/* ---- the accumulation models ---------------------------------------------------------------- */

static void model_cases(void) {
  ex e;
  mx_dot_model exact = MX_DOT_MODEL_EXACT_RNE;
  mx_dot_model seq = preset("fp32-sequential");
  mx_dot_model hop = preset("nvidia-hopper-fp8");
  mx_dot_model bw8 = preset("nvidia-blackwell-mxf8f6f4");
  mx_dot_model bw4 = preset("nvidia-blackwell-mxf4");
  mx_dot_model amd = preset("amd-cdna3");

  /* fp32-sequential vs exact: blocks 2^24 (scales 0x7F + 151 -> 2^24), 1, 1.
   * exact: 2^24 + 2 is representable (ulp 2 at 2^24): 0x4B800001.
   * sequential: 2^24 + 1 is a tie -> 2^24 (even); + 1 again -> 2^24: 0x4B800000. */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 3);
  set(&e, 0, 0, 0x38, 0x38);
  set(&e, 1, 0, 0x38, 0x38);
  set(&e, 2, 0, 0x38, 0x38);
  e.sb[0] = 151;
  expect("2^24 + 1 + 1 exact", &e, &exact, 0x4B800001u);
  expect("2^24 + 1 + 1 fp32-sequential", &e, &seq, 0x4B800000u);

  /* where C enters: C = 2^24 then blocks 1, 1. first: (2^24 + 1) -> 2^24, + 1 -> 2^24;
   * last: 1 + 1 = 2, + 2^24 = 2^24 + 2 exactly */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 2);
  set(&e, 0, 0, 0x38, 0x38);
  set(&e, 1, 0, 0x38, 0x38);
  with_c(&e, 0x4B800000u);
  expect("C = 2^24 first, + 1 + 1: fp32-sequential", &e, &seq, 0x4B800000u);
  {
    mx_dot_model last = seq;
    last.c_at = MX_DOT_C_LAST;
    expect("C = 2^24 last, 1 + 1 first", &e, &last, 0x4B800001u);
  }

  /* Hopper FP8, 13 fraction bits: products 1 * 1 and 2^-7 * 2^-7 = 2^-14 in one block.
   * exact: 1 + 2^-14 = 0x3F800000 + 2^9 = 0x3F800200.
   * hopper: E = 0, grid 2^-13; 2^-14 truncates to 0 -> 1.0 */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  set(&e, 0, 0, 0x38, 0x38);
  set(&e, 0, 1, 0x04, 0x04);
  expect("1 + 2^-14 exact", &e, &exact, 0x3F800200u);
  expect("1 + 2^-14 hopper-fp8 (13 bits)", &e, &hop, 0x3F800000u);

  /* Blackwell mxf8f6f4, truncation: C = 1 plus 32 products of 2^-26 (1 * 1 * 2^(127+101-254)).
   * exact: 1 + 32 * 2^-26 = 1 + 2^-21 = 0x3F800000 + 4.
   * blackwell: E = 0, grid 2^-25; each 2^-26 truncates to 0 -> 1.0 */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  fill(&e, 0, 0, K, 0x38, 0x38);
  e.sb[0] = 101;
  with_c(&e, 0x3F800000u);
  expect("1 + 32 * 2^-26 exact", &e, &exact, 0x3F800004u);
  expect("1 + 32 * 2^-26 fp32-sequential", &e, &seq, 0x3F800004u);
  expect("1 + 32 * 2^-26 blackwell-mxf8f6f4 (25 bits)", &e, &bw8, 0x3F800000u);

  /* Blackwell, final RTZ: C = 1 and one product -2^-25 (1 * -1 * 2^(127+102-254)), on the
   * grid, so kept: 1 - 2^-25 -> RTZ 1 - 2^-24 = 0x3F7FFFFF. exact-rne: 1 - 2^-25 is halfway
   * between 0x3F7FFFFF (odd) and 1.0 (even) -> 1.0 */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  set(&e, 0, 0, 0x38, 0xB8);
  e.sb[0] = 102;
  with_c(&e, 0x3F800000u);
  expect("1 - 2^-25 exact", &e, &exact, 0x3F800000u);
  expect("1 - 2^-25 blackwell-mxf8f6f4 (rtz)", &e, &bw8, 0x3F7FFFFFu);

  /* Blackwell mxf4, presum 16: C = 2^40 (0x53800000); products 16 x (1.5 * -1.5) = -36.
   * Terms {2^40, -36 (one presummed group), 0}: E = 40, grid 2^5: -36 -> -32; 2^40 - 32
   * -> RTZ: 2^40 - 2^16 = 0x537FFFFF. With presum = 1 each -2.25 truncates to 0: 2^40.
   * exact-rne: 2^40 - 36 is nearer 2^40 than 2^40 - 2^16: 0x53800000 */
  e = make(MX_MXFP4_E2M1, MX_MXFP4_E2M1, 1);
  fill(&e, 0, 0, 16, 0x3, 0xB);
  with_c(&e, 0x53800000u);
  expect("2^40 - 16 x 2.25 exact", &e, &exact, 0x53800000u);
  expect("2^40 - 16 x 2.25 blackwell-mxf4 (groups of 16)", &e, &bw4, 0x537FFFFFu);
  {
    mx_dot_model single = bw4;
    single.presum = 1;
    expect("2^40 - 16 x 2.25 blackwell-mxf4 without presum", &e, &single, 0x53800000u);
  }

  /* AMD CDNA3, alignment toward -inf: C = 1, one product -2^-30 (1 * -1 * 2^(127+97-254)).
   * E = 0, grid 2^-24: floor(-2^-6) = -1 -> 1 - 2^-24 = 0x3F7FFFFF (exact-rne: 1.0).
   * Mirror C = -1, product +2^-30: floor(2^-6) = 0 -> -1.0: not the negation. */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  set(&e, 0, 0, 0x38, 0xB8);
  e.sb[0] = 97;
  with_c(&e, 0x3F800000u);
  expect("1 - 2^-30 exact", &e, &exact, 0x3F800000u);
  expect("1 - 2^-30 amd-cdna3 (floor)", &e, &amd, 0x3F7FFFFFu);
  set(&e, 0, 0, 0x38, 0x38);
  with_c(&e, 0xBF800000u);
  expect("-1 + 2^-30 amd-cdna3 (floor): asymmetric", &e, &amd, 0xBF800000u);
  {
    mx_dot_model t = amd;
    t.align = MX_DOT_ALIGN_TRUNC;
    with_c(&e, 0xBF800000u);
    expect("-1 + 2^-30 with trunc alignment", &e, &t, 0xBF800000u);
    set(&e, 0, 0, 0x38, 0xB8);
    with_c(&e, 0x3F800000u);
    expect("1 - 2^-30 with trunc alignment: symmetric", &e, &t, 0x3F800000u);
    t.align = MX_DOT_ALIGN_RNE;
    expect("1 - 2^-30 with rne alignment", &e, &t, 0x3F800000u);
  }

  /* scale_at = group rounds the unscaled block sum first. E5M2 products 1, 2^-22 (2^-11
   * squared), 2^-24 (2^-12 squared), 2^-30 (2^-15 squared): G = 1 + 2^-22 + 2^-24 + 2^-30;
   * scales 0x7F, 0x00: 2^-127.
   * exact: G * 2^-127 in units of 2^-149 is 2^22 + 1 + 1/4 + 2^-8 -> 2^22 + 1 = 0x00400001.
   * group: R(G) = 1 + 3 * 2^-23 (above the half); * 2^-127 = 2^22 + 1.5 units: a tie ->
   * even 2^22 + 2 = 0x00400002 (double rounding, by design). */
  e = make(MX_MXFP8_E5M2, MX_MXFP8_E5M2, 1);
  set(&e, 0, 0, 0x3C, 0x3C);
  set(&e, 0, 1, 0x10, 0x10);
  set(&e, 0, 2, 0x0C, 0x0C);
  set(&e, 0, 3, 0x02, 0x02);
  e.sb[0] = 0x00;
  expect("G * 2^-127 exact", &e, &exact, 0x00400001u);
  expect("G * 2^-127 fp32-sequential (scales on products)", &e, &seq, 0x00400001u);
  {
    mx_dot_model grp = seq;
    grp.scale_at = MX_DOT_SCALE_GROUP;
    expect("G * 2^-127 with scale_at = group", &e, &grp, 0x00400002u);
  }

  /* subnormal = flush: 2^-149 becomes +0; -2^-149 (E4M3 0x81 = -2^-9) becomes -0 */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  set(&e, 0, 0, 0x01, 0x01);
  e.sa[0] = 61;
  e.sb[0] = 62;
  {
    mx_dot_model fl = MX_DOT_MODEL_EXACT_RNE;
    fl.subnormal = MX_DOT_SUBN_FLUSH;
    expect("2^-149 flushed: +0", &e, &fl, 0x00000000u);
    set(&e, 0, 0, 0x81, 0x01);
    expect("-2^-149 flushed: -0", &e, &fl, 0x80000000u);
    expect("-2^-149 kept", &e, &exact, 0x80000001u);
  }

  /* group size, accum = f32-rtz: C = 1 and 30 products of 2^-25 (1 * 1 * 2^(127+102-254)),
   * elements 0 and 1 zero. group 1 (a step per product): every 1 + 2^-25 truncates back to
   * 1 -> 1.0. group 0 (one step): d = 30 * 2^-25 exactly, 1 + 30 * 2^-25 = 1 + 7.5 * 2^-23
   * -> rtz 1 + 7 * 2^-23 = 0x3F800007. Fused steps of one behave like separate ones here. */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  fill(&e, 0, 2, K, 0x38, 0x38);
  e.sb[0] = 102;
  with_c(&e, 0x3F800000u);
  {
    mx_dot_model g1 = seq;
    g1.accum = MX_DOT_ACCUM_F32_RTZ;
    g1.final_round = MX_DOT_RTZ;
    g1.group = 1;
    expect("C = 1 + 30 x 2^-25, one product per step, rtz", &e, &g1, 0x3F800000u);
    g1.group = 0;
    expect("C = 1 + 30 x 2^-25, one step, rtz", &e, &g1, 0x3F800007u);
    g1.acc = MX_DOT_ACC_FUSED;
    g1.group = 1;
    expect("C = 1 + 30 x 2^-25, fused steps of one, rtz", &e, &g1, 0x3F800000u);
  }

  /* assign = interleaved (the Blackwell model with group 16): the 16 even products are
   * 2^-26 each (E4M3 2^-5 = 0x10, squared 2^-10, times the scale 2^-16: sb = 111), the
   * product at 31 is 1 (256 * 256 = 2^16 = 0x78 squared, times 2^-16), the other odd ones 0.
   *   one step (group 0): E = 0, grid 2^-25, every 2^-26 truncates -> 1.0 = 0x3F800000.
   *   contiguous 16: step 0 (products 0..15) = 8 x 2^-26 = 2^-23 exactly (E = -26);
   *     step 1: {acc 2^-23, 8 x 2^-26, 1}: grid 2^-25, 2^-23 stays, the 2^-26 go
   *     -> 1 + 2^-23 = 0x3F800001.
   *   interleaved (S = 2): step 0 (the even products) = 16 x 2^-26 = 2^-22; step 1 (the
   *     odd ones): {acc 2^-22, 1} -> 1 + 2^-22 = 0x3F800002, which is also the exact value. */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  for (size_t i = 0; i < K; i += 2) set(&e, 0, i, 0x10, 0x10);
  set(&e, 0, 31, 0x78, 0x78);
  e.sb[0] = 111;
  expect("1 + 16 x 2^-26 exact", &e, &exact, 0x3F800002u);
  expect("1 + 16 x 2^-26 blackwell-mxf8f6f4 (one step)", &e, &bw8, 0x3F800000u);
  {
    mx_dot_model il = bw8;
    il.group = 16;
    expect("1 + 16 x 2^-26 blackwell, contiguous steps of 16", &e, &il, 0x3F800001u);
    il.assign = MX_DOT_ASSIGN_INTERLEAVED;
    expect("1 + 16 x 2^-26 blackwell, interleaved steps (evens, odds)", &e, &il, 0x3F800002u);
    il.group = 31; /* S = ceil(32 / 31) = 2: the same two interleaved steps */
    expect("1 + 16 x 2^-26 blackwell, interleaved, group 31 = 16", &e, &il, 0x3F800002u);
  }

  /* step_frac (R_step), the Hopper model: products 1, 1, 1 (0x38 squared), 2^-12 (2^-6 =
   * 0x08 squared), 2^-13 (0x08 x 2^-7 = 0x04). E = 0, grid 2^-13: nothing is cut, the step
   * sum is 3 + 3 * 2^-13 (leading bit 2^1, so 14 fraction bits).
   *   plain FP32 step: 3 = 1.5 * 2^1, ulp 2^-22: 0x40400000 + 3 * 2^-13 / 2^-22 = 0x40400600.
   *   step_frac 13, rtz (MMA-Sim's e8m13): grid 2^-12 -> 3 + 2^-12 = 0x40400000 + 2^10 = 0x40400400.
   *   step_frac 13, rne: 3 + 2^-12 + half a unit, a tie; 3 + 2^-12 is an odd multiple of
   *     2^-12, so up: 3 + 2^-11 = 0x40400000 + 2^11 = 0x40400800.
   * The FP32 additions after it (scales 1, acc -0) round nothing. */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  fill(&e, 0, 0, 3, 0x38, 0x38);
  set(&e, 0, 3, 0x08, 0x08);
  set(&e, 0, 4, 0x08, 0x04);
  expect("3 + 3 x 2^-13 exact", &e, &exact, 0x40400600u);
  expect("3 + 3 x 2^-13 hopper-fp8 (e8m13 step output, rtz)", &e, &hop, 0x40400400u);
  {
    mx_dot_model e813 = hop;
    e813.step_round = MX_DOT_RNE;
    expect("3 + 3 x 2^-13 hopper, 13-bit step output rounded to nearest even", &e, &e813, 0x40400800u);
    e813.step_frac = MX_DOT_STEP_FRAC_F32;
    expect("3 + 3 x 2^-13 hopper with a plain FP32 step output", &e, &e813, 0x40400600u);
    e813.step_frac = 0; /* the zero-initialised field: plain FP32 */
    expect("3 + 3 x 2^-13 hopper, step_frac 0 = FP32", &e, &e813, 0x40400600u);
  }

  /* R_step below 2^-126: its grid is 2^(-126 - step_frac), coarser than FP32's 2^-149.
   * Products 1 and 2^-14 (0x04 squared), scales 2^-127 * 2^-3: 2^-130 + 2^-144.
   *   FP32: 2^-130 = 2^19 units of 2^-149 (0x00080000), + 2^5 units: 0x00080020.
   *   step_frac 13, rtz, scales on the products: grid 2^-139 -> 0x00080000. */
  e = make(MX_MXFP8_E4M3, MX_MXFP8_E4M3, 1);
  set(&e, 0, 0, 0x38, 0x38);
  set(&e, 0, 1, 0x04, 0x04);
  e.sa[0] = 0x00;
  e.sb[0] = 124;
  expect("2^-130 + 2^-144 fp32-sequential", &e, &seq, 0x00080020u);
  {
    mx_dot_model e813 = seq;
    e813.step_frac = 13;
    e813.step_round = MX_DOT_RTZ;
    expect("2^-130 + 2^-144, 13-bit step output: subnormal grid 2^-139", &e, &e813, 0x00080000u);
  }
}

/* ---- the API: argument checks, presets, empty sums ----------------------------------------- */

static void api_cases(void) {
  uint8_t sc[2] = {0x7F, 0x7F}, codes[2 * K];
  memset(codes, 0x38, sizeof codes);
  mx_dot_vec a = {MX_MXFP8_E4M3, sc, codes}, b = a, bad = a;
  mx_dot_model m = MX_DOT_MODEL_EXACT_RNE;
  uint32_t r = 0, c = 0;

  /* bad arguments: both implementations say MX_DOT_EINVAL */
  CHECK(mxref_dot_general(&a, &b, 1, 0, NULL, NULL, &r) == MX_DOT_EINVAL, "k = 0");
  CHECK(mxo_dot_general(&a, &b, 1, 0, NULL, NULL, &r) == MX_DOT_EINVAL, "oracle k = 0");
  CHECK(mxref_dot_general(&a, &b, 1, MX_BLOCK_MAX + 1, NULL, NULL, &r) == MX_DOT_EINVAL, "k too large");
  bad.fmt = MX_BLOCK_FMT_COUNT;
  CHECK(mxref_dot_general(&bad, &b, 1, K, NULL, NULL, &r) == MX_DOT_EINVAL, "bad format");
  CHECK(mxo_dot_general(&bad, &b, 1, K, NULL, NULL, &r) == MX_DOT_EINVAL, "oracle bad format");
  bad = a;
  bad.codes = NULL;
  CHECK(mxref_dot_general(&bad, &b, 1, K, NULL, NULL, &r) == MX_DOT_EINVAL, "NULL codes");
  CHECK(mxref_dot_general(&a, &b, 1, K, NULL, NULL, NULL) == MX_DOT_EINVAL, "NULL out");
  m.acc = MX_DOT_ACC_FUSED;
  m.scale_at = MX_DOT_SCALE_GROUP;
  CHECK(mx_dot_model_check(&m) != NULL, "fused with group scaling is rejected");
  CHECK(mxref_dot_general(&a, &b, 1, K, NULL, &m, &r) == MX_DOT_EINVAL, "ref: fused + group");
  CHECK(mxo_dot_general(&a, &b, 1, K, NULL, &m, &r) == MX_DOT_EINVAL, "oracle: fused + group");
  m = (mx_dot_model)MX_DOT_MODEL_EXACT_RNE;
  m.frac_bits = MX_DOT_FRAC_MAX + 1;
  CHECK(mx_dot_model_check(&m) != NULL, "frac_bits beyond the maximum is rejected");
  m.frac_bits = -2;
  CHECK(mx_dot_model_check(&m) != NULL, "frac_bits -2 is rejected");
  m = (mx_dot_model)MX_DOT_MODEL_EXACT_RNE;
  m.align = MX_DOT_ALIGN_COUNT;
  CHECK(mxo_dot_general(&a, &b, 1, K, NULL, &m, &r) == MX_DOT_EINVAL, "oracle: bad align");
  /* the step parameters: assign and step_round in range, step_frac 0 .. 23, and a narrowed
   * step output only with an FP32 accumulator */
  m = mx_dot_preset_find("fp32-sequential")->model;
  m.assign = MX_DOT_ASSIGN_COUNT;
  CHECK(mx_dot_model_check(&m) != NULL && mxo_dot_general(&a, &b, 1, K, NULL, &m, &r) == MX_DOT_EINVAL &&
            mxref_dot_general(&a, &b, 1, K, NULL, &m, &r) == MX_DOT_EINVAL,
        "bad assign is rejected");
  m.assign = MX_DOT_ASSIGN_INTERLEAVED;
  m.step_round = MX_DOT_ROUND_COUNT;
  CHECK(mx_dot_model_check(&m) != NULL && mxo_dot_general(&a, &b, 1, K, NULL, &m, &r) == MX_DOT_EINVAL,
        "bad step_round is rejected");
  m.step_round = MX_DOT_RTZ;
  m.step_frac = 24;
  CHECK(mx_dot_model_check(&m) != NULL && mxo_dot_general(&a, &b, 1, K, NULL, &m, &r) == MX_DOT_EINVAL,
        "step_frac 24 is rejected");
  m.step_frac = -1;
  CHECK(mx_dot_model_check(&m) != NULL, "step_frac -1 is rejected");
  m.step_frac = 1;
  CHECK(mx_dot_model_check(&m) == NULL, "step_frac 1 is valid");
  m.accum = MX_DOT_ACCUM_EXACT;
  CHECK(mx_dot_model_check(&m) != NULL && mxo_dot_general(&a, &b, 1, K, NULL, &m, &r) == MX_DOT_EINVAL &&
            mxref_dot_general(&a, &b, 1, K, NULL, &m, &r) == MX_DOT_EINVAL,
        "a narrowed step output with an exact accumulator is rejected");
  m.step_frac = 0;
  CHECK(mx_dot_model_check(&m) == NULL, "step_frac 0 (plain FP32) with an exact accumulator is valid");

  /* libmxref declines finite frac_bits with an exact accumulator; the oracle does not */
  m = (mx_dot_model)MX_DOT_MODEL_EXACT_RNE;
  m.frac_bits = 13;
  r = 0x12345678u;
  CHECK(mxref_dot_general(&a, &b, 1, K, NULL, &m, &r) == MX_DOT_EUNSUPPORTED && r == 0x12345678u,
        "ref: finite frac_bits + exact accum is unsupported and leaves *out alone");
  CHECK(mxo_dot_general(&a, &b, 1, K, NULL, &m, &r) == MX_DOT_OK && r == 0x42000000u,
        "oracle: 32 ones with 13 fraction bits are still 32 (0x%08x)", r);

  /* n = 0: the result is R_fin(C), or -0 without C */
  CHECK(mxref_dot_general(&a, &b, 0, K, NULL, NULL, &r) == MX_DOT_OK && r == 0x80000000u, "n = 0: -0 (0x%08x)", r);
  CHECK(mxo_dot_general(&a, &b, 0, K, NULL, NULL, &r) == MX_DOT_OK && r == 0x80000000u, "oracle n = 0: -0");
  c = 0x00000005u; /* a subnormal C */
  CHECK(mxref_dot_general(&a, &b, 0, K, &c, NULL, &r) == MX_DOT_OK && r == c, "n = 0: C");
  m = (mx_dot_model)MX_DOT_MODEL_EXACT_RNE;
  m.subnormal = MX_DOT_SUBN_FLUSH;
  CHECK(mxref_dot_general(&a, &b, 0, K, &c, &m, &r) == MX_DOT_OK && r == 0, "n = 0: subnormal C flushed");
  CHECK(mxo_dot_general(&a, &b, 0, K, &c, &m, &r) == MX_DOT_OK && r == 0, "oracle n = 0: subnormal C flushed");
  m = mx_dot_preset_find("fp32-sequential")->model;
  m.subnormal = MX_DOT_SUBN_FLUSH;
  CHECK(mxref_dot_general(&a, &b, 0, K, &c, &m, &r) == MX_DOT_OK && r == 0, "n = 0 sequential: C flushed");

  /* high bits of an FP4 code are ignored: 0xF2 reads as 0x2 = 1.0; 32 x 1 = 32 */
  uint8_t fp4[K];
  memset(fp4, 0xF2, sizeof fp4);
  CHECK(mxref_dot(MX_MXFP4_E2M1, 0x7F, fp4, MX_MXFP4_E2M1, 0x7F, fp4, K) == 0x42000000u, "FP4 high bits ignored");

  /* presets: six, distinct names, valid models, found by name; the default is exact-rne */
  int count = 0;
  for (const mx_dot_preset *p = mx_dot_presets; p->name; p++, count++) {
    CHECK(mx_dot_model_check(&p->model) == NULL, "preset %s is a valid model", p->name);
    CHECK(mx_dot_preset_find(p->name) == p, "preset %s found by name", p->name);
    CHECK(p->summary && p->source && p->summary[0] && p->source[0], "preset %s documented", p->name);
  }
  CHECK(count == 6, "six presets, found %d", count);
  CHECK(mx_dot_preset_find("no-such-model") == NULL && mx_dot_preset_find(NULL) == NULL, "unknown preset");
  mx_dot_model_default(&m);
  CHECK(!memcmp(&m, &mx_dot_preset_find("exact-rne")->model, sizeof m), "default is exact-rne");
  CHECK(!strcmp(mx_dot_accum_names[MX_DOT_ACCUM_F32_RTZ], "f32-rtz") && !mx_dot_accum_names[MX_DOT_ACCUM_COUNT],
        "accum names");
  CHECK(!strcmp(mx_dot_assign_names[MX_DOT_ASSIGN_INTERLEAVED], "interleaved") &&
            !mx_dot_assign_names[MX_DOT_ASSIGN_COUNT],
        "assign names");
  for (const mx_dot_preset *p = mx_dot_presets; p->name; p++)
    CHECK(p->model.assign == MX_DOT_ASSIGN_CONTIGUOUS &&
              (p->model.step_frac == MX_DOT_STEP_FRAC_F32) == !!strcmp(p->name, "nvidia-hopper-fp8"),
          "preset %s: contiguous steps; plain FP32 step outputs except Hopper's e8m13", p->name);
}

int main(int argc, char **argv) {
  const char *what = argc > 1 ? argv[1] : "all";
  int all = !strcmp(what, "all");
  if (all || !strcmp(what, "exact")) exact_cases();
  if (all || !strcmp(what, "specials")) special_cases();
  if (all || !strcmp(what, "models")) model_cases();
  if (all || !strcmp(what, "api")) api_cases();
  return CHECK_DONE();
}
