/* The reproduce line of one case (reproduce.h): a single-case command that runs the same
 * target on that one input and prints expected vs actual (harness/cmd_convert.c,
 * cmd_decode.c, cmd_quantize.c, cmd_pack.c, cmd_dot.c read these arguments back). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "reproduce.h"

typedef struct line {
  char *buf;
  size_t len, o;
} line;

static void put(line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(line *l, const char *fmt, ...) {
  if (l->o + 1 >= l->len) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(l->buf + l->o, l->len - l->o, fmt, ap);
  va_end(ap);
  if (n > 0) l->o = l->o + (size_t)n < l->len ? l->o + (size_t)n : l->len - 1;
}

/* A word as the shell reads it: bare when it is plain, else in single quotes (a ' inside
 * written as '\''). Target specs are always quoted: they hold paths and commands. */
static void put_word(line *l, const char *s, int always_quote) {
  int plain = !always_quote && *s;
  for (const char *p = s; *p && plain; p++) plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+=:,@%", *p) != NULL;
  if (plain) {
    put(l, "%s", s);
    return;
  }
  put(l, "'");
  for (const char *p = s; *p; p++) {
    if (*p == '\'') put(l, "'\\''");
    else put(l, "%c", *p);
  }
  put(l, "'");
}

static void put_head(line *l, const char *cmd, const char *target_spec, const char *profile_spec) {
  put(l, "mxconform %s --target ", cmd);
  put_word(l, target_spec, 1);
  if (profile_spec) {
    put(l, " --profile ");
    put_word(l, profile_spec, 0);
  }
}

/* --knob K=V for each knob op `op` depends on whose value in the suite differs from the
 * profile the command will load (the suite's knobs are those of the run, refined by any
 * --knob of a sweep). `skip` names knobs written as their own options. */
static void put_knobs(line *l, const vec_suite *s, const char *profile_spec, const char *const *skip) {
  mx_profile base;
  char err[256];
  if (mx_profile_load(profile_spec, &base, err, sizeof err)) mx_profile_builtin("ocp", &base);
  for (const char *const *k = vec_op_knobs(s->op); *k; k++) {
    int skipped = 0;
    for (const char *const *q = skip; *q; q++) skipped |= !strcmp(*q, *k);
    char a[64], b[64];
    const char *x = mx_profile_get(&s->knobs, *k, a, sizeof a), *y = mx_profile_get(&base, *k, b, sizeof b);
    if (!skipped && x && y && strcmp(x, y)) put(l, " --knob %s=%s", *k, x);
  }
}

/* A comma list of hex words (the .mxv column form, which `dot` reads back). */
static void put_list(line *l, const uint64_t *w, size_t n) {
  for (size_t i = 0; i < n; i++) put(l, "%s%llx", i ? "," : "", (unsigned long long)w[i]);
}

static void put_words(line *l, const uint64_t *w, size_t n) {
  for (size_t i = 0; i < n; i++) put(l, " 0x%llx", (unsigned long long)w[i]);
}

