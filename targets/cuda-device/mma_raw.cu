/* mma_raw.cu — raw answers of the FP8 tensor-core instruction, for fitting its arithmetic
 * offline (spec_notes/dot.md §4, targets/cuda-device/README.md "Raw mma data").
 *
 * `mxconform probe dot` sees the tensor core only through the target's DotGeneral, which adds
 * software steps (E8M0 scaling, FP32 accumulation across blocks) around one mma per block. This
 * program asks the instruction alone: one `mma.sync.aligned.m16n8k32.row.col.f32.<a>.<b>.f32`
 * per record, all 16 rows of A and 8 columns of B filled, so each record gives 128 dot
 * products of 32 FP8 products each plus an FP32 addend C[i][j].
 *
 *   mxc_mma_raw OUTDIR [N]            on a GPU: OUTDIR/mma_out.<pair>.bin, the 128 D values
 *                                     (uint32, row-major 16x8) of each record
 *   mxc_mma_raw --inputs OUTDIR [N]   anywhere (no GPU needed): OUTDIR/mma_in.<pair>.bin, each
 *                                     record's A (16x32 bytes, row-major), B (8x32 bytes, one
 *                                     column after another) and C (128 uint32, row-major)
 *
 * Compiled as C (`cc -x c`, no CUDA), the file is `mxc_mma_inputs`: the --inputs half alone,
 * so that recorded answers can be analysed where no CUDA toolkit is (mma_fit.py).
 *
 * Both come from the same generator (splitmix64 seeded by pair and class), so the inputs are
 * regenerated bit for bit where the answers are analysed. Pairs: e4m3.e4m3 e5m2.e5m2
 * e4m3.e5m2 e5m2.e4m3; in each file CLASSES blocks of N records (N default 4096):
 *   0 random    every code uniform (NaN and Inf codes included), C = -0
 *   1 sparse    each element of A and of B is 0 with probability 1/2, else uniform finite, C = -0
 *   2 few       2..4 nonzero products at random positions, finite codes, C = -0
 *   3 addend    finite codes, C = +-(1.m) * 2^e with e uniform in [-40, 40]
 *   4 cancel    finite codes, C = -(the sum rounded to FP32) moved by -2..2 ulps; the sum is
 *               taken in long double, so these C are the recorded ones where long double is
 *               x86-64's 80-bit format (gcc, clang and nvcc's host compiler there)
 */
#ifdef __CUDACC__
#include <cuda_runtime.h>
#endif

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROWS = 16, COLS = 8, K = 32, CLASSES = 5, PAIRS = 4 };
enum { A_BYTES = ROWS * K, B_BYTES = COLS * K, C_WORDS = ROWS * COLS };
static const char *const pair_name[PAIRS] = {"e4m3.e4m3", "e5m2.e5m2", "e4m3.e5m2", "e5m2.e4m3"};
static const int pair_a_is_e4m3[PAIRS] = {1, 0, 1, 0}, pair_b_is_e4m3[PAIRS] = {1, 0, 0, 1};

struct record {
  unsigned char a[A_BYTES], b[B_BYTES];
  uint32_t c[C_WORDS];
};

