/* mutant_target.c — plausible wrong MX implementations, to prove that mxconform catches them.
 *
 * One source, compiled once per mutant with -DMUTANT=M_<name> into libmxmutant_<name>.so.
 * Every mutant is libmxref (the reference, exact) with exactly ONE known bug class
 * injected, most of them seen in real implementations (research digest peers.md, D1-D14).
 * tests/mutants/check_mutants.py runs `mxconform run` on each and requires exit status 1;
 * where the bug is a legitimate alternative knob value, it also requires that profile
 * detection names that knob and value. Those mutants are built by calling libmxref with
 * the knob value itself, so that detection has something exact to find.
 *
 * Everything the bug does not touch is the `ocp` profile's behaviour, through libmxref.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "mxconform/block.h"
#include "mxconform/formats.h"
#include "mxconform/knobs.h"
#include "mxconform/mxref.h"
#include "mxconform/target.h"

/* The bug classes. The numbers only need to differ; CMake passes the name. */
enum {
  M_ties_away = 1,                /* D10: rna wherever rne is asked (convert and quantize) */
  M_truncation,                   /* rtz wherever rne is asked (convert and quantize) */
  M_element_subnormals_flushed,   /* subnormal element codes written as signed zero */
  M_source_subnormals_flushed,    /* D12: subnormal inputs read as zero (src_subnormals=flush) */
  M_log2f_shared_exponent,        /* D9: floor(log2f(amax)) in float for the shared exponent */
  M_ceil_scale_rule,              /* D6: torchao CEIL where OCP floor is asked (rule=ceil) */
  M_e4m3_nan_in_block,            /* D2: non-saturating elements inside MX quantize (overflow=ovf) */
  M_e5m2_inf_not_saturated,       /* D3: +-Inf kept under sat (inf_sat=special) */
  M_e8m0_00_decoded_as_zero,      /* D13: E8M0 0x00 read as 0, not 2^-127 */
  M_e8m0_ff_decoded_as_inf,       /* D13: E8M0 0xFF read as +Inf, not NaN */
  M_negative_zero_lost,           /* D7: -0 outputs become +0 */
  M_fp4_nibble_swap,              /* D8: fp4-low asked, first element put in the high nibble */
  M_int8_symmetric,               /* D11: MXINT8 range [-127, 127] (int8_range=symmetric) */
  M_shared_exponent_one_too_small,/* emax taken one too large: scale 2^(e - emax - 1) */
  M_shared_exponent_one_too_large,/* emax taken one too small: scale 2^(e - emax + 1) */
  M_nan_in_block_ignored,         /* a NaN does not make the block NaN (nan_block=ignore) */
  M_double_rounding_via_bf16      /* D14: f32 rounded to bf16 (rne) first, then converted */
};

#ifndef MUTANT
#error "compile with -DMUTANT=M_<name>"
#endif
#ifndef MUTANT_NAME
#define MUTANT_NAME "mutant"
#endif

#define IS(name) (MUTANT == M_##name)

/* ---- helpers ------------------------------------------------------------------------- */

static int is_source(int src) { return src == MX_F32 || src == MX_BF16 || src == MX_F16 || src == MX_F64; }

/* f32 -> bf16 bits, round to nearest even (the usual bit trick: exact, integer only). */
static uint16_t f32_to_bf16_rne(uint32_t bits) {
  if ((bits & 0x7F800000u) == 0x7F800000u && (bits & 0x007FFFFFu)) return (uint16_t)((bits >> 16) | 0x0040u); /* quiet NaN */
  uint32_t rounding_bias = 0x7FFFu + ((bits >> 16) & 1u);
  return (uint16_t)((bits + rounding_bias) >> 16);
}

/* A double holding only +-0, +-Inf or NaN (or any f32-exact value) as bits of dst. */
static uint64_t double_as(double d, int dst) {
  if (dst == MX_F64) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
  }
  float f = (float)d;
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return dst == MX_BF16 ? (u >> 16) : u;
}

