/* mxconform quantize / dequantize: one MX block at a time, by the reference, the oracle or
 * both, with every code's exact value printed so a block can be checked by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../oracle/oracle_block.h"
#include "../oracle/oracle_print.h"
#include "cli.h"
#include "mxconform/block.h"
#include "mxconform/mxref.h"
#include "mxconform/profile.h"
#include "nvfp4_cli.h"
#include "single.h"

enum { IMPL_REFERENCE = 0, IMPL_ORACLE, IMPL_BOTH };

static int parse_impl(const char *cmd, const char *v) {
  if (!strcmp(v, "reference")) return IMPL_REFERENCE;
  if (!strcmp(v, "oracle")) return IMPL_ORACLE;
  if (!strcmp(v, "both")) return IMPL_BOTH;
  cli_usage_error(cmd, "bad --impl '%s' (one of: reference oracle both)", v);
}

static void join_names(const char *const *names, char *buf, size_t len) {
  buf[0] = 0;
  for (int i = 0; names[i]; i++) {
    strncat(buf, i ? " " : "", len - strlen(buf) - 1);
    strncat(buf, names[i], len - strlen(buf) - 1);
  }
}

static mx_block_fmt parse_block_fmt(const char *cmd, const char *v) {
  int f = mx_block_fmt_by_name(v);
  if (f < 0) {
    char list[256];
    join_names(mx_block_fmt_names, list, sizeof list);
    cli_usage_error(cmd, "unknown block format '%s' (one of: %s)", v, list);
  }
  return (mx_block_fmt)f;
}

static int parse_named(const char *cmd, const char *what, const char *const *names, const char *v) {
  int i = mx_name_index(names, v);
  if (i < 0) {
    char list[256];
    join_names(names, list, sizeof list);
    cli_usage_error(cmd, "bad %s '%s' (one of: %s)", what, v, list);
  }
  return i;
}

static mx_fmt parse_dequant_dst(const char *cmd, const char *v) {
  int f = mx_format_by_name(v);
  if (f != MX_F32 && f != MX_BF16 && f != MX_F64) cli_usage_error(cmd, "bad --to '%s' (one of: f32 bf16 f64)", v);
  return (mx_fmt)f;
}

/* --profile is applied before every other option, so options refine a profile whatever
 * their order on the command line. */
static void load_profile(const char *cmd, int argc, char **argv, mx_profile *p) {
  const char *name = "ocp";
  for (int i = 1; i < argc; i++) {
    const char *v = cli_opt(cmd, argc, argv, &i, "--profile");
    if (v) name = v;
  }
  char err[512], builtins[256];
  if (mx_profile_load(name, p, err, sizeof err) != 0) {
    join_names(mx_profile_builtin_names, builtins, sizeof builtins);
    cli_usage_error(cmd, "%s (--profile: a built-in, one of %s, or a profile file)", err, builtins);
  }
}

/* --knob NAME=VALUE: any profile key (scalar knobs, block knobs, packing). */
static void apply_knob(const char *cmd, mx_profile *p, const char *assignment) {
  char key[64];
  const char *value = cli_split_assignment(cmd, assignment, key, sizeof key);
  int r = mx_profile_set(p, key, value);
  if (r == 0) return;
  char list[1024];
  if (r == -1) {
    join_names(mx_profile_keys(), list, sizeof list);
    cli_usage_error(cmd, "unknown knob '%s' (knobs: %s)", key, list);
  }
  const char *values = mx_profile_key_values(key, list, sizeof list);
  cli_usage_error(cmd, "bad value '%s' for %s (%s%s)", value, key, values ? "one of: " : "see mx_profile_keys",
                  values ? values : "");
}

/* "R" or "R1,R2,...": one random word per element for round=sr (the last one repeats). */
static void parse_sr_random(const char *cmd, const char *text, uint32_t *out, size_t k) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", text);
  size_t n = 0;
  uint32_t last = 0;
  for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
    uint64_t v = cli_u64(cmd, "--sr-random", tok);
    if (v > 0xFFFFFFFFull) cli_usage_error(cmd, "--sr-random word '%s' exceeds 32 bits", tok);
    last = (uint32_t)v;
    if (n < k) out[n++] = last;
  }
  for (; n < k; n++) out[n] = last;
}

