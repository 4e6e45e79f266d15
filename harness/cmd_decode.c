/* mxconform decode: exact value and class of codes, from the oracle, beside the
 * reference's f32 decode. */
#include <stdio.h>
#include <string.h>

#include "../oracle/oracle_print.h"
#include "cli.h"
#include "mxconform/mxref.h"

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

int cmd_decode(int argc, char **argv) {
  const char *cmd = "decode";
  int fmt = -1, all = 0, ncodes = 0;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--fmt"))) fmt = cli_format(cmd, v, 0, 0);
    else if (!strcmp(argv[i], "--all")) all = 1;
    else if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform decode --fmt FMT [--all | CODE...]\n"
             "Prints each code's class and exact value (hex float and exact decimal).\n");
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1] == '-') cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    else ncodes++;
  }
  if (fmt < 0) cli_usage_error(cmd, "--fmt is required (e.g. --fmt e4m3)");
  const mx_format_desc *d = mx_format((mx_fmt)fmt);
  if (!all && !ncodes) cli_usage_error(cmd, "give codes or --all");
  if (all) {
    if (d->bits > 16) cli_usage_error(cmd, "--all is for formats of at most 16 bits");
    for (uint64_t c = 0; c < mx_format_code_count((mx_fmt)fmt); c++) decode_one((mx_fmt)fmt, c);
    return 0;
  }
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1] == '-') {
      if (!strncmp(argv[i], "--fmt", 5) && !strchr(argv[i], '=')) i++;
      continue;
    }
    uint64_t c = cli_u64(cmd, "code", argv[i]);
    if (d->bits < 64 && c >> d->bits) cli_usage_error(cmd, "code %s does not fit in %d bits", argv[i], d->bits);
    decode_one((mx_fmt)fmt, c);
  }
  return 0;
}
