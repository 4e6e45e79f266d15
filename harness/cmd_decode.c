/* mxconform decode: exact value and class of codes, from the oracle, beside the
 * reference's f32 decode. */
#include <stdio.h>
#include <string.h>

#include "../oracle/oracle_print.h"
#include "cli.h"
#include "mxconform/mxref.h"
#include "single.h"

static int decode_one(mx_fmt f, uint64_t code) {
  const mx_format_desc *d = mx_format(f);
  char val[640];
  mxo_format_code(f, code, val, sizeof val);
  int width = (d->bits + 3) / 4;
  printf("%s 0x%0*llx  %-9s %s", d->name, width, (unsigned long long)code, mx_class_name(mx_classify(f, code)), val);
  if (d->is_element) printf("   [reference f32 0x%08x]", mxref_decode_f32_bits(f, (uint32_t)code));
  printf("\n");
  return 0;
}

/* The codes against a target: its f64 decode beside the oracle's (a reproduce command). */
static int decode_target(const char *cmd, const char *spec, mx_fmt f, int argc, char **argv) {
  vec_suite s;
  vec_suite_init(&s);
  s.op = OP_DECODE;
  s.fmt = f;
  vec_suite_shape(&s);
  vec_suite_make_name(&s);
  const mx_format_desc *d = mx_format(f);
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1] == '-') {
      if ((!strcmp(argv[i], "--fmt") || !strcmp(argv[i], "--target"))) i++;
      continue;
    }
    uint64_t c = cli_u64(cmd, "code", argv[i]), none = 0;
    if (d->bits < 64 && c >> d->bits) cli_usage_error(cmd, "code %s does not fit in %d bits", argv[i], d->bits);
    vec_suite_add(&s, &c, &none, 0);
  }
  single_result r;
  char err[512];
  if (single_run(spec, &s, &r, err, sizeof err)) {
    fprintf(stderr, "mxconform %s: %s\n", cmd, err);
    vec_suite_free(&s);
    return 3;
  }
  for (size_t c = 0; c < s.ncases; c++) {
    single_print_code("code", f, s.in[c], mx_class_name(mx_classify(f, s.in[c])));
    single_print_code("expected", MX_F64, r.expected[c], "[oracle]");
    if (r.st[c] == T_OK) single_print_code("actual", MX_F64, r.actual[c], r.equal[c] ? "[target]" : "[target]  <- differs");
    else single_print_status(&r, c);
  }
  int status = single_verdict(&r, &s);
  single_free(&r);
  vec_suite_free(&s);
  return status;
}

int cmd_decode(int argc, char **argv) {
  const char *cmd = "decode";
  int fmt = -1, all = 0, ncodes = 0;
  const char *target_spec = NULL;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--fmt"))) fmt = cli_format(cmd, v, 0, 0);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--target"))) target_spec = v;
    else if (!strcmp(argv[i], "--all")) all = 1;
    else if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform decode --fmt FMT [--all | CODE...] [--target T]\n"
             "Prints each code's class and exact value (hex float and exact decimal).\n"
             "--target reference|lib:PATH.so|cmd:'COMMAND': the target's f64 decode of each CODE beside the\n"
             "oracle's; exit 1 when any differs, 3 when the target is unusable.\n");
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1] == '-') cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    else ncodes++;
  }
  if (fmt < 0) cli_usage_error(cmd, "--fmt is required (e.g. --fmt e4m3)");
  const mx_format_desc *d = mx_format((mx_fmt)fmt);
  if (!all && !ncodes) cli_usage_error(cmd, "give codes or --all");
  if (target_spec) {
    if (all) cli_usage_error(cmd, "--all and --target: give the codes to run");
    return decode_target(cmd, target_spec, (mx_fmt)fmt, argc, argv);
  }
  if (all) {
    if (d->bits > 16) cli_usage_error(cmd, "--all is for formats of at most 16 bits");
    for (uint64_t c = 0; c < mx_format_code_count((mx_fmt)fmt); c++) decode_one((mx_fmt)fmt, c);
    return 0;
  }
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1] == '-') {
      if ((!strcmp(argv[i], "--fmt") || !strcmp(argv[i], "--target"))) i++;
      continue;
    }
    uint64_t c = cli_u64(cmd, "code", argv[i]);
    if (d->bits < 64 && c >> d->bits) cli_usage_error(cmd, "code %s does not fit in %d bits", argv[i], d->bits);
    decode_one((mx_fmt)fmt, c);
  }
  return 0;
}
