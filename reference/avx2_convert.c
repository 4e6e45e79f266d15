/* libmxref AVX2 path: f32/bf16/f16 -> element codes, and block quantize on top of it.
 *
 * The same integer algorithm as the scalar path (convert.c to_float/to_int, internal.h
 * mxr_round_increment), eight 32-bit lanes at a time:
 *   1. widen the source to f32 bits (bf16: << 16; f16: vcvtph2ps, exact for every f16);
 *   2. split sign / exponent / significand; an f32 subnormal's significand is normalised so
 *      that every finite nonzero lane has sig in [2^23, 2^24) and e = floor(log2 |x|) (the
 *      leading-bit position comes from converting the integer significand to float, which
 *      is exact below 2^24 — no rounding is involved);
 *   3. subtract the block's scale exponent s (quantize; 0 for convert);
 *   4. the destination's quantum: float formats 2^(max(e, emin) - m), INT8 2^-6; shift the
 *      significand right by the difference and round with the remainder against half a unit
 *      (rne / rna / rtz / rup / rdn exactly as mxr_round_increment decides);
 *   5. magnitude = (binade - emin) << m + n, a carry moving into the exponent field by itself;
 *      beyond max_code is the overflow code (taken from the scalar path, see cvt_setup).
 * Lanes holding NaN or Inf, and stochastic rounding, E8M0 and f64, are left to the scalar
 * path (dispatch.h): the kernels stop at the first group of values containing a special and
 * say how many values they converted. Zeros, f32 subnormals (exact or flushed) and every
 * finite value are handled here, so the scalar fallback is rare on real data.
 *
 * Compiled with -mavx2 -mfma -mbmi2 -mf16c (CMakeLists.txt); only called after dispatch.c
 * has checked the CPU. */
#include "dispatch.h"

#if MXR_HAVE_AVX2 && defined(__AVX2__) && defined(__F16C__)
#include <immintrin.h>
#include <string.h>

#include "avx2.h"
#include "internal.h"
#include "mxconform/block.h"

/* Compile-time copies of the format rows: every kernel is instantiated per destination
 * format, so widths, exponents and limits are immediates, not loads (perf showed the
 * general kernel spilling them). */
#define MX_FORMAT(id, name, lname, kind, bits, sgn, eb, mb, bias, emax, emin, spec, ints, maxc, elem, src) \
  static const mx_format_desc v_row_##id = {id, name, lname, kind, bits, sgn, eb, mb, bias, emax, emin, spec, ints, maxc, elem, src};
#include "mxconform/formats.def"
#undef MX_FORMAT

/* Per-call values that depend on the knobs, not on the format. */
typedef struct cvt_consts {
  __m256i ovf_pos, ovf_neg; /* float overflow codes (scalar float_overflow) */
  int ovf_is_max;           /* they are +-max_code: overflow is a min() on the magnitude */
  __m256i twos;             /* INT8: 1 when -128 is allowed (int8_range = twos) */
  int flush;                /* src_subnormals = flush */
} cvt_consts;

static void cvt_setup(cvt_consts *c, mx_fmt dst, const mx_convert_opts *o) {
  const mx_format_desc *d = mx_format(dst);
  /* The overflow code depends only on sign, mode and knobs: ask the scalar path with the
   * largest f32, which overflows every element format, so both paths agree by construction. */
  uint32_t pos = mxref_convert_one(dst, MX_F32, 0x7F7FFFFFu, o, 0);
  uint32_t neg = mxref_convert_one(dst, MX_F32, 0xFF7FFFFFu, o, 0);
  c->ovf_pos = _mm256_set1_epi32((int)pos);
  c->ovf_neg = _mm256_set1_epi32((int)neg);
  c->ovf_is_max = pos == d->max_code && neg == ((1u << (d->bits - 1)) | (uint32_t)d->max_code);
  c->twos = _mm256_set1_epi32(o->int8_range == MX_INT8_TWOS);
  c->flush = o->src_subnormals == MX_SUBN_FLUSH;
}

/* Does every f32 subnormal, divided by 2^s, lie more than 25 bits below the destination's
 * unit (shift >= 25 in cvt8, so even 2^24 is below half a unit)? Then it rounds the same
 * whether or not its significand is normalised. For convert (s = 0) this holds for every
 * element format; in quantize it fails only for blocks whose amax is below about 2^-108. */
static inline __attribute__((always_inline)) int subnormal_shortcut_ok(const mx_format_desc *d, int s) {
  const int is_int = d->kind == MX_KIND_INT;
  const int shift0 = is_int ? 23 + d->int_scale_log2 : 23 - d->mbits;
  /* an f32 subnormal has e <= -127 - s; the smallest shift is at e = -127 - s */
  return shift0 + (is_int ? 0 : d->emin) + 127 + s >= 25;
}

