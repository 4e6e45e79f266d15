/* The one-line command that reproduces one case of a suite (results.json "reproduce",
 * JUnit, the terminal story). One builder for every output so that they never disagree. */
#ifndef MXCONFORM_REPRODUCE_H
#define MXCONFORM_REPRODUCE_H

#include <stddef.h>

#include "vectors.h"

/* Case c of suite s as run against target_spec under profile_spec, into buf (always
 * NUL-terminated, cut at len). */
void reproduce_command(const char *target_spec, const char *profile_spec, const vec_suite *s, size_t c, char *buf,
                       size_t len);

#endif
