/* cuda_device_target.cu — an mxconform target (include/mxconform/target.h, ABI v1) whose
 * answers are computed ON THE GPU:
 *
 *   decode, convert  the DEVICE paths of the CUDA toolkit's cuda_fp8.h / cuda_fp6.h /
 *                    cuda_fp4.h conversion functions (the same functions and the same
 *                    operation coverage as targets/cuda-host, so the two can be compared);
 *                    one kernel launch per ABI array call.
 *   dot              MXFP8 DotGeneral on the tensor cores: one FP8 mma.sync
 *                    (m16n8k32.row.col.f32.<a>.<b>.f32, inline PTX, sm_89+) per 32-element
 *                    block with a zero accumulator, the two E8M0 scales applied to the
 *                    block's FP32 result on the CUDA cores (one FP32 rounding), the blocks
 *                    added in FP32 round-to-nearest-even in block order, C first. That is
 *                    the software structure of the `nvidia-hopper-fp8` preset
 *                    (spec_notes/dot.md §4); the tensor core's own arithmetic is what
 *                    `mxconform probe dot` measures.
 *
 * The CUDA headers are NVIDIA's proprietary files: they are only #included from the toolkit
 * nvcc brings, never copied here. README.md in this directory has the table of what maps to
 * what and which device paths are hardware `cvt` instructions.
 *
 * Initialisation: mxc_target_get() counts the CUDA devices. With none (cudaGetDeviceCount
 * fails, e.g. no driver, or returns 0), or a device below compute capability 8.9, or no
 * kernel image for it, it prints one line starting "cuda-device: " to stderr and returns
 * NULL: the harness's `serve` child then exits 3 and `mxconform run|sweep|probe` report the
 * target unusable (exit 3). Nothing else touches the GPU before that check.
 *
 * Environment: MXC_CUDA_DEVICE=N picks device N (default 0). */
#include <cuda_runtime.h>

/* NVIDIA's headers are not ours to keep -Wextra clean (unused parameters in cuda_fp4.hpp);
 * nvcc does not include them as system headers for the host compiler. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <cuda_fp16.h>
#include <cuda_fp4.h>
#include <cuda_fp6.h>
#include <cuda_fp8.h>
#pragma GCC diagnostic pop

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mxconform/target.h"

#ifndef MXC_CUDA_VERSION_TEXT
#define MXC_CUDA_VERSION_TEXT "?"
#endif

/* ABI enumeration values (formats.h mx_fmt, knobs.h mx_round / mx_overflow, block.h
 * mx_block_fmt); fixed for ABI version 1. */
enum { FMT_E4M3 = 0, FMT_E5M2, FMT_E2M3, FMT_E3M2, FMT_E2M1, FMT_INT8, FMT_E8M0, FMT_F32, FMT_BF16, FMT_F16, FMT_F64 };
enum { ROUND_RNE = 0, ROUND_RNA, ROUND_RTZ, ROUND_RUP, ROUND_RDN, ROUND_SR };
enum { OVERFLOW_SAT = 0, OVERFLOW_OVF = 1 };
enum { BFMT_MXFP8_E4M3 = 0, BFMT_MXFP8_E5M2 };
enum { DOT_K = 32 };

/* ==== device code ========================================================================= */

__device__ static float f32_of(uint64_t b) { return __uint_as_float((unsigned)b); }
__device__ static double f64_of(uint64_t b) { return __longlong_as_double((long long)b); }

__device__ static unsigned dev_to_fp8(int src, uint64_t b, __nv_saturation_t sat, __nv_fp8_interpretation_t k) {
  __half_raw h;
  __nv_bfloat16_raw bf;
  switch (src) {
  case FMT_F32: return __nv_cvt_float_to_fp8(f32_of(b), sat, k);
  case FMT_F64: return __nv_cvt_double_to_fp8(f64_of(b), sat, k);
  case FMT_F16: h.x = (unsigned short)b; return __nv_cvt_halfraw_to_fp8(h, sat, k);
  default: bf.x = (unsigned short)b; return __nv_cvt_bfloat16raw_to_fp8(bf, sat, k);
  }
}

