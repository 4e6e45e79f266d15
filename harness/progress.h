/* Progress of long work on standard error: done/total, rate and ETA.
 *
 * On a terminal one line is rewritten in place (at most 5 times a second); otherwise a plain
 * line every 30 seconds (CI logs); nothing with quiet (-q), with MXC_PROGRESS=0, or for
 * work that ends within its first second (so short runs and the tests print nothing new).
 * MXC_PROGRESS=tty|plain forces a mode, MXC_PROGRESS_INTERVAL=S the seconds between lines.
 * Standard output is never touched: a command's own lines stay parseable. progress_add may
 * be called from several threads at once. */
#ifndef MXCONFORM_PROGRESS_H
#define MXCONFORM_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

typedef struct progress {
  char what[96];     /* "sweep cvt.f32.e4m3" */
  const char *unit;  /* "inputs" */
  uint64_t total;
  uint64_t done;     /* updated atomically */
  double t0, next;   /* start; when the next line is due */
  double interval;   /* between lines */
  unsigned printed;  /* lines printed */
  int mode;          /* 0 off, 1 terminal, 2 plain lines */
  int drawn;         /* a terminal line is showing */
  int busy;          /* a thread is printing */
  FILE *f;
} progress;

/* Start: `total` units of `unit` ("inputs", "combinations"); quiet: print nothing. */
void progress_start(progress *p, const char *what, const char *unit, uint64_t total, int quiet);
/* n more units done (thread-safe); prints when a line is due. */
void progress_add(progress *p, uint64_t n);
/* done = `done` units (one thread). */
void progress_set(progress *p, uint64_t done);
/* Clear the terminal line before the caller prints its own output (it is redrawn later). */
void progress_hide(progress *p);
/* The end: clear the terminal line; a plain-line progress prints a last line. */
void progress_finish(progress *p);

/* "1h02m", "3m05s", "12s" for seconds s (exposed for the test). */
void progress_duration(double s, char *buf, size_t len);

#endif
