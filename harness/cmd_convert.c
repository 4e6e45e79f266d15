/* mxconform convert: one conversion at a time, by the reference, the oracle or both; or,
 * with --target, by a target beside the expected value (a reproduce command, reproduce.h). */
#include <stdio.h>
#include <string.h>

#include "../oracle/oracle_print.h"
#include "cli.h"
#include "mxconform/mxref.h"
#include "single.h"

/* --profile is applied before every other option, so --round/--overflow/--knob refine it
 * whatever their order on the command line. */
static void load_profile(const char *cmd, int argc, char **argv, mx_profile *p) {
  const char *name = "ocp";
  for (int i = 1; i < argc; i++) {
    const char *v = cli_opt(cmd, argc, argv, &i, "--profile");
    if (v) name = v;
  }
  char err[512];
  if (mx_profile_load(name, p, err, sizeof err)) cli_usage_error(cmd, "%s", err);
}

static int takes_value(const char *a) {
  static const char *const with_value[] = {"--from", "--to", "--round", "--overflow", "--knob", "--sr-random",
                                           "--impl", "--target", "--profile", NULL};
  return !strchr(a, '=') && mx_name_index(with_value, a) >= 0;
}

/* A result code as text; MX_CODE_REFUSED is no code: the profile's library raises. */
static void code_text(mx_fmt to, uint32_t code, char *buf, size_t len) {
  if (code == MX_CODE_REFUSED) snprintf(buf, len, "refused (the profile's library raises: no code)");
  else mxo_format_code(to, code, buf, len);
}

/* The VALUEs against a target: one suite, a case per value, the oracle's expected codes. */
static int convert_target(const char *cmd, const char *spec, const mx_profile *p, mx_fmt from, mx_fmt to,
                          uint32_t sr_random, int argc, char **argv) {
  vec_suite s;
  vec_suite_init(&s);
  s.op = OP_CVT;
  s.src = from;
  s.dst = to;
  s.round = p->o.elem.round;
  s.overflow = p->o.elem.overflow;
  s.knobs = *p;
  vec_suite_shape(&s);
  vec_suite_make_name(&s);
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1] == '-') {
      i += takes_value(argv[i]);
      continue;
    }
    int rounded;
    uint64_t bits = cli_parse_value(cmd, from, argv[i], &rounded), none = 0;
    vec_suite_add(&s, &bits, &none, sr_random);
  }
  single_result r;
  char err[512];
  if (single_run(spec, &s, &r, err, sizeof err)) {
    fprintf(stderr, "mxconform %s: %s\n", cmd, err);
    vec_suite_free(&s);
    return 3;
  }
  printf("convert %s -> %s, round %s, overflow %s%s\n", mx_format(from)->name, mx_format(to)->name,
         mx_round_names[s.round], mx_overflow_names[s.overflow], s.nrand ? " (sr random word given)" : "");
  for (size_t c = 0; c < s.ncases; c++) {
    single_print_code("input", from, s.in[c], NULL);
    single_print_code("expected", to, r.expected[c], "[oracle]");
    if (r.st[c] == T_OK) single_print_code("actual", to, r.actual[c], r.equal[c] ? "[target]" : "[target]  <- differs");
    else single_print_status(&r, c);
  }
  int status = single_verdict(&r, &s);
  single_free(&r);
  vec_suite_free(&s);
  return status;
}

