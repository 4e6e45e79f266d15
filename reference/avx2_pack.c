/* libmxref AVX2 path: packing FP4 and FP6 codes (block.h mx_pack_layout), 32 codes at a
 * time. The layouts are the scalar pack.c's; these are the same byte and shift operations
 * on 16-bit (FP4: a pair of codes <-> one byte) or 32-bit (FP6: four codes <-> three bytes)
 * lanes. Loads and stores touch only the bytes of whole groups, never past them. */
#include "dispatch.h"

#if MXR_HAVE_AVX2 && defined(__AVX2__)
#include <immintrin.h>

#include "avx2.h"

/* dwords {0,1,2} and {4,5,6} of a vector hold 24 packed bytes: the mask for maskload/store */
static inline __m256i six_dwords(void) { return _mm256_setr_epi32(-1, -1, -1, -1, -1, -1, 0, 0); }

size_t mxr_avx2_pack(mx_pack_layout l, const uint8_t *codes, size_t n, uint8_t *out) {
  size_t i = 0;
  switch (l) {
  case MX_PACK_FP4_LOW:
  case MX_PACK_FP4_HIGH:
    for (; i + 32 <= n; i += 32) {
      __m256i v = _mm256_loadu_si256((const __m256i *)(codes + i)); /* u16 lane: first | second << 8 */
      __m256i t = l == MX_PACK_FP4_LOW
                      ? _mm256_or_si256(_mm256_and_si256(v, _mm256_set1_epi16(0x000F)),
                                        _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi16(0x00F0)))
                      : _mm256_or_si256(_mm256_and_si256(_mm256_slli_epi16(v, 4), _mm256_set1_epi16(0x00F0)),
                                        _mm256_and_si256(_mm256_srli_epi16(v, 8), _mm256_set1_epi16(0x000F)));
      __m256i p = _mm256_permute4x64_epi64(_mm256_packus_epi16(t, t), 0x08); /* qwords 0, 2 */
      _mm_storeu_si128((__m128i *)(out + i / 2), _mm256_castsi256_si128(p));
    }
    return i;
  case MX_PACK_FP6_LSB: {
    /* per dword c0 | c1 << 8 | c2 << 16 | c3 << 24 -> c0 | c1 << 6 | c2 << 12 | c3 << 18 */
    const __m256i compact = _mm256_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1, 0, 1, 2, 4, 5,
                                             6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
    const __m256i order = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);
    for (; i + 32 <= n; i += 32) {
      __m256i w = _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(codes + i)), _mm256_set1_epi8(0x3F));
      __m256i x = _mm256_or_si256(
          _mm256_or_si256(_mm256_and_si256(w, _mm256_set1_epi32(0x3F)),
                          _mm256_srli_epi32(_mm256_and_si256(w, _mm256_set1_epi32(0x3F00)), 2)),
          _mm256_or_si256(_mm256_srli_epi32(_mm256_and_si256(w, _mm256_set1_epi32(0x3F0000)), 4),
                          _mm256_srli_epi32(_mm256_and_si256(w, _mm256_set1_epi32(0x3F000000)), 6)));
      __m256i p = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(x, compact), order);
      _mm256_maskstore_epi32((int *)(out + i / 4 * 3), six_dwords(), p);
    }
    return i;
  }
  default: return 0;
  }
}

size_t mxr_avx2_unpack(mx_pack_layout l, const uint8_t *packed, size_t n, uint8_t *codes) {
  size_t i = 0;
  switch (l) {
  case MX_PACK_FP4_LOW:
  case MX_PACK_FP4_HIGH:
    for (; i + 32 <= n; i += 32) {
      __m256i v = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(packed + i / 2)));
      __m256i t = l == MX_PACK_FP4_LOW
                      ? _mm256_or_si256(_mm256_and_si256(v, _mm256_set1_epi16(0x000F)),
                                        _mm256_and_si256(_mm256_slli_epi16(v, 4), _mm256_set1_epi16(0x0F00)))
                      : _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi16(0x000F)),
                                        _mm256_and_si256(_mm256_slli_epi16(v, 8), _mm256_set1_epi16(0x0F00)));
      _mm256_storeu_si256((__m256i *)(codes + i), t);
    }
    return i;
  case MX_PACK_FP6_LSB: {
    /* 24 bytes -> dwords {0,1,2} in the low lane, {3,4,5} in the high one -> one 3-byte group
     * per dword -> four 6-bit codes, one per byte */
    const __m256i order = _mm256_setr_epi32(0, 1, 2, 0, 3, 4, 5, 0);
    const __m256i spread = _mm256_setr_epi8(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1, 0, 1, 2, -1, 3, 4,
                                            5, -1, 6, 7, 8, -1, 9, 10, 11, -1);
    for (; i + 32 <= n; i += 32) {
      __m256i raw = _mm256_maskload_epi32((const int *)(packed + i / 4 * 3), six_dwords());
      __m256i x = _mm256_shuffle_epi8(_mm256_permutevar8x32_epi32(raw, order), spread);
      __m256i c = _mm256_or_si256(
          _mm256_or_si256(_mm256_and_si256(x, _mm256_set1_epi32(0x3F)),
                          _mm256_and_si256(_mm256_slli_epi32(x, 2), _mm256_set1_epi32(0x3F00))),
          _mm256_or_si256(_mm256_and_si256(_mm256_slli_epi32(x, 4), _mm256_set1_epi32(0x3F0000)),
                          _mm256_and_si256(_mm256_slli_epi32(x, 6), _mm256_set1_epi32(0x3F000000))));
      _mm256_storeu_si256((__m256i *)(codes + i), c);
    }
    return i;
  }
  default: return 0;
  }
}

#endif
