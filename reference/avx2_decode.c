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

/* Eight codes -> f32 bits of 2^s * P_i, for an s that keeps every nonzero finite product a
 * normal f32. Integer logic: a normal element's exponent and significand fields move into
 * place with one shift and one add; a subnormal's (or an INT8's) integer significand is
 * converted to float — exact, it has at most 7 bits — and its exponent moved by an add. */
MXR_SPECIALISED __m256i dq8c(const dq_table *t, __m256i c, int s) {
  const __m256i zero = _mm256_setzero_si256();
  if (t->is_int) {
    __m256i q = _mm256_srai_epi32(_mm256_slli_epi32(c, 24), 24); /* two's complement */
    __m256i v = _mm256_castps_si256(_mm256_cvtepi32_ps(q));
    __m256i r = _mm256_add_epi32(v, _mm256_set1_epi32((t->sub_offset + s) * (1 << 23)));
    return _mm256_andnot_si256(_mm256_cmpeq_epi32(q, zero), r);
  }
  __m256i mag = _mm256_and_si256(c, _mm256_set1_epi32((int)t->mag_mask));
  __m256i sign = _mm256_slli_epi32(_mm256_srli_epi32(c, (int)t->sign_shift), 31);
  __m256i mant = _mm256_and_si256(mag, _mm256_set1_epi32((1 << t->m) - 1));
  __m256i is_sub = _mm256_cmpeq_epi32(mag, mant); /* exponent field 0 */
  __m256i normal = _mm256_add_epi32(_mm256_sll_epi32(mag, _mm_cvtsi32_si128(23 - t->m)),
                                    _mm256_set1_epi32((t->normal_offset + s) * (1 << 23)));
  __m256i sub = _mm256_add_epi32(_mm256_castps_si256(_mm256_cvtepi32_ps(mant)),
                                 _mm256_set1_epi32((t->sub_offset + s) * (1 << 23)));
  sub = _mm256_andnot_si256(_mm256_cmpeq_epi32(mant, zero), sub); /* +-0 */
  __m256i r = _mm256_or_si256(sign, _mm256_blendv_epi8(normal, sub, is_sub));
  if (t->nan_mag) { /* E4M3: S.1111.111 is NaN, a quiet one with the code's sign */
    __m256i nan = _mm256_cmpeq_epi32(mag, _mm256_set1_epi32((int)t->nan_mag));
    r = _mm256_blendv_epi8(r, _mm256_or_si256(sign, _mm256_set1_epi32(0x7FC00000)), nan);
  }
  if (t->exp_all) { /* E5M2: all-ones exponent, Inf (M = 0) or a quiet NaN */
    __m256i ea = _mm256_set1_epi32((int)t->exp_all);
    __m256i special = _mm256_cmpeq_epi32(_mm256_and_si256(mag, ea), ea);
    __m256i is_nan = _mm256_andnot_si256(_mm256_cmpeq_epi32(mant, zero), _mm256_set1_epi32(0x00400000));
    r = _mm256_blendv_epi8(r, _mm256_or_si256(_mm256_or_si256(sign, _mm256_set1_epi32(0x7F800000)), is_nan), special);
  }
  return r;
}

MXR_SPECIALISED __m256i dq8(const dq_table *t, const uint8_t *codes, int s) {
  return dq8c(t, _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)codes)), s);
}

size_t mxr_avx2_decode_elements(mx_block_fmt f, const uint8_t *codes, uint32_t *out, size_t n) {
  if (!mxr_avx2_block_known(f)) return 0;
  pthread_once(&g_dq_once, dq_build);
  const dq_table *tab = &g_dq[f];
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_si256((__m256i *)(out + i), dq8(tab, codes + i, 0));
  return i;
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

/* One block's k codes (one per byte) times 2^s to dst (f32 or bf16), a constant in each
 * instantiation. */
MXR_SPECIALISED void dequantize_elements(const dq_table *tab, const uint8_t *cb, size_t k,
                                         int s, mx_fmt dst, void *out) {
  for (size_t i = 0; i < k; i += 8) store_results(dst, out, i, dq8(tab, cb + i, s));
}

size_t mxr_avx2_dequantize_blocks(mx_block_fmt f, const uint8_t *scales, const uint8_t *codes, size_t nblocks,
                                  size_t k, mx_fmt dst, void *out) {
  if ((dst != MX_F32 && dst != MX_BF16) || k % 8 != 0 || k == 0 || !mxr_avx2_block_known(f)) return 0;
  pthread_once(&g_dq_once, dq_build);
  const dq_table *tab = &g_dq[f];
  const size_t width = dst == MX_F32 ? 4 : 2;
  /* NaN scale: every value is a positive quiet NaN (block.h), in either width */
  const __m256i nan32 = _mm256_set1_epi32(0x7FC00000);
  for (size_t b = 0; b < nblocks; b++) {
    void *ob = (unsigned char *)out + b * k * width;
    if (scales[b] == 0xFF) {
      for (size_t i = 0; i < k; i += 8) store_results(dst, ob, i, nan32);
      continue;
    }
    int s = (int)scales[b] - 127;
    if (tab->ef_min + s < 1 || tab->ef_max + s > 254) return b;
    if (dst == MX_F32) dequantize_elements(tab, codes + b * k, k, s, MX_F32, ob);
    else dequantize_elements(tab, codes + b * k, k, s, MX_BF16, ob);
  }
  return nblocks;
}

#endif
