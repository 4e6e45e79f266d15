/* NVFP4 from the command line (include/mxconform/nvfp4.h; spec_notes/nvfp4.md):
 *   quantize --fmt nvfp4 [--profile P] [--knob K=V]... [--amax A] [--impl reference|oracle|both]
 *            [--pack fp4-low|fp4-high] VALUE...            (a multiple of 16 f32 values)
 *   dequantize --fmt nvfp4 --tensor-scale S [--profile P] [--knob K=V]... [--impl ...] SCALE CODE...
 *   dot --fmt nvfp4 [--model PRESET] [--param K=V]... [--impl ...] TA SA CA TB SB CB [C]
 * --impl both compares the reference with the oracle and exits 1 on any difference.
 * --target T (reference, lib:PATH.so, cmd:'COMMAND'): the target's answer beside the oracle's
 * under the profile, as `run` compares them; this is the reproduce line of a failing NVFP4
 * case (harness/reproduce.c). */
#include "nvfp4_cli.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "expect.h"
#include "mxconform/block.h"
#include "mxconform/dot.h"
#include "mxconform/mxref.h"
#include "mxconform/profile.h"
#include "oracle_nvfp4.h"
#include "oracle_print.h"
#include "single.h"

enum { IMPL_REFERENCE = 0, IMPL_ORACLE, IMPL_BOTH };
static const char *const k_impl_names[] = {"reference", "oracle", "both", NULL};
#define MAX_VALUES 4096

int nvfp4_cli_wanted(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--fmt=nvfp4")) return 1;
    if (!strcmp(argv[i], "--fmt") && i + 1 < argc && !strcmp(argv[i + 1], "nvfp4")) return 1;
  }
  return 0;
}

static int named(const char *cmd, const char *what, const char *const *names, const char *v) {
  int i = mx_name_index(names, v);
  if (i < 0) cli_usage_error(cmd, "bad %s '%s'", what, v);
  return i;
}

/* Options shared by both commands; returns 1 when argv[*i] was one of them. */
typedef struct common_opts {
  mx_profile prof;
  int impl;
  const char *target; /* --target: compare a target with the oracle */
} common_opts;

static void load(const char *cmd, int argc, char **argv, common_opts *c) {
  const char *name = "ocp";
  for (int i = 1; i < argc; i++) {
    const char *v = cli_opt(cmd, argc, argv, &i, "--profile");
    if (v) name = v;
  }
  char err[512];
  if (mx_profile_load(name, &c->prof, err, sizeof err) != 0) cli_usage_error(cmd, "%s", err);
  c->impl = IMPL_REFERENCE;
  c->target = NULL;
}

static int common_option(const char *cmd, int argc, char **argv, int *i, common_opts *c) {
  const char *v;
  if ((v = cli_opt(cmd, argc, argv, i, "--fmt"))) return 1; /* nvfp4: how we got here */
  if ((v = cli_opt(cmd, argc, argv, i, "--profile"))) return 1;
  if ((v = cli_opt(cmd, argc, argv, i, "--impl"))) {
    c->impl = named(cmd, "--impl (one of: reference oracle both)", k_impl_names, v);
    return 1;
  }
  if ((v = cli_opt(cmd, argc, argv, i, "--target"))) {
    c->target = v;
    return 1;
  }
  if ((v = cli_opt(cmd, argc, argv, i, "--knob"))) {
    char key[64];
    const char *value = cli_split_assignment(cmd, v, key, sizeof key);
    if (mx_profile_set(&c->prof, key, value) != 0) cli_usage_error(cmd, "bad --knob '%s'", v);
    return 1;
  }
  return 0;
}

static void print_f32(const char *label, uint32_t bits) {
  char buf[640];
  mxo_format_code(MX_F32, bits, buf, sizeof buf);
  printf("%s %s\n", label, buf);
}

static void print_knobs(const mx_profile *p) {
  char b[64];
  printf("profile %s:", p->name);
  static const char *const keys[] = {"nvfp4_tensor_scale", "nvfp4_block_scale", "nvfp4_elem_scale", "nvfp4_dequant",
                                     "nvfp4_scale_sign", NULL};
  for (int i = 0; keys[i]; i++) printf(" %s=%s", keys[i], mx_profile_get(p, keys[i], b, sizeof b));
  printf("\n");
}

