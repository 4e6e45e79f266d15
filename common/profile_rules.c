/* Conditional knob values (profile.h, "conditional knob values"): conditions as data, the
 * one resolver every expected value goes through, and their text form.
 *
 * A condition is five sets (op, src, dst, round, overflow), each a bit mask over the values
 * of one enumeration; 0 is "any". Matching is five mask tests; resolving is the plain
 * values followed by the matching rules in order. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mxconform/profile.h"

const char *const mx_op_kind_names[] = {"cvt", "quantize", "dequantize", "dot", NULL};

/* ---- the condition dimensions, as data ------------------------------------------------- */

typedef struct cond_dim {
  const char *name;
  size_t offset;             /* offsetof(mx_knob_cond, field) */
  const char *const *values; /* value names by index; NULL: format names (mx_format_by_name) */
} cond_dim;

#define DIM(n, f, v) {n, offsetof(mx_knob_cond, f), v}
static const cond_dim k_dims[] = {
  DIM("op", op, mx_op_kind_names),       DIM("src", src, NULL),
  DIM("dst", dst, NULL),                 DIM("round", round, mx_round_names),
  DIM("overflow", overflow, mx_overflow_names), {NULL, 0, NULL},
};

static uint32_t *dim_mask(mx_knob_cond *w, const cond_dim *d) { return (uint32_t *)((char *)w + d->offset); }
static uint32_t dim_cmask(const mx_knob_cond *w, const cond_dim *d) {
  return *(const uint32_t *)((const char *)w + d->offset);
}

static int dim_value_index(const cond_dim *d, const char *name) {
  if (d->values) return mx_name_index(d->values, name);
  int f = mx_format_by_name(name);
  return f >= 0 && f < 32 ? f : -1;
}

static const char *dim_value_name(const cond_dim *d, int i) {
  return d->values ? d->values[i] : mx_format((mx_fmt)i)->name;
}

static int dim_value_count(const cond_dim *d) {
  if (!d->values) return MX_FMT_COUNT;
  int n = 0;
  while (d->values[n]) n++;
  return n;
}

/* ---- matching and resolving ------------------------------------------------------------ */

static int in_set(uint32_t set, unsigned v) { return set == 0 || (v < 32 && (set >> v) & 1u); }

int mx_knob_cond_matches(const mx_knob_cond *w, const mx_knob_context *c) {
  return in_set(w->op, (unsigned)c->op) && in_set(w->src, (unsigned)c->src) && in_set(w->dst, (unsigned)c->dst) &&
         in_set(w->round, (unsigned)c->round) && in_set(w->overflow, (unsigned)c->overflow);
}

static unsigned *opts_field(mx_convert_opts *o, const mx_knob *k) { return (unsigned *)((char *)o + k->offset); }

void mx_profile_resolve(const mx_profile *p, const mx_knob_context *c, mx_convert_opts *out) {
  *out = p->o.elem;
  out->round = c->round;
  out->overflow = c->overflow;
  for (int i = 0; i < p->nrules; i++) {
    const mx_knob_rule *r = &p->rules[i];
    if (mx_knob_cond_matches(&r->when, c)) *opts_field(out, &mx_knob_table[r->knob]) = r->value;
  }
  if (c->op != MX_OPK_CVT) { /* no per-value refusal in a block op: the whole call is refused */
    mx_convert_opts def = MX_CONVERT_OPTS_DEFAULT;
    if (out->nan_finite == MX_NANF_REFUSE) out->nan_finite = def.nan_finite;
    if (out->inf_finite == MX_INFF_REFUSE) out->inf_finite = def.inf_finite;
    if (out->ovf_finite == MX_OVF_FINITE_REFUSE) out->ovf_finite = def.ovf_finite;
  }
}

mx_block_opts mx_profile_block_opts(const mx_profile *p, mx_op_kind op, mx_fmt src, mx_fmt elem) {
  mx_block_opts o = p->o;
  mx_knob_context c = {op, src, elem, p->o.elem.round, p->o.elem.overflow};
  mx_profile_resolve(p, &c, &o.elem);
  return o;
}

/* ---- text ---------------------------------------------------------------------------------- */

static void errf(char *err, size_t len, const char *fmt, ...) {
  if (!err || !len) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
}

static const cond_dim *dim_find(const char *name, size_t n) {
  for (const cond_dim *d = k_dims; d->name; d++)
    if (strlen(d->name) == n && !strncmp(d->name, name, n)) return d;
  return NULL;
}

