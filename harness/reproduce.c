/* The reproduce line of one case (reproduce.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "reproduce.h"

void reproduce_command(const char *target_spec, const char *profile_spec, const vec_suite *s, size_t c, char *buf,
                       size_t len) {
  const uint64_t *in = s->in + c * s->nin;
  char kf[512];
  cli_knobs_not_default(&s->knobs.o.elem, " --knob ", kf, sizeof kf);
  switch (s->op) {
  case OP_CVT:
    snprintf(buf, len, "mxconform convert --from %s --to %s --round %s --overflow %s%s%s%.0u --impl oracle 0x%llx",
             mx_format(s->src)->name, mx_format(s->dst)->name, mx_round_names[s->round], mx_overflow_names[s->overflow],
             kf, s->nrand ? " --sr-random " : "", 0u, (unsigned long long)in[0]);
    if (s->nrand) {
      size_t l = strlen(buf);
      snprintf(buf + l, len - l, "  # --sr-random %u", s->rnd[c]);
    }
    break;
  case OP_DECODE: snprintf(buf, len, "mxconform decode --fmt %s 0x%llx", mx_format(s->fmt)->name, (unsigned long long)in[0]); break;
  default: {
    char sel[300];
    snprintf(sel, sizeof sel, "mxconform run --target '%s' --profile %s --suites %s", target_spec, profile_spec,
             s->name);
    if (s->op == OP_QUANTIZE) {
      size_t o = (size_t)snprintf(buf, len, "mxconform quantize --fmt %s --from %s --profile %s --impl oracle",
                                  mx_block_fmt_names[s->bfmt], mx_format(s->src)->name, profile_spec);
      for (size_t i = 0; i < s->k && o + 24 < len; i++) o += (size_t)snprintf(buf + o, len - o, " 0x%llx", (unsigned long long)in[i]);
    } else {
      snprintf(buf, len, "%s", sel);
    }
  }
  }
}

