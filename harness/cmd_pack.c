/* mxconform pack: one block of element codes packed into bytes by a target (default the
 * built-in reference) beside the oracle's bytes: the reproduce command of pack suites. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "single.h"

static void print_bytes(const char *label, const uint64_t *b, size_t n, const char *note) {
  printf("  %-9s", label);
  for (size_t i = 0; i < n; i++) printf(" %02llx", (unsigned long long)b[i]);
  printf("  %s\n", note);
}

int cmd_pack(int argc, char **argv) {
  const char *cmd = "pack";
  const char *target_spec = "reference";
  int fmt = -1, layout = -1;
  vec_suite s;
  static uint64_t codes[MX_BLOCK_MAX]; /* static: a usage error exits with nothing to free */
  size_t k = 0;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--fmt"))) fmt = (int)single_block_fmt(cmd, "--fmt", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--layout"))) layout = (int)single_pack_layout(cmd, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--target"))) target_spec = v;
    else if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform pack --fmt mxfp8_e4m3|mxfp8_e5m2|mxfp6_e2m3|mxfp6_e3m2|mxfp4_e2m1|mxint8\n"
             "         --layout byte|fp4-low|fp4-high|fp6-lsb [--target reference|lib:PATH.so|cmd:'COMMAND'] CODE...\n"
             "Packs the element codes CODE... (0x1f or 31) with the target (default: the built-in reference)\n"
             "and prints its bytes beside the oracle's (expected). Exit status: 0 same, 1 different,\n"
             "2 bad usage, 3 target unusable or the layout unsupported.\n");
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1] == '-') cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    else {
      if (k == MX_BLOCK_MAX) cli_usage_error(cmd, "at most %d codes", MX_BLOCK_MAX);
      codes[k++] = cli_u64(cmd, "code", argv[i]);
    }
  }
  if (fmt < 0) cli_usage_error(cmd, "--fmt is required (e.g. --fmt mxfp4_e2m1)");
  if (layout < 0) cli_usage_error(cmd, "--layout is required (e.g. --layout fp4-low)");
  if (!k) cli_usage_error(cmd, "give at least one CODE");
  mx_fmt elem = mx_block_element((mx_block_fmt)fmt);
  for (size_t i = 0; i < k; i++)
    if (codes[i] >> mx_format(elem)->bits)
      cli_usage_error(cmd, "code 0x%llx does not fit in %s (%d bits)", (unsigned long long)codes[i],
                      mx_format(elem)->name, mx_format(elem)->bits);
  if (!mx_packed_size((mx_block_fmt)fmt, (mx_pack_layout)layout, k))
    cli_usage_error(cmd, "--layout %s does not apply to %s with %zu codes", mx_pack_layout_names[layout],
                    mx_block_fmt_names[fmt], k);
  vec_suite_init(&s);
  s.op = OP_PACK;
  s.bfmt = (mx_block_fmt)fmt;
  s.layout = (mx_pack_layout)layout;
  s.k = k;
  vec_suite_shape(&s);
  vec_suite_make_name(&s);
  static uint64_t none[MX_BLOCK_MAX];
  vec_suite_add(&s, codes, none, 0);
  single_result r;
  char err[512];
  if (single_run(target_spec, &s, &r, err, sizeof err)) {
    fprintf(stderr, "mxconform %s: %s\n", cmd, err);
    vec_suite_free(&s);
    return 3;
  }
  printf("pack %s, layout %s: %zu %s codes -> %zu bytes\n  codes    ", mx_block_fmt_names[fmt], mx_pack_layout_names[layout],
         k, mx_format(elem)->name, s.nout);
  for (size_t i = 0; i < k; i++) printf(" %llx", (unsigned long long)codes[i]);
  printf("\n");
  print_bytes("expected", r.expected, s.nout, "[oracle]");
  if (r.st[0] == T_OK) {
    print_bytes("actual", r.actual, s.nout, "[target]");
    for (size_t i = 0; i < s.nout; i++)
      if (r.expected[i] != r.actual[i]) {
        printf("  first difference: byte %zu, expected 0x%02llx, actual 0x%02llx\n", i, (unsigned long long)r.expected[i],
               (unsigned long long)r.actual[i]);
        break;
      }
  } else {
    single_print_status(&r, 0);
  }
  int status = single_verdict(&r, &s);
  single_free(&r);
  vec_suite_free(&s);
  return status;
}
