/* The modules of `mxconform run` (harness/cmd_run.c parses the options and calls them in
 * this order):
 *   run_suites.c   select and load the suites (vector files or generated), run each one
 *                  against the target;
 *   run_verdict.c  a suite's status and the run's verdict, from cases AND target events;
 *   run_detect.c   which profile / request / dot model explains the failures;
 *   run_output.c   results.json (always built, in memory), JUnit, atomic writes. */
#ifndef MXCONFORM_RUN_H
#define MXCONFORM_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mxconform/dot.h"
#include "mxconform/profile.h"
#include "target.h"
#include "vectors.h"

/* One suite and what the target did with it. */
typedef struct suite_run {
  vec_suite s;
  uint64_t *actual;
  tstatus *st;
  unsigned char *ok; /* per case: bit 0 passes under the run profile, bit 1 under the detected one */
  size_t passed, failed, dontcare, counts[T_STATUS_COUNT];
  size_t refused_values; /* of counts[T_REFUSED]: single cvt/decode values the library refused,
                            judged as answers (actual MX_CODE_REFUSED: a profile may expect it) */
  const char *status; /* run_suite_status() */
  double seconds;
  char msg[256];
  /* every crash, timeout and bad answer of every attempt (target.h) */
  target_event *events;
  size_t nevents, nevents_total, unreproduced;
} suite_run;

typedef struct suite_list {
  suite_run *v;
  size_t n, cap;
} suite_list;

typedef struct run_cfg {
  const char *target_spec, *profile_spec, *tier, *vectors, *out_json, *out_junit;
  const char *out_profile; /* --write-profile: the detected profile as a profile file */
  char suites[1024];
  uint64_t seed;
  unsigned max_failures;
  double timeout;
  int quiet, tier_given;
  unsigned show; /* --show N: failures the story shows per suite */
  int verbose;   /* -v */
  unsigned shard_i, shard_n; /* --shard i/n; shard_n 0: no sharding */
  char vectors_dir[2048];    /* the tier directory read (empty: generated in memory) */
  int argc;
  char **argv;
} run_cfg;

/* ---- run_suites.c ---- */
/* Load the selected suites of the run (generated for tier full without --vectors, else
 * from DIR/MANIFEST); exits 2 on bad input files. Keeps the suites of shard i/n only.
 * With --vectors, cfg->tier becomes the tier the MANIFEST names. */
void run_load_suites(run_cfg *cfg, const mx_profile *profile, suite_list *L);
/* Run one suite against the target under profile p: cases, statuses, events, status. */
void run_suite(target *t, suite_run *r, const mx_profile *p);
void suite_list_free(suite_list *L);

/* ---- run_verdict.c ---- */
typedef enum run_verdict {
  VERDICT_PASS,  /* every supported suite passed and the target never misbehaved */
  VERDICT_FAIL,  /* a case failed, crashed, hung or broke the protocol (a culprit is named) */
  VERDICT_FLAKY, /* the target misbehaved on some attempt that the narrowing could not pin */
  VERDICT_ERROR, /* the target was unusable */
  VERDICT_INCOMPLETE /* nothing failed, but the target could not observe some results (`?`):
                        those were never checked, so the run cannot pass */
} run_verdict;
extern const char *const run_verdict_names[]; /* "pass" "fail" "flaky" "error" "incomplete" */

typedef struct run_totals {
  size_t pass, fail, unsupported, crash, timeout, protocol, flaky; /* suites by status */
  size_t cases, failed_cases, events;
  size_t refused; /* cases the library refused (raised on): their own class, inside failed_cases */
  size_t incomplete; /* suites whose only deviations are results the target could not observe */
  size_t unobserved; /* cases the target could not observe (`?`): neither passed nor failed */
} run_totals;

/* The status of a suite from its cases and events: crash, timeout, protocol-error, flaky,
 * fail, incomplete, unsupported or pass. */
const char *run_suite_status(const suite_run *r);
void run_totals_add(run_totals *t, const suite_run *r);
run_verdict run_verdict_of(const run_totals *t);
int run_exit_status(run_verdict v); /* 0 pass, 1 fail / flaky, 3 error */

/* ---- run_detect.c ---- */
typedef struct finding {
  char knob[48], from[48], to[160];
  char when[96];    /* a conditional value's condition ("overflow=ovf"; profile.h); "" for every request */
  size_t explains;
  int is_dot;       /* knob "dot_model": the model below explains the dot failures */
  mx_dot_model dot; /* a preset's, or fitted from the dot suites' answers ("to" names it) */
} finding;

#define RUN_MAX_FINDINGS 16
typedef struct run_detection {
  finding f[RUN_MAX_FINDINGS];
  int n;
  mx_profile detected;
  size_t failed_before, failed_after;
  char summary[1024];
} run_detection;

/* Fill d, and bit 1 of every ok[] flag (passes under the detected profile). */
void run_detect(suite_list *L, const mx_profile *profile, const run_totals *t, run_detection *d);
/* Which single finding explains failing case c of suite r (-1: only their combination). */
int run_explaining_finding(const suite_run *r, size_t c, const mx_profile *base, const finding *f, int nf);

/* A finding as profile text: "e8m0_zero = nan", "e8m0_zero = nan when overflow=ovf". */
void run_finding_text(const finding *f, char *buf, size_t len);
/* Does op `op` depend on knob `knob`? The op's vector-file knobs (op_table), and for cvt
 * every scalar knob but round and overflow (the knobs added after the vector format's list,
 * e8m0_tie, ovf_directed, ovf_finite, f64_src, count too). */
int run_op_depends(vec_op op, const char *knob);

/* ---- run_detect_rules.c ---- */
/* After the unconditional values: conditional values (profile rules) for the knobs whose
 * evidence one value cannot explain. Adds rules to *detected, findings to f[nf..maxf),
 * updates the pass flags; returns the new number of findings. */
int run_detect_rules(suite_list *L, const mx_profile *base, mx_profile *detected, finding *f, int nf, int maxf);
/* The request suite s's cases are, for matching rules under profile p; 0 when no rule
 * applies to its op (decode, dequantize, pack, dot). */
int run_suite_context(const vec_suite *s, const mx_profile *p, mx_knob_context *c);

/* ---- run_output.c ---- */
typedef struct run_report {
  const run_cfg *cfg;
  const target *t;
  const mx_profile *profile;
  suite_list *L;
  const run_totals *totals;
  const run_detection *det;
  run_verdict verdict;
  double wall;
} run_report;

/* results.json as text (malloc'd, *len bytes). */
char *run_results_json(const run_report *rep, size_t *len);
/* The document of a run whose target was unusable (verdict error). */
char *run_results_json_error(const run_cfg *cfg, const mx_profile *profile, const char *err, size_t *len);
char *run_junit(const run_report *rep, size_t *len);
char *run_junit_error(const run_cfg *cfg, const char *err, size_t *len);
/* Write data to path through PATH.tmp.PID and rename; the temporary file is removed if a
 * signal ends the process meanwhile. 0 or -1 (errno set). */
int run_write_atomic(const char *path, const char *data, size_t len);
/* Exits 2 unless every output path of cfg is usable: not empty, distinct, its directory
 * writable, not a directory. Checked before anything runs. */
void run_check_outputs(const run_cfg *cfg);

#endif
