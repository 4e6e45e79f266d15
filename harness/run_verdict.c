/* The verdict of a run, in one place. What happened once is never forgiven: a crash, a
 * timeout or a malformed answer on ANY attempt (target.h events, the narrowing's retries
 * included) keeps a suite, and so the run, from passing.
 *
 *   suite status, first that applies:
 *     crash / timeout / protocol-error  a case was marked so (a culprit pinned by the
 *                                       narrowing, or a batch marked whole);
 *     flaky                             the target misbehaved on an attempt that no retry
 *                                       reproduced: no single input to blame;
 *     fail                              a case's answer differs, or the target answered
 *                                       `error`;
 *     incomplete                        the target could not observe some results (`?`,
 *                                       PROTOCOL.md): nothing failed, but those cases were
 *                                       never checked, so the suite is no pass;
 *     unsupported                       the target declined every case;
 *     pass.
 *   run verdict: fail when any case failed (any suite crash, timeout, protocol-error or
 *   fail, or a flaky suite that also has failed cases); else flaky when any attempt went
 *   wrong; else incomplete when any case was not observable; else pass. Exit status 0 only
 *   for pass. */
#include "run.h"

#include <stddef.h>
#include <string.h>

#include "cli.h"

const char *const run_verdict_names[] = {"pass", "fail", "flaky", "error", "incomplete"};

const char *run_suite_status(const suite_run *r) {
  if (r->counts[T_CRASH]) return "crash";
  if (r->counts[T_TIMEOUT]) return "timeout";
  if (r->counts[T_PROTOCOL]) return "protocol-error";
  /* events, but no case marked: every retry passed, nothing reproduces what happened */
  if (r->nevents_total) return "flaky";
  /* a refused call is a divergence; a refused value was compared like any answer */
  if (r->failed || r->counts[T_ERROR] || r->counts[T_REFUSED] > r->refused_values) return "fail";
  /* a value the target cannot observe was never checked: no pass (never `unsupported` either) */
  if (r->counts[T_UNOBSERVED]) return "incomplete";
  if (r->counts[T_UNSUPPORTED] == r->s.ncases && r->s.ncases) return "unsupported";
  return "pass";
}

void run_totals_add(run_totals *t, const suite_run *r) {
  static const struct { const char *name; size_t offset; } by_status[] = {
    {"pass", offsetof(run_totals, pass)},        {"fail", offsetof(run_totals, fail)},
    {"unsupported", offsetof(run_totals, unsupported)}, {"crash", offsetof(run_totals, crash)},
    {"timeout", offsetof(run_totals, timeout)},  {"protocol-error", offsetof(run_totals, protocol)},
    {"flaky", offsetof(run_totals, flaky)},      {"incomplete", offsetof(run_totals, incomplete)},
  };
  for (size_t i = 0; i < sizeof by_status / sizeof *by_status; i++)
    if (!strcmp(r->status, by_status[i].name)) (*(size_t *)((char *)t + by_status[i].offset))++;
  t->cases += r->s.ncases;
  t->failed_cases += r->failed + r->counts[T_CRASH] + r->counts[T_TIMEOUT] + r->counts[T_PROTOCOL] + r->counts[T_ERROR] +
                     (r->counts[T_REFUSED] - r->refused_values);
  t->refused += r->counts[T_REFUSED];
  t->unobserved += r->counts[T_UNOBSERVED];
  t->events += r->nevents_total;
}

run_verdict run_verdict_of(const run_totals *t) {
  if (t->fail || t->crash || t->timeout || t->protocol || t->failed_cases) return VERDICT_FAIL;
  if (t->flaky || t->events) return VERDICT_FLAKY;
  if (t->incomplete || t->unobserved) return VERDICT_INCOMPLETE;
  return VERDICT_PASS;
}

int run_exit_status(run_verdict v) {
  switch (v) {
  case VERDICT_PASS: return MXC_EXIT_OK;
  case VERDICT_ERROR: return 3;
  default: return MXC_EXIT_FAIL;
  }
}
