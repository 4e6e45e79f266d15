/* Targets as the runner sees them: the built-in reference (in process), or a child process
 * speaking harness/PROTOCOL.md (a `cmd:` program, or a `lib:` shared library served by
 * `mxconform serve --lib`). Crashes, hangs and garbage are contained (the child runs in its
 * own process group, killed whole; it dies with the harness) and narrowed down to the
 * single case that caused them; every attempt that went wrong is kept as an event, so that
 * nothing that happened once is forgotten when no retry reproduces it. */
#ifndef MXCONFORM_TARGET_RUN_H
#define MXCONFORM_TARGET_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "vectors.h"

typedef enum tstatus {
  T_OK = 0,
  T_UNSUPPORTED,
  T_ERROR,    /* the target answered `error ...` */
  T_CRASH,    /* the process died or closed its output */
  T_TIMEOUT,  /* no answer within the timeout */
  T_PROTOCOL, /* a malformed answer */
  T_REFUSED,  /* the library refused this value (raised): its answer, not a crash (PROTOCOL.md) */
  T_UNOBSERVED, /* the target cannot observe this value's result (`?`): says nothing about the library */
  T_STATUS_COUNT
} tstatus;

extern const char *const tstatus_names[T_STATUS_COUNT]; /* "ok" "unsupported" "error" "crash" "timeout" "protocol-error" "refused" "unobserved" */

/* The result word of a value the target cannot observe (T_UNOBSERVED; harness/PROTOCOL.md
 * "Not observable"): MX_CODE_UNOBSERVED, and for a cvt answer `?C1/C2/.../Cn` the codes the
 * result may be (2..UNOBS_MAX_CODES of them): n in bits 12-15, code i in bits 16+8i. n = 0
 * (a bare `?`): any value. A cvt case whose expected code is none of them is certainly wrong:
 * it is judged as a failed answer with this word as its actual value (unobs_text names it). */
#define UNOBS_MAX_CODES 6
static inline unsigned unobs_count(uint64_t w) { return (unsigned)(w >> 12) & 15u; }
static inline int unobs_is(uint64_t w) { return (w & 0xFFFu) == 0x400u; } /* MX_CODE_UNOBSERVED */
int unobs_may_be(uint64_t w, uint64_t code);        /* 1: code is one of w's (any, for a bare `?`) */
void unobs_text(uint64_t w, char *buf, size_t len); /* "one of 0x7d 0x7e 0x7f" */

typedef struct target target;

/* spec: "reference", "lib:PATH", "cmd:COMMAND". NULL on failure with a reason in err
 * (the caller exits 3: target unusable). */
target *target_open(const char *spec, double timeout_s, char *err, size_t errlen);
void target_close(target *t);
const char *target_spec(const target *t);
const char *target_kind(const target *t); /* "builtin" "lib" "cmd" */
const char *target_name(const target *t);
const char *target_version(const target *t);

/* Run cases [first, first + n) of suite s: actual receives n * s->nout words, st the status
 * of each case; msg the first error text. sr_bits is the profile's (for round = sr). */
void target_run(target *t, const vec_suite *s, size_t first, size_t n, uint64_t *actual, tstatus *st, char *msg,
                size_t msglen);

/* Start of a suite: resets the events and the narrowing budget (after MAX_ISOLATED inputs of one suite have
 * been narrowed down to a crash/hang/garbage, further failing batches are marked whole, so a
 * target that fails on every input costs seconds, not hours). */
void target_begin_suite(target *t);
#define MAX_ISOLATED 8

/* Everything that went wrong while running the current suite, on ANY attempt, including
 * the retries of the narrowing: a crash, a timeout or a malformed / mis-sized answer, with
 * the request line that was in flight. `reproduced` is 1 when the narrowing marked a case
 * of the failed batch as failing (a culprit, or a batch marked whole once the budget was
 * spent), 0 when every retry succeeded: the target failed on an attempt that nothing
 * reproduces, and the suite's verdict is `flaky` (harness/run_verdict.c). */
typedef struct target_event {
  size_t first, n;     /* the cases of the request line in flight (suite case numbers) */
  tstatus status;      /* T_CRASH, T_TIMEOUT or T_PROTOCOL */
  unsigned attempt;    /* 1, 2, ... within the suite */
  int fresh;           /* the request was the first one of a freshly started process */
  int reproduced;
  char request[200];   /* the request line in flight, cut with "..." */
  char message[120];
} target_event;
#define TARGET_MAX_EVENTS 64
/* The current suite's events (at most TARGET_MAX_EVENTS kept; *total counts them all,
 * *unreproduced those that no retry reproduced, kept or not). */
size_t target_suite_events(const target *t, const target_event **ev, size_t *total, size_t *unreproduced);

/* One raw exchange with a process target (new request kinds live in their own modules,
 * e.g. target_ranged.c): sends `lines` request lines, waits for as many answer lines.
 * T_UNSUPPORTED for the built-in reference; any failure kills the process. */
tstatus target_exchange(target *t, const char *req, size_t len, size_t lines, const char **ans, size_t *anslen);

/* Number of times the target process was (re)started: 1 for a healthy run. */
unsigned target_restarts(const target *t);

/* The answer parsers of the process protocol, exported for fuzz/fuzz_protocol_parser.c. */
typedef struct line_span {
  size_t first, n; /* cases of the batch (relative to the batch start) on this line */
} line_span;
/* One answer line [a, end) for the `sp` cases of suite s: values into actual (s->nout words
 * per case, at sp->first), the text of an `error` answer into msg. Returns T_OK,
 * T_UNSUPPORTED, T_ERROR, T_REFUSED (a `refused` line) or T_PROTOCOL. A `!` field of a
 * decode/cvt answer is a refused value: target_parse_answer_st marks it T_REFUSED in st
 * (the statuses of the line's cases, sp->n of them; the others get the line's status); a `?`
 * field a value the target cannot observe, T_UNOBSERVED. */
tstatus target_parse_answer(const vec_suite *s, const char *a, const char *end, const line_span *sp, uint64_t *actual,
                            char *msg, size_t msglen);
tstatus target_parse_answer_st(const vec_suite *s, const char *a, const char *end, const line_span *sp,
                               uint64_t *actual, tstatus *st, char *msg, size_t msglen);
#endif