static uint64_t splitmix64(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* exact value of an FP8 code (NaN for NaN codes, +-Inf for E5M2's) */
static double fp8_value(unsigned code, int e4m3) {
  int s = code >> 7, e, m;
  double v;
  if (e4m3) {
    e = (code >> 3) & 15, m = code & 7;
    if (e == 15 && m == 7) return NAN;
    v = e ? ldexp(8 + m, e - 10) : ldexp(m, -9);
  } else {
    e = (code >> 2) & 31, m = code & 3;
    if (e == 31) return m ? NAN : (s ? -INFINITY : INFINITY);
    v = e ? ldexp(4 + m, e - 17) : ldexp(m, -16);
  }
  return s ? -v : v;
}

static unsigned finite_code(uint64_t *s, int e4m3) {
  for (;;) {
    unsigned c = (unsigned)(splitmix64(s) & 0xFF);
    if (isfinite(fp8_value(c, e4m3))) return c;
  }
}

static uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

static void make_record(struct record *r, int pair, int cls, uint64_t *s) {
  int ea = pair_a_is_e4m3[pair], eb = pair_b_is_e4m3[pair];
  memset(r, 0, sizeof *r);
  for (int i = 0; i < C_WORDS; i++) r->c[i] = 0x80000000u; /* -0: the identity of addition */
  if (cls == 2) {
    /* a few nonzero products in each row of A / column of B: the same positions for all */
    int m = 2 + (int)(splitmix64(s) % 3);
    for (int t = 0; t < m; t++) {
      int k = (int)(splitmix64(s) % K);
      for (int i = 0; i < ROWS; i++) r->a[i * K + k] = (unsigned char)finite_code(s, ea);
      for (int j = 0; j < COLS; j++) r->b[j * K + k] = (unsigned char)finite_code(s, eb);
    }
    return;
  }
  for (int i = 0; i < A_BYTES; i++)
    r->a[i] = (unsigned char)(cls == 0 ? splitmix64(s) & 0xFF
                                       : (cls == 1 && (splitmix64(s) & 1)) ? 0 : finite_code(s, ea));
  for (int i = 0; i < B_BYTES; i++)
    r->b[i] = (unsigned char)(cls == 0 ? splitmix64(s) & 0xFF
                                       : (cls == 1 && (splitmix64(s) & 1)) ? 0 : finite_code(s, eb));
  if (cls == 3)
    for (int i = 0; i < C_WORDS; i++) {
      uint64_t x = splitmix64(s);
      int e = (int)(x % 81) - 40;
      float f = ldexpf(1.0f + (float)((x >> 8) & 0x7FFFFF) / 8388608.0f, e);
      r->c[i] = f32_bits((x >> 40) & 1 ? -f : f);
    }
  if (cls == 4)
    for (int i = 0; i < ROWS; i++)
      for (int j = 0; j < COLS; j++) {
        long double sum = 0; /* FP8 products are exact in long double; their sum nearly */
        for (int k = 0; k < K; k++)
          sum += (long double)fp8_value(r->a[i * K + k], ea) * fp8_value(r->b[j * K + k], eb);
        uint32_t u = f32_bits(-(float)sum);
        int moved = (int)(splitmix64(s) % 5) - 2;
        if ((u & 0x7FFFFFFFu) != 0 && (u & 0x7F800000u) != 0x7F800000u) u = (uint32_t)((int64_t)u + moved);
        r->c[i * COLS + j] = u;
      }
}

static int write_file(const char *dir, const char *stem, const char *pair, const void *p, size_t bytes) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.%s.bin", dir, stem, pair);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(p, 1, bytes, f) != bytes || fclose(f) != 0) {
    fprintf(stderr, "mxc_mma_raw: %s: cannot write\n", path);
    return 2;
  }
  return 0;
}

#ifdef __CUDACC__
#include "mma_fp8.cuh" /* MXC_MMA_FP8, mxc_load4 */

/* one warp per record; fragment layout as in cuda_device_target.cu (PTX ISA, m16n8k32, 8-bit) */
template <int PAIR>
__global__ void k_mma(const struct record *in, uint32_t *out, unsigned n) {
  unsigned w = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (w >= n) return;
  const struct record *r = in + w;
  unsigned g = lane >> 2, t = lane & 3;
  const unsigned char *row = r->a + g * K, *row8 = r->a + (g + 8) * K;
  unsigned a[4] = {mxc_load4(row + 4 * t), mxc_load4(row8 + 4 * t), mxc_load4(row + 16 + 4 * t),
                   mxc_load4(row8 + 16 + 4 * t)};
  unsigned b[2] = {mxc_load4(r->b + g * K + 4 * t), mxc_load4(r->b + g * K + 16 + 4 * t)};
  float c[4] = {__uint_as_float(r->c[g * COLS + 2 * t]), __uint_as_float(r->c[g * COLS + 2 * t + 1]),
                __uint_as_float(r->c[(g + 8) * COLS + 2 * t]), __uint_as_float(r->c[(g + 8) * COLS + 2 * t + 1])};
  float d[4];
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 890
  if (PAIR == 0) MXC_MMA_FP8("e4m3", "e4m3");
  else if (PAIR == 1) MXC_MMA_FP8("e5m2", "e5m2");
  else if (PAIR == 2) MXC_MMA_FP8("e4m3", "e5m2");
  else MXC_MMA_FP8("e5m2", "e4m3");
#else
  d[0] = d[1] = d[2] = d[3] = __int_as_float(0x7FC00000);
#endif
  uint32_t *o = out + (size_t)w * C_WORDS;
  o[g * COLS + 2 * t] = __float_as_uint(d[0]);
  o[g * COLS + 2 * t + 1] = __float_as_uint(d[1]);
  o[(g + 8) * COLS + 2 * t] = __float_as_uint(d[2]);
  o[(g + 8) * COLS + 2 * t + 1] = __float_as_uint(d[3]);
}

