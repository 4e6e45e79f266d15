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
#include "mxconform/dot.h"
#include "mxconform/formats.h"
#include "mxconform/knobs.h"
#include "mxconform/mxref.h"
#include "mxconform/nvfp4.h"
#include "mxconform/target.h"

/* The bug classes. The numbers only need to differ; CMake passes the name. The comment after
 * each is its slice (tests/mutants/README.md's table is made from these lines). Those
 * marked [KNOB=VALUE; ...] are legitimate alternatives: profile detection must name each
 * (check_mutants.py's EXPECT; dot_model=PRESET for an accumulation preset); [dot model
 * PARAM=VALUE] ones are accumulation models outside the presets: run's dot detection must
 * name them ("exact-rne with PARAM=VALUE") with nothing unexplained.
 * Every other one is a bug: detection must not explain it away. */
enum {
  M_ties_away = 1,                /* [round=rna; cvt round=rne=rna] D10: rna wherever rne is asked (convert and quantize) */
  M_truncation,                   /* [round=rtz; cvt round=rne=rtz] rtz wherever rne is asked (convert and quantize) */
  M_element_subnormals_flushed,   /* subnormal element codes written as signed zero */
  M_source_subnormals_flushed,    /* [src_subnormals=flush] D12: subnormal inputs read as zero */
  M_log2f_shared_exponent,        /* D9: floor(log2f(amax)) in float for the shared exponent */
  M_ceil_scale_rule,              /* D6: torchao CEIL where OCP floor is asked (rule=ceil) */
  M_e4m3_nan_in_block,            /* [overflow=ovf] D2: non-saturating elements inside MX quantize */
  M_e5m2_inf_not_saturated,       /* [inf_sat=special] D3: +-Inf kept under sat */
  M_e8m0_00_decoded_as_zero,      /* D13: E8M0 0x00 read as 0, not 2^-127 */
  M_e8m0_ff_decoded_as_inf,       /* D13: E8M0 0xFF read as +Inf, not NaN */
  M_negative_zero_lost,           /* D7: -0 outputs become +0 */
  M_fp4_nibble_swap,              /* D8: fp4-low asked, first element put in the high nibble */
  M_int8_symmetric,               /* [int8_range=symmetric] D11: MXINT8 range [-127, 127] */
  M_shared_exponent_one_too_small,/* emax taken one too large: scale 2^(e - emax - 1) */
  M_shared_exponent_one_too_large,/* emax taken one too small: scale 2^(e - emax + 1) */
  M_nan_in_block_ignored,         /* [nan_block=ignore] a NaN does not make the block NaN */
  M_double_rounding_via_bf16,     /* D14: f32 rounded to bf16 (rne) first, then converted */
  /* ---- conversion: one threshold, one bit, one format, one source ---- */
  M_sr_threshold_off_by_one,      /* sr: rounds up only above the threshold (> instead of >=), every format */
  M_sr_threshold_e2m1_only,       /* sr: the > threshold bug in the E2M1 encoder only */
  M_sr_threshold_f16_only,        /* sr: the > threshold bug for f16 sources only */
  M_sr_uses_high_bits,            /* sr: the random integer taken from bits 31..16 of the word */
  M_sr_negative_mirrored,         /* sr: negative inputs use the complemented random integer (signed floor(x + r)) */
  M_sticky_f32_bit0,              /* f32 source: the sticky mask misses significand bit 0 */
  M_sticky_f32_bit11,             /* f32 source: the sticky mask misses significand bit 11 */
  M_sticky_bf16_bit0,             /* bf16 source: the sticky mask misses significand bit 0 */
  M_sticky_f16_bit2,              /* f16 source: the sticky mask misses significand bit 2 */
  M_sticky_f64_bit29,             /* f64 source: the sticky mask misses significand bit 29 */
  M_sticky_f64_low_word,          /* f64 source: sticky from a 32-bit mask (bits 31..0 never seen) */
  M_ties_away_e2m1_only,          /* rne ties go away in the E2M1 encoder only (convert and MXFP4) */
  M_ties_away_e4m3_subnormals,    /* rne ties go away in E4M3's subnormal range only */
  M_ties_away_int8,               /* rne ties go away in the INT8 encoder only (convert and MXINT8) */
  M_rup_rdn_swapped_negative,     /* rup and rdn swapped for negative inputs (magnitude rounding) */
  M_rtz_floor_negative,           /* [cvt round=rtz=rdn] rtz rounds negative inputs down (floor, not truncation): rdn */
  M_f16_source_subnormals_flushed,  /* f16 subnormal inputs read as zero (f16 only) */
  M_bf16_source_subnormals_flushed, /* bf16 subnormal inputs read as zero (bf16 only) */
  M_f64_source_subnormals_flushed,  /* [src_subnormals=flush when src=f64] f64 subnormal inputs read as zero (f64 only, as a path through f32 does) */
  M_e4m3_band_480_saturates,      /* E4M3 ovf: |x| in [480, 496) gives max finite, not NaN */
  M_e5m2_overflow_tie_down,       /* E5M2 rne: the tie at 61440 rounds down to max (overflow test >, not >=) */
  M_e8m0_log_domain_rounding,     /* E8M0 rne: rounds up from sqrt(2) * 2^e (log domain), not 1.5 * 2^e */
  M_e3m2_subnormal_ties_away,     /* rne ties go away in E3M2's subnormal range only */
  M_nan_finite_signed_zero,       /* [nan_finite=signed-zero] NaN into FP6/FP4/INT8 gives +-0 */
  M_inf_finite_signed_zero,       /* [inf_finite=signed-zero] +-Inf into FP6/FP4/INT8 gives +-0 */
  M_e5m2_nan_allones,             /* [e5m2_nan=allones] E5M2 NaN written as S.11111.11 */
  M_nan_sign_positive,            /* [nan_sign=positive] every produced E4M3/E5M2 NaN positive */
  M_e8m0_zero_nan,                /* [e8m0_zero=nan] +-0 into E8M0 gives 0xFF */
  M_e8m0_neg_nan,                 /* [e8m0_neg=nan] a negative value into E8M0 gives 0xFF */
  M_e8m0_tie_up,                  /* [e8m0_tie=up] E8M0 rne: a tie between two powers of two rounds up (ml_dtypes) */
  M_e8m0_zero_nan_under_ovf,      /* [e8m0_zero=nan when overflow=ovf] +-0 into E8M0: 0xFF under ovf, 0x00 under sat (ml_dtypes) */
  M_e8m0_neg_by_overflow,         /* [e8m0_neg=min; e8m0_neg=nan when overflow=ovf] a negative value into E8M0: 0xFF under ovf, 0x00 under sat (ml_dtypes) */
  M_nan_sign_keep_f64_only,       /* [nan_sign=nan-input-positive; nan_sign=keep when src=f64] a NaN input gives +NaN, except an f64 one keeps its sign (CUDA's float and double entry points) */
  M_cuda_nan_by_source,           /* [nan_sign=nan-input-positive; nan_sign=keep when src=f64; e5m2_nan=allones; e5m2_nan=propagate when src=f64] CUDA's FP8 NaNs: the float entry points give +NaN 0x7F, the double one keeps sign and payload */
  M_e5m2_nan_payload_same_width,  /* [e5m2_nan=propagate when src=f16 dst=e5m2] a NaN keeps its payload from f16 into E5M2 only, the two formats of one exponent width (ml_dtypes: float8.h ConvertImpl<Eigen::half, float8_e5m2> shifts the bits) */
  M_nan_sign_lost_on_one_request, /* a narrow target (cvt into E4M3 under rne only, as ONNX Runtime's Cast) whose bf16 path loses a NaN's sign under ovf: one request's evidence, no rule (thin evidence: ONNX Runtime's bf16 path, Cast to BFLOAT16 before the FP8 Cast) */
  /* ---- quantize: one rule, one position, one source ---- */
  M_rule_ignored,                 /* quantize: the scale rule asked is ignored (always floor) */
  M_even_as_even_tiedown,         /* quantize: rule even computed as even-tiedown */
  M_rceil_as_ceil,                /* quantize: rule rceil computed as ceil */
  M_ceil_power_of_two_high,       /* quantize ceil: amax exactly max_elem * 2^j gets an exponent one too large */
  M_amax_signed,                  /* quantize floor: amax = the largest value, not magnitude (negative maxima missed) */
  M_amax_skips_last_element,      /* quantize floor: amax over elements 0..k-2 (loop bound off by one) */
  M_quantize_f16_subnormals_flushed, /* quantize: f16 subnormal values read as zero */
  M_quantize_f64_via_f32,         /* quantize: f64 values cast to f32 (rne) first */
  M_quantize_e3m2_ties_away,      /* quantize: MXFP6 E3M2 element ties go away */
  M_quantize_int8_truncates,      /* quantize: MXINT8 elements truncated */
  M_scale_underflow_unclamped,    /* quantize: exponent below -127: scale 0x00 but elements scaled by the true exponent */
  M_inf_block_max_scale,          /* [inf_block=max-scale] an Inf makes the scale 0xFE, not NaN */
  M_zero_block_one,               /* [zero_block=one] an all-zero block gets scale 0x7F */
  M_scale_overflow_clamp,         /* [scale_overflow=clamp] a shared exponent above 127 clamps */
  /* ---- dequantize ---- */
  M_dequant_f32_subnormals_flushed, /* dequantize to f32: subnormal results flushed to zero */
  M_dequant_f64_via_f32,          /* dequantize to f64 computed in f32 (overflows to Inf past FLT_MAX) */
  M_dequant_fp4_bias_126,         /* dequantize MXFP4: E8M0 read with bias 126 */
  M_dequant_overflow_sat,         /* [dequant_overflow=sat] overflowing products saturate */
  /* ---- pack: one length, one position ---- */
  M_fp4_odd_padding_repeats,      /* FP4 odd n: the padding nibble repeats the last code */
  M_fp4_high_odd_last_low,        /* fp4-high odd n: the last code lands in the low nibble */
  M_fp6_partial_group_last_byte,  /* FP6 n % 4 != 0: the partial group's last byte left zero */
  M_fp6_position3_top_bit,        /* FP6: bit 5 of every 4th element (position 3 of a group) dropped */
  /* ---- dot: one edge ---- */
  M_dot_drops_last_odd_block,     /* dot: an odd block count > 1 loses its last block (pairwise loop) */
  M_dot_first_two_blocks,         /* dot: only the first two blocks summed */
  M_dot_negative_zero_lost,       /* dot: an exact -0 result returned as +0 (accumulator starts at +0) */
  M_dot_subnormal_flushed,        /* [dot model subnormal=flush] dot: subnormal FP32 results flushed */
  M_dot_overflow_saturates,       /* dot: an overflowing result gives +-FLT_MAX, not +-Inf */
  M_dot_int8_minus128,            /* dot: MXINT8 code 0x80 read as -127/64 */
  M_dot_nan_scale_ignored,        /* dot: scale 0xFF read as 2^128, not NaN */
  M_dot_mixed_b_as_a,             /* dot: operand B decoded in A's format when they differ */
  M_dot_last_element_dropped,     /* dot: each block sums its first k-1 products */
  M_dot_fp32_sequential,          /* [dot_model=fp32-sequential] blocks rounded to FP32 and added in order */
  M_dot_nvidia_hopper,            /* [dot_model=nvidia-hopper-fp8] Hopper FP8 accumulation */
  M_dot_final_rtz,                /* [dot model final=rtz] dot: the result truncated to FP32 */
  /* ---- decode ---- */
  M_decode_e5m2_subnormals_normal,/* decode: E5M2 subnormals given an implicit leading 1 */
  M_decode_int8_unsigned,        /* decode: INT8 codes 0x80..0xFF read as unsigned */
  /* ---- NVFP4 (spec_notes/nvfp4.md) ---- */
  M_nvfp4_block_scale_rtz,        /* nvfp4: the E4M3 block scale amax_b / (6 s_t) rounded toward zero, not to nearest even */
  M_nvfp4_elem_reciprocal,        /* [nvfp4_elem_scale=reciprocal] nvfp4: elements x * RN(1 / RN(s_b s_t)) (Transformer Engine) */
  M_nvfp4_tensor_scale_te,        /* [nvfp4_tensor_scale=te] nvfp4: s_t = RN(1 / RN(2688 / amax)) (Transformer Engine) */
  M_nvfp4_block_scale_te,         /* [nvfp4_block_scale=te] nvfp4: s_b = RN8(RN(amax_b * RN(S_enc * RN(1/6)))) (Transformer Engine) */
  M_nvfp4_zero_amax_scale_zero,   /* nvfp4: amax 0 (an all-zero tensor, a calibrated 0) gives s_t = 0 / 2688 = 0, not 1 */
  M_nvfp4_elem_ties_away,         /* nvfp4: E2M1 element ties go away from zero (NVFP4 only) */
  M_nvfp4_dot_tensor_scales_f32   /* nvfp4 dot: the two tensor scales multiplied in FP32 first (a cuBLAS-style alpha = RN(s_t(a) s_t(b))), then the exact sum times that rounded once */
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

static uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

static float f32_of_bits(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

/* A double holding only +-0, +-Inf or NaN (or any f32-exact value) as bits of dst. */
static uint64_t double_as(double d, int dst) {
  if (dst == MX_F64) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
  }
  uint32_t u = f32_bits((float)d);
  return dst == MX_BF16 ? (u >> 16) : u;
}

static double f64_of_bits(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* Negative zero of an output format: the sign bit alone. */
static uint64_t sign_bit_of(int fmt) { return (uint64_t)1 << (mx_format((mx_fmt)fmt)->bits - 1); }

static double source_as_double(int src, uint64_t bits) {
  switch (src) {
  case MX_F32: return f32_of_bits((uint32_t)bits);
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

/* A subnormal source value read as a signed zero, for the mutants that flush one source. */
static uint64_t flush_if_subnormal(int src, uint64_t bits) {
  const mx_format_desc *d = mx_format((mx_fmt)src);
  uint64_t sign = sign_bit_of(src), efield = (bits >> d->mbits) & (((uint64_t)1 << d->ebits) - 1);
  return efield == 0 ? bits & sign : bits;
}

/* Bit j of a normal source significand with the sticky mask missing it: cleared, when it lies
 * below the round bit of the destination's spacing at that magnitude (FP destinations). */
static uint64_t sticky_bit_missed(int dst, int src, uint64_t bits, int j) {
  const mx_format_desc *sd = mx_format((mx_fmt)src), *dd = mx_format((mx_fmt)dst);
  long efield = (long)((bits >> sd->mbits) & (((uint64_t)1 << sd->ebits) - 1));
  if (dd->kind != MX_KIND_FLOAT || efield == 0 || efield == (1L << sd->ebits) - 1) return bits;
  long e = efield - sd->bias, lsb = (e < dd->emin ? dd->emin : e) - dd->mbits; /* destination ulp: 2^lsb */
  if (e - sd->mbits + j < lsb - 1) bits &= ~((uint64_t)1 << j);
  return bits;
}

/* The code an encoder with this mutant's output bug writes instead of `code`. */
static uint64_t encoder_output_bug(int elem, uint64_t code) {
  const mx_format_desc *d = mx_format((mx_fmt)elem);
  if (d->kind != MX_KIND_FLOAT) return code; /* INT8 and E8M0 have neither -0 nor subnormals */
  if (IS(element_subnormals_flushed) && mx_classify((mx_fmt)elem, code) == MX_CLASS_SUBNORMAL)
    return code & sign_bit_of(elem); /* flush to zero, keeping the sign */
  if (IS(negative_zero_lost) && code == sign_bit_of(elem)) return 0;
  return code;
}

/* The rounding mode the mutant really uses when `round` is asked for element format dst and
 * a value of magnitude `mag`. */
static int mutated_round(int round, int dst, double mag, int negative) {
  if (round == MX_RNE && IS(ties_away)) return MX_RNA;
  if (round == MX_RNE && IS(truncation)) return MX_RTZ;
  if (round == MX_RNE && IS(ties_away_e2m1_only) && dst == MX_E2M1) return MX_RNA;
  if (round == MX_RNE && IS(ties_away_int8) && dst == MX_INT8) return MX_RNA;
  if (round == MX_RNE && IS(ties_away_e4m3_subnormals) && dst == MX_E4M3 && mag < 0x1p-6) return MX_RNA;
  if (round == MX_RNE && IS(e3m2_subnormal_ties_away) && dst == MX_E3M2 && mag < 0x1p-2) return MX_RNA;
  if (negative && IS(rup_rdn_swapped_negative) && (round == MX_RUP || round == MX_RDN)) return round == MX_RUP ? MX_RDN : MX_RUP;
  if (negative && IS(rtz_floor_negative) && round == MX_RTZ) return MX_RDN;
  return round;
}

/* Scalar knobs of the `ocp` profile, changed where the mutant's bug is a knob value. */
static void mutated_scalar_knobs(mx_convert_opts *o) {
  mx_convert_opts_default(o);
  if (IS(source_subnormals_flushed)) o->src_subnormals = MX_SUBN_FLUSH;
  if (IS(int8_symmetric)) o->int8_range = MX_INT8_SYMMETRIC;
  if (IS(nan_finite_signed_zero)) o->nan_finite = MX_NANF_SIGNED_ZERO;
  if (IS(inf_finite_signed_zero)) o->inf_finite = MX_INFF_SIGNED_ZERO;
  if (IS(e5m2_nan_allones)) o->e5m2_nan = MX_E5M2_NAN_ALLONES;
  if (IS(nan_sign_positive)) o->nan_sign = MX_NAN_SIGN_POSITIVE;
  if (IS(e8m0_zero_nan)) o->e8m0_zero = MX_E8M0_ZERO_NAN;
  if (IS(e8m0_neg_nan)) o->e8m0_neg = MX_E8M0_NEG_NAN;
  if (IS(e8m0_tie_up)) o->e8m0_tie = MX_E8M0_TIE_UP;
}

/* Knob values that depend on the request (a profile's conditional values, profile.h): what
 * ml_dtypes does by overflow mode and CUDA by source type. Called once round and overflow are
 * the request's. */
static void mutated_request_knobs(mx_convert_opts *o, int src, int dst) {
  if (IS(e8m0_zero_nan_under_ovf) && o->overflow == MX_OVF) o->e8m0_zero = MX_E8M0_ZERO_NAN;
  if (IS(e8m0_neg_by_overflow)) o->e8m0_neg = o->overflow == MX_OVF ? MX_E8M0_NEG_NAN : MX_E8M0_NEG_MIN;
  if (IS(nan_sign_keep_f64_only)) o->nan_sign = src == MX_F64 ? MX_NAN_SIGN_KEEP : MX_NAN_SIGN_NAN_INPUT_POSITIVE;
  if (IS(cuda_nan_by_source)) {
    o->nan_sign = src == MX_F64 ? MX_NAN_SIGN_KEEP : MX_NAN_SIGN_NAN_INPUT_POSITIVE;
    o->e5m2_nan = src == MX_F64 ? MX_E5M2_NAN_PROPAGATE : MX_E5M2_NAN_ALLONES;
  }
  if (IS(e5m2_nan_payload_same_width) && src == MX_F16 && dst == MX_E5M2) o->e5m2_nan = MX_E5M2_NAN_PROPAGATE;
  if (IS(nan_sign_lost_on_one_request) && src == MX_BF16 && dst == MX_E4M3 && o->overflow == MX_OVF)
    o->nan_sign = MX_NAN_SIGN_NAN_INPUT_POSITIVE;
}

/* The block knobs of `ocp`, changed where the bug is a knob value. */
static void mutated_block_knobs(mx_block_opts *o) {
  mx_block_opts_default(o);
  mutated_scalar_knobs(&o->elem);
  if (IS(nan_in_block_ignored)) o->nan_block = MX_NANB_IGNORE;
  if (IS(inf_block_max_scale)) o->inf_block = MX_INFB_MAX_SCALE;
  if (IS(zero_block_one)) o->zero_block = MX_ZEROB_ONE;
  if (IS(scale_overflow_clamp)) o->scale_overflow = MX_SCALEOVF_CLAMP;
  if (IS(dequant_overflow_sat)) o->dequant_overflow = MX_DQOVF_SAT;
  if (IS(e4m3_nan_in_block)) o->elem.overflow = MX_OVF; /* an OFP8 non-saturating cast inside the encoder */
}

/* ---- decode ---------------------------------------------------------------------------- */

static int mutant_decode(int fmt, const uint64_t *codes, size_t n, uint64_t *f64_out) {
  if (fmt < 0 || fmt >= MX_FMT_COUNT || !mx_format((mx_fmt)fmt)->is_element) return MXC_UNSUPPORTED;
  for (size_t i = 0; i < n; i++) {
    f64_out[i] = mxref_decode_f64_bits((mx_fmt)fmt, (uint32_t)codes[i]);
    if (fmt == MX_E8M0 && IS(e8m0_00_decoded_as_zero) && codes[i] == 0x00) f64_out[i] = 0; /* shift into exponent */
    if (fmt == MX_E8M0 && IS(e8m0_ff_decoded_as_inf) && codes[i] == 0xFF) f64_out[i] = 0x7FF0000000000000ull;
    if (IS(negative_zero_lost) && f64_out[i] == 0x8000000000000000ull) f64_out[i] = 0;
    if (IS(decode_e5m2_subnormals_normal) && fmt == MX_E5M2 && (codes[i] & 0x7C) == 0 && (codes[i] & 3)) {
      double v = ldexp(1.0 + (double)(codes[i] & 3) / 4, -15);
      f64_out[i] = double_as((codes[i] & 0x80) ? -v : v, MX_F64);
    }
    if (IS(decode_int8_unsigned) && fmt == MX_INT8 && codes[i] >= 0x80) f64_out[i] = double_as(ldexp((double)codes[i], -6), MX_F64);
  }
  return MXC_OK;
}

/* ---- convert --------------------------------------------------------------------------- */

/* The random word the SR mutants really use. */
static uint32_t mutated_sr_word(int dst, int src, uint64_t bits, uint32_t r, unsigned sr_bits) {
  uint32_t mask = sr_bits >= 32 ? 0xFFFFFFFFu : ((1u << sr_bits) - 1);
  int off_by_one = IS(sr_threshold_off_by_one) || (IS(sr_threshold_e2m1_only) && dst == MX_E2M1) ||
                   (IS(sr_threshold_f16_only) && src == MX_F16);
  if (off_by_one && (r & mask)) r -= 1; /* rounds up when r + f > 2^bits: as if r were one less */
  if (IS(sr_uses_high_bits)) r = r >> 16;
  if (IS(sr_negative_mirrored) && (bits >> (mx_format((mx_fmt)src)->bits - 1)) & 1) r = (r & ~mask) | (~r & mask);
  return r;
}

/* One source value as this mutant's encoder sees it (flushes, casts, missed sticky bits). */
static uint64_t mutated_input(int dst, int *src, uint64_t bits) {
  if (IS(double_rounding_via_bf16) && *src == MX_F32) {
    *src = MX_BF16;
    return f32_to_bf16_rne((uint32_t)bits);
  }
  if ((IS(f16_source_subnormals_flushed) && *src == MX_F16) || (IS(bf16_source_subnormals_flushed) && *src == MX_BF16) ||
      (IS(f64_source_subnormals_flushed) && *src == MX_F64))
    return flush_if_subnormal(*src, bits);
  if (IS(sticky_f32_bit0) && *src == MX_F32) return sticky_bit_missed(dst, *src, bits, 0);
  if (IS(sticky_f32_bit11) && *src == MX_F32) return sticky_bit_missed(dst, *src, bits, 11);
  if (IS(sticky_bf16_bit0) && *src == MX_BF16) return sticky_bit_missed(dst, *src, bits, 0);
  if (IS(sticky_f16_bit2) && *src == MX_F16) return sticky_bit_missed(dst, *src, bits, 2);
  if (IS(sticky_f64_bit29) && *src == MX_F64) return sticky_bit_missed(dst, *src, bits, 29);
  if (IS(sticky_f64_low_word) && *src == MX_F64 && sticky_bit_missed(dst, *src, bits, 31) != bits)
    return bits & ~(uint64_t)0xFFFFFFFFu; /* bit 31 is sticky, so are all below it */
  return bits;
}

static uint32_t mutant_convert_one(int dst, int src, uint64_t bits, const mx_convert_opts *ask, uint32_t r) {
  mx_convert_opts o = *ask;
  double v = source_as_double(src, bits);
  o.round = (mx_round)mutated_round(ask->round, dst, fabs(v), signbit(v) != 0);
  int from = src;
  uint64_t in = mutated_input(dst, &from, bits);
  if (o.round == MX_SR) r = mutated_sr_word(dst, src, bits, r, o.sr_bits);
  if (IS(e8m0_log_domain_rounding) && dst == MX_E8M0 && o.round == MX_RNE && isfinite(v) && v > 0) {
    int e;
    double m = 2 * frexp(v, &e); /* v = m * 2^(e-1), 1 <= m < 2 */
    if (m >= 1.4142135623730951 && m < 1.5) o.round = MX_RUP;
  }
  uint32_t code = mxref_convert_one((mx_fmt)dst, (mx_fmt)from, in, &o, r);
  if (IS(e4m3_band_480_saturates) && dst == MX_E4M3 && o.overflow == MX_OVF && fabs(v) >= 480 && fabs(v) < 496)
    code = (signbit(v) ? 0x80u : 0) | 0x7Eu;
  if (IS(e5m2_overflow_tie_down) && dst == MX_E5M2 && o.round == MX_RNE && fabs(v) == 61440)
    code = (signbit(v) ? 0x80u : 0) | 0x7Bu;
  return code;
}

static int mutant_convert(int dst, int src, int round, int overflow, const uint64_t *in, const uint32_t *sr_random,
                          size_t n, uint64_t *out) {
  if (dst < 0 || dst >= MX_FMT_COUNT || !mx_format((mx_fmt)dst)->is_element || !is_source(src)) return MXC_UNSUPPORTED;
  if (round < 0 || round >= MX_ROUND_COUNT || (overflow != MX_SAT && overflow != MX_OVF)) return MXC_UNSUPPORTED;
  /* Only one request of the pair src=bf16 overflow=ovf then shows a NaN's sign (ONNX Runtime) */
  if (IS(nan_sign_lost_on_one_request) && (dst != MX_E4M3 || round != MX_RNE)) return MXC_UNSUPPORTED;
  mx_convert_opts o;
  mutated_scalar_knobs(&o);
  o.round = (mx_round)round;
  o.overflow = (mx_overflow)overflow;
  mutated_request_knobs(&o, src, dst);
  /* OFP8 Table 3 says +-Inf saturates to the largest finite value under sat; this one keeps
   * the format's own special (E5M2 Inf, E4M3 NaN). */
  if (IS(e5m2_inf_not_saturated)) o.inf_sat = MX_INF_SAT_SPECIAL;
  for (size_t i = 0; i < n; i++)
    out[i] = encoder_output_bug(dst, mutant_convert_one(dst, src, in[i], &o, sr_random ? sr_random[i] : 0));
  return MXC_OK;
}

/* ---- quantize -------------------------------------------------------------------------- */

typedef union block_values {
  uint16_t h[MX_BLOCK_MAX];
  uint32_t w[MX_BLOCK_MAX];
  uint64_t d[MX_BLOCK_MAX];
} block_values;

/* Quantize with a shared exponent s chosen by the mutant instead of the rule: elements are
 * V_i / 2^s converted under the scalar knobs (exact in double for f32/bf16/f16 inputs and
 * exponents within double's range). The scale byte says s_written. */
static void quantize_with_exponent(int fmt, int src, const uint64_t *in, size_t k, int s, int s_written,
                                   const mx_block_opts *o, uint64_t *scale, uint64_t *codes) {
  mx_fmt elem = mx_block_element((mx_block_fmt)fmt);
  if (s_written < -127) s_written = -127;
  if (s < -127 && s_written == s) s = -127;
  if (s_written > 127) { /* scale_overflow = nan: the whole block is NaN */
    *scale = 0xFF;
    for (size_t i = 0; i < k; i++) codes[i] = 0;
    return;
  }
  *scale = (uint64_t)(s_written + 127);
  for (size_t i = 0; i < k; i++) {
    double q = ldexp(source_as_double(src, in[i]), -s);
    uint64_t qbits;
    memcpy(&qbits, &q, sizeof qbits);
    codes[i] = mxref_convert_one(elem, MX_F64, qbits, &o->elem, 0);
  }
}

/* The block's largest finite magnitude (only positive values when `positive_only`), or -1
 * when the block holds a NaN or an Inf. */
static double block_amax(int src, const uint64_t *in, size_t k, int positive_only) {
  double amax = 0;
  for (size_t i = 0; i < k; i++) {
    double v = source_as_double(src, in[i]);
    if (isnan(v) || isinf(v)) return -1;
    if (positive_only ? v > amax : fabs(v) > amax) amax = positive_only ? v : fabs(v);
  }
  return amax;
}

/* floor(log2(x)) for x > 0, exactly. */
static int ilog2(double x) {
  int e;
  (void)frexp(x, &e);
  return e - 1;
}

/* The element format rounding the mutant uses inside quantize. */
static int quantize_round(int fmt, int round) {
  mx_fmt elem = mx_block_element((mx_block_fmt)fmt);
  if (round == MX_RNE && IS(quantize_e3m2_ties_away) && elem == MX_E3M2) return MX_RNA;
  if (IS(quantize_int8_truncates) && elem == MX_INT8) return MX_RTZ;
  return mutated_round(round, elem, 1.0, 0); /* the format-wide rounding bugs */
}

static int mutated_rule(int rule) {
  if (IS(ceil_scale_rule) && rule == MX_RULE_FLOOR) return MX_RULE_CEIL;
  if (IS(rule_ignored)) return MX_RULE_FLOOR;
  if (IS(even_as_even_tiedown) && rule == MX_RULE_EVEN) return MX_RULE_EVEN_TIEDOWN;
  if (IS(rceil_as_ceil) && rule == MX_RULE_RCEIL) return MX_RULE_CEIL;
  return rule;
}

static int mutant_quantize(int fmt, int src, int rule, int round, const uint64_t *in, size_t k, uint64_t *scale,
                           uint64_t *codes) {
  if (fmt < 0 || fmt >= MX_BLOCK_FMT_COUNT || !is_source(src) || rule < 0 || rule >= MX_RULE_COUNT) return MXC_UNSUPPORTED;
  if (round < 0 || round >= MX_ROUND_COUNT || round == MX_SR) return MXC_UNSUPPORTED; /* no random words in this ABI call */
  if (k < 1 || k > MX_BLOCK_MAX) return MXC_ERROR;
  mx_block_opts o;
  mutated_block_knobs(&o);
  o.rule = (mx_scale_rule)mutated_rule(rule);
  o.elem.round = (mx_round)quantize_round(fmt, round);
  mx_fmt elem = mx_block_element((mx_block_fmt)fmt);
  mutated_request_knobs(&o.elem, src, elem);

  block_values v;
  int from = src;
  uint64_t seen[MX_BLOCK_MAX];
  for (size_t i = 0; i < k; i++) {
    seen[i] = in[i];
    if (IS(quantize_f16_subnormals_flushed) && src == MX_F16) seen[i] = flush_if_subnormal(src, in[i]);
    if (IS(double_rounding_via_bf16) && src == MX_F32) {
      v.h[i] = f32_to_bf16_rne((uint32_t)in[i]);
      from = MX_BF16;
    } else if (IS(quantize_f64_via_f32) && src == MX_F64) {
      v.w[i] = f32_bits((float)f64_of_bits(in[i]));
      from = MX_F32;
    } else if (mx_format((mx_fmt)src)->bits == 16) v.h[i] = (uint16_t)seen[i];
    else if (src == MX_F32) v.w[i] = (uint32_t)in[i];
    else v.d[i] = in[i];
  }
  uint8_t s8, c8[MX_BLOCK_MAX];
  mxref_quantize_block((mx_block_fmt)fmt, (mx_fmt)from, &v, k, &o, NULL, &s8, c8);
  *scale = s8;
  for (size_t i = 0; i < k; i++) codes[i] = c8[i];

  /* The shared-exponent bugs: only where the exponent is an ordinary function of a finite,
   * nonzero amax (specials and all-zero blocks keep the reference's answer). */
  int emax = mx_format(elem)->emax;
  double amax = block_amax(src, in, k, 0);
  if (src != MX_F64 && rule == MX_RULE_FLOOR && amax > 0) {
    int e = ilog2(amax), changed = 1;
    if (IS(log2f_shared_exponent)) e = (int)floorf(log2f((float)amax)); /* log2f rounds up near powers of two */
    else if (IS(shared_exponent_one_too_small)) e -= 1;
    else if (IS(shared_exponent_one_too_large)) e += 1;
    else if (IS(amax_signed) && block_amax(src, in, k, 1) > 0) e = ilog2(block_amax(src, in, k, 1));
    else if (IS(amax_skips_last_element) && k > 1 && block_amax(src, in, k - 1, 0) > 0) e = ilog2(block_amax(src, in, k - 1, 0));
    else if (IS(scale_underflow_unclamped) && e - emax < -127) {
      quantize_with_exponent(fmt, src, in, k, e - emax, -127, &o, scale, codes);
      changed = 0;
    } else changed = 0;
    if (changed) quantize_with_exponent(fmt, src, in, k, e - emax, e - emax, &o, scale, codes);
  }
  if (IS(ceil_power_of_two_high) && rule == MX_RULE_CEIL && amax > 0 && src != MX_F64 && *scale < 0xFE) {
    /* amax == max_elem * 2^j exactly: ceil(log2(amax / max_elem)) taken one too high */
    double m = f64_of_bits(mxref_decode_f64_bits(elem, (uint32_t)mx_format(elem)->max_code));
    double r = amax / m;
    if (r == ldexp(1.0, ilog2(r))) {
      int s = (int)*scale - 127 + 1;
      quantize_with_exponent(fmt, src, in, k, s, s, &o, scale, codes);
    }
  }
  if (*scale != 0xFF) /* a NaN scale makes the elements don't-care */
    for (size_t i = 0; i < k; i++) codes[i] = encoder_output_bug(elem, codes[i]);
  return MXC_OK;
}

/* ---- dequantize ------------------------------------------------------------------------ */

static int mutant_dequantize(int fmt, int dst, uint64_t scale, const uint64_t *codes, size_t k, uint64_t *out) {
  if (fmt < 0 || fmt >= MX_BLOCK_FMT_COUNT || (dst != MX_F32 && dst != MX_BF16 && dst != MX_F64)) return MXC_UNSUPPORTED;
  if (k < 1 || k > MX_BLOCK_MAX || scale > 0xFF) return MXC_ERROR;
  mx_block_opts o;
  mutated_block_knobs(&o);
  uint8_t c8[MX_BLOCK_MAX];
  for (size_t i = 0; i < k; i++) c8[i] = (uint8_t)codes[i];
  block_values v;
  uint8_t sc = (uint8_t)scale;
  if (IS(dequant_fp4_bias_126) && fmt == MX_MXFP4_E2M1 && sc != 0xFF) sc = sc == 0 ? 0 : (uint8_t)(sc - 1);
  mxref_dequantize_block((mx_block_fmt)fmt, sc, c8, k, (mx_fmt)dst, &o, &v);
  int bits = mx_format((mx_fmt)dst)->bits;
  mx_fmt elem = mx_block_element((mx_block_fmt)fmt);
  for (size_t i = 0; i < k; i++) {
    out[i] = bits == 16 ? v.h[i] : bits == 32 ? v.w[i] : v.d[i];
    /* A shift-into-exponent scale decoder multiplies by 0 (for 0x00) or by +Inf (0xFF). */
    double element = f64_of_bits(mxref_decode_f64_bits(elem, c8[i]));
    if (IS(e8m0_00_decoded_as_zero) && scale == 0x00) out[i] = double_as(0.0 * element, dst);
    if (IS(e8m0_ff_decoded_as_inf) && scale == 0xFF) out[i] = double_as(INFINITY * element, dst);
    if (IS(negative_zero_lost) && out[i] == sign_bit_of(dst)) out[i] = 0;
    if (IS(dequant_f32_subnormals_flushed) && dst == MX_F32 && (out[i] & 0x7F800000u) == 0) out[i] &= 0x80000000u;
    if (IS(dequant_f64_via_f32) && dst == MX_F64 && scale != 0xFF) {
      float f = (float)element * ldexpf(1.0f, (int)scale - 127); /* rounds (and overflows) in f32 */
      out[i] = double_as((double)f, MX_F64);
    }
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
  if (IS(fp6_position3_top_bit) && layout == MX_PACK_FP6_LSB)
    for (size_t i = 3; i < n; i += 4) c8[i] &= 0x1F;
  *out_len = mxref_pack((mx_block_fmt)fmt, (mx_pack_layout)layout, c8, n, out);
  if (!*out_len) return MXC_UNSUPPORTED;
  int fp4 = layout == MX_PACK_FP4_LOW || layout == MX_PACK_FP4_HIGH;
  if (fp4 && n % 2) {
    uint8_t last = c8[n - 1] & 0xF;
    if (IS(fp4_odd_padding_repeats)) out[n / 2] = (uint8_t)(last | last << 4);
    if (IS(fp4_high_odd_last_low) && layout == MX_PACK_FP4_HIGH) out[n / 2] = last;
  }
  if (IS(fp6_partial_group_last_byte) && layout == MX_PACK_FP6_LSB && n % 4) out[*out_len - 1] = 0;
  return MXC_OK;
}

/* ---- dot -------------------------------------------------------------------------------- */

static int mutant_dot(int fa, int fb, size_t n_blocks, size_t k, const uint64_t *scales_a, const uint64_t *codes_a,
                      const uint64_t *scales_b, const uint64_t *codes_b, int has_c, uint64_t c, uint64_t *out) {
  if (fa < 0 || fa >= MX_BLOCK_FMT_COUNT || fb < 0 || fb >= MX_BLOCK_FMT_COUNT) return MXC_UNSUPPORTED;
  if (n_blocks < 1 || n_blocks > 64 || k < 1 || k > MX_BLOCK_MAX || n_blocks * k > 4096) return MXC_ERROR;
  static uint8_t sa[64], sb[64], ca[4096], cb[4096];
  size_t nb = n_blocks;
  if (IS(dot_drops_last_odd_block) && nb > 1 && nb % 2) nb--;
  if (IS(dot_first_two_blocks) && nb > 2) nb = 2;
  for (size_t j = 0; j < nb; j++) {
    sa[j] = (uint8_t)scales_a[j];
    sb[j] = (uint8_t)scales_b[j];
    if (IS(dot_nan_scale_ignored)) { /* 0xFF taken as a number (2^127 here) */
      if (sa[j] == 0xFF) sa[j] = 0xFE;
      if (sb[j] == 0xFF) sb[j] = 0xFE;
    }
  }
  for (size_t i = 0; i < nb * k; i++) {
    ca[i] = (uint8_t)codes_a[i];
    cb[i] = (uint8_t)codes_b[i];
    if (IS(dot_int8_minus128)) {
      if (fa == MX_MXINT8 && ca[i] == 0x80) ca[i] = 0x81;
      if (fb == MX_MXINT8 && cb[i] == 0x80) cb[i] = 0x81;
    }
    if (IS(dot_last_element_dropped) && i % k == k - 1) ca[i] = 0;
  }
  if (IS(dot_mixed_b_as_a) && fa != fb) fb = fa;
  mx_dot_vec a = {(mx_block_fmt)fa, sa, ca}, b = {(mx_block_fmt)fb, sb, cb};
  mx_dot_model m = MX_DOT_MODEL_EXACT_RNE;
  if (IS(dot_fp32_sequential)) m = mx_dot_preset_find("fp32-sequential")->model;
  if (IS(dot_nvidia_hopper)) m = mx_dot_preset_find("nvidia-hopper-fp8")->model;
  if (IS(dot_subnormal_flushed)) m.subnormal = MX_DOT_SUBN_FLUSH;
  if (IS(dot_final_rtz)) m.final_round = MX_DOT_RTZ;
  uint32_t cc = (uint32_t)c, r = 0;
  if (mxref_dot_general(&a, &b, nb, k, has_c ? &cc : NULL, &m, &r) != MX_DOT_OK) return MXC_UNSUPPORTED;
  if (IS(dot_negative_zero_lost) && r == 0x80000000u) r = 0;
  if (IS(dot_overflow_saturates) && (r & 0x7FFFFFFFu) == 0x7F800000u) {
    int inf_in = has_c && (cc & 0x7F800000u) == 0x7F800000u; /* an Inf C stays Inf */
    if (!inf_in) r = (r & 0x80000000u) | 0x7F7FFFFFu;
  }
  *out = r;
  return MXC_OK;
}

/* ---- NVFP4 ------------------------------------------------------------------------------ */

static double e4m3_or_e2m1(mx_fmt f, unsigned code) { return f32_of_bits(mxref_decode_f32_bits(f, code)); }

/* The E2M1 magnitude code nearest to num / den (ties to even, saturating; den 0: +-6), by
 * exact comparisons in double (num: 24 bits, den: 28, a midpoint: 3). */
static unsigned e2m1_nearest(double num, double den) {
  if (num == 0) return 0;
  if (den == 0) return 7;
  for (unsigned lo = 0; lo < 7; lo++) {
    double twice_mid = e4m3_or_e2m1(MX_E2M1, lo) + e4m3_or_e2m1(MX_E2M1, lo + 1);
    if (2 * num < den * twice_mid) return lo;
    if (2 * num == den * twice_mid) return (lo & 1) || IS(nvfp4_elem_ties_away) ? lo + 1 : lo;
  }
  return 7;
}

/* Every block's codes again from its scale and s_t (the exact element rule, e2m1_nearest). */
static void nvfp4_recode(const uint32_t *v, size_t n, double st, const uint8_t *scales, uint8_t *codes) {
  for (size_t b = 0; b < n / 16; b++) {
    double den = e4m3_or_e2m1(MX_E4M3, scales[b]) * st;
    for (size_t i = 0; i < 16; i++)
      codes[16 * b + i] = (uint8_t)((v[16 * b + i] >> 31 ? 8u : 0u) | e2m1_nearest(fabs(f32_of_bits(v[16 * b + i])), den));
  }
}

/* The bug: amax 0 divided like any other, s_t = 0; then every nonzero block amax over 6 * 0
 * saturates the block scale (448) and every nonzero element (x / 0). */
static void nvfp4_zero_amax(const uint32_t *v, size_t n, int has_amax, uint32_t amax_bits, uint32_t *st,
                            uint8_t *scales, uint8_t *codes) {
  double amax = has_amax ? f32_of_bits(amax_bits) : 0;
  for (size_t i = 0; i < n && !has_amax; i++) amax = fmax(amax, fabs(f32_of_bits(v[i])));
  if (amax != 0) return;
  *st = 0;
  for (size_t b = 0; b < n / 16; b++) {
    int nonzero = 0;
    for (size_t i = 0; i < 16; i++) nonzero |= (v[16 * b + i] & 0x7FFFFFFFu) != 0;
    scales[b] = nonzero ? 0x7E : 0;
  }
  nvfp4_recode(v, n, 0, scales, codes);
}

/* The bug: each block scale one code lower wherever RNE rounded it up (the exact quotient
 * lies below the chosen scale), and that block's elements scaled by the lower scale. */
static void nvfp4_scales_toward_zero(const uint32_t *v, size_t n, uint32_t st_bits, uint8_t *scales, uint8_t *codes) {
  double st = f32_of_bits(st_bits);
  for (size_t b = 0; b < n / 16; b++) {
    double amax_b = 0;
    for (size_t i = 0; i < 16; i++) amax_b = fmax(amax_b, fabs(f32_of_bits(v[16 * b + i])));
    if (scales[b] == 0 || !(e4m3_or_e2m1(MX_E4M3, scales[b]) * 6 * st > amax_b)) continue;
    scales[b]--;
    double den = e4m3_or_e2m1(MX_E4M3, scales[b]) * st;
    for (size_t i = 0; i < 16; i++)
      codes[16 * b + i] = (uint8_t)((v[16 * b + i] >> 31 ? 8u : 0u) | e2m1_nearest(fabs(f32_of_bits(v[16 * b + i])), den));
  }
}

static int mutant_nvfp4_quantize(const uint64_t *in, size_t n, int has_amax, uint64_t amax_bits, uint64_t *tensor_scale,
                                 uint64_t *scales, uint64_t *codes) {
  static uint32_t v[4096];
  static uint8_t sc[256], cd[4096];
  if (n == 0 || n % 16 || n > 4096) return MXC_ERROR;
  for (size_t i = 0; i < n; i++) v[i] = (uint32_t)in[i];
  mx_nvfp4_opts o = MX_NVFP4_OPTS_DEFAULT;
  if (IS(nvfp4_elem_reciprocal)) o.elem_scale = MX_NVFP4_ELEM_RECIPROCAL;
  if (IS(nvfp4_tensor_scale_te)) o.tensor_scale = MX_NVFP4_TSCALE_TE;
  if (IS(nvfp4_block_scale_te)) o.block_scale = MX_NVFP4_BSCALE_TE;
  uint32_t a = (uint32_t)amax_bits;
  mx_nvfp4_tensor t = {0, 0, sc, cd};
  if (mxref_nvfp4_quantize(v, n, has_amax ? &a : NULL, &o, &t)) return MXC_ERROR;
  if (IS(nvfp4_block_scale_rtz)) nvfp4_scales_toward_zero(v, n, t.tensor_scale, sc, cd);
  if (IS(nvfp4_zero_amax_scale_zero)) nvfp4_zero_amax(v, n, has_amax, a, &t.tensor_scale, sc, cd);
  if (IS(nvfp4_elem_ties_away)) nvfp4_recode(v, n, f32_of_bits(t.tensor_scale), sc, cd);
  *tensor_scale = t.tensor_scale;
  for (size_t j = 0; j < n / 16; j++) scales[j] = sc[j];
  for (size_t i = 0; i < n; i++) codes[i] = cd[i];
  return MXC_OK;
}

static int mutant_nvfp4_dequantize(uint64_t tensor_scale, uint64_t scale, const uint64_t *codes, size_t k, uint64_t *out) {
  uint8_t c[16] = {0};
  uint32_t r[16];
  if (k < 1 || k > 16) return MXC_ERROR;
  for (size_t i = 0; i < k; i++) c[i] = (uint8_t)codes[i];
  mxref_nvfp4_dequantize((uint32_t)tensor_scale, (uint8_t)scale, c, NULL, r);
  for (size_t i = 0; i < k; i++) out[i] = r[i];
  return MXC_OK;
}

/* NVFP4 dot: libmxref's exact-rne; the mutant folds the tensor scales into one FP32 factor
 * first, so only cases whose s_t(a) s_t(b) is not an FP32 value (48-bit products, underflow)
 * change. */
static int mutant_nvfp4_dot(size_t nb, uint64_t ta, const uint64_t *sa, const uint64_t *ca, uint64_t tb,
                            const uint64_t *sb, const uint64_t *cb, int has_c, uint64_t c, uint64_t *out) {
  uint8_t s8[2][64], c8[2][64 * 16];
  if (nb < 1 || nb > 64) return MXC_ERROR;
  for (size_t j = 0; j < nb; j++) s8[0][j] = (uint8_t)sa[j], s8[1][j] = (uint8_t)sb[j];
  for (size_t i = 0; i < nb * 16; i++) c8[0][i] = (uint8_t)ca[i], c8[1][i] = (uint8_t)cb[i];
  uint32_t sta = (uint32_t)ta, stb = (uint32_t)tb, c32 = (uint32_t)c, r;
  if (IS(nvfp4_dot_tensor_scales_f32)) {
    float alpha = f32_of_bits(sta) * f32_of_bits(stb); /* one binary32 rounding */
    uint32_t ab;
    memcpy(&ab, &alpha, 4);
    if ((ab & 0x7F800000u) != 0x7F800000u) sta = ab, stb = 0x3F800000u; /* an Inf alpha: left exact */
  }
  if (mxref_nvfp4_dot_general(nb, sta, s8[0], c8[0], stb, s8[1], c8[1], has_c ? &c32 : NULL, NULL, NULL, &r))
    return MXC_ERROR;
  *out = r;
  return MXC_OK;
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
  .dot = mutant_dot,
  .nvfp4_quantize = mutant_nvfp4_quantize,
  .nvfp4_dequantize = mutant_nvfp4_dequantize,
  .nvfp4_dot = mutant_nvfp4_dot,
};

__attribute__((visibility("default"))) const mxc_target_api *mxc_target_get(void) { return &mutant_api; }
