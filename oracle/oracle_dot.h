/* The oracle's dot products (MPFR): DotGeneral by the definitions in
 * include/mxconform/dot.h — the exact value, its rounding to FP32, and every accumulation
 * model step by step — independently of libmxref. */
#ifndef MXCONFORM_ORACLE_DOT_H
#define MXCONFORM_ORACLE_DOT_H

#include "mxconform/dot.h"
#include "oracle.h"

/* Same contract as mxref_dot_general, for every valid model (finite frac_bits included).
 * Never returns MX_DOT_EUNSUPPORTED. */
int mxo_dot_general(const mx_dot_vec *a, const mx_dot_vec *b, size_t n_blocks, size_t k, const uint32_t *c,
                    const mx_dot_model *m, uint32_t *out);

/* mxo_dot_general with block j's scale s_j = s[j] (an exact, positive value) in place of the
 * E8M0 product; the vectors' scale codes are not read. For NVFP4 (oracle/nvfp4.c), whose
 * E4M3 x FP32 scales are not powers of two. */
int mxo_dot_general_scaled(const mx_dot_vec *a, const mx_dot_vec *b, size_t n_blocks, size_t k, const uint32_t *c,
                           const mx_dot_model *m, mpfr_srcptr const *s, uint32_t *out);

/* The exact value of DotGeneral + C (C may be NULL): NaN or +-Inf by the special-value
 * rules, else the exact sum with the signed-zero rule. `out` is resized to hold it exactly.
 * Returns MX_DOT_OK or MX_DOT_EINVAL. Reports measure deviations against this value. */
int mxo_dot_exact(const mx_dot_vec *a, const mx_dot_vec *b, size_t n_blocks, size_t k, const uint32_t *c,
                  mpfr_t out);

/* Round a finite exact value (signed zero allowed) to FP32 bits, by the definition: the
 * nearest (rne) or next toward zero (rtz) multiple of 2^max(e-23, -149), e = floor(log2|x|);
 * a result >= 2^128 is +-Inf (rne) or +-FLT_MAX (rtz); flush turns a subnormal result into
 * a zero of the same sign. No MPFR exponent-range state is used or changed. */
uint32_t mxo_round_f32(mpfr_srcptr x, mx_dot_round mode, mx_dot_subnormal subnormal);

#endif
