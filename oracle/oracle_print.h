/* Oracle text forms; see print.c. */
#ifndef MXCONFORM_ORACLE_PRINT_H
#define MXCONFORM_ORACLE_PRINT_H

#include <stddef.h>

#include "oracle.h"

/* "0x1.cp+8 (448)", "-0", "NaN", "+Inf". */
void mxo_format_mpfr(mpfr_srcptr x, char *buf, size_t len);
void mxo_format_code(mx_fmt fmt, uint64_t code, char *buf, size_t len);
/* Round x to source format src (RNE, subnormals) -> bits; returns 1 if rounding happened. */
int mxo_number_to_source(mx_fmt src, mpfr_srcptr x, uint64_t *bits);

#endif
