/* The knob table: every implementation-defined choice of scalar conversion, as data. */
#include "mxconform/knobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mx_round_names[] = {"rne", "rna", "rtz", "rup", "rdn", "sr", NULL};
const char *const mx_overflow_names[] = {"sat", "ovf", NULL};
static const char *const nan_sign_names[] = {"keep", "positive", "nan-input-positive", "negative", NULL};
static const char *const e5m2_nan_names[] = {"quiet", "allones", "propagate", NULL};
static const char *const inf_sat_names[] = {"max", "special", NULL};
static const char *const nan_finite_names[] = {"pos-max", "signed-max", "zero", "signed-zero",
                                               "inverted-zero", "refuse", NULL};
static const char *const inf_finite_names[] = {"max", "signed-zero", "refuse", NULL};
static const char *const int8_range_names[] = {"twos", "symmetric", NULL};
static const char *const subn_names[] = {"exact", "flush", NULL};
static const char *const e8m0_zero_names[] = {"min", "nan", NULL};
static const char *const e8m0_neg_names[] = {"abs", "nan", "min", "min-finite", "refuse", NULL};
static const char *const fnuz_zero_names[] = {"positive", "nan", "underflow-nan", NULL};
static const char *const ovf_directed_names[] = {"max", "special", NULL};
static const char *const e8m0_tie_names[] = {"even", "up", NULL};
static const char *const ovf_finite_names[] = {"max", "refuse", NULL};
static const char *const f64_src_names[] = {"direct", "via-f32", NULL};
static const char *const ovf_nan_names[] = {"nan", "refuse", NULL};
static const char *const e8m0_range_names[] = {"round-first", "check-first", NULL};

#define KNOB(n, s, f, v) {n, s, offsetof(mx_convert_opts, f), v, 0, 0, 0}
const mx_knob mx_knob_table[] = {
  KNOB("round", "rounding of the magnitude", round, mx_round_names),
  {"sr_bits", "random bits added below the last place by round=sr", offsetof(mx_convert_opts, sr_bits), NULL, 1, 1, 32},
  KNOB("overflow", "beyond max finite after rounding: saturate or Inf/NaN (OFP8 non-saturating)", overflow, mx_overflow_names),
  KNOB("nan_sign", "sign of a NaN that conversion produces in e4m3/e5m2 (from NaN, or from overflow/Inf under ovf): kept, always +, or + only for a NaN input", nan_sign, nan_sign_names),
  KNOB("e5m2_nan", "E5M2 (and e4m3ieee/e3m4) code of a NaN input: quiet S.11111.10, all-ones S.11111.11, or S.11111.1p with p the payload bits below the source's quiet bit", e5m2_nan, e5m2_nan_names),
  KNOB("inf_sat", "+-Inf input with overflow=sat: max finite, or the format's Inf/NaN", inf_sat, inf_sat_names),
  KNOB("nan_finite", "NaN input into e2m3/e3m2/e2m1/int8 (no NaN code)", nan_finite, nan_finite_names),
  KNOB("inf_finite", "+-Inf input into e2m3/e3m2/e2m1/int8 (no Inf code)", inf_finite, inf_finite_names),
  KNOB("int8_range", "MXINT8 encoder range: [-128,127] or symmetric [-127,127]", int8_range, int8_range_names),
  KNOB("src_subnormals", "subnormal source values: exact, or flushed to signed zero", src_subnormals, subn_names),
  KNOB("e8m0_zero", "+-0 into e8m0 (no zero code): 0x00 or NaN", e8m0_zero, e8m0_zero_names),
  KNOB("e8m0_neg", "negative value into e8m0 (no sign): |x|, NaN, 0x00, 0x00 for finite ones only (-Inf as +Inf), or refused", e8m0_neg, e8m0_neg_names),
  KNOB("fnuz_zero", "-0 result in e4m3fnuz/e5m2fnuz/e4m3b11fnuz (no -0; 0x80 is NaN), from -0 or a negative value rounding to zero: +0, 0x80, or 0x80 only for the rounded one", fnuz_zero, fnuz_zero_names),
  KNOB("ovf_directed", "overflow under rtz (rup of a negative, rdn of a positive) with overflow=ovf: max finite (IEEE 754 7.4) or the Inf/NaN (truncate, then range-check)", ovf_directed, ovf_directed_names),
  KNOB("e8m0_tie", "ties of round=rne into e8m0 (no significand bit): to the even code, or up", e8m0_tie, e8m0_tie_names),
  KNOB("ovf_finite", "overflow with overflow=ovf into e2m3/e3m2/e2m1/int8 (no Inf/NaN): max finite, or refused", ovf_finite, ovf_finite_names),
  KNOB("f64_src", "f64 source of cvt: converted directly, or rounded to f32 (RNE) first", f64_src, f64_src_names),
  KNOB("ovf_nan", "the NaN that overflow (ovf) or an Inf input makes in e4m3/e4m3fnuz/e5m2fnuz/e4m3b11fnuz (no Inf): the NaN, or refused", ovf_nan, ovf_nan_names),
  KNOB("e8m0_range", "e8m0 range test on the rounded value, or first: above 2^127 overflows, a positive value below 2^-127 converts as zero", e8m0_range, e8m0_range_names),
  {NULL, NULL, 0, NULL, 0, 0, 0},
};

