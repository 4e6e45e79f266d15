/* libmxref internals: which code path runs, and the AVX2 kernels' entry points.
 *
 * The AVX2 kernels (reference/avx2_*.c) are compiled with per-function target attributes,
 * so the library builds with the default compiler flags and runs on any x86-64; they are
 * only called after the CPU check in dispatch.c. Each kernel returns the number of values
 * it handled (a prefix, or 0 to decline), and the caller finishes with the scalar path:
 * whatever the kernels leave alone (rare specials, f64, stochastic rounding) is computed by
 * the one scalar implementation, never by a second copy of its rules. */
#ifndef MXREF_DISPATCH_H
#define MXREF_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "mxconform/mxref.h"

/* Set by CMakeLists.txt (option MXC_AVX2) when the kernels are compiled in. */
#ifndef MXR_HAVE_AVX2
#define MXR_HAVE_AVX2 0
#endif

/* The path in use (mxref_path, never AUTO). */
int mxr_active_path(void);

static inline int mxr_use_avx2(void) { return MXR_HAVE_AVX2 && mxr_active_path() == MXREF_PATH_AVX2; }

#endif
