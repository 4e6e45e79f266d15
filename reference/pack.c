/* libmxref block layer: packing codes into bytes (mx_pack_layout in block.h).
 *
 * The MX spec prescribes no memory layout (MX §5.1), so every layout is explicit and named.
 * Whole groups go through byte and shift operations (2 FP4 codes per byte, 4 FP6 codes per
 * 3 bytes); the tail group is the same operation on a zero-padded group. */
#include "avx2.h"
#include "dispatch.h"
#include "mxconform/block.h"

size_t mxref_pack(mx_block_fmt f, mx_pack_layout l, const uint8_t *codes, size_t n, uint8_t *out) {
  size_t size = mx_packed_size(f, l, n);
  if (size == 0) return 0;
  const uint8_t mask = (uint8_t)((1u << mx_format(mx_block_element(f))->bits) - 1);
  switch (l) {
  case MX_PACK_BYTE:
    for (size_t i = 0; i < n; i++) out[i] = codes[i] & mask;
    break;
  case MX_PACK_FP4_LOW:
  case MX_PACK_FP4_HIGH: {
    /* element 2i goes to the low nibble (fp4-low) or the high nibble (fp4-high) */
    const int first = l == MX_PACK_FP4_LOW ? 0 : 4, second = 4 - first;
    size_t pairs = n / 2, j = 0;
#if MXR_HAVE_AVX2
    if (mxr_use_avx2()) j = mxr_avx2_pack(l, codes, n, out) / 2;
#endif
    for (; j < pairs; j++)
      out[j] = (uint8_t)(((codes[2 * j] & 0xFu) << first) | ((codes[2 * j + 1] & 0xFu) << second));
    if (n & 1) out[pairs] = (uint8_t)((codes[n - 1] & 0xFu) << first);
    break;
  }
  case MX_PACK_FP6_LSB: {
    /* little-endian bit stream: element i at bits 6i..6i+5, so 4 elements fill 24 bits */
    size_t groups = n / 4, rest = n % 4, g = 0;
#if MXR_HAVE_AVX2
    if (mxr_use_avx2()) g = mxr_avx2_pack(l, codes, n, out) / 4;
#endif
    for (; g < groups; g++) {
      const uint8_t *c = codes + 4 * g;
      uint32_t w = (uint32_t)(c[0] & 0x3Fu) | (uint32_t)(c[1] & 0x3Fu) << 6 | (uint32_t)(c[2] & 0x3Fu) << 12 |
                   (uint32_t)(c[3] & 0x3Fu) << 18;
      out[3 * g] = (uint8_t)w;
      out[3 * g + 1] = (uint8_t)(w >> 8);
      out[3 * g + 2] = (uint8_t)(w >> 16);
    }
    if (rest) {
      uint32_t w = 0;
      for (size_t i = 0; i < rest; i++) w |= (uint32_t)(codes[4 * groups + i] & 0x3Fu) << (6 * i);
      size_t bytes = (6 * rest + 7) / 8; /* unused high bits of the last byte stay zero */
      for (size_t b = 0; b < bytes; b++) out[3 * groups + b] = (uint8_t)(w >> (8 * b));
    }
    break;
  }
  default: return 0;
  }
  return size;
}

size_t mxref_unpack(mx_block_fmt f, mx_pack_layout l, const uint8_t *packed, size_t n, uint8_t *codes) {
  size_t size = mx_packed_size(f, l, n);
  if (size == 0) return 0;
  const uint8_t mask = (uint8_t)((1u << mx_format(mx_block_element(f))->bits) - 1);
  switch (l) {
  case MX_PACK_BYTE:
    for (size_t i = 0; i < n; i++) codes[i] = packed[i] & mask;
    break;
  case MX_PACK_FP4_LOW:
  case MX_PACK_FP4_HIGH: {
    const int first = l == MX_PACK_FP4_LOW ? 0 : 4, second = 4 - first;
    size_t pairs = n / 2, j = 0;
#if MXR_HAVE_AVX2
    if (mxr_use_avx2()) j = mxr_avx2_unpack(l, packed, n, codes) / 2;
#endif
    for (; j < pairs; j++) {
      codes[2 * j] = (uint8_t)((packed[j] >> first) & 0xFu);
      codes[2 * j + 1] = (uint8_t)((packed[j] >> second) & 0xFu);
    }
    if (n & 1) codes[n - 1] = (uint8_t)((packed[pairs] >> first) & 0xFu);
    break;
  }
  case MX_PACK_FP6_LSB: {
    size_t groups = n / 4, rest = n % 4, g = 0;
#if MXR_HAVE_AVX2
    if (mxr_use_avx2()) g = mxr_avx2_unpack(l, packed, n, codes) / 4;
#endif
    for (; g < groups; g++) {
      const uint8_t *p = packed + 3 * g;
      uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
      codes[4 * g] = (uint8_t)(w & 0x3Fu);
      codes[4 * g + 1] = (uint8_t)((w >> 6) & 0x3Fu);
      codes[4 * g + 2] = (uint8_t)((w >> 12) & 0x3Fu);
      codes[4 * g + 3] = (uint8_t)((w >> 18) & 0x3Fu);
    }
    if (rest) {
      uint32_t w = 0;
      size_t bytes = (6 * rest + 7) / 8; /* read only the bytes the tail occupies */
      for (size_t b = 0; b < bytes; b++) w |= (uint32_t)packed[3 * groups + b] << (8 * b);
      for (size_t i = 0; i < rest; i++) codes[4 * groups + i] = (uint8_t)((w >> (6 * i)) & 0x3Fu);
    }
    break;
  }
  default: return 0;
  }
  return size;
}
