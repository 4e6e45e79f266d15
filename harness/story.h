/* The terminal story of a run: what failed, how, grouped by pattern, with the command that
 * reproduces each failure against the target. Built from a results.json document so that
 * `run` (from the document it is about to write) and `explain FILE` print the same text. */
#ifndef MXCONFORM_STORY_H
#define MXCONFORM_STORY_H

#include <stddef.h>
#include <stdio.h>

typedef struct story_opts {
  unsigned show; /* failures shown per failing suite (run --show N); 0: the default */
  int verbose;   /* -v: every failure the document holds */
  int color;     /* 1: ANSI colour (only on a TTY and without NO_COLOR; the caller decides) */
} story_opts;

/* Print the story of the results document json[0..len) to f. Returns 0, or -1 when the
 * document cannot be read (a line saying why goes to f). */
int story_print(FILE *f, const char *json, size_t len, const story_opts *o);

#endif