__device__ static unsigned dev_to_fp6(int src, uint64_t b, __nv_fp6_interpretation_t k, enum cudaRoundMode rm) {
  __half_raw h;
  __nv_bfloat16_raw bf;
  switch (src) {
  case FMT_F32: return __nv_cvt_float_to_fp6(f32_of(b), k, rm);
  case FMT_F64: return __nv_cvt_double_to_fp6(f64_of(b), k, rm);
  case FMT_F16: h.x = (unsigned short)b; return __nv_cvt_halfraw_to_fp6(h, k, rm);
  default: bf.x = (unsigned short)b; return __nv_cvt_bfloat16raw_to_fp6(bf, k, rm);
  }
}

__device__ static unsigned dev_to_fp4(int src, uint64_t b, enum cudaRoundMode rm) {
  __half_raw h;
  __nv_bfloat16_raw bf;
  switch (src) {
  case FMT_F32: return __nv_cvt_float_to_fp4(f32_of(b), __NV_E2M1, rm);
  case FMT_F64: return __nv_cvt_double_to_fp4(f64_of(b), __NV_E2M1, rm);
  case FMT_F16: h.x = (unsigned short)b; return __nv_cvt_halfraw_to_fp4(h, __NV_E2M1, rm);
  default: bf.x = (unsigned short)b; return __nv_cvt_bfloat16raw_to_fp4(bf, __NV_E2M1, rm);
  }
}

__device__ static unsigned dev_to_e8m0(int src, uint64_t b, __nv_saturation_t sat, enum cudaRoundMode rm) {
  __half_raw h;
  __nv_bfloat16_raw bf;
  switch (src) {
  case FMT_F32: return __nv_cvt_float_to_e8m0(f32_of(b), sat, rm);
  case FMT_F64: return __nv_cvt_double_to_e8m0(f64_of(b), sat, rm);
  /* no halfraw entry point for E8M0 (as on the host): f16 -> float (cvt.f32.f16, exact) */
  case FMT_F16: h.x = (unsigned short)b; return __nv_cvt_float_to_e8m0(__half2float(__half(h)), sat, rm);
  default: bf.x = (unsigned short)b; return __nv_cvt_bfloat16raw_to_e8m0(bf, sat, rm);
  }
}

/* One thread per value. The caller has checked dst/src/round/overflow and the input bits. */
__global__ void k_convert(int dst, int src, int satfinite, int rmode, const uint64_t *in, uint64_t *out, size_t n) {
  size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  uint64_t b = in[i];
  __nv_saturation_t sat = satfinite ? __NV_SATFINITE : __NV_NOSAT;
  enum cudaRoundMode rm = (enum cudaRoundMode)rmode;
  unsigned c;
  switch (dst) {
  case FMT_E4M3: c = dev_to_fp8(src, b, sat, __NV_E4M3); break;
  case FMT_E5M2: c = dev_to_fp8(src, b, sat, __NV_E5M2); break;
  case FMT_E2M3: c = dev_to_fp6(src, b, __NV_E2M3, rm); break;
  case FMT_E3M2: c = dev_to_fp6(src, b, __NV_E3M2, rm); break;
  case FMT_E2M1: c = dev_to_fp4(src, b, rm); break;
  default: c = dev_to_e8m0(src, b, sat, rm); break; /* FMT_E8M0 */
  }
  out[i] = c;
}

/* Codes -> f16 bits (FP8/FP6/FP4) or bf16 bits (E8M0); the host widens them to f64 (exact). */
__global__ void k_decode(int fmt, const uint64_t *in, uint64_t *out, size_t n) {
  size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  __nv_fp8_storage_t c = (__nv_fp8_storage_t)in[i];
  unsigned short r;
  switch (fmt) {
  case FMT_E4M3: r = __nv_cvt_fp8_to_halfraw(c, __NV_E4M3).x; break;
  case FMT_E5M2: r = __nv_cvt_fp8_to_halfraw(c, __NV_E5M2).x; break;
  case FMT_E2M3: r = __nv_cvt_fp6_to_halfraw(c, __NV_E2M3).x; break;
  case FMT_E3M2: r = __nv_cvt_fp6_to_halfraw(c, __NV_E3M2).x; break;
  case FMT_E2M1: r = __nv_cvt_fp4_to_halfraw(c, __NV_E2M1).x; break;
  default: r = __nv_cvt_e8m0_to_bf16raw(c).x; break; /* FMT_E8M0 */
  }
  out[i] = r;
}

