/* Profiles: built-in knob sets, key access, and the profile file parser (profile.h).
 *
 * The keys are the scalar knobs of mx_knob_table followed by the block knobs and the two
 * packing keys, which are described here as data (name, allowed value names, field). The
 * parser is written for untrusted input: it never reads past `len`, copies through fixed
 * buffers with explicit bounds, and rejects control bytes rather than guessing. */
#include "mxconform/profile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the block and packing keys, as data ---------------------------------------------- */

static const char *const nan_block_names[] = {"nan-scale", "ignore", NULL};
static const char *const inf_block_names[] = {"nan-scale", "max-scale", "ignore", NULL};
static const char *const zero_block_names[] = {"min", "one", NULL};
static const char *const scale_overflow_names[] = {"nan", "clamp", NULL};
static const char *const dequant_overflow_names[] = {"inf", "sat", NULL};
static const char *const fp4_pack_names[] = {"fp4-low", "fp4-high", NULL};
static const char *const fp6_pack_names[] = {"byte", "fp6-lsb", NULL};
/* the enum value each packing name stands for (the other keys' values are their index) */
static const int fp4_pack_values[] = {MX_PACK_FP4_LOW, MX_PACK_FP4_HIGH};
static const int fp6_pack_values[] = {MX_PACK_BYTE, MX_PACK_FP6_LSB};

typedef struct profile_key {
  const char *name;
  size_t offset;             /* offsetof(mx_profile, field); the field is an int-sized enum */
  const char *const *values; /* value names, NULL-terminated */
  const int *enum_values;    /* the enum value of each name; NULL: the name's index */
} profile_key;

#define BLOCK_KEY(n, f, v) {n, offsetof(mx_profile, o) + offsetof(mx_block_opts, f), v, NULL}
#define NVFP4_KEY(n, f, v) {n, offsetof(mx_profile, nvfp4) + offsetof(mx_nvfp4_opts, f), v, NULL}
static const profile_key k_block_keys[] = {
  BLOCK_KEY("rule", rule, mx_scale_rule_names),
  BLOCK_KEY("nan_block", nan_block, nan_block_names),
  BLOCK_KEY("inf_block", inf_block, inf_block_names),
  BLOCK_KEY("zero_block", zero_block, zero_block_names),
  BLOCK_KEY("scale_overflow", scale_overflow, scale_overflow_names),
  BLOCK_KEY("dequant_overflow", dequant_overflow, dequant_overflow_names),
  {"fp4_pack", offsetof(mx_profile, fp4_layout), fp4_pack_names, fp4_pack_values},
  {"fp6_pack", offsetof(mx_profile, fp6_layout), fp6_pack_names, fp6_pack_values},
  NVFP4_KEY("nvfp4_tensor_scale", tensor_scale, mx_nvfp4_tensor_scale_names),
  NVFP4_KEY("nvfp4_block_scale", block_scale, mx_nvfp4_block_scale_names),
  NVFP4_KEY("nvfp4_elem_scale", elem_scale, mx_nvfp4_elem_scale_names),
  NVFP4_KEY("nvfp4_dequant", dequant, mx_nvfp4_dequant_names),
  NVFP4_KEY("nvfp4_scale_sign", scale_sign, mx_nvfp4_scale_sign_names),
  {NULL, 0, NULL, NULL},
};

static const profile_key *block_key_find(const char *name) {
  for (const profile_key *k = k_block_keys; k->name; k++)
    if (strcmp(k->name, name) == 0) return k;
  return NULL;
}

/* Every enum field has the size of an int (the assertion below checks it). */
_Static_assert(sizeof(mx_scale_rule) == sizeof(int) && sizeof(mx_nan_block) == sizeof(int) &&
                   sizeof(mx_inf_block) == sizeof(int) && sizeof(mx_zero_block) == sizeof(int) &&
                   sizeof(mx_scale_overflow) == sizeof(int) && sizeof(mx_dequant_overflow) == sizeof(int) &&
                   sizeof(mx_pack_layout) == sizeof(int) && sizeof(mx_nvfp4_tensor_scale) == sizeof(int) &&
                   sizeof(mx_nvfp4_block_scale) == sizeof(int) && sizeof(mx_nvfp4_elem_scale) == sizeof(int) &&
                   sizeof(mx_nvfp4_dequant) == sizeof(int) && sizeof(mx_nvfp4_scale_sign) == sizeof(int),
               "profile keys are accessed as int fields");
