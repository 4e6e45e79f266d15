/* libmxref AVX2 path: element codes -> f32 (decode) and block dequantize.
 *
 * Decode reads the format's 256-entry table of exact f32 bit patterns, built by the scalar
 * decode (decode.c). Dequantize decodes by integer logic (dq8) and multiplies by
 * X = 2^s by adding s to the f32 exponent field, which is exact exactly when every nonzero
 * finite product stays a normal f32 (element values have at most 8 significant bits, so
 * bf16 holds them too): blocks whose scale could push a product below 2^-126 or to 2^128
 * and beyond go to the scalar path, which rounds or saturates them. Zeros, NaN and Inf keep
 * their bit patterns (a NaN or Inf element stays NaN or Inf under any finite scale). */
#include "dispatch.h"

#if MXR_HAVE_AVX2 && defined(__AVX2__)
#include <immintrin.h>
#include <pthread.h>

#include "avx2.h"
#include "internal.h"

size_t mxr_avx2_decode_f32(const uint32_t table[256], const uint8_t *codes, uint32_t *out, size_t n) {
  size_t i = 0;
  const int *t = (const int *)table;
  for (; i + 32 <= n; i += 32) {
    __m256i c = _mm256_loadu_si256((const __m256i *)(codes + i));
    __m128i lo = _mm256_castsi256_si128(c), hi = _mm256_extracti128_si256(c, 1);
    _mm256_storeu_si256((__m256i *)(out + i), _mm256_i32gather_epi32(t, _mm256_cvtepu8_epi32(lo), 4));
    _mm256_storeu_si256((__m256i *)(out + i + 8), _mm256_i32gather_epi32(t, _mm256_cvtepu8_epi32(_mm_srli_si128(lo, 8)), 4));
    _mm256_storeu_si256((__m256i *)(out + i + 16), _mm256_i32gather_epi32(t, _mm256_cvtepu8_epi32(hi), 4));
    _mm256_storeu_si256((__m256i *)(out + i + 24), _mm256_i32gather_epi32(t, _mm256_cvtepu8_epi32(_mm_srli_si128(hi, 8)), 4));
  }
  for (; i + 8 <= n; i += 8) {
    __m256i idx = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(codes + i)));
    _mm256_storeu_si256((__m256i *)(out + i), _mm256_i32gather_epi32(t, idx, 4));
  }
  return i;
}

/* Per element format: the exponent-field range of its nonzero finite values in f32 (which
 * bounds the scales the fast path can take) and the constants of the integer decode below. */
typedef struct dq_table {
  int ef_min, ef_max;
  int is_int;
  int m;               /* trailing significand bits */
  uint32_t mag_mask;   /* code bits below the sign */
  uint32_t sign_shift; /* bits - 1 */
  int normal_offset;   /* f32 bits = (mag << (23 - m)) + normal_offset << 23, for normals */
  int sub_offset;      /* f32 bits = bits(float(mant)) + sub_offset << 23, for subnormals */
  uint32_t nan_mag;    /* E4M3: the magnitude that is NaN (0 = none) */
  uint32_t exp_all;    /* E5M2: the magnitude bits of an all-ones exponent (0 = none) */
} dq_table;

static dq_table g_dq[MX_BLOCK_FMT_COUNT];
static pthread_once_t g_dq_once = PTHREAD_ONCE_INIT;

static void dq_build(void) {
  for (int f = 0; f < MX_BLOCK_FMT_COUNT; f++) {
    mx_fmt e = mx_block_element((mx_block_fmt)f);
    const mx_format_desc *d = mx_format(e);
    unsigned mask = (1u << d->bits) - 1u;
    dq_table *t = &g_dq[f];
    t->ef_min = 255;
    t->ef_max = 0;
    for (unsigned c = 0; c <= mask; c++) {
      uint32_t b = mxref_decode_f32_bits(e, c);
      int ef = (int)((b >> 23) & 0xFF);
      if (ef != 0 && ef != 255) {
        t->ef_min = ef < t->ef_min ? ef : t->ef_min;
        t->ef_max = ef > t->ef_max ? ef : t->ef_max;
      }
    }
    t->is_int = d->kind == MX_KIND_INT;
    t->m = d->mbits;
    t->mag_mask = (1u << (d->bits - 1)) - 1u;
    t->sign_shift = (uint32_t)d->bits - 1u;
    t->normal_offset = 127 - d->bias;
    t->sub_offset = t->is_int ? d->int_scale_log2 : d->emin - d->mbits;
    t->nan_mag = d->specials == MX_SPECIALS_NAN_ALLONES ? t->mag_mask : 0;
    t->exp_all = d->specials == MX_SPECIALS_IEEE ? ((1u << d->ebits) - 1u) << d->mbits : 0;
  }
}

/* How a format's specials decode: one kernel per kind, chosen once per call, so the loop
 * over codes holds no test of the format. */