static int is_option(const char *a) { return a[0] == '-' && a[1] == '-'; }
/* Options that take a separate value (when not written --opt=value). */
static int takes_value(const char *a) {
  static const char *const with_value[] = {"--fmt", "--from", "--to", "--rule", "--profile", "--round", "--knob",
                                           "--impl", "--pack", "--sr-random", "--target", NULL};
  if (strchr(a, '=')) return 0;
  return mx_name_index(with_value, a) >= 0;
}

static void print_scale(uint8_t scale, const char *who) {
  if (scale == 0xFF) printf("scale 0xff = NaN (every value NaN; element codes are don't-care)  [%s]\n", who);
  else printf("scale 0x%02x = 2^%d  [%s]\n", scale, (int)scale - 127, who);
}

static int same_value_bits(mx_fmt dst, uint64_t a, uint64_t b) {
  if (a == b) return 1;
  /* NaNs compare by class: payload and sign of a NaN value are not part of the contract */
  return mx_classify(dst, a) == MX_CLASS_NAN && mx_classify(dst, b) == MX_CLASS_NAN;
}

static void dequantize_ref(mx_block_fmt f, uint8_t scale, const uint8_t *codes, size_t k, mx_fmt dst,
                           const mx_block_opts *o, uint64_t *out) {
  union {
    uint16_t h[MX_BLOCK_MAX];
    uint32_t w[MX_BLOCK_MAX];
    uint64_t d[MX_BLOCK_MAX];
  } *tmp = malloc(sizeof *tmp);
  if (!tmp) abort();
  mxref_dequantize_block(f, scale, codes, k, dst, o, tmp);
  for (size_t i = 0; i < k; i++) out[i] = dst == MX_F64 ? tmp->d[i] : dst == MX_F32 ? tmp->w[i] : tmp->h[i];
  free(tmp);
}

static void print_packed(const char *label, const uint8_t *bytes, size_t n) {
  printf("packed %s, %zu bytes:", label, n);
  for (size_t i = 0; i < n; i++) printf(" %02x", bytes[i]);
  printf("\n");
}

/* One block against a target (a reproduce command): the oracle's scale and codes under the
 * profile beside the target's, element by element. */
static int quantize_target(const char *spec, mx_block_fmt f, mx_fmt src, const mx_profile *p, const uint64_t *bits,
                           size_t k) {
  vec_suite s;
  vec_suite_init(&s);
  s.op = OP_QUANTIZE;
  s.bfmt = f;
  s.src = src;
  s.k = k;
  s.knobs = *p;
  vec_suite_shape(&s);
  vec_suite_make_name(&s);
  uint64_t none[1 + MX_BLOCK_MAX] = {0};
  vec_suite_add(&s, bits, none, 0);
  single_result r;
  char err[512];
  if (single_run(spec, &s, &r, err, sizeof err)) {
    fprintf(stderr, "mxconform quantize: %s\n", err);
    vec_suite_free(&s);
    return 3;
  }
  mx_fmt elem = mx_block_element(f);
  printf("quantize %s: %zu %s values, rule %s, round %s\n", mx_block_fmt_names[f], k, mx_format(src)->name,
         mx_scale_rule_names[p->o.rule], mx_round_names[p->o.elem.round]);
  if (r.st[0] != T_OK) {
    single_print_status(&r, 0);
  } else {
    char e[64], a[64];
    single_scale_text(r.expected[0], e, sizeof e);
    single_scale_text(r.actual[0], a, sizeof a);
    printf("  scale  expected %s, actual %s%s\n", e, a, r.expected[0] != r.actual[0] ? "  <- differs" : "");
    for (size_t i = 0; i < k; i++) {
      char in[700], ev[700], av[700];
      single_code_text(src, bits[i], in, sizeof in);
      single_code_text(elem, r.expected[1 + i], ev, sizeof ev);
      single_code_text(elem, r.actual[1 + i], av, sizeof av);
      /* element codes under a NaN scale are don't-care (block.h step 2) */
      int differs = r.expected[0] != 0xFF && r.expected[1 + i] != r.actual[1 + i];
      printf("  [%zu] %s %s -> expected %s, actual %s%s\n", i, mx_format(src)->name, in, ev, av,
             differs ? "  <- differs" : "");
    }
  }
  int status = single_verdict(&r, &s);
  single_free(&r);
  vec_suite_free(&s);
  return status;
}

