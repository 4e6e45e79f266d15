/* libmxref AVX2 path: f32/bf16/f16/f64 -> element and E8M0 codes, and block quantize on top
 * of it, writing byte or packed (fp4-low/high, fp6-lsb) codes.
 *
 * The same integer algorithm as the scalar path (convert.c to_float/to_int/to_scale,
 * internal.h mxr_round_increment), eight 32-bit lanes at a time:
 *   1. read the source as (sign, sig, t): f32 bits (bf16: << 16; f16: vcvtph2ps, exact for
 *      every f16) split into exponent and significand; an f32 subnormal's significand is
 *      normalised so that every finite nonzero lane has sig in [2^23, 2^24) and
 *      e = floor(log2 |x|) (the leading-bit position comes from converting the integer
 *      significand to float, which is exact below 2^24 — no rounding is involved). f64: the
 *      top 23 fraction bits, and the OR of the other 29 as a sticky bit 0 (front_f64 says why
 *      that rounds exactly like all 52 bits);
 *   2. t = e - ebase - s, with s the block's scale exponent (quantize; 0 for convert) and
 *      ebase the destination's emin (INT8: 0);
 *   3. the destination's quantum: float formats 2^(max(e, emin) - m), INT8 2^-6; shift the
 *      significand right by the difference and round with the remainder against half a unit
 *      (rne / rna / rtz / rup / rdn exactly as mxr_round_increment decides);
 *   4. magnitude = (binade - emin) << m + n, a carry moving into the exponent field by itself;
 *      beyond max_code is the overflow code (taken from the scalar path, see cvt_setup).
 *      E8M0: code = e + 127 plus the increment of the fraction (ties to an even code).
 * Lanes holding NaN or Inf, and stochastic rounding, are left to the scalar path
 * (dispatch.h): the kernels stop at the first group of values containing a special and say
 * how many values they converted. Zeros, subnormals (exact or flushed) and every finite value
 * are handled here, so the scalar fallback is rare on real data. Formats and knob values the
 * kernels were not written for (mxr_avx2_element_known, mxr_avx2_opts_known) are declined:
 * the scalar path does them. The FP8 variants are rows like the others; the FNUZ rows (no
 * -0) also give a negative value rounded to zero the code knob fnuz_zero asks for. The end of
 * the file holds NVFP4's per-value steps (reference/nvfp4.c calls them).
 *
 * Compiled with -mavx2 -mfma -mbmi2 -mf16c (CMakeLists.txt); only called after dispatch.c
 * has checked the CPU. */
#include "dispatch.h"

#if MXR_HAVE_AVX2 && defined(__AVX2__) && defined(__F16C__)
#include <immintrin.h>
#include <pthread.h>
#include <string.h>

#include "avx2.h"
#include "avx2_pack.h"
#include "internal.h"
#include "mxconform/block.h"
#include "mxconform/nvfp4.h"

/* Compile-time copies of the format rows: every kernel is instantiated per destination
 * format, so widths, exponents and limits are immediates, not loads (perf showed the
 * general kernel spilling them). */
#define MX_FORMAT(id, name, lname, kind, bits, sgn, eb, mb, bias, emax, emin, spec, ints, maxc, elem, src) \
  static const mx_format_desc v_row_##id = {id, name, lname, kind, bits, sgn, eb, mb, bias, emax, emin, spec, ints, maxc, elem, src};
#include "mxconform/formats.def"
#undef MX_FORMAT

/* Per-call values that depend on the knobs, not on the format. */
typedef struct cvt_consts {
  __m256i ovf_pos, ovf_neg; /* float overflow codes (scalar float_overflow); E8M0: ovf_pos */
  int ovf_is_max;           /* they are +-max_code: overflow is a min() on the magnitude */
  __m256i zero_neg;         /* float: the code of a -0 input (scalar float_zero: sign bit, or
                               under fnuz_zero the FNUZ formats' +0 or NaN 0x80) */
  __m256i under_neg;        /* float: the code of a negative value that rounds to zero */
  __m256i twos;             /* INT8: 1 when -128 is allowed (int8_range = twos) */
  int flush;                /* src_subnormals = flush */
  __m256i e8m0_zero;        /* E8M0: the code of a zero (e8m0_zero) */
  __m256i e8m0_neg;         /* E8M0: the code of a negative value, unless e8m0_neg = abs */
  int e8m0_neg_abs;
  /* core_element's per-format constants, read from here rather than set1 in the kernel:
   * there gcc ran out of vector registers and rebuilt each one for every 8 values (mov, vmovd,
   * vpbroadcastd: three instructions, two on the shuffle port), about a fifth of the kernel;
   * from memory each is one load, or none when it is an instruction's memory operand */
  __m256i shift0;           /* the shift at the destination's emin (INT8: at e = 0) */
  __m256i max_code;         /* the largest finite magnitude code */
  __m256i k31, k33;         /* rup/rdn's cap on the shift, and 33 (rne: half - 1 = -1 >> (33 - shift)) */
  __m256 int8_lo;           /* INT8 by multiply (quantize_int8_by_multiply): -128 or -127 */
} cvt_consts;

static void cvt_setup(cvt_consts *c, mx_fmt dst, const mx_convert_opts *o) {
  const mx_format_desc *d = mx_format(dst);
  /* The overflow code depends only on sign, mode and knobs: ask the scalar path with the
   * largest f32, which overflows every element format (and E8M0 in every mode that can
   * overflow; in the others it gives max_code, which is then the overflow code), so both
   * paths agree by construction. */
  uint32_t pos = mxref_convert_one(dst, MX_F32, 0x7F7FFFFFu, o, 0);
  uint32_t neg = mxref_convert_one(dst, MX_F32, 0xFF7FFFFFu, o, 0);
  c->ovf_pos = _mm256_set1_epi32((int)pos);
  c->ovf_neg = _mm256_set1_epi32((int)neg);
  c->ovf_is_max = pos == d->max_code && neg == ((1u << (d->bits - 1)) | (uint32_t)d->max_code);
  /* The two zero results the same way: -0, and -2^-100 under rtz (below every float
   * format's smallest subnormal, so it rounds to zero); other knobs as given. */
  mx_convert_opts z = *o;
  z.round = MX_RTZ;
  c->zero_neg = _mm256_set1_epi32((int)mxref_convert_one(dst, MX_F32, 0x80000000u, o, 0));
  c->under_neg = _mm256_set1_epi32((int)mxref_convert_one(dst, MX_F32, 0x8D800000u, &z, 0));
  c->twos = _mm256_set1_epi32(o->int8_range == MX_INT8_TWOS);
  c->flush = o->src_subnormals == MX_SUBN_FLUSH;
  c->e8m0_zero = _mm256_set1_epi32(o->e8m0_zero == MX_E8M0_ZERO_MIN ? 0x00 : 0xFF);
  c->e8m0_neg = _mm256_set1_epi32(o->e8m0_neg == MX_E8M0_NEG_MIN ? 0x00 : 0xFF);
  c->e8m0_neg_abs = o->e8m0_neg == MX_E8M0_NEG_ABS;
  c->shift0 = _mm256_set1_epi32(d->kind == MX_KIND_INT ? 23 + d->int_scale_log2 : 23 - d->mbits);
  c->max_code = _mm256_set1_epi32((int)d->max_code);
  c->k31 = _mm256_set1_epi32(31);
  c->k33 = _mm256_set1_epi32(33);
  c->int8_lo = _mm256_set1_ps(o->int8_range == MX_INT8_TWOS ? -128.0f : -127.0f);
}

