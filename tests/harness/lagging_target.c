/* lagging_target.c — a process target (PROTOCOL.md) whose answers are mis-sized: correct
 * codes (libmxref) for `cvt` and `decode`, but
 *   lag:    each answer after the first also carries the last code of the previous answer
 *           in front (the answers lag one value behind: one code more than requested);
 *   extra3: every 3rd answer has one extra code at its end.
 * A fresh process answers its first request correctly, so retries in a fresh process
 * always pass: `run` must still report the protocol error it saw (never re-aligning the
 * answer) and never say PASS. Usage: lagging_target lag|extra3 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mxconform/formats.h"
#include "mxconform/knobs.h"
#include "mxconform/mxref.h"

static int answer(char *line, unsigned long long *out, size_t *n) {
  char *save = NULL, *op = strtok_r(line, " \n", &save);
  if (!op) return -1;
  if (!strcmp(op, "decode")) {
    int fmt = mx_format_by_name(strtok_r(NULL, " \n", &save));
    strtok_r(NULL, " \n", &save); /* count */
    if (fmt < 0) return -1;
    *n = 0;
    for (char *v; (v = strtok_r(NULL, " \n", &save));)
      out[(*n)++] = mxref_decode_f64_bits((mx_fmt)fmt, (uint32_t)strtoull(v, NULL, 16));
    return 0;
  }
  if (strcmp(op, "cvt")) return -1;
  int src = mx_format_by_name(strtok_r(NULL, " \n", &save)), dst = mx_format_by_name(strtok_r(NULL, " \n", &save));
  int round = mx_name_index(mx_round_names, strtok_r(NULL, " \n", &save));
  int ovf = mx_name_index(mx_overflow_names, strtok_r(NULL, " \n", &save));
  strtok_r(NULL, " \n", &save); /* count */
  if (src < 0 || dst < 0 || round < 0 || ovf < 0) return -1;
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  o.round = (mx_round)round;
  o.overflow = (mx_overflow)ovf;
  *n = 0;
  for (char *v; (v = strtok_r(NULL, " \n", &save));) {
    char *colon = strchr(v, ':');
    uint32_t r = colon ? (uint32_t)strtoul(colon + 1, NULL, 16) : 0;
    out[(*n)++] = mxref_convert_one((mx_fmt)dst, (mx_fmt)src, strtoull(v, NULL, 16), &o, r);
  }
  return 0;
}

int main(int argc, char **argv) {
  int lag = argc > 1 && !strcmp(argv[1], "lag");
  static char line[1 << 20];
  static unsigned long long out[8192];
  unsigned long long prev = 0;
  int have_prev = 0;
  unsigned answers = 0;
  while (fgets(line, sizeof line, stdin)) {
    if (!strncmp(line, "mxconform-protocol", 18)) {
      puts("ok lagging 1");
    } else if (!strncmp(line, "quit", 4)) {
      break;
    } else {
      size_t n = 0;
      if (answer(line, out, &n)) {
        puts("unsupported");
      } else {
        answers++;
        fputs("ok", stdout);
        if (lag && have_prev) printf(" %llx", prev);
        for (size_t i = 0; i < n; i++) printf(" %llx", out[i]);
        if (!lag && answers % 3 == 0) printf(" %llx", n ? out[0] : 0ull);
        fputc('\n', stdout);
        if (n) {
          prev = out[n - 1];
          have_prev = 1;
        }
      }
    }
    fflush(stdout);
  }
  return 0;
}