typedef enum { DQ_INT, DQ_FLOAT, DQ_FLOAT_NAN_ALLONES, DQ_FLOAT_IEEE } dq_kind;

static dq_kind dq_kind_of(const dq_table *t) {
  return t->is_int ? DQ_INT : t->nan_mag ? DQ_FLOAT_NAN_ALLONES : t->exp_all ? DQ_FLOAT_IEEE : DQ_FLOAT;
}

/* A format's constants as vectors, built once per call in a local: loaded from g_dq inside
 * the loop, gcc re-read and re-broadcast them for every 8 codes (the stores through __m256i
 * pointers may alias the global table), which made dequantize 2-3x slower in cache. */
typedef struct dq_vectors {
  __m256i mag_mask, mant_mask, nan_mag, exp_all;
  __m128i normal_shift; /* 23 - m */
  int normal_offset, sub_offset;
} dq_vectors;

MXR_SPECIALISED dq_vectors dq_vectors_of(const dq_table *t) {
  dq_vectors v;
  v.mag_mask = _mm256_set1_epi32((int)t->mag_mask);
  v.mant_mask = _mm256_set1_epi32((1 << t->m) - 1);
  v.nan_mag = _mm256_set1_epi32((int)t->nan_mag);
  v.exp_all = _mm256_set1_epi32((int)t->exp_all);
  v.normal_shift = _mm_cvtsi32_si128(23 - t->m);
  v.normal_offset = t->normal_offset;
  v.sub_offset = t->sub_offset;
  return v;
}

/* The two exponent adjustments of a block with scale 2^s (f32 exponent-field units). */
typedef struct dq_scale {
  __m256i normal_add, sub_add;
} dq_scale;

MXR_SPECIALISED dq_scale dq_scale_of(const dq_vectors *v, int s) {
  dq_scale a = {_mm256_set1_epi32((v->normal_offset + s) * (1 << 23)), _mm256_set1_epi32((v->sub_offset + s) * (1 << 23))};
  return a;
}

/* Eight codes -> f32 bits of 2^s * P_i, for an s that keeps every nonzero finite product a
 * normal f32. Integer logic: a normal element's exponent and significand fields move into
 * place with one shift and one add; a subnormal's (or an INT8's) integer significand is
 * converted to float — exact, it has at most 7 bits — and its exponent moved by an add. */
MXR_SPECIALISED __m256i dq8c(dq_kind kind, const dq_vectors *v, dq_scale a, __m256i c, uint32_t sign_shift) {
  const __m256i zero = _mm256_setzero_si256();
  if (kind == DQ_INT) {
    __m256i q = _mm256_srai_epi32(_mm256_slli_epi32(c, 24), 24); /* two's complement */
    __m256i r = _mm256_add_epi32(_mm256_castps_si256(_mm256_cvtepi32_ps(q)), a.sub_add);
    return _mm256_andnot_si256(_mm256_cmpeq_epi32(q, zero), r);
  }
  __m256i mag = _mm256_and_si256(c, v->mag_mask);
  __m256i sign = _mm256_slli_epi32(_mm256_srli_epi32(c, (int)sign_shift), 31);
  __m256i mant = _mm256_and_si256(mag, v->mant_mask);
  __m256i is_sub = _mm256_cmpeq_epi32(mag, mant); /* exponent field 0 */
  __m256i normal = _mm256_add_epi32(_mm256_sll_epi32(mag, v->normal_shift), a.normal_add);
  __m256i sub = _mm256_add_epi32(_mm256_castps_si256(_mm256_cvtepi32_ps(mant)), a.sub_add);
  sub = _mm256_andnot_si256(_mm256_cmpeq_epi32(mant, zero), sub); /* +-0 */
  __m256i r = _mm256_or_si256(sign, _mm256_blendv_epi8(normal, sub, is_sub));
  if (kind == DQ_FLOAT_NAN_ALLONES) { /* E4M3: S.1111.111 is NaN, a quiet one with the code's sign */
    __m256i nan = _mm256_cmpeq_epi32(mag, v->nan_mag);
    r = _mm256_blendv_epi8(r, _mm256_or_si256(sign, _mm256_set1_epi32(0x7FC00000)), nan);
  }
  if (kind == DQ_FLOAT_IEEE) { /* E5M2: all-ones exponent, Inf (M = 0) or a quiet NaN */
    __m256i special = _mm256_cmpeq_epi32(_mm256_and_si256(mag, v->exp_all), v->exp_all);
    __m256i is_nan = _mm256_andnot_si256(_mm256_cmpeq_epi32(mant, zero), _mm256_set1_epi32(0x00400000));
    r = _mm256_blendv_epi8(r, _mm256_or_si256(_mm256_or_si256(sign, _mm256_set1_epi32(0x7F800000)), is_nan), special);
  }
  return r;
}

MXR_SPECIALISED __m256i dq8(dq_kind kind, const dq_vectors *v, dq_scale a, const uint8_t *codes, uint32_t sign_shift) {
  return dq8c(kind, v, a, _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)codes)), sign_shift);
}

