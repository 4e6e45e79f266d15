/* libmxref AVX2 path: packing FP4 and FP6 codes (block.h mx_pack_layout), 32 codes at a
 * time, with the group operations of avx2_pack.h (the layouts are the scalar pack.c's).
 * Loads and stores touch only the bytes of whole groups, never past them. */
#include "dispatch.h"

#if MXR_HAVE_AVX2 && defined(__AVX2__)
#include "avx2.h"
#include "avx2_pack.h"

static int packed_layout(mx_pack_layout l) {
  return l == MX_PACK_FP4_LOW || l == MX_PACK_FP4_HIGH || l == MX_PACK_FP6_LSB;
}

size_t mxr_avx2_pack(mx_pack_layout l, const uint8_t *codes, size_t n, uint8_t *out) {
  if (!packed_layout(l)) return 0;
  const size_t g = mxr_group_bytes(l);
  size_t i = 0;
  for (; i + 32 <= n; i += 32)
    mxr_store_packed32(l, out + i / 32 * g, _mm256_loadu_si256((const __m256i *)(codes + i)));
  return i;
}

size_t mxr_avx2_unpack(mx_pack_layout l, const uint8_t *packed, size_t n, uint8_t *codes) {
  if (!packed_layout(l)) return 0;
  const size_t g = mxr_group_bytes(l);
  size_t i = 0;
  for (; i + 32 <= n; i += 32) _mm256_storeu_si256((__m256i *)(codes + i), mxr_load_packed32(l, packed + i / 32 * g));
  return i;
}

#endif