/* Does every f32 subnormal, divided by 2^s, lie more than 25 bits below the destination's
 * unit (shift >= 25 in cvt8, so even 2^24 is below half a unit)? Then it rounds the same
 * whether or not its significand is normalised. For convert (s = 0) this holds for every
 * element format but E8M0; in quantize it fails only for blocks whose amax is below about
 * 2^-108. */
MXR_SPECIALISED int subnormal_shortcut_ok(const mx_format_desc *d, int s) {
  const int is_int = d->kind == MX_KIND_INT;
  const int shift0 = is_int ? 23 + d->int_scale_log2 : 23 - d->mbits;
  /* an f32 subnormal has e <= -127 - s; the smallest shift is at e = -127 - s */
  return shift0 + (is_int ? 0 : d->emin) + 127 + s >= 25;
}

/* Eight source values as read: f32 bits and the lanes to treat as zero (f16 subnormals
 * under flush), or for f64 the high and low 32 bits of each value. */
typedef struct raw8 {
  __m256i a, b;
} raw8;

/* Eight values ready to round: sig in [2^23, 2^24) for finite nonzero lanes, t = e - ebase - s. */
typedef struct lanes {
  __m256i sig, t, negative, is_zero;
} lanes;

MXR_SPECIALISED int ebase_of(const mx_format_desc *d) {
  return d->kind == MX_KIND_INT ? 0 : d->emin; /* E8M0: emin = -127, so t = e + 127 = its code */
}

/* f32 bits -> lanes. subnormals = 0 skips normalising f32 subnormals: allowed when
 * subnormal_shortcut_ok() holds for s, because then such a lane, read as 1.mant x 2^-127, is
 * still nonzero and below half a unit of the destination, and rounds like its true value. */
MXR_SPECIALISED lanes front_f32(const cvt_consts *c, const mx_format_desc *d, raw8 r,
                                __m256i s, int subnormals) {
  const __m256i zero = _mm256_setzero_si256();
  const int ebase = ebase_of(d);
  lanes v;
  __m256i a = _mm256_and_si256(r.a, _mm256_set1_epi32(0x7FFFFFFF));
  v.negative = _mm256_srai_epi32(r.a, 31); /* all ones in negative lanes */
  __m256i ef = _mm256_srli_epi32(a, 23);
  __m256i mant = _mm256_and_si256(a, _mm256_set1_epi32(0x7FFFFF));
  __m256i is_sub = _mm256_cmpeq_epi32(ef, zero);
  v.is_zero = _mm256_or_si256(_mm256_cmpeq_epi32(a, zero), r.b);
  if (c->flush) v.is_zero = _mm256_or_si256(v.is_zero, is_sub);
  v.sig = _mm256_or_si256(mant, _mm256_set1_epi32(0x800000));
  /* t: the exponent field minus one per-block constant (hoisted out of the loops) */
  v.t = _mm256_sub_epi32(ef, _mm256_add_epi32(s, _mm256_set1_epi32(127 + ebase)));
  if (subnormals && _mm256_movemask_epi8(_mm256_andnot_si256(v.is_zero, is_sub))) {
    /* f32 subnormals (rare): lead = floor(log2 mant), read from the exact float conversion
     * of mant (e = lead - 149); the significand is shifted up to [2^23, 2^24) */
    __m256i lead = _mm256_sub_epi32(_mm256_srli_epi32(_mm256_castps_si256(_mm256_cvtepi32_ps(mant)), 23),
                                    _mm256_set1_epi32(127));
    v.sig = _mm256_blendv_epi8(v.sig, _mm256_sllv_epi32(mant, _mm256_sub_epi32(_mm256_set1_epi32(23), lead)), is_sub);
    v.t = _mm256_blendv_epi8(v.t, _mm256_sub_epi32(lead, _mm256_add_epi32(s, _mm256_set1_epi32(149 + ebase))), is_sub);
  }
  return v;
}

/* f64 (high, low words) -> lanes. sig = 1, the top 23 fraction bits, and the OR of the 29
 * below them in bit 0 (sticky). Every destination's unit lies at least 10 bits above bit 0
 * of sig (shift >= 10 below), and for shift >= 2 rounding sees the same truncated value,
 * the same "remainder vs half a unit" (half's bit 0 is clear, so a sticky 1 only breaks a
 * tie upward or stays below half, as the 29 bits did) and the same "remainder != 0".
 * t stays exact in 32 bits for every f64 exponent, so huge values overflow and tiny ones
 * (f64 subnormals included: at most 2^-1022 / 2^-127) fall below half a unit, as in the
 * scalar path. */
MXR_SPECIALISED lanes front_f64(const cvt_consts *c, const mx_format_desc *d, raw8 r,
                                __m256i s) {
  const __m256i zero = _mm256_setzero_si256();
  lanes v;
  __m256i hi = r.a, lo = r.b;
  v.negative = _mm256_srai_epi32(hi, 31);
  __m256i ef = _mm256_and_si256(_mm256_srli_epi32(hi, 20), _mm256_set1_epi32(0x7FF));
  __m256i mhi = _mm256_and_si256(hi, _mm256_set1_epi32(0xFFFFF));
  __m256i sticky = _mm256_andnot_si256(_mm256_cmpeq_epi32(_mm256_and_si256(lo, _mm256_set1_epi32(0x1FFFFFFF)), zero),
                                       _mm256_set1_epi32(1));
  v.sig = _mm256_or_si256(_mm256_or_si256(_mm256_set1_epi32(0x800000), _mm256_slli_epi32(mhi, 3)),
                          _mm256_or_si256(_mm256_srli_epi32(lo, 29), sticky));
  __m256i is_sub = _mm256_cmpeq_epi32(ef, zero);
  v.is_zero = _mm256_and_si256(is_sub, _mm256_cmpeq_epi32(_mm256_or_si256(mhi, lo), zero));
  if (c->flush) v.is_zero = is_sub;
  v.t = _mm256_sub_epi32(ef, _mm256_add_epi32(s, _mm256_set1_epi32(1023 + ebase_of(d))));
  return v;
}

/* Lanes -> eight float or INT8 codes in the low byte of each lane. d (a compile-time row)
 * and mode are constants in every instantiation. */