/* Eight f32 bit patterns (no NaN/Inf) -> eight codes in the low byte of each lane.
 * zero_extra: lanes to treat as zero (f16 subnormals under flush). s: the exponent the values
 * are divided by. d (a compile-time row), mode and subnormals are constants in every
 * instantiation. subnormals = 0 skips normalising f32 subnormals: allowed when
 * subnormal_shortcut_ok() holds for s, because then such a lane, read as 1.mant x 2^-127, is
 * still nonzero and below half a unit of the destination, and rounds like its true value. */
static inline __attribute__((always_inline)) __m256i cvt8(const cvt_consts *c, const mx_format_desc *d, __m256i x,
                                                          __m256i zero_extra, __m256i s, mx_round mode, int subnormals) {
  const int is_int = d->kind == MX_KIND_INT;
  const __m256i shift0 = _mm256_set1_epi32(is_int ? 23 + d->int_scale_log2 : 23 - d->mbits);
  const __m256i max_code = _mm256_set1_epi32((int)d->max_code);
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i zero = _mm256_setzero_si256();
  __m256i a = _mm256_and_si256(x, _mm256_set1_epi32(0x7FFFFFFF));
  __m256i negative = _mm256_srai_epi32(x, 31); /* all ones in negative lanes */
  __m256i ef = _mm256_srli_epi32(a, 23);
  __m256i mant = _mm256_and_si256(a, _mm256_set1_epi32(0x7FFFFF));
  __m256i is_sub = _mm256_cmpeq_epi32(ef, zero);
  __m256i is_zero = _mm256_or_si256(_mm256_cmpeq_epi32(a, zero), zero_extra);
  if (c->flush) is_zero = _mm256_or_si256(is_zero, is_sub);
  __m256i sig = _mm256_or_si256(mant, _mm256_set1_epi32(0x800000));
  /* t = e - emin with e = floor(log2 |x / 2^s|) (INT8: t = e): the exponent field minus one
   * per-block constant (hoisted out of the loops by the compiler) */
  const int ebase = is_int ? 0 : d->emin;
  __m256i t = _mm256_sub_epi32(ef, _mm256_add_epi32(s, _mm256_set1_epi32(127 + ebase)));
  if (subnormals && _mm256_movemask_epi8(_mm256_andnot_si256(is_zero, is_sub))) {
    /* f32 subnormals (rare): lead = floor(log2 mant), read from the exact float conversion
     * of mant (e = lead - 149); the significand is shifted up to [2^23, 2^24) */
    __m256i lead = _mm256_sub_epi32(_mm256_srli_epi32(_mm256_castps_si256(_mm256_cvtepi32_ps(mant)), 23),
                                    _mm256_set1_epi32(127));
    sig = _mm256_blendv_epi8(sig, _mm256_sllv_epi32(mant, _mm256_sub_epi32(_mm256_set1_epi32(23), lead)), is_sub);
    t = _mm256_blendv_epi8(t, _mm256_sub_epi32(lead, _mm256_add_epi32(s, _mm256_set1_epi32(149 + ebase))), is_sub);
  }

  /* shift: how many low bits of sig lie below the destination's quantum (>= 10 for every
   * in-range lane): float 23 - m + max(emin - e, 0), INT8 17 - e; capped at 31, where
   * every mode below still decides right because sig < 2^24 is below half a unit */
  __m256i above = is_int ? zero : _mm256_max_epi32(t, zero); /* float: binade - emin */
  __m256i shift = _mm256_sub_epi32(shift0, t);
  if (!is_int) shift = _mm256_max_epi32(shift, shift0);
  shift = _mm256_min_epi32(shift, _mm256_set1_epi32(31));
  const __m256i e = t; /* INT8 (ebase 0): t is e */
  /* Rounding as one add before the shift (sig + bias < 2^32): the increment that
   * mxr_round_increment decides is exactly the carry the bias produces out of the low bits.
   *   rne: bias = half - 1 + (lsb of the truncated result)   rna: bias = half
   *   rup: bias = unit - 1 for positive values               rdn: the same for negative ones */
  __m256i n;
  switch (mode) {
  case MX_RNE: {
    __m256i lsb = _mm256_and_si256(_mm256_srlv_epi32(sig, shift), one);
    __m256i half_m1 = _mm256_srlv_epi32(_mm256_set1_epi32(-1), _mm256_sub_epi32(_mm256_set1_epi32(33), shift));
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
    __m256i sbit = _mm256_and_si256(negative, _mm256_set1_epi32(1 << (d->bits - 1)));
    if (c->ovf_is_max) { /* saturating (or a mode that rounds this sign toward zero) */
      res = _mm256_or_si256(sbit, _mm256_min_epi32(mag, max_code));
    } else {
      __m256i ovf = _mm256_cmpgt_epi32(mag, max_code);
      res = _mm256_or_si256(sbit, mag);
      res = _mm256_blendv_epi8(res, _mm256_blendv_epi8(c->ovf_pos, c->ovf_neg, negative), ovf);
    }
    res = _mm256_blendv_epi8(res, sbit, is_zero); /* signed zero */
  }
  return res;
}

/* Four vectors of eight codes (low bytes) -> 32 bytes in order. */
static inline __attribute__((always_inline)) void store32(uint8_t *out, __m256i r0, __m256i r1, __m256i r2, __m256i r3) {
  __m256i p01 = _mm256_packs_epi32(r0, r1), p23 = _mm256_packs_epi32(r2, r3);
  __m256i b = _mm256_packus_epi16(p01, p23);
  b = _mm256_permutevar8x32_epi32(b, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
  _mm256_storeu_si256((__m256i *)out, b);
}

/* One vector of eight codes -> 8 bytes. */
static inline __attribute__((always_inline)) void store8(uint8_t *out, __m256i r) {
  __m256i p = _mm256_packus_epi16(_mm256_packs_epi32(r, r), r);
  uint32_t lo = (uint32_t)_mm_cvtsi128_si32(_mm256_castsi256_si128(p));
  uint32_t hi = (uint32_t)_mm_cvtsi128_si32(_mm256_extracti128_si256(p, 1));
  memcpy(out, &lo, 4);
  memcpy(out + 4, &hi, 4);
}

/* Load eight source values as f32 bits; *zero_extra marks f16 subnormals to flush. */
static inline __attribute__((always_inline)) __m256i load8(mx_fmt src, const void *p, int flush, __m256i *zero_extra) {
  switch (src) {
  case MX_BF16:
    *zero_extra = _mm256_setzero_si256();
    return _mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p)), 16);
  case MX_F16: {
    __m128i h = _mm_loadu_si128((const __m128i *)p);
    if (flush) {
      __m256i ex = _mm256_and_si256(_mm256_cvtepu16_epi32(h), _mm256_set1_epi32(0x7C00));
      *zero_extra = _mm256_cmpeq_epi32(ex, _mm256_setzero_si256());
    } else {
      *zero_extra = _mm256_setzero_si256();
    }
    return _mm256_castps_si256(_mm256_cvtph_ps(h));
  }
  default:
    *zero_extra = _mm256_setzero_si256();
    return _mm256_loadu_si256((const __m256i *)p);
  }
}

