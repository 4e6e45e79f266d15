/* libmxref NVFP4 (include/mxconform/nvfp4.h): the two-scale flow.
 *
 * The steps NVIDIA's kernels do in binary32 are binary32 operations here too: C float
 * arithmetic on x86-64 is IEEE 754 binary32 with round to nearest even, one rounding per
 * operation (no FMA contraction: no step adds a product). The E4M3 and E2M1 roundings are
 * mxref_convert_one (RNE, saturating). The `exact` steps round a quotient exactly once:
 * |num| / den is compared with den * midpoint, products that are exact in binary64 (den has
 * at most 28 significant bits, a midpoint at most 5, and no exponent leaves binary64's
 * normal range), so no quotient is ever formed. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "avx2.h"
#include "dispatch.h"
#include "internal.h"
#include "mxconform/mxref.h"
#include "mxconform/nvfp4.h"
#include "mxconform/dot.h"
#include "threads.h"

static float f32_of(uint32_t b) {
  float f;
  memcpy(&f, &b, 4);
  return f;
}
static uint32_t bits_of(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}
/* libmxref does not link libm: the few helpers it needs, for values that are never NaN */
static float abs32(float x) { return f32_of(bits_of(x) & 0x7FFFFFFFu); }
static float min_flt_max(float x) { return x > FLT_MAX ? FLT_MAX : x; }

/* RN into E4M3 / E2M1 with the OCP defaults: nearest even, saturating (cvt.rn.satfinite). */
static uint8_t to_elem(mx_fmt f, float x) {
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  return (uint8_t)mxref_convert_one(f, MX_F32, bits_of(x), &o, 0);
}

/* The positive magnitude code of format f nearest to num / den (num >= 0, den >= 0), ties
 * to the even code, above the largest finite value saturating; den == 0: num > 0 saturates. */
static unsigned grid_round(mx_fmt f, double num, double den) {
  const mx_format_desc *d = mx_format(f);
  unsigned top = (unsigned)d->max_code;
  if (num == 0) return 0;
  if (den == 0) return top;
  unsigned lo = 0;
  double vlo = 0;
  for (unsigned c = 1; c <= top; c++) {
    double v = f32_of(mxref_decode_f32_bits(f, c));
    double mid2 = vlo + v;            /* 2 * midpoint, exact */
    double lhs = 2 * num, rhs = den * mid2; /* num vs den * midpoint, both exact */
    if (lhs < rhs) return lo;
    if (lhs == rhs) return (lo & 1u) ? c : lo;
    lo = c;
    vlo = v;
  }
  return top;
}

typedef struct tensor_scales {
  float st, senc;
} tensor_scales;

static tensor_scales tensor_scale(float amax, mx_nvfp4_tensor_scale mode) {
  tensor_scales t = {1.0f, 1.0f};
  if (amax == 0) return t;
  t.senc = min_flt_max(2688.0f / amax);
  if (t.senc == 0) {
    t.senc = 1.0f;
    return t;
  }
  t.st = mode == MX_NVFP4_TSCALE_TE ? 1.0f / t.senc : amax / 2688.0f;
  return t;
}

/* te's block-scale factor RN(S_enc * RN(1/6)) */
static float te_factor(tensor_scales t) {
  const float inv6 = 1.0f / 6.0f;
  return t.senc * inv6;
}

static uint8_t block_scale(float amax_b, tensor_scales t, mx_nvfp4_block_scale mode, int avx2) {
  if (mode == MX_NVFP4_BSCALE_TE) return to_elem(MX_E4M3, amax_b * te_factor(t));
#if MXR_HAVE_AVX2
  if (avx2) return (uint8_t)mxr_avx2_nvfp4_scale_exact(amax_b, 6.0 * (double)t.st);
#endif
  (void)avx2;
  return (uint8_t)grid_round(MX_E4M3, amax_b, 6.0 * (double)t.st);
}

