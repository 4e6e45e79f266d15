/* NVFP4 (include/mxconform/nvfp4.h, spec_notes/nvfp4.md).
 *
 * 1. Worked examples, hand-checked: every expected code below is derived in
 *    spec_notes/nvfp4.md §5 from the formulas of the NVIDIA sources, not from either
 *    implementation; both the reference and the oracle must produce it.
 * 2. reference == oracle on random tensors, for every combination of the quantize knobs and
 *    of the dequantize knobs (seeded; the seed is printed); a quarter of them 8-23 blocks
 *    long, so that libmxref's eight-block kernels (reference/avx2_nvfp4.c) and the tail after
 *    them both run, and each tensor also dequantized whole (mxref_nvfp4_dequantize_tensor). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mxconform/dot.h"
#include "mxconform/nvfp4.h"
#include "oracle_nvfp4.h"

static uint32_t f32_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}

typedef int (*quantize_fn)(const uint32_t *, size_t, const uint32_t *, const mx_nvfp4_opts *, mx_nvfp4_tensor *);

/* Quantize with both implementations and compare with the hand-derived result. */
static void expect_quantize(const char *what, const float *x, size_t n, const mx_nvfp4_opts *o, uint32_t want_st,
                            const uint8_t *want_scales, const uint8_t *want_codes) {
  static const quantize_fn impl[2] = {mxref_nvfp4_quantize, mxo_nvfp4_quantize};
  static const char *const name[2] = {"reference", "oracle"};
  uint32_t in[64];
  uint8_t sc[4], co[64];
  for (size_t i = 0; i < n; i++) in[i] = f32_bits(x[i]);
  for (int k = 0; k < 2; k++) {
    mx_nvfp4_tensor t = {0, 0, sc, co};
    CHECK(impl[k](in, n, NULL, o, &t) == 0, "%s: %s refused", what, name[k]);
    CHECK(t.tensor_scale == want_st, "%s: %s tensor scale 0x%08x, want 0x%08x", what, name[k], t.tensor_scale, want_st);
    for (size_t b = 0; b < n / 16; b++)
      CHECK(sc[b] == want_scales[b], "%s: %s block %zu scale 0x%02x, want 0x%02x", what, name[k], b, sc[b],
            want_scales[b]);
    for (size_t i = 0; i < n; i++)
      CHECK(co[i] == want_codes[i], "%s: %s element %zu (%g) code 0x%x, want 0x%x", what, name[k], i, (double)x[i],
            co[i], want_codes[i]);
  }
}

static const mx_nvfp4_opts k_exact = MX_NVFP4_OPTS_DEFAULT, k_te = MX_NVFP4_OPTS_TE;

/* §5.1: amax 6. S_enc = 2688/6 = 448 exactly; s_t = RN(6/2688) = RN(1/448) = 0x3B124925, just
 * above 1/448, so 448 * s_t = 1 + d with 0 < d < 2^-24. Block scale 448 (0x7E) both ways. Exact
 * division by 1 + d pushes every tie (5, 2.5, 0.75, 0.25) below its midpoint: down. TE's
 * reciprocal is RN(1 / RN(1 + d)) = 1, so its ties stay ties and go to the even code:
 * 0.75 -> 1.0 (code 2) where exact gives 0.5 (code 1). */
static void worked_amax_6(void) {
  static const float x[16] = {6, 5, 3, 2.5f, 1.5f, 1, 0.75f, 0.5f, 0.25f, 0.0f, -0.0f, -1, -2, -4, -5, -6};
  static const uint8_t s[1] = {0x7E};
  static const uint8_t exact[16] = {0x7, 0x6, 0x5, 0x4, 0x3, 0x2, 0x1, 0x1, 0x0, 0x0, 0x8, 0xA, 0xC, 0xE, 0xE, 0xF};
  static const uint8_t te[16] = {0x7, 0x6, 0x5, 0x4, 0x3, 0x2, 0x2, 0x1, 0x0, 0x0, 0x8, 0xA, 0xC, 0xE, 0xE, 0xF};
  expect_quantize("amax 6, exact", x, 16, &k_exact, 0x3B124925u, s, exact);
  expect_quantize("amax 6, te", x, 16, &k_te, 0x3B124925u, s, te);
}

