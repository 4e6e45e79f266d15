/* Oracle packing: a bit stream written and read one bit at a time.
 *
 * libmxref packs with byte arithmetic (shifts and masks per byte); the oracle instead
 * describes every layout as a stream of fixed-width slots and moves single bits, so the
 * two share no algorithm. A layout is three numbers:
 *   slot      bits each code occupies in the stream (8 for `byte`, else the code width)
 *   msb_first whether the stream fills each byte from bit 7 down (fp4-high) or from bit 0 up
 * Within a slot, the first stream bit is the code's least significant bit in an LSB-first
 * stream and its most significant bit in an MSB-first stream, so a code always sits in
 * its byte in natural bit order. Slot bits above the code width are written as 0 and
 * ignored when read. */
#include "oracle_block.h"

typedef struct layout_geometry {
  int code_bits; /* width of one element code */
  int slot_bits; /* width of its slot in the stream */
  int msb_first; /* 1: stream position 0 is bit 7 of byte 0 */
} layout_geometry;

/* 0 when the layout does not apply to the format. */
static int geometry(mx_block_fmt f, mx_pack_layout l, layout_geometry *g) {
  int bits = mx_format(mx_block_element(f))->bits;
  g->code_bits = bits;
  g->msb_first = 0;
  switch (l) {
  case MX_PACK_BYTE: g->slot_bits = 8; return 1;
  case MX_PACK_FP4_LOW: g->slot_bits = 4; return bits == 4;
  case MX_PACK_FP4_HIGH: g->slot_bits = 4; g->msb_first = 1; return bits == 4;
  case MX_PACK_FP6_LSB: g->slot_bits = 6; return bits == 6;
  default: return 0;
  }
}

/* Byte index and bit position (0 = least significant) of stream position `pos`. */
static void locate(const layout_geometry *g, size_t pos, size_t *byte, unsigned *bit) {
  *byte = pos / 8;
  *bit = g->msb_first ? 7u - (unsigned)(pos % 8) : (unsigned)(pos % 8);
}

/* The code bit stored at slot offset j (0 = first bit of the slot in stream order). */
static int code_bit_at(const layout_geometry *g, int j) {
  return g->msb_first ? g->slot_bits - 1 - j : j;
}

size_t mxo_pack(mx_block_fmt f, mx_pack_layout l, const uint8_t *codes, size_t n, uint8_t *out) {
  layout_geometry g;
  if (!geometry(f, l, &g)) return 0;
  size_t total_bits = n * (size_t)g.slot_bits, nbytes = (total_bits + 7) / 8;
  for (size_t b = 0; b < nbytes; b++) out[b] = 0; /* unused bits of the last byte stay 0 */
  size_t pos = 0;
  for (size_t i = 0; i < n; i++) {
    for (int j = 0; j < g.slot_bits; j++, pos++) {
      int cb = code_bit_at(&g, j);
      unsigned bit = cb < g.code_bits ? (codes[i] >> cb) & 1u : 0u; /* padding above the code */
      size_t byte;
      unsigned at;
      locate(&g, pos, &byte, &at);
      out[byte] = (uint8_t)(out[byte] | (bit << at));
    }
  }
  return nbytes;
}

size_t mxo_unpack(mx_block_fmt f, mx_pack_layout l, const uint8_t *packed, size_t n, uint8_t *codes) {
  layout_geometry g;
  if (!geometry(f, l, &g)) return 0;
  size_t pos = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned code = 0;
    for (int j = 0; j < g.slot_bits; j++, pos++) {
      int cb = code_bit_at(&g, j);
      size_t byte;
      unsigned at;
      locate(&g, pos, &byte, &at);
      if (cb < g.code_bits) code |= ((packed[byte] >> at) & 1u) << cb; /* padding is ignored */
    }
    codes[i] = (uint8_t)code;
  }
  return (n * (size_t)g.slot_bits + 7) / 8;
}
