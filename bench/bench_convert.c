/* mxbench: libmxref throughput, as GB/s of input and as a ratio to memcpy of the same input
 * buffer measured in the same run (so numbers from different machines compare as ratios),
 * for every code path this CPU runs (scalar, avx2: mxref_set_path).
 *
 *   convert      f32 -> each element/scale format, round=rne overflow=sat, mxref_convert
 *   convert-f64  f64 -> each element/scale format (ratio against memcpy of the f64 input)
 *   decode       element codes -> f32, mxref_decode_f32
 *   quantize     f32 -> scales + packed codes, blocks of 32, rule floor (the ocp profile),
 *                the tensor API mxref_quantize; FP6 in fp6-lsb and FP4 in fp4-low layout
 *   quantize-f64 the same from f64 (MXFP8 E4M3)
 *   dequantize   scales + packed codes -> f32, mxref_dequantize
 *   quantize/dequantize also run on T threads (--threads T, default 2; mxref_set_threads)
 *   nvfp4        mxref_nvfp4_quantize under the default knobs (`exact`) and the nvfp4-te
 *                ones, and mxref_nvfp4_dequantize_tensor, on 1 and T threads
 *
 * One figure per op x format x path x threads, at one working set: 256 MiB of input by
 * default (streams from memory; --size-kib N for others, e.g. 64 for in-cache). Each figure
 * is the best of at least 3 passes, its memcpy baseline the best of passes alternating with
 * the kernel's (best_pair: both together --min-seconds x 2, default 0.15). Ends with the
 * issue's goals as ratios (rows at 256 MiB or more). The scalar path, which has no goal, runs smaller (scalar_kib below): 16 MiB
 * instead of 256, its NVFP4 rows 4 MiB. About 40 s on a quiet 2-core machine (make bench:
 * about a minute and a half with mxbench_peers and mxbench_dot); see bench/README.md.
 *
 * --op OP (repeatable: convert, convert-f64, decode, quantize, quantize-f64, dequantize, nvfp4)
 * times only those rows: an A/B of two builds of one kernel in seconds instead of a minute.
 *
 * usage: mxbench [--size-kib N]... [--min-seconds S] [--threads T] [--path scalar|avx2] [--op OP]...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mxconform/block.h"
#include "mxconform/mxref.h"
#include "mxconform/nvfp4.h"

#include "bench_common.h"

/* Keeps the compiler from dropping work whose result is never read. */
static volatile uint8_t g_sink;

/* --op: the ops to time (none given: all). */
static const char *g_ops[8];
static int g_nops;

static int op_wanted(const char *op) {
  for (int i = 0; i < g_nops; i++)
    if (!strcmp(g_ops[i], op)) return 1;
  return g_nops == 0;
}

