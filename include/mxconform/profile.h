/* mxconform — profiles: a named set of knob values.
 *
 * A profile fixes every implementation-defined choice: the scalar conversion knobs
 * (knobs.h), the block knobs (block.h) and the packing layouts. `ocp` is the default and
 * the OCP-faithful choice wherever the spec fixes one. Built-in profiles name real
 * implementations' choices and cite their sources in spec_notes/profiles.md.
 *
 * Profile file format (UTF-8 text, one setting per line):
 *     # comment
 *     name = my-accelerator        (optional; defaults to the file name)
 *     base = ocp                   (optional, must come first: start from a built-in)
 *     rule = rceil
 *     round = rne
 *     nan_finite = signed-zero
 *     e8m0_zero = nan when overflow=ovf   (a conditional value: see mx_knob_rule below)
 *     dot = group=1 accum=f32-rne c_at=last  (the dot model: see mx_profile_dot_model below)
 * Keys are the knob names (mx_profile_keys()); values as in the knob tables. Unknown keys,
 * bad values, duplicate keys and malformed lines are errors reported as "file:line: reason".
 */
#ifndef MXCONFORM_PROFILE_H
#define MXCONFORM_PROFILE_H

#include <stddef.h>
#include <stdio.h>

#include <stdint.h>

#include "mxconform/block.h"
#include "mxconform/dot.h"
#include "mxconform/formats.h"
#include "mxconform/nvfp4.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- conditional knob values --------------------------------------------------------
 * Real libraries choose a scalar knob's value by the request: E8M0 zero is NaN when
 * non-saturating and 0x00 when saturating (ml_dtypes); an f64 NaN keeps its sign where the
 * f32 one does not (CUDA's entry points). A profile says so with rules, one per line after
 * the plain value:
 *     e8m0_zero = min
 *     e8m0_zero = nan  when overflow=ovf
 *     nan_sign  = keep when src=f64 dst=e4m3,e5m2
 * A condition is a list of `what=v1,v2,...` (all must hold; a list is any of its values):
 * op (cvt quantize dequantize dot), src and dst (format names; for quantize dst is the
 * element format), round (mx_round names), overflow (sat ovf). The knobs in force for a
 * request: the plain values, then every rule whose condition holds, in file order (a later
 * rule wins). `round` and `overflow` are chosen by each request and take no rules. */

typedef enum mx_op_kind { MX_OPK_CVT = 0, MX_OPK_QUANTIZE, MX_OPK_DEQUANTIZE, MX_OPK_DOT, MX_OPK_COUNT } mx_op_kind;
extern const char *const mx_op_kind_names[]; /* "cvt" "quantize" "dequantize" "dot", NULL */

typedef struct mx_knob_cond { /* each a set of values as bits (1u << value); 0 = any */
  uint32_t op, src, dst, round, overflow;
} mx_knob_cond;

typedef struct mx_knob_rule {
  int knob;       /* index into mx_knob_table */
  unsigned value; /* the knob's value (enum index, or sr_bits) */
  mx_knob_cond when;
} mx_knob_rule;

/* What a request is, for matching rules. */
typedef struct mx_knob_context {
  mx_op_kind op;
  mx_fmt src, dst;
  mx_round round;
  mx_overflow overflow;
} mx_knob_context;

#define MX_PROFILE_MAX_RULES 32

typedef struct mx_profile {
  char name[64];
  mx_block_opts o;           /* scalar knobs in o.elem, block knobs beside them */
  mx_pack_layout fp4_layout; /* MX_PACK_FP4_LOW (default) or MX_PACK_FP4_HIGH */
  mx_pack_layout fp6_layout; /* MX_PACK_BYTE (default) or MX_PACK_FP6_LSB */
  mx_nvfp4_opts nvfp4;       /* NVFP4 quantize/dequantize choices (keys nvfp4_*) */
  int nrules;                /* conditional knob values, in order */
  mx_knob_rule rules[MX_PROFILE_MAX_RULES];
  int has_dot;               /* the file has a `dot` line: dot below is the dot model */
  mx_dot_model dot;          /* read through mx_profile_dot_model */
} mx_profile;

/* ---- the dot model --------------------------------------------------------------------
 * How the implementation accumulates a DotGeneral (include/mxconform/dot.h): the MX spec
 * leaves order and internal precision open, so a profile may name the model its
 * implementation chose, in a `dot` line holding the model's text form (mx_dot_model_parse:
 * a preset name and/or parameter=value words):
 *     dot = group=1 presum=0 frac_bits=exact accum=f32-rne c_at=last
 * Every expected value of a dot or nvfp4_dot case (oracle and libmxref) is computed under
 * it. Without a `dot` line the model is exact-rne, the ideal; built-ins have none. */
const mx_dot_model *mx_profile_dot_model(const mx_profile *p);
/* Give p dot model m (NULL: none, i.e. exact-rne). */
void mx_profile_set_dot_model(mx_profile *p, const mx_dot_model *m);

/* The scalar knobs in force for request c: p->o.elem with c's round and overflow, then the
 * rules that match c. Every place that computes expected values goes through this (or
 * mx_profile_block_opts), so oracle and reference honour the same rules. Block ops get no
 * per-value refusal (a library refuses a whole call there): a `refuse` value resolves to
 * the knob's default for them. */
void mx_profile_resolve(const mx_profile *p, const mx_knob_context *c, mx_convert_opts *out);

/* p->o with o.elem resolved for a block op (quantize: src -> element format `elem`, with the
 * profile's own round and overflow; dequantize and dot: src = dst = elem). */
mx_block_opts mx_profile_block_opts(const mx_profile *p, mx_op_kind op, mx_fmt src, mx_fmt elem);

/* 1 when rule condition w holds for c. */
int mx_knob_cond_matches(const mx_knob_cond *w, const mx_knob_context *c);

/* Parse a condition ("src=f64 overflow=ovf"); 0 ok, else -1 with a reason in err. */
int mx_knob_cond_parse(const char *text, mx_knob_cond *w, char *err, size_t errlen);
/* Write a condition in the form mx_knob_cond_parse reads ("" for "any"). */
void mx_knob_cond_format(const mx_knob_cond *w, char *buf, size_t len);

/* Append rule `key = value when cond_text`. 0 ok; -1 unknown or non-scalar key (or round /
 * overflow); -2 bad value; -3 bad condition (reason in err); -4 no room (MX_PROFILE_MAX_RULES). */
int mx_profile_add_rule(mx_profile *p, const char *key, const char *value, const char *cond_text, char *err,
                        size_t errlen);

/* A rule as one profile line's right-hand side: "nan when overflow=ovf". */
void mx_knob_rule_format(const mx_knob_rule *r, char *buf, size_t len);

/* Built-in profile names, NULL-terminated: ocp nvidia-rceil torchao-ceil torchao-even
 * microxcaling gfloat nvfp4-te. */
extern const char *const mx_profile_builtin_names[];

/* Fill p with built-in `name`; 0 on success, -1 unknown. */
int mx_profile_builtin(const char *name, mx_profile *p);

/* Set one key (any scalar knob, block knob, or fp4_pack / fp6_pack) for every request: a
 * scalar knob's rules are dropped. 0 ok, -1 unknown key, -2 bad value. */
int mx_profile_set(mx_profile *p, const char *key, const char *value);

/* Current value of a key as text; NULL for an unknown key. */
const char *mx_profile_get(const mx_profile *p, const char *key, char *buf, size_t len);

/* All keys, NULL-terminated, in a stable order (scalar knobs, block knobs, packing). */
const char *const *mx_profile_keys(void);

/* Allowed values of a key as one space-separated string (for messages), or NULL. */
const char *mx_profile_key_values(const char *key, char *buf, size_t len);

/* Parse profile text. `origin` names the source in messages. 0 ok; nonzero on error, with
 * "origin:line: reason" in err. */
int mx_profile_parse(const char *text, size_t len, const char *origin, mx_profile *p, char *err, size_t errlen);

/* A built-in name or a file path. 0 ok; nonzero with "path:line: reason" in err. */
int mx_profile_load(const char *name_or_path, mx_profile *p, char *err, size_t errlen);

/* Write every key = value, the dot model when the profile has one, then every rule (a
 * complete profile file). */
void mx_profile_write(FILE *f, const mx_profile *p);

/* Keys whose values differ between a and b, written as "key: a-value -> b-value; ..." into
 * buf (empty when equal), then the rules one has and the other lacks ("+key = v when c",
 * "-key = v when c"). Returns the number of differences. */
int mx_profile_diff(const mx_profile *a, const mx_profile *b, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