#define CUDA_OK(x)                                                                           \
  do {                                                                                       \
    cudaError_t e_ = (x);                                                                    \
    if (e_ != cudaSuccess) {                                                                 \
      fprintf(stderr, "mxc_mma_raw: %s: %s\n", #x, cudaGetErrorString(e_));                  \
      return 3;                                                                              \
    }                                                                                        \
  } while (0)

static int run_pair(int pair, const struct record *h_in, size_t n_all, uint32_t *h_out) {
  struct record *d_in;
  uint32_t *d_out;
  CUDA_OK(cudaMalloc(&d_in, n_all * sizeof *h_in));
  CUDA_OK(cudaMalloc(&d_out, n_all * C_WORDS * 4));
  CUDA_OK(cudaMemcpy(d_in, h_in, n_all * sizeof *h_in, cudaMemcpyHostToDevice));
  unsigned blocks = (unsigned)((n_all + 7) / 8);
  switch (pair) {
  case 0: k_mma<0><<<blocks, 256>>>(d_in, d_out, (unsigned)n_all); break;
  case 1: k_mma<1><<<blocks, 256>>>(d_in, d_out, (unsigned)n_all); break;
  case 2: k_mma<2><<<blocks, 256>>>(d_in, d_out, (unsigned)n_all); break;
  default: k_mma<3><<<blocks, 256>>>(d_in, d_out, (unsigned)n_all); break;
  }
  CUDA_OK(cudaGetLastError());
  CUDA_OK(cudaMemcpy(h_out, d_out, n_all * C_WORDS * 4, cudaMemcpyDeviceToHost));
  cudaFree(d_in);
  cudaFree(d_out);
  return 0;
}
#else
static int run_pair(int pair, const struct record *h_in, size_t n_all, uint32_t *h_out) {
  (void)pair, (void)h_in, (void)n_all, (void)h_out;
  fprintf(stderr, "mxc_mma_raw: built without CUDA (mxc_mma_inputs): only --inputs\n");
  return 2;
}
#endif

int main(int argc, char **argv) {
  int inputs_only = argc > 1 && strcmp(argv[1], "--inputs") == 0;
  if (argc < 2 + inputs_only) {
    fprintf(stderr, "usage: mxc_mma_raw [--inputs] OUTDIR [N]\n");
    return 2;
  }
  const char *dir = argv[1 + inputs_only];
  char *end = NULL;
  size_t n = argc > 2 + inputs_only ? strtoul(argv[2 + inputs_only], &end, 10) : 4096;
  if (n == 0 || n > 1000000 || (end && *end)) {
    fprintf(stderr, "mxc_mma_raw: N must be a record count from 1 to 1000000, not '%s'\n", argv[2 + inputs_only]);
    return 2;
  }
  size_t n_all = n * CLASSES;
  struct record *in = (struct record *)malloc(n_all * sizeof *in);
  uint32_t *out = (uint32_t *)malloc(n_all * C_WORDS * 4);
  if (!in || !out) {
    fprintf(stderr, "mxc_mma_raw: out of memory for %zu records\n", n_all);
    return 2;
  }
  for (int pair = 0; pair < PAIRS; pair++) {
    for (int cls = 0; cls < CLASSES; cls++) {
      uint64_t s = 0x6D6D615F726177ull ^ ((uint64_t)pair << 32) ^ ((uint64_t)cls << 40);
      for (size_t i = 0; i < n; i++) make_record(&in[(size_t)cls * n + i], pair, cls, &s);
    }
    int rc = inputs_only ? write_file(dir, "mma_in", pair_name[pair], in, n_all * sizeof *in)
                         : run_pair(pair, in, n_all, out);
    if (!rc && !inputs_only) rc = write_file(dir, "mma_out", pair_name[pair], out, n_all * C_WORDS * 4);
    if (rc) return rc;
    printf("%s: %zu records (%d classes of %zu)\n", pair_name[pair], n_all, CLASSES, n);
  }
  free(in);
  free(out);
  return 0;
}
