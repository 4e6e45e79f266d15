/* mxconform — format descriptor table.
 *
 * Every format mxconform knows is one row of a data table (common/formats.c): the
 * MX element formats, the E8M0 scale format and the source formats conversions start
 * from. Code elsewhere reads these fields instead of branching on the format's name,
 * so adding a format is adding a row. Every number in the table is pinned against the
 * OCP MX v1.0 / OFP8 spec tables by tests/test_format_table.c.
 *
 * Canonical names (CLI, vector files, reports):
 *   e4m3 e5m2 e2m3 e3m2 e2m1 int8 e8m0 f32 bf16 f16 f64
 *   e4m3fnuz e5m2fnuz e4m3b11fnuz e4m3ieee e3m4   (the other FP8 variants; spec_notes/formats.md)
 */
#ifndef MXCONFORM_FORMATS_H
#define MXCONFORM_FORMATS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mx_fmt {
  MX_E4M3 = 0, /* OFP8 E4M3 ("FN"): no Inf, NaN only at S.1111.111 */
  MX_E5M2,     /* OFP8 E5M2: IEEE-like, Inf and NaN at exponent 11111 */
  MX_E2M3,     /* MX FP6 E2M3: finite only */
  MX_E3M2,     /* MX FP6 E3M2: finite only */
  MX_E2M1,     /* MX FP4 E2M1: finite only */
  MX_INT8,     /* MXINT8 element: two's complement q, value q * 2^-6 */
  MX_E8M0,     /* MX scale: unsigned exponent only, 2^(E-127), 0xFF = NaN, no zero */
  MX_F32,      /* IEEE binary32 (source) */
  MX_BF16,     /* bfloat16 (source) */
  MX_F16,      /* IEEE binary16 (source) */
  MX_F64,      /* IEEE binary64 (source) */
  /* Other FP8 variants, after the OCP rows so that the values above never change (ABI). */
  MX_E4M3FNUZ,    /* E4M3 bias 8: no Inf, no -0, NaN only at 0x80 (AMD CDNA3, Graphcore) */
  MX_E5M2FNUZ,    /* E5M2 bias 16: no Inf, no -0, NaN only at 0x80 (AMD CDNA3, Graphcore) */
  MX_E4M3B11FNUZ, /* E4M3 bias 11: no Inf, no -0, NaN only at 0x80 (Google TPU) */
  MX_E4M3IEEE,    /* E4M3 bias 7, IEEE-like: Inf and NaN at exponent 1111 (LLVM Float8E4M3) */
  MX_E3M4,        /* E3M4 bias 3, IEEE-like: Inf and NaN at exponent 111 (LLVM Float8E3M4) */
  MX_FMT_COUNT
} mx_fmt;

/* How the bit pattern is read. */
typedef enum mx_fmt_kind {
  MX_KIND_FLOAT = 0, /* sign, biased exponent, trailing significand */
  MX_KIND_INT,       /* two's complement integer times 2^int_scale_log2 */
  MX_KIND_SCALE      /* unsigned biased exponent only (E8M0) */
} mx_fmt_kind;

/* Which codes are not finite numbers. */
typedef enum mx_specials {
  MX_SPECIALS_IEEE = 0,    /* all-ones exponent: Inf (M = 0) and NaN (M != 0) */
  MX_SPECIALS_NAN_ALLONES, /* no Inf; only all-ones exponent AND all-ones mantissa is NaN */
  MX_SPECIALS_NONE,        /* every code is a finite number */
  MX_SPECIALS_NAN_ALLBITS, /* only the all-ones code is NaN (E8M0 0xFF) */
  MX_SPECIALS_NAN_NEGZERO  /* FNUZ: no Inf, no -0; the would-be -0 code (sign bit alone) is the
                              only NaN, every other code is finite */
} mx_specials;

typedef struct mx_format_desc {
  mx_fmt id;
  const char *name;      /* canonical short name, e.g. "e4m3" */
  const char *long_name; /* e.g. "FP8 E4M3 (OFP8)" */
  mx_fmt_kind kind;
  int bits;      /* storage width of one code */
  int has_sign;  /* sign bit at position bits-1 (FLOAT) or two's complement (INT) */
  int ebits;     /* exponent field width (FLOAT, SCALE) */
  int mbits;     /* trailing significand width (FLOAT); magnitude bits (INT) */
  int bias;      /* exponent bias (FLOAT, SCALE) */
  int emax;      /* unbiased exponent of the largest finite binade; MX §6.3 emax_elem */
  int emin;      /* unbiased exponent of the smallest normal binade (FLOAT), smallest value (SCALE) */
  mx_specials specials;
  int int_scale_log2; /* INT: value = q * 2^int_scale_log2 (MXINT8: -6) */
  uint64_t max_code;  /* code of the largest positive finite value */
  int is_element;     /* an MX element or scale format (a conversion destination) */
  int is_source;      /* a conversion source format */
} mx_format_desc;

/* The descriptor of a format (never NULL for a valid id). */
const mx_format_desc *mx_format(mx_fmt id);
/* Look a format up by canonical name; returns -1 when unknown. */
int mx_format_by_name(const char *name);
/* Number of codes of a format (2^bits); sources wider than 32 bits return 0. */
uint64_t mx_format_code_count(mx_fmt id);

/* Classification of one code, shared vocabulary for oracle, reference and reports. */
typedef enum mx_class {
  MX_CLASS_ZERO = 0,
  MX_CLASS_SUBNORMAL,
  MX_CLASS_NORMAL,
  MX_CLASS_INF,
  MX_CLASS_NAN
} mx_class;

/* Class of a code, from the table alone (bit fields, no arithmetic). */
mx_class mx_classify(mx_fmt id, uint64_t code);
/* Sign bit of a code (0 for unsigned formats; INT: 1 when negative). */
int mx_code_sign(mx_fmt id, uint64_t code);
const char *mx_class_name(mx_class c);

#ifdef __cplusplus
}
#endif
#endif
