/* Shrinking a fuzz finding to a minimal case: fewest non-zero inputs, fewest blocks (dot),
 * simplest values (signs cleared, trailing significand bits cleared, scales moved to 2^0,
 * the accumulator input dropped), kept only while the finding still shows. */
#ifndef MXCONFORM_FUZZ_SHRINK_H
#define MXCONFORM_FUZZ_SHRINK_H

#include "vectors.h"

/* Does the one-case suite s still show the finding? (It runs the target and compares with
 * the oracle; s's inputs may have any shape the op allows, e.g. fewer dot blocks.) */
typedef int (*fuzz_still_fn)(void *ctx, const vec_suite *s);

/* Shrink case 0 of the one-case suite s in place with at most `budget` calls of still.
 * Returns the number of calls made. s keeps its name and shape consistent (a dot suite
 * with fewer blocks is renamed). */
unsigned fuzz_shrink(vec_suite *s, fuzz_still_fn still, void *ctx, unsigned budget);

/* Inputs of case 0 that are not zero (element values, codes; scales and flags excluded). */
size_t fuzz_nonzero_inputs(const vec_suite *s);

#endif
