/* libmxref scalar conversion: source bit pattern -> element or scale code.
 * Integer bit logic only; the rounding decision lives in internal.h. Semantics are those
 * of spec_notes/conversion.md. */
#include <string.h>

#include "avx2.h"
#include "dispatch.h"
#include "internal.h"
#include "mxconform/mxref.h"

/* ---- results that do not depend on rounding ------------------------------------- */

static inline uint32_t sign_bit(const mx_format_desc *d, int sign) { return (uint32_t)sign << (d->bits - 1); }

/* The NaN made from +-Inf or by overflow, in a float format that has NaN but no Inf: E4M3's
 * S.1111.111, the FNUZ formats' 0x80. nan_sign=nan-input-positive keeps the sign of such a
 * NaN (E4M3; the FNUZ NaN has no sign). */
static inline uint32_t float_nan(const mx_format_desc *d, int sign, const mx_convert_opts *o) {
  if (d->specials == MX_SPECIALS_NAN_NEGZERO) return sign_bit(d, 1); /* FNUZ: the one NaN, 0x80 */
  uint32_t expall = (((uint32_t)1 << d->ebits) - 1) << d->mbits;
  uint32_t mant = ((uint32_t)1 << d->mbits) - 1; /* all ones */
  if (d->specials == MX_SPECIALS_IEEE && o->e5m2_nan != MX_E5M2_NAN_ALLONES)
    mant = (uint32_t)1 << (d->mbits - 1); /* no source payload to propagate: quiet */
  int s = o->nan_sign == MX_NAN_SIGN_POSITIVE ? 0 : o->nan_sign == MX_NAN_SIGN_NEGATIVE ? 1 : sign;
  return sign_bit(d, s) | expall | mant;
}

/* The NaN a NaN input becomes (E4M3: S.1111.111; E5M2: S.11111.10, .11, or .1p with p the
 * bit below the source's quiet bit; mxr_unpack leaves the source's trailing significand
 * left-aligned in v.sig, quiet bit at bit 63). */
static inline uint32_t float_nan_from_nan(const mx_format_desc *d, mxr_value v, const mx_convert_opts *o) {
  if (d->specials == MX_SPECIALS_NAN_NEGZERO) return sign_bit(d, 1);
  uint32_t expall = (((uint32_t)1 << d->ebits) - 1) << d->mbits;
  uint32_t mant = ((uint32_t)1 << d->mbits) - 1; /* all ones */
  if (d->specials == MX_SPECIALS_IEEE) {
    const uint32_t quiet = (uint32_t)1 << (d->mbits - 1);
    if (o->e5m2_nan == MX_E5M2_NAN_QUIET) mant = quiet;
    if (o->e5m2_nan == MX_E5M2_NAN_PROPAGATE) mant = quiet | (uint32_t)((v.sig << 1) >> (64 - (d->mbits - 1)));
  }
  int s = o->nan_sign == MX_NAN_SIGN_KEEP ? v.sign : o->nan_sign == MX_NAN_SIGN_NEGATIVE;
  return sign_bit(d, s) | expall | mant;
}

static inline uint32_t float_inf(const mx_format_desc *d, int sign) {
  return sign_bit(d, sign) | ((((uint32_t)1 << d->ebits) - 1) << d->mbits);
}

/* Signed zero; in a format without -0 (FNUZ: the sign bit alone is the NaN) a -0 result
 * follows knob fnuz_zero. `rounded`: a nonzero value rounded to zero (else a -0 input). */
static inline uint32_t float_zero(const mx_format_desc *d, int sign, const mx_convert_opts *o, int rounded) {
  if (d->specials != MX_SPECIALS_NAN_NEGZERO || !sign) return sign_bit(d, sign);
  int nan = o->fnuz_zero == MX_FNUZ_ZERO_NAN || (o->fnuz_zero == MX_FNUZ_ZERO_UNDERFLOW_NAN && rounded);
  return nan ? sign_bit(d, 1) : 0;
}

static inline uint32_t int8_max(int sign, const mx_convert_opts *o) {
  if (!sign) return 0x7F;
  return o->int8_range == MX_INT8_TWOS ? 0x80 : 0x81;
}

