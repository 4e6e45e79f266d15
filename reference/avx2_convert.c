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

/* Per-call constants of one destination format and knob set, already broadcast. */
typedef struct cvt_consts {
  int is_int;      /* INT8: fixed quantum 2^int_scale_log2, saturation, two's complement */
  __m128i m_cnt;   /* the same as a shift count */
  __m256i sign_code; /* the sign bit of a code: 1 << (bits - 1) */
  __m256i emin;    /* float: smallest normal exponent */
  __m256i shift0;  /* float: 23 - m; INT8: 23 + int_scale_log2 */
  __m256i max_code;
  __m256i ovf_pos, ovf_neg; /* float overflow codes (scalar float_overflow) */
  __m256i twos;    /* INT8: 1 when -128 is allowed (int8_range = twos) */
  int flush;       /* src_subnormals = flush */
} cvt_consts;

static void cvt_setup(cvt_consts *c, mx_fmt dst, const mx_convert_opts *o) {
  const mx_format_desc *d = mx_format(dst);
  c->is_int = d->kind == MX_KIND_INT;
  c->m_cnt = _mm_cvtsi32_si128(c->is_int ? 0 : d->mbits);
  c->sign_code = _mm256_set1_epi32(1 << (d->bits - 1));
  c->emin = _mm256_set1_epi32(d->emin);
  c->shift0 = _mm256_set1_epi32(c->is_int ? 23 + d->int_scale_log2 : 23 - d->mbits);
  c->max_code = _mm256_set1_epi32((int)d->max_code);
  /* The overflow code depends only on sign, mode and knobs: ask the scalar path with the
   * largest f32, which overflows every element format, so both paths agree by construction. */
  c->ovf_pos = _mm256_set1_epi32((int)mxref_convert_one(dst, MX_F32, 0x7F7FFFFFu, o, 0));
  c->ovf_neg = _mm256_set1_epi32((int)mxref_convert_one(dst, MX_F32, 0xFF7FFFFFu, o, 0));
  c->twos = _mm256_set1_epi32(o->int8_range == MX_INT8_TWOS);
  c->flush = o->src_subnormals == MX_SUBN_FLUSH;
}

/* Eight f32 bit patterns (no NaN/Inf) -> eight codes in the low byte of each lane.
 * zero_extra: lanes to treat as zero (f16 subnormals under flush). s: the exponent the values
 * are divided by. mode and is_int are compile-time constants in every instantiation. */