/* One block of codes against a target: the oracle's values beside the target's. */
static int dequantize_target(const char *spec, mx_block_fmt f, mx_fmt dst, const mx_profile *p, uint8_t scale,
                             const uint8_t *codes, size_t k) {
  vec_suite s;
  vec_suite_init(&s);
  s.op = OP_DEQUANTIZE;
  s.bfmt = f;
  s.dst = dst;
  s.k = k;
  s.knobs = *p;
  vec_suite_shape(&s);
  vec_suite_make_name(&s);
  uint64_t in[1 + MX_BLOCK_MAX], none[MX_BLOCK_MAX] = {0};
  in[0] = scale;
  for (size_t i = 0; i < k; i++) in[1 + i] = codes[i];
  vec_suite_add(&s, in, none, 0);
  single_result r;
  char err[512];
  if (single_run(spec, &s, &r, err, sizeof err)) {
    fprintf(stderr, "mxconform dequantize: %s\n", err);
    vec_suite_free(&s);
    return 3;
  }
  mx_fmt elem = mx_block_element(f);
  char sc[64];
  single_scale_text(scale, sc, sizeof sc);
  printf("dequantize %s to %s, scale %s\n", mx_block_fmt_names[f], mx_format(dst)->name, sc);
  if (r.st[0] != T_OK) {
    single_print_status(&r, 0);
  } else {
    for (size_t i = 0; i < k; i++) {
      char cv[700], ev[700], av[700];
      single_code_text(elem, codes[i], cv, sizeof cv);
      single_code_text(dst, r.expected[i], ev, sizeof ev);
      single_code_text(dst, r.actual[i], av, sizeof av);
      printf("  [%zu] %s %s -> expected %s, actual %s%s\n", i, mx_format(elem)->name, cv, ev, av,
             same_value_bits(dst, r.expected[i], r.actual[i]) ? "" : "  <- differs");
    }
  }
  int status = single_verdict(&r, &s);
  single_free(&r);
  vec_suite_free(&s);
  return status;
}

