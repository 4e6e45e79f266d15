/* libmxref AVX2 path internals: FP4 / FP6 packing of 32 codes held in one vector, shared by
 * the pack kernels (avx2_pack.c) and the fused quantize / dequantize kernels
 * (avx2_convert.c, avx2_decode.c), so a packed tensor never goes through a byte buffer.
 *
 * The layouts are pack.c's (block.h mx_pack_layout): fp4-low puts element 2i in the low
 * nibble of byte i, fp4-high in the high one; fp6-lsb is a little-endian bit stream, four
 * codes in three bytes. Every load and store touches only the bytes of the 32 codes' group
 * (16 or 24 bytes): plain 16- and 8-byte moves, no masked moves (vpmaskmov stores are
 * microcoded on AMD Zen, ~12 cycles each; this was the FP6 bottleneck). Include only from
 * files compiled with -mavx2. */
#ifndef MXREF_AVX2_PACK_H
#define MXREF_AVX2_PACK_H

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "mxconform/block.h"

#define MXR_INLINE static inline __attribute__((always_inline))

/* Four vectors of eight codes (the low byte of each 32-bit lane) -> 32 bytes in order. */
MXR_INLINE __m256i mxr_bytes32(__m256i r0, __m256i r1, __m256i r2, __m256i r3) {
  __m256i b = _mm256_packus_epi16(_mm256_packs_epi32(r0, r1), _mm256_packs_epi32(r2, r3));
  return _mm256_permutevar8x32_epi32(b, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

/* Bytes of one 32-code group in layout l (BYTE: 32, FP4: 16, FP6: 24). */
MXR_INLINE size_t mxr_group_bytes(mx_pack_layout l) {
  return l == MX_PACK_BYTE ? 32 : l == MX_PACK_FP6_LSB ? 24 : 16;
}

/* 32 codes (bytes, in order) -> their packed group at out. BYTE stores the codes as they
 * are (the callers' codes are already within the format's width). */
MXR_INLINE void mxr_store_packed32(mx_pack_layout l, uint8_t *out, __m256i c) {
  switch (l) {
  case MX_PACK_FP4_LOW:
  case MX_PACK_FP4_HIGH: {
    /* each 16-bit lane holds codes 2i, 2i+1: one multiply-add makes first | second << 4 */
    __m256i w = l == MX_PACK_FP4_LOW ? _mm256_set1_epi16(0x1001) : _mm256_set1_epi16(0x0110);
    __m256i t = _mm256_maddubs_epi16(_mm256_and_si256(c, _mm256_set1_epi8(0x0F)), w);
    _mm_storeu_si128((__m128i *)out, _mm_packus_epi16(_mm256_castsi256_si128(t), _mm256_extracti128_si256(t, 1)));
    return;
  }
  case MX_PACK_FP6_LSB: {
    /* bytes -> c0 | c1 << 6 per 16-bit lane -> c0 | c1 << 6 | c2 << 12 | c3 << 18 per dword
     * -> three bytes per dword, compacted to 24 bytes */
    __m256i x = _mm256_maddubs_epi16(_mm256_and_si256(c, _mm256_set1_epi8(0x3F)), _mm256_set1_epi16(0x4001));
    x = _mm256_madd_epi16(x, _mm256_set1_epi32(0x10000001));
    const __m256i compact = _mm256_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1, 0, 1, 2, 4, 5,
                                             6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
    __m256i p = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(x, compact), _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7));
    _mm_storeu_si128((__m128i *)out, _mm256_castsi256_si128(p));
    _mm_storel_epi64((__m128i *)(out + 16), _mm256_extracti128_si256(p, 1));
    return;
  }
  default: _mm256_storeu_si256((__m256i *)out, c); return;
  }
}

/* The packed group at in -> its 32 codes (bytes, in order). BYTE returns the bytes as they
 * are: the dequantize kernels mask a code to its format's width themselves. */
MXR_INLINE __m256i mxr_load_packed32(mx_pack_layout l, const uint8_t *in) {
  switch (l) {
  case MX_PACK_FP4_LOW:
  case MX_PACK_FP4_HIGH: {
    __m128i v = _mm_loadu_si128((const __m128i *)in);
    __m128i lo = _mm_and_si128(v, _mm_set1_epi8(0x0F)), hi = _mm_and_si128(_mm_srli_epi16(v, 4), _mm_set1_epi8(0x0F));
    __m128i first = l == MX_PACK_FP4_LOW ? lo : hi, second = l == MX_PACK_FP4_LOW ? hi : lo;
    return _mm256_set_m128i(_mm_unpackhi_epi8(first, second), _mm_unpacklo_epi8(first, second));
  }
  case MX_PACK_FP6_LSB: {
    /* 24 bytes -> groups 0-3 (bytes 0-11) in the low lane, 4-7 (bytes 12-23) in the high
     * one -> one 3-byte group per dword -> four 6-bit codes, one per byte */
    __m256i raw = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)in)),
                                          _mm_loadl_epi64((const __m128i *)(in + 16)), 1);
    raw = _mm256_permutevar8x32_epi32(raw, _mm256_setr_epi32(0, 1, 2, 3, 3, 4, 5, 5));
    const __m256i spread = _mm256_setr_epi8(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1, 0, 1, 2, -1, 3, 4,
                                            5, -1, 6, 7, 8, -1, 9, 10, 11, -1);
    __m256i x = _mm256_shuffle_epi8(raw, spread);
    return _mm256_or_si256(
        _mm256_or_si256(_mm256_and_si256(x, _mm256_set1_epi32(0x3F)),
                        _mm256_and_si256(_mm256_slli_epi32(x, 2), _mm256_set1_epi32(0x3F00))),
        _mm256_or_si256(_mm256_and_si256(_mm256_slli_epi32(x, 4), _mm256_set1_epi32(0x3F0000)),
                        _mm256_and_si256(_mm256_slli_epi32(x, 6), _mm256_set1_epi32(0x3F000000))));
  }
  default: return _mm256_loadu_si256((const __m256i *)in);
  }
}

/* The same for a group of eight codes (FP4: 4 bytes, FP6: 6 bytes), through a zeroed
 * 32-byte buffer: block tails when k is not a multiple of 32. */
MXR_INLINE size_t mxr_group8_bytes(mx_pack_layout l) {
  return l == MX_PACK_BYTE ? 8 : l == MX_PACK_FP6_LSB ? 6 : 4;
}

MXR_INLINE void mxr_store_packed8(mx_pack_layout l, uint8_t *out, __m256i r) {
  uint8_t buf[32];
  mxr_store_packed32(l, buf, mxr_bytes32(r, r, r, r)); /* codes 0-7 lead; the rest is dropped */
  memcpy(out, buf, mxr_group8_bytes(l));
}

#endif