/* One case of an NVFP4 suite against a target: expected (the oracle's, under the profile's
 * knobs) and actual words side by side, `labels` naming them; exit 0 equal, 1 different, 3
 * unusable or unsupported (single_verdict). */
static int against_target(const char *cmd, const char *spec, vec_suite *s, const uint64_t *in, size_t shown) {
  uint64_t none[1 + MX_BLOCK_MAX / 16 + MX_BLOCK_MAX] = {0};
  vec_suite_add(s, in, none, 0);
  single_result r;
  char err[512];
  if (single_run(spec, s, &r, err, sizeof err)) {
    fprintf(stderr, "mxconform %s: %s\n", cmd, err);
    vec_suite_free(s);
    return 3;
  }
  if (r.st[0] != T_OK) {
    single_print_status(&r, 0);
  } else {
    for (size_t i = 0; i < shown; i++) {
      int q = s->op == OP_NVFP4_QUANTIZE;
      mx_fmt f = !q || i == 0 ? MX_F32 : i <= s->nblocks ? MX_E4M3 : MX_E2M1;
      const char *what = s->op == OP_NVFP4_DOT ? "result"
                         : !q                    ? "value"
                         : i == 0                ? "tensor scale"
                         : i <= s->nblocks       ? "block scale"
                                                 : "code";
      char e[700], a[700];
      single_code_text(f, r.expected[i], e, sizeof e);
      single_code_text(f, r.actual[i], a, sizeof a);
      size_t dc = 0;
      vec_suite one = *s; /* compare this word alone: NaN accepts any NaN (dequantize) */
      int same = r.expected[i] == r.actual[i] ||
                 (!q && (one.k = 1, expect_equal(&one, &r.expected[i], &r.actual[i], &dc)));
      printf("  [%zu] %-12s expected %s, actual %s%s\n", i, what, e, a, same ? "" : "  <- differs");
    }
  }
  int status = single_verdict(&r, s);
  single_free(&r);
  vec_suite_free(s);
  return status;
}

static int quantize_target(const char *spec, const mx_profile *p, const uint32_t *in, size_t n, int has_amax,
                           uint32_t amax) {
  vec_suite s;
  vec_suite_init(&s);
  s.op = OP_NVFP4_QUANTIZE;
  s.nblocks = n / 16;
  s.knobs = *p;
  vec_suite_shape(&s);
  vec_suite_make_name(&s);
  static uint64_t w[MAX_VALUES + 2];
  for (size_t i = 0; i < n; i++) w[i] = in[i];
  w[n] = (uint64_t)has_amax;
  w[n + 1] = amax;
  return against_target("quantize", spec, &s, w, s.nout);
}

