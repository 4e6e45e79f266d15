/* mxbench_dot: throughput of libmxref's exact DotGeneral beside a naive "dequantize to f32,
 * then f32 dot" loop over the same inputs in the same run, so the ratio compares across
 * machines. Goal: exact no slower than 2x naive.
 *
 *   exact  mxref_dot_general(a, b, K/32, 32, NULL, NULL): the exact value, one RNE rounding
 *   naive  per element: f32 = table[code] * 2^(scale - 127) for both sides, acc += a * b in
 *          f32, in element order (what an emulation that dequantizes and calls an f32 dot
 *          does; its result is not the exact one, see spec_notes/dot.md)
 *   seq    the fp32-sequential preset through mxref_dot_general (for reference)
 *
 * Each row: M different vector pairs of K elements (M * K * 2 code bytes, in cache), best of
 * several timed passes. Output: ns per DotGeneral, elements (multiply-adds) per ns, and
 * exact / naive.
 *
 * usage: mxbench_dot [--k K] [--pairs M] [--min-seconds S] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mxconform/dot.h"
#include "mxconform/mxref.h"

#include "bench_common.h"

/* Keeps the compiler from dropping work whose result is never read. */
static volatile uint32_t g_sink;

typedef struct work {
  mx_block_fmt fa, fb;
  size_t k_total, pairs, blocks;
  uint8_t *ca, *cb, *sa, *sb; /* pairs * k_total codes, pairs * blocks scales */
  float lut_a[256], lut_b[256], scale_lut[256];
  mx_dot_model seq;
} work;


static void k_exact(void *ctx) {
  work *w = ctx;
  uint32_t x = 0, r;
  for (size_t p = 0; p < w->pairs; p++) {
    mx_dot_vec a = {w->fa, w->sa + p * w->blocks, w->ca + p * w->k_total};
    mx_dot_vec b = {w->fb, w->sb + p * w->blocks, w->cb + p * w->k_total};
    mxref_dot_general(&a, &b, w->blocks, MX_BLOCK_SIZE, NULL, NULL, &r);
    x ^= r;
  }
  g_sink = x;
}

static void k_seq(void *ctx) {
  work *w = ctx;
  uint32_t x = 0, r;
  for (size_t p = 0; p < w->pairs; p++) {
    mx_dot_vec a = {w->fa, w->sa + p * w->blocks, w->ca + p * w->k_total};
    mx_dot_vec b = {w->fb, w->sb + p * w->blocks, w->cb + p * w->k_total};
    mxref_dot_general(&a, &b, w->blocks, MX_BLOCK_SIZE, NULL, &w->seq, &r);
    x ^= r;
  }
  g_sink = x;
}

static void k_naive(void *ctx) {
  work *w = ctx;
  uint32_t x = 0;
  for (size_t p = 0; p < w->pairs; p++) {
    const uint8_t *ca = w->ca + p * w->k_total, *cb = w->cb + p * w->k_total;
    const uint8_t *sa = w->sa + p * w->blocks, *sb = w->sb + p * w->blocks;
    float acc = 0.0f;
    for (size_t j = 0; j < w->blocks; j++) {
      float xa = w->scale_lut[sa[j]], xb = w->scale_lut[sb[j]];
      for (size_t i = 0; i < MX_BLOCK_SIZE; i++) {
        float va = w->lut_a[ca[j * MX_BLOCK_SIZE + i]] * xa, vb = w->lut_b[cb[j * MX_BLOCK_SIZE + i]] * xb;
        acc += va * vb;
      }
    }
    uint32_t bits;
    memcpy(&bits, &acc, 4);
    x ^= bits;
  }
  g_sink = x;
}


static uint8_t finite_code(mx_block_fmt f) {
  mx_fmt e = mx_block_element(f);
  unsigned bits = (unsigned)mx_format(e)->bits;
  for (;;) {
    uint8_t c = (uint8_t)(next_random() & ((1u << bits) - 1u));
    mx_class cl = mx_classify(e, c);
    if (cl != MX_CLASS_NAN && cl != MX_CLASS_INF) return c;
  }
}