/* The vector path (avx2_convert.c, "NVFP4") computes the same steps bit for bit: each loop
 * below that touches every value has a kernel, chosen here once per call. */
static int nvfp4_avx2(void) {
#if MXR_HAVE_AVX2
  return mxr_use_avx2();
#else
  return 0;
#endif
}

/* The largest |x| of n values (n a multiple of 16), as f32 bits; NaN/Inf give >= 0x7F800000. */
static uint32_t abs_max_bits(const uint32_t *v, size_t n, int avx2) {
#if MXR_HAVE_AVX2
  if (avx2) return mxr_avx2_abs_max_f32(v, n);
#endif
  (void)avx2;
  uint32_t m = 0;
  for (size_t i = 0; i < n; i++) m = (v[i] & 0x7FFFFFFFu) > m ? (v[i] & 0x7FFFFFFFu) : m;
  return m;
}

static uint8_t element(float x, float sb, float st, mx_nvfp4_elem_scale mode) {
  if (mode == MX_NVFP4_ELEM_RECIPROCAL) {
    float c = min_flt_max(1.0f / (sb * st));
    return to_elem(MX_E2M1, x * c);
  }
  unsigned mag = grid_round(MX_E2M1, (double)abs32(x), (double)sb * (double)st);
  return (uint8_t)(((bits_of(x) >> 31) ? 0x8u : 0u) | mag);
}

/* ---- the tensor calls on several threads (mxref_set_threads) ------------------------------
 * Each pass (the tensor amax, the blocks of quantize, the blocks of dequantize) is split into
 * contiguous ranges of whole blocks, one per thread, by mxr_run_shares (threads.h), as the MX
 * tensor calls are (tensor.c). */
typedef struct nv_call {
  int avx2;
  const uint32_t *values;
  const mx_nvfp4_opts *o;
  tensor_scales t;
  const mx_nvfp4_tensor *in; /* dequantize */
  mx_nvfp4_tensor *out;      /* quantize */
  uint32_t *deq;             /* dequantize's output */
  uint32_t amax[256];        /* the amax pass's result, per share */
} nv_call;

/* Runs one pass over the call's nblocks blocks; returns the number of shares. */
static int nv_run(nv_call *c, size_t nblocks, mxr_share_fn pass) {
  return mxr_run_shares(nblocks, nblocks * MX_NVFP4_BLOCK, pass, c);
}

static void amax_range(void *ctx, int share, size_t b0, size_t b1) {
  nv_call *c = ctx;
  const uint32_t *v = c->values + b0 * MX_NVFP4_BLOCK;
  const size_t n = (b1 - b0) * MX_NVFP4_BLOCK;
#if MXR_HAVE_AVX2
  if (c->avx2) { /* the kernel for a long run (abs_max_bits' is for one block) */
    c->amax[share] = mxr_avx2_nvfp4_abs_max(v, n);
    return;
  }
#endif
  c->amax[share] = abs_max_bits(v, n, c->avx2);
}