int cmd_quantize(int argc, char **argv) {
  if (nvfp4_cli_wanted(argc, argv)) return nvfp4_cli_quantize(argc, argv); /* two-scale flow: nvfp4_cli.c */
  const char *cmd = "quantize";
  int fmt = -1, impl = IMPL_REFERENCE, pack = -1;
  mx_fmt src = MX_F32, dst = MX_F32;
  const char *sr_text = NULL, *target_spec = NULL;
  mx_profile prof;
  size_t k = 0;
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform quantize --fmt mxfp8_e4m3|mxfp8_e5m2|mxfp6_e2m3|mxfp6_e3m2|mxfp4_e2m1|mxint8\n"
             "         [--from f32|bf16|f16|f64] [--rule floor|ceil|rceil|even|even-tiedown] [--profile NAME|FILE]\n"
             "         [--round R] [--knob NAME=VALUE]... [--sr-random R[,R...]] [--impl reference|oracle|both]\n"
             "         [--pack byte|fp4-low|fp4-high|fp6-lsb] [--to f32|bf16|f64] [--target T] VALUE...\n"
             "Quantizes VALUE... as one block (include/mxconform/block.h) and prints the scale, every code with\n"
             "its exact value, and the dequantized values (in --to, default f32). --profile is applied first,\n"
             "the other options refine it. --impl both prints MISMATCH and exits 1 on any difference.\n"
             "VALUE: a hex bit pattern of the source format (0x43e80000) or a number (464, 0x1.dp+8, -inf, nan).\n"
             "--target reference|lib:PATH.so|cmd:'COMMAND': the target's scale and codes beside the oracle's\n"
             "(expected) under the profile; exit 1 when they differ, 3 when the target is unusable.\n");
      return 0;
    }
  load_profile(cmd, argc, argv, &prof);
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--fmt"))) fmt = (int)parse_block_fmt(cmd, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--from"))) src = cli_format(cmd, v, 1, 0);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--to"))) dst = parse_dequant_dst(cmd, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--rule")))
      prof.o.rule = (mx_scale_rule)parse_named(cmd, "--rule", mx_scale_rule_names, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--profile"))) continue; /* already applied */
    else if ((v = cli_opt(cmd, argc, argv, &i, "--round"))) cli_knob(cmd, &prof.o.elem, "round", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--knob"))) apply_knob(cmd, &prof, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--impl"))) impl = parse_impl(cmd, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--pack"))) pack = parse_named(cmd, "--pack", mx_pack_layout_names, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--sr-random"))) sr_text = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--target"))) target_spec = v;
    else if (is_option(argv[i])) cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    else k++;
  }
  if (fmt < 0) cli_usage_error(cmd, "--fmt is required (e.g. --fmt mxfp8_e4m3)");
  if (k == 0) cli_usage_error(cmd, "give at least one VALUE (the block's elements)");
  if (k > MX_BLOCK_MAX) cli_usage_error(cmd, "at most %d values in one block, got %zu", MX_BLOCK_MAX, k);
  mx_block_fmt f = (mx_block_fmt)fmt;
  mx_fmt elem = mx_block_element(f);
  if (pack >= 0 && mx_packed_size(f, (mx_pack_layout)pack, 1) == 0)
    cli_usage_error(cmd, "--pack %s does not apply to %s", mx_pack_layout_names[pack], mx_block_fmt_names[f]);

  /* the process protocol carries neither random words nor a packing request (`pack --target`) */
  if (target_spec && (sr_text || pack >= 0 || impl != IMPL_REFERENCE))
    cli_usage_error(cmd, "--target takes neither --impl, --sr-random nor --pack (use mxconform pack --target)");

  const mx_format_desc *sd = mx_format(src), *ed = mx_format(elem), *dd = mx_format(dst);
  uint64_t *bits = calloc(k, sizeof *bits), *ref_dq = calloc(k, sizeof *ref_dq), *ora_dq = calloc(k, sizeof *ora_dq);
  uint32_t *sr = calloc(k, sizeof *sr);
  uint8_t *ref_codes = calloc(k, 1), *ora_codes = calloc(k, 1);
  uint8_t *ref_packed = calloc(k + 8, 1), *ora_packed = calloc(k + 8, 1);
  void *typed = calloc(k, 8);
  int *rounded = calloc(k, sizeof *rounded);
  if (!bits || !ref_dq || !ora_dq || !sr || !ref_codes || !ora_codes || !ref_packed || !ora_packed || !typed || !rounded)
    abort();
  size_t n = 0;
  for (int i = 1; i < argc; i++) {
    if (is_option(argv[i])) {
      if (takes_value(argv[i])) i++;
      continue;
    }
    bits[n] = cli_parse_value(cmd, src, argv[i], &rounded[n]);
    if (sd->bits == 16) ((uint16_t *)typed)[n] = (uint16_t)bits[n];
    else if (sd->bits == 32) ((uint32_t *)typed)[n] = (uint32_t)bits[n];
    else ((uint64_t *)typed)[n] = bits[n];
    n++;
  }
  if (target_spec) {
    int status = quantize_target(target_spec, f, src, &prof, bits, k);
    free(bits);
    free(ref_dq);
    free(ora_dq);
    free(sr);
    free(ref_codes);
    free(ora_codes);
    free(ref_packed);
    free(ora_packed);
    free(typed);
    free(rounded);
    return status;
  }
  if (sr_text) parse_sr_random(cmd, sr_text, sr, k);
  const uint32_t *srp = prof.o.elem.round == MX_SR ? sr : NULL;

  uint8_t ref_scale = 0, ora_scale = 0;
  if (impl != IMPL_ORACLE) {
    mxref_quantize_block(f, src, typed, k, &prof.o, srp, &ref_scale, ref_codes);
    dequantize_ref(f, ref_scale, ref_codes, k, dst, &prof.o, ref_dq);
  }
  if (impl != IMPL_REFERENCE) {
    mxo_quantize_block(f, src, bits, k, &prof.o, srp, &ora_scale, ora_codes);
    mxo_dequantize_block(f, ora_scale, ora_codes, k, dst, &prof.o, ora_dq);
  }
  /* What is printed: the reference's block, or the oracle's with --impl oracle. */
  const int show_oracle = impl == IMPL_ORACLE;
  const uint8_t scale = show_oracle ? ora_scale : ref_scale;
  const uint8_t *codes = show_oracle ? ora_codes : ref_codes;
  const uint64_t *dq = show_oracle ? ora_dq : ref_dq;

  printf("quantize %s: %zu %s values, profile %s, rule %s, round %s\n", mx_block_fmt_names[f], k, sd->name, prof.name,
         mx_scale_rule_names[prof.o.rule], mx_round_names[prof.o.elem.round]);
  print_scale(scale, show_oracle ? "oracle" : "reference");
  if (impl == IMPL_BOTH) print_scale(ora_scale, "oracle");
  int mismatch = impl == IMPL_BOTH && ref_scale != ora_scale;
  if (mismatch) printf("  MISMATCH scale: reference 0x%02x != oracle 0x%02x\n", ref_scale, ora_scale);
  const int ew = (ed->bits + 3) / 4, dw = dd->bits / 4;
  for (size_t i = 0; i < k; i++) {
    char in[640], ev[640], dv[640];
    mxo_format_code(src, bits[i], in, sizeof in);
    mxo_format_code(elem, codes[i], ev, sizeof ev);
    mxo_format_code(dst, dq[i], dv, sizeof dv);
    printf("  [%zu] %s 0x%0*llx %s%s\n       -> %s 0x%0*x %s\n       -> %s 0x%0*llx %s\n", i, sd->name, sd->bits / 4,
           (unsigned long long)bits[i], in, rounded[i] ? "  [input rounded to the source format]" : "", ed->name, ew,
           codes[i], ev, dd->name, dw, (unsigned long long)dq[i], dv);
    if (impl != IMPL_BOTH) continue;
    /* element codes under a NaN scale are don't-care (block.h step 2) */
    if (ref_scale == ora_scale && ref_scale != 0xFF && ref_codes[i] != ora_codes[i]) {
      printf("  MISMATCH [%zu] code: reference 0x%0*x != oracle 0x%0*x\n", i, ew, ref_codes[i], ew, ora_codes[i]);
      mismatch = 1;
    }
    if (!same_value_bits(dst, ref_dq[i], ora_dq[i])) {
      printf("  MISMATCH [%zu] dequantized: reference 0x%0*llx != oracle 0x%0*llx\n", i, dw,
             (unsigned long long)ref_dq[i], dw, (unsigned long long)ora_dq[i]);
      mismatch = 1;
    }
  }
  if (pack >= 0) {
    mx_pack_layout l = (mx_pack_layout)pack;
    size_t rn = 0, on = 0;
    if (impl != IMPL_ORACLE) rn = mxref_pack(f, l, ref_codes, k, ref_packed);
    if (impl != IMPL_REFERENCE) on = mxo_pack(f, l, impl == IMPL_BOTH ? ref_codes : ora_codes, k, ora_packed);
    char label[64];
    snprintf(label, sizeof label, "(%s)%s", mx_pack_layout_names[l], impl == IMPL_BOTH ? " [reference]" : "");
    if (impl != IMPL_ORACLE) print_packed(label, ref_packed, rn);
    else print_packed(label, ora_packed, on);
    if (impl == IMPL_BOTH && (rn != on || memcmp(ref_packed, ora_packed, rn))) {
      snprintf(label, sizeof label, "(%s) [oracle]", mx_pack_layout_names[l]);
      print_packed(label, ora_packed, on);
      printf("  MISMATCH packed bytes (both packing the reference's codes)\n");
      mismatch = 1;
    }
  }
  if (impl == IMPL_BOTH) printf("%s\n", mismatch ? "MISMATCH: reference and oracle differ" : "reference == oracle");
  free(bits);
  free(ref_dq);
  free(ora_dq);
  free(sr);
  free(ref_codes);
  free(ora_codes);
  free(ref_packed);
  free(ora_packed);
  free(typed);
  free(rounded);
  return mismatch ? MXC_EXIT_FAIL : MXC_EXIT_OK;
}

