/* libmxref block layer: dequantize, v_i = X * P_i (block.h "Dequantize").
 *
 * X = 2^s is a power of two, so the product is the element's significand with its exponent
 * moved by s; the only decisions are the destination's range and, for bf16, one rounding
 * to nearest even where a product falls among bf16's subnormals (rounding via internal.h). */
#include <string.h>

#include "avx2.h"
#include "dispatch.h"
#include "internal.h"
#include "mxconform/block.h"

#define MX_FORMAT(id, name, lname, kind, bits, sgn, eb, mb, bias, emax, emin, spec, ints, maxc, elem, src) \
  static const mx_format_desc d_row_##id = {id, name, lname, kind, bits, sgn, eb, mb, bias, emax, emin, spec, ints, maxc, elem, src};
#include "mxconform/formats.def"
#undef MX_FORMAT

/* An element code's value as an unpacked number (class, sign, sig * 2^exp). */
MXR_SPECIALISED mxr_value element_value(const mx_format_desc *d, uint32_t code) {
  mxr_value v = {MX_CLASS_ZERO, 0, 0, 0};
  code &= (1u << d->bits) - 1;
  if (d->kind == MX_KIND_INT) {
    int q = (int)(int8_t)(uint8_t)code;
    v.sign = q < 0;
    v.sig = (uint64_t)(q < 0 ? -q : q);
    v.exp = d->int_scale_log2;
    v.cls = q ? MX_CLASS_NORMAL : MX_CLASS_ZERO;
    return v;
  }
  const uint32_t mmask = (1u << d->mbits) - 1, emask = (1u << d->ebits) - 1;
  uint32_t mant = code & mmask, ef = (code >> d->mbits) & emask;
  v.sign = (int)(code >> (d->bits - 1)) & 1;
  if (d->specials == MX_SPECIALS_IEEE && ef == emask) {
    v.cls = mant ? MX_CLASS_NAN : MX_CLASS_INF;
  } else if (d->specials == MX_SPECIALS_NAN_ALLONES && ef == emask && mant == mmask) {
    v.cls = MX_CLASS_NAN;
  } else if (ef == 0) {
    v.cls = mant ? MX_CLASS_SUBNORMAL : MX_CLASS_ZERO;
    v.sig = mant;
    v.exp = d->emin - d->mbits;
  } else {
    v.cls = MX_CLASS_NORMAL;
    v.sig = mant | (1u << d->mbits);
    v.exp = (int)ef - d->bias - d->mbits;
  }
  return v;
}

/* sign * sig * 2^exp (sig != 0) in IEEE format t, rounded to nearest even; beyond the
 * largest finite value: +-Inf, or +-max finite when saturating. */
MXR_SPECIALISED uint64_t pack_rounded(const mx_format_desc *t, int sign, uint64_t sig, int exp,
                                      int saturate) {
  const int m = t->mbits;
  const uint64_t sbit = (uint64_t)sign << (t->bits - 1);
  const uint64_t inf = (((uint64_t)1 << t->ebits) - 1) << m;
  int e = exp + mxr_bitlen_minus1(sig);
  uint64_t mag;
  if (e > t->emax) {
    mag = inf;
  } else {
    int eq = e < t->emin ? t->emin : e; /* binade whose quantum applies */
    int shift = (eq - m) - exp;
    uint64_t n;
    if (shift <= 0) {
      n = sig << -shift;
    } else {
      n = shift >= 64 ? 0 : sig >> shift;
      n += (uint64_t)mxr_round_increment(MX_RNE, sign, sig, shift, (int)(n & 1), 0, 1);
    }
    mag = ((uint64_t)(eq - t->emin) << m) + n; /* a carry moves into the exponent by itself */
  }
  if (mag >= inf) mag = saturate ? t->max_code : inf;
  return sbit | mag;
}

MXR_SPECIALISED uint64_t dequantize_one(const mx_format_desc *ed, const mx_format_desc *t,
                                        uint32_t code, int s, int saturate) {
  mxr_value v = element_value(ed, code);
  const uint64_t sbit = (uint64_t)v.sign << (t->bits - 1);
  const uint64_t inf = (((uint64_t)1 << t->ebits) - 1) << t->mbits;
  switch (v.cls) {
  case MX_CLASS_ZERO: return sbit;
  case MX_CLASS_INF: return sbit | inf;
  case MX_CLASS_NAN: return sbit | inf | ((uint64_t)1 << (t->mbits - 1)); /* quiet, the code's sign */
  default: return pack_rounded(t, v.sign, v.sig, v.exp + s, saturate);
  }
}

MXR_SPECIALISED void store_bits(void *out, size_t i, int width, uint64_t b) {
  switch (width) {
  case 2: ((uint16_t *)out)[i] = (uint16_t)b; break;
  case 4: ((uint32_t *)out)[i] = (uint32_t)b; break;
  default: ((uint64_t *)out)[i] = b; break;
  }
}

MXR_SPECIALISED void dequantize_typed(const mx_format_desc *ed, const mx_format_desc *t,
                                      int width, uint8_t scale, const uint8_t *codes, size_t k,
                                      int saturate, void *out) {
  if (scale == 0xFF) {
    /* X is NaN: every value is NaN whatever its element (MX §5.1); a positive quiet NaN */
    uint64_t nan = ((((uint64_t)1 << t->ebits) - 1) << t->mbits) | ((uint64_t)1 << (t->mbits - 1));
    for (size_t i = 0; i < k; i++) store_bits(out, i, width, nan);
    return;
  }
  int s = (int)scale - 127;
  for (size_t i = 0; i < k; i++) store_bits(out, i, width, dequantize_one(ed, t, codes[i], s, saturate));
}

#define DQ_BY_DST(ED)                                                                                         \
  do {                                                                                                        \
    switch (dst) {                                                                                            \
    case MX_F32: dequantize_typed(ED, &d_row_MX_F32, 4, scale, codes, k, saturate, out); break;               \
    case MX_BF16: dequantize_typed(ED, &d_row_MX_BF16, 2, scale, codes, k, saturate, out); break;             \
    case MX_F64: dequantize_typed(ED, &d_row_MX_F64, 8, scale, codes, k, saturate, out); break;               \
    default: break;                                                                                           \
    }                                                                                                         \
  } while (0)

void mxref_dequantize_block(mx_block_fmt f, uint8_t scale, const uint8_t *codes, size_t k, mx_fmt dst,
                            const mx_block_opts *o, void *out) {
  /* f64 holds every product (at most 2^127 * 57344 < 2^143) so it never overflows; the knob
   * matters for f32 and bf16, whose largest binade is 2^127. */
  int saturate = o && o->dequant_overflow == MX_DQOVF_SAT;
#if MXR_HAVE_AVX2
  /* the kernel declines scales that could round or overflow a product: saturate only
   * matters there */
  if (mxr_use_avx2() && k % 8 == 0 && mxr_avx2_dequantize_blocks(f, &scale, codes, 1, k, dst, out) == 1) return;
#endif
  switch (mx_block_element(f)) {
  case MX_E4M3: DQ_BY_DST(&d_row_MX_E4M3); break;
  case MX_E5M2: DQ_BY_DST(&d_row_MX_E5M2); break;
  case MX_E2M3: DQ_BY_DST(&d_row_MX_E2M3); break;
  case MX_E3M2: DQ_BY_DST(&d_row_MX_E3M2); break;
  case MX_E2M1: DQ_BY_DST(&d_row_MX_E2M1); break;
  case MX_INT8: DQ_BY_DST(&d_row_MX_INT8); break;
  default: break;
  }
}
