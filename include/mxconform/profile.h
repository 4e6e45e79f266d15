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
 * Keys are the knob names (mx_profile_keys()); values as in the knob tables. Unknown keys,
 * bad values, duplicate keys and malformed lines are errors reported as "file:line: reason".
 */
#ifndef MXCONFORM_PROFILE_H
#define MXCONFORM_PROFILE_H

#include <stddef.h>
#include <stdio.h>

#include "mxconform/block.h"
#include "mxconform/nvfp4.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mx_profile {
  char name[64];
  mx_block_opts o;           /* scalar knobs in o.elem, block knobs beside them */
  mx_pack_layout fp4_layout; /* MX_PACK_FP4_LOW (default) or MX_PACK_FP4_HIGH */
  mx_pack_layout fp6_layout; /* MX_PACK_BYTE (default) or MX_PACK_FP6_LSB */
  mx_nvfp4_opts nvfp4;       /* NVFP4 quantize/dequantize choices (keys nvfp4_*) */
} mx_profile;

/* Built-in profile names, NULL-terminated: ocp nvidia-rceil torchao-ceil torchao-even
 * microxcaling gfloat nvfp4-te. */
extern const char *const mx_profile_builtin_names[];

/* Fill p with built-in `name`; 0 on success, -1 unknown. */
int mx_profile_builtin(const char *name, mx_profile *p);

/* Set one key (any scalar knob, block knob, or fp4_pack / fp6_pack). 0 ok, -1 unknown key,
 * -2 bad value. */
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

/* Write every key = value (a complete profile file). */
void mx_profile_write(FILE *f, const mx_profile *p);

/* Keys whose values differ between a and b, written as "key: a-value -> b-value; ..." into
 * buf (empty when equal). Returns the number of differing keys. */
int mx_profile_diff(const mx_profile *a, const mx_profile *b, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
