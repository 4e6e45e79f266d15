/* libmxref internals: the AVX2 kernels (reference/avx2_*.c). Call only when
 * mxr_use_avx2() (dispatch.h). Each returns how much it did — a prefix, possibly 0 — and
 * leaves the rest to the scalar path (dispatch.h explains why). */
#ifndef MXREF_AVX2_H
#define MXREF_AVX2_H

#include <stddef.h>
#include <stdint.h>

#include "mxconform/block.h"

/* The formats the kernels were written for: every element format (the OCP MX six and the
 * FP8 variants) and E8M0, and the six MX block formats (E8M0 scale). Every kernel declines
 * (returns 0) for any other. */
int mxr_avx2_element_known(mx_fmt f);
int mxr_avx2_block_known(mx_block_fmt f);

/* The knobs the conversion kernel computes exactly as the scalar path does: 1 when every
 * field of o holds a value the kernel was written and proved for (round != sr), 0 when any
 * does not — including any field added to mx_convert_opts later and set to a non-default
 * value. The convert and quantize kernels decline (return 0) when this is 0. */
int mxr_avx2_opts_known(const mx_convert_opts *o);

/* mxr_avx2_convert would take this call (source, destination and knobs known). */
int mxr_avx2_convert_takes(mx_fmt dst, mx_fmt src, const mx_convert_opts *o);

/* mxref_convert for src f32/bf16/f16/f64, a known dst (E8M0 included) and known knobs:
 * converts a prefix of the n values (a multiple of 8), stopping before the first group
 * holding a NaN or Inf. Returns its length. */
size_t mxr_avx2_convert(mx_fmt dst, mx_fmt src, const void *values, uint8_t *codes, size_t n,
                        const mx_convert_opts *o);

/* Quantize up to nblocks consecutive blocks of k values (k a multiple of 8; src f32, bf16,
 * f16 or f64; round != sr), one code per byte; stops before a block with a NaN/Inf input or
 * a NaN scale. Returns the number of blocks done. */
size_t mxr_avx2_quantize_blocks(mx_block_fmt f, mx_fmt src, const void *values, size_t nblocks, size_t k,
                                const mx_block_opts *o, uint8_t *scales, uint8_t *codes);

/* The same, writing the codes in layout l (byte, or the FP4 / FP6 layout of the element
 * format): block b's codes start at out + b * mx_packed_size(f, l, k). */
size_t mxr_avx2_quantize_packed(mx_block_fmt f, mx_fmt src, const void *values, size_t nblocks, size_t k,
                                const mx_block_opts *o, mx_pack_layout l, uint8_t *scales, uint8_t *out);

/* mxref_decode_f32 through the format's 256-entry table (exact bits from the scalar
 * decode): decodes the largest multiple of 8 <= n. Returns it. */
size_t mxr_avx2_decode_f32(const uint32_t table[256], const uint8_t *codes, uint32_t *out, size_t n);

/* mxref_decode_f32 for the element format of f, by integer logic (every element value is a
 * normal f32, so the dequantize kernel with X = 1 is a decode): the largest multiple of 8
 * <= n. Returns it. */
size_t mxr_avx2_decode_elements(mx_block_fmt f, const uint8_t *codes, uint32_t *out, size_t n);

/* Dequantize up to nblocks blocks of k codes (one per byte, k a multiple of 8) to dst f32
 * or bf16; stops before a block whose products could leave f32's normal range (a scale
 * near 2^-127 or 2^127: rounding or overflow, left to the scalar path). Returns the number
 * of blocks done. */
size_t mxr_avx2_dequantize_blocks(mx_block_fmt f, const uint8_t *scales, const uint8_t *codes, size_t nblocks,
                                  size_t k, mx_fmt dst, void *out);

/* mxref_pack / mxref_unpack for the FP4 and FP6 layouts: the largest multiple of 32 codes
 * <= n (whole groups: 16 or 24 bytes). Returns it; 0 for other layouts. */
size_t mxr_avx2_pack(mx_pack_layout l, const uint8_t *codes, size_t n, uint8_t *out);
size_t mxr_avx2_unpack(mx_pack_layout l, const uint8_t *packed, size_t n, uint8_t *codes);

/* The exact sum of F_a * F_b over one block's k codes (reference/dot.c). _applies says
 * whether the kernel takes this pair and k (decide once per DotGeneral: INT8 x INT8, k a
 * multiple of 8); the block must hold no NaN/Inf codes. */
int mxr_avx2_block_sum_applies(mx_block_fmt fa, mx_block_fmt fb, size_t k);
int64_t mxr_avx2_block_sum(mx_block_fmt fa, mx_block_fmt fb, const uint8_t *ca, const uint8_t *cb, size_t k);

/* NVFP4 (reference/nvfp4.c), each the scalar step's bits: the largest |x| of n f32 values
 * (n a multiple of 8) as bits, >= 0x7F800000 when one is NaN or Inf; the `exact` block scale,
 * the E4M3 code nearest num / den (grid_round); one block's 16 element codes, `exact` (den =
 * s_b * s_t in binary64) or `reciprocal` (RN4(RN(x * c))), the inputs finite; one block's
 * dequantized values, scale_first = nvfp4_dequant=scale-first. */
uint32_t mxr_avx2_abs_max_f32(const uint32_t *v, size_t n);
unsigned mxr_avx2_nvfp4_scale_exact(double num, double den);
void mxr_avx2_nvfp4_elements_exact(const uint32_t *v, double den, uint8_t *codes);
void mxr_avx2_nvfp4_elements_recip(const uint32_t *v, float c, uint8_t *codes);
void mxr_avx2_nvfp4_dequantize(const uint8_t *codes, float sb, float st, int scale_first, uint32_t *out);

/* NVFP4 eight blocks of 16 at a time (avx2_nvfp4.c: candidate code from the bits, one exact
 * midpoint test). The per-tensor values of a quantize call: */
typedef struct mxr_nvfp4_plan {
  float st;           /* s_t */
  float te_mul;       /* RN(S_enc * RN(1/6)): te's block-scale factor */
  int block_te;       /* nvfp4_block_scale = te (else exact) */
  int elem_recip;     /* nvfp4_elem_scale = reciprocal (else exact) */
} mxr_nvfp4_plan;
/* mxr_avx2_abs_max_f32 for the tensor amax pass over n values (a multiple of 16; prefetching) */
uint32_t mxr_avx2_nvfp4_abs_max(const uint32_t *v, size_t n);
/* mxref_nvfp4_quantize's scales and codes for the first blocks of nblocks (finite inputs,
 * the tensor scale already chosen): a multiple of 8 blocks, or 0 (declined: exact knobs with
 * s_t < 2^-88). Returns the number of blocks done. */
size_t mxr_avx2_nvfp4_quantize_blocks(const uint32_t *v, size_t nblocks, const mxr_nvfp4_plan *p, uint8_t *scales,
                                      uint8_t *codes);
/* mxref_nvfp4_dequantize for the first blocks of nblocks (a multiple of 8, or 0 when s_t is
 * NaN); scale_signed = nvfp4_scale_sign=signed. Returns the number of blocks done. */
size_t mxr_avx2_nvfp4_dequantize_blocks(const uint8_t *scales, const uint8_t *codes, size_t nblocks, float st,
                                        int scale_first, int scale_signed, uint32_t *out);

#endif
