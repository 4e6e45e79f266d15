/* mxconform — the knobs of scalar conversion.
 *
 * Every point where the OCP MX / OFP8 specs leave a choice open is a named knob with a
 * documented default (spec_notes/conversion.md). A set of knob values is what a
 * *profile* names; `ocp` is the default set. The knob table (mx_knob_table) describes
 * every knob as data — name, allowed values, default — so CLI parsing, vector headers
 * and reports are generated from one place.
 */
#ifndef MXCONFORM_KNOBS_H
#define MXCONFORM_KNOBS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Rounding of the magnitude to a destination format. */
typedef enum mx_round {
  MX_RNE = 0, /* nearest, ties to even code */
  MX_RNA,     /* nearest, ties away from zero (for E8M0: ties up) */
  MX_RTZ,     /* toward zero (truncate) */
  MX_RUP,     /* toward +infinity */
  MX_RDN,     /* toward -infinity */
  MX_SR,      /* stochastic: add a sr_bits-bit random integer below the last place, truncate */
  MX_ROUND_COUNT
} mx_round;

/* What a value beyond the largest finite becomes (after rounding). */
typedef enum mx_overflow {
  MX_SAT = 0, /* saturate to +-max finite */
  MX_OVF      /* OFP8 non-saturating: E5M2 -> +-Inf, E4M3 -> NaN, E8M0 -> NaN (0xFF);
                 formats without Inf/NaN saturate. Directed modes that round the
                 magnitude toward zero still give +-max (IEEE 754 rule). */
} mx_overflow;

/* Sign of a NaN produced by conversion (E4M3, E5M2). A NaN is produced from a NaN input,
 * and in E4M3 also from +-Inf (under ovf or inf_sat=special) and from overflow under ovf. */
typedef enum mx_nan_sign {
  MX_NAN_SIGN_KEEP = 0,          /* every produced NaN has the input's sign */
  MX_NAN_SIGN_POSITIVE,          /* every produced NaN is positive */
  MX_NAN_SIGN_NAN_INPUT_POSITIVE, /* a NaN from a NaN input is positive; one made from Inf or by
                                    overflow keeps the sign (CUDA float/half/bf16 entry points) */
  MX_NAN_SIGN_NEGATIVE            /* every produced NaN has the sign bit set: with e5m2_nan=allones
                                    the one NaN code is all ones, 0xFF (gfloat: code_of_nan) */
} mx_nan_sign;

/* Which NaN code a NaN input becomes in an IEEE-like destination (E5M2, and the non-OCP
 * E4M3IEEE and E3M4; E4M3 has only S.1111.111, the FNUZ formats only 0x80). Written for E5M2
 * below; in general the exponent field is all ones, the top mantissa bit (quiet) is set, and
 * the bits below it are zero, all ones, or the source payload truncated. */
typedef enum mx_e5m2_nan {
  MX_E5M2_NAN_QUIET = 0,  /* S.11111.10 */
  MX_E5M2_NAN_ALLONES,    /* S.11111.11 */
  MX_E5M2_NAN_PROPAGATE   /* S.11111.1p: the quiet bit set, p = the source NaN's payload bit just
                             below its quiet bit (the payload truncated to E5M2's; IEEE 754 §6.2.3;
                             LLVM APFloat, CUDA's double entry point) */
} mx_e5m2_nan;

/* +-Inf input under MX_SAT: largest finite (OFP8 Table 3) or the format's own special. */
typedef enum mx_inf_sat { MX_INF_SAT_MAX = 0, MX_INF_SAT_SPECIAL } mx_inf_sat;

/* NaN input into a format without NaN (FP6, FP4, INT8). */
typedef enum mx_nan_finite {
  MX_NANF_POS_MAX = 0,   /* +max whatever the sign (CUDA cuda_fp4.h/cuda_fp6.h) */
  MX_NANF_SIGNED_MAX,    /* +-max by the NaN's sign (AMD HIP host) */
  MX_NANF_ZERO,          /* +0 (IREE) */
  MX_NANF_SIGNED_ZERO,   /* +-0 by the NaN's sign (LLVM APFloat, release builds) */
  MX_NANF_INVERTED_ZERO, /* -0 for +NaN, +0 for -NaN (ml_dtypes) */
  MX_NANF_REFUSE         /* no code: the library raises (gfloat); the result is MX_CODE_REFUSED */
} mx_nan_finite;