static int *key_field(mx_profile *p, const profile_key *k) { return (int *)((char *)p + k->offset); }
static const int *key_cfield(const mx_profile *p, const profile_key *k) {
  return (const int *)((const char *)p + k->offset);
}

static int key_enum_value(const profile_key *k, int index) { return k->enum_values ? k->enum_values[index] : index; }

/* ---- the key list ----------------------------------------------------------------------- */

/* Built once from the knob table, so a new scalar knob is a profile key with no edit here. */
#define MAX_KEYS 64
static const char *g_keys[MAX_KEYS + 1];
static pthread_once_t g_keys_once = PTHREAD_ONCE_INIT;

static void build_keys(void) {
  size_t n = 0;
  for (const mx_knob *k = mx_knob_table; k->name && n < MAX_KEYS; k++) g_keys[n++] = k->name;
  for (const profile_key *k = k_block_keys; k->name && n < MAX_KEYS; k++) g_keys[n++] = k->name;
  g_keys[n] = NULL;
}

const char *const *mx_profile_keys(void) {
  pthread_once(&g_keys_once, build_keys);
  return g_keys;
}

/* ---- built-ins ---------------------------------------------------------------------------- */

const char *const mx_profile_builtin_names[] = {"ocp",          "nvidia-rceil", "torchao-ceil", "torchao-even",
                                                "microxcaling", "gfloat",       "nvfp4-te",     NULL};

static void profile_defaults(mx_profile *p, const char *name) {
  memset(p, 0, sizeof *p);
  snprintf(p->name, sizeof p->name, "%s", name);
  mx_block_opts_default(&p->o);
  p->fp4_layout = MX_PACK_FP4_LOW;
  p->fp6_layout = MX_PACK_BYTE;
  mx_nvfp4_opts nv = MX_NVFP4_OPTS_DEFAULT;
  p->nvfp4 = nv;
  mx_dot_model_default(&p->dot); /* has_dot 0: no dot line, the model is exact-rne */
}

/* Each built-in starts from `ocp` and changes only what its source documents; the values
 * and their sources are listed in spec_notes/profiles.md. */