static double f64_of_bits(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* Negative zero of an output format: the sign bit alone. */
static uint64_t sign_bit_of(int fmt) { return (uint64_t)1 << (mx_format((mx_fmt)fmt)->bits - 1); }

/* The code an encoder with this mutant's output bug writes instead of `code`. */
static uint64_t encoder_output_bug(int elem, uint64_t code) {
  const mx_format_desc *d = mx_format((mx_fmt)elem);
  if (d->kind != MX_KIND_FLOAT) return code; /* INT8 and E8M0 have neither -0 nor subnormals */
  if (IS(element_subnormals_flushed) && mx_classify((mx_fmt)elem, code) == MX_CLASS_SUBNORMAL)
    return code & sign_bit_of(elem); /* flush to zero, keeping the sign */
  if (IS(negative_zero_lost) && code == sign_bit_of(elem)) return 0;
  return code;
}

/* The rounding mode the mutant really uses when `round` is asked. */
static int mutated_round(int round) {
  if (round == MX_RNE && IS(ties_away)) return MX_RNA;
  if (round == MX_RNE && IS(truncation)) return MX_RTZ;
  return round;
}

/* Scalar knobs of the `ocp` profile, changed where the mutant's bug is a knob value. */
static void mutated_scalar_knobs(mx_convert_opts *o) {
  mx_convert_opts_default(o);
  if (IS(source_subnormals_flushed)) o->src_subnormals = MX_SUBN_FLUSH;
  if (IS(int8_symmetric)) o->int8_range = MX_INT8_SYMMETRIC;
}

/* ---- decode ---------------------------------------------------------------------------- */

static int mutant_decode(int fmt, const uint64_t *codes, size_t n, uint64_t *f64_out) {
  if (fmt < 0 || fmt >= MX_FMT_COUNT || !mx_format((mx_fmt)fmt)->is_element) return MXC_UNSUPPORTED;
  for (size_t i = 0; i < n; i++) {
    f64_out[i] = mxref_decode_f64_bits((mx_fmt)fmt, (uint32_t)codes[i]);
    if (fmt == MX_E8M0 && IS(e8m0_00_decoded_as_zero) && codes[i] == 0x00) f64_out[i] = 0; /* shift into exponent */
    if (fmt == MX_E8M0 && IS(e8m0_ff_decoded_as_inf) && codes[i] == 0xFF) f64_out[i] = 0x7FF0000000000000ull;
    if (IS(negative_zero_lost) && f64_out[i] == 0x8000000000000000ull) f64_out[i] = 0;
  }
  return MXC_OK;
}

/* ---- convert --------------------------------------------------------------------------- */

static int mutant_convert(int dst, int src, int round, int overflow, const uint64_t *in, const uint32_t *sr_random,
                          size_t n, uint64_t *out) {
  if (dst < 0 || dst >= MX_FMT_COUNT || !mx_format((mx_fmt)dst)->is_element || !is_source(src)) return MXC_UNSUPPORTED;
  if (round < 0 || round >= MX_ROUND_COUNT || (overflow != MX_SAT && overflow != MX_OVF)) return MXC_UNSUPPORTED;
  mx_convert_opts o;
  mutated_scalar_knobs(&o);
  o.round = (mx_round)mutated_round(round);
  o.overflow = (mx_overflow)overflow;
  /* OFP8 Table 3 says +-Inf saturates to the largest finite value under sat; this one keeps
   * the format's own special (E5M2 Inf, E4M3 NaN). */
  if (IS(e5m2_inf_not_saturated)) o.inf_sat = MX_INF_SAT_SPECIAL;
  for (size_t i = 0; i < n; i++) {
    uint64_t bits = in[i];
    int from = src;
    if (IS(double_rounding_via_bf16) && src == MX_F32) {
      bits = f32_to_bf16_rne((uint32_t)bits);
      from = MX_BF16;
    }
    uint32_t code = mxref_convert_one((mx_fmt)dst, (mx_fmt)from, bits, &o, sr_random ? sr_random[i] : 0);
    out[i] = encoder_output_bug(dst, code);
  }
  return MXC_OK;
}

/* ---- quantize -------------------------------------------------------------------------- */

typedef union block_values {
  uint16_t h[MX_BLOCK_MAX];
  uint32_t w[MX_BLOCK_MAX];
  uint64_t d[MX_BLOCK_MAX];
} block_values;

static double source_as_double(int src, uint64_t bits) {
  switch (src) {
  case MX_F32: {
    float f;
    uint32_t w = (uint32_t)bits;
    memcpy(&f, &w, sizeof f);
    return f;
  }
  case MX_BF16: return source_as_double(MX_F32, bits << 16);
  case MX_F64: return f64_of_bits(bits);
  default: { /* f16: bias 15, 10 trailing significand bits */
    int e = (int)(bits >> 10 & 0x1F);
    double m = (double)(bits & 0x3FF);
    double magnitude = e == 0x1F ? (m != 0 ? NAN : INFINITY) : e ? ldexp(m + 1024, e - 25) : ldexp(m, -24);
    return (bits & 0x8000) ? -magnitude : magnitude;
  }
  }
}

/* Quantize with a shared exponent s chosen by the mutant instead of the rule: elements are
 * V_i / 2^s (exact in double for f32/bf16/f16 inputs) converted under the scalar knobs. */
static void quantize_with_exponent(int fmt, int src, const uint64_t *in, size_t k, int s, const mx_block_opts *o,
                                   uint64_t *scale, uint64_t *codes) {
  mx_fmt elem = mx_block_element((mx_block_fmt)fmt);
  if (s < -127) s = -127;
  if (s > 127) { /* scale_overflow = nan: the whole block is NaN */
    *scale = 0xFF;
    for (size_t i = 0; i < k; i++) codes[i] = 0;
    return;
  }
  *scale = (uint64_t)(s + 127);
  for (size_t i = 0; i < k; i++) {
    double q = ldexp(source_as_double(src, in[i]), -s);
    uint64_t qbits;
    memcpy(&qbits, &q, sizeof qbits);
    codes[i] = mxref_convert_one(elem, MX_F64, qbits, &o->elem, 0);
  }
}

/* The block's largest finite magnitude, or -1 when the block holds a NaN or an Inf. */
static double block_amax(int src, const uint64_t *in, size_t k) {
  double amax = 0;
  for (size_t i = 0; i < k; i++) {
    double v = fabs(source_as_double(src, in[i]));
    if (isnan(v) || isinf(v)) return -1;
    if (v > amax) amax = v;
  }
  return amax;
}

static int mutant_quantize(int fmt, int src, int rule, int round, const uint64_t *in, size_t k, uint64_t *scale,
                           uint64_t *codes) {
  if (fmt < 0 || fmt >= MX_BLOCK_FMT_COUNT || !is_source(src) || rule < 0 || rule >= MX_RULE_COUNT) return MXC_UNSUPPORTED;
  if (round < 0 || round >= MX_ROUND_COUNT || round == MX_SR) return MXC_UNSUPPORTED; /* no random words in this ABI call */
  if (k < 1 || k > MX_BLOCK_MAX) return MXC_ERROR;
  mx_block_opts o;
  mx_block_opts_default(&o);
  mutated_scalar_knobs(&o.elem);
  o.rule = (mx_scale_rule)rule;
  o.elem.round = (mx_round)mutated_round(round);
  if (IS(ceil_scale_rule) && rule == MX_RULE_FLOOR) o.rule = MX_RULE_CEIL;
  if (IS(e4m3_nan_in_block)) o.elem.overflow = MX_OVF; /* an OFP8 non-saturating cast inside the encoder */
  if (IS(nan_in_block_ignored)) o.nan_block = MX_NANB_IGNORE;

  block_values v;
  int from = src;
  for (size_t i = 0; i < k; i++) {
    if (IS(double_rounding_via_bf16) && src == MX_F32) {
      v.h[i] = f32_to_bf16_rne((uint32_t)in[i]);
      from = MX_BF16;
    } else if (mx_format((mx_fmt)src)->bits == 16) v.h[i] = (uint16_t)in[i];
    else if (src == MX_F32) v.w[i] = (uint32_t)in[i];
    else v.d[i] = in[i];
  }
  uint8_t s8, c8[MX_BLOCK_MAX];
  mxref_quantize_block((mx_block_fmt)fmt, (mx_fmt)from, &v, k, &o, NULL, &s8, c8);
  *scale = s8;
  for (size_t i = 0; i < k; i++) codes[i] = c8[i];

  /* The shared-exponent bugs: only where the exponent is an ordinary function of a finite,
   * nonzero amax (specials and all-zero blocks keep the reference's answer). */
  int wrong_exponent = IS(log2f_shared_exponent) || IS(shared_exponent_one_too_small) || IS(shared_exponent_one_too_large);
  double amax = block_amax(src, in, k);
  if (wrong_exponent && src != MX_F64 && rule == MX_RULE_FLOOR && amax > 0) {
    int emax = mx_format(mx_block_element((mx_block_fmt)fmt))->emax, e;
    if (IS(log2f_shared_exponent)) {
      /* microxcaling's Python path: floor(log2(amax)) in binary32. log2f rounds, so for
       * the largest floats below a power of two it gives the power itself: one binade high. */
      e = (int)floorf(log2f((float)amax));
    } else {
      (void)frexp(amax, &e); /* amax = m * 2^e, 0.5 <= m < 1 */
      e -= 1;
      e += IS(shared_exponent_one_too_large) ? 1 : -1;
    }
    quantize_with_exponent(fmt, src, in, k, e - emax, &o, scale, codes);
  }
  if (*scale != 0xFF) /* a NaN scale makes the elements don't-care */
    for (size_t i = 0; i < k; i++) codes[i] = encoder_output_bug(mx_block_element((mx_block_fmt)fmt), codes[i]);
  return MXC_OK;
}

/* ---- dequantize ------------------------------------------------------------------------ */

static int mutant_dequantize(int fmt, int dst, uint64_t scale, const uint64_t *codes, size_t k, uint64_t *out) {
  if (fmt < 0 || fmt >= MX_BLOCK_FMT_COUNT || (dst != MX_F32 && dst != MX_BF16 && dst != MX_F64)) return MXC_UNSUPPORTED;
  if (k < 1 || k > MX_BLOCK_MAX || scale > 0xFF) return MXC_ERROR;
  mx_block_opts o;
  mx_block_opts_default(&o);
  uint8_t c8[MX_BLOCK_MAX];
  for (size_t i = 0; i < k; i++) c8[i] = (uint8_t)codes[i];
  block_values v;
  mxref_dequantize_block((mx_block_fmt)fmt, (uint8_t)scale, c8, k, (mx_fmt)dst, &o, &v);
  int bits = mx_format((mx_fmt)dst)->bits;
  mx_fmt elem = mx_block_element((mx_block_fmt)fmt);
  for (size_t i = 0; i < k; i++) {
    out[i] = bits == 16 ? v.h[i] : bits == 32 ? v.w[i] : v.d[i];
    /* A shift-into-exponent scale decoder multiplies by 0 (for 0x00) or by +Inf (0xFF). */
    double element = f64_of_bits(mxref_decode_f64_bits(elem, c8[i]));
    if (IS(e8m0_00_decoded_as_zero) && scale == 0x00) out[i] = double_as(0.0 * element, dst);
    if (IS(e8m0_ff_decoded_as_inf) && scale == 0xFF) out[i] = double_as(INFINITY * element, dst);
    if (IS(negative_zero_lost) && out[i] == sign_bit_of(dst)) out[i] = 0;
  }
  return MXC_OK;
}

/* ---- pack ------------------------------------------------------------------------------- */

static int mutant_pack(int fmt, int layout, const uint64_t *codes, size_t n, uint8_t *out, size_t *out_len) {
  if (fmt < 0 || fmt >= MX_BLOCK_FMT_COUNT || layout < 0 || layout >= MX_PACK_LAYOUT_COUNT) return MXC_UNSUPPORTED;
  if (n > MX_BLOCK_MAX) return MXC_ERROR;
  if (IS(fp4_nibble_swap) && layout == MX_PACK_FP4_LOW) layout = MX_PACK_FP4_HIGH; /* torchao before PR #3123 */
  uint8_t c8[MX_BLOCK_MAX];
  for (size_t i = 0; i < n; i++) c8[i] = (uint8_t)codes[i];
  *out_len = mxref_pack((mx_block_fmt)fmt, (mx_pack_layout)layout, c8, n, out);
  return *out_len ? MXC_OK : MXC_UNSUPPORTED;
}

static const mxc_target_api mutant_api = {
  .abi_version = MXC_TARGET_ABI_VERSION,
  .struct_size = sizeof(mxc_target_api),
  .name = "mxmutant-" MUTANT_NAME,
  .version = "libmxref + one bug",
  .decode = mutant_decode,
  .convert = mutant_convert,
  .quantize = mutant_quantize,
  .dequantize = mutant_dequantize,
  .pack = mutant_pack,
};

__attribute__((visibility("default"))) const mxc_target_api *mxc_target_get(void) { return &mutant_api; }