typedef struct work {
  size_t n;           /* values (f32) or codes */
  size_t n64;         /* f64 values (in f32_out, same bytes: n / 2) */
  uint32_t *f32_in;   /* n f32 bit patterns */
  uint8_t *codes;     /* n codes */
  uint8_t *scales;    /* n / 32 scales */
  uint32_t *f32_out;  /* n f32 */
  unsigned char *copy_src, *copy_dst; /* memcpy baseline */
  size_t copy_bytes;
  mx_fmt elem;
  mx_block_fmt block;
  mx_pack_layout layout; /* quantize output / dequantize input */
  mx_block_opts opts;
  mx_convert_opts cvt;
  uint8_t *nv_scales;    /* n / 16 NVFP4 block scales */
  mx_nvfp4_opts nv;
  mx_nvfp4_tensor nv_out;
  size_t nv_n;           /* values the NVFP4 rows take (n, or less on the scalar path) */
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

static void k_convert64(void *p) {
  work *w = p;
  mxref_convert(w->elem, MX_F64, w->f32_out, w->codes, w->n64, &w->cvt, NULL);
  g_sink = w->codes[w->n64 / 2];
}

static void k_quantize64(void *p) {
  work *w = p;
  mxref_quantize(w->block, MX_F64, w->f32_out, w->n64, MX_BLOCK_SIZE, &w->opts, w->layout, w->scales, w->codes);
  g_sink = w->codes[w->n64 / 4];
}

static void k_decode(void *p) {
  work *w = p;
  mxref_decode_f32(w->elem, w->codes, (float *)w->f32_out, w->n);
  g_sink = (uint8_t)w->f32_out[w->n / 2];
}

static void k_quantize(void *p) {
  work *w = p;
  mxref_quantize(w->block, MX_F32, w->f32_in, w->n, MX_BLOCK_SIZE, &w->opts, w->layout, w->scales, w->codes);
  g_sink = w->codes[w->n / 4];
}

static void k_dequantize(void *p) {
  work *w = p;
  mxref_dequantize(w->block, w->scales, w->codes, w->n, MX_BLOCK_SIZE, w->layout, MX_F32, &w->opts, w->f32_out);
  g_sink = (uint8_t)w->f32_out[w->n / 2];
}

static void k_nvfp4_quantize(void *p) {
  work *w = p;
  w->nv_out = (mx_nvfp4_tensor){0, 0, w->nv_scales, w->codes};
  if (mxref_nvfp4_quantize(w->f32_in, w->nv_n, NULL, &w->nv, &w->nv_out) != 0) abort();
  g_sink = w->codes[w->nv_n / 2];
}

static void k_nvfp4_dequantize(void *p) {
  work *w = p;
  if (mxref_nvfp4_dequantize_tensor(&w->nv_out, w->nv_n, &w->nv, w->f32_out) != 0) abort();
  g_sink = (uint8_t)w->f32_out[w->nv_n / 2];
}

/* Ordinary data: both signs, significands uniform, exponents over 2^-20 .. 2^20. */
static void fill_inputs(work *w) {
  for (size_t i = 0; i < w->n; i++) {
    uint64_t r = next_random();
    uint32_t exp = 127 - 20 + (uint32_t)((r >> 32) % 41);
    w->f32_in[i] = (uint32_t)(r & 0x807FFFFFu) | exp << 23;
  }
}

/* f64 data of the same kind, exactly the f32 values with random low bits below f32's
 * precision (so rounding sees sticky bits), in f32_out's bytes. */
static void fill_inputs64(work *w) {
  uint64_t *d = (uint64_t *)(void *)w->f32_out;
  for (size_t i = 0; i < w->n64; i++) {
    uint32_t f = w->f32_in[i];
    uint64_t ef = (f >> 23) & 0xFF;
    d[i] = (uint64_t)(f >> 31) << 63 | (ef - 127 + 1023) << 52 | (uint64_t)(f & 0x7FFFFF) << 29 |
           (next_random() & 0x1FFFFFFF);
  }
}

/* The goals of the SIMD issue, checked against the ratios of the rows at 256 MiB or more. */
typedef struct goal_row {
  char label[64];
  double ratio, goal;
} goal_row;
static goal_row g_goals[128];
static int g_ngoals;

static void goal(const char *path, const char *what, const char *fmt, int threads, double ratio, double want) {
  if (g_ngoals >= 128 || ratio == 0) return; /* full, or a row --op left out */
  snprintf(g_goals[g_ngoals].label, sizeof g_goals[0].label, "%s %s %s, %d thread%s", path, what, fmt, threads,
           threads > 1 ? "s" : "");
  g_goals[g_ngoals].ratio = ratio;
  g_goals[g_ngoals++].goal = want;
}

/* One table row: the kernel's GB/s of input and its ratio to a memcpy of that input.
 * Returns the ratio. */
static double row(const char *path, const char *op, const char *fmt, size_t size_kib, int threads, kernel_fn fn,
                  work *w, unsigned char *input, size_t input_bytes, double min_seconds) {
  if (!op_wanted(strncmp(fmt, "nvfp4", 5) ? op : "nvfp4")) return 0; /* --op nvfp4: its four rows */
  w->copy_src = input;
  w->copy_bytes = input_bytes;
  double t_copy, t;
  best_pair(k_memcpy, fn, w, min_seconds, &t_copy, &t); /* alternating passes: one stretch of time */
  double gbs = (double)input_bytes / t / 1e9, copy_gbs = (double)input_bytes / t_copy / 1e9;
  char size[32];
  if (size_kib >= 1024) snprintf(size, sizeof size, "%zu MiB", size_kib / 1024);
  else snprintf(size, sizeof size, "%zu KiB", size_kib);
  /* the NVFP4 rows take nv_n values (fewer than n on the scalar path) */
  const double values = !strncmp(fmt, "nvfp4", 5) ? (double)w->nv_n : strstr(op, "f64") ? (double)w->n64 : (double)w->n;
  printf("%-6s %-12s %-5s %-4s %2d  %8.3f GB/s  memcpy %7.2f GB/s  ratio %6.4f  %7.3f ns/value  %6.3f values/ns\n",
         path, op, fmt, size, threads, gbs, copy_gbs, gbs / copy_gbs, t / values * 1e9, values / t / 1e9);
  fflush(stdout);
  return gbs / copy_gbs;
}

/* The layout a tensor of this format is stored in: FP6 and FP4 packed. */
static mx_pack_layout natural_layout(mx_block_fmt b) {
  switch (b) {
  case MX_MXFP6_E2M3:
  case MX_MXFP6_E3M2: return MX_PACK_FP6_LSB;
  case MX_MXFP4_E2M1: return MX_PACK_FP4_LOW;
  default: return MX_PACK_BYTE;
  }
}

/* The scalar path's working sets: its rows take 5-9 ns/value (NVFP4: 2-15), compute-bound,
 * the same in cache as from memory, and no goal is judged on them, but at 256 MiB they were
 * 87 % of mxbench's time (3 passes of 0.3-0.6 s per row, and the decode rows' inputs
 * converted at that speed). So a size of 64 MiB or more runs them at 1/16 (16 MiB of f32:
 * still 4M values per pass, 25-40 ms, best of 4-6 passes), and the NVFP4 rows at 1/64 from
 * 4 MiB up (at 256 MiB they took 69-727 ns/value on a loaded machine against 2-14 at 4 MiB).
 * Their ratio is then against a memcpy of that smaller size. */
static size_t scalar_kib(size_t kib) { return kib >= 64 * 1024 ? kib / 16 : kib; }
static size_t scalar_nvfp4_kib(size_t kib) { return kib >= 64 * 64 ? kib / 64 : kib; }

/* Every row of one path: size_kib of input, the NVFP4 rows nv_kib (<= size_kib). */
static void run_size(size_t size_kib, size_t nv_kib, double min_seconds, int threads) {
  work w;
  memset(&w, 0, sizeof w);
  /* the working set is the input: size_kib KiB of f32 (of f64 for the f64 rows) */
  w.n = size_kib * 1024 / 4;
  w.n -= w.n % (2 * MX_BLOCK_SIZE);
  w.n64 = w.n / 2;
  w.f32_in = malloc(w.n * 4);
  w.f32_out = malloc(w.n * 4);
  w.codes = malloc(w.n);
  w.scales = malloc(w.n / MX_BLOCK_SIZE);
  w.nv_scales = malloc(w.n / MX_NVFP4_BLOCK);
  w.copy_dst = malloc(w.n * 4);
  if (!w.f32_in || !w.f32_out || !w.codes || !w.scales || !w.nv_scales || !w.copy_dst) {
    fprintf(stderr, "mxbench: out of memory for %zu KiB\n", size_kib);
    exit(1);
  }
  fill_inputs(&w);
  memset(w.copy_dst, 0, w.n * 4); /* touch every page before timing */
  memset(w.f32_out, 0, w.n * 4);
  mx_convert_opts_default(&w.cvt); /* rne, sat */
  mx_block_opts_default(&w.opts);  /* ocp: floor, rne, sat */
  const char *path = mxref_path_name(mxref_get_path());
  const int goals = size_kib >= 256 * 1024;

  for (int f = 0; f < MX_FMT_COUNT; f++) {
    const mx_format_desc *d = mx_format((mx_fmt)f);
    if (!d->is_element) continue;
    w.elem = (mx_fmt)f;
    double r = row(path, "convert", d->name, size_kib, 1, k_convert, &w, (unsigned char *)w.f32_in, w.n * 4, min_seconds);
    if (goals && w.elem == MX_E8M0) goal(path, "convert", d->name, 1, r, 0.5);
  }
  for (int f = 0; f < MX_FMT_COUNT; f++) {
    const mx_format_desc *d = mx_format((mx_fmt)f);
    if (!d->is_element) continue;
    w.elem = (mx_fmt)f;
    mxref_convert(w.elem, MX_F32, w.f32_in, w.codes, w.n, &w.cvt, NULL); /* realistic codes */
    row(path, "decode", d->name, size_kib, 1, k_decode, &w, w.codes, w.n, min_seconds);
  }
  for (int b = 0; b < MX_BLOCK_FMT_COUNT; b++) {
    w.block = (mx_block_fmt)b;
    w.layout = natural_layout(w.block);
    const char *name = mx_format(mx_block_element(w.block))->name;
    for (int t = 1; t <= threads; t = t == 1 && threads > 1 ? threads : t + threads) {
      mxref_set_threads(t);
      double rq = row(path, "quantize", name, size_kib, t, k_quantize, &w, (unsigned char *)w.f32_in, w.n * 4,
                      min_seconds);
      /* dequantize reads the packed codes and scales just made, writes f32: the ratio is
       * taken against a memcpy of the f32 output size (the larger stream). Under --op
       * dequantize alone they are made here, untimed: without them the buffers hold zero
       * scales, which the AVX2 kernel hands to the scalar path (20x slower, a false row). */
      if (!op_wanted("quantize") && op_wanted("dequantize")) k_quantize(&w);
      double rd = row(path, "dequantize", name, size_kib, t, k_dequantize, &w, (unsigned char *)w.f32_out, w.n * 4,
                      min_seconds);
      if (goals) {
        goal(path, "quantize", name, t, rq, t == 1 ? 0.5 : 0.9);
        goal(path, "dequantize", name, t, rd, t == 1 ? 0.5 : 0.9);
      }
    }
    mxref_set_threads(1);
  }
  /* NVFP4: quantize under the default (exact) knobs and nvfp4-te's, then dequantize the
   * te tensor (ratios against memcpy of the f32 input, and of the f32 output) */
  static const mx_nvfp4_opts nv_exact = MX_NVFP4_OPTS_DEFAULT, nv_te = MX_NVFP4_OPTS_TE;
  const mx_nvfp4_opts *nv_opts[2] = {&nv_exact, &nv_te};
  const char *nv_names[2] = {"nvfp4", "nvfp4-te"};
  w.nv_n = nv_kib == size_kib ? w.n : nv_kib * 1024 / 4 - nv_kib * 1024 / 4 % MX_NVFP4_BLOCK;
  for (int k = 0; k < 2; k++) {
    w.nv = *nv_opts[k];
    for (int t = 1; t <= threads; t = t == 1 && threads > 1 ? threads : t + threads) {
      mxref_set_threads(t);
      double rq = row(path, "quantize", nv_names[k], nv_kib, t, k_nvfp4_quantize, &w, (unsigned char *)w.f32_in,
                      w.nv_n * 4, min_seconds);
      double rd = row(path, "dequantize", nv_names[k], nv_kib, t, k_nvfp4_dequantize, &w, (unsigned char *)w.f32_out,
                      w.nv_n * 4, min_seconds);
      if (goals && nv_kib >= 256 * 1024) {
        goal(path, "quantize", nv_names[k], t, rq, t == 1 ? 0.5 : 0.9);
        goal(path, "dequantize", nv_names[k], t, rd, t == 1 ? 0.5 : 0.9);
      }
    }
    mxref_set_threads(1);
  }
  /* f64 sources, last: their input lives in f32_out (n / 2 doubles, the same bytes) */
  fill_inputs64(&w);
  for (int f = 0; f < MX_FMT_COUNT; f++) {
    const mx_format_desc *d = mx_format((mx_fmt)f);
    if (!d->is_element) continue;
    w.elem = (mx_fmt)f;
    double r = row(path, "convert-f64", d->name, size_kib, 1, k_convert64, &w, (unsigned char *)w.f32_out, w.n64 * 8,
                   min_seconds);
    if (goals) goal(path, "convert-f64", d->name, 1, r, 0.25);
  }
  w.block = MX_MXFP8_E4M3;
  w.layout = MX_PACK_BYTE;
  for (int t = 1; t <= threads; t = t == 1 && threads > 1 ? threads : t + threads) {
    mxref_set_threads(t);
    double r = row(path, "quantize-f64", "e4m3", size_kib, t, k_quantize64, &w, (unsigned char *)w.f32_out, w.n64 * 8,
                   min_seconds);
    if (goals && t == 1) goal(path, "quantize-f64", "e4m3", t, r, 0.25);
  }
  mxref_set_threads(1);
  free(w.f32_in);
  free(w.f32_out);
  free(w.codes);
  free(w.scales);
  free(w.nv_scales);
  free(w.copy_dst);
}

int main(int argc, char **argv) {
  size_t sizes[8];
  int nsizes = 0, threads = 2, only_path = -1;
  double min_seconds = 0.15;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--size-kib") && i + 1 < argc && nsizes < 8) {
      long v = strtol(argv[++i], NULL, 10);
      if (v < 4) {
        fprintf(stderr, "mxbench: --size-kib wants a number >= 4\n");
        return 2;
      }
      sizes[nsizes++] = (size_t)v;
    } else if (!strcmp(argv[i], "--min-seconds") && i + 1 < argc) {
      min_seconds = strtod(argv[++i], NULL);
    } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
      threads = (int)strtol(argv[++i], NULL, 10);
      if (threads < 1 || threads > 256) {
        fprintf(stderr, "mxbench: --threads wants 1..256\n");
        return 2;
      }
    } else if (!strcmp(argv[i], "--path") && i + 1 < argc) {
      only_path = mxref_path_by_name(argv[++i]);
      if (only_path <= 0 || !mxref_path_supported((mxref_path)only_path)) {
        fprintf(stderr, "mxbench: --path %s: unknown or not supported on this CPU\n", argv[i]);
        return 2;
      }
    } else if (!strcmp(argv[i], "--op") && i + 1 < argc && g_nops < 8) {
      g_ops[g_nops++] = argv[++i];
    } else {
      fprintf(stderr, "usage: mxbench [--size-kib N]... [--min-seconds S] [--threads T] [--path scalar|avx2] "
                      "[--op OP]...\n");
      return 2;
    }
  }
  if (!nsizes) sizes[nsizes++] = 256 * 1024;
  printf("mxbench (%s): throughput in GB/s of input; ratio = that / memcpy of the same bytes, same run.\n"
         "Input: f32 for convert and quantize (4 bytes/value), codes for decode (1 byte/value); dequantize is\n"
         "measured against its f32 output (4 bytes/value). Sizes are the f32 working set. Column 4: threads.\n",
         mxref_version());
  for (int p = MXREF_PATH_SCALAR; p < MXREF_PATH_COUNT; p++) {
    if (only_path > 0 && p != only_path) continue;
    if (mxref_set_path((mxref_path)p) != 0) {
      printf("(path %s: not supported on this CPU, skipped)\n", mxref_path_name((mxref_path)p));
      continue;
    }
    const int scalar = p == MXREF_PATH_SCALAR;
    for (int i = 0; i < nsizes; i++)
      run_size(scalar ? scalar_kib(sizes[i]) : sizes[i], scalar ? scalar_nvfp4_kib(sizes[i]) : sizes[i], min_seconds,
               threads);
  }
  if (g_ngoals) {
    printf("\nGoals (issue 18), at 256 MiB: quantize/dequantize >= 0.5 x memcpy on one thread and >= 0.9 on two;\n"
           "E8M0 convert >= 0.5; f64 sources >= 0.25 x memcpy of the f64 input. The avx2 rows are the goals'.\n");
    for (int i = 0; i < g_ngoals; i++)
      printf("  %-40s ratio %6.3f  goal %4.2f  %s\n", g_goals[i].label, g_goals[i].ratio, g_goals[i].goal,
             g_goals[i].ratio >= g_goals[i].goal ? "met" : "not met");
  }
  return 0;
}