/* ---- dot: FP8 mma.sync, one per 32-element block ------------------------------------------ */

#include "mma_fp8.cuh" /* MXC_MMA_FP8, mxc_load4 */

template <int FA, int FB>
__device__ static void mma_fp8(float d[4], const unsigned a[4], const unsigned b[2], const float c[4]) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 890
  if (FA == BFMT_MXFP8_E4M3 && FB == BFMT_MXFP8_E4M3) MXC_MMA_FP8("e4m3", "e4m3");
  else if (FA == BFMT_MXFP8_E4M3) MXC_MMA_FP8("e4m3", "e5m2");
  else if (FB == BFMT_MXFP8_E4M3) MXC_MMA_FP8("e5m2", "e4m3");
  else MXC_MMA_FP8("e5m2", "e5m2");
#else
  (void)a; (void)b; (void)c;
  d[0] = d[1] = d[2] = d[3] = __int_as_float(0x7FC00000);
  __trap(); /* never reached: the build targets sm_89+ only */
#endif
}

/* 2^k as an FP32 for -126 <= k <= 127 (exact). */
__device__ static float pow2f(int k) { return __int_as_float((k + 127) << 23); }

/* d * 2^(xa-127) * 2^(xb-127) with ONE rounding to FP32 (round to nearest even, subnormals
 * kept): the scale is applied in FP32 on the CUDA cores, as dot.h's `scale_at = group`
 * defines it (R_acc(s_j * step)). A NaN scale (0xFF) gives NaN; zero, Inf and NaN pass. */
__device__ static float apply_scales(float d, unsigned xa, unsigned xb) {
  if (xa == 0xFFu || xb == 0xFFu) return __int_as_float(0x7FC00000);
  if (d == 0.0f || isinf(d) || isnan(d)) return d;
  int ed;
  float m = frexpf(d, &ed); /* d = m * 2^ed, 0.5 <= |m| < 1, exact */
  int e = ed + (int)xa + (int)xb - 254;
  if (e >= 129) return copysignf(INFINITY, d); /* |m| * 2^e >= 2^128 */
  if (e >= -125) {                              /* a normal FP32: exact, nothing rounds */
    int e1 = e / 2;
    return __fmul_rn(__fmul_rn(m, pow2f(e1)), pow2f(e - e1));
  }
  if (e < -151) return copysignf(0.0f, d); /* below half the smallest subnormal */
  /* subnormal or zero result: m * 2^(e+126) is exact and normal, the multiply by 2^-126 is
   * the one rounding */
  return __fmul_rn(__fmul_rn(m, pow2f(e + 126)), pow2f(-126));
}

/* One warp. buf: scales_a[nb], scales_b[nb], codes_a[nb*32], codes_b[nb*32] (bytes). Only
 * row 0 of A and column 0 of B are nonzero, so D[0][0] (lane 0, d0) is the block's sum of
 * 32 products plus the MMA's C, which is -0 (the identity of IEEE addition: an all -0 block
 * stays -0, anything else is unchanged). */
template <int FA, int FB>
__global__ void k_dot_fp8(unsigned nb, const unsigned char *buf, int has_c, unsigned c_bits, unsigned *out) {
  const unsigned char *sa = buf, *sb = buf + nb, *ca = buf + 2 * (size_t)nb, *cb = ca + (size_t)nb * DOT_K;
  unsigned lane = threadIdx.x, g = lane >> 2, t = lane & 3;
  float acc = has_c ? __uint_as_float(c_bits) : -0.0f;
  for (unsigned j = 0; j < nb; j++) {
    unsigned a[4] = {0u, 0u, 0u, 0u}, b[2] = {0u, 0u};
    if (g == 0) {
      const unsigned char *pa = ca + (size_t)j * DOT_K, *pb = cb + (size_t)j * DOT_K;
      a[0] = mxc_load4(pa + 4 * t);
      a[2] = mxc_load4(pa + 16 + 4 * t);
      b[0] = mxc_load4(pb + 4 * t);
      b[1] = mxc_load4(pb + 16 + 4 * t);
    }
    float c[4] = {-0.0f, -0.0f, -0.0f, -0.0f}, d[4];
    mma_fp8<FA, FB>(d, a, b, c);
    if (lane == 0) acc = __fadd_rn(acc, apply_scales(d[0], sa[j], sb[j]));
  }
  if (lane == 0) *out = __float_as_uint(acc);
}