/* Blocks [b0, b1) of a quantize call: the AVX2 kernel's groups of eight, then block by block. */
static void quantize_range(void *ctx, int share, size_t b, size_t b1) {
  const nv_call *j = ctx;
  const mx_nvfp4_opts *o = j->o;
  const tensor_scales t = j->t;
  const int avx2 = j->avx2;
  (void)share;
#if MXR_HAVE_AVX2
  if (avx2) {
    mxr_nvfp4_plan p = {t.st, te_factor(t), o->block_scale == MX_NVFP4_BSCALE_TE,
                        o->elem_scale == MX_NVFP4_ELEM_RECIPROCAL};
    b += mxr_avx2_nvfp4_quantize_blocks(j->values + b * MX_NVFP4_BLOCK, b1 - b, &p, j->out->scales + b,
                                        j->out->codes + b * MX_NVFP4_BLOCK);
  }
#endif
  for (; b < b1; b++) {
    const uint32_t *v = j->values + b * MX_NVFP4_BLOCK;
    float amax_b = f32_of(abs_max_bits(v, MX_NVFP4_BLOCK, avx2));
    uint8_t s = block_scale(amax_b, t, o->block_scale, avx2);
    j->out->scales[b] = s;
    float sb = f32_of(mxref_decode_f32_bits(MX_E4M3, s));
    uint8_t *codes = j->out->codes + b * MX_NVFP4_BLOCK;
#if MXR_HAVE_AVX2
    if (avx2) {
      if (o->elem_scale == MX_NVFP4_ELEM_RECIPROCAL) mxr_avx2_nvfp4_elements_recip(v, min_flt_max(1.0f / (sb * t.st)), codes);
      else mxr_avx2_nvfp4_elements_exact(v, (double)sb * (double)t.st, codes);
      continue;
    }
#endif
    for (int i = 0; i < MX_NVFP4_BLOCK; i++) codes[i] = element(f32_of(v[i]), sb, t.st, o->elem_scale);
  }
}

int mxref_nvfp4_quantize(const uint32_t *values, size_t n, const uint32_t *amax_bits, const mx_nvfp4_opts *o,
                         mx_nvfp4_tensor *out) {
  static const mx_nvfp4_opts def = MX_NVFP4_OPTS_DEFAULT;
  if (!o) o = &def;
  if (n == 0 || n % MX_NVFP4_BLOCK) return -1;
  nv_call c = {nvfp4_avx2(), values, o, {1.0f, 1.0f}, NULL, out, NULL, {0}};
  /* |x| as bits orders like |x| for finite values, and a NaN/Inf is above them all */
  uint32_t amax_all = 0;
  for (int k = 0, nj = nv_run(&c, n / MX_NVFP4_BLOCK, amax_range); k < nj; k++)
    amax_all = c.amax[k] > amax_all ? c.amax[k] : amax_all;
  if (amax_all >= 0x7F800000u) return -1; /* NaN/Inf: no defined flow */
  float amax = f32_of(amax_all);
  if (amax_bits) {
    amax = f32_of(*amax_bits);
    if ((*amax_bits & 0x7F800000u) == 0x7F800000u || (*amax_bits >> 31 && amax != 0)) return -1;
  }
  c.t = tensor_scale(amax, o->tensor_scale);
  out->tensor_scale = bits_of(c.t.st);
  out->s_enc = bits_of(c.t.senc);
  nv_run(&c, n / MX_NVFP4_BLOCK, quantize_range);
  return 0;
}

void mxref_nvfp4_dequantize(uint32_t tensor_scale, uint8_t scale, const uint8_t *codes, const mx_nvfp4_opts *o,
                            uint32_t *out) {
  static const mx_nvfp4_opts def = MX_NVFP4_OPTS_DEFAULT;
  if (!o) o = &def;
  if (o->scale_sign == MX_NVFP4_SIGN_IGNORE) scale &= 0x7F;
  float sb = f32_of(mxref_decode_f32_bits(MX_E4M3, scale)), st = f32_of(tensor_scale);
#if MXR_HAVE_AVX2
  if (nvfp4_avx2() && st == st) { /* a NaN s_t with a NaN s_b: which payload wins depends on operand order */
    mxr_avx2_nvfp4_dequantize(codes, sb, st, o->dequant == MX_NVFP4_DEQ_SCALE_FIRST, out);
    return;
  }
#endif
  for (int i = 0; i < MX_NVFP4_BLOCK; i++) {
    float e = f32_of(mxref_decode_f32_bits(MX_E2M1, codes[i] & 0xFu));
    /* e * sb is exact in binary32 (at most 6 significant bits, within the normal range), so
     * `exact` rounds once, at the product with st */
    float r = o->dequant == MX_NVFP4_DEQ_SCALE_FIRST ? e * (sb * st) : (e * sb) * st;
    out[i] = bits_of(r);
  }
}

