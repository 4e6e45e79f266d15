/* mxbench: libmxref throughput, as GB/s of input and as a ratio to memcpy of the same input
 * buffer measured in the same run (so numbers from different machines compare as ratios).
 *
 *   convert     f32 -> each element/scale format, round=rne overflow=sat, mxref_convert
 *   decode      element codes -> f32, mxref_decode_f32
 *   quantize    f32 blocks of 32 -> scale + codes, rule floor (the ocp profile), one
 *               mxref_quantize_block call per block
 *   dequantize  scale + 32 codes -> f32, one mxref_dequantize_block call per block
 *
 * Two working sets by default: 1 MiB of input (stays in cache) and 256 MiB (streams from
 * memory). Each figure is the best of several timed passes.
 *
 * usage: mxbench [--size-mib N]... [--min-seconds S]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mxconform/block.h"
#include "mxconform/mxref.h"

#include "bench_common.h"

/* Keeps the compiler from dropping work whose result is never read. */
static volatile uint8_t g_sink;

typedef void (*kernel_fn)(void *ctx);

/* Best time of one kernel pass: passes repeat until min_seconds have gone by (at least 3). */
static double best_pass(kernel_fn fn, void *ctx, double min_seconds) {
  double best = 1e30, start = now();
  for (int pass = 0; pass < 3 || now() - start < min_seconds; pass++) {
    double t0 = now();
    fn(ctx);
    double t = now() - t0;
    if (t < best) best = t;
    if (pass > 1000) break;
  }
  return best;
}

typedef struct work {
  size_t n;           /* values (f32) or codes */
  uint32_t *f32_in;   /* n f32 bit patterns */
  uint8_t *codes;     /* n codes */
  uint8_t *scales;    /* n / 32 scales */
  uint32_t *f32_out;  /* n f32 */
  unsigned char *copy_src, *copy_dst; /* memcpy baseline */
  size_t copy_bytes;
  mx_fmt elem;
  mx_block_fmt block;
  mx_block_opts opts;
  mx_convert_opts cvt;
} work;

static void k_memcpy(void *p) {
  work *w = p;
  memcpy(w->copy_dst, w->copy_src, w->copy_bytes);
  g_sink = w->copy_dst[w->copy_bytes / 2];
}

static void k_convert(void *p) {
  work *w = p;
  mxref_convert(w->elem, MX_F32, w->f32_in, w->codes, w->n, &w->cvt, NULL);
  g_sink = w->codes[w->n / 2];
}

static void k_decode(void *p) {
  work *w = p;
  mxref_decode_f32(w->elem, w->codes, (float *)w->f32_out, w->n);
  g_sink = (uint8_t)w->f32_out[w->n / 2];
}

static void k_quantize(void *p) {
  work *w = p;
  for (size_t b = 0; b < w->n / MX_BLOCK_SIZE; b++)
    mxref_quantize_block(w->block, MX_F32, w->f32_in + b * MX_BLOCK_SIZE, MX_BLOCK_SIZE, &w->opts, NULL,
                         &w->scales[b], w->codes + b * MX_BLOCK_SIZE);
  g_sink = w->codes[w->n / 2];
}

static void k_dequantize(void *p) {
  work *w = p;
  for (size_t b = 0; b < w->n / MX_BLOCK_SIZE; b++)
    mxref_dequantize_block(w->block, w->scales[b], w->codes + b * MX_BLOCK_SIZE, MX_BLOCK_SIZE, MX_F32, &w->opts,
                           w->f32_out + b * MX_BLOCK_SIZE);
  g_sink = (uint8_t)w->f32_out[w->n / 2];
}

/* Ordinary data: both signs, significands uniform, exponents over 2^-20 .. 2^20. */
static void fill_inputs(work *w) {
  for (size_t i = 0; i < w->n; i++) {
    uint64_t r = next_random();
    uint32_t exp = 127 - 20 + (uint32_t)((r >> 32) % 41);
    w->f32_in[i] = (uint32_t)(r & 0x807FFFFFu) | exp << 23;
  }
}

/* One table row: the kernel's GB/s of input and its ratio to a memcpy of that input. */
static void row(const char *op, const char *fmt, size_t size_mib, kernel_fn fn, work *w, unsigned char *input,
                size_t input_bytes, double min_seconds) {
  w->copy_src = input;
  w->copy_bytes = input_bytes;
  double t_copy = best_pass(k_memcpy, w, min_seconds);
  double t = best_pass(fn, w, min_seconds);
  double gbs = (double)input_bytes / t / 1e9, copy_gbs = (double)input_bytes / t_copy / 1e9;
  printf("%-10s %-10s %5zu MiB  %8.3f GB/s  memcpy %7.2f GB/s  ratio %6.4f  %7.2f ns/value\n", op, fmt, size_mib, gbs,
         copy_gbs, gbs / copy_gbs, t / (double)w->n * 1e9);
  fflush(stdout);
}