/* ==== host code ============================================================================ */

static struct {
  pthread_mutex_t mu;
  cudaStream_t stream;
  void *h_in, *h_out, *d_in, *d_out; /* pinned staging and device buffers */
  size_t in_cap, out_cap;
  int reports; /* error lines printed (capped: a broken context fails every call) */
} gs = {PTHREAD_MUTEX_INITIALIZER, 0, NULL, NULL, NULL, NULL, 0, 0, 0};

static int cuda_failed(const char *what, cudaError_t e) {
  if (gs.reports < 8) {
    gs.reports++;
    fprintf(stderr, "cuda-device: %s: %s (%s)\n", what, cudaGetErrorString(e), cudaGetErrorName(e));
  }
  return MXC_ERROR;
}

#define CK(what, call)                                                                                        \
  do {                                                                                                        \
    cudaError_t e_ = (call);                                                                                  \
    if (e_ != cudaSuccess) return cuda_failed(what, e_);                                                      \
  } while (0)

/* Grow one staging/device buffer pair to at least `need` bytes. */
static int reserve(void **h, void **d, size_t *cap, size_t need) {
  if (need <= *cap) return MXC_OK;
  size_t n = *cap ? *cap : 65536;
  while (n < need) n *= 2;
  if (*h) cudaFreeHost(*h);
  if (*d) cudaFree(*d);
  *h = *d = NULL;
  *cap = 0;
  CK("cudaMallocHost", cudaMallocHost(h, n));
  CK("cudaMalloc", cudaMalloc(d, n));
  *cap = n;
  return MXC_OK;
}

/* Copy in_bytes of gs.h_in to the device, run `launch`, copy out_bytes back to gs.h_out. */
template <typename F>
static int run_on_device(size_t in_bytes, size_t out_bytes, const char *what, F launch) {
  CK("cudaMemcpyAsync (to the device)", cudaMemcpyAsync(gs.d_in, gs.h_in, in_bytes, cudaMemcpyHostToDevice, gs.stream));
  launch();
  CK(what, cudaGetLastError());
  CK("cudaMemcpyAsync (from the device)", cudaMemcpyAsync(gs.h_out, gs.d_out, out_bytes, cudaMemcpyDeviceToHost, gs.stream));
  CK(what, cudaStreamSynchronize(gs.stream));
  return MXC_OK;
}

struct locked {
  locked() { pthread_mutex_lock(&gs.mu); }
  ~locked() { pthread_mutex_unlock(&gs.mu); }
};

static unsigned grid_for(size_t n) { return (unsigned)((n + 255) / 256); }

/* ---- exact widening (as targets/cuda-host) ------------------------------------------------- */

static uint64_t double_bits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

static double widen16(uint16_t bits, int ebits, int mbits) {
  int sign = (bits >> 15) & 1;
  unsigned exp_field = ((unsigned)bits >> mbits) & ((1u << ebits) - 1);
  unsigned mantissa = bits & ((1u << mbits) - 1);
  int bias = (1 << (ebits - 1)) - 1;
  double m;
  if (exp_field == (1u << ebits) - 1) m = mantissa ? NAN : INFINITY;
  else if (exp_field == 0) m = ldexp((double)mantissa, 1 - bias - mbits);
  else m = ldexp((double)(mantissa | (1u << mbits)), (int)exp_field - bias - mbits);
  return sign ? -m : m;
}

static int source_bits(int src) {
  switch (src) {
  case FMT_F32: return 32;
  case FMT_BF16: case FMT_F16: return 16;
  case FMT_F64: return 64;
  default: return 0;
  }
}