int mx_convert_opts_may_refuse(const mx_convert_opts *o) {
  return o->nan_finite == MX_NANF_REFUSE || o->inf_finite == MX_INFF_REFUSE || o->ovf_finite == MX_OVF_FINITE_REFUSE ||
         o->ovf_nan == MX_OVF_NAN_REFUSE || o->e8m0_neg == MX_E8M0_NEG_REFUSE;
}

void mx_convert_opts_default(mx_convert_opts *o) {
  mx_convert_opts d = MX_CONVERT_OPTS_DEFAULT;
  *o = d;
}

int mx_name_index(const char *const *names, const char *name) {
  for (int i = 0; names[i]; i++)
    if (strcmp(names[i], name) == 0) return i;
  return -1;
}

const mx_knob *mx_knob_find(const char *name) {
  for (const mx_knob *k = mx_knob_table; k->name; k++)
    if (strcmp(k->name, name) == 0) return k;
  return NULL;
}

/* Knob fields are enums or unsigned: all int-sized, so one accessor serves. */
static unsigned *field(mx_convert_opts *o, const mx_knob *k) { return (unsigned *)((char *)o + k->offset); }
static const unsigned *cfield(const mx_convert_opts *o, const mx_knob *k) {
  return (const unsigned *)((const char *)o + k->offset);
}

int mx_knob_set(mx_convert_opts *o, const char *name, const char *value) {
  const mx_knob *k = mx_knob_find(name);
  if (!k) return -1;
  if (k->is_number) {
    char *end = NULL;
    unsigned long v = strtoul(value, &end, 10);
    if (!*value || *end || v < k->min || v > k->max) return -2;
    *field(o, k) = (unsigned)v;
    return 0;
  }
  int i = mx_name_index(k->values, value);
  if (i < 0) return -2;
  *field(o, k) = (unsigned)i;
  return 0;
}

const char *mx_knob_get(const mx_convert_opts *o, const mx_knob *k, char *buf, size_t buflen) {
  unsigned v = *cfield(o, k);
  if (k->is_number) {
    snprintf(buf, buflen, "%u", v);
    return buf;
  }
  for (unsigned i = 0; k->values[i]; i++)
    if (i == v) return k->values[i];
  return "?";
}

int mx_knob_assign(mx_convert_opts *o, const char *a) {
  const char *eq = strchr(a, '=');
  if (!eq) return -3;
  char name[64];
  size_t n = (size_t)(eq - a);
  if (n >= sizeof name) return -1;
  memcpy(name, a, n);
  name[n] = 0;
  return mx_knob_set(o, name, eq + 1);
}
