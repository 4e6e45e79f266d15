/* libmxref internals: mxr_run_shares (threads.h). */
#include "threads.h"

#include <pthread.h>

#include "mxconform/mxref.h"

typedef struct share {
  mxr_share_fn fn;
  void *ctx;
  int index;
  size_t b0, b1;
} share;

static void *share_worker(void *arg) {
  const share *s = arg;
  s->fn(s->ctx, s->index, s->b0, s->b1);
  return NULL;
}

int mxr_run_shares(size_t nblocks, size_t nvalues, mxr_share_fn fn, void *ctx) {
  int threads = mxref_get_threads();
  if (threads <= 1 || nvalues < MXREF_THREAD_MIN_VALUES || nblocks < (size_t)threads) {
    fn(ctx, 0, 0, nblocks);
    return 1;
  }
  share shares[256];
  pthread_t tid[256];
  int started[256];
  for (int t = 0; t < threads; t++)
    shares[t] = (share){fn, ctx, t, nblocks * (size_t)t / (size_t)threads, nblocks * (size_t)(t + 1) / (size_t)threads};
  /* share 0 runs on the caller; a thread that cannot start runs here too */
  for (int t = 1; t < threads; t++) started[t] = pthread_create(&tid[t], NULL, share_worker, &shares[t]) == 0;
  share_worker(&shares[0]);
  for (int t = 1; t < threads; t++) {
    if (started[t]) pthread_join(tid[t], NULL);
    else share_worker(&shares[t]);
  }
  return threads;
}