/* Blocks [b0, b1) of a whole-tensor dequantize: the AVX2 kernel's groups of eight, then
 * block by block. */
static void dequantize_range(void *ctx, int share, size_t b, size_t b1) {
  const nv_call *j = ctx;
  const mx_nvfp4_tensor *t = j->in;
  (void)share;
#if MXR_HAVE_AVX2
  if (j->avx2)
    b += mxr_avx2_nvfp4_dequantize_blocks(t->scales + b, t->codes + b * MX_NVFP4_BLOCK, b1 - b, f32_of(t->tensor_scale),
                                          j->o->dequant == MX_NVFP4_DEQ_SCALE_FIRST,
                                          j->o->scale_sign == MX_NVFP4_SIGN_SIGNED, j->deq + b * MX_NVFP4_BLOCK);
#endif
  for (; b < b1; b++)
    mxref_nvfp4_dequantize(t->tensor_scale, t->scales[b], t->codes + b * MX_NVFP4_BLOCK, j->o, j->deq + b * MX_NVFP4_BLOCK);
}

int mxref_nvfp4_dequantize_tensor(const mx_nvfp4_tensor *t, size_t n, const mx_nvfp4_opts *o, uint32_t *out) {
  static const mx_nvfp4_opts def = MX_NVFP4_OPTS_DEFAULT;
  if (!o) o = &def;
  if (!t || n == 0 || n % MX_NVFP4_BLOCK) return -1;
  nv_call c = {nvfp4_avx2(), NULL, o, {1.0f, 1.0f}, t, NULL, out, {0}};
  nv_run(&c, n / MX_NVFP4_BLOCK, dequantize_range);
  return 0;
}

/* ---- dot product, exact-rne ----------------------------------------------------------------
 * Integer logic: an E2M1 value is k/2 (k in 0..12), an E4M3 scale M * 2^x (M < 16, x in
 * -9..5), so a block contributes (sum of +-k_a k_b) * M_a * M_b * 2^(x_a + x_b - 2): an integer
 * number of 2^-20 below 2^48. Over at most 2^16 blocks that sum fits an __int128 with room
 * for the two 24-bit tensor-scale significands; the product is rounded once. */

static int bitlen128(unsigned __int128 n) {
  uint64_t hi = (uint64_t)(n >> 64);
  return hi ? 128 - __builtin_clzll(hi) : 64 - __builtin_clzll((uint64_t)n);
}

/* binary32 bits of (-1)^neg * n * 2^e, round to nearest even (n < 2^127). */
static uint32_t round_to_f32(int neg, unsigned __int128 n, int e) {
  uint32_t s = (uint32_t)neg << 31;
  if (n == 0) return s;
  int top = bitlen128(n) - 1 + e; /* floor(log2 value) */
  int q = top >= -126 ? top - 23 : -149; /* exponent of the last place */
  int shift = q - e;
  unsigned __int128 m;
  if (shift <= 0) {
    m = n << -shift;
  } else if (shift >= 128) {
    m = 0; /* n < 2^127 <= half a unit */
  } else {
    m = n >> shift;
    unsigned __int128 rem = n & ((((unsigned __int128)1) << shift) - 1), half = ((unsigned __int128)1) << (shift - 1);
    if (rem > half || (rem == half && (m & 1))) m++;
  }
  if (q == -149) return s | (uint32_t)m; /* subnormal, or 2^-126 after rounding up */
  if (m == ((unsigned __int128)1 << 24)) {
    m >>= 1;
    q++;
  }
  int biased = q + 150;
  if (biased >= 255) return s | 0x7F800000u;
  return s | ((uint32_t)biased << 23) | ((uint32_t)m & 0x7FFFFFu);
}

typedef struct scale_parts {
  int sign, nan;
  uint32_t m; /* significand, an integer */
  int x;      /* exponent of its last place */
} scale_parts;