static void run_row(mx_block_fmt fa, mx_block_fmt fb, size_t k_total, size_t pairs, double min_seconds) {
  work w;
  memset(&w, 0, sizeof w);
  w.fa = fa;
  w.fb = fb;
  w.k_total = k_total;
  w.pairs = pairs;
  w.blocks = k_total / MX_BLOCK_SIZE;
  w.ca = malloc(pairs * k_total);
  w.cb = malloc(pairs * k_total);
  w.sa = malloc(pairs * w.blocks);
  w.sb = malloc(pairs * w.blocks);
  if (!w.ca || !w.cb || !w.sa || !w.sb) {
    fprintf(stderr, "mxbench_dot: out of memory\n");
    exit(1);
  }
  for (size_t i = 0; i < pairs * k_total; i++) {
    w.ca[i] = finite_code(fa);
    w.cb[i] = finite_code(fb);
  }
  for (size_t i = 0; i < pairs * w.blocks; i++) { /* scales near 1, as after quantization */
    w.sa[i] = (uint8_t)(123 + next_random() % 9);
    w.sb[i] = (uint8_t)(123 + next_random() % 9);
  }
  /* the naive loop's tables (built outside the timing, exact decodes) */
  for (unsigned c = 0; c < 256; c++) {
    mxref_decode_f32(mx_block_element(fa), (const uint8_t[]){(uint8_t)c}, &w.lut_a[c], 1);
    mxref_decode_f32(mx_block_element(fb), (const uint8_t[]){(uint8_t)c}, &w.lut_b[c], 1);
    mxref_decode_f32(MX_E8M0, (const uint8_t[]){(uint8_t)c}, &w.scale_lut[c], 1);
  }
  w.seq = mx_dot_preset_find("fp32-sequential")->model;

  double t_naive = best_pass(k_naive, &w, min_seconds);
  double t_exact = best_pass(k_exact, &w, min_seconds);
  double t_seq = best_pass(k_seq, &w, min_seconds);
  double per = 1e9 / (double)pairs, elems = (double)(pairs * k_total);
  printf("%-6s %-10s x %-10s K=%-5zu  naive %8.1f ns (%5.2f elem/ns)  exact %8.1f ns (%5.2f elem/ns)  "
         "exact/naive %.2f   fp32-sequential %8.1f ns\n",
         mxref_path_name(mxref_get_path()), mx_block_fmt_names[fa], mx_block_fmt_names[fb], k_total, t_naive * per, elems / (t_naive * 1e9),
         t_exact * per, elems / (t_exact * 1e9), t_exact / t_naive, t_seq * per);
  free(w.ca);
  free(w.cb);
  free(w.sa);
  free(w.sb);
}

int main(int argc, char **argv) {
  size_t k_total = 4096, pairs = 256;
  double min_seconds = 0.5;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--k") && i + 1 < argc) k_total = strtoul(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--pairs") && i + 1 < argc) pairs = strtoul(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--min-seconds") && i + 1 < argc) min_seconds = strtod(argv[++i], NULL);
    else {
      fprintf(stderr, "usage: mxbench_dot [--k K] [--pairs M] [--min-seconds S]\n");
      return 2;
    }
  }
  if (k_total < MX_BLOCK_SIZE || k_total % MX_BLOCK_SIZE || pairs == 0) {
    fprintf(stderr, "mxbench_dot: K must be a positive multiple of 32 and M positive\n");
    return 2;
  }
  printf("mxbench_dot: %zu DotGenerals of K = %zu per pass, best of passes over %.1f s\n", pairs, k_total,
         min_seconds);
  /* every libmxref code path this CPU runs (the naive loop is plain C either way) */
  for (int p = MXREF_PATH_SCALAR; p < MXREF_PATH_COUNT; p++) {
    if (mxref_set_path((mxref_path)p) != 0) continue;
    run_row(MX_MXFP8_E4M3, MX_MXFP8_E4M3, k_total, pairs, min_seconds); /* the goal row */
    run_row(MX_MXFP8_E5M2, MX_MXFP8_E5M2, k_total, pairs, min_seconds); /* 128-bit block sums */
    run_row(MX_MXFP4_E2M1, MX_MXFP6_E3M2, k_total, pairs, min_seconds);
    run_row(MX_MXINT8, MX_MXINT8, k_total, pairs, min_seconds);
  }
  return 0;
}