/* §5.2: a second block with amax_b 0.01: s_b = RN8(0.01 * 448 / 6 * (1 - ~d)) = RN8(0.7467) =
 * 0.75 (0x34; the E4M3 neighbours are 0.6875 and 0.75, midpoint 0.71875). Its elements
 * divided by 0.75 * s_t ~ 0.75/448: 0.01 -> 5.97 -> 6, -0.005 -> -2.99 -> -3,
 * 0.0025 -> 1.49 -> 1.5, 0.001 -> 0.597 -> 0.5. A third block of 1e-9: s_b = RN8(7.5e-8) = 0
 * (below half of E4M3's 2^-9), and a nonzero element over a zero scale saturates to 6. */
static void worked_small_blocks(void) {
  float x[48] = {6, 5, 3, 2.5f, 1.5f, 1, 0.75f, 0.5f, 0.25f, 0.0f, -0.0f, -1, -2, -4, -5, -6,
                 0.01f, -0.005f, 0.0025f, 0.001f};
  x[32] = 1e-9f;
  x[33] = -1e-9f;
  static const uint8_t s[3] = {0x7E, 0x34, 0x00};
  uint8_t exact[48] = {0x7, 0x6, 0x5, 0x4, 0x3, 0x2, 0x1, 0x1, 0x0, 0x0, 0x8, 0xA, 0xC, 0xE, 0xE, 0xF,
                       0x7, 0xD, 0x3, 0x1};
  exact[32] = 0x7;
  exact[33] = 0xF;
  uint8_t te[48];
  memcpy(te, exact, sizeof te);
  te[6] = 0x2;
  expect_quantize("three blocks, exact", x, 48, &k_exact, 0x3B124925u, s, exact);
  expect_quantize("three blocks, te", x, 48, &k_te, 0x3B124925u, s, te);
}

/* §5.3: an all-zero tensor: amax 0 -> s_t = 1 (both sources), scale 0, signed zero codes. */
static void worked_zero_tensor(void) {
  float x[16] = {0};
  x[3] = -0.0f;
  static const uint8_t s[1] = {0x00};
  uint8_t c[16] = {0};
  c[3] = 0x8;
  expect_quantize("zeros, exact", x, 16, &k_exact, 0x3F800000u, s, c);
  expect_quantize("zeros, te", x, 16, &k_te, 0x3F800000u, s, c);
}

/* §5.4: dequantize. Scale 0x7E (448) with s_t = 1/1024 (0x3A800000): 6 -> 2.625, -0.5 ->
 * -0.21875, both exact. A scale code with the sign bit (0xFE): cuBLAS reads UE4M3 and ignores
 * the sign (knob ignore: 448); signed reads -448. */