/* ---- the ABI entry points ----------------------------------------------------------------- */

static int dev_decode(int fmt, const uint64_t *codes, size_t n, uint64_t *f64_out) {
  unsigned width;
  switch (fmt) {
  case FMT_E4M3: case FMT_E5M2: case FMT_E8M0: width = 8; break;
  case FMT_E2M3: case FMT_E3M2: width = 6; break;
  case FMT_E2M1: width = 4; break;
  default: return MXC_UNSUPPORTED;
  }
  for (size_t i = 0; i < n; i++)
    if (codes[i] >> width) return MXC_ERROR;
  if (!n) return MXC_OK;
  locked lk;
  size_t bytes = n * sizeof(uint64_t);
  int rc;
  if ((rc = reserve(&gs.h_in, &gs.d_in, &gs.in_cap, bytes)) || (rc = reserve(&gs.h_out, &gs.d_out, &gs.out_cap, bytes)))
    return rc;
  memcpy(gs.h_in, codes, bytes);
  rc = run_on_device(bytes, bytes, "decode kernel", [&] {
    k_decode<<<grid_for(n), 256, 0, gs.stream>>>(fmt, (const uint64_t *)gs.d_in, (uint64_t *)gs.d_out, n);
  });
  if (rc) return rc;
  const uint64_t *r = (const uint64_t *)gs.h_out;
  for (size_t i = 0; i < n; i++) {
    uint16_t h = (uint16_t)r[i];
    f64_out[i] = double_bits(fmt == FMT_E8M0 ? widen16(h, 8, 7) : widen16(h, 5, 10));
  }
  return MXC_OK;
}

static int dev_convert(int dst, int src, int round, int overflow, const uint64_t *in, const uint32_t *sr_random,
                       size_t n, uint64_t *out) {
  (void)sr_random;
  int sbits = source_bits(src);
  if (!sbits) return MXC_UNSUPPORTED;
  if (overflow != OVERFLOW_SAT && overflow != OVERFLOW_OVF) return MXC_UNSUPPORTED;
  enum cudaRoundMode rm;
  switch (dst) {
  case FMT_E4M3: case FMT_E5M2:
    if (round != ROUND_RNE) return MXC_UNSUPPORTED; /* FP8: round to nearest even only */
    rm = cudaRoundNearest;
    break;
  case FMT_E2M3: case FMT_E3M2: case FMT_E2M1: /* always saturating: sat and ovf alike */
    if (round == ROUND_RNE) rm = cudaRoundNearest;
    else if (round == ROUND_RTZ) rm = cudaRoundZero;
    else return MXC_UNSUPPORTED;
    break;
  case FMT_E8M0:
    if (round == ROUND_RTZ) rm = cudaRoundZero;
    else if (round == ROUND_RUP) rm = cudaRoundPosInf;
    else return MXC_UNSUPPORTED;
    break;
  default: return MXC_UNSUPPORTED; /* int8: no helper */
  }
  if (sbits < 64)
    for (size_t i = 0; i < n; i++)
      if (in[i] >> sbits) return MXC_ERROR;
  if (!n) return MXC_OK;
  locked lk;
  size_t bytes = n * sizeof(uint64_t);
  int rc;
  if ((rc = reserve(&gs.h_in, &gs.d_in, &gs.in_cap, bytes)) || (rc = reserve(&gs.h_out, &gs.d_out, &gs.out_cap, bytes)))
    return rc;
  memcpy(gs.h_in, in, bytes);
  int satfinite = overflow == OVERFLOW_SAT;
  rc = run_on_device(bytes, bytes, "convert kernel", [&] {
    k_convert<<<grid_for(n), 256, 0, gs.stream>>>(dst, src, satfinite, (int)rm, (const uint64_t *)gs.d_in,
                                                  (uint64_t *)gs.d_out, n);
  });
  if (rc) return rc;
  memcpy(out, gs.h_out, bytes);
  return MXC_OK;
}

