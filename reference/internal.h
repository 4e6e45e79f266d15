/* libmxref internals: the unpacked source value and the single rounding decision. */
#ifndef MXREF_INTERNAL_H
#define MXREF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mxconform/formats.h"
#include "mxconform/knobs.h"

/* MXR_SPECIALISED: a helper specialised by inlining it into every (source, destination,
 * rounding) combination of its caller, the scalar conversion's and the AVX2 kernels', which is
 * where their speed comes from. Under the sanitizers (MXC_SANITIZE) that forced inlining makes
 * GCC instrument every inlined copy: reference/avx2_convert.c took 5-8 minutes to compile and
 * reference/convert.c 4, the long poles of CI's ASan build; without it they take 3 s and 1 min.
 * There the helpers are ordinary static inline functions: the same source lines and
 * operations run and are checked, only not copied per combination. */
#ifdef MXC_SANITIZE_BUILD
#define MXR_SPECIALISED static inline
#else
#define MXR_SPECIALISED static inline __attribute__((always_inline))
#endif

/* A source value: class, sign and, for finite nonzero values, value = sig * 2^exp with
 * sig != 0 and sig < 2^53 (no source format has a wider significand). For a NaN, sig is
 * the source's trailing significand shifted to the top (its quiet bit is bit 63): the
 * payload that knob e5m2_nan=propagate reads (reference/convert.c float_nan_from_nan). */
typedef struct mxr_value {
  mx_class cls;
  int sign;
  uint64_t sig;
  int exp;
} mxr_value;

/* floor(log2(sig)) for sig != 0. */
static inline int mxr_bitlen_minus1(uint64_t sig) { return 63 - __builtin_clzll(sig); }

/* Unpack an IEEE-style source bit pattern (f32, bf16, f16, f64) using the format table.
 * Applies the src_subnormals knob (flushing turns a subnormal into a signed zero). */
static inline __attribute__((always_inline)) mxr_value mxr_unpack(const mx_format_desc *d, uint64_t bits, mx_src_subnormals subn) {
  mxr_value v;
  const int m = d->mbits;
  const uint64_t mmask = ((uint64_t)1 << m) - 1;
  const uint64_t emask = ((uint64_t)1 << d->ebits) - 1;
  uint64_t mant = bits & mmask;
  uint64_t ef = (bits >> m) & emask;
  v.sign = (int)((bits >> (d->bits - 1)) & 1u);
  v.sig = 0;
  v.exp = 0;
  if (ef == emask) {
    v.cls = mant ? MX_CLASS_NAN : MX_CLASS_INF;
    v.sig = mant << (64 - m); /* a NaN's payload, left-aligned; 0 for Inf */
  } else if (ef == 0) {
    if (mant == 0 || subn == MX_SUBN_FLUSH) {
      v.cls = MX_CLASS_ZERO;
    } else {
      v.cls = MX_CLASS_SUBNORMAL;
      v.sig = mant;
      v.exp = d->emin - m;
    }
  } else {
    v.cls = MX_CLASS_NORMAL;
    v.sig = mant | ((uint64_t)1 << m);
    v.exp = (int)ef - d->bias - m;
  }
  return v;
}

/* The one place where libmxref decides rounding.
 * The exact magnitude is sig * 2^-shift in units of the destination's last place
 * (shift >= 1); the truncated result is sig >> shift, whose parity is `trunc_odd` (for
 * E8M0 the parity of the candidate *code*, which is what ties-to-even means there).
 * Returns 1 when the magnitude must be incremented by one unit. */
static inline __attribute__((always_inline)) int mxr_round_increment(mx_round mode, int negative, uint64_t sig, int shift, int trunc_odd,
                                      uint32_t sr_random, unsigned sr_bits) {
  uint64_t rem;
  int cmp_half; /* remainder vs half a unit: -1 below, 0 equal, +1 above */
  if (shift >= 64) {
    rem = sig; /* sig < 2^53 <= 2^(shift-1): always below half */
    cmp_half = -1;
  } else {
    rem = sig & (((uint64_t)1 << shift) - 1);
    uint64_t half = (uint64_t)1 << (shift - 1);
    cmp_half = rem > half ? 1 : (rem == half ? 0 : -1);
  }
  switch (mode) {
  case MX_RNE: return cmp_half > 0 || (cmp_half == 0 && trunc_odd);
  case MX_RNA: return cmp_half >= 0;
  case MX_RTZ: return 0;
  case MX_RUP: return !negative && rem != 0;
  case MX_RDN: return negative && rem != 0;
  case MX_SR: {
    /* Up iff rem/2^shift + r/2^k >= 1, i.e. rem*2^k + r*2^shift >= 2^(shift+k). */
    if (rem == 0) return 0;
    unsigned k = sr_bits;
    uint64_t r = k >= 32 ? sr_random : (sr_random & ((1u << k) - 1u));
    if (shift >= 96) return 0; /* rem*2^k < 2^85 <= 2^shift */
    unsigned __int128 a = (unsigned __int128)rem << k;
    unsigned __int128 b = (unsigned __int128)(((uint64_t)1 << k) - r) << shift;
    return a >= b;
  }
  default: return 0;
  }
}

/* Convert n unpacked values to codes of element/scale format dst under the knobs o (not
 * NULL); sr_random as in mxref_convert. The block layer's entry into the scalar conversion
 * (reference/convert.c): it passes V_i / 2^s as an unpacked value with exp reduced by s. */
void mxr_convert_values(mx_fmt dst, const mxr_value *v, size_t n, const mx_convert_opts *o,
                        const uint32_t *sr_random, uint8_t *codes);

/* Does this rounding mode move the magnitude of a value of this sign toward zero?
 * Such modes never produce an overflow special (IEEE 754 §7.4). */
static inline int mxr_rounds_toward_zero(mx_round mode, int negative) {
  return mode == MX_RTZ || (mode == MX_RUP && negative) || (mode == MX_RDN && !negative);
}

/* Knob f64_src=via-f32: binary64 bits rounded to binary32 bits by the hardware conversion
 * (RNE, the default floating-point environment; a NaN keeps its sign and the top of its
 * payload, quiet bit set). The oracle computes the same with MPFR. */
static inline uint64_t mxr_f64_bits_to_f32(uint64_t bits) {
  double d;
  float f;
  uint32_t fb;
  memcpy(&d, &bits, 8);
  f = (float)d;
  memcpy(&fb, &f, 4);
  if (d != d) fb |= 0x00400000u; /* quiet, whatever the source's quiet bit */
  return fb;
}

/* DotGeneral (reference/dot.c) whose block j has the scale s_j = smul[j] * 2^sexp[j] in place
 * of the E8M0 product (the vectors' scale codes are not read): NVFP4's E4M3 x FP32 scales
 * (reference/nvfp4.c). smul[j] in 1 .. 2^56 - 1 (a positive scale: the caller folds a
 * negative or zero one into the element signs); sexp[j] >= -316 and the scaled products below
 * 2^400. Otherwise the contract of mxref_dot_general. */
struct mx_dot_vec;
struct mx_dot_model;
int mxr_dot_general_scaled(const struct mx_dot_vec *a, const struct mx_dot_vec *b, size_t n, size_t k,
                           const uint32_t *c, const struct mx_dot_model *m, const uint64_t *smul, const int *sexp,
                           uint32_t *out);

#endif