static void run_size(size_t size_mib, double min_seconds) {
  work w;
  memset(&w, 0, sizeof w);
  /* the working set is the f32 input: size_mib MiB of it */
  w.n = size_mib * (1u << 20) / 4;
  w.n -= w.n % MX_BLOCK_SIZE;
  w.f32_in = malloc(w.n * 4);
  w.f32_out = malloc(w.n * 4);
  w.codes = malloc(w.n);
  w.scales = malloc(w.n / MX_BLOCK_SIZE);
  w.copy_dst = malloc(w.n * 4);
  if (!w.f32_in || !w.f32_out || !w.codes || !w.scales || !w.copy_dst) {
    fprintf(stderr, "mxbench: out of memory for %zu MiB\n", size_mib);
    exit(1);
  }
  fill_inputs(&w);
  memset(w.copy_dst, 0, w.n * 4); /* touch every page before timing */
  memset(w.f32_out, 0, w.n * 4);
  mx_convert_opts_default(&w.cvt); /* rne, sat */
  mx_block_opts_default(&w.opts);  /* ocp: floor, rne, sat */

  for (int f = 0; f < MX_FMT_COUNT; f++) {
    const mx_format_desc *d = mx_format((mx_fmt)f);
    if (!d->is_element) continue;
    w.elem = (mx_fmt)f;
    row("convert", d->name, size_mib, k_convert, &w, (unsigned char *)w.f32_in, w.n * 4, min_seconds);
  }
  for (int f = 0; f < MX_FMT_COUNT; f++) {
    const mx_format_desc *d = mx_format((mx_fmt)f);
    if (!d->is_element) continue;
    w.elem = (mx_fmt)f;
    mxref_convert(w.elem, MX_F32, w.f32_in, w.codes, w.n, &w.cvt, NULL); /* realistic codes */
    row("decode", d->name, size_mib, k_decode, &w, w.codes, w.n, min_seconds);
  }
  for (int b = 0; b < MX_BLOCK_FMT_COUNT; b++) {
    w.block = (mx_block_fmt)b;
    row("quantize", mx_format(mx_block_element(w.block))->name, size_mib, k_quantize, &w, (unsigned char *)w.f32_in,
        w.n * 4, min_seconds);
    /* dequantize reads the codes and scales just made: n + n/32 bytes of input */
    row("dequantize", mx_format(mx_block_element(w.block))->name, size_mib, k_dequantize, &w, w.codes,
        w.n + w.n / MX_BLOCK_SIZE, min_seconds);
  }
  free(w.f32_in);
  free(w.f32_out);
  free(w.codes);
  free(w.scales);
  free(w.copy_dst);
}

int main(int argc, char **argv) {
  size_t sizes[8];
  int nsizes = 0;
  double min_seconds = 0.3;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--size-mib") && i + 1 < argc && nsizes < 8) {
      long v = strtol(argv[++i], NULL, 10);
      if (v < 1) {
        fprintf(stderr, "mxbench: --size-mib wants a positive number\n");
        return 2;
      }
      sizes[nsizes++] = (size_t)v;
    } else if (!strcmp(argv[i], "--min-seconds") && i + 1 < argc) {
      min_seconds = strtod(argv[++i], NULL);
    } else {
      fprintf(stderr, "usage: mxbench [--size-mib N]... [--min-seconds S]\n");
      return 2;
    }
  }
  if (!nsizes) {
    sizes[nsizes++] = 1;
    sizes[nsizes++] = 256;
  }
  printf("mxbench (%s): throughput in GB/s of input; ratio = that / memcpy of the same input, same run.\n"
         "Input: f32 for convert and quantize (4 bytes/value), codes for decode (1 byte/value), codes + scales\n"
         "for dequantize (1 + 1/32 bytes/value). Sizes are the f32 working set.\n",
         mxref_version());
  printf("%-10s %-10s %9s  %13s  %19s  %12s  %s\n", "op", "format", "size", "throughput", "memcpy", "ratio",
         "time per value");
  for (int i = 0; i < nsizes; i++) run_size(sizes[i], min_seconds);
  return 0;
}
