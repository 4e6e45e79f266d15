/* The oracle's block layer (MPFR): quantize, scale from amax, dequantize, pack — by the
 * definitions in include/mxconform/block.h, independently of libmxref. */
#ifndef MXCONFORM_ORACLE_BLOCK_H
#define MXCONFORM_ORACLE_BLOCK_H

#include "mxconform/block.h"
#include "oracle.h"

/* values: k source bit patterns (any source format, one per uint64_t). */
void mxo_quantize_block(mx_block_fmt f, mx_fmt src, const uint64_t *values, size_t k, const mx_block_opts *o,
                        const uint32_t *sr_random, uint8_t *scale, uint8_t *codes);

/* Same contract as mxref_block_scale. */
uint8_t mxo_block_scale(mx_block_fmt f, mx_fmt src, uint64_t amax_bits, const mx_block_opts *o);

/* out: k bit patterns of dst (MX_F32, MX_BF16 or MX_F64), one per uint64_t. */
void mxo_dequantize_block(mx_block_fmt f, uint8_t scale, const uint8_t *codes, size_t k, mx_fmt dst,
                          const mx_block_opts *o, uint64_t *out);

/* Bit-at-a-time packing (a deliberately different algorithm from libmxref's). */
size_t mxo_pack(mx_block_fmt f, mx_pack_layout l, const uint8_t *codes, size_t n, uint8_t *out);
size_t mxo_unpack(mx_block_fmt f, mx_pack_layout l, const uint8_t *packed, size_t n, uint8_t *codes);

/* Generic version of mxo_walk_runs: the runs of a monotone function of the bit pattern. */
typedef uint32_t (*mxo_bits_fn)(void *ctx, uint64_t bits);
uint64_t mxo_walk_runs_of(mxo_bits_fn f, void *fctx, uint64_t from, uint64_t to, mxo_run_fn on_run, void *ctx);

#endif