MXR_SPECIALISED __m256i core_element(const cvt_consts *c, const mx_format_desc *d, lanes v,
                                     mx_round mode) {
  const int is_int = d->kind == MX_KIND_INT;
  const __m256i shift0 = c->shift0, max_code = c->max_code; /* cvt_setup: from d's row */
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i zero = _mm256_setzero_si256();
  const __m256i sig = v.sig, t = v.t, negative = v.negative, is_zero = v.is_zero;
  /* shift: how many low bits of sig lie below the destination's quantum (>= 10 for every
   * in-range lane): float 23 - m + max(emin - e, 0), INT8 17 - e. rup/rdn cap it at 31,
   * where sig < 2^24 is below half a unit and unit - 1 still fits in 32 bits. rne, rna and
   * rtz need no cap: every shift >= 31 gives n = 0 there (vpsrlvd of a count above 31 is
   * 0; rne's half - 1 is -1 >> (33 - shift), which is 2^31 - 1, -1 or 0 for shift 32, 33,
   * >= 34, and sig + that + lsb, shifted by >= 32, is 0), as the capped shift did. */
  __m256i above = is_int ? zero : _mm256_max_epi32(t, zero); /* float: binade - emin */
  __m256i shift = _mm256_sub_epi32(shift0, t);
  if (!is_int) shift = _mm256_max_epi32(shift, shift0);
  if (mode == MX_RUP || mode == MX_RDN) shift = _mm256_min_epi32(shift, c->k31);
  const __m256i e = t; /* INT8 (ebase 0): t is e */
  /* Rounding as one add before the shift (sig + bias < 2^32): the increment that
   * mxr_round_increment decides is exactly the carry the bias produces out of the low bits.
   *   rne: bias = half - 1 + (lsb of the truncated result)   rna: bias = half
   *   rup: bias = unit - 1 for positive values               rdn: the same for negative ones */
  __m256i n;
  switch (mode) {
  case MX_RNE: {
    __m256i lsb = _mm256_and_si256(_mm256_srlv_epi32(sig, shift), one);
    __m256i half_m1 = _mm256_srlv_epi32(_mm256_set1_epi32(-1), _mm256_sub_epi32(c->k33, shift));
    n = _mm256_srlv_epi32(_mm256_add_epi32(sig, _mm256_add_epi32(half_m1, lsb)), shift);
    break;
  }
  case MX_RNA: n = _mm256_srlv_epi32(_mm256_add_epi32(sig, _mm256_sllv_epi32(one, _mm256_sub_epi32(shift, one))), shift); break;
  case MX_RUP:
  case MX_RDN: {
    __m256i unit_m1 = _mm256_sub_epi32(_mm256_sllv_epi32(one, shift), one);
    __m256i bias = mode == MX_RUP ? _mm256_andnot_si256(negative, unit_m1) : _mm256_and_si256(negative, unit_m1);
    n = _mm256_srlv_epi32(_mm256_add_epi32(sig, bias), shift);
    break;
  }
  default: n = _mm256_srlv_epi32(sig, shift); break; /* rtz */
  }

  __m256i res;
  if (is_int) {
    /* |x| >= 256 (e > 7) is beyond any rounding; every overflow saturates (no Inf/NaN) */
    __m256i limit = _mm256_add_epi32(_mm256_set1_epi32(127), _mm256_and_si256(negative, c->twos));
    __m256i big = _mm256_cmpgt_epi32(e, _mm256_set1_epi32(7));
    n = _mm256_blendv_epi8(_mm256_min_epi32(n, limit), limit, big);
    __m256i negv = _mm256_and_si256(_mm256_sub_epi32(zero, n), _mm256_set1_epi32(0xFF));
    res = _mm256_blendv_epi8(n, negv, negative);
    res = _mm256_andnot_si256(is_zero, res); /* INT8 has one zero */
  } else {
    __m256i mag = _mm256_add_epi32(_mm256_slli_epi32(above, d->mbits), n);
    /* A zero's code is its sign bit (convert.c float_zero) in every format but the FNUZ
     * ones: there a zero lane's magnitude is set to 0 before the overflow test, instead of
     * blending the zero code in at the end (one andnot for an and and a vpblendvb). */
    const int zero_is_sign = d->specials != MX_SPECIALS_NAN_NEGZERO;
    if (zero_is_sign) mag = _mm256_andnot_si256(is_zero, mag);
    __m256i sbit = _mm256_and_si256(negative, _mm256_set1_epi32(1 << (d->bits - 1)));
    if (c->ovf_is_max) { /* saturating (or a mode that rounds this sign toward zero) */
      res = _mm256_or_si256(sbit, _mm256_min_epi32(mag, max_code));
    } else {
      __m256i ovf = _mm256_cmpgt_epi32(mag, max_code);
      res = _mm256_or_si256(sbit, mag);
      res = _mm256_blendv_epi8(res, _mm256_blendv_epi8(c->ovf_pos, c->ovf_neg, negative), ovf);
    }
    if (d->specials == MX_SPECIALS_NAN_NEGZERO) /* no -0: a negative value rounded to zero */
      res = _mm256_blendv_epi8(res, _mm256_and_si256(negative, c->under_neg), _mm256_cmpeq_epi32(mag, zero));
    if (!zero_is_sign) res = _mm256_blendv_epi8(res, _mm256_and_si256(negative, c->zero_neg), is_zero); /* signed zero */
  }
  return res;
}

/* Lanes -> eight E8M0 codes (convert.c to_scale): the magnitude is rounded as a positive
 * number (rup rounds up, rdn down, whatever the sign); t is the unrounded code e + 127. */
MXR_SPECIALISED __m256i core_e8m0(const cvt_consts *c, lanes v, mx_round mode) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i half = _mm256_set1_epi32(0x400000);
  __m256i frac = _mm256_and_si256(v.sig, _mm256_set1_epi32(0x7FFFFF));
  __m256i up; /* all ones where the code goes up by one */
  switch (mode) {
  case MX_RNE: {
    __m256i odd = _mm256_cmpeq_epi32(_mm256_and_si256(v.t, _mm256_set1_epi32(1)), _mm256_set1_epi32(1));
    up = _mm256_or_si256(_mm256_cmpgt_epi32(frac, half), _mm256_and_si256(_mm256_cmpeq_epi32(frac, half), odd));
    break;
  }
  case MX_RNA: up = _mm256_cmpgt_epi32(frac, _mm256_set1_epi32(0x3FFFFF)); break;
  case MX_RUP: up = _mm256_xor_si256(_mm256_cmpeq_epi32(frac, zero), _mm256_set1_epi32(-1)); break;
  default: up = zero; break; /* rtz, and rdn of a magnitude */
  }
  __m256i code = _mm256_sub_epi32(v.t, up);
  /* below 2^-127 the smallest scale (convert.c: code < 0 -> 0x00), beyond 2^127 overflow */
  __m256i res = _mm256_max_epi32(code, zero);
  res = _mm256_blendv_epi8(res, c->ovf_pos, _mm256_cmpgt_epi32(code, _mm256_set1_epi32(254)));
  if (!c->e8m0_neg_abs) res = _mm256_blendv_epi8(res, c->e8m0_neg, v.negative);
  return _mm256_blendv_epi8(res, c->e8m0_zero, v.is_zero);
}

MXR_SPECIALISED __m256i core(const cvt_consts *c, const mx_format_desc *d, lanes v,
                             mx_round mode) {
  return d->kind == MX_KIND_SCALE ? core_e8m0(c, v, mode) : core_element(c, d, v, mode);
}

/* Load eight source values. */
MXR_SPECIALISED raw8 load8(mx_fmt src, const void *p, int flush) {
  raw8 r;
  r.b = _mm256_setzero_si256();
  switch (src) {
  case MX_BF16: r.a = _mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p)), 16); break;
  case MX_F16: {
    __m128i h = _mm_loadu_si128((const __m128i *)p);
    if (flush) {
      __m256i ex = _mm256_and_si256(_mm256_cvtepu16_epi32(h), _mm256_set1_epi32(0x7C00));
      r.b = _mm256_cmpeq_epi32(ex, _mm256_setzero_si256());
    }
    r.a = _mm256_castps_si256(_mm256_cvtph_ps(h));
    break;
  }
  case MX_F64: {
    /* the high and the low words of eight doubles, in order */
    __m256 d0 = _mm256_loadu_ps((const float *)p), d1 = _mm256_loadu_ps((const float *)p + 8);
    r.a = _mm256_permute4x64_epi64(_mm256_castps_si256(_mm256_shuffle_ps(d0, d1, 0xDD)), 0xD8);
    r.b = _mm256_permute4x64_epi64(_mm256_castps_si256(_mm256_shuffle_ps(d0, d1, 0x88)), 0xD8);
    break;
  }
  default: r.a = _mm256_loadu_si256((const __m256i *)p); break;
  }
  return r;
}

