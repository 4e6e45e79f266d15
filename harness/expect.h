/* Expected outputs of a vector case under a profile, from the MPFR oracle — the single
 * source of expected values for `gen`, for `run` under a profile other than the one a
 * file was generated for, and for profile detection. Plus the comparator. */
#ifndef MXCONFORM_EXPECT_H
#define MXCONFORM_EXPECT_H

#include "vectors.h"

/* out: s->nout words for case c (its inputs s->in + c*s->nin, random s->rnd[c]). */
void expect_case(const vec_suite *s, const mx_profile *p, const uint64_t *in, uint32_t rnd, uint64_t *out);

/* Do the knob values that op `op` depends on agree between a and b? */
int expect_knobs_agree(vec_op op, const mx_profile *a, const mx_profile *b);

/* Compare actual with expected words for one case: 1 = equal up to the declared
 * don't-cares (a NaN scale makes every element a don't-care; an expected NaN decode or
 * dequantized value accepts any NaN), 0 = different. *dontcare counts ignored words. */
int expect_equal(const vec_suite *s, const uint64_t *expected, const uint64_t *actual, size_t *dontcare);

#endif
