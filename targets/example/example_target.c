/* example_target.c — a complete, minimal mxconform target. Copy it to start your own.
 *
 * What it does: FP4 E2M1 only.
 *   decode  : E2M1 codes -> their exact values (f64 bit patterns)
 *   convert : f32 / bf16 / f16 / f64 -> E2M1, round to nearest, ties to even, with either
 *             overflow mode (E2M1 has no Inf or NaN, so "ovf" saturates like "sat")
 *   nvfp4   : NVIDIA's NVFP4 (E2M1 elements, an E4M3 scale per 16, an f32 tensor scale),
 *             quantize and dequantize, as NVIDIA's formulas say, each evaluated exactly
 *             (the `ocp` profile's nvfp4_* knobs: spec_notes/nvfp4.md), and the NVFP4 dot
 *             product: its exact value (+ C) rounded once to f32 (exact-rne)
 * Everything else answers MXC_UNSUPPORTED (another format, another rounding mode) or is a
 * NULL entry in the table (quantize, dequantize, pack): `mxconform run` then reports those
 * suites as "unsupported", which is not a failure.
 *
 * Build:   cc -shared -fPIC -I include -o libmxtarget_example.so targets/example/example_target.c
 * Run:     mxconform run --target lib:./libmxtarget_example.so -o results.json
 *
 * The harness loads this library in a child process (`mxconform serve --lib`), so a bug
 * that crashes or hangs here is contained and narrowed down to the input that caused it.
 *
 * The conversion is written in the simplest way that is still exact, on purpose
 * independent of mxconform's own reference: every f32 / bf16 / f16 value is exactly a
 * double, and every E2M1 value and every midpoint between two neighbours is a short
 * binary fraction, so comparing doubles decides each rounding exactly.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "mxconform/target.h"

/* Enumeration values from the public headers (formats.h mx_fmt, knobs.h mx_round /
 * mx_overflow). They are part of the ABI and never change within ABI version 1; they are
 * repeated here so that this file needs nothing but target.h. */
enum { FMT_E2M1 = 4, FMT_F32 = 7, FMT_BF16 = 8, FMT_F16 = 9, FMT_F64 = 10 };
enum { ROUND_RNE = 0 };
enum { OVERFLOW_SAT = 0, OVERFLOW_OVF = 1 };

/* The eight E2M1 magnitudes, indexed by the low three bits of the code (sign is bit 3):
 * exponent bits 00 are subnormal (0, 0.5), then 1, 1.5, 2, 3, 4, 6. */
static const double e2m1_magnitude[8] = {0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0};
enum { E2M1_SIGN = 0x8, E2M1_MAX_CODE = 0x7 };

/* ---- small helpers -------------------------------------------------------------------- */