/* +-Inf input into a format without Inf (FP6, FP4, INT8). */
typedef enum mx_inf_finite {
  MX_INFF_MAX = 0,     /* +-max */
  MX_INFF_SIGNED_ZERO, /* +-0 (LLVM) */
  MX_INFF_REFUSE       /* no code: MX_CODE_REFUSED (microxcaling keeps the Inf, gfloat raises) */
} mx_inf_finite;

/* A -0 result in a format without -0 (the FNUZ formats, where the sign bit alone is the NaN
 * code 0x80): from a -0 input, or from a negative value that rounds to zero. */
typedef enum mx_fnuz_zero {
  MX_FNUZ_ZERO_POSITIVE = 0, /* every such result is +0 (LLVM APFloat, ml_dtypes, AMD ISA) */
  MX_FNUZ_ZERO_NAN,          /* the sign bit kept: 0x80, the NaN (an encoder that ORs the sign in) */
  MX_FNUZ_ZERO_UNDERFLOW_NAN /* a -0 input gives +0, a negative value rounding to zero gives 0x80
                                (an encoder that special-cases a zero input only) */
} mx_fnuz_zero;

/* MXINT8 encoder range: full two's complement [-128, 127] or symmetric [-127, 127]. */
typedef enum mx_int8_range { MX_INT8_TWOS = 0, MX_INT8_SYMMETRIC } mx_int8_range;

/* Subnormal inputs in the source format: exact, or flushed to signed zero first. */
typedef enum mx_src_subnormals { MX_SUBN_EXACT = 0, MX_SUBN_FLUSH } mx_src_subnormals;

/* E8M0 conversion of +-0 (E8M0 has no zero): smallest scale 0x00 or NaN 0xFF. */
typedef enum mx_e8m0_zero { MX_E8M0_ZERO_MIN = 0, MX_E8M0_ZERO_NAN } mx_e8m0_zero;

/* E8M0 conversion of a negative number (E8M0 has no sign). */
typedef enum mx_e8m0_neg {
  MX_E8M0_NEG_ABS = 0, /* convert |x| (CUDA, PyTorch) */
  MX_E8M0_NEG_NAN,     /* 0xFF (ml_dtypes non-saturating) */
  MX_E8M0_NEG_MIN,     /* 0x00 */
  MX_E8M0_NEG_MIN_FINITE, /* 0x00 for a finite negative; -Inf converts as +Inf does (ml_dtypes
                            saturating: its isinf test comes before the sign test) */
  MX_E8M0_NEG_REFUSE     /* no code: the library raises or answers nothing (gfloat) */
} mx_e8m0_neg;

/* Overflow under a directed rounding toward zero (rtz; rup of a negative, rdn of a positive)
 * with overflow=ovf: IEEE 754 §7.4 gives the largest finite value; an encoder that truncates
 * and then range-checks the truncated value (ml_dtypes) gives the special (Inf, or NaN). */
typedef enum mx_ovf_directed { MX_OVF_DIRECTED_MAX = 0, MX_OVF_DIRECTED_SPECIAL } mx_ovf_directed;

/* Ties of round=rne into E8M0, whose codes have no significand bit: to the even code, or
 * always up (an encoder whose last place is the implicit bit, always 1: ml_dtypes). */
typedef enum mx_e8m0_tie { MX_E8M0_TIE_EVEN = 0, MX_E8M0_TIE_UP } mx_e8m0_tie;

/* Overflow with overflow=ovf into a format that has neither Inf nor NaN (FP6, FP4, INT8):
 * the largest finite value (the formats' only choice, OCP MX §5.3), or no code at all (the
 * library raises: gfloat; MX_CODE_REFUSED). */
typedef enum mx_ovf_finite { MX_OVF_FINITE_MAX = 0, MX_OVF_FINITE_REFUSE } mx_ovf_finite;

/* The NaN that overflow (overflow=ovf) or an Inf input (unless saturated to max) makes in a
 * format without Inf (E4M3, the FNUZ formats): the NaN (OFP8 Table 3), or no code (an
 * emulation that leaves the overflowed value, 480, or the Inf in place: microxcaling). */
typedef enum mx_ovf_nan { MX_OVF_NAN_NAN = 0, MX_OVF_NAN_REFUSE } mx_ovf_nan;

/* E8M0's range test: on the rounded value (OCP: round first, then range-check), or on the
 * value itself before rounding: above 2^127 overflows whatever the rounding, a positive value
 * below 2^-127 converts as zero does (knob e8m0_zero) (ONNX Runtime's Float8E8M0). */
typedef enum mx_e8m0_range { MX_E8M0_RANGE_ROUND_FIRST = 0, MX_E8M0_RANGE_CHECK_FIRST } mx_e8m0_range;

