/* mxconform — NVFP4: NVIDIA's two-scale 4-bit block format (spec_notes/nvfp4.md).
 *
 * A tensor of n values (n a multiple of 16) becomes
 *   - one FP32 tensor scale s_t (the decode scale, ~ amax / (6 * 448)),
 *   - one E4M3 block scale s_b per 16 values (positive; a UE4M3 code),
 *   - n E2M1 element codes e_i,
 * and decodes as  value_i = e_i * s_b * s_t  (NVIDIA: element x block scale x tensor scale).
 *
 * Quantization is software-defined. Every step where NVIDIA's public sources differ is a
 * knob (mx_nvfp4_opts, profile keys nvfp4_*). Write RN() for IEEE binary32 round to
 * nearest even, RN8() for E4M3 and RN4() for E2M1 (round to nearest even, saturating:
 * PTX cvt.rn.satfinite), amax = max |x| over the tensor (or a given calibrated amax),
 * amax_b over the block:
 *
 *  tensor scale   exact: s_t = RN(amax / 2688), S_enc = RN(2688 / amax)
 *                 te:    S_enc = min(RN(2688 / amax), FLT_MAX), s_t = RN(1 / S_enc)
 *                 amax = 0 (or S_enc = 0): s_t = S_enc = 1 in both.
 *  block scale    exact: s_b = RN8(amax_b / (6 * s_t))                 (one rounding)
 *                 te:    s_b = RN8(RN(amax_b * RN(S_enc * RN(1/6))))    (TE core_nvfp4.cuh)
 *  elements       exact:      e_i = RN4(x_i / (s_b * s_t))              (one rounding)
 *                 reciprocal: c = min(RN(1 / RN(s_b * s_t)), FLT_MAX), e_i = RN4(RN(x_i * c))
 *                 s_b = 0: x_i / 0 is +-Inf, which RN4 saturates to +-6 (a zero x_i stays +-0).
 *  dequantize     exact:       RN(e_i * s_b * s_t)                      (one rounding)
 *                 scale-first: RN(e_i * RN(s_b * s_t))                  (TE's per-block factor)
 *  scale code     ignore: the sign bit of a block scale code is ignored (cuBLAS UE4M3)
 *                 signed: it is an E4M3 sign (a negative block scale)
 *
 * Inputs must be finite: NaN/Inf have no defined NVFP4 flow in any source read
 * (spec_notes/nvfp4.md); both implementations refuse them (return -1).
 * The oracle (oracle/nvfp4.c, MPFR) and libmxref (reference/nvfp4.c) implement the same
 * contract; tests/test_nvfp4.c holds them equal and checks worked examples by hand.
 */
#ifndef MXCONFORM_NVFP4_H
#define MXCONFORM_NVFP4_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MX_NVFP4_BLOCK 16 /* elements per block scale */

typedef enum mx_nvfp4_tensor_scale { MX_NVFP4_TSCALE_EXACT = 0, MX_NVFP4_TSCALE_TE } mx_nvfp4_tensor_scale;
typedef enum mx_nvfp4_block_scale { MX_NVFP4_BSCALE_EXACT = 0, MX_NVFP4_BSCALE_TE } mx_nvfp4_block_scale;
typedef enum mx_nvfp4_elem_scale { MX_NVFP4_ELEM_EXACT = 0, MX_NVFP4_ELEM_RECIPROCAL } mx_nvfp4_elem_scale;
typedef enum mx_nvfp4_dequant { MX_NVFP4_DEQ_EXACT = 0, MX_NVFP4_DEQ_SCALE_FIRST } mx_nvfp4_dequant;
typedef enum mx_nvfp4_scale_sign { MX_NVFP4_SIGN_IGNORE = 0, MX_NVFP4_SIGN_SIGNED } mx_nvfp4_scale_sign;

typedef struct mx_nvfp4_opts {
  mx_nvfp4_tensor_scale tensor_scale;
  mx_nvfp4_block_scale block_scale;
  mx_nvfp4_elem_scale elem_scale;
  mx_nvfp4_dequant dequant;
  mx_nvfp4_scale_sign scale_sign;
} mx_nvfp4_opts;

/* Every knob's first value: the formulas of NVIDIA's blog and paper, evaluated exactly. */
#define MX_NVFP4_OPTS_DEFAULT \
  {MX_NVFP4_TSCALE_EXACT, MX_NVFP4_BSCALE_EXACT, MX_NVFP4_ELEM_EXACT, MX_NVFP4_DEQ_EXACT, MX_NVFP4_SIGN_IGNORE}
/* NVIDIA Transformer Engine's kernels (core_nvfp4.cuh, quantize/dequantize_nvfp4.cuh). */
#define MX_NVFP4_OPTS_TE \
  {MX_NVFP4_TSCALE_TE, MX_NVFP4_BSCALE_TE, MX_NVFP4_ELEM_RECIPROCAL, MX_NVFP4_DEQ_SCALE_FIRST, MX_NVFP4_SIGN_IGNORE}