static int dev_dot(int fa, int fb, size_t n_blocks, size_t k, const uint64_t *scales_a, const uint64_t *codes_a,
                   const uint64_t *scales_b, const uint64_t *codes_b, int has_c, uint64_t c, uint64_t *out) {
  /* FP8 mma.sync only: MXFP6/MXFP4/MXINT8 and any block size but 32 are not offered */
  if ((fa != BFMT_MXFP8_E4M3 && fa != BFMT_MXFP8_E5M2) || (fb != BFMT_MXFP8_E4M3 && fb != BFMT_MXFP8_E5M2))
    return MXC_UNSUPPORTED;
  if (k != DOT_K) return MXC_UNSUPPORTED;
  if (n_blocks > (1u << 24) || (c >> 32)) return MXC_ERROR;
  for (size_t j = 0; j < n_blocks; j++)
    if (scales_a[j] > 0xFF || scales_b[j] > 0xFF) return MXC_ERROR;
  locked lk;
  size_t bytes = n_blocks * (2 + 2 * DOT_K);
  int rc;
  if ((rc = reserve(&gs.h_in, &gs.d_in, &gs.in_cap, bytes ? bytes : 1)) ||
      (rc = reserve(&gs.h_out, &gs.d_out, &gs.out_cap, sizeof(unsigned))))
    return rc;
  unsigned char *p = (unsigned char *)gs.h_in;
  size_t nk = n_blocks * DOT_K;
  for (size_t j = 0; j < n_blocks; j++) {
    p[j] = (unsigned char)scales_a[j];
    p[n_blocks + j] = (unsigned char)scales_b[j];
  }
  for (size_t i = 0; i < nk; i++) { /* element codes: the low 8 bits (dot.h mx_dot_vec) */
    p[2 * n_blocks + i] = (unsigned char)codes_a[i];
    p[2 * n_blocks + nk + i] = (unsigned char)codes_b[i];
  }
  unsigned nb = (unsigned)n_blocks, cb = (unsigned)c;
  const unsigned char *d_buf = (const unsigned char *)gs.d_in;
  unsigned *d_out = (unsigned *)gs.d_out;
  rc = run_on_device(bytes, sizeof(unsigned), "dot kernel", [&] {
    if (fa == BFMT_MXFP8_E4M3 && fb == BFMT_MXFP8_E4M3) k_dot_fp8<0, 0><<<1, 32, 0, gs.stream>>>(nb, d_buf, has_c, cb, d_out);
    else if (fa == BFMT_MXFP8_E4M3) k_dot_fp8<0, 1><<<1, 32, 0, gs.stream>>>(nb, d_buf, has_c, cb, d_out);
    else if (fb == BFMT_MXFP8_E4M3) k_dot_fp8<1, 0><<<1, 32, 0, gs.stream>>>(nb, d_buf, has_c, cb, d_out);
    else k_dot_fp8<1, 1><<<1, 32, 0, gs.stream>>>(nb, d_buf, has_c, cb, d_out);
  });
  if (rc) return rc;
  *out = *(const unsigned *)gs.h_out;
  return MXC_OK;
}

/* ---- initialisation ------------------------------------------------------------------------ */

static mxc_target_api api; /* zero: every operation not set below stays NULL */
static const mxc_target_api *api_ready;
static char version_text[512];
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* The E4M3 code of a small integer v (1 <= v <= 16: exact in E4M3). */
static uint64_t e4m3_int(unsigned v) {
  unsigned e = 0;
  while ((v >> (e + 1)) != 0) e++;
  return (uint64_t)((e + 7) << 3 | ((v << 3 >> e) & 7));
}

/* One tensor-core dot whose exact value every accumulation gets right (integer products,
 * a sum of 12 bits), with distinct values in each position: a wrong fragment layout (A and B
 * paired at different k) or a broken MMA shows as a different sum. Returns 0 when it agrees. */
