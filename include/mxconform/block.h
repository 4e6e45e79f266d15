/* mxconform — MX blocks: quantize (OCP MX §6.3), dequantize, pack.
 *
 * A block is k source values (k = 32 for the MX formats; any k >= 1 for experiments)
 * turned into one E8M0 scale byte X and k element codes P_i, with v_i = X * P_i.
 * The semantics below are the contract for BOTH the oracle (oracle/quantize.c, MPFR) and
 * libmxref (reference/quantize.c, integer logic); spec_notes/block.md is the long form.
 *
 * Quantize, step by step (all arithmetic exact):
 *  1. Decode the k inputs. With src_subnormals=flush, subnormal inputs are +-0 everywhere
 *     below (in amax and as elements).
 *  2. Specials (knobs nan_block, inf_block), NaN checked first: a NaN input with
 *     nan_block=nan-scale, or an
 *     Inf input with inf_block=nan-scale, makes the scale 0xFF (NaN); every element code
 *     is then 0 (the comparator treats them as don't-care: MX §5.1 — a NaN scale makes
 *     every value NaN whatever the elements).
 *     inf_block=max-scale (gfloat): scale 0xFE (2^127) and every element is the scalar
 *     conversion of V_i / 2^127 (Inf saturates by the scalar knobs).
 *     nan_block=ignore / inf_block=ignore: such inputs do not enter amax; their elements
 *     are converted by the scalar knobs (nan_finite, inf_finite, inf_sat, ...).
 *  3. amax = max |V_i| over the finite inputs. amax == 0 (all-zero block, or nothing
 *     finite): scale per zero_block (min: 0x00 = 2^-127, the OCP-faithful default;
 *     one: 0x7F = 1), elements are the scalar conversion of V_i / X (signed zeros).
 *  4. Write amax = m * 2^e, 1 <= m < 2 (exact: e is the exponent, never a float log2).
 *     emax = the element format's emax (table), max_elem its largest finite value,
 *     M its trailing significand bits (INT8: 6, since its largest value is 1.111111b).
 *       floor : s = e - emax                                   (OCP MX §6.3)
 *       ceil  : s = e - emax + (m > 1)                         (torchao CEIL)
 *       rceil : s = the smallest integer with amax / 2^s <= max_elem   (NVIDIA RCEIL)
 *       even  : s = e - emax + (m >= 2 - 2^-(M+1))             (torchao EVEN: amax
 *               rounded to M+1 significant bits, ties up, then floor)
 *       even-tiedown : s = e - emax + (m > 2 - 2^-(M+1))       (FBGEMM/MSLK "even":
 *               exact ties stay in the lower binade)
 *  5. Clamp: s < -127 -> -127. s > 127 (from f64 inputs, or MXINT8 — emax 0 — with an f32
 *     amax near FLT_MAX under ceil/rceil/even) -> scale_overflow:
 *     nan (0xFF, elements 0; microxcaling/torchao) or clamp (127; gfloat).
 *  6. X = 2^s, scale byte = s + 127. P_i = scalar conversion of V_i / X into the element
 *     format under the scalar knobs (round, overflow, int8_range, ...): V_i / X is exact
 *     (a power-of-two division), so the block has exactly one rounding per element.
 *     The OCP profile uses round=rne, overflow=sat (§6.3 clamps).
 *
 * Dequantize: v_i = X * P_i. X = 0xFF -> every v_i is NaN (a positive quiet NaN: sign and
 * payload are not defined, and comparisons accept any NaN). P_i NaN/Inf (FP8) -> NaN/Inf
 * (Inf stays Inf under either overflow knob). E8M0 0x00 is 2^-127 (an f32 subnormal, never
 * 0). To f64 the product is always exact. To f32 it is exact unless |v| >= 2^128:
 * dequant_overflow = inf (default) or sat (+-FLT_MAX). To bf16 the product is rounded to
 * nearest even (bf16 subnormals are coarser than some products, e.g. E5M2 3*2^-16 *
 * 2^-127); overflow as for f32, sat giving the bf16 maximum (0x7F7F).
 *
 * Packing (explicit, never implied): see mx_pack_layout.
 */