int cmd_convert(int argc, char **argv) {
  const char *cmd = "convert";
  int from = MX_F32, to = -1, impl = 0, impl_given = 0; /* 0 reference, 1 oracle, 2 both */
  const char *target_spec = NULL;
  uint32_t sr_random = 0;
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform convert --from f32|bf16|f16|f64 --to e4m3|e5m2|e2m3|e3m2|e2m1|int8|e8m0\n"
             "         [--round rne|rna|rtz|rup|rdn|sr] [--overflow sat|ovf] [--profile NAME|FILE] [--knob NAME=VALUE]...\n"
             "         [--sr-random R] [--impl reference|oracle|both | --target T] VALUE...\n"
             "VALUE: a hex bit pattern of the source format (0x43e80000) or a number (464, 0x1.dp+8, -inf, nan);\n"
             "numbers are first rounded to the source format (RNE), which is reported.\n"
             "--profile (default ocp) sets the knobs; --round/--overflow/--knob refine it.\n"
             "--target reference|lib:PATH.so|cmd:'COMMAND': run the target on each VALUE and print the expected\n"
             "code (the oracle's) beside the target's; exit 1 when any differs, 3 when the target is unusable.\n"
             "Knobs: see spec_notes/conversion.md (mxconform convert --knob help lists them).\n");
      return 0;
    }
  mx_profile prof;
  load_profile(cmd, argc, argv, &prof);
  mx_convert_opts o = prof.o.elem;
  int nvalues = 0, nknobs = 0;
  const char *knob_args[64];
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--from"))) from = cli_format(cmd, v, 1, 0);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--to"))) to = cli_format(cmd, v, 0, 1);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--round"))) cli_knob(cmd, &o, "round", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--overflow"))) cli_knob(cmd, &o, "overflow", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--knob"))) {
      cli_knob_assign(cmd, &o, v); /* checks it */
      if (nknobs < 64) knob_args[nknobs++] = v;
    }
    else if ((v = cli_opt(cmd, argc, argv, &i, "--sr-random"))) sr_random = (uint32_t)cli_u64_max(cmd, "--sr-random", v, UINT32_MAX);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--profile"))) continue; /* already applied */
    else if ((v = cli_opt(cmd, argc, argv, &i, "--target"))) target_spec = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--impl"))) {
      impl_given = 1;
      if (!strcmp(v, "reference")) impl = 0;
      else if (!strcmp(v, "oracle")) impl = 1;
      else if (!strcmp(v, "both")) impl = 2;
      else cli_usage_error(cmd, "bad --impl '%s' (one of: reference oracle both)", v);
    } else if (argv[i][0] == '-' && argv[i][1] == '-') cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    else nvalues++;
  }
  if (to < 0) cli_usage_error(cmd, "--to is required (e.g. --to e4m3)");
  if (!nvalues) cli_usage_error(cmd, "give at least one VALUE");
  if (target_spec && impl_given) cli_usage_error(cmd, "--impl and --target: one or the other");
  /* --knob K=V holds for every request (its rules dropped); then the profile's rules for this one */
  for (int k = 0; k < nknobs; k++) {
    char name[64];
    cli_split_assignment(cmd, knob_args[k], name, sizeof name);
    mx_profile_set(&prof, name, strchr(knob_args[k], '=') + 1);
  }
  prof.o.elem.round = o.round;
  prof.o.elem.overflow = o.overflow;
  mx_knob_context kc = {MX_OPK_CVT, (mx_fmt)from, (mx_fmt)to, o.round, o.overflow};
  mx_profile_resolve(&prof, &kc, &o);
  if (target_spec) {
    return convert_target(cmd, target_spec, &prof, (mx_fmt)from, (mx_fmt)to, sr_random, argc, argv);
  }
  const mx_format_desc *sd = mx_format((mx_fmt)from), *dd = mx_format((mx_fmt)to);
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1] == '-') {
      i += takes_value(argv[i]);
      continue;
    }
    int rounded;
    uint64_t bits = cli_parse_value(cmd, (mx_fmt)from, argv[i], &rounded);
    char in[640], out[640];
    mxo_format_code((mx_fmt)from, bits, in, sizeof in);
    printf("%s 0x%0*llx %s%s\n", sd->name, sd->bits / 4, (unsigned long long)bits, in,
           rounded ? "  [input rounded to the source format]" : "");
    uint32_t ref = 0, ora = 0;
    if (impl != 1) ref = mxref_convert_one((mx_fmt)to, (mx_fmt)from, bits, &o, sr_random);
    if (impl != 0) ora = mxo_convert((mx_fmt)to, (mx_fmt)from, bits, &o, sr_random);
    int dw = (dd->bits + 3) / 4;
    if (impl != 1) {
      code_text((mx_fmt)to, ref, out, sizeof out);
      printf("  -> %s 0x%0*x %s  [reference]\n", dd->name, dw, ref, out);
    }
    if (impl != 0) {
      code_text((mx_fmt)to, ora, out, sizeof out);
      printf("  -> %s 0x%0*x %s  [oracle]\n", dd->name, dw, ora, out);
    }
    if (impl == 2 && ref != ora) {
      printf("  MISMATCH reference 0x%0*x != oracle 0x%0*x\n", dw, ref, dw, ora);
      status = MXC_EXIT_FAIL;
    }
  }
  return status;
}
