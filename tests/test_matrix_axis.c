/* The blocking axis of mxref_quantize_matrix matters: quantizing along rows and down
 * columns gives different, and each correct, results (MX conversion and transposition do
 * not commute; MX paper, spec digest §3.1). Each result is checked against per-block
 * mxref_quantize_block on the gathered blocks, the two axes against each other through a
 * transpose, and bad dimensions against the -1 contract. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mxconform/block.h"
#include "mxconform/mxref.h"

static uint32_t f32_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}

static uint64_t rng_state = 0x243F6A8885A308D3ull;
static uint64_t next_random(void) {
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* The smallest example: E2M1, k = 2. Row 0 = {8, 0.5} shares 2^1 so 0.5/2 = 0.25 ties to 0;
 * column 1 = {0.5, 0.5} gets 2^-3 and keeps 0.5 exactly. */
static void smallest_example(void) {
  const uint32_t m[4] = {f32_bits(8.0f), f32_bits(0.5f), f32_bits(0.5f), f32_bits(0.5f)};
  uint8_t rs[2], rc[4], cs[2], cc[4];
  CHECK(mxref_quantize_matrix(MX_MXFP4_E2M1, MX_F32, m, 2, 2, 1, 2, NULL, rs, rc) == 0, "rows");
  CHECK(mxref_quantize_matrix(MX_MXFP4_E2M1, MX_F32, m, 2, 2, 0, 2, NULL, cs, cc) == 0, "columns");
  CHECK(rs[0] == 0x80 && rc[0] == 0x6 && rc[1] == 0x0, "row 0: scale 0x%02x codes 0x%x 0x%x (want 0x80, 4, 0)",
        rs[0], rc[0], rc[1]);
  CHECK(cs[1] == 0x7C && cc[1] == 0x6 && cc[3] == 0x6, "column 1: scale 0x%02x codes 0x%x 0x%x (want 0x7c, 4, 4)",
        cs[1], cc[1], cc[3]);
  CHECK(rc[1] != cc[1], "element (0,1) is 0 by rows and 0.5 by columns");
}

/* One source format, one block format: both axes against per-block quantization and each
 * other. Values vary by row and by column over several binades so blocks share scales
 * differently along the two axes. */