/* Overflow gives the largest finite value: under sat, and under a rounding toward zero
 * unless knob ovf_directed says the encoder range-checks after truncating. */
static inline int overflow_keeps_max(const mx_convert_opts *o, mx_round mode, int sign) {
  return o->overflow == MX_SAT || (mxr_rounds_toward_zero(mode, sign) && o->ovf_directed == MX_OVF_DIRECTED_MAX);
}

/* Beyond the largest finite value after rounding (or an input too large to round). */
static inline uint32_t float_overflow(const mx_format_desc *d, int sign, const mx_convert_opts *o, mx_round mode) {
  uint32_t max = sign_bit(d, sign) | (uint32_t)d->max_code;
  if (overflow_keeps_max(o, mode, sign)) return max;
  if (d->specials == MX_SPECIALS_NONE) return o->ovf_finite == MX_OVF_FINITE_REFUSE ? MX_CODE_REFUSED : max;
  if (d->specials == MX_SPECIALS_IEEE) return float_inf(d, sign);
  return o->ovf_nan == MX_OVF_NAN_REFUSE ? MX_CODE_REFUSED : float_nan(d, sign, o);
}

/* ---- destinations ----------------------------------------------------------------- */

MXR_SPECIALISED uint32_t to_float(const mx_format_desc *d, mxr_value v, const mx_convert_opts *o, uint32_t rnd,
                                  mx_round mode) {
  switch (v.cls) {
  case MX_CLASS_ZERO: return float_zero(d, v.sign, o, 0);
  case MX_CLASS_NAN:
    if (d->specials != MX_SPECIALS_NONE) return float_nan_from_nan(d, v, o);
    switch (o->nan_finite) {
    case MX_NANF_REFUSE: return MX_CODE_REFUSED;
    case MX_NANF_POS_MAX: return (uint32_t)d->max_code;
    case MX_NANF_SIGNED_MAX: return sign_bit(d, v.sign) | (uint32_t)d->max_code;
    case MX_NANF_ZERO: return 0;
    case MX_NANF_SIGNED_ZERO: return sign_bit(d, v.sign);
    case MX_NANF_INVERTED_ZERO: return sign_bit(d, !v.sign);
    }
    return 0;
  case MX_CLASS_INF:
    if (d->specials == MX_SPECIALS_NONE) {
      if (o->inf_finite == MX_INFF_REFUSE) return MX_CODE_REFUSED;
      return o->inf_finite == MX_INFF_MAX ? (sign_bit(d, v.sign) | (uint32_t)d->max_code) : sign_bit(d, v.sign);
    }
    if (o->overflow == MX_SAT && o->inf_sat == MX_INF_SAT_MAX) return sign_bit(d, v.sign) | (uint32_t)d->max_code;
    if (d->specials == MX_SPECIALS_IEEE) return float_inf(d, v.sign);
    return o->ovf_nan == MX_OVF_NAN_REFUSE ? MX_CODE_REFUSED : float_nan(d, v.sign, o); /* no Inf code: NaN */
  default: break;
  }
  const int m = d->mbits;
  int e = v.exp + mxr_bitlen_minus1(v.sig); /* floor(log2 |x|) */
  if (e > d->emax + 1) return float_overflow(d, v.sign, o, mode);
  int eq = e < d->emin ? d->emin : e; /* binade whose quantum applies */
  int shift = (eq - m) - v.exp;       /* |x| = sig * 2^exp = (sig >> shift) units of 2^(eq-m) */
  uint64_t n;
  if (shift <= 0) {
    n = v.sig << -shift; /* exact: n < 2^(m+1) */
  } else {
    n = shift >= 64 ? 0 : v.sig >> shift;
    n += (uint64_t)mxr_round_increment(mode, v.sign, v.sig, shift, (int)(n & 1), rnd, o->sr_bits);
  }
  /* A carry out of the significand moves into the exponent field by itself. */
  uint64_t mag = ((uint64_t)(eq - d->emin) << m) + n;
  if (mag > d->max_code) return float_overflow(d, v.sign, o, mode);
  if (d->specials == MX_SPECIALS_NAN_NEGZERO && mag == 0) return float_zero(d, v.sign, o, 1);
  return sign_bit(d, v.sign) | (uint32_t)mag;
}

