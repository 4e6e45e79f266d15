/* cuda_host_target.c — an mxconform target (include/mxconform/target.h) whose every answer
 * comes from the host-callable conversion functions of the CUDA toolkit's cuda_fp8.h,
 * cuda_fp6.h and cuda_fp4.h (CUDA >= 12.8; measured with 13.0). Those headers are NVIDIA's
 * proprietary files: they are only #included from the toolkit found at build time, never
 * copied here. No nvcc, no GPU and no CUDA library are needed: on the host the functions
 * are plain static inline C.
 *
 * What it maps (README.md in this directory has the table and the measured results):
 *   e4m3 e5m2  __nv_cvt_{float,double,halfraw,bfloat16raw}_to_fp8: rne only;
 *              sat -> __NV_SATFINITE, ovf -> __NV_NOSAT.
 *   e2m3 e3m2  __nv_cvt_*_to_fp6, e2m1 __nv_cvt_*_to_fp4: rne -> cudaRoundNearest,
 *              rtz -> cudaRoundZero (the only two the headers accept). They always saturate;
 *              mxconform's `ovf` for a format without Inf or NaN is saturation too, so both
 *              sat and ovf are answered by the same call (nothing is emulated).
 *   e8m0       __nv_cvt_{float,double,bfloat16raw}_to_e8m0: rtz -> cudaRoundZero,
 *              rup -> cudaRoundPosInf (the only two accepted); sat -> __NV_SATFINITE,
 *              ovf -> __NV_NOSAT. There is no f16 entry point for E8M0: an f16 input is
 *              widened to float (exact) and given to the float one, as a caller would.
 *   int8       no MXINT8 helper in the headers -> unsupported.
 *   Sources    f32 -> the float entry points, f64 -> the double ones, f16 / bf16 -> the
 *              __half_raw / __nv_bfloat16_raw ones.
 *   decode     __nv_cvt_fp8_to_halfraw, __nv_cvt_fp6_to_halfraw, __nv_cvt_fp4_to_halfraw
 *              (-> f16 bits), __nv_cvt_e8m0_to_bf16raw (-> bf16 bits); the f16/bf16 result
 *              is widened to f64 bits here (exact).
 * Every other rounding mode answers MXC_UNSUPPORTED (the headers assert on them). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <cuda_fp4.h>
#include <cuda_fp6.h>
#include <cuda_fp8.h>

#include "mxconform/target.h"

#ifndef MXC_CUDA_VERSION_TEXT
#define MXC_CUDA_VERSION_TEXT "?"
#endif

/* ABI enumeration values (formats.h mx_fmt, knobs.h mx_round / mx_overflow); fixed for
 * ABI version 1. */
enum { FMT_E4M3 = 0, FMT_E5M2, FMT_E2M3, FMT_E3M2, FMT_E2M1, FMT_INT8, FMT_E8M0, FMT_F32, FMT_BF16, FMT_F16, FMT_F64 };
enum { ROUND_RNE = 0, ROUND_RNA, ROUND_RTZ, ROUND_RUP, ROUND_RDN, ROUND_SR };
enum { OVERFLOW_SAT = 0, OVERFLOW_OVF = 1 };

/* ---- exact widening of the 16-bit results and inputs ------------------------------------- */

static uint64_t double_bits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

/* An IEEE-style binary16 / bfloat16 pattern -> double (exact: both are subsets of f64). */
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
static double f16_value(uint16_t b) { return widen16(b, 5, 10); }
static double bf16_value(uint16_t b) { return widen16(b, 8, 7); }

static float f32_from_bits(uint64_t b) {
  uint32_t w = (uint32_t)b;
  float f;
  memcpy(&f, &w, sizeof f);
  return f;
}
static double f64_from_bits(uint64_t b) {
  double d;
  memcpy(&d, &b, sizeof d);
  return d;
}

static int source_bits(int src) {
  switch (src) {
  case FMT_F32: return 32;
  case FMT_BF16: case FMT_F16: return 16;
  case FMT_F64: return 64;
  default: return 0;
  }
}

/* ---- decode ---------------------------------------------------------------------------- */

static int cuda_decode(int fmt, const uint64_t *codes, size_t n, uint64_t *f64_out) {
  unsigned width;
  switch (fmt) {
  case FMT_E4M3: case FMT_E5M2: case FMT_E8M0: width = 8; break;
  case FMT_E2M3: case FMT_E3M2: width = 6; break;
  case FMT_E2M1: width = 4; break;
  default: return MXC_UNSUPPORTED;
  }
  for (size_t i = 0; i < n; i++) {
    if (codes[i] >> width) return MXC_ERROR;
    __nv_fp8_storage_t c = (__nv_fp8_storage_t)codes[i];
    double v;
    switch (fmt) {
    case FMT_E4M3: v = f16_value(__nv_cvt_fp8_to_halfraw(c, __NV_E4M3).x); break;
    case FMT_E5M2: v = f16_value(__nv_cvt_fp8_to_halfraw(c, __NV_E5M2).x); break;
    case FMT_E2M3: v = f16_value(__nv_cvt_fp6_to_halfraw(c, __NV_E2M3).x); break;
    case FMT_E3M2: v = f16_value(__nv_cvt_fp6_to_halfraw(c, __NV_E3M2).x); break;
    case FMT_E2M1: v = f16_value(__nv_cvt_fp4_to_halfraw(c, __NV_E2M1).x); break;
    default: v = bf16_value(__nv_cvt_e8m0_to_bf16raw(c).x); break; /* FMT_E8M0 */
    }
    f64_out[i] = double_bits(v);
  }
  return MXC_OK;
}

