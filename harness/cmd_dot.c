/* mxconform dot: one DotGeneral of two MX vectors by a target (default the built-in
 * reference) beside the expected f32 (the exact value rounded once, as in `run`): the
 * reproduce command of dot suites. The operands are written like a row of a dot vector file
 * (vectors/FORMAT.md): SCALES_A CODES_A SCALES_B CODES_B [C], comma lists of hex words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nvfp4_cli.h"
#include "single.h"

/* Words in the suite's input order: [A scales, A codes, B scales, B codes, has_c, c]. */
static void dot_input(const char *cmd, vec_suite *s, char **args, size_t nargs, uint64_t *in, size_t max) {
  int ea = mx_format(mx_block_element(s->bfmt))->bits, eb = mx_format(mx_block_element(s->bfmt_b))->bits;
  static uint64_t tmp[4 * MX_BLOCK_MAX]; /* static: a usage error exits with nothing to free */
  uint64_t *sa = in;
  if (max > MX_BLOCK_MAX) max = MX_BLOCK_MAX;
  size_t nsa = cli_hex_list(cmd, "SCALES_A", args[0], 8, tmp, max);
  size_t nca = cli_hex_list(cmd, "CODES_A", args[1], ea, tmp + max, max);
  size_t nsb = cli_hex_list(cmd, "SCALES_B", args[2], 8, tmp + 2 * max, max);
  size_t ncb = cli_hex_list(cmd, "CODES_B", args[3], eb, tmp + 3 * max, max);
  if (nsa != nsb || nca != ncb || nca % nsa || nca / nsa == 0) {
    cli_usage_error(cmd, "operands: %zu and %zu scales, %zu and %zu codes (want n scales and n*k codes on each side)",
                    nsa, nsb, nca, ncb);
  }
  s->nblocks = nsa;
  s->k = nca / nsa;
  vec_suite_shape(s);
  memcpy(sa, tmp, nsa * sizeof *in);
  memcpy(in + nsa, tmp + max, nca * sizeof *in);
  memcpy(in + nsa + nca, tmp + 2 * max, nsb * sizeof *in);
  memcpy(in + 2 * nsa + nca, tmp + 3 * max, ncb * sizeof *in);
  uint64_t *c = in + 2 * (nsa + nca);
  c[0] = c[1] = 0;
  if (nargs > 4 && strcmp(args[4], "-")) {
    c[0] = 1;
    cli_hex_list(cmd, "C", args[4], 32, &c[1], 1);
  }
}

int cmd_dot(int argc, char **argv) {
  if (nvfp4_cli_wanted(argc, argv)) return nvfp4_cli_dot(argc, argv); /* two scales, models: nvfp4_cli.c */
  const char *cmd = "dot";
  const char *target_spec = "reference";
  int fa = -1, fb = -1;
  char *args[5];
  size_t nargs = 0;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--fmt"))) fa = (int)single_block_fmt(cmd, "--fmt", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--fmt-b"))) fb = (int)single_block_fmt(cmd, "--fmt-b", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--target"))) target_spec = v;
    else if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform dot --fmt FMT_A [--fmt-b FMT_B] [--target reference|lib:PATH.so|cmd:'COMMAND']\n"
             "         SCALES_A CODES_A SCALES_B CODES_B [C]\n"
             "One DotGeneral (MX section 6.2) of n blocks of k elements: SCALES_* are n E8M0 bytes and CODES_*\n"
             "n*k element codes, comma lists of hex words (7f,80 and 3c,0,1f,...), as in a dot vector file;\n"
             "C is the f32 bits added (hex) or '-'. Prints the target's f32 (default: the built-in reference)\n"
             "beside the expected one: the exact value rounded once (exact-rne), as `run` expects.\n"
             "Exit status: 0 same, 1 different, 2 bad usage, 3 target unusable.\n"
             "NVFP4 (E4M3 block scales, f32 tensor scales, accumulation models): mxconform dot --fmt nvfp4 --help.\n");
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1] == '-') cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    else {
      if (nargs == 5) cli_usage_error(cmd, "too many operands (SCALES_A CODES_A SCALES_B CODES_B [C])");
      args[nargs++] = argv[i];
    }
  }
  if (fa < 0) cli_usage_error(cmd, "--fmt is required (e.g. --fmt mxfp8_e4m3)");
  if (nargs < 4) cli_usage_error(cmd, "give SCALES_A CODES_A SCALES_B CODES_B [C]");
  vec_suite s;
  vec_suite_init(&s);
  s.op = OP_DOT;
  s.bfmt = (mx_block_fmt)fa;
  s.bfmt_b = (mx_block_fmt)(fb < 0 ? fa : fb);
  static uint64_t in[4 * MX_BLOCK_MAX + 2]; /* static: a usage error exits with nothing to free */
  dot_input(cmd, &s, args, nargs, in, MX_BLOCK_MAX);
  if (s.nblocks > 64) cli_usage_error(cmd, "at most 64 blocks");
  vec_suite_make_name(&s);
  uint64_t none = 0;
  vec_suite_add(&s, in, &none, 0);
  single_result r;
  char err[512];
  if (single_run(target_spec, &s, &r, err, sizeof err)) {
    fprintf(stderr, "mxconform %s: %s\n", cmd, err);
    vec_suite_free(&s);
    return 3;
  }
  const uint64_t *c = in + 2 * (s.nblocks + s.nblocks * s.k);
  printf("dot %s x %s: %zu block%s of %zu, C %s", mx_block_fmt_names[s.bfmt], mx_block_fmt_names[s.bfmt_b], s.nblocks,
         s.nblocks == 1 ? "" : "s", s.k, c[0] ? "" : "none");
  if (c[0]) printf("0x%08llx", (unsigned long long)c[1]);
  printf("\n");
  single_print_code("expected", MX_F32, r.expected[0], "[exact, rounded once to f32]");
  if (r.st[0] == T_OK) single_print_code("actual", MX_F32, r.actual[0], r.equal[0] ? "[target]" : "[target]  <- differs");
  else single_print_status(&r, 0);
  int status = single_verdict(&r, &s);
  single_free(&r);
  vec_suite_free(&s);
  return status;
}