MXR_SPECIALISED uint32_t to_int(const mx_format_desc *d, mxr_value v, const mx_convert_opts *o, uint32_t rnd,
                                mx_round mode) {
  switch (v.cls) {
  case MX_CLASS_ZERO: return 0;
  case MX_CLASS_NAN:
    switch (o->nan_finite) {
    case MX_NANF_REFUSE: return MX_CODE_REFUSED;
    case MX_NANF_POS_MAX: return 0x7F;
    case MX_NANF_SIGNED_MAX: return int8_max(v.sign, o);
    default: return 0; /* INT8 has a single zero */
    }
  case MX_CLASS_INF:
    if (o->inf_finite == MX_INFF_REFUSE) return MX_CODE_REFUSED;
    return o->inf_finite == MX_INFF_MAX ? int8_max(v.sign, o) : 0;
  default: break;
  }
  uint64_t limit = (v.sign && o->int8_range == MX_INT8_TWOS) ? 128 : 127;
  int e = v.exp + mxr_bitlen_minus1(v.sig);
  uint64_t n;
  if (e > 7) {
    n = limit + 1; /* |x| >= 256: beyond any rounding */
  } else {
    int shift = d->int_scale_log2 - v.exp; /* units of 2^-6 */
    if (shift <= 0) {
      n = v.sig << -shift;
    } else {
      n = shift >= 64 ? 0 : v.sig >> shift;
      n += (uint64_t)mxr_round_increment(mode, v.sign, v.sig, shift, (int)(n & 1), rnd, o->sr_bits);
    }
  }
  if (n > limit) { /* no Inf/NaN: overflow saturates, or is refused (knob ovf_finite) */
    if (!overflow_keeps_max(o, mode, v.sign) && o->ovf_finite == MX_OVF_FINITE_REFUSE) return MX_CODE_REFUSED;
    n = limit;
  }
  return v.sign ? (uint32_t)(uint8_t)(0u - (uint32_t)n) : (uint32_t)n;
}

MXR_SPECIALISED uint32_t to_scale(const mx_format_desc *d, mxr_value v, const mx_convert_opts *o, uint32_t rnd,
                                  mx_round mode) {
  const uint32_t nan = 0xFF;
  if (v.cls == MX_CLASS_NAN) return nan;
  if (v.cls == MX_CLASS_ZERO) return o->e8m0_zero == MX_E8M0_ZERO_MIN ? 0x00 : nan;
  if (v.sign) {
    if (o->e8m0_neg == MX_E8M0_NEG_NAN) return nan;
    if (o->e8m0_neg == MX_E8M0_NEG_REFUSE) return MX_CODE_REFUSED;
    if (o->e8m0_neg == MX_E8M0_NEG_MIN || (o->e8m0_neg == MX_E8M0_NEG_MIN_FINITE && v.cls != MX_CLASS_INF)) return 0x00;
  }
  /* From here on the magnitude is converted, as a positive number. */
  if (v.cls == MX_CLASS_INF)
    return (o->overflow == MX_SAT && o->inf_sat == MX_INF_SAT_MAX) ? (uint32_t)d->max_code : nan;
  int lead = mxr_bitlen_minus1(v.sig);
  int e = v.exp + lead;
  if (o->e8m0_range == MX_E8M0_RANGE_CHECK_FIRST) { /* the range test before rounding */
    const int above_one = lead > 0 && (v.sig & ((1ull << lead) - 1)) != 0; /* |x| not a power of two */
    if (e > d->emax || (e == d->emax && above_one)) return o->overflow == MX_SAT ? (uint32_t)d->max_code : nan;
    if (e < d->emin) return o->e8m0_zero == MX_E8M0_ZERO_MIN ? 0x00 : nan;
  }
  int code = e + d->bias;
  if (lead > 0) /* knob e8m0_tie=up: the parity is that of the implicit bit, always 1 */
    code += mxr_round_increment(mode, 0, v.sig, lead, o->e8m0_tie == MX_E8M0_TIE_UP ? 1 : code & 1, rnd, o->sr_bits);
  if (code < 0) return 0x00; /* below 2^-127: no zero, clamp to the smallest scale */
  if (code > (int)d->max_code) return overflow_keeps_max(o, mode, 0) ? (uint32_t)d->max_code : nan;
  return (uint32_t)code;
}