/* |x| as integers orders like the magnitudes (f64: by the high words), so one compare of a
 * max finds any NaN/Inf lane. */
static inline __m256i abs_high(raw8 r) { return _mm256_and_si256(r.a, _mm256_set1_epi32(0x7FFFFFFF)); }

static inline int any_special(mx_fmt src, __m256i abs_max) {
  const int top = src == MX_F64 ? 0x7FEFFFFF : 0x7F7FFFFF;
  return _mm256_movemask_epi8(_mm256_cmpgt_epi32(abs_max, _mm256_set1_epi32(top))) != 0;
}

MXR_SPECIALISED __m256i cvt8(const cvt_consts *c, const mx_format_desc *d, mx_fmt src,
                             raw8 r, __m256i s, mx_round mode, int subnormals) {
  return core(c, d, src == MX_F64 ? front_f64(c, d, r, s) : front_f32(c, d, r, s, subnormals), mode);
}

static inline size_t src_width(mx_fmt src) { return src == MX_F64 ? 8 : src == MX_F32 ? 4 : 2; }

/* One vector of eight codes -> 8 bytes. */
MXR_SPECIALISED void store8(uint8_t *out, __m256i r) {
  __m256i p = _mm256_packus_epi16(_mm256_packs_epi32(r, r), r);
  uint32_t lo = (uint32_t)_mm_cvtsi128_si32(_mm256_castsi256_si128(p));
  uint32_t hi = (uint32_t)_mm_cvtsi128_si32(_mm256_extracti128_si256(p, 1));
  memcpy(out, &lo, 4);
  memcpy(out + 4, &hi, 4);
}

static inline int source_known(mx_fmt src) { return src == MX_F32 || src == MX_BF16 || src == MX_F16 || src == MX_F64; }

/* The destinations the conversion kernel is instantiated for, once: every element format
 * and E8M0 (the kernel reads each one's numbers from its formats.def row; a new row goes to
 * the scalar path until it is added here and proved, spec_notes/proof.md). */
#define MXR_AVX2_DSTS(X) \
  X(MX_E4M3) X(MX_E5M2) X(MX_E2M3) X(MX_E3M2) X(MX_E2M1) X(MX_INT8) X(MX_E8M0) \
  X(MX_E4M3FNUZ) X(MX_E5M2FNUZ) X(MX_E4M3B11FNUZ) X(MX_E4M3IEEE) X(MX_E3M4)

int mxr_avx2_element_known(mx_fmt f) {
  switch (f) {
#define MXR_KNOWN(ID) case ID:
    MXR_AVX2_DSTS(MXR_KNOWN) return 1;
#undef MXR_KNOWN
  default: return 0;
  }
}

/* Does the kernel compute exactly what the scalar path computes under these knobs? Every
 * field the kernel knows is checked against the values it handles and then set to its
 * default; whatever is left must equal the defaults byte for byte. So a knob added to
 * mx_convert_opts later, set to anything but its default, makes the kernel decline until
 * someone adds it here (and proves it). Why each known field is safe:
 *   round            rne rna rtz rup rdn in the kernel; sr declines (and sr_bits is read
 *                    only by sr);
 *   overflow         sat, ovf: the overflow codes come from the scalar path (cvt_setup);
 *   int8_range, src_subnormals, e8m0_zero, e8m0_neg, fnuz_zero: computed by the kernel
 *                    (the zero codes from the scalar path too);
 *   nan_sign, e5m2_nan, inf_sat, nan_finite, inf_finite: act on NaN and Inf inputs only,
 *                    which the kernel never converts (it stops before them), and on the
 *                    overflow NaN, which is the scalar path's own code. */
int mxr_avx2_opts_known(const mx_convert_opts *o) {
  mx_convert_opts rest, def;
  memset(&def, 0, sizeof def);
  mx_convert_opts_default(&def);
  memcpy(&rest, o, sizeof rest);
#define MXR_TAKE(field, ok) \
  do {                      \
    if (!(ok)) return 0;    \
    rest.field = def.field; \
  } while (0)
  MXR_TAKE(round, (unsigned)o->round <= MX_RDN);
  MXR_TAKE(sr_bits, 1);
  MXR_TAKE(overflow, o->overflow == MX_SAT || o->overflow == MX_OVF);
  MXR_TAKE(nan_sign, (unsigned)o->nan_sign <= MX_NAN_SIGN_NAN_INPUT_POSITIVE);
  MXR_TAKE(e5m2_nan, (unsigned)o->e5m2_nan <= MX_E5M2_NAN_PROPAGATE);
  MXR_TAKE(inf_sat, (unsigned)o->inf_sat <= MX_INF_SAT_SPECIAL);
  MXR_TAKE(nan_finite, (unsigned)o->nan_finite <= MX_NANF_INVERTED_ZERO);
  MXR_TAKE(inf_finite, (unsigned)o->inf_finite <= MX_INFF_SIGNED_ZERO);
  MXR_TAKE(int8_range, (unsigned)o->int8_range <= MX_INT8_SYMMETRIC);
  MXR_TAKE(src_subnormals, (unsigned)o->src_subnormals <= MX_SUBN_FLUSH);
  MXR_TAKE(e8m0_zero, (unsigned)o->e8m0_zero <= MX_E8M0_ZERO_NAN);
  MXR_TAKE(e8m0_neg, (unsigned)o->e8m0_neg <= MX_E8M0_NEG_MIN);
  MXR_TAKE(fnuz_zero, (unsigned)o->fnuz_zero <= MX_FNUZ_ZERO_UNDERFLOW_NAN);
#undef MXR_TAKE
  return memcmp(&rest, &def, sizeof rest) == 0;
}

int mxr_avx2_convert_takes(mx_fmt dst, mx_fmt src, const mx_convert_opts *o) {
  return source_known(src) && mxr_avx2_element_known(dst) && mxr_avx2_opts_known(o);
}

int mxr_avx2_block_known(mx_block_fmt f) {
  switch (f) {
  case MX_MXFP8_E4M3:
  case MX_MXFP8_E5M2:
  case MX_MXFP6_E2M3:
  case MX_MXFP6_E3M2:
  case MX_MXFP4_E2M1:
  case MX_MXINT8: return 1;
  default: return 0;
  }
}

/* ---- array conversion ------------------------------------------------------------------ */

MXR_SPECIALISED size_t convert_mode(const cvt_consts *c, mx_fmt src, const void *values,
                                    uint8_t *codes, size_t n, mx_round mode,
                                    const mx_format_desc *d) {
  const unsigned char *in = values;
  const size_t w = src_width(src);
  const __m256i s = _mm256_setzero_si256();
  const int sub = !subnormal_shortcut_ok(d, 0); /* 0 for every element format, 1 for E8M0 */
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    raw8 x0 = load8(src, in + i * w, c->flush), x1 = load8(src, in + (i + 8) * w, c->flush);
    raw8 x2 = load8(src, in + (i + 16) * w, c->flush), x3 = load8(src, in + (i + 24) * w, c->flush);
    __m256i am = _mm256_max_epi32(_mm256_max_epi32(abs_high(x0), abs_high(x1)), _mm256_max_epi32(abs_high(x2), abs_high(x3)));
    if (any_special(src, am)) return i;
    _mm256_storeu_si256((__m256i *)(codes + i),
                        mxr_bytes32(cvt8(c, d, src, x0, s, mode, sub), cvt8(c, d, src, x1, s, mode, sub),
                                    cvt8(c, d, src, x2, s, mode, sub), cvt8(c, d, src, x3, s, mode, sub)));
  }
  for (; i + 8 <= n; i += 8) {
    raw8 x = load8(src, in + i * w, c->flush);
    if (any_special(src, abs_high(x))) return i;
    store8(codes + i, cvt8(c, d, src, x, s, mode, sub));
  }
  return i;
}