static void worked_dequantize(void) {
  uint8_t codes[16] = {0};
  codes[0] = 0x7;
  codes[1] = 0x9;
  codes[2] = 0x8;
  mx_nvfp4_opts sig = k_exact;
  sig.scale_sign = MX_NVFP4_SIGN_SIGNED;
  uint32_t r[16], o[16];
  for (int k = 0; k < 2; k++) {
    mxref_nvfp4_dequantize(0x3A800000u, k ? 0xFE : 0x7E, codes, &k_exact, r);
    mxo_nvfp4_dequantize(0x3A800000u, k ? 0xFE : 0x7E, codes, &k_exact, o);
    CHECK(r[0] == f32_bits(2.625f) && o[0] == r[0], "6 * 448 / 1024: reference 0x%08x oracle 0x%08x", r[0], o[0]);
    CHECK(r[1] == f32_bits(-0.21875f) && o[1] == r[1], "-0.5 * 448 / 1024: 0x%08x / 0x%08x", r[1], o[1]);
    CHECK(r[2] == 0x80000000u && o[2] == r[2], "-0 stays -0: 0x%08x / 0x%08x", r[2], o[2]);
  }
  /* §5.4 second part: the block of §5.1 (s_t = 0x3B124925, scale 448). 448 * s_t = 1 + 3 * 2^-26,
   * so exact gives 6 * (1 + 3 * 2^-26) = 6 + 0.5625 ulp(6) -> 0x40C00001, and 1.5 -> 0x3FC00001;
   * scale-first rounds the factor 448 * s_t to 1 first: exactly 6 and 1.5. */
  uint8_t w1[16] = {0x7, 0x3};
  mx_nvfp4_opts sf = k_exact;
  sf.dequant = MX_NVFP4_DEQ_SCALE_FIRST;
  mxref_nvfp4_dequantize(0x3B124925u, 0x7E, w1, &k_exact, r);
  mxo_nvfp4_dequantize(0x3B124925u, 0x7E, w1, &k_exact, o);
  CHECK(r[0] == 0x40C00001u && o[0] == r[0] && r[1] == 0x3FC00001u && o[1] == r[1],
        "exact dequant of 6, 1.5: 0x%08x 0x%08x / 0x%08x 0x%08x", r[0], r[1], o[0], o[1]);
  mxref_nvfp4_dequantize(0x3B124925u, 0x7E, w1, &sf, r);
  mxo_nvfp4_dequantize(0x3B124925u, 0x7E, w1, &sf, o);
  CHECK(r[0] == 0x40C00000u && o[0] == r[0] && r[1] == 0x3FC00000u && o[1] == r[1],
        "scale-first dequant of 6, 1.5: 0x%08x 0x%08x / 0x%08x 0x%08x", r[0], r[1], o[0], o[1]);
  mxref_nvfp4_dequantize(0x3A800000u, 0xFE, codes, &sig, r);
  mxo_nvfp4_dequantize(0x3A800000u, 0xFE, codes, &sig, o);
  CHECK(r[0] == f32_bits(-2.625f) && o[0] == r[0], "signed scale 0xFE: 6 -> -2.625: 0x%08x / 0x%08x", r[0], o[0]);
}

/* ---- reference == oracle on random tensors --------------------------------------------- */