/* An f64 source: converted directly, or first rounded to f32 (RNE; a NaN keeps its sign and
 * the top 22 bits of its payload below the quiet bit) and then converted — a library whose
 * kernels take float only (torch, ONNX Runtime's Cast). Scalar conversion (cvt) only. */
typedef enum mx_f64_src { MX_F64_DIRECT = 0, MX_F64_VIA_F32 } mx_f64_src;

/* The result word of a conversion the profile says the library refuses (raises for): no
 * code of any format. Only the one-value entry points return it (mxo_convert,
 * mxref_convert_one); mx_convert_opts_may_refuse() tells whether a knob set can. */
#define MX_CODE_REFUSED 0x200u

/* The result word of a value the TARGET cannot observe (process protocol `?`, `??` in a
 * cvtrange run; harness/PROTOCOL.md): a statement about the harness's view of the library,
 * not about the library. No profile ever expects it and libmxref never returns it; the
 * harness counts it as `unobserved`, never as a match. */
#define MX_CODE_UNOBSERVED 0x400u

typedef struct mx_convert_opts {
  mx_round round;
  unsigned sr_bits; /* 1..32: width of the random integer used by MX_SR */
  mx_overflow overflow;
  mx_nan_sign nan_sign;
  mx_e5m2_nan e5m2_nan;
  mx_inf_sat inf_sat;
  mx_nan_finite nan_finite;
  mx_inf_finite inf_finite;
  mx_int8_range int8_range;
  mx_src_subnormals src_subnormals;
  mx_e8m0_zero e8m0_zero;
  mx_e8m0_neg e8m0_neg;
  mx_fnuz_zero fnuz_zero; /* added with the FNUZ formats */
  mx_ovf_directed ovf_directed; /* added for real libraries' choices (reports/peers) */
  mx_e8m0_tie e8m0_tie;
  mx_ovf_finite ovf_finite;
  mx_f64_src f64_src;
  mx_ovf_nan ovf_nan;
  mx_e8m0_range e8m0_range;
} mx_convert_opts;

/* The defaults (spec_notes/conversion.md): rne, sat, everything else the first value. */
#define MX_CONVERT_OPTS_DEFAULT \
  {MX_RNE, 16u, MX_SAT, MX_NAN_SIGN_KEEP, MX_E5M2_NAN_QUIET, MX_INF_SAT_MAX, MX_NANF_POS_MAX, \
   MX_INFF_MAX, MX_INT8_TWOS, MX_SUBN_EXACT, MX_E8M0_ZERO_MIN, MX_E8M0_NEG_ABS, MX_FNUZ_ZERO_POSITIVE, \
   MX_OVF_DIRECTED_MAX, MX_E8M0_TIE_EVEN, MX_OVF_FINITE_MAX, MX_F64_DIRECT, MX_OVF_NAN_NAN, \
   MX_E8M0_RANGE_ROUND_FIRST}

void mx_convert_opts_default(mx_convert_opts *o);

/* 1 when some value converted under o can be MX_CODE_REFUSED (a knob value `refuse`). */
int mx_convert_opts_may_refuse(const mx_convert_opts *o);

/* ---- the knob table ---------------------------------------------------------- */

typedef struct mx_knob {
  const char *name;          /* e.g. "round" */
  const char *summary;       /* one line */
  size_t offset;             /* offsetof(mx_convert_opts, field); the field is an int-sized enum */
  const char *const *values; /* value names indexed by enum value; NULL-terminated */
  int is_number;             /* 1: an unsigned number (sr_bits), values == NULL */
  unsigned min, max;         /* range when is_number */
} mx_knob;

/* All knobs of mx_convert_opts, NULL-name-terminated. */
extern const mx_knob mx_knob_table[];
/* Enum value names (also used by other headers' tables). */
extern const char *const mx_round_names[];
extern const char *const mx_overflow_names[];

const mx_knob *mx_knob_find(const char *name);
/* Set knob `name` to `value` (a value name or number). 0 on success; -1 unknown knob;
 * -2 bad value. */
int mx_knob_set(mx_convert_opts *o, const char *name, const char *value);
/* Current value of a knob as text (static or from buf). */
const char *mx_knob_get(const mx_convert_opts *o, const mx_knob *k, char *buf, size_t buflen);
/* Parse "name=value"; same codes as mx_knob_set, -3 when there is no '='. */
int mx_knob_assign(mx_convert_opts *o, const char *assignment);
/* Index of `name` in a NULL-terminated name list, or -1. */
int mx_name_index(const char *const *names, const char *name);

#ifdef __cplusplus
}
#endif
#endif