/* The source as a constant in each instantiation (see quantize_src). */
MXR_SPECIALISED size_t convert_src(const cvt_consts *c, mx_fmt src, const void *values,
                                   uint8_t *codes, size_t n, mx_round mode,
                                   const mx_format_desc *d) {
  switch (src) {
  case MX_F32: return convert_mode(c, MX_F32, values, codes, n, mode, d);
  case MX_BF16: return convert_mode(c, MX_BF16, values, codes, n, mode, d);
  case MX_F16: return convert_mode(c, MX_F16, values, codes, n, mode, d);
  default: return convert_mode(c, MX_F64, values, codes, n, mode, d);
  }
}

size_t mxr_avx2_convert(mx_fmt dst, mx_fmt src, const void *values, uint8_t *codes, size_t n,
                        const mx_convert_opts *o) {
  if (n < 8 || !mxr_avx2_convert_takes(dst, src, o)) return 0;
  cvt_consts c;
  cvt_setup(&c, dst, o);
#define CONVERT_FMT(M, ID) case ID: return convert_src(&c, src, values, codes, n, M, &v_row_##ID);
#define CONVERT_MODE(M)                 \
  switch (dst) {                        \
    MXR_AVX2_DSTS(CONVERT_FMT_##M)      \
  default: return 0;                    \
  }
#define CONVERT_FMT_MX_RNE(ID) CONVERT_FMT(MX_RNE, ID)
#define CONVERT_FMT_MX_RNA(ID) CONVERT_FMT(MX_RNA, ID)
#define CONVERT_FMT_MX_RTZ(ID) CONVERT_FMT(MX_RTZ, ID)
#define CONVERT_FMT_MX_RUP(ID) CONVERT_FMT(MX_RUP, ID)
#define CONVERT_FMT_MX_RDN(ID) CONVERT_FMT(MX_RDN, ID)
  switch (o->round) {
  case MX_RNE: CONVERT_MODE(MX_RNE);
  case MX_RNA: CONVERT_MODE(MX_RNA);
  case MX_RTZ: CONVERT_MODE(MX_RTZ);
  case MX_RUP: CONVERT_MODE(MX_RUP);
  case MX_RDN: CONVERT_MODE(MX_RDN);
  default: return 0; /* sr: scalar */
  }
#undef CONVERT_FMT
#undef CONVERT_MODE
#undef CONVERT_FMT_MX_RNE
#undef CONVERT_FMT_MX_RNA
#undef CONVERT_FMT_MX_RTZ
#undef CONVERT_FMT_MX_RUP
#undef CONVERT_FMT_MX_RDN
}

/* ---- block quantize --------------------------------------------------------------------- */

/* One block's elements divided by 2^s, written in layout l (k a multiple of 8). */
MXR_SPECIALISED void quantize_elements(const cvt_consts *c, const mx_format_desc *d,
                                       mx_fmt src, const unsigned char *bp, size_t k,
                                       __m256i s, uint8_t *out, mx_pack_layout l,
                                       mx_round mode, int sub) {
  const size_t w = src_width(src), g32 = mxr_group_bytes(l), g8 = mxr_group8_bytes(l);
  size_t i = 0;
  for (; i + 32 <= k; i += 32) {
    raw8 x0 = load8(src, bp + i * w, c->flush), x1 = load8(src, bp + (i + 8) * w, c->flush);
    raw8 x2 = load8(src, bp + (i + 16) * w, c->flush), x3 = load8(src, bp + (i + 24) * w, c->flush);
    mxr_store_packed32(l, out + i / 32 * g32,
                       mxr_bytes32(cvt8(c, d, src, x0, s, mode, sub), cvt8(c, d, src, x1, s, mode, sub),
                                   cvt8(c, d, src, x2, s, mode, sub), cvt8(c, d, src, x3, s, mode, sub)));
  }
  for (; i < k; i += 8) {
    __m256i r = cvt8(c, d, src, load8(src, bp + i * w, c->flush), s, mode, sub);
    if (l == MX_PACK_BYTE) store8(out + i, r);
    else mxr_store_packed8(l, out + i / 32 * g32 + (i % 32) / 8 * g8, r);
  }
}

/* The block's amax as the f32 bits of |max| in every lane (f32, bf16, f16: widening is
 * exact and monotonic, and flushed f16 subnormals are zeroed before the max). */
MXR_SPECIALISED __m256i amax_f32(const cvt_consts *c, mx_fmt src, const unsigned char *bp,
                                 size_t k) {
  const size_t w = src_width(src);
  __m256i mx = _mm256_setzero_si256();
  for (size_t i = 0; i < k; i += 8) {
    raw8 x = load8(src, bp + i * w, c->flush);
    mx = _mm256_max_epi32(mx, _mm256_andnot_si256(x.b, abs_high(x)));
  }
  mx = _mm256_max_epi32(mx, _mm256_permute2x128_si256(mx, mx, 0x01));
  mx = _mm256_max_epi32(mx, _mm256_shuffle_epi32(mx, 0x4E));
  return _mm256_max_epi32(mx, _mm256_shuffle_epi32(mx, 0xB1));
}

/* The bits of an f64 block's largest |value| (NaN/Inf included: they compare above every
 * finite magnitude). */
static inline uint64_t amax_f64(const unsigned char *bp, size_t k) {
  const __m256i absmask = _mm256_set1_epi64x(0x7FFFFFFFFFFFFFFFll);
  __m256i mx = _mm256_setzero_si256();
  for (size_t i = 0; i < k; i += 4) {
    __m256i a = _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(bp + i * 8)), absmask);
    mx = _mm256_blendv_epi8(mx, a, _mm256_cmpgt_epi64(a, mx));
  }
  uint64_t v[4], m = 0;
  _mm256_storeu_si256((__m256i *)v, mx);
  for (int j = 0; j < 4; j++) m = v[j] > m ? v[j] : m;
  return m;
}

/* The amax of eight consecutive blocks of 32 f32/bf16/f16 values, lane j holding block j's
 * (as amax_f32's lanes do): each block's four vectors are maxed to one, and the eight are
 * reduced together, transpose-style (21 instructions instead of 8 x 6 for per-block
 * reductions, and one chain instead of eight). */