static inline uint32_t convert_value(const mx_format_desc *dd, mxr_value v, const mx_convert_opts *o,
                                     uint32_t rnd) {
  switch (dd->kind) {
  case MX_KIND_FLOAT: return to_float(dd, v, o, rnd, o->round);
  case MX_KIND_INT: return to_int(dd, v, o, rnd, o->round);
  case MX_KIND_SCALE: return to_scale(dd, v, o, rnd, o->round);
  }
  return 0;
}

uint32_t mxref_convert_one(mx_fmt dst, mx_fmt src, uint64_t src_bits, const mx_convert_opts *o,
                           uint32_t sr_random) {
  mx_convert_opts def;
  if (!o) {
    mx_convert_opts_default(&def);
    o = &def;
  }
  if (src == MX_F64 && o->f64_src == MX_F64_VIA_F32) {
    src_bits = mxr_f64_bits_to_f32(src_bits);
    src = MX_F32;
  }
  const mx_format_desc *sd = mx_format(src);
  return convert_value(mx_format(dst), mxr_unpack(sd, src_bits, o->src_subnormals), o, sr_random);
}

/* Compile-time copies of the format rows, so the array loops below are instantiated per
 * (source, destination) with every field a constant. */
#define MX_FORMAT(id, name, lname, kind, bits, sgn, eb, mb, bias, emax, emin, spec, ints, maxc, elem, src) \
  static const mx_format_desc k_row_##id = {id, name, lname, kind, bits, sgn, eb, mb, bias, emax, emin, spec, ints, maxc, elem, src};
#include "mxconform/formats.def"
#undef MX_FORMAT

#define MXR_LOOP_MODE(T, SD, DD, KINDFN, MODE)                                         \
  do {                                                                                 \
    const T *s_ = (const T *)src_values;                                               \
    for (size_t i_ = 0; i_ < n; i_++)                                                  \
      codes[i_] = (uint8_t)KINDFN(DD, mxr_unpack(SD, s_[i_], subn), o,                 \
                                  sr_random ? sr_random[i_] : 0u, MODE);               \
  } while (0)

/* The rounding mode is a constant inside each loop too. */
#define MXR_LOOP(T, SD, DD, KINDFN)                                                    \
  do {                                                                                 \
    switch (o->round) {                                                                \
    case MX_RNE: MXR_LOOP_MODE(T, SD, DD, KINDFN, MX_RNE); break;                      \
    case MX_RNA: MXR_LOOP_MODE(T, SD, DD, KINDFN, MX_RNA); break;                      \
    case MX_RTZ: MXR_LOOP_MODE(T, SD, DD, KINDFN, MX_RTZ); break;                      \
    case MX_RUP: MXR_LOOP_MODE(T, SD, DD, KINDFN, MX_RUP); break;                      \
    case MX_RDN: MXR_LOOP_MODE(T, SD, DD, KINDFN, MX_RDN); break;                      \
    default: MXR_LOOP_MODE(T, SD, DD, KINDFN, MX_SR); break;                           \
    }                                                                                  \
  } while (0)