static uint64_t g_rng;
static uint64_t next(void) {
  uint64_t z = (g_rng += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* One value of mixture m: random bits in a window of binades, small integers times a power of
 * two (ties), subnormals, zeros. Blocks get their own magnitude so that scales differ. */
static uint32_t random_value(int m, int block_exp) {
  uint64_t r = next();
  uint32_t sign = (uint32_t)(r & 1) << 31;
  switch (m) {
  case 0: return sign | ((uint32_t)(127 + block_exp - (int)((r >> 1) % 12)) << 23) | (uint32_t)((r >> 8) & 0x7FFFFF);
  case 1: return sign | f32_bits(ldexpf((float)((r >> 1) % 13), block_exp - 3));
  case 2: return sign | (uint32_t)((r >> 1) & 0x7FFFFF); /* subnormal or zero */
  default: return (r >> 1) % 4 ? f32_bits(ldexpf((float)((r >> 3) % 97) / 8, block_exp)) : sign;
  }
}

static int same(uint32_t a, uint32_t b) {
  int an = (a & 0x7F800000u) == 0x7F800000u && (a & 0x7FFFFFu), bn = (b & 0x7F800000u) == 0x7F800000u && (b & 0x7FFFFFu);
  return an || bn ? an && bn : a == b;
}

enum { MAXB = 24 }; /* blocks per random tensor, at most */

static void random_equality(uint64_t seed, int tensors) {
  g_rng = seed;
  printf("random tensors: seed %llu, %d tensors per knob combination\n", (unsigned long long)seed, tensors);
  int diffs = 0;
  for (int combo = 0; combo < 8; combo++) {
    mx_nvfp4_opts o = k_exact;
    o.tensor_scale = (mx_nvfp4_tensor_scale)(combo & 1);
    o.block_scale = (mx_nvfp4_block_scale)((combo >> 1) & 1);
    o.elem_scale = (mx_nvfp4_elem_scale)((combo >> 2) & 1);
    for (int t = 0; t < tensors; t++) {
      uint32_t in[MAXB * 16];
      uint8_t rs[MAXB], rc[MAXB * 16], os[MAXB], oc[MAXB * 16];
      size_t r16 = next() % 16, n = 16 * (r16 < 12 ? 1 + r16 % 4 : 8 + (r16 - 12) * 4 + next() % 4);
      int m = (int)(next() % 4), base = (int)(next() % 260) - 140;
      for (size_t b = 0; b < n / 16; b++) {
        int be = base + (int)(next() % 40) - 20;
        if (be > 120) be = 120;
        for (int i = 0; i < 16; i++) in[b * 16 + i] = random_value(m, be);
      }
      uint32_t amax = f32_bits(ldexpf(1.0f + (float)(next() % 64) / 8, base));
      const uint32_t *amax_p = next() % 5 == 0 ? &amax : NULL; /* sometimes a calibrated amax */
      mx_nvfp4_tensor r = {0, 0, rs, rc}, q = {0, 0, os, oc};
      int rr = mxref_nvfp4_quantize(in, n, amax_p, &o, &r), orc = mxo_nvfp4_quantize(in, n, amax_p, &o, &q);
      int ok = rr == orc && (rr != 0 || (r.tensor_scale == q.tensor_scale && r.s_enc == q.s_enc &&
                                         !memcmp(rs, os, n / 16) && !memcmp(rc, oc, n)));
      if (!ok && diffs++ < 5)
        printf("  DIFF combo %d tensor %d (n %zu, mixture %d): st 0x%08x/0x%08x\n", combo, t, n, m, r.tensor_scale,
               q.tensor_scale);
      for (size_t b = 0; rr == 0 && b < n / 16; b++) /* dequantize every block, every dequant knob */
        for (int dq = 0; dq < 4; dq++) {
          mx_nvfp4_opts d = o;
          d.dequant = (mx_nvfp4_dequant)(dq & 1);
          d.scale_sign = (mx_nvfp4_scale_sign)(dq >> 1);
          uint8_t sc = (uint8_t)(rs[b] | (next() % 7 == 0 ? 0x80 : 0)); /* sometimes a sign bit */
          uint32_t a[16], e[16];
          mxref_nvfp4_dequantize(r.tensor_scale, sc, rc + b * 16, &d, a);
          mxo_nvfp4_dequantize(r.tensor_scale, sc, rc + b * 16, &d, e);
          for (int i = 0; i < 16; i++)
            if (!same(a[i], e[i]) && diffs++ < 5)
              printf("  DIFF dequant scale 0x%02x code 0x%x st 0x%08x: 0x%08x / 0x%08x\n", sc, rc[b * 16 + i],
                     r.tensor_scale, a[i], e[i]);
        }
      for (int dq = 0; rr == 0 && dq < 4; dq++) { /* the whole tensor in one call */
        mx_nvfp4_opts d = o;
        d.dequant = (mx_nvfp4_dequant)(dq & 1);
        d.scale_sign = (mx_nvfp4_scale_sign)(dq >> 1);
        uint8_t ss[MAXB];
        uint32_t a[MAXB * 16], e[16];
        for (size_t b = 0; b < n / 16; b++) ss[b] = (uint8_t)(rs[b] | (next() % 7 == 0 ? 0x80 : 0));
        mx_nvfp4_tensor w = {r.tensor_scale, 0, ss, rc};
        CHECK(mxref_nvfp4_dequantize_tensor(&w, n, &d, a) == 0, "dequantize_tensor refused n %zu", n);
        for (size_t b = 0; b < n / 16; b++) {
          mxo_nvfp4_dequantize(r.tensor_scale, ss[b], rc + b * 16, &d, e);
          for (int i = 0; i < 16; i++)
            if (!same(a[b * 16 + i], e[i]) && diffs++ < 5)
              printf("  DIFF dequantize_tensor block %zu scale 0x%02x code 0x%x st 0x%08x: 0x%08x / 0x%08x\n", b, ss[b],
                     rc[b * 16 + i], r.tensor_scale, a[b * 16 + i], e[i]);
        }
      }
    }
  }
  CHECK(diffs == 0, "%d differences between reference and oracle", diffs);
}

/* ---- dot (§7) ------------------------------------------------------------------------------ */

static void expect_dot(const char *what, size_t nb, uint32_t sta, const uint8_t *sa, const uint8_t *ca, uint32_t stb,
                       const uint8_t *sb, const uint8_t *cb, const mx_nvfp4_opts *o, uint32_t want) {
  uint32_t r = 1, q = 2;
  CHECK(mxref_nvfp4_dot(nb, sta, sa, ca, stb, sb, cb, o, &r) == 0 && mxo_nvfp4_dot(nb, sta, sa, ca, stb, sb, cb, o, &q) == 0,
        "%s: refused", what);
  CHECK(r == want && q == want, "%s: reference 0x%08x, oracle 0x%08x, want 0x%08x", what, r, q, want);
}

/* §7 worked: 6 * 6 * 448 * 448 * 2^-10 * 2^-10 = 7225344 / 2^20 = 6.890625 exactly. Then a tie:
 * block 1 gives 1 * 1 * 16 * 16 * 2^-4 * 2^-4 = 1, block 2 1 * 1 * 2^-8 * 2^-8 * 2^-8 = 2^-24, half
 * an ulp of 1: ties to even -> 1.0; one more product 0.5 * 0.5 in block 2 adds 2^-26 -> rounds
 * up to 1 + 2^-23. All -0 products -> -0; one +0 among them -> +0. A NaN scale -> NaN. */
static void worked_dot(void) {
  uint8_t a[32] = {0}, b[32] = {0}, s1[2] = {0x7E, 0x7E};
  a[0] = b[0] = 0x7;
  expect_dot("6*6*448*448/2^20", 1, 0x3A800000u, s1, a, 0x3A800000u, s1, b, &k_exact, f32_bits(6.890625f));
  uint8_t sc[2] = {0x58, 0x02};
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  a[0] = b[0] = 0x2;   /* 1 */
  a[16] = b[16] = 0x2; /* 1 */
  expect_dot("1 + 2^-24 ties to even", 2, 0x3D800000u, sc, a, 0x3D800000u, sc, b, &k_exact, 0x3F800000u);
  a[17] = b[17] = 0x1; /* 0.5 */
  expect_dot("1 + 2^-24 + 2^-26 rounds up", 2, 0x3D800000u, sc, a, 0x3D800000u, sc, b, &k_exact, 0x3F800001u);
  memset(a, 0x8, 16);
  memset(b, 0x0, 16);
  expect_dot("every product -0", 1, 0x3F800000u, s1, a, 0x3F800000u, s1, b, &k_exact, 0x80000000u);
  b[5] = 0x8;
  expect_dot("one +0 product", 1, 0x3F800000u, s1, a, 0x3F800000u, s1, b, &k_exact, 0x00000000u);
  uint8_t nan_scale[1] = {0xFF};
  expect_dot("NaN block scale (sign ignored: 0x7F)", 1, 0x3F800000u, nan_scale, a, 0x3F800000u, s1, b, &k_exact,
             0x7FC00000u);
}

static void random_dot(uint64_t seed, int cases) {
  g_rng = seed ^ 0xD07u;
  int diffs = 0;
  for (int c = 0; c < cases; c++) {
    uint8_t sa[8], sb[8], ca[128], cb[128];
    size_t nb = 1 + next() % 8;
    for (size_t j = 0; j < nb; j++) {
      uint64_t r = next();
      sa[j] = (uint8_t)(r % 127) | (uint8_t)(r % 9 == 0 ? 0x80 : 0); /* NaN only by the sign knob */
      sb[j] = (uint8_t)((r >> 8) % 127) | (uint8_t)((r >> 16) % 9 == 0 ? 0x80 : 0);
    }
    for (size_t i = 0; i < nb * 16; i++) {
      uint64_t r = next();
      ca[i] = (uint8_t)(r & 0xF);
      cb[i] = (uint8_t)((r >> 4) & 0xF);
      if ((r >> 8) % 3 == 0) ca[i] &= 0x8; /* zeros of both signs */
    }
    uint32_t sta = (uint32_t)next() & 0xFF7FFFFFu, stb = (uint32_t)next() & 0xFF7FFFFFu; /* finite */
    if (c % 4 == 0) sta = (sta & 0x807FFFFFu) | 0x3A000000u; /* typical magnitudes */
    mx_nvfp4_opts o = k_exact;
    o.scale_sign = (mx_nvfp4_scale_sign)(c & 1);
    uint32_t r = 0, q = 0;
    int rr = mxref_nvfp4_dot(nb, sta, sa, ca, stb, sb, cb, &o, &r), qq = mxo_nvfp4_dot(nb, sta, sa, ca, stb, sb, cb, &o, &q);
    if ((rr != qq || !same(r, q)) && diffs++ < 5)
      printf("  DIFF dot case %d (%zu blocks, st 0x%08x 0x%08x): reference 0x%08x, oracle 0x%08x\n", c, nb, sta, stb, r, q);
  }
  CHECK(diffs == 0, "%d dot differences between reference and oracle", diffs);
}

/* ---- dot under an accumulation model (§7) --------------------------------------------------- */

/* A random valid model: every parameter of dot.h, values that matter for blocks of 16. */
static mx_dot_model random_model(void) {
  mx_dot_model m = MX_DOT_MODEL_EXACT_RNE;
  static const unsigned groups[] = {0, 1, 2, 3, 4, 5, 8, 16};
  static const int fracs[] = {MX_DOT_FRAC_EXACT, 0, 3, 8, 13, 24, 25, 35, 60};
  uint64_t r = next();
  m.group = groups[r % 8];
  m.presum = (unsigned)((r >> 3) % 3 == 0 ? (r >> 5) % 17 : 0);
  m.frac_bits = fracs[(r >> 10) % 9];
  m.align = (mx_dot_align)((r >> 14) % 3);
  m.scale_at = (mx_dot_scale_at)((r >> 16) % 2);
  m.acc = m.scale_at == MX_DOT_SCALE_PRODUCT ? (mx_dot_acc)((r >> 17) % 2) : MX_DOT_ACC_SEPARATE;
  m.c_at = (mx_dot_c_at)((r >> 18) % 2);
  m.final_round = (mx_dot_round)((r >> 19) % 2);
  m.accum = (mx_dot_accum)((r >> 20) % 3);
  m.subnormal = (mx_dot_subnormal)((r >> 22) % 4 == 0);
  m.assign = (mx_dot_assign)((r >> 24) % 2);
  if (m.accum != MX_DOT_ACCUM_EXACT && (r >> 25) % 3 == 0) {
    m.step_frac = 1 + (int)((r >> 27) % 23);
    m.step_round = (mx_dot_round)((r >> 32) % 2);
  }
  return m;
}

/* Random NVFP4 operands: scale codes of every kind (NaN only through the sign knob), zeros of
 * both signs, tensor scales finite and often typical, sometimes tiny (subnormal results) or
 * huge (overflow). */
static void random_operands(int c, size_t nb, uint8_t *sa, uint8_t *sb, uint8_t *ca, uint8_t *cb, uint32_t *sta,
                            uint32_t *stb) {
  for (size_t j = 0; j < nb; j++) {
    uint64_t r = next();
    sa[j] = (uint8_t)(r % 127) | (uint8_t)(r % 9 == 0 ? 0x80 : 0);
    sb[j] = (uint8_t)((r >> 8) % 127) | (uint8_t)((r >> 16) % 9 == 0 ? 0x80 : 0);
  }
  for (size_t i = 0; i < nb * 16; i++) {
    uint64_t r = next();
    ca[i] = (uint8_t)(r & 0xF);
    cb[i] = (uint8_t)((r >> 4) & 0xF);
    if ((r >> 8) % 3 == 0) ca[i] &= 0x8;
    if (c % 5 == 1 && i % 16 >= 8) ca[i] = ca[i - 8] ^ 0x8, cb[i] = cb[i - 8]; /* cancelling halves */
  }
  *sta = (uint32_t)next() & 0xFF7FFFFFu;
  *stb = (uint32_t)next() & 0xFF7FFFFFu;
  switch (c % 8) {
  case 0: case 4: *sta = (*sta & 0x807FFFFFu) | 0x3A000000u; *stb = (*stb & 0x807FFFFFu) | 0x3B000000u; break;
  case 1: *sta = (*sta & 0x807FFFFFu) | 0x1F000000u; *stb = (*stb & 0x807FFFFFu) | 0x1F000000u; break; /* ~2^-65 each */
  case 5: *sta &= 0x807FFFFFu; *stb = (*stb & 0x807FFFFFu) | 0x72000000u; break; /* subnormal x 2^101 */
  case 3: *sta &= 0x807FFFFFu; *stb &= 0x807FFFFFu; break; /* both subnormal: the lowest bits, 2^-318 */
  default: break;
  }
}

/* libmxref == oracle under every preset and random models, with and without C; and under
 * exact-rne without C, both equal the plain exact-rne functions (mxref_nvfp4_dot). */
static void random_dot_models(uint64_t seed, int cases) {
  g_rng = seed ^ 0xD07D07u;
  int diffs = 0, compared = 0, nonexact = 0;
  for (int c = 0; c < cases; c++) {
    uint8_t sa[6], sb[6], ca[96], cb[96];
    uint32_t sta, stb;
    size_t nb = 1 + next() % 6;
    random_operands(c, nb, sa, sb, ca, cb, &sta, &stb);
    mx_dot_model m = c % 3 == 0 ? random_model() : mx_dot_presets[(c / 3) % 6].model;
    uint32_t cv = (uint32_t)next(), *cp = c % 2 ? &cv : NULL;
    if ((cv & 0x7F800000u) == 0x7F800000u && c % 7) cv &= 0xBFFFFFFFu; /* mostly finite C */
    mx_nvfp4_opts o = k_exact;
    o.scale_sign = (mx_nvfp4_scale_sign)((c >> 1) & 1);
    uint32_t r = 0, q = 0;
    int rr = mxref_nvfp4_dot_general(nb, sta, sa, ca, stb, sb, cb, cp, &m, &o, &r);
    int qq = mxo_nvfp4_dot_general(nb, sta, sa, ca, stb, sb, cb, cp, &m, &o, &q);
    if (rr == -2) continue; /* libmxref: finite frac_bits with an exact accumulator */
    compared++;
    uint32_t e = 0;
    if (!cp && mxref_nvfp4_dot(nb, sta, sa, ca, stb, sb, cb, &o, &e) == 0 && !same(e, q)) nonexact++;
    if ((rr != qq || !same(r, q)) && diffs++ < 5)
      printf("  DIFF model dot case %d (%zu blocks, st 0x%08x 0x%08x, C %s): reference 0x%08x, oracle 0x%08x\n", c, nb,
             sta, stb, cp ? "yes" : "no", r, q);
  }
  printf("  model dot: %d compared, %d differ from exact-rne\n", compared, nonexact);
  CHECK(compared > cases / 2, "only %d of %d model dot cases compared", compared, cases);
  CHECK(diffs == 0, "%d model dot differences between reference and oracle", diffs);
  CHECK(nonexact > 0, "no model ever differed from exact-rne: the random models test nothing");
}

/* Under exact-rne (no C) the model entry points are the exact-rne functions (§7). */
static void model_exact_rne_is_the_exact_dot(void) {
  uint8_t a[32] = {0}, b[32] = {0}, s1[2] = {0x7E, 0x7E};
  a[0] = b[0] = 0x7;
  uint32_t r = 0, q = 0;
  CHECK(mxref_nvfp4_dot_general(1, 0x3A800000u, s1, a, 0x3A800000u, s1, b, NULL, NULL, NULL, &r) == 0 &&
            mxo_nvfp4_dot_general(1, 0x3A800000u, s1, a, 0x3A800000u, s1, b, NULL, NULL, NULL, &q) == 0 &&
            r == f32_bits(6.890625f) && q == r,
        "model dot exact-rne: 0x%08x 0x%08x", r, q);
  mx_dot_model bad = MX_DOT_MODEL_EXACT_RNE;
  bad.acc = MX_DOT_ACC_FUSED;
  bad.scale_at = MX_DOT_SCALE_GROUP;
  CHECK(mxref_nvfp4_dot_general(1, 0x3A800000u, s1, a, 0x3A800000u, s1, b, NULL, &bad, NULL, &r) == -1 &&
            mxo_nvfp4_dot_general(1, 0x3A800000u, s1, a, 0x3A800000u, s1, b, NULL, &bad, NULL, &q) == -1,
        "an invalid model is refused");
}

static void expect_model_dot(const char *what, uint32_t sta, const uint8_t *sa, const uint8_t *ca, uint32_t stb,
                             const uint8_t *sb, const uint8_t *cb, const mx_dot_model *m, uint32_t want) {
  uint32_t r = 1, q = 2;
  int rr = mxref_nvfp4_dot_general(1, sta, sa, ca, stb, sb, cb, NULL, m, NULL, &r);
  int qq = mxo_nvfp4_dot_general(1, sta, sa, ca, stb, sb, cb, NULL, m, NULL, &q);
  CHECK(rr == 0 && qq == 0 && r == want && q == want, "%s: reference 0x%08x (%d), oracle 0x%08x (%d), want 0x%08x", what,
        r, rr, q, qq, want);
}

/* §7 worked by hand: products 6 x 6 and 0.5 x 0.5, block scales 1, s_t(a) = 1.5, so s_j = 1.5
 * and the terms are 54 and 0.375 (exact sum 54.375 = 0x42598000). Model: frac_bits 3, trunc,
 * an FP32 accumulator. scale_at = product aligns the scaled terms: E = floor(log2 54) = 5, grid
 * 2^(5-3) = 4: 54 -> 52, 0.375 -> 0, result 52 (0x42500000). scale_at = group aligns 36 and
 * 0.25 (grid 4: 36, 0), then 36 x 1.5 = 54 (0x42580000). With a power-of-two s_j the two would
 * agree (dot.md §3); here the scale's significand moves the grid. */
static void model_alignment_sees_the_non_power_of_two_scale(void) {
  uint8_t a[16] = {0x7, 0x1}, b[16] = {0x7, 0x1}, one[1] = {0x38};
  mx_dot_model m = MX_DOT_MODEL_EXACT_RNE;
  expect_model_dot("exact-rne 54.375", 0x3FC00000u, one, a, 0x3F800000u, one, b, &m, 0x42598000u);
  m.frac_bits = 3;
  m.align = MX_DOT_ALIGN_TRUNC;
  m.accum = MX_DOT_ACCUM_F32_RNE;
  expect_model_dot("scale_at=product: 54 cut to 52", 0x3FC00000u, one, a, 0x3F800000u, one, b, &m, 0x42500000u);
  m.scale_at = MX_DOT_SCALE_GROUP;
  expect_model_dot("scale_at=group: 36 x 1.5 = 54", 0x3FC00000u, one, a, 0x3F800000u, one, b, &m, 0x42580000u);
}

/* §7: a zero block scale makes every product a zero with the xor of all signs: 6 x -3 x (+0)
 * sixteen times is -0 (exact-rne and fp32-sequential alike); a tensor scale of -1 flips them to
 * +0. */
static void model_zero_block_scale_keeps_each_products_sign(void) {
  uint8_t a[16], b[16], one[1] = {0x38}, zero[1] = {0x00};
  memset(a, 0x7, sizeof a);
  memset(b, 0xD, sizeof b);
  const mx_dot_model *seq = &mx_dot_preset_find("fp32-sequential")->model;
  expect_model_dot("6 x -3 x 0 = -0", 0x3F800000u, one, a, 0x3F800000u, zero, b, NULL, 0x80000000u);
  expect_model_dot("6 x -3 x 0 = -0 (fp32-sequential)", 0x3F800000u, one, a, 0x3F800000u, zero, b, seq, 0x80000000u);
  expect_model_dot("6 x -3 x 0 x -1 = +0", 0xBF800000u, one, a, 0x3F800000u, zero, b, seq, 0x00000000u);
}

int main(int argc, char **argv) {
  worked_amax_6();
  worked_small_blocks();
  worked_zero_tensor();
  worked_dequantize();
  uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 20261202u;
  random_equality(seed, argc > 2 ? atoi(argv[2]) : 400);
  worked_dot();
  random_dot(seed, argc > 2 ? atoi(argv[2]) * 10 : 4000);
  model_exact_rne_is_the_exact_dot();
  model_alignment_sees_the_non_power_of_two_scale();
  model_zero_block_scale_keeps_each_products_sign();
  random_dot_models(seed, argc > 2 ? atoi(argv[2]) * 10 : 4000);
  return CHECK_DONE();
}