static inline int any_special(__m256i x) {
  __m256i a = _mm256_and_si256(x, _mm256_set1_epi32(0x7FFFFFFF));
  return _mm256_movemask_epi8(_mm256_cmpgt_epi32(a, _mm256_set1_epi32(0x7F7FFFFF))) != 0;
}

static inline size_t src_width(mx_fmt src) { return src == MX_F32 ? 4 : 2; }

/* ---- array conversion ------------------------------------------------------------------ */

static inline __attribute__((always_inline)) size_t convert_mode(const cvt_consts *c, mx_fmt src, const void *values,
                                                                 uint8_t *codes, size_t n, mx_round mode,
                                                                 const mx_format_desc *d) {
  const unsigned char *in = values;
  const size_t w = src_width(src);
  const __m256i s = _mm256_setzero_si256();
  const __m256i absmask = _mm256_set1_epi32(0x7FFFFFFF);
  const int sub = !subnormal_shortcut_ok(d, 0); /* 0 for every element format */
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256i z0, z1, z2, z3;
    __m256i x0 = load8(src, in + i * w, c->flush, &z0), x1 = load8(src, in + (i + 8) * w, c->flush, &z1);
    __m256i x2 = load8(src, in + (i + 16) * w, c->flush, &z2), x3 = load8(src, in + (i + 24) * w, c->flush, &z3);
    /* |x| as integers orders like the magnitudes: one compare finds any NaN/Inf lane */
    __m256i am = _mm256_max_epi32(_mm256_max_epi32(_mm256_and_si256(x0, absmask), _mm256_and_si256(x1, absmask)),
                                  _mm256_max_epi32(_mm256_and_si256(x2, absmask), _mm256_and_si256(x3, absmask)));
    if (any_special(am))
      return i;
    store32(codes + i, cvt8(c, d, x0, z0, s, mode, sub), cvt8(c, d, x1, z1, s, mode, sub), cvt8(c, d, x2, z2, s, mode, sub),
            cvt8(c, d, x3, z3, s, mode, sub));
  }
  for (; i + 8 <= n; i += 8) {
    __m256i z;
    __m256i x = load8(src, in + i * w, c->flush, &z);
    if (any_special(x)) return i;
    store8(codes + i, cvt8(c, d, x, z, s, mode, sub));
  }
  return i;
}

