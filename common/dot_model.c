/* The dot model as data (include/mxconform/dot.h): value names, presets, the validity check,
 * and the model's one text form — "group=1 presum=0 ... step_round=rne", which `probe dot`
 * prints, `dot --fmt nvfp4 --param` sets one parameter of, and a profile file's `dot` line
 * holds. Here in the common library (not libmxref) because the profile parser needs it and
 * the oracle, libmxref and the harness all read the same tables. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mxconform/dot.h"

const char *const mx_dot_align_names[] = {"trunc", "floor", "rne", NULL};
const char *const mx_dot_scale_at_names[] = {"product", "group", NULL};
const char *const mx_dot_acc_names[] = {"separate", "fused", NULL};
const char *const mx_dot_c_at_names[] = {"first", "last", NULL};
const char *const mx_dot_round_names[] = {"rne", "rtz", NULL};
const char *const mx_dot_accum_names[] = {"exact", "f32-rne", "f32-rtz", NULL};
const char *const mx_dot_subnormal_names[] = {"keep", "flush", NULL};
const char *const mx_dot_assign_names[] = {"contiguous", "interleaved", NULL};

/* spec_notes/dot.md §4 explains every number here and which of them are our guesses. */
const mx_dot_preset mx_dot_presets[] = {
    {"exact-rne", "exact value, one rounding to nearest even (the ideal)", "MX 6.1/6.2; spec.md 4.4",
     MX_DOT_MODEL_EXACT_RNE},
    {"fp32-sequential", "each block's Dot exact then RNE to FP32; blocks added in FP32 RNE in order, C first",
     "MX 6.2 (FP32 result, intermediate precision open); peers.md D15",
     {0u, 0u, MX_DOT_FRAC_EXACT, MX_DOT_ALIGN_TRUNC, MX_DOT_SCALE_PRODUCT, MX_DOT_ACC_SEPARATE, MX_DOT_C_FIRST,
      MX_DOT_RNE, MX_DOT_ACCUM_F32_RNE, MX_DOT_SUBN_KEEP, MX_DOT_ASSIGN_CONTIGUOUS, MX_DOT_STEP_FRAC_F32, MX_DOT_RNE}},
    {"nvidia-hopper-fp8",
     "per block an FP8 MMA aligning 32 products with 13 fraction bits, truncated, its output truncated to "
     "13 fraction bits (e8m13); scales applied and blocks added in FP32 RNE (software scaling)",
     "Fasi et al. 2021; Khattak & Mikaitis 2025 (H100 fp8 neab -10: 13-bit output, RZ); MMA-Sim 2025 (13 bits, "
     "e8m13 output); DeepSeek-V3 3.3",
     {0u, 0u, 13, MX_DOT_ALIGN_TRUNC, MX_DOT_SCALE_GROUP, MX_DOT_ACC_SEPARATE, MX_DOT_C_FIRST, MX_DOT_RNE,
      MX_DOT_ACCUM_F32_RNE, MX_DOT_SUBN_KEEP, MX_DOT_ASSIGN_CONTIGUOUS, 13, MX_DOT_RTZ}},
    {"nvidia-blackwell-mxf8f6f4",
     "scales in the product exponents; 32 products + accumulator aligned with 25 fraction bits, truncated; "
     "RTZ to FP32 per block",
     "MMA-Sim 2025 (tcgen05.mma kind::mxf8f6f4); Khattak & Mikaitis 2025 (B200)",
     {0u, 0u, 25, MX_DOT_ALIGN_TRUNC, MX_DOT_SCALE_PRODUCT, MX_DOT_ACC_FUSED, MX_DOT_C_FIRST, MX_DOT_RTZ,
      MX_DOT_ACCUM_F32_RTZ, MX_DOT_SUBN_KEEP, MX_DOT_ASSIGN_CONTIGUOUS, MX_DOT_STEP_FRAC_F32, MX_DOT_RNE}},
    {"nvidia-blackwell-mxf4",
     "groups of 16 FP4 products summed exactly, scaled, aligned with the accumulator at 35 fraction bits, "
     "truncated; RTZ to FP32 per block",
     "MMA-Sim 2025 (kind::mxf4 / mxf4nvf4)",
     {0u, 16u, 35, MX_DOT_ALIGN_TRUNC, MX_DOT_SCALE_PRODUCT, MX_DOT_ACC_FUSED, MX_DOT_C_FIRST, MX_DOT_RTZ,
      MX_DOT_ACCUM_F32_RTZ, MX_DOT_SUBN_KEEP, MX_DOT_ASSIGN_CONTIGUOUS, MX_DOT_STEP_FRAC_F32, MX_DOT_RNE}},
    {"amd-cdna3",
     "16 products + accumulator per step aligned with 24 fraction bits rounding toward -inf; RNE to FP32 "
     "per step",
     "MMA-Sim 2025 (CDNA3 v_mfma fp8: fused dot, round-down alignment)",
     {16u, 0u, 24, MX_DOT_ALIGN_FLOOR, MX_DOT_SCALE_PRODUCT, MX_DOT_ACC_FUSED, MX_DOT_C_FIRST, MX_DOT_RNE,
      MX_DOT_ACCUM_F32_RNE, MX_DOT_SUBN_KEEP, MX_DOT_ASSIGN_CONTIGUOUS, MX_DOT_STEP_FRAC_F32, MX_DOT_RNE}},
    {NULL, NULL, NULL, MX_DOT_MODEL_EXACT_RNE}};

