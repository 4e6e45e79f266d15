/* Block proofs — placeholder until the block layer lands. */
#include "cli.h"

uint64_t prove_blocks(const char *op, int exhaustive, uint64_t sample, uint64_t seed, unsigned jobs,
                      uint64_t *checked) {
  (void)op;
  (void)exhaustive;
  (void)sample;
  (void)seed;
  (void)jobs;
  (void)checked;
  return 0;
}
