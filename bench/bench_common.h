/* Shared by the benchmarks: a monotonic clock, the best-of-passes timer and a seeded
 * generator (splitmix64), so every benchmark times and draws data the same way. */
#ifndef MXCONFORM_BENCH_COMMON_H
#define MXCONFORM_BENCH_COMMON_H

#include <stdint.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t next_random(void) {
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* One timed kernel pass over a context. */
typedef void (*kernel_fn)(void *ctx);

/* Best time of one kernel pass: passes repeat until min_seconds have gone by (at least 3,
 * at most 10000). */
static inline double best_pass(kernel_fn fn, void *ctx, double min_seconds) {
  double best = 1e30, start = now();
  for (int pass = 0; pass < 3 || now() - start < min_seconds; pass++) {
    double t0 = now();
    fn(ctx);
    double t = now() - t0;
    if (t < best) best = t;
    if (pass > 10000) break;
  }
  return best;
}

/* Best times of a reference kernel (memcpy) and a kernel, their passes alternating (at least
 * 3 pairs) until the two together have had 2 x min_seconds, the time two best_pass calls
 * took: both bests are drawn from the same stretch of time, so a ratio of them is not one
 * quiet moment's memcpy against a noisy moment's kernel (on the shared 2-core machines that
 * moved rows by 30 % from run to run). Not "each side min_seconds": a fast memcpy would then
 * drag a slow kernel through dozens of passes (make bench went from 70 s to 4 min 46 s). */
static inline void best_pair(kernel_fn ref, kernel_fn fn, void *ctx, double min_seconds, double *t_ref, double *t_fn) {
  double best_ref = 1e30, best_fn = 1e30, spent_ref = 0, spent_fn = 0;
  for (int pass = 0; pass < 3 || spent_ref + spent_fn < 2 * min_seconds; pass++) {
    double t0 = now();
    ref(ctx);
    double t1 = now();
    fn(ctx);
    double t2 = now();
    spent_ref += t1 - t0;
    spent_fn += t2 - t1;
    if (t1 - t0 < best_ref) best_ref = t1 - t0;
    if (t2 - t1 < best_fn) best_fn = t2 - t1;
    if (pass > 10000) break;
  }
  *t_ref = best_ref;
  *t_fn = best_fn;
}

#endif