const mx_dot_preset *mx_dot_preset_find(const char *name) {
  if (!name) return NULL;
  for (const mx_dot_preset *p = mx_dot_presets; p->name; p++)
    if (!strcmp(p->name, name)) return p;
  return NULL;
}

void mx_dot_model_default(mx_dot_model *m) {
  const mx_dot_model d = MX_DOT_MODEL_EXACT_RNE;
  *m = d;
}

const char *mx_dot_model_check(const mx_dot_model *m) {
  if (!m) return "no model";
  if ((unsigned)m->align >= MX_DOT_ALIGN_COUNT) return "align: not trunc, floor or rne";
  if ((unsigned)m->scale_at >= MX_DOT_SCALE_AT_COUNT) return "scale_at: not product or group";
  if ((unsigned)m->acc >= MX_DOT_ACC_COUNT) return "acc: not separate or fused";
  if ((unsigned)m->c_at >= MX_DOT_C_AT_COUNT) return "c_at: not first or last";
  if ((unsigned)m->final_round >= MX_DOT_ROUND_COUNT) return "final_round: not rne or rtz";
  if ((unsigned)m->accum >= MX_DOT_ACCUM_COUNT) return "accum: not exact, f32-rne or f32-rtz";
  if ((unsigned)m->subnormal >= MX_DOT_SUBN_COUNT) return "subnormal: not keep or flush";
  if (m->frac_bits != MX_DOT_FRAC_EXACT && (m->frac_bits < 0 || m->frac_bits > MX_DOT_FRAC_MAX))
    return "frac_bits: not exact (-1) or 0..1000";
  if (m->acc == MX_DOT_ACC_FUSED && m->scale_at != MX_DOT_SCALE_PRODUCT)
    return "acc=fused needs scale_at=product (the accumulator cannot join an unscaled sum)";
  if ((unsigned)m->assign >= MX_DOT_ASSIGN_COUNT) return "assign: not contiguous or interleaved";
  if (m->step_frac < 0 || m->step_frac > MX_DOT_STEP_FRAC_F32) return "step_frac: not 0..23 (0 and 23: FP32)";
  if ((unsigned)m->step_round >= MX_DOT_ROUND_COUNT) return "step_round: not rne or rtz";
  if (m->step_frac != 0 && m->step_frac != MX_DOT_STEP_FRAC_F32 && m->accum == MX_DOT_ACCUM_EXACT)
    return "step_frac below 23 needs an FP32 accumulator (accum f32-rne or f32-rtz)";
  return NULL;
}

/* ---- the text form ------------------------------------------------------------------------ */

/* The parameters by name, in the order of the text form. Every field is an int or an enum
 * (int-sized). `alias`: the other name a parameter is read under ("final", the text form's
 * short name, is final_round everywhere else). */
typedef struct model_param {
  const char *name, *alias;
  const char *const *values; /* enum value names, or NULL: a decimal number (frac_bits also "exact") */
  size_t offset;
} model_param;

#define MP(name, alias, field, values) {name, alias, values, offsetof(mx_dot_model, field)}
static const model_param k_params[] = {
    MP("group", NULL, group, NULL),
    MP("presum", NULL, presum, NULL),
    MP("frac_bits", NULL, frac_bits, NULL),
    MP("align", NULL, align, mx_dot_align_names),
    MP("scale_at", NULL, scale_at, mx_dot_scale_at_names),
    MP("acc", NULL, acc, mx_dot_acc_names),
    MP("c_at", NULL, c_at, mx_dot_c_at_names),
    MP("final", "final_round", final_round, mx_dot_round_names),
    MP("accum", NULL, accum, mx_dot_accum_names),
    MP("subnormal", NULL, subnormal, mx_dot_subnormal_names),
    MP("assign", NULL, assign, mx_dot_assign_names),
    MP("step_frac", NULL, step_frac, NULL),
    MP("step_round", NULL, step_round, mx_dot_round_names),
    {NULL, NULL, NULL, 0},
};
#undef MP

#define PARAM_NAMES \
  "group presum frac_bits align scale_at acc c_at final (or final_round) accum subnormal assign step_frac step_round"

static const model_param *param_find(const char *key) {
  for (const model_param *p = k_params; p->name; p++)
    if (!strcmp(p->name, key) || (p->alias && !strcmp(p->alias, key))) return p;
  return NULL;
}

static void names_text(const char *const *names, char *buf, size_t len) {
  size_t o = 0;
  buf[0] = 0;
  for (int i = 0; names[i] && o < len; i++) o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? " " : "", names[i]);
}

