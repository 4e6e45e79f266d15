/* libmxref internals: a tensor call's blocks split over the mxref_set_threads threads, shared
 * by the MX tensor calls (tensor.c) and the NVFP4 ones (nvfp4.c). */
#ifndef MXREF_THREADS_H
#define MXREF_THREADS_H

#include <stddef.h>

/* One share of a call: blocks [b0, b1), share number `share` (0 .. shares - 1). */
typedef void (*mxr_share_fn)(void *ctx, int share, size_t b0, size_t b1);

/* Runs fn over blocks [0, nblocks) (nvalues values in all) and returns the number of shares
 * once every share has run: mxref_get_threads() contiguous shares of whole blocks, share t
 * [nblocks t / T, nblocks (t + 1) / T), or one share [0, nblocks) when T <= 1, nvalues <
 * MXREF_THREAD_MIN_VALUES or nblocks < T. Share 0 runs on the calling thread, and so does a
 * share whose thread cannot start (after share 0). Every block is computed by the same code
 * whichever thread runs it, so results do not depend on the count. At most 256 shares. */
int mxr_run_shares(size_t nblocks, size_t nvalues, mxr_share_fn fn, void *ctx);

#endif