static uint64_t double_bits(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

/* An IEEE-style binary float with `ebits` exponent and `mbits` trailing significand bits
 * (f32: 8/23, bf16: 8/7, f16: 5/10) -> double. Exact: these formats are subsets of f64. */
static double decode_ieee(uint64_t bits, int ebits, int mbits) {
  int sign = (int)(bits >> (ebits + mbits)) & 1;
  uint64_t exp_field = (bits >> mbits) & ((1u << ebits) - 1);
  uint64_t mantissa = bits & ((UINT64_C(1) << mbits) - 1);
  int bias = (1 << (ebits - 1)) - 1;
  double magnitude;
  if (exp_field == (1u << ebits) - 1) magnitude = mantissa ? NAN : INFINITY;
  else if (exp_field == 0) magnitude = ldexp((double)mantissa, 1 - bias - mbits); /* subnormal or zero */
  else magnitude = ldexp((double)(mantissa | (UINT64_C(1) << mbits)), (int)exp_field - bias - mbits);
  return sign ? -magnitude : magnitude;
}

/* Source bit pattern -> double; returns 0 when the source format is not one we know. */
static int source_value(int src, uint64_t bits, double *out) {
  switch (src) {
  case FMT_F32: *out = decode_ieee(bits, 8, 23); return 1;
  case FMT_BF16: *out = decode_ieee(bits, 8, 7); return 1;
  case FMT_F16: *out = decode_ieee(bits, 5, 10); return 1;
  case FMT_F64: memcpy(out, &bits, sizeof *out); return 1;
  default: return 0;
  }
}

/* |x| (finite, not NaN) -> E2M1 magnitude code 0..7, round to nearest, ties to even.
 * Between two neighbours lo < hi the midpoint decides; exactly on it, the code whose
 * last bit (the mantissa bit) is 0 wins. Everything at or beyond 6 saturates to 6: by
 * the rule "round first, then check the range" values up to the 5 | 6 midpoint round to 6
 * anyway, and E2M1 has no Inf or NaN to overflow into. */
static unsigned e2m1_magnitude_code(double magnitude) {
  for (unsigned lo = 0; lo < E2M1_MAX_CODE; lo++) {
    double midpoint = (e2m1_magnitude[lo] + e2m1_magnitude[lo + 1]) / 2;
    if (magnitude < midpoint) return lo;
    if (magnitude == midpoint) return (lo % 2 == 0) ? lo : lo + 1;
  }
  return E2M1_MAX_CODE;
}

static uint64_t e2m1_from_double(double x) {
  /* NaN: E2M1 cannot hold it; the `ocp` profile's choice (knob nan_finite = pos-max) is
   * +6 whatever the NaN's sign, as CUDA's cuda_fp4.h does. */
  if (isnan(x)) return E2M1_MAX_CODE;
  unsigned sign = signbit(x) ? E2M1_SIGN : 0; /* kept for -0 and for values that round to 0 */
  /* +-Inf: +-6 (knob inf_finite = max); e2m1_magnitude_code saturates it. */
  return sign | e2m1_magnitude_code(fabs(x));
}

/* ---- the operations -------------------------------------------------------------------- */

static int example_decode(int fmt, const uint64_t *codes, size_t n, uint64_t *f64_out) {
  if (fmt != FMT_E2M1) return MXC_UNSUPPORTED;
  for (size_t i = 0; i < n; i++) {
    if (codes[i] > 0xF) return MXC_ERROR; /* not a 4-bit code: tell the harness, don't guess */
    double magnitude = e2m1_magnitude[codes[i] & 0x7];
    f64_out[i] = double_bits((codes[i] & E2M1_SIGN) ? -magnitude : magnitude);
  }
  return MXC_OK;
}

static int example_convert(int dst, int src, int round, int overflow, const uint64_t *in, const uint32_t *sr_random,
                           size_t n, uint64_t *out) {
  (void)sr_random; /* only used for stochastic rounding, which this target does not offer */
  if (dst != FMT_E2M1 || round != ROUND_RNE) return MXC_UNSUPPORTED;
  if (overflow != OVERFLOW_SAT && overflow != OVERFLOW_OVF) return MXC_UNSUPPORTED;
  for (size_t i = 0; i < n; i++) {
    double x;
    if (!source_value(src, in[i], &x)) return MXC_UNSUPPORTED;
    out[i] = e2m1_from_double(x);
  }
  return MXC_OK;
}

/* ---- NVFP4 ------------------------------------------------------------------------------
 * Every step is one comparison of doubles that are exact: an f32 has 24 significant bits, an
 * E4M3 or E2M1 midpoint at most 5, 6 at most 2, so num vs den * midpoint never rounds. */

static float f32_of(uint64_t bits) {
  uint32_t u = (uint32_t)bits;
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

static uint64_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

/* E4M3 code 0x00..0x7E -> its value (positive; 0x7F is NaN, never asked for here). */
static double e4m3_value(unsigned code) {
  unsigned e = (code >> 3) & 0xF, m = code & 7;
  return e ? ldexp(8 + m, (int)e - 10) : ldexp(m, -9);
}

static double nvfp4_scale_value(uint64_t code) { /* the sign bit is ignored (cuBLAS: UE4M3) */
  unsigned c = (unsigned)code & 0x7F;
  return c == 0x7F ? NAN : e4m3_value(c);
}

/* The code (0..top) of value(code) nearest to num / den, num >= 0, den >= 0: ties to the
 * even code, saturating at top; den = 0 makes a nonzero num saturate (x / 0 = Inf). */
static unsigned nearest_code(double num, double den, double (*value)(unsigned), unsigned top) {
  if (num == 0) return 0;
  if (den == 0) return top;
  for (unsigned lo = 0; lo < top; lo++) {
    double twice_mid = value(lo) + value(lo + 1); /* exact */
    if (2 * num < den * twice_mid) return lo;
    if (2 * num == den * twice_mid) return lo % 2 ? lo + 1 : lo;
  }
  return top;
}

static double e2m1_value(unsigned code) { return e2m1_magnitude[code]; }

static int example_nvfp4_quantize(const uint64_t *in, size_t n, int has_amax, uint64_t amax_bits, uint64_t *tensor_scale,
                                  uint64_t *scales, uint64_t *codes) {
  if (n == 0 || n % 16) return MXC_ERROR;
  float amax = 0;
  for (size_t i = 0; i < n; i++) amax = fmaxf(amax, fabsf(f32_of(in[i])));
  if (has_amax) amax = f32_of(amax_bits);
  float st = amax == 0 ? 1.0f : amax / 2688.0f; /* 2688 = 6 x 448; one f32 division */
  *tensor_scale = f32_bits(st);
  for (size_t b = 0; b < n / 16; b++) {
    double amax_b = 0;
    for (size_t i = 0; i < 16; i++) amax_b = fmax(amax_b, fabs(f32_of(in[16 * b + i])));
    unsigned s = nearest_code(amax_b, 6.0 * st, e4m3_value, 0x7E); /* 0x7E = 448 */
    scales[b] = s;
    double den = e4m3_value(s) * st;
    for (size_t i = 0; i < 16; i++) {
      float x = f32_of(in[16 * b + i]);
      codes[16 * b + i] = (signbit(x) ? E2M1_SIGN : 0) | nearest_code(fabs(x), den, e2m1_value, E2M1_MAX_CODE);
    }
  }
  return MXC_OK;
}

static int example_nvfp4_dequantize(uint64_t tensor_scale, uint64_t scale, const uint64_t *codes, size_t k,
                                    uint64_t *out) {
  double sb = nvfp4_scale_value(scale), st = f32_of(tensor_scale);
  for (size_t i = 0; i < k; i++) {
    double e = e2m1_magnitude[codes[i] & 7];
    double v = e * sb * st; /* exact in double; the cast rounds once */
    out[i] = f32_bits((float)((codes[i] & E2M1_SIGN) ? -v : v));
  }
  return MXC_OK;
}

/* NVFP4 dot: S = sum of e_a e_b s_b(a) s_b(b) over every block is exact in binary128 (each
 * product has at most 14 significant bits between 2^-20 and 2^18; 64 blocks of 16 add 10
 * more), and S x (s_t(a) s_t(b)) (a 48-bit double) has at most 62 + 48 < 113 bits: exact.
 * Adding C rounds at most once; we round that sum to odd (TwoSum gives its exact error), and a
 * value rounded to odd with 113 bits rounds to f32 exactly as the true sum would (113 >= 24 + 2),
 * so the final cast is the one rounding. Zero: -0 only if every product is -0 and C is -0 or
 * absent (IEEE 754 §6.3); a product's zero sign is the xor of its factors' (double arithmetic
 * gets that right). */
typedef __float128 quad; /* GCC and Clang on x86-64 (and other targets with IEEE binary128) */

static quad sum_round_to_odd(quad a, quad b) {
  quad s = a + b, bv = s - a, err = (a - (s - bv)) + (b - bv); /* s + err = a + b exactly */
  if (err == 0) return s;
  uint64_t w[2]; /* the bits, low word first (x86-64 and the other little-endian targets) */
  memcpy(w, &s, sizeof w);
  if (w[0] & 1) return s; /* already odd */
  if ((err > 0) == (s > 0)) w[1] += ++w[0] == 0; /* away from zero: the next magnitude */
  else w[1] -= w[0]-- == 0;                       /* toward zero: the previous one (s != 0) */
  memcpy(&s, w, sizeof s);
  return s;
}

static int example_nvfp4_dot(size_t nb, uint64_t ta_bits, const uint64_t *sa, const uint64_t *ca, uint64_t tb_bits,
                             const uint64_t *sb, const uint64_t *cb, int has_c, uint64_t c_bits, uint64_t *out) {
  double ta = f32_of(ta_bits), tb = f32_of(tb_bits), c = has_c ? f32_of(c_bits) : -0.0;
  if (nb == 0 || nb > 64 || !isfinite(ta) || !isfinite(tb)) return MXC_ERROR;
  quad S = 0;
  int all_negative_zero = !has_c || (c == 0 && signbit(c));
  for (size_t j = 0; j < nb; j++) {
    double s = nvfp4_scale_value(sa[j]) * nvfp4_scale_value(sb[j]); /* exact: 8 bits */
    if (isnan(s)) { /* a NaN block scale: the whole result */
      *out = 0x7FC00000u;
      return MXC_OK;
    }
    for (size_t i = 16 * j; i < 16 * j + 16; i++) {
      double ea = e2m1_magnitude[ca[i] & 7], eb = e2m1_magnitude[cb[i] & 7];
      double p = (ca[i] & E2M1_SIGN ? -ea : ea) * (cb[i] & E2M1_SIGN ? -eb : eb) * s; /* exact: 14 bits */
      double v = p * ta * tb; /* only its sign and zeroness are used (no underflow: >= 2^-318) */
      if (!(v == 0 && signbit(v))) all_negative_zero = 0;
      S += (quad)p;
    }
  }
  if (isnan(c)) { *out = 0x7FC00000u; return MXC_OK; }
  if (isinf(c)) { *out = f32_bits((float)c); return MXC_OK; }
  quad x = sum_round_to_odd(S * (quad)(ta * tb), (quad)c); /* ta * tb: 48 bits, exact in double */
  if (x == 0) *out = all_negative_zero ? 0x80000000u : 0u;
  else *out = f32_bits((float)x);
  return MXC_OK;
}

/* ---- the one exported symbol ----------------------------------------------------------- */

static const mxc_target_api example_api = {
  .abi_version = MXC_TARGET_ABI_VERSION,
  .struct_size = sizeof(mxc_target_api),
  .name = "mxtarget-example",
  .version = "1.0",
  .decode = example_decode,
  .convert = example_convert,
  .quantize = NULL,   /* not supported: its suites are reported unsupported */
  .dequantize = NULL,
  .pack = NULL,
  .nvfp4_quantize = example_nvfp4_quantize,
  .nvfp4_dequantize = example_nvfp4_dequantize,
  .nvfp4_dot = example_nvfp4_dot,
};

/* Exported with default visibility even when the library is built with
 * -fvisibility=hidden: this is the only symbol the harness looks up. */
__attribute__((visibility("default"))) const mxc_target_api *mxc_target_get(void) { return &example_api; }