/* One "what=v1,v2" term [s, s+n) into w. */
static int parse_term(const char *s, size_t n, mx_knob_cond *w, char *err, size_t errlen) {
  const char *eq = memchr(s, '=', n);
  if (!eq) {
    errf(err, errlen, "condition '%.*s' is not what=value (what: op src dst round overflow)", (int)n, s);
    return -1;
  }
  const cond_dim *d = dim_find(s, (size_t)(eq - s));
  if (!d) {
    errf(err, errlen, "unknown condition '%.*s' (allowed: op src dst round overflow)", (int)(eq - s), s);
    return -1;
  }
  uint32_t *mask = dim_mask(w, d);
  if (*mask) {
    errf(err, errlen, "condition '%s' given twice (list its values once: %s=a,b)", d->name, d->name);
    return -1;
  }
  const char *v = eq + 1, *end = s + n;
  while (v <= end) {
    const char *comma = memchr(v, ',', (size_t)(end - v));
    size_t vn = (size_t)((comma ? comma : end) - v);
    char name[32];
    int i = -1;
    if (vn > 0 && vn < sizeof name) {
      memcpy(name, v, vn);
      name[vn] = 0;
      i = dim_value_index(d, name);
    }
    if (i < 0) {
      errf(err, errlen, "bad value '%.*s' for condition %s", (int)vn, v, d->name);
      return -1;
    }
    *mask |= 1u << i;
    if (!comma) break;
    v = comma + 1;
  }
  return 0;
}

int mx_knob_cond_parse(const char *text, mx_knob_cond *w, char *err, size_t errlen) {
  memset(w, 0, sizeof *w);
  const char *s = text ? text : "";
  int terms = 0;
  for (;;) {
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) break;
    size_t n = strcspn(s, " \t");
    if (parse_term(s, n, w, err, errlen)) return -1;
    terms++;
    s += n;
  }
  if (!terms) {
    errf(err, errlen, "empty condition after 'when'");
    return -1;
  }
  return 0;
}

static void appendf(char *buf, size_t len, size_t *used, const char *fmt, ...) {
  if (!buf || !len || *used >= len - 1) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf + *used, len - *used, fmt, ap);
  va_end(ap);
  if (n > 0) *used += (size_t)n < len - *used ? (size_t)n : len - 1 - *used;
}

void mx_knob_cond_format(const mx_knob_cond *w, char *buf, size_t len) {
  size_t used = 0;
  if (buf && len) buf[0] = 0;
  for (const cond_dim *d = k_dims; d->name; d++) {
    uint32_t m = dim_cmask(w, d);
    if (!m) continue;
    appendf(buf, len, &used, "%s%s=", used ? " " : "", d->name);
    int first = 1, count = dim_value_count(d);
    for (int i = 0; i < count && i < 32; i++) {
      if (!((m >> i) & 1u)) continue;
      appendf(buf, len, &used, "%s%s", first ? "" : ",", dim_value_name(d, i));
      first = 0;
    }
  }
}

void mx_knob_rule_format(const mx_knob_rule *r, char *buf, size_t len) {
  const mx_knob *k = &mx_knob_table[r->knob];
  char cond[256];
  mx_knob_cond_format(&r->when, cond, sizeof cond);
  if (k->is_number)
    snprintf(buf, len, "%u when %s", r->value, cond);
  else
    snprintf(buf, len, "%s when %s", k->values[r->value], cond);
}

int mx_profile_add_rule(mx_profile *p, const char *key, const char *value, const char *cond_text, char *err,
                        size_t errlen) {
  const mx_knob *k = key ? mx_knob_find(key) : NULL;
  if (!k || !strcmp(key, "round") || !strcmp(key, "overflow")) {
    errf(err, errlen, k ? "%s is chosen by each request and takes no rule" : "'%s' is not a scalar knob (rules are for the knobs of knobs.h)",
         key ? key : "(null)");
    return -1;
  }
  mx_convert_opts scratch = p->o.elem;
  if (!value || mx_knob_set(&scratch, key, value) != 0) {
    errf(err, errlen, "bad value '%s' for %s", value ? value : "", key);
    return -2;
  }
  mx_knob_rule r;
  r.knob = (int)(k - mx_knob_table);
  r.value = *opts_field(&scratch, k);
  if (mx_knob_cond_parse(cond_text, &r.when, err, errlen)) return -3;
  for (int i = 0; i < p->nrules; i++)
    if (p->rules[i].knob == r.knob && !memcmp(&p->rules[i].when, &r.when, sizeof r.when)) {
      errf(err, errlen, "a rule for %s under this condition is already set", key);
      return -3;
    }
  if (p->nrules >= MX_PROFILE_MAX_RULES) {
    errf(err, errlen, "more than %d conditional values", MX_PROFILE_MAX_RULES);
    return -4;
  }
  p->rules[p->nrules++] = r;
  return 0;
}