void reproduce_command(const char *target_spec, const char *profile_spec, const vec_suite *s, size_t c, char *buf,
                       size_t len) {
  static const char *const no_skip[] = {NULL}, *const rule_skip[] = {"rule", NULL};
  const uint64_t *in = s->in + c * s->nin;
  line l = {buf, len, 0};
  if (len) buf[0] = 0;
  switch (s->op) {
  case OP_CVT:
    put_head(&l, "convert", target_spec, profile_spec);
    put(&l, " --from %s --to %s --round %s --overflow %s", mx_format(s->src)->name, mx_format(s->dst)->name,
        mx_round_names[s->round], mx_overflow_names[s->overflow]);
    put_knobs(&l, s, profile_spec, no_skip);
    if (s->nrand) put(&l, " --sr-random 0x%x", s->rnd[c]);
    put_words(&l, in, 1);
    break;
  case OP_DECODE:
    put_head(&l, "decode", target_spec, NULL);
    put(&l, " --fmt %s", mx_format(s->fmt)->name);
    put_words(&l, in, 1);
    break;
  case OP_QUANTIZE: {
    char rule[32];
    put_head(&l, "quantize", target_spec, profile_spec);
    /* the suite's own rule (`# param rule:`) when it names one, else the profile's knob */
    const char *rn = s->rule >= 0 ? mx_scale_rule_names[s->rule] : mx_profile_get(&s->knobs, "rule", rule, sizeof rule);
    put(&l, " --fmt %s --from %s --rule %s", mx_block_fmt_names[s->bfmt], mx_format(s->src)->name, rn);
    put_knobs(&l, s, profile_spec, rule_skip);
    put_words(&l, in, s->k);
    break;
  }
  case OP_DEQUANTIZE:
    put_head(&l, "dequantize", target_spec, profile_spec);
    put(&l, " --fmt %s --to %s", mx_block_fmt_names[s->bfmt], mx_format(s->dst)->name);
    put_knobs(&l, s, profile_spec, no_skip);
    put_words(&l, in, 1 + s->k);
    break;
  case OP_PACK:
    put_head(&l, "pack", target_spec, NULL);
    put(&l, " --fmt %s --layout %s", mx_block_fmt_names[s->bfmt], mx_pack_layout_names[s->layout]);
    put_words(&l, in, s->k);
    break;
  case OP_DOT: {
    size_t nb = s->nblocks, nk = s->nblocks * s->k;
    put_head(&l, "dot", target_spec, NULL);
    put(&l, " --fmt %s --fmt-b %s ", mx_block_fmt_names[s->bfmt], mx_block_fmt_names[s->bfmt_b]);
    put_list(&l, in, nb);
    put(&l, " ");
    put_list(&l, in + nb, nk);
    put(&l, " ");
    put_list(&l, in + nb + nk, nb);
    put(&l, " ");
    put_list(&l, in + 2 * nb + nk, nk);
    if (in[2 * (nb + nk)]) put(&l, " %llx", (unsigned long long)in[2 * (nb + nk) + 1]);
    else put(&l, " -");
    break;
  }
  case OP_NVFP4_QUANTIZE: { /* harness/nvfp4_cli.c reads these back */
    size_t nv = s->nblocks * 16;
    put_head(&l, "quantize", target_spec, profile_spec);
    put(&l, " --fmt nvfp4");
    put_knobs(&l, s, profile_spec, no_skip);
    if (in[nv]) put(&l, " --amax 0x%llx", (unsigned long long)in[nv + 1]);
    put_words(&l, in, nv);
    break;
  }
  case OP_NVFP4_DEQUANTIZE:
    put_head(&l, "dequantize", target_spec, profile_spec);
    put(&l, " --fmt nvfp4");
    put_knobs(&l, s, profile_spec, no_skip);
    put(&l, " --tensor-scale 0x%llx", (unsigned long long)in[0]);
    put_words(&l, in + 1, 17);
    break;
  case OP_NVFP4_DOT: { /* harness/nvfp4_cli.c: TA SA CA TB SB CB [C] */
    size_t nb = s->nblocks, half = 1 + nb + 16 * nb;
    put_head(&l, "dot", target_spec, profile_spec);
    put(&l, " --fmt nvfp4");
    put_knobs(&l, s, profile_spec, no_skip);
    for (size_t o = 0; o < 2 * half; o += half) {
      put(&l, " 0x%llx ", (unsigned long long)in[o]);
      put_list(&l, in + o + 1, nb);
      put(&l, " ");
      put_list(&l, in + o + 1 + nb, 16 * nb);
    }
    if (in[2 * half]) put(&l, " 0x%llx", (unsigned long long)in[2 * half + 1]);
    break;
  }
  default: put(&l, "# no reproduce command for suite %s", s->name);
  }
}
