/* mxbench_peers: array f32 -> FP8 E4M3 conversion (rne, saturating) in libmxref beside the
 * peer implementations installed on this machine, same data, same run:
 *
 *   CUDA host   a loop over the CUDA toolkit's host-callable __nv_cvt_float2_to_fp8x2
 *               (cuda_fp8.h, two values per call, __NV_SATFINITE) — compiled in where
 *               CMake found the headers (MXB_HAVE_CUDA_FP8);
 *   APFloat     LLVM's APFloat through our llvm-apfloat target library (dlopen of the
 *               target ABI, one convert call for the whole array; MXB_APFLOAT_LIB) —
 *               APFloat converts one value at a time through its arbitrary-precision
 *               arithmetic, so the ABI's per-array overhead is negligible beside it.
 *
 * Every peer's codes are compared with libmxref's, so a ratio is never quoted for a peer
 * that computes something else on this data (there should be no difference: the peers
 * agree with the oracle on finite inputs, reports/peers/). Ratios are libmxref's values per
 * second over the peer's.
 *
 * usage: mxbench_peers [--values N] [--min-seconds S]
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mxconform/mxref.h"
#include "mxconform/target.h"

#include "bench_common.h"

#ifdef MXB_HAVE_CUDA_FP8
#include <cuda_fp8.h>
#endif

static volatile uint8_t g_sink;

typedef struct work {
  size_t n;
  uint32_t *f32;
  uint64_t *u64; /* the same values widened, for the target ABI */
  uint8_t *codes, *peer_codes;
  uint64_t *peer_u64;
  const mxc_target_api *api;
} work;



static void k_mxref(void *ctx) {
  work *w = ctx;
  mx_convert_opts o;
  mx_convert_opts_default(&o); /* rne, sat */
  mxref_convert(MX_E4M3, MX_F32, w->f32, w->codes, w->n, &o, NULL);
  g_sink = w->codes[w->n / 2];
}

#ifdef MXB_HAVE_CUDA_FP8
static void k_cuda(void *ctx) {
  work *w = ctx;
  for (size_t i = 0; i + 1 < w->n; i += 2) {
    float2 x;
    memcpy(&x.x, &w->f32[i], 4);
    memcpy(&x.y, &w->f32[i + 1], 4);
    __nv_fp8x2_storage_t p = __nv_cvt_float2_to_fp8x2(x, __NV_SATFINITE, __NV_E4M3);
    w->peer_codes[i] = (uint8_t)(p & 0xFF); /* x in the low byte */
    w->peer_codes[i + 1] = (uint8_t)(p >> 8);
  }
  g_sink = w->peer_codes[w->n / 2];
}
#endif

static void k_abi(void *ctx) {
  work *w = ctx;
  w->api->convert(MX_E4M3, MX_F32, MX_RNE, MX_SAT, w->u64, NULL, w->n, w->peer_u64);
  g_sink = (uint8_t)w->peer_u64[w->n / 2];
}

static size_t count_differences(const work *w, int from_u64) {
  size_t d = 0;
  for (size_t i = 0; i < w->n; i++) d += (from_u64 ? (uint8_t)w->peer_u64[i] : w->peer_codes[i]) != w->codes[i];
  return d;
}

static void report(const char *peer, double t_peer, const double t_ref[MXREF_PATH_COUNT], size_t n,
                   size_t differences) {
  printf("%-28s %8.2f ns/value", peer, t_peer / (double)n * 1e9);
  for (int p = MXREF_PATH_SCALAR; p < MXREF_PATH_COUNT; p++)
    if (t_ref[p] > 0) printf("   libmxref %s %7.1fx", mxref_path_name((mxref_path)p), t_peer / t_ref[p]);
  printf("   differences %zu\n", differences);
}

int main(int argc, char **argv) {
  size_t n = (size_t)1 << 20;
  double min_seconds = 0.3;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--values") && i + 1 < argc) n = (size_t)strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--min-seconds") && i + 1 < argc) min_seconds = strtod(argv[++i], NULL);
    else {
      fprintf(stderr, "usage: mxbench_peers [--values N] [--min-seconds S]\n");
      return 2;
    }
  }
  n &= ~(size_t)1;
  if (n < 2) {
    fprintf(stderr, "mxbench_peers: --values wants at least 2\n");
    return 2;
  }
  work w = {n, malloc(n * 4), malloc(n * 8), malloc(n), malloc(n), malloc(n * 8), NULL};
  if (!w.f32 || !w.u64 || !w.codes || !w.peer_codes || !w.peer_u64) {
    fprintf(stderr, "mxbench_peers: out of memory\n");
    return 1;
  }
  /* the data of mxbench: both signs, exponents 2^-20 .. 2^20 (so also E4M3 subnormals,
   * zeros and saturations), uniform significands */
  for (size_t i = 0; i < n; i++) {
    uint64_t r = next_random();
    w.f32[i] = (uint32_t)(r & 0x807FFFFFu) | (uint32_t)(127 - 20 + (uint32_t)((r >> 32) % 41)) << 23;
    w.u64[i] = w.f32[i];
  }
  printf("mxbench_peers: f32 -> e4m3, rne, saturating; %zu values (%zu KiB of f32); best of passes >= %.1f s\n", n,
         n * 4 / 1024, min_seconds);
  double t_ref[MXREF_PATH_COUNT] = {0};
  for (int p = MXREF_PATH_SCALAR; p < MXREF_PATH_COUNT; p++) {
    if (mxref_set_path((mxref_path)p) != 0) continue;
    t_ref[p] = best_pass(k_mxref, &w, min_seconds);
    printf("%-28s %8.2f ns/value\n", p == MXREF_PATH_SCALAR ? "libmxref scalar" : "libmxref avx2",
           t_ref[p] / (double)n * 1e9);
  }
  mxref_set_path(MXREF_PATH_AUTO);
  k_mxref(&w); /* the codes every peer is compared with */

#ifdef MXB_HAVE_CUDA_FP8
  {
    double t = best_pass(k_cuda, &w, min_seconds);
    report("CUDA __nv_cvt_float2_to_fp8x2", t, t_ref, n, count_differences(&w, 0));
  }
#else
  printf("%-28s not built (no CUDA toolkit headers found by CMake)\n", "CUDA __nv_cvt_float2_to_fp8x2");
#endif

  static const struct {
    const char *label, *path;
  } libs[] = {
#ifdef MXB_APFLOAT_LIB
      {"LLVM APFloat (target ABI)", MXB_APFLOAT_LIB},
#endif
      {NULL, NULL}};
  for (int i = 0; libs[i].label; i++) {
    void *h = dlopen(libs[i].path, RTLD_NOW | RTLD_LOCAL);
    mxc_target_get_fn get = h ? (mxc_target_get_fn)(uintptr_t)dlsym(h, MXC_TARGET_SYMBOL) : NULL;
    w.api = get ? get() : NULL;
    if (!w.api || !w.api->convert) {
      printf("%-28s could not load %s\n", libs[i].label, libs[i].path);
      continue;
    }
    double t = best_pass(k_abi, &w, min_seconds);
    report(libs[i].label, t, t_ref, n, count_differences(&w, 1));
  }
#ifndef MXB_APFLOAT_LIB
  printf("%-28s not built (LLVM 19 not found by CMake)\n", "LLVM APFloat (target ABI)");
#endif
  free(w.f32);
  free(w.u64);
  free(w.codes);
  free(w.peer_codes);
  free(w.peer_u64);
  return 0;
}
