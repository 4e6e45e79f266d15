/* libmxref block layer: quantize a matrix in blocks along one axis.
 *
 * The axis is an explicit argument because MX conversion and transposition do not commute
 * (MX paper, spec digest §3.1): blocks along rows and blocks down columns share scales
 * between different sets of values. */
#include <string.h>

#include "mxconform/block.h"

static size_t source_width(mx_fmt src) {
  switch (src) {
  case MX_F32: return 4;
  case MX_BF16:
  case MX_F16: return 2;
  case MX_F64: return 8;
  default: return 0;
  }
}

int mxref_quantize_matrix(mx_block_fmt f, mx_fmt src, const void *values, size_t rows, size_t cols, int axis,
                          size_t k, const mx_block_opts *o, uint8_t *scales, uint8_t *codes) {
  size_t w = source_width(src);
  if (!w || (unsigned)f >= MX_BLOCK_FMT_COUNT || k < 1 || k > MX_BLOCK_MAX || (axis != 0 && axis != 1)) return -1;
  if ((axis == 1 ? cols : rows) % k != 0) return -1;
  const unsigned char *in = values;
  if (axis == 1) {
    /* a row's blocks are contiguous: quantize them in place */
    size_t per_row = cols / k;
    for (size_t r = 0; r < rows; r++)
      for (size_t b = 0; b < per_row; b++)
        mxref_quantize_block(f, src, in + (r * cols + b * k) * w, k, o, NULL, &scales[r * per_row + b],
                             &codes[r * cols + b * k]);
    return 0;
  }
  /* down the columns: gather each block's k values (stride cols), quantize, scatter back */
  unsigned char gathered[MX_BLOCK_MAX * 8];
  uint8_t block_codes[MX_BLOCK_MAX];
  for (size_t rb = 0; rb < rows / k; rb++)
    for (size_t c = 0; c < cols; c++) {
      for (size_t i = 0; i < k; i++) memcpy(gathered + i * w, in + ((rb * k + i) * cols + c) * w, w);
      mxref_quantize_block(f, src, gathered, k, o, NULL, &scales[rb * cols + c], block_codes);
      for (size_t i = 0; i < k; i++) codes[(rb * k + i) * cols + c] = block_codes[i];
    }
  return 0;
}