MXR_SPECIALISED void decode_kind(dq_kind kind, const dq_table *tab, const uint8_t *codes, uint32_t *out, size_t n) {
  const dq_vectors v = dq_vectors_of(tab);
  const dq_scale a = dq_scale_of(&v, 0);
  const uint32_t sign_shift = tab->sign_shift;
  for (size_t i = 0; i + 8 <= n; i += 8) _mm256_storeu_si256((__m256i *)(out + i), dq8(kind, &v, a, codes + i, sign_shift));
}

size_t mxr_avx2_decode_elements(mx_block_fmt f, const uint8_t *codes, uint32_t *out, size_t n) {
  if (!mxr_avx2_block_known(f)) return 0;
  pthread_once(&g_dq_once, dq_build);
  const dq_table *tab = &g_dq[f];
  switch (dq_kind_of(tab)) {
  case DQ_INT: decode_kind(DQ_INT, tab, codes, out, n); break;
  case DQ_FLOAT: decode_kind(DQ_FLOAT, tab, codes, out, n); break;
  case DQ_FLOAT_NAN_ALLONES: decode_kind(DQ_FLOAT_NAN_ALLONES, tab, codes, out, n); break;
  case DQ_FLOAT_IEEE: decode_kind(DQ_FLOAT_IEEE, tab, codes, out, n); break;
  }
  return n / 8 * 8;
}

/* Eight f32 results -> eight bf16 (exact: the products fit bf16), stored. */
MXR_SPECIALISED void store_bf16x8(uint16_t *o16, __m256i r) {
  __m256i h = _mm256_srli_epi32(r, 16);
  __m256i p = _mm256_permute4x64_epi64(_mm256_packus_epi32(h, h), 0xD8);
  _mm_storeu_si128((__m128i *)o16, _mm256_castsi256_si128(p));
}

MXR_SPECIALISED void store_results(mx_fmt dst, void *out, size_t i, __m256i r) {
  if (dst == MX_F32) _mm256_storeu_si256((__m256i *)((uint32_t *)out + i), r);
  else store_bf16x8((uint16_t *)out + i, r); /* the products are exact in bf16: its bits are the f32 bits' high half */
}

/* Blocks of k codes (one per byte) times their scales to dst (f32 or bf16), format kind
 * and dst constants in each instantiation: the blocks the fast path takes (see the file's
 * head), stopping at the first it does not. */
MXR_SPECIALISED size_t dequantize_kind(dq_kind kind, mx_fmt dst, const dq_table *tab, const uint8_t *scales,
                                       const uint8_t *codes, size_t nblocks, size_t k, void *out) {
  const size_t width = dst == MX_F32 ? 4 : 2;
  const dq_vectors v = dq_vectors_of(tab);
  const int ef_min = tab->ef_min, ef_max = tab->ef_max;
  const uint32_t sign_shift = tab->sign_shift;
  /* NaN scale: every value is a positive quiet NaN (block.h), in either width */
  const __m256i nan32 = _mm256_set1_epi32(0x7FC00000);
  for (size_t b = 0; b < nblocks; b++) {
    void *ob = (unsigned char *)out + b * k * width;
    if (scales[b] == 0xFF) {
      for (size_t i = 0; i < k; i += 8) store_results(dst, ob, i, nan32);
      continue;
    }
    int s = (int)scales[b] - 127;
    if (ef_min + s < 1 || ef_max + s > 254) return b;
    const dq_scale a = dq_scale_of(&v, s);
    const uint8_t *cb = codes + b * k;
    for (size_t i = 0; i < k; i += 8) store_results(dst, ob, i, dq8(kind, &v, a, cb + i, sign_shift));
  }
  return nblocks;
}

#define DQ_DST(KIND)                                                                                          \
  (dst == MX_F32 ? dequantize_kind(KIND, MX_F32, tab, scales, codes, nblocks, k, out)                        \
                 : dequantize_kind(KIND, MX_BF16, tab, scales, codes, nblocks, k, out))

size_t mxr_avx2_dequantize_blocks(mx_block_fmt f, const uint8_t *scales, const uint8_t *codes, size_t nblocks,
                                  size_t k, mx_fmt dst, void *out) {
  if ((dst != MX_F32 && dst != MX_BF16) || k % 8 != 0 || k == 0 || !mxr_avx2_block_known(f)) return 0;
  pthread_once(&g_dq_once, dq_build);
  const dq_table *tab = &g_dq[f];
  switch (dq_kind_of(tab)) {
  case DQ_INT: return DQ_DST(DQ_INT);
  case DQ_FLOAT: return DQ_DST(DQ_FLOAT);
  case DQ_FLOAT_NAN_ALLONES: return DQ_DST(DQ_FLOAT_NAN_ALLONES);
  default: return DQ_DST(DQ_FLOAT_IEEE);
  }
}
#undef DQ_DST

#endif