/* Value names of each knob (first = default), NULL-terminated; for profile keys. */
extern const char *const mx_nvfp4_tensor_scale_names[];
extern const char *const mx_nvfp4_block_scale_names[];
extern const char *const mx_nvfp4_elem_scale_names[];
extern const char *const mx_nvfp4_dequant_names[];
extern const char *const mx_nvfp4_scale_sign_names[];

/* The result of quantizing a tensor. */
typedef struct mx_nvfp4_tensor {
  uint32_t tensor_scale; /* s_t, f32 bits */
  uint32_t s_enc;        /* S_enc, f32 bits (the encode scale; informative) */
  uint8_t *scales;       /* n / 16 E4M3 codes (caller's buffer) */
  uint8_t *codes;        /* n E2M1 codes, one per byte (caller's buffer) */
} mx_nvfp4_tensor;

/* libmxref. mxref_nvfp4_quantize and mxref_nvfp4_dequantize_tensor run on mxref_set_threads()
 * threads for n >= MXREF_THREAD_MIN_VALUES (mxconform/mxref.h), in ranges of whole blocks; the
 * results do not depend on the count.
 * values: n f32 bit patterns, n a positive multiple of 16. amax_bits: NULL to take
 * amax from the tensor, else a given (calibrated) amax as f32 bits (finite, >= 0).
 * 0 ok; -1 a NaN/Inf input or bad n/amax (nothing written beyond what was computed). */
int mxref_nvfp4_quantize(const uint32_t *values, size_t n, const uint32_t *amax_bits, const mx_nvfp4_opts *o,
                         mx_nvfp4_tensor *out);
/* One block of 16 codes with its scale code, and the tensor scale -> 16 f32 bit patterns. */
void mxref_nvfp4_dequantize(uint32_t tensor_scale, uint8_t scale, const uint8_t *codes, const mx_nvfp4_opts *o,
                            uint32_t *out);
/* A whole tensor, many blocks per call (what mxref_nvfp4_quantize wrote): n values, n a
 * positive multiple of 16, from t->tensor_scale, t->scales (n / 16 codes) and t->codes (n
 * codes, one per byte; the high four bits ignored) -> n f32 bit patterns, block b's exactly
 * as mxref_nvfp4_dequantize(t->tensor_scale, t->scales[b], t->codes + 16 b, o, out + 16 b)
 * gives them. 0 ok; -1 bad n (nothing written). */
int mxref_nvfp4_dequantize_tensor(const mx_nvfp4_tensor *t, size_t n, const mx_nvfp4_opts *o, uint32_t *out);

/* NVFP4 dot product, exact-rne (spec_notes/nvfp4.md §7): two vectors of n_blocks blocks of 16
 * E2M1 codes, each block with its E4M3 scale code, each vector with its f32 tensor scale.
 * *out = RN(sum over every element pair of e_a * e_b * s_b(a) * s_b(b) * s_t(a) * s_t(b)), the
 * exact sum rounded once to binary32 (dot.md's exact-rne; no accumulator input). A NaN block
 * scale makes the result NaN (0x7FC00000). An exact zero is -0 when every product is -0
 * (IEEE 754 §6.3), else +0. Block scale codes read per nvfp4_scale_sign. Returns -1 (nothing
 * written) for n_blocks 0 or above 2^16, or a tensor scale that is not finite. */
int mxref_nvfp4_dot(size_t n_blocks, uint32_t st_a, const uint8_t *scales_a, const uint8_t *codes_a, uint32_t st_b,
                    const uint8_t *scales_b, const uint8_t *codes_b, const mx_nvfp4_opts *o, uint32_t *out);

/* NVFP4 DotGeneral under an accumulation model (spec_notes/nvfp4.md §7): the loop of
 * include/mxconform/dot.h with k = 16 E2M1 products per block and the block scale
 *   s_j = s_b(a)_j * s_b(b)_j * s_t(a) * s_t(b)
 * (exact; not a power of two) wherever dot.h writes s_j. scale_at = product: every term is
 * s_j times a chunk of element products, aligned by its value; scale_at = group: a step sums
 * the unscaled element products and its FP32 result is multiplied by s_j with one rounding.
 * c: NULL, or the f32 bits of an accumulator input C (c_at). m: NULL = exact-rne, where
 * this equals mxref_nvfp4_dot (plus C). Special values: a NaN block scale or a NaN C -> NaN,
 * an Inf C -> that Inf (E2M1 has no NaN/Inf). A zero or negative s_j gives products whose
 * zeros carry the xor of every sign, as in mxref_nvfp4_dot.
 * Returns 0; -1 (nothing written) for n_blocks 0 or above 2^16, a tensor scale that is not
 * finite, or an invalid model (mx_dot_model_check); -2 (libmxref only, as
 * MX_DOT_EUNSUPPORTED) for finite frac_bits with accum = exact. */
struct mx_dot_model;
int mxref_nvfp4_dot_general(size_t n_blocks, uint32_t st_a, const uint8_t *scales_a, const uint8_t *codes_a,
                            uint32_t st_b, const uint8_t *scales_b, const uint8_t *codes_b, const uint32_t *c,
                            const struct mx_dot_model *m, const mx_nvfp4_opts *o, uint32_t *out);

#ifdef __cplusplus
}
#endif
#endif
