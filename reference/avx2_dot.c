/* libmxref AVX2 path: the exact integer sum of a block's element products (reference/dot.c
 * "Why a block sum is an integer"), eight products at a time.
 *
 * Each code becomes its integer F (value = F * 2^-Q) by integer logic — a float element's
 * significand shifted by its exponent field minus one, an INT8 code sign-extended — and
 * pairs of 32-bit F multiply into exact 64-bit products (vpmuldq), summed in 64-bit lanes.
 * Bounds: |F| < 2^18 for every format but E5M2 (< 2^31.8, which does not fit a signed
 * 32-bit lane), so pairs with an E5M2 operand stay on the scalar path; the others have
 * |F_a F_b| < 2^36 and a block of k <= 4096 sums below 2^48. Codes are masked to their
 * format's width, and NaN/Inf codes never get here (dot.c checks each block first). */
#include "dispatch.h"

#if MXR_HAVE_AVX2 && defined(__AVX2__)
#include <immintrin.h>

#include "avx2.h"
#include "internal.h"

typedef struct fix_params {
  int is_int;
  int m;             /* trailing significand bits */
  int mag_mask;      /* code bits below the sign */
  int sign_shift;    /* bits - 1 */
} fix_params;

static int fix_params_of(mx_block_fmt f, fix_params *p) {
  if ((unsigned)f >= MX_BLOCK_FMT_COUNT) return 0;
  const mx_format_desc *d = mx_format(mx_block_element(f));
  if (d->kind == MX_KIND_FLOAT && d->ebits + d->mbits > 6) {
    /* the largest F = (2^(m+1) - 1) * 2^(2^ebits - 3) must stay below 2^31 (E4M3: 2^18);
     * E5M2 does not */
    if ((d->mbits + 1) + ((1 << d->ebits) - 3) > 30) return 0;
  }
  p->is_int = d->kind == MX_KIND_INT;
  p->m = d->mbits;
  p->mag_mask = (1 << (d->bits - 1)) - 1;
  p->sign_shift = d->bits - 1;
  return 1;
}

/* Eight codes -> their F as signed 32-bit integers. */
MXR_SPECIALISED __m256i fix8(const fix_params *p, const uint8_t *codes) {
  __m256i c = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)codes));
  if (p->is_int) return _mm256_srai_epi32(_mm256_slli_epi32(c, 24), 24);
  const __m256i one = _mm256_set1_epi32(1);
  __m256i mag = _mm256_and_si256(c, _mm256_set1_epi32(p->mag_mask));
  __m256i mant = _mm256_and_si256(mag, _mm256_set1_epi32((1 << p->m) - 1));
  __m256i ef = _mm256_srli_epi32(mag, p->m);
  __m256i normal = _mm256_cmpgt_epi32(ef, _mm256_setzero_si256());
  /* subnormal: mant; normal: (2^m + mant) << (ef - 1) */
  __m256i sig = _mm256_or_si256(mant, _mm256_and_si256(normal, _mm256_set1_epi32(1 << p->m)));
  __m256i fixmag = _mm256_sllv_epi32(sig, _mm256_and_si256(normal, _mm256_sub_epi32(ef, one)));
  __m256i neg = _mm256_sub_epi32(_mm256_setzero_si256(), _mm256_and_si256(_mm256_srli_epi32(c, p->sign_shift), one));
  return _mm256_sub_epi32(_mm256_xor_si256(fixmag, neg), neg); /* negate where the sign bit is set */
}

int mxr_avx2_block_sum_applies(mx_block_fmt fa, mx_block_fmt fb, size_t k) {
  fix_params pa = {0, 0, 0, 0}, pb = {0, 0, 0, 0};
  if (k % 8 != 0 || k == 0 || !fix_params_of(fa, &pa) || !fix_params_of(fb, &pb)) return 0;
  /* Measured (bench/README.md): decoding a float element in lanes costs as much as the
   * scalar path's two table loads per product, and the whole DotGeneral ran 10-20 % slower
   * for FP8/FP6/FP4 pairs; for MXINT8 (sign extension only) it runs about 30 % faster. So
   * only INT8 x INT8 takes this kernel; fix8 stays general (any pair without E5M2 is exact). */
  return pa.is_int && pb.is_int;
}

int64_t mxr_avx2_block_sum(mx_block_fmt fa, mx_block_fmt fb, const uint8_t *ca, const uint8_t *cb, size_t k) {
  fix_params pa = {0, 0, 0, 0}, pb = {0, 0, 0, 0};
  fix_params_of(fa, &pa);
  fix_params_of(fb, &pb);
  __m256i acc = _mm256_setzero_si256();
  for (size_t i = 0; i < k; i += 8) {
    __m256i a = fix8(&pa, ca + i), b = fix8(&pb, cb + i);
    __m256i even = _mm256_mul_epi32(a, b); /* lanes 0, 2, 4, 6 */
    __m256i odd = _mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(b, 32));
    acc = _mm256_add_epi64(acc, _mm256_add_epi64(even, odd));
  }
  __m128i s2 = _mm_add_epi64(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  return _mm_cvtsi128_si64(s2) + _mm_extract_epi64(s2, 1);
}

#endif