#define MXR_BY_DST(T, SD)                                                              \
  do {                                                                                 \
    switch (dst) {                                                                     \
    case MX_E4M3: MXR_LOOP(T, SD, &k_row_MX_E4M3, to_float); break;                    \
    case MX_E5M2: MXR_LOOP(T, SD, &k_row_MX_E5M2, to_float); break;                    \
    case MX_E2M3: MXR_LOOP(T, SD, &k_row_MX_E2M3, to_float); break;                    \
    case MX_E3M2: MXR_LOOP(T, SD, &k_row_MX_E3M2, to_float); break;                    \
    case MX_E2M1: MXR_LOOP(T, SD, &k_row_MX_E2M1, to_float); break;                    \
    case MX_INT8: MXR_LOOP(T, SD, &k_row_MX_INT8, to_int); break;                      \
    case MX_E8M0: MXR_LOOP(T, SD, &k_row_MX_E8M0, to_scale); break;                    \
    case MX_E4M3FNUZ: MXR_LOOP(T, SD, &k_row_MX_E4M3FNUZ, to_float); break;            \
    case MX_E5M2FNUZ: MXR_LOOP(T, SD, &k_row_MX_E5M2FNUZ, to_float); break;            \
    case MX_E4M3B11FNUZ: MXR_LOOP(T, SD, &k_row_MX_E4M3B11FNUZ, to_float); break;      \
    case MX_E4M3IEEE: MXR_LOOP(T, SD, &k_row_MX_E4M3IEEE, to_float); break;            \
    case MX_E3M4: MXR_LOOP(T, SD, &k_row_MX_E3M4, to_float); break;                    \
    default: memset(codes, 0, n); break;                                               \
    }                                                                                  \
  } while (0)

static void convert_scalar(mx_fmt dst, mx_fmt src, const void *src_values, uint8_t *codes, size_t n,
                           const mx_convert_opts *o, const uint32_t *sr_random) {
  const mx_src_subnormals subn = o->src_subnormals;
  if (src == MX_F64 && o->f64_src == MX_F64_VIA_F32) { /* each value through the one-value path */
    const uint64_t *s = src_values;
    for (size_t i = 0; i < n; i++) codes[i] = (uint8_t)mxref_convert_one(dst, src, s[i], o, sr_random ? sr_random[i] : 0u);
    return;
  }
  switch (src) {
  case MX_F32: MXR_BY_DST(uint32_t, &k_row_MX_F32); break;
  case MX_BF16: MXR_BY_DST(uint16_t, &k_row_MX_BF16); break;
  case MX_F16: MXR_BY_DST(uint16_t, &k_row_MX_F16); break;
  case MX_F64: MXR_BY_DST(uint64_t, &k_row_MX_F64); break;
  default: memset(codes, 0, n); break;
  }
}

void mxref_convert(mx_fmt dst, mx_fmt src, const void *src_values, uint8_t *codes, size_t n,
                   const mx_convert_opts *o, const uint32_t *sr_random) {
  mx_convert_opts def;
  if (!o) {
    mx_convert_opts_default(&def);
    o = &def;
  }
#if MXR_HAVE_AVX2
  if (mxr_use_avx2() && mxr_avx2_convert_takes(dst, src, o)) { /* formats and knobs it was written for */
    /* the kernel takes runs of ordinary values; a group of 32 holding a NaN/Inf, and the
     * tail below 8, go through the scalar loop */
    const size_t w = src == MX_F64 ? 8 : src == MX_F32 ? 4 : 2;
    const unsigned char *in = src_values;
    size_t i = 0;
    while (i < n) {
      i += mxr_avx2_convert(dst, src, in + i * w, codes + i, n - i, o);
      if (i >= n) break;
      size_t m = n - i < 32 ? n - i : 32;
      convert_scalar(dst, src, in + i * w, codes + i, m, o, NULL);
      i += m;
    }
    return;
  }
#endif
  convert_scalar(dst, src, src_values, codes, n, o, sr_random);
}

const char *mxref_version(void) { return "mxref 0.1.0"; }

/* The block layer (quantize.c) converts values it has already unpacked and divided by the
 * block scale (an exact change of exponent), so a block element is exactly the scalar
 * conversion of V_i / X. Same instantiated loops as mxref_convert, minus the unpack. */
#undef MXR_LOOP_MODE
#define MXR_LOOP_MODE(T, SD, DD, KINDFN, MODE)                                         \
  do {                                                                                 \
    for (size_t i_ = 0; i_ < n; i_++)                                                  \
      codes[i_] = (uint8_t)KINDFN(DD, v[i_], o, sr_random ? sr_random[i_] : 0u, MODE); \
  } while (0)

void mxr_convert_values(mx_fmt dst, const mxr_value *v, size_t n, const mx_convert_opts *o,
                        const uint32_t *sr_random, uint8_t *codes) {
  MXR_BY_DST(mxr_value, NULL);
}