int mx_profile_builtin(const char *name, mx_profile *p) {
  if (!name) return -1;
  int i = mx_name_index(mx_profile_builtin_names, name);
  if (i < 0) return -1;
  profile_defaults(p, name);
  mx_block_opts *o = &p->o;
  if (!strcmp(name, "nvidia-rceil")) {
    /* cuDNN/cuBLAS/TE MXFP8: scale = amax / max_elem rounded up (cvt.rp.satfinite.ue8m0),
     * elements cvt.rn.satfinite. E8M0 RP+SATFINITE sends +Inf to 0xFE and NaN to 0xFF;
     * the float FP8 entry points canonicalise a NaN input to +NaN 0x7F (E5M2 all-ones),
     * while the NaN that __NV_NOSAT makes from overflow keeps the sign. */
    o->rule = MX_RULE_RCEIL;
    o->inf_block = MX_INFB_MAX_SCALE;
    o->scale_overflow = MX_SCALEOVF_CLAMP;
    o->elem.nan_sign = MX_NAN_SIGN_NAN_INPUT_POSITIVE;
    o->elem.e5m2_nan = MX_E5M2_NAN_ALLONES;
  } else if (!strcmp(name, "torchao-ceil") || !strcmp(name, "torchao-even")) {
    /* torchao ScaleCalculationMode CEIL / EVEN; NaN or Inf amax -> 0xFF; exponent clamped
     * to 128 = NaN above the range; PyTorch's E5M2 NaN is 0x7F (all-ones), sign kept. */
    o->rule = !strcmp(name, "torchao-ceil") ? MX_RULE_CEIL : MX_RULE_EVEN;
    o->elem.e5m2_nan = MX_E5M2_NAN_ALLONES;
  } else if (!strcmp(name, "microxcaling")) {
    /* microsoft/microxcaling defaults: round "nearest" = ties away, symmetric int8,
     * NaN/Inf amax -> NaN scale, shared exponent above 127 -> NaN */
    o->elem.round = MX_RNA;
    o->elem.int8_range = MX_INT8_SYMMETRIC;
  } else if (!strcmp(name, "nvfp4-te")) {
    /* NVIDIA Transformer Engine's NVFP4 kernels (core_nvfp4.cuh, dequantize_nvfp4.cuh):
     * binary32 encode scale 2688/amax and its reciprocal, block scale through
     * RN(S_enc * RN(1/6)), elements times an FP32 reciprocal, a per-block decode factor.
     * spec_notes/nvfp4.md §3. */
    mx_nvfp4_opts te = MX_NVFP4_OPTS_TE;
    p->nvfp4 = te;
  } else if (!strcmp(name, "gfloat")) {
    /* graphcore gfloat encode_block: log2 of an Inf amax clips to 127 (2^127, elements
     * saturate), scale exponent clipped to [-127, 127] */
    o->inf_block = MX_INFB_MAX_SCALE;
    o->scale_overflow = MX_SCALEOVF_CLAMP;
  }
  return 0;
}

/* ---- set / get ------------------------------------------------------------------------------ */

/* A number knob's value: decimal digits only. strtoul alone would also take a sign, a
 * leading blank or a wrapped-around negative, none of which mx_profile_write gives back. */
static int plain_decimal(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 9) return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

/* Set a key's plain value, leaving its rules. */
static int set_plain(mx_profile *p, const char *key, const char *value) {
  if (!key || !value) return -1;
  const mx_knob *kn = mx_knob_find(key);
  if (kn) {
    if (kn->is_number && !plain_decimal(value)) return -2;
    return mx_knob_set(&p->o.elem, key, value);
  }
  const profile_key *k = block_key_find(key);
  if (!k) return -1;
  int i = mx_name_index(k->values, value);
  if (i < 0) return -2;
  *key_field(p, k) = key_enum_value(k, i);
  return 0;
}

int mx_profile_set(mx_profile *p, const char *key, const char *value) {
  int rc = set_plain(p, key, value);
  const mx_knob *kn = rc == 0 ? mx_knob_find(key) : NULL;
  if (!kn) return rc;
  int n = 0, ki = (int)(kn - mx_knob_table);
  for (int i = 0; i < p->nrules; i++) /* the value now holds for every request */
    if (p->rules[i].knob != ki) p->rules[n++] = p->rules[i];
  p->nrules = n;
  return 0;
}

const char *mx_profile_get(const mx_profile *p, const char *key, char *buf, size_t len) {
  if (!key) return NULL;
  const mx_knob *kn = mx_knob_find(key);
  if (kn) return mx_knob_get(&p->o.elem, kn, buf, len);
  const profile_key *k = block_key_find(key);
  if (!k) return NULL;
  int v = *key_cfield(p, k);
  for (int i = 0; k->values[i]; i++)
    if (key_enum_value(k, i) == v) return k->values[i];
  return "?"; /* a field holding no valid value: visible in diffs, never matches a name */
}

/* Append to a bounded buffer; keeps it NUL-terminated, silently truncating. */
static void append(char *buf, size_t len, size_t *used, const char *fmt, ...) {
  if (!buf || len == 0 || *used >= len - 1) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf + *used, len - *used, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  *used += (size_t)n < len - *used ? (size_t)n : len - 1 - *used;
}

