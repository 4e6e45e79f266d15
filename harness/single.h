/* Single cases against a target: what the reproduce commands (reproduce.h) run. A command
 * (convert/decode/quantize/dequantize/pack/dot --target T) builds a suite of one or a few
 * cases; this module gets the expected words exactly as `run` does (expect_case: the
 * oracle under the suite's knobs) and the actual words from the target (target_run). */
#ifndef MXCONFORM_SINGLE_H
#define MXCONFORM_SINGLE_H

#include <stdint.h>

#include "target.h"
#include "vectors.h"

typedef struct single_result {
  uint64_t *expected, *actual; /* s->ncases * s->nout words each */
  tstatus *st;                 /* per case */
  unsigned char *equal;        /* per case: 1 when st is ok and actual == expected (expect_equal) */
  size_t differ, failed;       /* cases that differ / that the target did not answer (error, crash, ...) */
  size_t unsupported;          /* cases the target declined */
  size_t unobserved;           /* cases whose result the target cannot observe (`?`): never SAME */
  char msg[256];               /* the target's first error text */
} single_result;

/* Open target_spec, run every case of s (whose op, parameters, knobs and cases are set) and
 * compare. Prints the header line "target SPEC (NAME VERSION), profile P" to stdout. Returns
 * 0, or -1 with the reason in err when the target cannot be opened (exit 3). */
int single_run(const char *target_spec, const vec_suite *s, single_result *r, char *err, size_t errlen);
void single_free(single_result *r);

/* "  expected  e2m1 0x6 = 0x1p+2 (4)" lines: one code of format f under a label. */
void single_print_code(const char *label, mx_fmt f, uint64_t bits, const char *note);
/* "0x6 = 0x1p+2 (4)": a code and its exact value, for one-line comparisons. */
void single_code_text(mx_fmt f, uint64_t bits, char *buf, size_t len);
/* "2^-3" or "NaN": an E8M0 scale byte. */
void single_scale_text(uint64_t scale, char *buf, size_t len);

/* The target's status of case c when it did not answer it ("crash", "unsupported", ...),
 * printed as "  actual    <status>: message". */
void single_print_status(const single_result *r, size_t c);

/* A block format or packing layout named on the command line of `cmd`; exits 2 with the
 * allowed names when unknown. */
mx_block_fmt single_block_fmt(const char *cmd, const char *what, const char *name);
mx_pack_layout single_pack_layout(const char *cmd, const char *name);

/* The closing line and the exit status: 0 every case equal, 1 some differ or failed, 3 the
 * target declined every case (it does not support the operation). */
int single_verdict(const single_result *r, const vec_suite *s);

#endif