#ifndef MXCONFORM_BLOCK_H
#define MXCONFORM_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "mxconform/formats.h"
#include "mxconform/knobs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The concrete MX formats (MX §5.2 table). Canonical names: mxfp8_e4m3 mxfp8_e5m2
 * mxfp6_e2m3 mxfp6_e3m2 mxfp4_e2m1 mxint8. */
typedef enum mx_block_fmt {
  MX_MXFP8_E4M3 = 0,
  MX_MXFP8_E5M2,
  MX_MXFP6_E2M3,
  MX_MXFP6_E3M2,
  MX_MXFP4_E2M1,
  MX_MXINT8,
  MX_BLOCK_FMT_COUNT
} mx_block_fmt;

extern const char *const mx_block_fmt_names[]; /* NULL-terminated, indexed by mx_block_fmt */
mx_fmt mx_block_element(mx_block_fmt f);       /* the element format (MX_E4M3, ..., MX_INT8) */
int mx_block_fmt_by_name(const char *name);    /* -1 when unknown */

#define MX_BLOCK_SIZE 32 /* k of every MX format */
#define MX_BLOCK_MAX 4096 /* largest k the APIs accept */

typedef enum mx_scale_rule {
  MX_RULE_FLOOR = 0,
  MX_RULE_CEIL,
  MX_RULE_RCEIL,
  MX_RULE_EVEN,
  MX_RULE_EVEN_TIEDOWN,
  MX_RULE_COUNT
} mx_scale_rule;
extern const char *const mx_scale_rule_names[]; /* "floor" "ceil" "rceil" "even" "even-tiedown" */

typedef enum mx_nan_block { MX_NANB_NAN_SCALE = 0, MX_NANB_IGNORE } mx_nan_block;
typedef enum mx_inf_block { MX_INFB_NAN_SCALE = 0, MX_INFB_MAX_SCALE, MX_INFB_IGNORE } mx_inf_block;
typedef enum mx_zero_block { MX_ZEROB_MIN = 0, MX_ZEROB_ONE } mx_zero_block;
typedef enum mx_scale_overflow { MX_SCALEOVF_NAN = 0, MX_SCALEOVF_CLAMP } mx_scale_overflow;
typedef enum mx_dequant_overflow { MX_DQOVF_INF = 0, MX_DQOVF_SAT } mx_dequant_overflow;

/* Block knobs on top of the scalar ones (which apply to every element conversion). */
typedef struct mx_block_opts {
  mx_convert_opts elem; /* scalar knobs: round, overflow, int8_range, src_subnormals, ... */
  mx_scale_rule rule;
  mx_nan_block nan_block;
  mx_inf_block inf_block;
  mx_zero_block zero_block;
  mx_scale_overflow scale_overflow;
  mx_dequant_overflow dequant_overflow;
} mx_block_opts;

void mx_block_opts_default(mx_block_opts *o); /* the `ocp` profile */

/* ---- packing ------------------------------------------------------------------------ */

typedef enum mx_pack_layout {
  MX_PACK_BYTE = 0,   /* one code per byte, in the low bits (FP8, INT8 always; FP6/FP4 option) */
  MX_PACK_FP4_LOW,    /* FP4: two per byte, element 2i in bits 3..0, 2i+1 in bits 7..4 (default) */
  MX_PACK_FP4_HIGH,   /* FP4: two per byte, element 2i in bits 7..4 */
  MX_PACK_FP6_LSB,    /* FP6: a little-endian bit stream, element i at bits 6i..6i+5 (4 in 3 bytes) */
  MX_PACK_LAYOUT_COUNT
} mx_pack_layout;
extern const char *const mx_pack_layout_names[]; /* "byte" "fp4-low" "fp4-high" "fp6-lsb" */

/* Bytes needed for n codes of block format f in layout l; 0 if the layout does not apply
 * to the format (e.g. fp4-low for mxfp8_e4m3). */
