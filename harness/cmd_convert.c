/* mxconform convert: one conversion at a time, by the reference, the oracle or both. */
#include <stdio.h>
#include <string.h>

#include "../oracle/oracle_print.h"
#include "cli.h"
#include "mxconform/mxref.h"

int cmd_convert(int argc, char **argv) {
  const char *cmd = "convert";
  int from = MX_F32, to = -1, impl = 0; /* 0 reference, 1 oracle, 2 both */
  uint32_t sr_random = 0;
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  int nvalues = 0;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--from"))) from = cli_format(cmd, v, 1, 0);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--to"))) to = cli_format(cmd, v, 0, 1);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--round"))) cli_knob(cmd, &o, "round", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--overflow"))) cli_knob(cmd, &o, "overflow", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--knob"))) cli_knob_assign(cmd, &o, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--sr-random"))) sr_random = (uint32_t)cli_u64_max(cmd, "--sr-random", v, UINT32_MAX);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--impl"))) {
      if (!strcmp(v, "reference")) impl = 0;
      else if (!strcmp(v, "oracle")) impl = 1;
      else if (!strcmp(v, "both")) impl = 2;
      else cli_usage_error(cmd, "bad --impl '%s' (one of: reference oracle both)", v);
    } else if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform convert --from f32|bf16|f16|f64 --to e4m3|e5m2|e2m3|e3m2|e2m1|int8|e8m0\n"
             "         [--round rne|rna|rtz|rup|rdn|sr] [--overflow sat|ovf] [--knob NAME=VALUE]...\n"
             "         [--sr-random R] [--impl reference|oracle|both] VALUE...\n"
             "VALUE: a hex bit pattern of the source format (0x43e80000) or a number (464, 0x1.dp+8, -inf, nan);\n"
             "numbers are first rounded to the source format (RNE), which is reported.\n"
             "Knobs: see spec_notes/conversion.md (mxconform convert --knob help lists them).\n");
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1] == '-') cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    else nvalues++;
  }
  if (to < 0) cli_usage_error(cmd, "--to is required (e.g. --to e4m3)");
  if (!nvalues) cli_usage_error(cmd, "give at least one VALUE");
  const mx_format_desc *sd = mx_format((mx_fmt)from), *dd = mx_format((mx_fmt)to);
  int status = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1] == '-') {
      if (!strchr(argv[i], '=') && strcmp(argv[i], "--help")) i++;
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
      mxo_format_code((mx_fmt)to, ref, out, sizeof out);
      printf("  -> %s 0x%0*x %s  [reference]\n", dd->name, dw, ref, out);
    }
    if (impl != 0) {
      mxo_format_code((mx_fmt)to, ora, out, sizeof out);
      printf("  -> %s 0x%0*x %s  [oracle]\n", dd->name, dw, ora, out);
    }
    if (impl == 2 && ref != ora) {
      printf("  MISMATCH reference 0x%0*x != oracle 0x%0*x\n", dw, ref, dw, ora);
      status = MXC_EXIT_FAIL;
    }
  }
  return status;
}