/* ---- convert --------------------------------------------------------------------------- */

static unsigned to_fp8(int src, uint64_t b, __nv_saturation_t sat, __nv_fp8_interpretation_t k) {
  __half_raw h;
  __nv_bfloat16_raw bf;
  switch (src) {
  case FMT_F32: return __nv_cvt_float_to_fp8(f32_from_bits(b), sat, k);
  case FMT_F64: return __nv_cvt_double_to_fp8(f64_from_bits(b), sat, k);
  case FMT_F16: h.x = (unsigned short)b; return __nv_cvt_halfraw_to_fp8(h, sat, k);
  default: bf.x = (unsigned short)b; return __nv_cvt_bfloat16raw_to_fp8(bf, sat, k);
  }
}

static unsigned to_fp6(int src, uint64_t b, __nv_fp6_interpretation_t k, enum cudaRoundMode rm) {
  __half_raw h;
  __nv_bfloat16_raw bf;
  switch (src) {
  case FMT_F32: return __nv_cvt_float_to_fp6(f32_from_bits(b), k, rm);
  case FMT_F64: return __nv_cvt_double_to_fp6(f64_from_bits(b), k, rm);
  case FMT_F16: h.x = (unsigned short)b; return __nv_cvt_halfraw_to_fp6(h, k, rm);
  default: bf.x = (unsigned short)b; return __nv_cvt_bfloat16raw_to_fp6(bf, k, rm);
  }
}

static unsigned to_fp4(int src, uint64_t b, enum cudaRoundMode rm) {
  __half_raw h;
  __nv_bfloat16_raw bf;
  switch (src) {
  case FMT_F32: return __nv_cvt_float_to_fp4(f32_from_bits(b), __NV_E2M1, rm);
  case FMT_F64: return __nv_cvt_double_to_fp4(f64_from_bits(b), __NV_E2M1, rm);
  case FMT_F16: h.x = (unsigned short)b; return __nv_cvt_halfraw_to_fp4(h, __NV_E2M1, rm);
  default: bf.x = (unsigned short)b; return __nv_cvt_bfloat16raw_to_fp4(bf, __NV_E2M1, rm);
  }
}

static unsigned to_e8m0(int src, uint64_t b, __nv_saturation_t sat, enum cudaRoundMode rm) {
  __nv_bfloat16_raw bf;
  switch (src) {
  case FMT_F32: return __nv_cvt_float_to_e8m0(f32_from_bits(b), sat, rm);
  case FMT_F64: return __nv_cvt_double_to_e8m0(f64_from_bits(b), sat, rm);
  /* no halfraw entry point for E8M0: f16 -> float is exact */
  case FMT_F16: return __nv_cvt_float_to_e8m0((float)f16_value((uint16_t)b), sat, rm);
  default: bf.x = (unsigned short)b; return __nv_cvt_bfloat16raw_to_e8m0(bf, sat, rm);
  }
}

static int cuda_convert(int dst, int src, int round, int overflow, const uint64_t *in, const uint32_t *sr_random,
                        size_t n, uint64_t *out) {
  (void)sr_random;
  int sbits = source_bits(src);
  if (!sbits) return MXC_UNSUPPORTED;
  if (overflow != OVERFLOW_SAT && overflow != OVERFLOW_OVF) return MXC_UNSUPPORTED;
  __nv_saturation_t sat = overflow == OVERFLOW_SAT ? __NV_SATFINITE : __NV_NOSAT;
  enum cudaRoundMode rm;
  switch (dst) {
  case FMT_E4M3: case FMT_E5M2:
    if (round != ROUND_RNE) return MXC_UNSUPPORTED; /* FP8: round to nearest even only */
    rm = cudaRoundNearest;
    break;
  case FMT_E2M3: case FMT_E3M2: case FMT_E2M1:
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
  for (size_t i = 0; i < n; i++) {
    uint64_t b = in[i];
    if (sbits < 64 && (b >> sbits)) return MXC_ERROR;
    unsigned c;
    switch (dst) {
    case FMT_E4M3: c = to_fp8(src, b, sat, __NV_E4M3); break;
    case FMT_E5M2: c = to_fp8(src, b, sat, __NV_E5M2); break;
    case FMT_E2M3: c = to_fp6(src, b, __NV_E2M3, rm); break;
    case FMT_E3M2: c = to_fp6(src, b, __NV_E3M2, rm); break;
    case FMT_E2M1: c = to_fp4(src, b, rm); break;
    default: c = to_e8m0(src, b, sat, rm); break; /* FMT_E8M0 */
    }
    out[i] = c;
  }
  return MXC_OK;
}

static const mxc_target_api cuda_api = {
  .abi_version = MXC_TARGET_ABI_VERSION,
  .struct_size = sizeof(mxc_target_api),
  .name = "cuda-host",
  .version = "CUDA " MXC_CUDA_VERSION_TEXT " host headers",
  .decode = cuda_decode,
  .convert = cuda_convert,
  .quantize = NULL, /* the headers have no block (scale + 32 elements) helper */
  .dequantize = NULL,
  .pack = NULL,
};

__attribute__((visibility("default"))) const mxc_target_api *mxc_target_get(void) { return &cuda_api; }
