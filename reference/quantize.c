/* libmxref block layer: quantize one block (block.h steps 1-6) and the scale rules.
 *
 * Integer bit logic only. The scale comes from the exponent and significand bits of amax
 * (never a float log2: OCP MX §6.3 wants floor(log2) exactly, spec digest §3.5); each
 * element is the scalar conversion (convert.c) of V_i / 2^s, which is V_i's unpacked value
 * with its exponent reduced by s, so the block has exactly one rounding per element. */
#include <string.h>

#include "avx2.h"
#include "dispatch.h"
#include "internal.h"
#include "mxconform/block.h"

/* Compile-time copies of the format rows, so each source's loops fold the field values. */
#define MX_FORMAT(id, name, lname, kind, bits, sgn, eb, mb, bias, emax, emin, spec, ints, maxc, elem, src) \
  static const mx_format_desc q_row_##id = {id, name, lname, kind, bits, sgn, eb, mb, bias, emax, emin, spec, ints, maxc, elem, src};
#include "mxconform/formats.def"
#undef MX_FORMAT

/* ---- the scale rules ----------------------------------------------------------------- */

/* What the scale rules need to know about an element format, read from the table. */
typedef struct scale_params {
  int emax;         /* exponent of the element's largest binade (table emax) */
  int mbits;        /* M: bits after the point of the largest value's significand */
  uint64_t max_sig; /* that significand as an integer: m_max = max_sig / 2^M */
} scale_params;

MXR_SPECIALISED scale_params scale_params_of_row(const mx_format_desc *d) {
  scale_params p;
  p.emax = d->emax;
  if (d->kind == MX_KIND_INT) {
    /* INT8's largest value 127 * 2^-6 = 1.111111b: six bits after the point */
    p.max_sig = d->max_code;
    p.mbits = mxr_bitlen_minus1(d->max_code);
  } else {
    p.mbits = d->mbits;
    p.max_sig = ((uint64_t)1 << d->mbits) | (d->max_code & (((uint64_t)1 << d->mbits) - 1));
  }
  return p;
}

/* The parameters of an element format, constant-folded from its compile-time row (this is
 * on the path of every mxref_block_scale call, which the 2^32-amax proof makes per input). */