const char *mx_profile_key_values(const char *key, char *buf, size_t len) {
  if (!key || !buf || len == 0) return NULL;
  size_t used = 0;
  buf[0] = 0;
  const char *const *names = NULL;
  const mx_knob *kn = mx_knob_find(key);
  if (kn) {
    if (kn->is_number) {
      append(buf, len, &used, "%u..%u", kn->min, kn->max);
      return buf;
    }
    names = kn->values;
  } else {
    const profile_key *k = block_key_find(key);
    if (!k) return NULL;
    names = k->values;
  }
  for (int i = 0; names[i]; i++) append(buf, len, &used, "%s%s", i ? " " : "", names[i]);
  return buf;
}

const mx_dot_model *mx_profile_dot_model(const mx_profile *p) {
  static const mx_dot_model exact = MX_DOT_MODEL_EXACT_RNE;
  return p && p->has_dot ? &p->dot : &exact;
}

void mx_profile_set_dot_model(mx_profile *p, const mx_dot_model *m) {
  p->has_dot = m != NULL;
  if (m) p->dot = *m;
  else mx_dot_model_default(&p->dot);
}

void mx_profile_write(FILE *f, const mx_profile *p) {
  char buf[64];
  fprintf(f, "# mxconform profile: every key, so the file stands on its own\n");
  fprintf(f, "name = %s\n", p->name);
  for (const char *const *k = mx_profile_keys(); *k; k++)
    fprintf(f, "%s = %s\n", *k, mx_profile_get(p, *k, buf, sizeof buf));
  if (p->has_dot) {
    char model[256];
    mx_dot_model_format(&p->dot, model, sizeof model);
    fprintf(f, "dot = %s\n", model);
  }
  if (p->nrules) fprintf(f, "# conditional values: the last rule whose condition holds wins\n");
  char rule[512];
  for (int i = 0; i < p->nrules; i++) {
    mx_knob_rule_format(&p->rules[i], rule, sizeof rule);
    fprintf(f, "%s = %s\n", mx_knob_table[p->rules[i].knob].name, rule);
  }
}

/* 1 when profile q holds rule r (same knob, value and condition). */
static int has_rule(const mx_profile *q, const mx_knob_rule *r) {
  for (int i = 0; i < q->nrules; i++)
    if (q->rules[i].knob == r->knob && q->rules[i].value == r->value && !memcmp(&q->rules[i].when, &r->when, sizeof r->when))
      return 1;
  return 0;
}

int mx_profile_diff(const mx_profile *a, const mx_profile *b, char *buf, size_t len) {
  size_t used = 0;
  if (buf && len) buf[0] = 0;
  int n = 0;
  char va[64], vb[64];
  for (const char *const *k = mx_profile_keys(); *k; k++) {
    const char *x = mx_profile_get(a, *k, va, sizeof va), *y = mx_profile_get(b, *k, vb, sizeof vb);
    if (strcmp(x, y) == 0) continue;
    append(buf, len, &used, "%s%s: %s -> %s", n ? "; " : "", *k, x, y);
    n++;
  }
  if (!mx_dot_model_equal(mx_profile_dot_model(a), mx_profile_dot_model(b))) {
    char ma[256], mb[256];
    mx_dot_model_format(mx_profile_dot_model(a), ma, sizeof ma);
    mx_dot_model_format(mx_profile_dot_model(b), mb, sizeof mb);
    append(buf, len, &used, "%sdot: %s -> %s", n ? "; " : "", ma, mb);
    n++;
  }
  char rule[512];
  for (int side = 0; side < 2; side++) { /* -: a's rules b lacks; +: b's rules a lacks */
    const mx_profile *from = side ? b : a, *other = side ? a : b;
    for (int i = 0; i < from->nrules; i++) {
      if (has_rule(other, &from->rules[i])) continue;
      mx_knob_rule_format(&from->rules[i], rule, sizeof rule);
      append(buf, len, &used, "%s%c%s = %s", n ? "; " : "", side ? '+' : '-', mx_knob_table[from->rules[i].knob].name, rule);
      n++;
    }
  }
  return n;
}