static void both_axes(mx_block_fmt f, mx_fmt src, size_t k, size_t rows, size_t cols) {
  const size_t n = rows * cols, w = src == MX_F32 ? 4 : src == MX_F64 ? 8 : 2;
  unsigned char *m = malloc(n * w), *mt = malloc(n * w), *gathered = malloc(k * w);
  uint8_t *row_codes = malloc(n), *col_codes = malloc(n), *t_codes = malloc(n), *block = malloc(k);
  uint8_t *row_scales = malloc(n / k), *col_scales = malloc(n / k), *t_scales = malloc(n / k);
  if (!m || !mt || !gathered || !row_codes || !col_codes || !t_codes || !block || !row_scales || !col_scales ||
      !t_scales)
    abort();
  for (size_t r = 0; r < rows; r++)
    for (size_t c = 0; c < cols; c++) {
      double mag = ldexp(1.0 + (double)(next_random() >> 11) * 0x1p-53, (int)(r % 7) * 3 - (int)(c % 5) * 4);
      double v = (next_random() & 1) ? -mag : mag;
      if (src == MX_F64) memcpy(m + (r * cols + c) * w, &v, 8);
      else {
        uint32_t b = f32_bits((float)v);
        if (src == MX_F32) memcpy(m + (r * cols + c) * w, &b, 4);
        else {
          uint16_t h = (uint16_t)(b >> 16); /* bf16: the high half of the f32 */
          memcpy(m + (r * cols + c) * w, &h, 2);
        }
      }
    }
  for (size_t r = 0; r < rows; r++) /* mt = transpose of m */
    for (size_t c = 0; c < cols; c++) memcpy(mt + (c * rows + r) * w, m + (r * cols + c) * w, w);

  CHECK(mxref_quantize_matrix(f, src, m, rows, cols, 1, k, NULL, row_scales, row_codes) == 0, "axis 1");
  CHECK(mxref_quantize_matrix(f, src, m, rows, cols, 0, k, NULL, col_scales, col_codes) == 0, "axis 0");
  CHECK(mxref_quantize_matrix(f, src, mt, cols, rows, 1, k, NULL, t_scales, t_codes) == 0, "axis 1 of transpose");

  int bad_rows = 0, bad_cols = 0, bad_transpose = 0;
  for (size_t r = 0; r < rows; r++) /* axis 1: contiguous blocks of each row */
    for (size_t b = 0; b < cols / k; b++) {
      uint8_t s;
      mxref_quantize_block(f, src, m + (r * cols + b * k) * w, k, NULL, NULL, &s, block);
      bad_rows += s != row_scales[r * (cols / k) + b] || memcmp(block, row_codes + r * cols + b * k, k) != 0;
    }
  for (size_t rb = 0; rb < rows / k; rb++) /* axis 0: blocks gathered down each column */
    for (size_t c = 0; c < cols; c++) {
      uint8_t s;
      for (size_t i = 0; i < k; i++) memcpy(gathered + i * w, m + ((rb * k + i) * cols + c) * w, w);
      mxref_quantize_block(f, src, gathered, k, NULL, NULL, &s, block);
      bad_cols += s != col_scales[rb * cols + c];
      for (size_t i = 0; i < k; i++) bad_cols += block[i] != col_codes[(rb * k + i) * cols + c];
      /* blocks down the columns of m are blocks along the rows of its transpose */
      bad_transpose += s != t_scales[c * (rows / k) + rb];
      for (size_t i = 0; i < k; i++) bad_transpose += col_codes[(rb * k + i) * cols + c] != t_codes[c * rows + rb * k + i];
    }
  CHECK(bad_rows == 0, "%s from %s: %d row blocks differ from mxref_quantize_block", mx_block_fmt_names[f],
        mx_format(src)->name, bad_rows);
  CHECK(bad_cols == 0, "%s from %s: %d column blocks differ from mxref_quantize_block on gathered values",
        mx_block_fmt_names[f], mx_format(src)->name, bad_cols);
  CHECK(bad_transpose == 0, "%s from %s: axis 0 of M != transpose of axis 1 of M^T (%d)", mx_block_fmt_names[f],
        mx_format(src)->name, bad_transpose);

  /* the property itself: some element dequantizes differently along the two axes */
  size_t differ = 0;
  for (size_t r = 0; r < rows; r++)
    for (size_t c = 0; c < cols; c++) {
      uint32_t a, b;
      mxref_dequantize_block(f, row_scales[r * (cols / k) + c / k], &row_codes[r * cols + c], 1, MX_F32, NULL, &a);
      mxref_dequantize_block(f, col_scales[(r / k) * cols + c], &col_codes[r * cols + c], 1, MX_F32, NULL, &b);
      differ += a != b;
    }
  CHECK(differ > 0, "%s from %s: rows and columns gave the same values everywhere", mx_block_fmt_names[f],
        mx_format(src)->name);
  free(m);
  free(mt);
  free(gathered);
  free(row_codes);
  free(col_codes);
  free(t_codes);
  free(block);
  free(row_scales);
  free(col_scales);
  free(t_scales);
}

static void bad_dimensions(void) {
  uint32_t m[64] = {0};
  uint8_t s[64], c[64];
  CHECK(mxref_quantize_matrix(MX_MXFP8_E4M3, MX_F32, m, 2, 30, 1, 32, NULL, s, c) == -1, "cols not a multiple of k");
  CHECK(mxref_quantize_matrix(MX_MXFP8_E4M3, MX_F32, m, 30, 2, 0, 32, NULL, s, c) == -1, "rows not a multiple of k");
  CHECK(mxref_quantize_matrix(MX_MXFP8_E4M3, MX_F32, m, 2, 32, 2, 32, NULL, s, c) == -1, "axis 2");
  CHECK(mxref_quantize_matrix(MX_MXFP8_E4M3, MX_F32, m, 2, 32, 1, 0, NULL, s, c) == -1, "k = 0");
  CHECK(mxref_quantize_matrix(MX_MXFP8_E4M3, MX_E4M3, m, 2, 32, 1, 32, NULL, s, c) == -1, "e4m3 is no source");
  CHECK(mxref_quantize_matrix(MX_MXFP8_E4M3, MX_F32, m, 2, 32, 0, 2, NULL, s, c) == 0, "2 x 32 in blocks of 2 down");
}

int main(void) {
  smallest_example();
  for (int f = 0; f < MX_BLOCK_FMT_COUNT; f++) both_axes((mx_block_fmt)f, MX_F32, MX_BLOCK_SIZE, 64, 96);
  both_axes(MX_MXFP4_E2M1, MX_BF16, 4, 12, 20);
  both_axes(MX_MXFP8_E5M2, MX_F64, 8, 16, 24);
  bad_dimensions();
  return CHECK_DONE();
}