MXR_SPECIALISED scale_params element_scale_params(mx_fmt elem) {
  switch (elem) {
#define MX_FORMAT(id, ...) \
  case id: return scale_params_of_row(&q_row_##id);
#include "mxconform/formats.def"
#undef MX_FORMAT
  default: return scale_params_of_row(mx_format(elem));
  }
}

/* Step 4: the unclamped shared exponent of a finite nonzero amax = sig * 2^exp.
 * With amax = m * 2^e, 1 <= m = sig / 2^lead < 2, each rule is FLOOR plus one comparison
 * of m against a constant, done as a cross-multiplication of integers: sig < 2^53 and
 * M <= 7, so no product reaches 2^62. */
static inline int rule_exponent(const scale_params *p, mx_scale_rule rule, uint64_t sig, int exp) {
  int lead = mxr_bitlen_minus1(sig);
  int s = exp + lead - p->emax; /* floor: e - emax */
  switch (rule) {
  case MX_RULE_FLOOR: return s;
  case MX_RULE_CEIL: return s + (sig != (uint64_t)1 << lead); /* m > 1 */
  case MX_RULE_RCEIL: return s + ((sig << p->mbits) > (p->max_sig << lead)); /* m > m_max */
  case MX_RULE_EVEN: /* m >= 2 - 2^-(M+1): amax rounded to M+1 bits, ties up, reaches 2 */
    return s + ((sig << (p->mbits + 1)) >= ((((uint64_t)4 << p->mbits) - 1) << lead));
  case MX_RULE_EVEN_TIEDOWN: /* m > 2 - 2^-(M+1): an exact tie stays in its binade */
    return s + ((sig << (p->mbits + 1)) > ((((uint64_t)4 << p->mbits) - 1) << lead));
  default: return s;
  }
}

#define SCALE_NAN 0xFFu
#define SCALE_MAX 0xFEu /* 2^127 */

/* Steps 3 and 5: the scale byte of a block whose finite amax is `amax` (class ZERO for an
 * all-zero block, a flushed one, or one with nothing finite). *s_out gets the exponent the
 * elements are divided by; a NaN scale returns 0xFF and leaves *s_out alone. */
static inline unsigned scale_from_amax(const scale_params *p, const mx_block_opts *o, mxr_value amax, int *s_out) {
  int s;
  if (amax.cls == MX_CLASS_ZERO) s = o->zero_block == MX_ZEROB_MIN ? -127 : 0;
  else s = rule_exponent(p, o->rule, amax.sig, amax.exp);
  if (s < -127) s = -127;
  if (s > 127) {
    if (o->scale_overflow != MX_SCALEOVF_CLAMP) return SCALE_NAN;
    s = 127;
  }
  *s_out = s;
  return (unsigned)(s + 127);
}

static const mxr_value k_zero_value = {MX_CLASS_ZERO, 0, 0, 0};

MXR_SPECIALISED uint8_t block_scale_typed(const mx_format_desc *sd, mx_block_fmt f, uint64_t amax_bits,
                                          const mx_block_opts *o) {
  uint64_t sign = (uint64_t)1 << (sd->bits - 1);
  mxr_value v = mxr_unpack(sd, amax_bits & (sign - 1), o->elem.src_subnormals); /* |amax| */
  if (v.cls == MX_CLASS_NAN) {
    if (o->nan_block == MX_NANB_NAN_SCALE) return SCALE_NAN;
    v = k_zero_value; /* ignored: as if the block held nothing finite */
  } else if (v.cls == MX_CLASS_INF) {
    if (o->inf_block == MX_INFB_NAN_SCALE) return SCALE_NAN;
    if (o->inf_block == MX_INFB_MAX_SCALE) return SCALE_MAX;
    v = k_zero_value;
  }
  scale_params p = element_scale_params(mx_block_element(f));
  int s;
  return (uint8_t)scale_from_amax(&p, o, v, &s);
}

uint8_t mxref_block_scale(mx_block_fmt f, mx_fmt src, uint64_t amax_bits, const mx_block_opts *o) {
  mx_block_opts def;
  if (!o) {
    mx_block_opts_default(&def);
    o = &def;
  }
  switch (src) {
  case MX_F32: return block_scale_typed(&q_row_MX_F32, f, amax_bits, o);
  case MX_BF16: return block_scale_typed(&q_row_MX_BF16, f, amax_bits, o);
  case MX_F16: return block_scale_typed(&q_row_MX_F16, f, amax_bits, o);
  case MX_F64: return block_scale_typed(&q_row_MX_F64, f, amax_bits, o);
  default: return SCALE_NAN;
  }
}

/* ---- quantize -------------------------------------------------------------------------- */

#define ELEMENT_CHUNK 64 /* values unpacked at a time before the conversion loop */

MXR_SPECIALISED uint64_t load_bits(const void *values, size_t i, int width) {
  switch (width) {
  case 2: return ((const uint16_t *)values)[i];
  case 4: return ((const uint32_t *)values)[i];
  default: return ((const uint64_t *)values)[i];
  }
}

MXR_SPECIALISED void quantize_typed(const mx_format_desc *sd, int width, mx_block_fmt f,
                                    const void *values, size_t k, const mx_block_opts *o,
                                    const uint32_t *sr_random, uint8_t *scale, uint8_t *codes) {
  const uint64_t abs_mask = ((uint64_t)1 << (sd->bits - 1)) - 1;
  const uint64_t inf_bits = (((uint64_t)1 << sd->ebits) - 1) << sd->mbits;

  /* Steps 1-3: IEEE magnitudes order like their bit patterns, so amax is an integer max.
   * Only when that max is Inf or NaN does a second pass sort out which specials are present
   * and what the largest finite magnitude is. */
  uint64_t max_abs = 0;
  for (size_t i = 0; i < k; i++) {
    uint64_t a = load_bits(values, i, width) & abs_mask;
    max_abs = a > max_abs ? a : max_abs;
  }
  int has_nan = 0, has_inf = 0;
  uint64_t finite_max = max_abs;
  if (max_abs >= inf_bits) {
    finite_max = 0;
    for (size_t i = 0; i < k; i++) {
      uint64_t a = load_bits(values, i, width) & abs_mask;
      has_nan |= a > inf_bits;
      has_inf |= a == inf_bits;
      if (a < inf_bits && a > finite_max) finite_max = a;
    }
  }
  int s = 0;
  unsigned byte;
  if ((has_nan && o->nan_block == MX_NANB_NAN_SCALE) || (has_inf && o->inf_block == MX_INFB_NAN_SCALE)) {
    byte = SCALE_NAN;
  } else if (has_inf && o->inf_block == MX_INFB_MAX_SCALE) {
    byte = SCALE_MAX;
    s = 127;
  } else {
    scale_params p = element_scale_params(mx_block_element(f));
    byte = scale_from_amax(&p, o, mxr_unpack(sd, finite_max, o->elem.src_subnormals), &s);
  }
  *scale = (uint8_t)byte;
  if (byte == SCALE_NAN) {
    memset(codes, 0, k); /* a NaN scale makes every value NaN (MX §5.1): elements are 0 */
    return;
  }

  /* Step 6: P_i = convert(V_i / 2^s). The division only moves the exponent; zeros, NaNs and
   * infinities ignore it. */
  const mx_fmt elem = mx_block_element(f);
  mxr_value buf[ELEMENT_CHUNK];
  for (size_t base = 0; base < k; base += ELEMENT_CHUNK) {
    size_t n = k - base < ELEMENT_CHUNK ? k - base : ELEMENT_CHUNK;
    for (size_t i = 0; i < n; i++) {
      buf[i] = mxr_unpack(sd, load_bits(values, base + i, width), o->elem.src_subnormals);
      buf[i].exp -= s;
    }
    mxr_convert_values(elem, buf, n, &o->elem, sr_random ? sr_random + base : NULL, codes + base);
  }
}

void mxref_quantize_block(mx_block_fmt f, mx_fmt src, const void *values, size_t k, const mx_block_opts *o,
                          const uint32_t *sr_random, uint8_t *scale, uint8_t *codes) {
  mx_block_opts def;
  if (!o) {
    mx_block_opts_default(&def);
    o = &def;
  }
#if MXR_HAVE_AVX2
  if (mxr_use_avx2() && o->elem.round != MX_SR && mxr_avx2_opts_known(&o->elem) && k % 8 == 0 &&
      mxr_avx2_quantize_blocks(f, src, values, 1, k, o, scale, codes) == 1)
    return; /* otherwise (f64, sr, odd k, NaN/Inf inputs, a NaN scale) the scalar code below */
#endif
  switch (src) {
  case MX_F32: quantize_typed(&q_row_MX_F32, 4, f, values, k, o, sr_random, scale, codes); break;
  case MX_BF16: quantize_typed(&q_row_MX_BF16, 2, f, values, k, o, sr_random, scale, codes); break;
  case MX_F16: quantize_typed(&q_row_MX_F16, 2, f, values, k, o, sr_random, scale, codes); break;
  case MX_F64: quantize_typed(&q_row_MX_F64, 8, f, values, k, o, sr_random, scale, codes); break;
  default:
    *scale = SCALE_NAN;
    memset(codes, 0, k);
    break;
  }
}