MXR_SPECIALISED __m256i amax8_f32(const cvt_consts *c, mx_fmt src, const unsigned char *bp) {
  const size_t w = src_width(src);
  __m256i m[8];
  for (int j = 0; j < 8; j++) {
    __m256i mx = _mm256_setzero_si256();
    for (size_t i = 0; i < 32; i += 8) {
      raw8 x = load8(src, bp + (j * 32 + i) * w, c->flush);
      mx = _mm256_max_epi32(mx, _mm256_andnot_si256(x.b, abs_high(x)));
    }
    m[j] = mx;
  }
  /* per 128-bit half: pairs of blocks interleaved and maxed (lanes 0/2 and 1/3), then
   * quads (lanes 0/1 and 2/3 of each pair), then the halves of blocks 0-3 and 4-7 */
  __m256i p[4], q[2];
  for (int j = 0; j < 4; j++)
    p[j] = _mm256_max_epi32(_mm256_unpacklo_epi32(m[2 * j], m[2 * j + 1]), _mm256_unpackhi_epi32(m[2 * j], m[2 * j + 1]));
  for (int j = 0; j < 2; j++)
    q[j] = _mm256_max_epi32(_mm256_unpacklo_epi64(p[2 * j], p[2 * j + 1]), _mm256_unpackhi_epi64(p[2 * j], p[2 * j + 1]));
  return _mm256_max_epi32(_mm256_permute2x128_si256(q[0], q[1], 0x20), _mm256_permute2x128_si256(q[0], q[1], 0x31));
}

/* INT8 under rne or rtz by float arithmetic, 4 vector operations per 8 values instead of
 * the integer rounding's ~20: the code is x * 2^(-sx - int_scale_log2) rounded and clamped.
 * Exact because that multiplier p = 2^q with q <= 125 (the caller checks): a product of
 * magnitude >= 2^-126 is exact (a power-of-two multiply cannot overflow, |x| <= amax makes
 * |x * p| < 2^8), and a smaller one, like any f32 subnormal times p (< 2^-1), rounds to
 * code 0 in both modes whatever the multiply and MXCSR (FTZ, DAZ, its rounding field) did
 * to it; the rounding itself names its mode (vroundps), the conversion truncates (exact
 * on an integer). NaN and Inf never reach here (quantize_one / quantize_group8). */
