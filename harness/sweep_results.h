/* A sweep's outcome as a results.json document (harness/RESULTS.md, schema
 * mxconform-results/1): `mxconform sweep -o FILE`. One suite, "sweep.cvt.SRC.DST.ROUND.OVERFLOW",
 * whose cases are the inputs of the swept range; the shards of a sweep (--shard i/n) carry
 * "shard" and fold back into one suite with `mxconform merge`. */
#ifndef MXCONFORM_SWEEP_RESULTS_H
#define MXCONFORM_SWEEP_RESULTS_H

#include <stdint.h>

#include "mxconform/profile.h"
#include "sweep.h"
#include "target.h"

typedef struct sweep_outcome {
  const sweep_req *q;
  const mx_profile *profile; /* its name; the knobs are q's */
  const char *profile_spec;  /* as given on the command line, for the reproduce lines */
  const target *t;
  const char *target_spec;
  unsigned shard_i, shard_n;
  uint64_t lo, hi;           /* the inputs swept: [lo, hi) */
  const sweep_tally *tally;
  uint64_t failed_chunks;    /* inputs that crashed or hung the target */
  double wall;
  unsigned show;             /* failures listed (at most SWEEP_MAX_FIRST) */
  int argc;                  /* the command line, for "command" */
  char **argv;
} sweep_outcome;

/* Write the document to path atomically. 0, or -1 with errno set. */
int sweep_results_write(const char *path, const sweep_outcome *o);

#endif
