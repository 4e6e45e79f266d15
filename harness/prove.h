/* mxconform prove: what cmd_prove.c tells the block proofs (harness/prove_blocks.c) beyond
 * prove_blocks()'s arguments (cli.h). */
#ifndef MXCONFORM_PROVE_H
#define MXCONFORM_PROVE_H

#include "mxconform/mxref.h"

/* The libmxref code paths to prove (--paths): every block is quantized on each of them and
 * compared with one oracle result. shard i/n: only combinations whose index is i mod n
 * (so two processes can share the work). */
void prove_blocks_setup(const mxref_path *paths, int npaths, unsigned shard_i, unsigned shard_n);

#endif