MXR_SPECIALISED __m256i int8_by_multiply8(const cvt_consts *c, __m256i x, __m256 p, mx_round mode) {
  __m256 y = _mm256_mul_ps(_mm256_castsi256_ps(x), p);
  y = mode == MX_RNE ? _mm256_round_ps(y, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
                     : _mm256_round_ps(y, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  y = _mm256_min_ps(_mm256_max_ps(y, c->int8_lo), _mm256_set1_ps(127.0f));
  return _mm256_and_si256(_mm256_cvttps_epi32(y), _mm256_set1_epi32(0xFF)); /* two's complement byte */
}

MXR_SPECIALISED void quantize_int8_by_multiply(const cvt_consts *c, const mx_format_desc *d, mx_fmt src,
                                               const unsigned char *bp, size_t k, int sx, uint8_t *out,
                                               mx_round mode) {
  const size_t w = src_width(src);
  const __m256 p = _mm256_castsi256_ps(_mm256_set1_epi32((127 - sx - d->int_scale_log2) << 23));
  size_t i = 0;
  for (; i + 32 <= k; i += 32) {
    __m256i r[4];
    for (int j = 0; j < 4; j++) r[j] = int8_by_multiply8(c, load8(src, bp + (i + 8 * j) * w, 0).a, p, mode);
    _mm256_storeu_si256((__m256i *)(out + i), mxr_bytes32(r[0], r[1], r[2], r[3]));
  }
  for (; i < k; i += 8) store8(out + i, int8_by_multiply8(c, load8(src, bp + i * w, 0).a, p, mode));
}

/* One block's codes, once its scale exponent sx is known. */
MXR_SPECIALISED void quantize_block(const cvt_consts *c, const mx_format_desc *d,
                                    mx_fmt src, const unsigned char *bp, size_t k, int sx,
                                    uint8_t *out, mx_pack_layout l, mx_round mode) {
  /* INT8's layout is always bytes; src_subnormals = flush (rare) keeps the integer path */
  if (d->kind == MX_KIND_INT && src != MX_F64 && (mode == MX_RNE || mode == MX_RTZ) && !c->flush &&
      -sx - d->int_scale_log2 <= 125) {
    quantize_int8_by_multiply(c, d, src, bp, k, sx, out, mode);
    return;
  }
  const __m256i s = _mm256_set1_epi32(sx);
  /* f64 subnormals never need normalising (front_f64); f32 ones only for tiny scales */
  if (src == MX_F64 || subnormal_shortcut_ok(d, sx))
    quantize_elements(c, d, src, bp, k, s, out, l, mode, 0);
  else
    quantize_elements(c, d, src, bp, k, s, out, l, mode, 1);
}

/* One block, scale and codes; 0 when it needs the scalar path (a NaN/Inf input, or a NaN
 * scale). The scale byte comes from mxref_block_scale on the block's |max| (f32 for the
 * 16-bit sources: the widened amax is the same value), except OCP's floor rule on a normal
 * f32 amax, which is read off the exponent field. */
MXR_SPECIALISED int quantize_one(const cvt_consts *c, mx_block_fmt f, mx_fmt src,
                                 const unsigned char *bp, size_t k,
                                 const mx_block_opts *o, uint8_t *scale, uint8_t *out,
                                 mx_pack_layout l, mx_round mode,
                                 const mx_format_desc *d) {
  int sx;
  if (src == MX_F64) {
    uint64_t amax = amax_f64(bp, k);
    if (amax >= 0x7FF0000000000000ull) return 0;
    uint8_t byte = mxref_block_scale(f, MX_F64, amax, o);
    if (byte == 0xFF) return 0;
    sx = (int)byte - 127;
  } else {
    uint32_t amax = (uint32_t)_mm256_cvtsi256_si32(amax_f32(c, src, bp, k));
    if (o->rule == MX_RULE_FLOOR && amax > 0x007FFFFFu && amax < 0x7F800000u) {
      /* OCP's floor rule on a normal amax: s = floor(log2 amax) - emax, read off the
       * exponent field; s <= 127 - emax <= 127, and below -127 it clamps (block.h step 5) */
      sx = (int)(amax >> 23) - 127 - d->emax;
      sx = sx < -127 ? -127 : sx;
    } else {
      if (amax >= 0x7F800000u) return 0;
      uint8_t byte = mxref_block_scale(f, MX_F32, amax, o);
      if (byte == 0xFF) return 0;
      sx = (int)byte - 127;
    }
  }
  *scale = (uint8_t)(sx + 127);
  quantize_block(c, d, src, bp, k, sx, out, l, mode);
  return 1;
}

/* Eight blocks of 32 f32/bf16/f16 values under the floor rule, when all eight amaxes are
 * normal and finite (else 0: quantize_one takes them, and stops where the scalar path must
 * start). The eight scales come from one vector, before any block's codes: the conversions
 * no longer wait, block by block, for a horizontal max, a compare and an extraction. */
MXR_SPECIALISED int quantize_group8(const cvt_consts *c, mx_fmt src,
                                    const unsigned char *bp, uint8_t *scales,
                                    uint8_t *codes, size_t per_block, mx_pack_layout l,
                                    mx_round mode, const mx_format_desc *d) {
  const size_t w = src_width(src);
  /* the group 8 KiB ahead, a line at a time (16 for f32): measured 2026-12-03, five
   * alternating 256 MiB runs, one thread: faster in 26 of 30 row pairs, 7-18 % per format
   * on average; the hardware prefetcher alone leaves part of the load latency behind the
   * conversion */
  for (size_t off = 0; off < 256 * w; off += 64) _mm_prefetch((const char *)bp + 8192 + off, _MM_HINT_T0);
  const __m256i mx = amax8_f32(c, src, bp);
  const __m256i normal_finite = _mm256_and_si256(_mm256_cmpgt_epi32(mx, _mm256_set1_epi32(0x007FFFFF)),
                                                 _mm256_cmpgt_epi32(_mm256_set1_epi32(0x7F800000), mx));
  if (_mm256_movemask_epi8(normal_finite) != -1) return 0;
  /* quantize_one's floor-rule scale, eight lanes at once */
  const __m256i s = _mm256_max_epi32(_mm256_sub_epi32(_mm256_srli_epi32(mx, 23), _mm256_set1_epi32(127 + d->emax)),
                                     _mm256_set1_epi32(-127));
  store8(scales, _mm256_add_epi32(s, _mm256_set1_epi32(127)));
  int sx[8];
  _mm256_storeu_si256((__m256i *)sx, s);
#pragma GCC unroll 1 /* eight copies of the conversion would only cost code size and compile time */
  for (int j = 0; j < 8; j++) quantize_block(c, d, src, bp + j * 32 * w, 32, sx[j], codes + j * per_block, l, mode);
  return 1;
}

/* Quantize consecutive blocks of k values (k a multiple of 8) until one needs the scalar
 * path; returns the number of blocks done. Blocks of 32 from f32/bf16/f16 under the floor
 * rule go eight at a time (quantize_group8); a group it declines, the last blocks, and every
 * other case go one at a time (quantize_one). */
MXR_SPECIALISED size_t quantize_mode(const cvt_consts *c, mx_block_fmt f, mx_fmt src,
                                     const void *values, size_t nblocks, size_t k,
                                     const mx_block_opts *o, uint8_t *scales,
                                     uint8_t *codes, mx_pack_layout l, mx_round mode,
                                     const mx_format_desc *d) {
  const unsigned char *in = values;
  const size_t w = src_width(src), per_block = k * (l == MX_PACK_BYTE ? 8 : (size_t)d->bits) / 8;
  const int groups = src != MX_F64 && k == 32 && o->rule == MX_RULE_FLOOR;
  for (size_t b = 0; b < nblocks;) {
    if (groups && nblocks - b >= 8 &&
        quantize_group8(c, src, in + b * k * w, scales + b, codes + b * per_block, per_block, l, mode, d)) {
      b += 8;
      continue;
    }
    const size_t end = nblocks - b > 8 ? b + 8 : nblocks;
    for (; b < end; b++)
      if (!quantize_one(c, f, src, in + b * k * w, k, o, scales + b, codes + b * per_block, l, mode, d)) return b;
  }
  return nblocks;
}

/* The source as a constant in each instantiation: a runtime source measured ~10 % slower
 * (branches in the inner loop once f64 joined). */
MXR_SPECIALISED size_t quantize_src(const cvt_consts *c, mx_block_fmt f, mx_fmt src,
                                    const void *values, size_t nblocks, size_t k,
                                    const mx_block_opts *o, uint8_t *scales, uint8_t *codes,
                                    mx_pack_layout l, mx_round mode,
                                    const mx_format_desc *d) {
  switch (src) {
  case MX_F32: return quantize_mode(c, f, MX_F32, values, nblocks, k, o, scales, codes, l, mode, d);
  case MX_BF16: return quantize_mode(c, f, MX_BF16, values, nblocks, k, o, scales, codes, l, mode, d);
  case MX_F16: return quantize_mode(c, f, MX_F16, values, nblocks, k, o, scales, codes, l, mode, d);
  default: return quantize_mode(c, f, MX_F64, values, nblocks, k, o, scales, codes, l, mode, d);
  }
}

size_t mxr_avx2_quantize_packed(mx_block_fmt f, mx_fmt src, const void *values, size_t nblocks, size_t k,
                                const mx_block_opts *o, mx_pack_layout l, uint8_t *scales, uint8_t *out) {
  if (!source_known(src) || k % 8 != 0 || k == 0 || !mxr_avx2_block_known(f) || !mxr_avx2_opts_known(&o->elem))
    return 0;
  const mx_fmt elem = mx_block_element(f);
  const int bits = mx_format(elem)->bits;
  if (!(l == MX_PACK_BYTE || (bits == 4 && (l == MX_PACK_FP4_LOW || l == MX_PACK_FP4_HIGH)) ||
        (bits == 6 && l == MX_PACK_FP6_LSB)))
    return 0;
  cvt_consts c;
  cvt_setup(&c, elem, &o->elem);
#define QUANTIZE_FMT(M, ID) quantize_src(&c, f, src, values, nblocks, k, o, scales, out, l, M, &v_row_##ID)
#define QUANTIZE_MODE(M)                           \
  switch (elem) {                                  \
  case MX_E4M3: return QUANTIZE_FMT(M, MX_E4M3);   \
  case MX_E5M2: return QUANTIZE_FMT(M, MX_E5M2);   \
  case MX_E2M3: return QUANTIZE_FMT(M, MX_E2M3);   \
  case MX_E3M2: return QUANTIZE_FMT(M, MX_E3M2);   \
  case MX_E2M1: return QUANTIZE_FMT(M, MX_E2M1);   \
  case MX_INT8: return QUANTIZE_FMT(M, MX_INT8);   \
  default: return 0;                               \
  }
  switch (o->elem.round) {
  case MX_RNE: QUANTIZE_MODE(MX_RNE);
  case MX_RNA: QUANTIZE_MODE(MX_RNA);
  case MX_RTZ: QUANTIZE_MODE(MX_RTZ);
  case MX_RUP: QUANTIZE_MODE(MX_RUP);
  case MX_RDN: QUANTIZE_MODE(MX_RDN);
  default: return 0;
  }
#undef QUANTIZE_FMT
#undef QUANTIZE_MODE
}

size_t mxr_avx2_quantize_blocks(mx_block_fmt f, mx_fmt src, const void *values, size_t nblocks, size_t k,
                                const mx_block_opts *o, uint8_t *scales, uint8_t *codes) {
  return mxr_avx2_quantize_packed(f, src, values, nblocks, k, o, MX_PACK_BYTE, scales, codes);
}

/* ---- NVFP4 (reference/nvfp4.c) ------------------------------------------------------------
 * The steps of mxref_nvfp4_quantize / _dequantize that touch every value, computed exactly as
 * the scalar code computes them: binary32 products are _mm256_mul_ps (one IEEE rounding, as
 * C's float `*`), the E2M1 rounding of `reciprocal` is this file's E2M1 kernel with the OCP
 * defaults, and the `exact` roundings compare 2|x| with den * (twice each midpoint) in
 * binary64, the same exact products grid_round compares, counted instead of searched. */

/* Twice the midpoints between consecutive codes' values (grid_round's mid2) for E2M1 and
 * E4M3, padded with +Inf to whole vectors; the even/odd pattern the ties need; and the E2M1
 * decode table and kernel constants. Built once from the scalar decode. */
typedef struct nv_tables {
  double e2m1_mid2[8], e4m3_mid2[128];
  unsigned e2m1_top, e4m3_top;
  uint32_t e2m1_f32[16];
  cvt_consts e2m1; /* rne, sat: the OCP defaults nvfp4.c's to_elem uses */
} nv_tables;

static nv_tables g_nv;
static pthread_once_t g_nv_once = PTHREAD_ONCE_INIT;

static double decoded(mx_fmt f, unsigned c) {
  uint32_t b = mxref_decode_f32_bits(f, c);
  float x;
  memcpy(&x, &b, 4);
  return x;
}

static void nv_mid2(mx_fmt f, double *mid2, size_t len, unsigned *top) {
  *top = (unsigned)mx_format(f)->max_code;
  for (size_t i = 0; i < len; i++) mid2[i] = __builtin_inf();
  for (unsigned c = 1; c <= *top; c++) mid2[c - 1] = decoded(f, c - 1) + decoded(f, c); /* exact */
}

static void nv_build(void) {
  nv_mid2(MX_E2M1, g_nv.e2m1_mid2, 8, &g_nv.e2m1_top);
  nv_mid2(MX_E4M3, g_nv.e4m3_mid2, 128, &g_nv.e4m3_top);
  for (unsigned c = 0; c < 16; c++) g_nv.e2m1_f32[c] = mxref_decode_f32_bits(MX_E2M1, c);
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  cvt_setup(&g_nv.e2m1, MX_E2M1, &o);
}

static const nv_tables *nv(void) {
  pthread_once(&g_nv_once, nv_build);
  return &g_nv;
}

/* grid_round: the code c counts the midpoints below num / den, plus one at a tie whose lower
 * code is odd (the scalar loop stops at the first midpoint >= num / den; the midpoints times
 * den increase strictly, so both give the same code). */
unsigned mxr_avx2_nvfp4_scale_exact(double num, double den) {
  const nv_tables *t = nv();
  if (num == 0) return 0;
  if (den == 0) return t->e4m3_top;
  const __m256d lhs = _mm256_set1_pd(2 * num), d = _mm256_set1_pd(den);
  const __m256i odd_lo = _mm256_setr_epi64x(0, -1, 0, -1); /* codes c = i + 1: c even, c - 1 odd */
  __m256i cnt = _mm256_setzero_si256();
  for (size_t i = 0; i < 128; i += 4) {
    __m256d rhs = _mm256_mul_pd(d, _mm256_loadu_pd(t->e4m3_mid2 + i));
    __m256i gt = _mm256_castpd_si256(_mm256_cmp_pd(lhs, rhs, _CMP_GT_OQ));
    __m256i tie = _mm256_and_si256(_mm256_castpd_si256(_mm256_cmp_pd(lhs, rhs, _CMP_EQ_OQ)), odd_lo);
    cnt = _mm256_sub_epi64(cnt, _mm256_add_epi64(gt, tie));
  }
  __m128i s = _mm_add_epi64(_mm256_castsi256_si128(cnt), _mm256_extracti128_si256(cnt, 1));
  return (unsigned)(_mm_cvtsi128_si64(s) + _mm_extract_epi64(s, 1));
}

/* Four |x| -> E2M1 magnitudes nearest |x| / den (den != 0: rhs[c] = den * mid2[c]). */
MXR_SPECIALISED __m256i nv_mag4(__m256 x4, const __m256d rhs[7], __m256i tie_on) {
  __m256d lhs = _mm256_cvtps_pd(_mm256_castps256_ps128(x4));
  lhs = _mm256_add_pd(lhs, lhs); /* 2|x|, exact */
  __m256i cnt = _mm256_setzero_si256();
  for (int c = 0; c < 7; c++) {
    cnt = _mm256_sub_epi64(cnt, _mm256_castpd_si256(_mm256_cmp_pd(lhs, rhs[c], _CMP_GT_OQ)));
    if (c % 2 == 1) /* code c + 1 even: a tie goes up from the odd code c */
      cnt = _mm256_sub_epi64(cnt, _mm256_and_si256(tie_on, _mm256_castpd_si256(_mm256_cmp_pd(lhs, rhs[c], _CMP_EQ_OQ))));
  }
  return cnt;
}

/* Eight 64-bit lanes' low words (two vectors of four) -> one vector of eight 32-bit lanes. */
MXR_SPECIALISED __m256i low_words(__m256i a, __m256i b) {
  const __m256i idx = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  return _mm256_permute2x128_si256(_mm256_permutevar8x32_epi32(a, idx), _mm256_permutevar8x32_epi32(b, idx), 0x20);
}

void mxr_avx2_nvfp4_elements_exact(const uint32_t *v, double den, uint8_t *codes) {
  const nv_tables *t = nv();
  __m256d rhs[7];
  for (int c = 0; c < 7; c++) rhs[c] = _mm256_set1_pd(den * t->e2m1_mid2[c]);
  /* den = 0 (s_b = 0): every nonzero |x| saturates (all seven midpoints are 0 and below it),
   * and no tie may count for a zero */
  const __m256i tie_on = _mm256_set1_epi64x(den == 0 ? 0 : -1);
  for (int h = 0; h < MX_NVFP4_BLOCK; h += 8) {
    __m256i x = _mm256_loadu_si256((const __m256i *)(v + h));
    __m256 a = _mm256_castsi256_ps(_mm256_and_si256(x, _mm256_set1_epi32(0x7FFFFFFF)));
    __m256i m0 = nv_mag4(a, rhs, tie_on);
    __m256i m1 = nv_mag4(_mm256_permute2f128_ps(a, a, 0x01), rhs, tie_on);
    __m256i sign = _mm256_slli_epi32(_mm256_srli_epi32(x, 31), 3);
    store8(codes + h, _mm256_or_si256(sign, low_words(m0, m1)));
  }
}

void mxr_avx2_nvfp4_elements_recip(const uint32_t *v, float c, uint8_t *codes) {
  const nv_tables *t = nv();
  const __m256 cv = _mm256_set1_ps(c);
  for (int h = 0; h < MX_NVFP4_BLOCK; h += 8) {
    __m256i p = _mm256_castps_si256(_mm256_mul_ps(_mm256_loadu_ps((const float *)(v + h)), cv));
    /* x * c is finite or +-Inf (x finite, 0 < c <= FLT_MAX); +-Inf and +-FLT_MAX both give
     * +-6 under saturation (inf_sat / inf_finite = max), and the kernel takes no Inf */
    __m256i sign = _mm256_and_si256(p, _mm256_set1_epi32((int)0x80000000u));
    __m256i mag = _mm256_min_epu32(_mm256_andnot_si256(sign, p), _mm256_set1_epi32(0x7F7FFFFF));
    raw8 r = {_mm256_or_si256(sign, mag), _mm256_setzero_si256()};
    store8(codes + h, core_element(&t->e2m1, &v_row_MX_E2M1, front_f32(&t->e2m1, &v_row_MX_E2M1, r, _mm256_setzero_si256(), 0),
                                   MX_RNE));
  }
}

void mxr_avx2_nvfp4_dequantize(const uint8_t *codes, float sb, float st, int scale_first, uint32_t *out) {
  const nv_tables *t = nv();
  const __m256i lo = _mm256_loadu_si256((const __m256i *)t->e2m1_f32), hi = _mm256_loadu_si256((const __m256i *)(t->e2m1_f32 + 8));
  for (int h = 0; h < MX_NVFP4_BLOCK; h += 8) {
    __m256i c = _mm256_and_si256(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(codes + h))), _mm256_set1_epi32(0xF));
    __m256i upper = _mm256_cmpgt_epi32(c, _mm256_set1_epi32(7));
    __m256 e = _mm256_castsi256_ps(_mm256_blendv_epi8(_mm256_permutevar8x32_epi32(lo, c), _mm256_permutevar8x32_epi32(hi, c), upper));
    __m256 r = scale_first ? _mm256_mul_ps(e, _mm256_set1_ps(sb * st))
                           : _mm256_mul_ps(_mm256_mul_ps(e, _mm256_set1_ps(sb)), _mm256_set1_ps(st));
    _mm256_storeu_si256((__m256i *)(out + h), _mm256_castps_si256(r));
  }
}

#endif