int nvfp4_cli_quantize(int argc, char **argv) {
  const char *cmd = "quantize";
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform quantize --fmt nvfp4 [--profile NAME|FILE] [--knob NAME=VALUE]... [--amax A]\n"
             "         [--impl reference|oracle|both] [--pack fp4-low|fp4-high] [--target T] VALUE...\n"
             "Quantizes a tensor of f32 VALUEs (a multiple of 16) to NVFP4: tensor scale, one E4M3 scale per 16\n"
             "values, E2M1 codes, and the values they decode to (spec_notes/nvfp4.md). --amax gives a calibrated\n"
             "amax instead of the tensor's. Knobs: nvfp4_tensor_scale nvfp4_block_scale nvfp4_elem_scale\n"
             "nvfp4_dequant nvfp4_scale_sign (profile nvfp4-te: Transformer Engine). --target reference|lib:PATH.so|\n"
             "cmd:'COMMAND': the target's tensor scale, block scales and codes beside the oracle's under the profile\n"
             "(exit 1 when they differ, 3 when the target is unusable or does not do NVFP4).\n");
      return 0;
    }
  common_opts c;
  load(cmd, argc, argv, &c);
  static uint32_t in[MAX_VALUES];
  static uint8_t rs[MAX_VALUES / 16], rc[MAX_VALUES], os[MAX_VALUES / 16], oc[MAX_VALUES], packed[MAX_VALUES];
  size_t n = 0;
  int pack = -1, have_amax = 0;
  uint32_t amax = 0;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if (common_option(cmd, argc, argv, &i, &c)) continue;
    if ((v = cli_opt(cmd, argc, argv, &i, "--amax"))) {
      int r;
      amax = (uint32_t)cli_parse_value(cmd, MX_F32, v, &r);
      have_amax = 1;
    } else if ((v = cli_opt(cmd, argc, argv, &i, "--pack"))) {
      pack = named(cmd, "--pack (one of: fp4-low fp4-high)", mx_pack_layout_names, v);
      if (pack != MX_PACK_FP4_LOW && pack != MX_PACK_FP4_HIGH) cli_usage_error(cmd, "--pack %s does not apply to nvfp4", v);
    } else if (argv[i][0] == '-' && argv[i][1] == '-') {
      cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    } else {
      if (n == MAX_VALUES) cli_usage_error(cmd, "at most %d values", MAX_VALUES);
      int r;
      in[n++] = (uint32_t)cli_parse_value(cmd, MX_F32, argv[i], &r);
    }
  }
  if (n == 0 || n % 16) cli_usage_error(cmd, "nvfp4 takes a multiple of 16 values, got %zu", n);
  if (c.target) {
    if (c.impl != IMPL_REFERENCE || pack >= 0) cli_usage_error(cmd, "--target takes neither --impl nor --pack");
    for (size_t i = 0; i < n; i++)
      if ((in[i] & 0x7F800000u) == 0x7F800000u) cli_usage_error(cmd, "nvfp4 has no defined flow for NaN/Inf values");
    if (have_amax && ((amax & 0x7F800000u) == 0x7F800000u || (amax >> 31 && (amax & 0x7FFFFFFFu))))
      cli_usage_error(cmd, "--amax must be a finite value >= 0");
    return quantize_target(c.target, &c.prof, in, n, have_amax, amax);
  }
  mx_nvfp4_tensor r = {0, 0, rs, rc}, o = {0, 0, os, oc};
  const uint32_t *ap = have_amax ? &amax : NULL;
  int rr = c.impl != IMPL_ORACLE ? mxref_nvfp4_quantize(in, n, ap, &c.prof.nvfp4, &r) : 0;
  int orr = c.impl != IMPL_REFERENCE ? mxo_nvfp4_quantize(in, n, ap, &c.prof.nvfp4, &o) : 0;
  if (rr || orr) {
    cli_usage_error(cmd, "nvfp4 has no defined flow for NaN/Inf values or a NaN/Inf/negative --amax");
  }
  const mx_nvfp4_tensor *t = c.impl == IMPL_ORACLE ? &o : &r;
  print_knobs(&c.prof);
  print_f32("encode scale S_enc", t->s_enc);
  print_f32("tensor scale s_t  ", t->tensor_scale);
  int mismatch = c.impl == IMPL_BOTH && (r.tensor_scale != o.tensor_scale || memcmp(rs, os, n / 16) || memcmp(rc, oc, n));
  for (size_t b = 0; b < n / 16; b++) {
    char buf[640];
    mxo_format_code(MX_E4M3, t->scales[b], buf, sizeof buf);
    printf("block %zu: scale %s\n", b, buf);
    uint32_t dq[16];
    mxref_nvfp4_dequantize(t->tensor_scale, t->scales[b], t->codes + b * 16, &c.prof.nvfp4, dq);
    for (int i = 0; i < 16; i++) {
      char e[64], d[640];
      mxo_format_code(MX_E2M1, t->codes[b * 16 + i], e, sizeof e);
      mxo_format_code(MX_F32, dq[i], d, sizeof d);
      printf("  0x%08x -> %-14s -> %s\n", in[b * 16 + i], e, d);
    }
  }
  if (pack >= 0) {
    size_t len = mxref_pack(MX_MXFP4_E2M1, (mx_pack_layout)pack, t->codes, n, packed);
    printf("packed (%s):", mx_pack_layout_names[pack]);
    for (size_t i = 0; i < len; i++) printf(" %02x", packed[i]);
    printf("\n");
  }
  if (mismatch) printf("MISMATCH: reference and oracle differ (tensor scale 0x%08x / 0x%08x)\n", r.tensor_scale, o.tensor_scale);
  else if (c.impl == IMPL_BOTH) printf("reference == oracle\n");
  return mismatch;
}