size_t mx_packed_size(mx_block_fmt f, mx_pack_layout l, size_t n);

/* ---- libmxref block API ---------------------------------------------------------------- */

/* Quantize one block of k values (bit patterns of source format src: uint16_t for bf16/f16,
 * uint32_t for f32, uint64_t for f64). Writes *scale and codes[0..k-1] (one code per byte).
 * o = NULL means mx_block_opts_default. sr_random (k words) only for round=sr, else NULL. */
void mxref_quantize_block(mx_block_fmt f, mx_fmt src, const void *values, size_t k, const mx_block_opts *o,
                          const uint32_t *sr_random, uint8_t *scale, uint8_t *codes);

/* The scale byte a block with this amax gets (steps 3-5 above): amax is a bit pattern of
 * src, read as |value| (sign ignored); NaN/Inf amax follow nan_block/inf_block as if the
 * block held that value (ignore -> as an all-zero block). The 2^32-amax proof uses it. */
uint8_t mxref_block_scale(mx_block_fmt f, mx_fmt src, uint64_t amax_bits, const mx_block_opts *o);

/* Dequantize one block into dst = MX_F32 (uint32_t bits), MX_BF16 (uint16_t) or MX_F64
 * (uint64_t). */
void mxref_dequantize_block(mx_block_fmt f, uint8_t scale, const uint8_t *codes, size_t k, mx_fmt dst,
                            const mx_block_opts *o, void *out);

/* Pack / unpack n one-per-byte codes. Returns bytes written/read, 0 if the layout does not
 * apply. Padding bits are written as zero and ignored on unpack: the unused high bits of the
 * last byte, and in the `byte` layout the bits above a 4- or 6-bit code in every byte. */
size_t mxref_pack(mx_block_fmt f, mx_pack_layout l, const uint8_t *codes, size_t n, uint8_t *out);
size_t mxref_unpack(mx_block_fmt f, mx_pack_layout l, const uint8_t *packed, size_t n, uint8_t *codes);

/* Tensor API for contiguous data: n values (n a multiple of k) in n/k consecutive blocks
 * of k. Writes scales[n/k] and the codes packed in layout l (mx_packed_size(f, l, k) bytes
 * per block, block after block; FP4/FP6 layouts need k even / a multiple of 4 so that every
 * block starts on a byte). Same results as mxref_quantize_block per block followed by
 * mxref_pack; runs on the threads set by mxref_set_threads when n is large (mxref.h).
 * Returns 0, or -1 on bad arguments (nothing written). With round=sr every random word is
 * 0 (truncation), as in mxref_quantize_matrix. */
int mxref_quantize(mx_block_fmt f, mx_fmt src, const void *values, size_t n, size_t k, const mx_block_opts *o,
                   mx_pack_layout l, uint8_t *scales, uint8_t *out);

/* The inverse: n/k blocks of packed codes (layout l) and their scales to n values of dst
 * (MX_F32, MX_BF16 or MX_F64), as mxref_unpack + mxref_dequantize_block per block.
 * Returns 0, or -1 on bad arguments. */
int mxref_dequantize(mx_block_fmt f, const uint8_t *scales, const uint8_t *packed, size_t n, size_t k,
                     mx_pack_layout l, mx_fmt dst, const mx_block_opts *o, void *out);

/* Tensor API: quantize a rows x cols row-major matrix in blocks of k along one axis.
 * axis = 1: blocks run along each row (scales[rows][cols/k], codes row-major like the input);
 * axis = 0: blocks run down each column (scales[rows/k][cols], codes row-major).
 * The blocked dimension must be a multiple of k. Returns 0, or -1 on bad dimensions.
 * There is no random-word argument: with round=sr every random word is 0 (truncation). */
int mxref_quantize_matrix(mx_block_fmt f, mx_fmt src, const void *values, size_t rows, size_t cols, int axis,
                          size_t k, const mx_block_opts *o, uint8_t *scales, uint8_t *codes);

#ifdef __cplusplus
}
#endif
#endif
