/* Single cases against a target (single.h). */
#include "single.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../oracle/oracle_print.h"
#include "cli.h"
#include "expect.h"

int single_run(const char *spec, const vec_suite *s, single_result *r, char *err, size_t errlen) {
  memset(r, 0, sizeof *r);
  target *t = target_open(spec, 10.0, err, errlen);
  if (!t) return -1;
  size_t nw = s->ncases * s->nout + 1;
  r->expected = calloc(nw, sizeof *r->expected);
  r->actual = calloc(nw, sizeof *r->actual);
  r->st = calloc(s->ncases + 1, sizeof *r->st);
  r->equal = calloc(s->ncases + 1, 1);
  if (!r->expected || !r->actual || !r->st || !r->equal) abort();
  /* the expected words exactly as `run` computes them for a profile: the oracle's */
  for (size_t c = 0; c < s->ncases; c++)
    expect_case(s, &s->knobs, s->in + c * s->nin, s->rnd ? s->rnd[c] : 0, r->expected + c * s->nout);
  target_begin_suite(t);
  target_run(t, s, 0, s->ncases, r->actual, r->st, r->msg, sizeof r->msg);
  for (size_t c = 0; c < s->ncases; c++) {
    size_t dontcare = 0;
    const uint64_t *want = r->expected + c * s->nout, *got = r->actual + c * s->nout;
    if (r->st[c] == T_UNSUPPORTED) r->unsupported++;
    else if (r->st[c] == T_UNOBSERVED && unobs_may_be(*got, *want)) r->unobserved++;
    else if (r->st[c] == T_UNOBSERVED) r->differ++; /* `?C1/..` without the expected code: certainly wrong */
    else if (r->st[c] != T_OK) r->failed++;
    else if (expect_equal(s, want, got, &dontcare)) r->equal[c] = 1;
    else r->differ++;
  }
  printf("target %s (%s %s), profile %s\n", target_spec(t), target_name(t), target_version(t), s->knobs.name);
  target_close(t);
  return 0;
}

void single_free(single_result *r) {
  free(r->expected);
  free(r->actual);
  free(r->st);
  free(r->equal);
  memset(r, 0, sizeof *r);
}

void single_print_code(const char *label, mx_fmt f, uint64_t bits, const char *note) {
  const mx_format_desc *d = mx_format(f);
  char v[700];
  mxo_format_code(f, bits, v, sizeof v);
  printf("  %-9s %s 0x%0*llx = %s%s%s\n", label, d->name, (d->bits + 3) / 4, (unsigned long long)bits, v, note ? "  " : "",
         note ? note : "");
}

void single_code_text(mx_fmt f, uint64_t bits, char *buf, size_t len) {
  const mx_format_desc *d = mx_format(f);
  char v[700];
  mxo_format_code(f, bits, v, sizeof v);
  snprintf(buf, len, "0x%0*llx = %s", (d->bits + 3) / 4, (unsigned long long)bits, v);
}

void single_scale_text(uint64_t scale, char *buf, size_t len) {
  if (scale == 0xFF) snprintf(buf, len, "0xff = NaN");
  else snprintf(buf, len, "0x%02llx = 2^%d", (unsigned long long)scale, (int)scale - 127);
}

void single_print_status(const single_result *r, size_t c) {
  if (r->st[c] == T_UNOBSERVED) { /* the target's blind spot (PROTOCOL.md "Not observable") */
    char set[64] = "any value";
    if (unobs_count(r->actual[c])) unobs_text(r->actual[c], set, sizeof set);
    printf("  %-9s not observable by the target (%s)\n", "actual", set);
    return;
  }
  printf("  %-9s %s%s%s\n", "actual", tstatus_names[r->st[c]], r->msg[0] ? ": " : "", r->msg);
}

int single_verdict(const single_result *r, const vec_suite *s) {
  if (s->ncases && r->unsupported == s->ncases) {
    printf("UNSUPPORTED: the target declined this operation (nothing was compared)\n");
    return 3;
  }
  if (r->differ || r->failed) {
    printf("DIFFERENT: %zu of %zu case%s differ%s from the expected value\n", r->differ + r->failed, s->ncases,
           s->ncases == 1 ? "" : "s", r->differ + r->failed == 1 ? "s" : "");
    return 1;
  }
  if (r->unobserved) { /* never SAME: those results were not seen */
    printf("INCOMPLETE: %zu of %zu case%s not observable by the target (nothing to compare)\n", r->unobserved, s->ncases,
           s->ncases == 1 ? "" : "s");
    return 1;
  }
  printf("SAME: the target's answer is the expected one%s\n", r->unsupported ? " (where it answered)" : "");
  return 0;
}

static void join_names(const char *const *names, char *buf, size_t len) {
  buf[0] = 0;
  for (int i = 0; names[i]; i++) {
    strncat(buf, i ? " " : "", len - strlen(buf) - 1);
    strncat(buf, names[i], len - strlen(buf) - 1);
  }
}

mx_block_fmt single_block_fmt(const char *cmd, const char *what, const char *name) {
  int f = mx_block_fmt_by_name(name);
  if (f < 0) {
    char list[256];
    join_names(mx_block_fmt_names, list, sizeof list);
    cli_usage_error(cmd, "bad %s '%s' (one of: %s)", what, name, list);
  }
  return (mx_block_fmt)f;
}

mx_pack_layout single_pack_layout(const char *cmd, const char *name) {
  int l = mx_name_index(mx_pack_layout_names, name);
  if (l < 0) {
    char list[256];
    join_names(mx_pack_layout_names, list, sizeof list);
    cli_usage_error(cmd, "bad --layout '%s' (one of: %s)", name, list);
  }
  return (mx_pack_layout)l;
}