int nvfp4_cli_dequantize(int argc, char **argv) {
  const char *cmd = "dequantize";
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform dequantize --fmt nvfp4 --tensor-scale S [--profile NAME|FILE] [--knob NAME=VALUE]...\n"
             "         [--impl reference|oracle|both] [--target T] SCALE CODE...\n"
             "Decodes one NVFP4 block: up to 16 E2M1 CODEs with their E4M3 SCALE code and the f32 tensor scale S\n"
             "(a number or f32 bits): value = element x block scale x tensor scale, rounded to f32 per the\n"
             "nvfp4_dequant knob; nvfp4_scale_sign says whether SCALE's sign bit counts (cuBLAS: ignored).\n"
             "--target T: the target's values beside the oracle's (codes past the last given are 0).\n");
      return 0;
    }
  common_opts c;
  load(cmd, argc, argv, &c);
  uint32_t st = 0x3F800000u;
  int have_st = 0, nargs = 0;
  uint8_t scale = 0, codes[16] = {0};
  size_t k = 0;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if (common_option(cmd, argc, argv, &i, &c)) continue;
    if ((v = cli_opt(cmd, argc, argv, &i, "--tensor-scale"))) {
      int r;
      st = (uint32_t)cli_parse_value(cmd, MX_F32, v, &r);
      have_st = 1;
    } else if (argv[i][0] == '-' && argv[i][1] == '-') {
      cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    } else {
      uint64_t x = cli_u64(cmd, nargs ? "CODE" : "SCALE", argv[i]);
      if (nargs == 0) {
        if (x > 0xFF) cli_usage_error(cmd, "SCALE '%s' is not an E4M3 code (0x00..0xff)", argv[i]);
        scale = (uint8_t)x;
      } else {
        if (x > 0xF) cli_usage_error(cmd, "CODE '%s' is not an E2M1 code (0x0..0xf)", argv[i]);
        if (k == 16) cli_usage_error(cmd, "at most 16 codes (one block)");
        codes[k++] = (uint8_t)x;
      }
      nargs++;
    }
  }
  if (!have_st) cli_usage_error(cmd, "--tensor-scale is required for nvfp4");
  if (k == 0) cli_usage_error(cmd, "give SCALE and at least one CODE");
  if (c.target) { /* the block of 16 the suites hold: codes past k are 0 */
    if (c.impl != IMPL_REFERENCE) cli_usage_error(cmd, "--target does not take --impl");
    vec_suite s;
    vec_suite_init(&s);
    s.op = OP_NVFP4_DEQUANTIZE;
    s.knobs = c.prof;
    vec_suite_shape(&s);
    vec_suite_make_name(&s);
    uint64_t w[2 + 16] = {st, scale};
    for (size_t i = 0; i < 16; i++) w[2 + i] = codes[i];
    return against_target(cmd, c.target, &s, w, k);
  }
  uint32_t r[16], o[16];
  mxref_nvfp4_dequantize(st, scale, codes, &c.prof.nvfp4, r);
  mxo_nvfp4_dequantize(st, scale, codes, &c.prof.nvfp4, o);
  const uint32_t *out = c.impl == IMPL_ORACLE ? o : r;
  print_knobs(&c.prof);
  print_f32("tensor scale", st);
  char buf[640];
  uint8_t eff = c.prof.nvfp4.scale_sign == MX_NVFP4_SIGN_IGNORE ? (uint8_t)(scale & 0x7F) : scale;
  mxo_format_code(MX_E4M3, eff, buf, sizeof buf);
  printf("block scale 0x%02x = %s%s\n", scale, buf, eff != scale ? " (sign bit ignored: nvfp4_scale_sign=ignore)" : "");
  int mismatch = 0;
  for (size_t i = 0; i < k; i++) {
    char e[64], d[640];
    mxo_format_code(MX_E2M1, codes[i], e, sizeof e);
    mxo_format_code(MX_F32, out[i], d, sizeof d);
    int nan_r = mx_classify(MX_F32, r[i]) == MX_CLASS_NAN, nan_o = mx_classify(MX_F32, o[i]) == MX_CLASS_NAN;
    int differ = c.impl == IMPL_BOTH && (nan_r || nan_o ? nan_r != nan_o : r[i] != o[i]);
    mismatch |= differ;
    printf("  %-14s -> %s%s\n", e, d, differ ? "   MISMATCH" : "");
  }
  if (c.impl == IMPL_BOTH) printf(mismatch ? "MISMATCH: reference and oracle differ\n" : "reference == oracle\n");
  return mismatch;
}

