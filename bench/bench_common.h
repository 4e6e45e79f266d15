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
static double best_pass(kernel_fn fn, void *ctx, double min_seconds) {
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

#endif
