/* The MPFR oracle: exact decode and correctly rounded conversion, written to be obviously
 * correct rather than fast. It shares only the format table (data) and the knob
 * definitions with libmxref; none of its logic. spec_notes/conversion.md is its spec. */
#ifndef MXCONFORM_ORACLE_H
#define MXCONFORM_ORACLE_H

#include <stddef.h>
#include <stdint.h> /* before mpfr.h: enables the intmax_t functions */
#include <mpfr.h>

#include "mxconform/formats.h"
#include "mxconform/knobs.h"

/* A decoded code: class, sign and exact magnitude (|value|; 0 for zero, unset for NaN/Inf).
 * For a NaN, also its trailing significand field as it was in the code (payload, quiet bit
 * included) and that field's width; knob e5m2_nan=propagate reads it. 0 otherwise. */
typedef struct mxo_value {
  mx_class cls;
  int sign;
  mpfr_t mag;
  uint64_t nan_field;
  int nan_field_bits;
} mxo_value;

void mxo_value_init(mxo_value *v);
void mxo_value_clear(mxo_value *v);

/* Exact decode of any code of any format in the table. */
void mxo_decode(mx_fmt fmt, uint64_t code, mxo_value *out);

/* The exact value, as a signed MPFR number (NaN/Inf as MPFR's). */
void mxo_decode_signed(mx_fmt fmt, uint64_t code, mpfr_t out);

/* Round a value (class, sign, exact magnitude) into element/scale format `dst` under the
 * knobs `o`. This is the oracle's mx_round_to_element. */
uint32_t mxo_round_to_element(mx_fmt dst, const mxo_value *v, const mx_convert_opts *o, uint32_t sr_random);

/* decode(src, bits) then round: the oracle's conversion. */
uint32_t mxo_convert(mx_fmt dst, mx_fmt src, uint64_t src_bits, const mx_convert_opts *o, uint32_t sr_random);

/* Walk the monotone segments of a source format's bit space ([+0..+Inf], +NaNs,
 * [-0..-Inf], -NaNs) and report each maximal run of consecutive bit patterns that the
 * oracle converts to one code. Rounding is monotone in the value, so each code's
 * preimage in a segment is one run; runs are found by galloping search with direct
 * oracle calls at both ends of every run (f(last) == code, f(last+1) != code).
 * `on_run` returns nonzero to stop. Not for round=sr. Returns the number of oracle calls. */
typedef int (*mxo_run_fn)(void *ctx, uint64_t first, uint64_t last, uint32_t code);
uint64_t mxo_walk_runs(mx_fmt dst, mx_fmt src, const mx_convert_opts *o, uint64_t from, uint64_t to,
                       mxo_run_fn on_run, void *ctx);

/* A growing list of runs, and an mxo_run_fn that appends to one (ctx = mxo_runs *). */
typedef struct mxo_run {
  uint64_t first, last;
  uint32_t code;
} mxo_run;
typedef struct mxo_runs {
  mxo_run *v;
  size_t n, cap;
} mxo_runs;
int mxo_collect_run(void *ctx, uint64_t first, uint64_t last, uint32_t code);

/* The monotone segments of a source format (4 of them), as inclusive bit ranges. */
void mxo_source_segments(mx_fmt src, uint64_t first[4], uint64_t last[4]);

#endif