/* ---- dot --fmt nvfp4 ------------------------------------------------------------------------ */

/* --param KEY=VALUE onto m: the model text's parser, one parameter (include/mxconform/dot.h). */
static void set_model_param(const char *cmd, mx_dot_model *m, const char *assignment) {
  char key[64], why[256];
  const char *v = cli_split_assignment(cmd, assignment, key, sizeof key);
  if (mx_dot_model_set(m, key, v, why, sizeof why)) cli_usage_error(cmd, "--param: %s", why);
}

enum { DOT_NB_MAX = 64 };

/* The operands TSCALE_A SCALES_A CODES_A TSCALE_B SCALES_B CODES_B [C] into an nvfp4_dot case
 * (vectors.h order); sets s->nblocks. */
static void dot_operands(const char *cmd, vec_suite *s, char **args, int nargs, uint64_t *in) {
  static uint64_t sc[2][DOT_NB_MAX], co[2][DOT_NB_MAX * 16];
  uint64_t ts[2];
  size_t ns[2], nc[2];
  for (int o = 0; o < 2; o++) {
    int r;
    ts[o] = cli_parse_value(cmd, MX_F32, args[3 * o], &r);
    if ((ts[o] & 0x7F800000u) == 0x7F800000u) cli_usage_error(cmd, "a tensor scale must be finite");
    ns[o] = cli_hex_list(cmd, o ? "SCALES_B" : "SCALES_A", args[3 * o + 1], 8, sc[o], DOT_NB_MAX);
    nc[o] = cli_hex_list(cmd, o ? "CODES_B" : "CODES_A", args[3 * o + 2], 4, co[o], DOT_NB_MAX * 16);
  }
  if (ns[0] != ns[1] || nc[0] != 16 * ns[0] || nc[1] != 16 * ns[1])
    cli_usage_error(cmd, "operands: %zu and %zu block scales, %zu and %zu codes (want n scales and 16 n codes on each side)",
                    ns[0], ns[1], nc[0], nc[1]);
  s->nblocks = ns[0];
  vec_suite_shape(s);
  size_t half = 1 + ns[0] + nc[0];
  for (int o = 0; o < 2; o++) {
    in[(size_t)o * half] = ts[o];
    memcpy(in + (size_t)o * half + 1, sc[o], ns[0] * sizeof *in);
    memcpy(in + (size_t)o * half + 1 + ns[0], co[o], nc[0] * sizeof *in);
  }
  in[2 * half] = in[2 * half + 1] = 0;
  if (nargs > 6 && strcmp(args[6], "-")) {
    int r;
    in[2 * half] = 1;
    in[2 * half + 1] = cli_parse_value(cmd, MX_F32, args[6], &r);
  }
}