/* ---- the parser --------------------------------------------------------------------------- */

#define TOKEN_MAX 128 /* longer keys and values are kept only as a truncated copy for messages */
#define NAME_CHARS "A-Z a-z 0-9 . _ + -"

typedef struct parse_state {
  const char *origin;
  char *err;
  size_t errlen;
  int line;
} parse_state;

static int fail(parse_state *ps, const char *fmt, ...) {
  if (!ps->err || ps->errlen == 0) return 1;
  size_t used = 0;
  ps->err[0] = 0;
  append(ps->err, ps->errlen, &used, "%s:%d: ", ps->origin, ps->line);
  if (used < ps->errlen - 1) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err + used, ps->errlen - used, fmt, ap);
    va_end(ap);
  }
  return 1;
}

/* Copy [s, s+n) into a TOKEN_MAX buffer; a longer token is cut and marked with "...". */
static void copy_token(char out[TOKEN_MAX], const char *s, size_t n) {
  if (n < TOKEN_MAX) {
    memcpy(out, s, n);
    out[n] = 0;
    return;
  }
  memcpy(out, s, TOKEN_MAX - 4);
  memcpy(out + TOKEN_MAX - 4, "...", 4);
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static int name_char_ok(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '+' || c == '-';
}

static int name_ok(const char *s, size_t n) {
  if (n == 0 || n >= sizeof(((mx_profile *)0)->name)) return 0;
  for (size_t i = 0; i < n; i++)
    if (!name_char_ok(s[i])) return 0;
  return 1;
}

/* The default name: the origin's file name without directory and extension, with any
 * character a name may not hold replaced by '_'. */
static void name_from_origin(const char *origin, char *name, size_t len) {
  const char *base = origin ? origin : "";
  for (const char *c = base; *c; c++)
    if (*c == '/') base = c + 1;
  size_t n = strlen(base);
  const char *dot = strrchr(base, '.');
  if (dot && dot != base) n = (size_t)(dot - base);
  if (n >= len) n = len - 1;
  for (size_t i = 0; i < n; i++) name[i] = name_char_ok(base[i]) ? base[i] : '_';
  name[n] = 0;
  if (n == 0) snprintf(name, len, "custom");
}

static void valid_keys_text(char *buf, size_t len) {
  size_t used = 0;
  buf[0] = 0;
  append(buf, len, &used, "name base dot");
  for (const char *const *k = mx_profile_keys(); *k; k++) append(buf, len, &used, " %s", *k);
}

/* Which line set each key first (0: not yet); indexed like mx_profile_keys(), plus name
 * and base at the end. */
typedef struct seen_lines {
  int key[MAX_KEYS];
  int name, base, dot;
} seen_lines;

static int key_index(const char *key) {
  const char *const *keys = mx_profile_keys();
  for (int i = 0; keys[i]; i++)
    if (strcmp(keys[i], key) == 0) return i;
  return -1;
}

/* The keyword `when` of a conditional value ("nan when overflow=ovf"): a blank-delimited
 * word in [v, v+n), or NULL. */
static const char *find_when(const char *v, size_t n) {
  for (size_t i = 1; i + 4 <= n; i++)
    if (is_blank(v[i - 1]) && !memcmp(v + i, "when", 4) && (i + 4 == n || is_blank(v[i + 4]))) return v + i;
  return NULL;
}

/* `key = value when condition`: a rule (profile.h). */
static int parse_rule(parse_state *ps, mx_profile *p, const char *key, const char *v, size_t vn, const char *c,
                      size_t cn) {
  while (vn > 0 && is_blank(v[vn - 1])) vn--;
  char value[TOKEN_MAX], cond[512], why[256];
  if (cn >= sizeof cond) return fail(ps, "condition too long");
  copy_token(value, v, vn);
  memcpy(cond, c, cn);
  cond[cn] = 0;
  for (char *t = cond; *t; t++)
    if (*t == '\t' || *t == '\r') *t = ' ';
  int rc = vn < TOKEN_MAX ? mx_profile_add_rule(p, key, value, cond, why, sizeof why) : -2;
  if (rc == -2) {
    char allowed[512];
    mx_profile_key_values(key, allowed, sizeof allowed);
    return fail(ps, "bad value '%s' for %s (allowed: %s)", value, key, allowed);
  }
  if (rc) return fail(ps, "%s", why);
  return 0;
}

/* `dot = MODEL`: the dot model in its text form, read by mx_dot_model_parse (dot.h), the
 * one parser of that form. A knob like the others: after `base`, once per file. */
static int parse_dot(parse_state *ps, mx_profile *p, const char *v, size_t vn, seen_lines *seen, int *knobs_set) {
  if (seen->dot) return fail(ps, "duplicate key 'dot' (first set on line %d)", seen->dot);
  char text[1024], why[256];
  if (vn >= sizeof text) return fail(ps, "bad value for dot: longer than %zu characters", sizeof text - 1);
  memcpy(text, v, vn);
  text[vn] = 0;
  mx_dot_model m;
  if (mx_dot_model_parse(text, &m, why, sizeof why)) {
    char shown[TOKEN_MAX];
    copy_token(shown, v, vn);
    return fail(ps, "bad value '%s' for dot: %s", shown, why);
  }
  mx_profile_set_dot_model(p, &m);
  seen->dot = ps->line;
  *knobs_set = 1;
  return 0;
}

/* One line, without its terminator. 0: fine (p updated); 1: error written. */
static int parse_line(parse_state *ps, const char *s, size_t n, mx_profile *p, seen_lines *seen, int *knobs_set) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '#') {
      n = i; /* a comment runs to the end of the line */
      break;
    }
    if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F)
      return fail(ps, "unexpected control byte 0x%02x (a profile is text: key = value lines)", c);
  }
  while (n > 0 && is_blank(s[n - 1])) n--;
  while (n > 0 && is_blank(*s)) s++, n--;
  if (n == 0) return 0; /* blank or comment-only line */

  const char *eq = memchr(s, '=', n);
  char key[TOKEN_MAX], value[TOKEN_MAX];
  if (!eq) {
    copy_token(key, s, n);
    return fail(ps, "missing '=' in '%s' (expected: key = value)", key);
  }
  size_t kn = (size_t)(eq - s), vn = n - kn - 1;
  const char *v = eq + 1;
  while (kn > 0 && is_blank(s[kn - 1])) kn--;
  while (vn > 0 && is_blank(*v)) v++, vn--;
  if (kn == 0) return fail(ps, "missing key before '='");
  copy_token(key, s, kn);
  copy_token(value, v, vn);

  if (strcmp(key, "name") == 0) {
    if (seen->name) return fail(ps, "duplicate key 'name' (first set on line %d)", seen->name);
    if (!name_ok(v, vn))
      return fail(ps, "bad value '%s' for name (allowed: 1 to %d characters of %s)", value,
                  (int)sizeof p->name - 1, NAME_CHARS);
    seen->name = ps->line;
    memcpy(p->name, v, vn);
    p->name[vn] = 0;
    return 0;
  }
  if (strcmp(key, "base") == 0) {
    if (seen->base) return fail(ps, "duplicate key 'base' (first set on line %d)", seen->base);
    if (*knobs_set) return fail(ps, "base must come before any knob (a base resets every knob)");
    char name[sizeof p->name];
    memcpy(name, p->name, sizeof name);
    mx_profile b;
    if (vn == 0 || vn >= TOKEN_MAX || mx_profile_builtin(value, &b) != 0) {
      char all[256];
      size_t used = 0;
      all[0] = 0;
      for (int i = 0; mx_profile_builtin_names[i]; i++)
        append(all, sizeof all, &used, "%s%s", i ? " " : "", mx_profile_builtin_names[i]);
      return fail(ps, "bad value '%s' for base (allowed: %s)", value, all);
    }
    *p = b;
    memcpy(p->name, name, sizeof name); /* the file's own name wins over the base's */
    seen->base = ps->line;
    return 0;
  }

  if (strcmp(key, "dot") == 0) return parse_dot(ps, p, v, vn, seen, knobs_set);

  const char *when = find_when(v, vn);
  if (when) return parse_rule(ps, p, key, v, (size_t)(when - v), when + 4, (size_t)(v + vn - (when + 4)));

  int ki = kn < TOKEN_MAX ? key_index(key) : -1;
  if (ki < 0) {
    char keys[1024];
    valid_keys_text(keys, sizeof keys);
    return fail(ps, "unknown key '%s' (valid keys: %s)", key, keys);
  }
  if (seen->key[ki]) return fail(ps, "duplicate key '%s' (first set on line %d)", key, seen->key[ki]);
  if (vn >= TOKEN_MAX || set_plain(p, key, value) != 0) {
    char allowed[512];
    mx_profile_key_values(key, allowed, sizeof allowed);
    return fail(ps, "bad value '%s' for %s (allowed: %s)", value, key, allowed);
  }
  seen->key[ki] = ps->line;
  *knobs_set = 1;
  return 0;
}

