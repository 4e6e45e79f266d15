/* mxconform formats: the format table, with its extreme values decoded by the oracle. */
#include <stdio.h>
#include <string.h>

#include "../oracle/oracle_print.h"
#include "cli.h"

static const char *specials_name(mx_specials s) {
  switch (s) {
  case MX_SPECIALS_IEEE: return "Inf+NaN";
  case MX_SPECIALS_NAN_ALLONES: return "NaN=S.1..1";
  case MX_SPECIALS_NONE: return "finite";
  case MX_SPECIALS_NAN_ALLBITS: return "NaN=0xFF";
  case MX_SPECIALS_NAN_NEGZERO: return "NaN=0x80,no-0";
  }
  return "?";
}

/* Copy at most len-1 bytes of [a, b) into buf. */
static void copy_span(char *buf, size_t len, const char *a, const char *b) {
  size_t n = (size_t)(b - a);
  if (n >= len) n = len - 1;
  memcpy(buf, a, n);
  buf[n] = 0;
}

/* The exact decimal of a code's value, or its hex form when the decimal is long. */
static void short_value(mx_fmt f, uint64_t code, char *buf, size_t len) {
  char full[640];
  mxo_format_code(f, code, full, sizeof full);
  const char *open = strchr(full, '('), *close = strrchr(full, ')');
  if (open && close && close - open - 1 <= 24) copy_span(buf, len, open + 1, close);
  else if (open) copy_span(buf, len, full, open - 1);
  else copy_span(buf, len, full, full + strlen(full));
}

int cmd_formats(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform formats\nPrints the format table (common/formats.c) with exact extreme values.\n");
      return 0;
    }
    cli_usage_error("formats", "unexpected argument '%s'", argv[i]);
  }
  printf("%-11s %-38s %4s %2s %2s %5s %5s %6s %-13s %-22s %-14s %-14s\n", "name", "format", "bits", "e", "m",
         "bias", "emax", "emin", "specials", "max", "min normal", "min subnormal");
  for (int f = 0; f < MX_FMT_COUNT; f++) {
    const mx_format_desc *d = mx_format((mx_fmt)f);
    char vmax[64], vmin[64] = "-", vsub[64] = "-";
    short_value((mx_fmt)f, d->max_code, vmax, sizeof vmax);
    if (d->kind == MX_KIND_FLOAT) {
      short_value((mx_fmt)f, (uint64_t)1 << d->mbits, vmin, sizeof vmin);
      short_value((mx_fmt)f, 1, vsub, sizeof vsub);
    } else if (d->kind == MX_KIND_INT) {
      short_value((mx_fmt)f, 1, vsub, sizeof vsub);
    } else {
      short_value((mx_fmt)f, 0, vmin, sizeof vmin);
    }
    printf("%-11s %-38s %4d %2d %2d %5d %5d %6d %-13s %-22s %-14s %-14s\n", d->name, d->long_name, d->bits, d->ebits,
           d->mbits, d->bias, d->emax, d->emin, specials_name(d->specials), vmax, vmin, vsub);
  }
  return 0;
}