static inline __attribute__((always_inline)) __m256i cvt8(const cvt_consts *c, __m256i x, __m256i zero_extra,
                                                          __m256i s, mx_round mode, int is_int) {
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
  __m256i e = _mm256_sub_epi32(ef, _mm256_set1_epi32(127));
  if (_mm256_movemask_epi8(_mm256_andnot_si256(is_zero, is_sub))) {
    /* f32 subnormals (rare): lead = floor(log2 mant), read from the exact float conversion
     * of mant; the significand is shifted up to [2^23, 2^24) */
    __m256i lead = _mm256_sub_epi32(_mm256_srli_epi32(_mm256_castps_si256(_mm256_cvtepi32_ps(mant)), 23),
                                    _mm256_set1_epi32(127));
    sig = _mm256_blendv_epi8(sig, _mm256_sllv_epi32(mant, _mm256_sub_epi32(_mm256_set1_epi32(23), lead)), is_sub);
    e = _mm256_blendv_epi8(e, _mm256_sub_epi32(lead, _mm256_set1_epi32(149)), is_sub);
  }
  e = _mm256_sub_epi32(e, s);

  /* shift: how many low bits of sig lie below the destination's quantum (>= 10 for every
   * in-range lane); capped at 31, where every mode below still decides right because
   * sig < 2^24 is below half a unit */
  __m256i eq = is_int ? zero : _mm256_max_epi32(e, c->emin);
  __m256i shift = is_int ? _mm256_sub_epi32(c->shift0, e) : _mm256_add_epi32(_mm256_sub_epi32(eq, e), c->shift0);
  shift = _mm256_min_epi32(shift, _mm256_set1_epi32(31));
  /* Rounding as one add before the shift (sig + bias < 2^32): the increment that
   * mxr_round_increment decides is exactly the carry the bias produces out of the low bits.
   *   rne: bias = half - 1 + (lsb of the truncated result)   rna: bias = half
   *   rup: bias = unit - 1 for positive values               rdn: the same for negative ones */
  __m256i n;
  switch (mode) {
  case MX_RNE: {
    __m256i lsb = _mm256_and_si256(_mm256_srlv_epi32(sig, shift), one);
    __m256i half_m1 = _mm256_sub_epi32(_mm256_sllv_epi32(one, _mm256_sub_epi32(shift, one)), one);
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
    __m256i mag = _mm256_add_epi32(_mm256_sll_epi32(_mm256_sub_epi32(eq, c->emin), c->m_cnt), n);
    __m256i sbit = _mm256_and_si256(negative, c->sign_code);
    __m256i ovf = _mm256_cmpgt_epi32(mag, c->max_code);
    res = _mm256_or_si256(sbit, mag);
    res = _mm256_blendv_epi8(res, _mm256_blendv_epi8(c->ovf_pos, c->ovf_neg, negative), ovf);
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
                                                                 uint8_t *codes, size_t n, mx_round mode, int is_int) {
  const unsigned char *in = values;
  const size_t w = src_width(src);
  const __m256i s = _mm256_setzero_si256();
  const __m256i absmask = _mm256_set1_epi32(0x7FFFFFFF);
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
    store32(codes + i, cvt8(c, x0, z0, s, mode, is_int), cvt8(c, x1, z1, s, mode, is_int), cvt8(c, x2, z2, s, mode, is_int),
            cvt8(c, x3, z3, s, mode, is_int));
  }
  for (; i + 8 <= n; i += 8) {
    __m256i z;
    __m256i x = load8(src, in + i * w, c->flush, &z);
    if (any_special(x)) return i;
    store8(codes + i, cvt8(c, x, z, s, mode, is_int));
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
#define CONVERT_MODE(M) (c.is_int ? convert_mode(&c, src, values, codes, n, M, 1) : convert_mode(&c, src, values, codes, n, M, 0))
  switch (o->round) {
  case MX_RNE: return CONVERT_MODE(MX_RNE);
  case MX_RNA: return CONVERT_MODE(MX_RNA);
  case MX_RTZ: return CONVERT_MODE(MX_RTZ);
  case MX_RUP: return CONVERT_MODE(MX_RUP);
  case MX_RDN: return CONVERT_MODE(MX_RDN);
  default: return 0; /* sr: scalar */
  }
#undef CONVERT_MODE
}

/* ---- block quantize --------------------------------------------------------------------- */

/* Quantize consecutive blocks of k values (k a multiple of 8) until one needs the scalar
 * path (a NaN/Inf input, or a NaN scale); returns the number of blocks done. The scale
 * byte comes from mxref_block_scale on the block's |max| as f32 (widening is exact and
 * monotonic, and flushed f16 subnormals are zeroed before the max). */
static inline __attribute__((always_inline)) size_t quantize_mode(const cvt_consts *c, mx_block_fmt f, mx_fmt src,
                                                                  const void *values, size_t nblocks, size_t k,
                                                                  const mx_block_opts *o, uint8_t *scales,
                                                                  uint8_t *codes, mx_round mode, int is_int) {
  const unsigned char *in = values;
  const size_t w = src_width(src);
  const __m256i absmask = _mm256_set1_epi32(0x7FFFFFFF);
  const int floor_rule = o->rule == MX_RULE_FLOOR, emax = mx_format(mx_block_element(f))->emax;
  for (size_t b = 0; b < nblocks; b++) {
    const unsigned char *bp = in + b * k * w;
    __m256i mx = _mm256_setzero_si256();
    for (size_t i = 0; i < k; i += 8) {
      __m256i z;
      __m256i x = load8(src, bp + i * w, c->flush, &z);
      mx = _mm256_max_epi32(mx, _mm256_andnot_si256(z, _mm256_and_si256(x, absmask)));
    }
    __m128i m4 = _mm_max_epi32(_mm256_castsi256_si128(mx), _mm256_extracti128_si256(mx, 1));
    m4 = _mm_max_epi32(m4, _mm_shuffle_epi32(m4, 0x4E));
    m4 = _mm_max_epi32(m4, _mm_shuffle_epi32(m4, 0xB1));
    uint32_t amax = (uint32_t)_mm_cvtsi128_si32(m4);
    if (amax >= 0x7F800000u) return b;
    uint8_t byte;
    if (floor_rule && amax >= 0x00800000u) {
      /* OCP's floor rule on a normal amax: s = floor(log2 amax) - emax, read off the
       * exponent field; s <= 127 - emax <= 127, and below -127 it clamps (block.h step 5) */
      int sx = (int)(amax >> 23) - 127 - emax;
      byte = (uint8_t)((sx < -127 ? -127 : sx) + 127);
    } else {
      /* the widened amax is the same value (bf16 subnormals stay f32 subnormals, f16 ones
       * become f32 normals and were zeroed above when flushing), so the f32 scale applies */
      byte = mxref_block_scale(f, MX_F32, amax, o);
      if (byte == 0xFF) return b;
    }
    scales[b] = byte;
    const __m256i s = _mm256_set1_epi32((int)byte - 127);
    uint8_t *out = codes + b * k;
    size_t i = 0;
    for (; i + 32 <= k; i += 32) {
      __m256i z0, z1, z2, z3;
      __m256i x0 = load8(src, bp + i * w, c->flush, &z0), x1 = load8(src, bp + (i + 8) * w, c->flush, &z1);
      __m256i x2 = load8(src, bp + (i + 16) * w, c->flush, &z2), x3 = load8(src, bp + (i + 24) * w, c->flush, &z3);
      store32(out + i, cvt8(c, x0, z0, s, mode, is_int), cvt8(c, x1, z1, s, mode, is_int), cvt8(c, x2, z2, s, mode, is_int),
              cvt8(c, x3, z3, s, mode, is_int));
    }
    for (; i < k; i += 8) {
      __m256i z;
      __m256i x = load8(src, bp + i * w, c->flush, &z);
      store8(out + i, cvt8(c, x, z, s, mode, is_int));
    }
  }
  return nblocks;
}

size_t mxr_avx2_quantize_blocks(mx_block_fmt f, mx_fmt src, const void *values, size_t nblocks, size_t k,
                                const mx_block_opts *o, uint8_t *scales, uint8_t *codes) {
  if ((src != MX_F32 && src != MX_BF16 && src != MX_F16) || k % 8 != 0 || k == 0 ||
      (unsigned)f >= MX_BLOCK_FMT_COUNT)
    return 0;
  /* a NaN scale would need the elements zeroed: the scalar path does that */
  cvt_consts c;
  cvt_setup(&c, mx_block_element(f), &o->elem);
#define QUANTIZE_MODE(M)                                                          \
  (c.is_int ? quantize_mode(&c, f, src, values, nblocks, k, o, scales, codes, M, 1) \
            : quantize_mode(&c, f, src, values, nblocks, k, o, scales, codes, M, 0))
  switch (o->elem.round) {
  case MX_RNE: return QUANTIZE_MODE(MX_RNE);
  case MX_RNA: return QUANTIZE_MODE(MX_RNA);
  case MX_RTZ: return QUANTIZE_MODE(MX_RTZ);
  case MX_RUP: return QUANTIZE_MODE(MX_RUP);
  case MX_RDN: return QUANTIZE_MODE(MX_RDN);
  default: return 0;
  }
#undef QUANTIZE_MODE
}

#endif