int mx_profile_parse(const char *text, size_t len, const char *origin, mx_profile *p, char *err, size_t errlen) {
  parse_state ps = {origin ? origin : "<profile>", err, errlen, 0};
  if (err && errlen) err[0] = 0;
  if (!text && len) return fail(&ps, "no text");
  mx_profile work; /* *p changes only when the whole text is good */
  char name[sizeof work.name];
  name_from_origin(ps.origin, name, sizeof name);
  profile_defaults(&work, name);
  seen_lines seen;
  memset(&seen, 0, sizeof seen);
  int knobs_set = 0;
  size_t pos = 0;
  while (pos < len) {
    ps.line++;
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
    if (parse_line(&ps, text + pos, n, &work, &seen, &knobs_set)) return 1;
    pos += n + (nl ? 1 : 0);
  }
  *p = work;
  return 0;
}

#define PROFILE_FILE_MAX (1u << 20) /* far beyond any real profile; bounds the read */

int mx_profile_load(const char *name_or_path, mx_profile *p, char *err, size_t errlen) {
  if (err && errlen) err[0] = 0;
  if (!name_or_path) {
    if (err && errlen) snprintf(err, errlen, "(null): no profile given");
    return 1;
  }
  if (mx_profile_builtin(name_or_path, p) == 0) return 0;
  /* a FIFO or device must not hang the read: regular files only (O_NONBLOCK for the open) */
  int fd = open(name_or_path, O_RDONLY | O_NONBLOCK);
  struct stat st;
  if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
    close(fd);
    if (err && errlen) snprintf(err, errlen, "%s: cannot read: not a regular file", name_or_path);
    return 1;
  }
  FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
  if (!f) {
    if (err && errlen) snprintf(err, errlen, "%s: cannot read: %s", name_or_path, strerror(errno));
    if (fd >= 0) close(fd);
    return 1;
  }
  char *text = malloc(PROFILE_FILE_MAX + 1);
  if (!text) {
    fclose(f);
    if (err && errlen) snprintf(err, errlen, "%s: cannot read: out of memory", name_or_path);
    return 1;
  }
  size_t n = fread(text, 1, PROFILE_FILE_MAX + 1, f);
  int read_error = ferror(f), saved_errno = errno;
  fclose(f);
  int rc;
  if (read_error) {
    if (err && errlen) snprintf(err, errlen, "%s: cannot read: %s", name_or_path, strerror(saved_errno));
    rc = 1;
  } else if (n > PROFILE_FILE_MAX) {
    if (err && errlen)
      snprintf(err, errlen, "%s: cannot read: larger than %u bytes (not a profile?)", name_or_path,
               PROFILE_FILE_MAX);
    rc = 1;
  } else {
    rc = mx_profile_parse(text, n, name_or_path, p, err, errlen);
  }
  free(text);
  return rc;
}