static int self_test(int dev, const cudaDeviceProp *prop) {
  uint64_t sa = 127, sb = 127, ca[DOT_K], cb[DOT_K], r = 0;
  uint64_t want = 0;
  for (unsigned i = 0; i < DOT_K; i++) {
    unsigned va = i % 16 + 1, vb = (i * 7 + 3) % 16 + 1;
    ca[i] = e4m3_int(va);
    cb[i] = e4m3_int(vb);
    want += (uint64_t)va * vb;
  }
  float wf = (float)want;
  uint32_t wbits;
  memcpy(&wbits, &wf, sizeof wbits);
  int rc = dev_dot(BFMT_MXFP8_E4M3, BFMT_MXFP8_E4M3, 1, DOT_K, &sa, ca, &sb, cb, 0, 0, &r);
  if (rc != MXC_OK || r != wbits) {
    fprintf(stderr, "cuda-device: device %d (%s, sm_%d%d): self-test of the FP8 mma.sync dot failed (%s; got 0x%08x, want 0x%08x)\n",
            dev, prop->name, prop->major, prop->minor, rc == MXC_OK ? "wrong value" : "CUDA error", (unsigned)r, wbits);
    return 1;
  }
  return 0;
}

static void init(void) {
  static const char needs[] = "this target needs an NVIDIA GPU of compute capability 8.9 or later and its driver";
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count <= 0) {
    if (e != cudaSuccess)
      fprintf(stderr, "cuda-device: no CUDA device (cudaGetDeviceCount: %s: %s); %s\n", cudaGetErrorName(e),
              cudaGetErrorString(e), needs);
    else fprintf(stderr, "cuda-device: no CUDA device (cudaGetDeviceCount: 0 devices); %s\n", needs);
    return;
  }
  int dev = 0;
  const char *env = getenv("MXC_CUDA_DEVICE");
  if (env && *env) dev = atoi(env);
  if (dev < 0 || dev >= count) {
    fprintf(stderr, "cuda-device: MXC_CUDA_DEVICE=%s: no such device (%d present)\n", env, count);
    return;
  }
  cudaDeviceProp prop;
  if ((e = cudaGetDeviceProperties(&prop, dev)) != cudaSuccess || (e = cudaSetDevice(dev)) != cudaSuccess) {
    fprintf(stderr, "cuda-device: device %d: %s\n", dev, cudaGetErrorString(e));
    return;
  }
  if (prop.major * 10 + prop.minor < 89) {
    fprintf(stderr,
            "cuda-device: device %d (%s) has compute capability %d.%d; the FP8 cvt and mma.sync paths need 8.9 or "
            "later\n",
            dev, prop.name, prop.major, prop.minor);
    return;
  }
  cudaFuncAttributes fa;
  if ((e = cudaFuncGetAttributes(&fa, k_dot_fp8<0, 0>)) != cudaSuccess) {
    fprintf(stderr, "cuda-device: device %d (%s, sm_%d%d): no usable kernel image (%s); rebuild with its architecture\n",
            dev, prop.name, prop.major, prop.minor, cudaGetErrorString(e));
    return;
  }
  if ((e = cudaStreamCreateWithFlags(&gs.stream, cudaStreamNonBlocking)) != cudaSuccess) {
    fprintf(stderr, "cuda-device: cudaStreamCreate: %s\n", cudaGetErrorString(e));
    return;
  }
  if (self_test(dev, &prop)) return;
  int rt = 0, drv = 0;
  cudaRuntimeGetVersion(&rt);
  cudaDriverGetVersion(&drv);
  snprintf(version_text, sizeof version_text, "CUDA %s device code (runtime %d.%d, driver %d.%d) on %s sm_%d%d (kernel sm_%d)",
           MXC_CUDA_VERSION_TEXT, rt / 1000, rt % 1000 / 10, drv / 1000, drv % 1000 / 10, prop.name, prop.major,
           prop.minor, fa.binaryVersion);
  for (char *s = version_text; *s; s++)
    if (*s == '\n' || *s == '\r') *s = ' ';
  api.abi_version = MXC_TARGET_ABI_VERSION;
  api.struct_size = sizeof(mxc_target_api);
  api.name = "cuda-device";
  api.version = version_text;
  api.decode = dev_decode;
  api.convert = dev_convert;
  api.quantize = NULL; /* the headers have no block (scale + 32 elements) helper */
  api.dequantize = NULL;
  api.pack = NULL;
  api.dot = dev_dot;
  api_ready = &api;
}

extern "C" __attribute__((visibility("default"))) const mxc_target_api *mxc_target_get(void) {
  pthread_once(&init_once, init);
  return api_ready;
}