int cmd_dequantize(int argc, char **argv) {
  if (nvfp4_cli_wanted(argc, argv)) return nvfp4_cli_dequantize(argc, argv);
  const char *cmd = "dequantize";
  int fmt = -1, impl = IMPL_REFERENCE, ncodes = 0;
  const char *target_spec = NULL;
  mx_fmt dst = MX_F32;
  mx_profile prof;
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform dequantize --fmt mxfp8_e4m3|mxfp8_e5m2|mxfp6_e2m3|mxfp6_e3m2|mxfp4_e2m1|mxint8\n"
             "         [--to f32|bf16|f64] [--profile NAME|FILE] [--knob dequant_overflow=inf|sat]\n"
             "         [--impl reference|oracle|both | --target T] SCALE CODE...\n"
             "Prints v_i = X * P_i for the E8M0 scale byte SCALE and one element code per CODE.\n"
             "--target reference|lib:PATH.so|cmd:'COMMAND': the target's values beside the oracle's (expected)\n"
             "under the profile; exit 1 when they differ, 3 when the target is unusable.\n");
      return 0;
    }
  load_profile(cmd, argc, argv, &prof);
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--fmt"))) fmt = (int)parse_block_fmt(cmd, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--to"))) dst = parse_dequant_dst(cmd, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--profile"))) continue;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--knob"))) apply_knob(cmd, &prof, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--impl"))) impl = parse_impl(cmd, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--target"))) target_spec = v;
    else if (is_option(argv[i])) cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    else ncodes++;
  }
  if (fmt < 0) cli_usage_error(cmd, "--fmt is required (e.g. --fmt mxfp8_e4m3)");
  if (ncodes < 2) cli_usage_error(cmd, "give the scale byte and at least one element code");
  if (ncodes - 1 > MX_BLOCK_MAX) cli_usage_error(cmd, "at most %d codes in one block", MX_BLOCK_MAX);
  mx_block_fmt f = (mx_block_fmt)fmt;
  mx_fmt elem = mx_block_element(f);
  const mx_format_desc *ed = mx_format(elem), *dd = mx_format(dst);
  size_t k = (size_t)ncodes - 1, n = 0;
  uint8_t scale = 0;
  int have_scale = 0;
  /* static: a usage error below exits with nothing to free (and nothing leaked) */
  static uint8_t codes[MX_BLOCK_MAX];
  static uint64_t ref[MX_BLOCK_MAX], ora[MX_BLOCK_MAX];
  for (int i = 1; i < argc; i++) {
    if (is_option(argv[i])) {
      if (takes_value(argv[i])) i++;
      continue;
    }
    uint64_t c = cli_u64(cmd, have_scale ? "code" : "scale", argv[i]);
    if (!have_scale) {
      if (c > 0xFF) cli_usage_error(cmd, "scale %s does not fit in 8 bits (an E8M0 byte)", argv[i]);
      scale = (uint8_t)c;
      have_scale = 1;
      continue;
    }
    if (c >> ed->bits) cli_usage_error(cmd, "code %s does not fit in %s (%d bits)", argv[i], ed->name, ed->bits);
    codes[n++] = (uint8_t)c;
  }
  if (target_spec && impl != IMPL_REFERENCE) cli_usage_error(cmd, "--impl and --target: one or the other");
  if (target_spec) return dequantize_target(target_spec, f, dst, &prof, scale, codes, k);
  if (impl != IMPL_ORACLE) dequantize_ref(f, scale, codes, k, dst, &prof.o, ref);
  if (impl != IMPL_REFERENCE) mxo_dequantize_block(f, scale, codes, k, dst, &prof.o, ora);
  const uint64_t *shown = impl == IMPL_ORACLE ? ora : ref;
  printf("dequantize %s to %s, profile %s\n", mx_block_fmt_names[f], dd->name, prof.name);
  print_scale(scale, impl == IMPL_ORACLE ? "oracle" : "input");
  int mismatch = 0;
  const int ew = (ed->bits + 3) / 4, dw = dd->bits / 4;
  for (size_t i = 0; i < k; i++) {
    char ev[640], dv[640];
    mxo_format_code(elem, codes[i], ev, sizeof ev);
    mxo_format_code(dst, shown[i], dv, sizeof dv);
    printf("  [%zu] %s 0x%0*x %s -> %s 0x%0*llx %s\n", i, ed->name, ew, codes[i], ev, dd->name, dw,
           (unsigned long long)shown[i], dv);
    if (impl == IMPL_BOTH && !same_value_bits(dst, ref[i], ora[i])) {
      printf("  MISMATCH [%zu]: reference 0x%0*llx != oracle 0x%0*llx\n", i, dw, (unsigned long long)ref[i], dw,
             (unsigned long long)ora[i]);
      mismatch = 1;
    }
  }
  if (impl == IMPL_BOTH) printf("%s\n", mismatch ? "MISMATCH: reference and oracle differ" : "reference == oracle");
  return mismatch ? MXC_EXIT_FAIL : MXC_EXIT_OK;
}