int nvfp4_cli_dot(int argc, char **argv) {
  const char *cmd = "dot";
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform dot --fmt nvfp4 [--profile NAME|FILE] [--knob nvfp4_scale_sign=V] [--model PRESET]\n"
             "         [--param KEY=VALUE]... [--impl reference|oracle|both] [--target T]\n"
             "         TSCALE_A SCALES_A CODES_A TSCALE_B SCALES_B CODES_B [C]\n"
             "One NVFP4 DotGeneral (spec_notes/nvfp4.md section 7) of n blocks of 16: TSCALE_* the f32 tensor\n"
             "scales (a number or f32 bits), SCALES_* n E4M3 block scale codes, CODES_* 16 n E2M1 codes, comma\n"
             "lists of hex words (7e,38 and 7,0,f,...); C the f32 accumulator input or '-'. Prints the result\n"
             "under the accumulation model (--model: a preset of include/mxconform/dot.h, default exact-rne;\n"
             "--param changes one parameter: group presum frac_bits align scale_at acc c_at final_round accum\n"
             "subnormal assign step_frac step_round) beside the exact value rounded once. --impl both: libmxref\n"
             "and the oracle, exit 1 if they differ. --target reference|lib:PATH.so|cmd:'COMMAND': the target's\n"
             "answer beside the expected exact-rne value, as `run` compares them (exit 1 different, 3 unusable).\n");
      return 0;
    }
  common_opts c;
  load(cmd, argc, argv, &c);
  mx_dot_model m = MX_DOT_MODEL_EXACT_RNE;
  const char *model_name = "exact-rne";
  int changed = 0, nargs = 0;
  char *args[7];
  for (int i = 1; i < argc; i++) {
    const char *v;
    if (common_option(cmd, argc, argv, &i, &c)) continue;
    if ((v = cli_opt(cmd, argc, argv, &i, "--model"))) {
      const mx_dot_preset *p = mx_dot_preset_find(v);
      if (!p) cli_usage_error(cmd, "--model: unknown preset '%s'", v);
      m = p->model;
      model_name = p->name;
    } else if ((v = cli_opt(cmd, argc, argv, &i, "--param"))) {
      set_model_param(cmd, &m, v);
      changed = 1;
    } else if (argv[i][0] == '-' && argv[i][1] == '-') {
      cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    } else {
      if (nargs == 7) cli_usage_error(cmd, "too many operands (TSCALE_A SCALES_A CODES_A TSCALE_B SCALES_B CODES_B [C])");
      args[nargs++] = argv[i];
    }
  }
  if (nargs < 6) cli_usage_error(cmd, "give TSCALE_A SCALES_A CODES_A TSCALE_B SCALES_B CODES_B [C]");
  const char *why = mx_dot_model_check(&m);
  if (why) cli_usage_error(cmd, "model: %s", why);
  vec_suite s;
  vec_suite_init(&s);
  s.op = OP_NVFP4_DOT;
  s.knobs = c.prof;
  static uint64_t in[2 * (1 + DOT_NB_MAX + DOT_NB_MAX * 16) + 2];
  dot_operands(cmd, &s, args, nargs, in);
  vec_suite_make_name(&s);
  if (c.target) {
    if (c.impl != IMPL_REFERENCE || changed || strcmp(model_name, "exact-rne"))
      cli_usage_error(cmd, "--target takes neither --impl nor a model (the target computes as it computes)");
    return against_target(cmd, c.target, &s, in, 1);
  }
  static uint8_t sa[DOT_NB_MAX], sb[DOT_NB_MAX], ca[DOT_NB_MAX * 16], cb[DOT_NB_MAX * 16];
  uint32_t sta, stb, cv, r = 0, o = 0, e = 0;
  int has_c = vec_nvfp4_dot_operands(&s, in, &sta, sa, ca, &stb, sb, cb, &cv);
  const uint32_t *cp = has_c ? &cv : NULL;
  size_t nb = s.nblocks;
  int rr = c.impl != IMPL_ORACLE ? mxref_nvfp4_dot_general(nb, sta, sa, ca, stb, sb, cb, cp, &m, &c.prof.nvfp4, &r) : 0;
  int orr = c.impl != IMPL_REFERENCE ? mxo_nvfp4_dot_general(nb, sta, sa, ca, stb, sb, cb, cp, &m, &c.prof.nvfp4, &o) : 0;
  mxo_nvfp4_dot_general(nb, sta, sa, ca, stb, sb, cb, cp, NULL, &c.prof.nvfp4, &e);
  vec_suite_free(&s);
  if (rr == -2) {
    fprintf(stderr, "mxconform dot: libmxref does not do finite frac_bits with accum=exact (try --impl oracle)\n");
    return 2;
  }
  print_knobs(&c.prof);
  printf("nvfp4 dot: %zu block%s of 16, C %s", nb, nb == 1 ? "" : "s", has_c ? "" : "none");
  if (has_c) printf("0x%08x", cv);
  printf("\nmodel %s%s\n", model_name, changed ? " (with --param changes)" : "");
  print_f32("exact-rne  ", e);
  if (c.impl != IMPL_ORACLE) print_f32("reference  ", r);
  if (c.impl != IMPL_REFERENCE) print_f32("oracle     ", o);
  if (c.impl != IMPL_BOTH) return 0;
  int nan_r = mx_classify(MX_F32, r) == MX_CLASS_NAN, nan_o = mx_classify(MX_F32, o) == MX_CLASS_NAN;
  int mismatch = rr != orr || (nan_r || nan_o ? nan_r != nan_o : r != o);
  printf(mismatch ? "MISMATCH: reference and oracle differ\n" : "reference == oracle\n");
  return mismatch;
}