size_t mxr_avx2_convert(mx_fmt dst, mx_fmt src, const void *values, uint8_t *codes, size_t n,
                        const mx_convert_opts *o) {
  if ((src != MX_F32 && src != MX_BF16 && src != MX_F16) || dst == MX_E8M0 || !mx_format(dst)->is_element ||
      n < 8)
    return 0;
  cvt_consts c;
  cvt_setup(&c, dst, o);
#define CONVERT_FMT(M, ROW) convert_mode(&c, src, values, codes, n, M, ROW)
#define CONVERT_MODE(M)                                      \
  (dst == MX_E4M3   ? CONVERT_FMT(M, &v_row_MX_E4M3)         \
   : dst == MX_E5M2 ? CONVERT_FMT(M, &v_row_MX_E5M2)         \
   : dst == MX_E2M3 ? CONVERT_FMT(M, &v_row_MX_E2M3)         \
   : dst == MX_E3M2 ? CONVERT_FMT(M, &v_row_MX_E3M2)         \
   : dst == MX_E2M1 ? CONVERT_FMT(M, &v_row_MX_E2M1)         \
                    : CONVERT_FMT(M, &v_row_MX_INT8))
  switch (o->round) {
  case MX_RNE: return CONVERT_MODE(MX_RNE);
  case MX_RNA: return CONVERT_MODE(MX_RNA);
  case MX_RTZ: return CONVERT_MODE(MX_RTZ);
  case MX_RUP: return CONVERT_MODE(MX_RUP);
  case MX_RDN: return CONVERT_MODE(MX_RDN);
  default: return 0; /* sr: scalar */
  }
#undef CONVERT_FMT
#undef CONVERT_MODE
}

/* ---- block quantize --------------------------------------------------------------------- */

/* One block's elements, already widened to f32 bits by load8, divided by 2^s. */
static inline __attribute__((always_inline)) void quantize_elements(const cvt_consts *c, const mx_format_desc *d,
                                                                    mx_fmt src, const unsigned char *bp, size_t k,
                                                                    __m256i s, uint8_t *out, mx_round mode, int sub) {
  const size_t w = src_width(src);
  size_t i = 0;
  for (; i + 32 <= k; i += 32) {
    __m256i z0, z1, z2, z3;
    __m256i x0 = load8(src, bp + i * w, c->flush, &z0), x1 = load8(src, bp + (i + 8) * w, c->flush, &z1);
    __m256i x2 = load8(src, bp + (i + 16) * w, c->flush, &z2), x3 = load8(src, bp + (i + 24) * w, c->flush, &z3);
    store32(out + i, cvt8(c, d, x0, z0, s, mode, sub), cvt8(c, d, x1, z1, s, mode, sub),
            cvt8(c, d, x2, z2, s, mode, sub), cvt8(c, d, x3, z3, s, mode, sub));
  }
  for (; i < k; i += 8) {
    __m256i z;
    __m256i x = load8(src, bp + i * w, c->flush, &z);
    store8(out + i, cvt8(c, d, x, z, s, mode, sub));
  }
}

/* Quantize consecutive blocks of k values (k a multiple of 8) until one needs the scalar
 * path (a NaN/Inf input, or a NaN scale); returns the number of blocks done. The scale
 * byte comes from mxref_block_scale on the block's |max| as f32 (widening is exact and
 * monotonic, and flushed f16 subnormals are zeroed before the max). */