static scale_parts e4m3_parts(uint8_t c) {
  scale_parts p = {c >> 7, (c & 0x7F) == 0x7F, 0, 0};
  unsigned ef = (c >> 3) & 0xFu, mant = c & 7u;
  p.m = ef ? 8u + mant : mant;
  p.x = ef ? (int)ef - 10 : -9;
  return p;
}

static scale_parts f32_parts(uint32_t b) {
  scale_parts p = {(int)(b >> 31), 0, 0, 0};
  unsigned ef = (b >> 23) & 0xFFu;
  p.m = ef ? (b & 0x7FFFFFu) | 0x800000u : b & 0x7FFFFFu;
  p.x = ef ? (int)ef - 150 : -149;
  return p;
}

int mxref_nvfp4_dot(size_t n_blocks, uint32_t st_a, const uint8_t *scales_a, const uint8_t *codes_a, uint32_t st_b,
                    const uint8_t *scales_b, const uint8_t *codes_b, const mx_nvfp4_opts *o, uint32_t *out) {
  static const mx_nvfp4_opts def = MX_NVFP4_OPTS_DEFAULT;
  static const int k2[8] = {0, 1, 2, 3, 4, 6, 8, 12}; /* twice each E2M1 magnitude */
  if (!o) o = &def;
  if (n_blocks == 0 || n_blocks > 65536) return -1;
  if ((st_a & 0x7F800000u) == 0x7F800000u || (st_b & 0x7F800000u) == 0x7F800000u) return -1;
  const uint8_t mask = o->scale_sign == MX_NVFP4_SIGN_IGNORE ? 0x7F : 0xFF;
  scale_parts ta = f32_parts(st_a), tb = f32_parts(st_b);
  __int128 acc = 0; /* in units of 2^-20 */
  int all_negative_zero = 1;
  for (size_t j = 0; j < n_blocks; j++) {
    scale_parts sa = e4m3_parts(scales_a[j] & mask), sb = e4m3_parts(scales_b[j] & mask);
    if (sa.nan || sb.nan) {
      *out = 0x7FC00000u;
      return 0;
    }
    int64_t block = 0;
    int outer_zero = sa.m == 0 || sb.m == 0 || ta.m == 0 || tb.m == 0;
    int outer_sign = sa.sign ^ sb.sign ^ ta.sign ^ tb.sign;
    for (int i = 0; i < MX_NVFP4_BLOCK; i++) {
      uint8_t ca = codes_a[j * MX_NVFP4_BLOCK + i] & 0xFu, cb = codes_b[j * MX_NVFP4_BLOCK + i] & 0xFu;
      int sign = (ca >> 3) ^ (cb >> 3);
      int64_t p = (int64_t)k2[ca & 7u] * k2[cb & 7u];
      block += sign ? -p : p;
      if (!(p == 0 || outer_zero) || !(sign ^ outer_sign)) all_negative_zero = 0;
    }
    __int128 term = (__int128)block * sa.m * sb.m;
    int sh = sa.x + sb.x + 18; /* 2^(x_a + x_b - 2) in units of 2^-20: 0..28 */
    term *= (__int128)1 << sh; /* a product, not a shift: term may be negative */
    acc += (sa.sign ^ sb.sign) ? -term : term;
  }
  int neg = acc < 0;
  unsigned __int128 mag = (unsigned __int128)(neg ? -acc : acc) * ta.m * tb.m;
  if (mag == 0) {
    *out = all_negative_zero ? 0x80000000u : 0u;
    return 0;
  }
  *out = round_to_f32(neg ^ ta.sign ^ tb.sign, mag, ta.x + tb.x - 20);
  return 0;
}