int mx_dot_model_set(mx_dot_model *m, const char *key, const char *value, char *err, size_t errlen) {
  const model_param *p = param_find(key);
  if (!p) {
    snprintf(err, errlen, "unknown parameter '%s' (parameters: %s)", key, PARAM_NAMES);
    return -1;
  }
  int x = -1;
  if (p->values) {
    for (int i = 0; p->values[i]; i++)
      if (!strcmp(p->values[i], value)) x = i;
    if (x < 0) {
      char allowed[128];
      names_text(p->values, allowed, sizeof allowed);
      snprintf(err, errlen, "bad value '%s' for %s (allowed: %s)", value, p->name, allowed);
      return -1;
    }
  } else if (p->offset == offsetof(mx_dot_model, frac_bits) && !strcmp(value, "exact")) {
    x = MX_DOT_FRAC_EXACT;
  } else { /* decimal digits only, as a profile's sr_bits: no sign, no blanks, no hex */
    size_t n = strlen(value);
    int ok = n > 0 && n <= 4 && strspn(value, "0123456789") == n;
    if (ok) x = atoi(value);
    if (!ok || x > MX_DOT_FRAC_MAX) {
      snprintf(err, errlen, "bad value '%s' for %s (allowed: 0..%d%s)", value, p->name, MX_DOT_FRAC_MAX,
               p->offset == offsetof(mx_dot_model, frac_bits) ? " or exact" : "");
      return -1;
    }
  }
  memcpy((char *)m + p->offset, &x, sizeof x);
  return 0;
}

int mx_dot_model_parse(const char *text, mx_dot_model *m, char *err, size_t errlen) {
  char buf[1024], why[256];
  if (!text || strlen(text) >= sizeof buf) {
    snprintf(err, errlen, "model text missing or longer than %zu characters", sizeof buf - 1);
    return -1;
  }
  snprintf(buf, sizeof buf, "%s", text);
  mx_dot_model work = MX_DOT_MODEL_EXACT_RNE;
  unsigned set = 0; /* parameters given so far, by index in k_params */
  int words = 0, from_preset = 0;
  char *save = NULL;
  for (char *w = strtok_r(buf, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save), words++) {
    char *eq = strchr(w, '=');
    if (!eq) { /* a preset to start from (first word only), or `with` right after it */
      const mx_dot_preset *pr = mx_dot_preset_find(w);
      if (words == 0 && pr) {
        work = pr->model;
        from_preset = 1;
      } else if (words == 1 && from_preset && !strcmp(w, "with")) { /* run's names: "PRESET with p=v,..." */
        continue;
      } else {
        char all[256];
        size_t o = 0;
        for (const mx_dot_preset *q = mx_dot_presets; q->name && o < sizeof all; q++)
          o += (size_t)snprintf(all + o, sizeof all - o, "%s%s", o ? " " : "", q->name);
        snprintf(err, errlen,
                 words ? "'%s' is not parameter=value (a preset name may only come first)"
                       : "unknown preset '%s' (presets: %s; or give parameter=value words)",
                 w, all);
        return -1;
      }
      continue;
    }
    *eq = 0;
    const model_param *p = param_find(w);
    if (p && set & 1u << (p - k_params)) {
      snprintf(err, errlen, "parameter %s given twice", p->name);
      return -1;
    }
    if (mx_dot_model_set(&work, w, eq + 1, why, sizeof why)) {
      snprintf(err, errlen, "%s", why);
      return -1;
    }
    set |= 1u << (p - k_params);
  }
  if (words == 0) {
    snprintf(err, errlen, "empty model (give a preset name and/or parameter=value words)");
    return -1;
  }
  const char *bad = mx_dot_model_check(&work);
  if (bad) {
    snprintf(err, errlen, "not a valid model: %s", bad);
    return -1;
  }
  *m = work;
  return 0;
}

void mx_dot_model_format(const mx_dot_model *m, char *buf, size_t len) {
  size_t o = 0;
  if (len) buf[0] = 0;
  for (const model_param *p = k_params; p->name && o < len; p++) {
    int x;
    memcpy(&x, (const char *)m + p->offset, sizeof x);
    if (p->offset == offsetof(mx_dot_model, step_frac) && x == 0) x = MX_DOT_STEP_FRAC_F32; /* both mean FP32 */
    const char *sep = p == k_params ? "" : " ";
    int named = 0;
    while (p->values && p->values[named]) named++;
    if (p->values && x >= 0 && x < named) o += (size_t)snprintf(buf + o, len - o, "%s%s=%s", sep, p->name, p->values[x]);
    else if (x == MX_DOT_FRAC_EXACT) o += (size_t)snprintf(buf + o, len - o, "%s%s=exact", sep, p->name);
    else o += (size_t)snprintf(buf + o, len - o, "%s%s=%d", sep, p->name, x);
  }
}

int mx_dot_model_equal(const mx_dot_model *a, const mx_dot_model *b) {
  char x[256], y[256];
  mx_dot_model_format(a, x, sizeof x);
  mx_dot_model_format(b, y, sizeof y);
  return !strcmp(x, y);
}
