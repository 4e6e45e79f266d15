/* Shared by the benchmarks: a monotonic clock and a seeded generator (splitmix64), so every
 * benchmark draws the same kind of data the same way. */
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

#endif