/* ---- dot product under an accumulation model --------------------------------------------
 * The MX model loop of reference/dot.c (mxr_dot_general_scaled), fed E2M1 blocks of 16 and
 * each block's scale s_j = M * 2^x with M = M_a M_b m_a m_b (E4M3 and f32 significands: < 2^56)
 * and x the sum of their last-place exponents (>= -316). The loop wants a positive s_j: a
 * negative one flips the sign bits of block j's codes of a (the same products, zeros
 * included); a zero one replaces the block by zeros that carry each product's sign. */
int mxref_nvfp4_dot_general(size_t n_blocks, uint32_t st_a, const uint8_t *scales_a, const uint8_t *codes_a,
                            uint32_t st_b, const uint8_t *scales_b, const uint8_t *codes_b, const uint32_t *c,
                            const struct mx_dot_model *m, const mx_nvfp4_opts *o, uint32_t *out) {
  static const mx_nvfp4_opts def = MX_NVFP4_OPTS_DEFAULT;
  static const mx_dot_model exact = MX_DOT_MODEL_EXACT_RNE;
  if (!o) o = &def;
  if (!m) m = &exact;
  if (n_blocks == 0 || n_blocks > 65536 || !out || mx_dot_model_check(m)) return -1;
  if ((st_a & 0x7F800000u) == 0x7F800000u || (st_b & 0x7F800000u) == 0x7F800000u) return -1;
  if (m->frac_bits != MX_DOT_FRAC_EXACT && m->accum == MX_DOT_ACCUM_EXACT) return -2;
  const uint8_t mask = o->scale_sign == MX_NVFP4_SIGN_IGNORE ? 0x7F : 0xFF;
  for (size_t j = 0; j < n_blocks; j++)
    if (e4m3_parts(scales_a[j] & mask).nan || e4m3_parts(scales_b[j] & mask).nan) {
      *out = MX_DOT_F32_NAN; /* a NaN block scale: every value of the block is NaN */
      return 0;
    }
  const size_t n = n_blocks * MX_NVFP4_BLOCK;
  uint8_t *ca = malloc(n), *cb = malloc(n), *ones = malloc(n_blocks);
  uint64_t *mul = malloc(n_blocks * sizeof *mul);
  int *ex = malloc(n_blocks * sizeof *ex);
  if (!ca || !cb || !ones || !mul || !ex) abort();
  scale_parts ta = f32_parts(st_a), tb = f32_parts(st_b);
  for (size_t j = 0; j < n_blocks; j++) {
    scale_parts sa = e4m3_parts(scales_a[j] & mask), sb = e4m3_parts(scales_b[j] & mask);
    uint64_t M = (uint64_t)sa.m * sb.m * ta.m * tb.m;
    unsigned flip = (unsigned)(sa.sign ^ sb.sign ^ ta.sign ^ tb.sign) << 3;
    ones[j] = 127; /* E8M0 1.0: not read by the scaled loop */
    mul[j] = M ? M : 1;
    ex[j] = M ? sa.x + sb.x + ta.x + tb.x : 0;
    for (size_t i = j * MX_NVFP4_BLOCK; i < (j + 1) * MX_NVFP4_BLOCK; i++) {
      uint8_t x = codes_a[i] & 0xFu, y = codes_b[i] & 0xFu;
      if (M) {
        ca[i] = x ^ flip;
        cb[i] = y;
      } else { /* (+-e_a)(+-e_b) * (+-0): a zero with the xor of the three signs */
        ca[i] = ((x ^ y) & 8u) ^ flip;
        cb[i] = 0;
      }
    }
  }
  mx_dot_vec va = {MX_MXFP4_E2M1, ones, ca}, vb = {MX_MXFP4_E2M1, ones, cb};
  int r = mxr_dot_general_scaled(&va, &vb, n_blocks, MX_NVFP4_BLOCK, c, m, mul, ex, out);
  free(ca);
  free(cb);
  free(ones);
  free(mul);
  free(ex);
  return r == MX_DOT_OK ? 0 : r == MX_DOT_EUNSUPPORTED ? -2 : -1;
}
