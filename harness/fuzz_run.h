/* `mxconform fuzz`: structured inputs (fuzz_gen.h) against any target (target.h), every
 * answer compared with the oracle under a profile (expect.h), each finding shrunk
 * (fuzz_shrink.h) and reported with bits, decoded values and a reproduce command.
 *
 * The run is deterministic for a seed: the same seed, ops and profile give the same cases
 * in the same order (the stopping point aside), so a finding's `found by` line repeats it.
 * A crash, hang, malformed or `error` answer, and an answer that changes when asked again
 * (flaky), are findings like a wrong answer; none of them stops the run. */
#ifndef MXCONFORM_FUZZ_RUN_H
#define MXCONFORM_FUZZ_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "target.h"
#include "vectors.h"

typedef struct fuzz_cfg {
  const char *target_spec, *profile_spec;
  mx_profile profile;
  unsigned ops;           /* 1 << vec_op for each op fuzzed (fuzz_gen.h FUZZ_OPS_ALL) */
  const char *ops_text;   /* as given, for the `found by` line */
  double seconds;         /* stop after this many seconds (0: no limit) */
  int cpu;                /* seconds are CPU seconds of mxconform and its target processes */
  uint64_t max_cases;     /* stop after this many cases (0: no limit) */
  uint64_t seed;
  unsigned max_findings;  /* stop after this many distinct findings */
  unsigned shrink_budget; /* target calls per shrink */
  int quiet;              /* no progress lines */
  double timeout;         /* seconds a target may take per request (target_open) */
} fuzz_cfg;

typedef struct fuzz_finding {
  char kind[16];          /* mismatch crash timeout protocol-error error flaky */
  char suite_before[128]; /* the suite (shape) the case was drawn for */
  const char *strategy;   /* the generator strategy that built it */
  uint64_t case_number;   /* 1-based position in the run's stream of cases */
  vec_suite s;            /* the shrunk case: one case, s.out = expected */
  uint64_t *actual;       /* s.nout words */
  int status;             /* tstatus of the shrunk case's answer */
  size_t nonzero_before, nonzero_after, blocks_before;
  unsigned shrink_calls;
  char msg[256];          /* the target's error text, or what made it flaky */
} fuzz_finding;

typedef struct fuzz_stats {
  uint64_t cases, unsupported, batches, skipped_shapes, repeats;
  uint64_t unobserved; /* cases whose result the target cannot observe (`?`): no finding, never a pass */
  uint64_t cases_by_op[OP_COUNT];
  double wall_s, cpu_s;
  fuzz_finding *findings;
  size_t nfindings;
  const char *stopped_by; /* "seconds" "cases" "findings" "nothing-supported" */
} fuzz_stats;

/* Run the fuzzer against t. Returns 0 with no findings, 1 with findings or unobserved cases. */
int fuzz_run(target *t, const fuzz_cfg *c, fuzz_stats *st);
void fuzz_stats_free(fuzz_stats *st);

/* CPU seconds used so far by this process, its waited-for children and its live
 * descendants (the target processes), for --cpu. */
double fuzz_cpu_seconds(void);

/* The report (fuzz_report.c): one finding as text (bits, decoded values, reproduce lines);
 * the summary; the results document (schema mxconform-fuzz/1). */
void fuzz_print_finding(FILE *f, const fuzz_cfg *c, const fuzz_finding *fd, size_t number);
void fuzz_print_summary(FILE *f, const fuzz_cfg *c, const fuzz_stats *st, target *t);
void fuzz_write_json(FILE *f, const fuzz_cfg *c, const fuzz_stats *st, target *t);

/* Write every finding's shrunk case as a vector file DIR/fN.SUITE.mxv (vectors/FORMAT.md,
 * expected values from the oracle under the profile) plus DIR/MANIFEST, so that
 * `mxconform run --target T --profile P --vectors DIR` runs exactly those cases with run's
 * evidence. DIR is created when missing. 0, or -1 with a reason in err. */
int fuzz_save_findings(const char *dir, const fuzz_cfg *c, const fuzz_stats *st, char *err, size_t errlen);

#endif