static inline __attribute__((always_inline)) size_t quantize_mode(const cvt_consts *c, mx_block_fmt f, mx_fmt src,
                                                                  const void *values, size_t nblocks, size_t k,
                                                                  const mx_block_opts *o, uint8_t *scales,
                                                                  uint8_t *codes, mx_round mode,
                                                                  const mx_format_desc *d) {
  const unsigned char *in = values;
  const size_t w = src_width(src);
  const __m256i absmask = _mm256_set1_epi32(0x7FFFFFFF);
  const int floor_rule = o->rule == MX_RULE_FLOOR, emax = d->emax;
  for (size_t b = 0; b < nblocks; b++) {
    const unsigned char *bp = in + b * k * w;
    __m256i mx = _mm256_setzero_si256();
    for (size_t i = 0; i < k; i += 8) {
      __m256i z;
      __m256i x = load8(src, bp + i * w, c->flush, &z);
      mx = _mm256_max_epi32(mx, _mm256_andnot_si256(z, _mm256_and_si256(x, absmask)));
    }
    /* amax in every lane: the scale is computed in vector registers, so the elements' s
     * never waits for a round trip through a general register */
    mx = _mm256_max_epi32(mx, _mm256_permute2x128_si256(mx, mx, 0x01));
    mx = _mm256_max_epi32(mx, _mm256_shuffle_epi32(mx, 0x4E));
    mx = _mm256_max_epi32(mx, _mm256_shuffle_epi32(mx, 0xB1));
    __m256i s;
    int sx;
    const __m256i normal_finite = _mm256_and_si256(_mm256_cmpgt_epi32(mx, _mm256_set1_epi32(0x007FFFFF)),
                                                   _mm256_cmpgt_epi32(_mm256_set1_epi32(0x7F800000), mx));
    if (floor_rule && _mm256_movemask_epi8(normal_finite)) {
      /* OCP's floor rule on a normal amax: s = floor(log2 amax) - emax, read off the
       * exponent field; s <= 127 - emax <= 127, and below -127 it clamps (block.h step 5) */
      s = _mm256_max_epi32(_mm256_sub_epi32(_mm256_srli_epi32(mx, 23), _mm256_set1_epi32(127 + emax)),
                           _mm256_set1_epi32(-127));
      sx = _mm256_cvtsi256_si32(s);
    } else {
      uint32_t amax = (uint32_t)_mm256_cvtsi256_si32(mx);
      if (amax >= 0x7F800000u) return b;
      /* the widened amax is the same value (bf16 subnormals stay f32 subnormals, f16 ones
       * become f32 normals and were zeroed above when flushing), so the f32 scale applies */
      uint8_t byte = mxref_block_scale(f, MX_F32, amax, o);
      if (byte == 0xFF) return b;
      sx = (int)byte - 127;
      s = _mm256_set1_epi32(sx);
    }
    scales[b] = (uint8_t)(sx + 127);
    uint8_t *out = codes + b * k;
    if (subnormal_shortcut_ok(d, sx))
      quantize_elements(c, d, src, bp, k, s, out, mode, 0);
    else
      quantize_elements(c, d, src, bp, k, s, out, mode, 1);
  }
  return nblocks;
}

size_t mxr_avx2_quantize_blocks(mx_block_fmt f, mx_fmt src, const void *values, size_t nblocks, size_t k,
                                const mx_block_opts *o, uint8_t *scales, uint8_t *codes) {
  if ((src != MX_F32 && src != MX_BF16 && src != MX_F16) || k % 8 != 0 || k == 0 ||
      (unsigned)f >= MX_BLOCK_FMT_COUNT)
    return 0;
  /* a NaN scale would need the elements zeroed: the scalar path does that */
  const mx_fmt elem = mx_block_element(f);
  cvt_consts c;
  cvt_setup(&c, elem, &o->elem);
#define QUANTIZE_FMT(M, ROW) quantize_mode(&c, f, src, values, nblocks, k, o, scales, codes, M, ROW)
#define QUANTIZE_MODE(M)                                            \
  (elem == MX_E4M3   ? QUANTIZE_FMT(M, &v_row_MX_E4M3)              \
   : elem == MX_E5M2 ? QUANTIZE_FMT(M, &v_row_MX_E5M2)              \
   : elem == MX_E2M3 ? QUANTIZE_FMT(M, &v_row_MX_E2M3)              \
   : elem == MX_E3M2 ? QUANTIZE_FMT(M, &v_row_MX_E3M2)              \
   : elem == MX_E2M1 ? QUANTIZE_FMT(M, &v_row_MX_E2M1)              \
                     : QUANTIZE_FMT(M, &v_row_MX_INT8))
  switch (o->elem.round) {
  case MX_RNE: return QUANTIZE_MODE(MX_RNE);
  case MX_RNA: return QUANTIZE_MODE(MX_RNA);
  case MX_RTZ: return QUANTIZE_MODE(MX_RTZ);
  case MX_RUP: return QUANTIZE_MODE(MX_RUP);
  case MX_RDN: return QUANTIZE_MODE(MX_RDN);
  default: return 0;
  }
#undef QUANTIZE_FMT
#undef QUANTIZE_MODE
}

#endif
