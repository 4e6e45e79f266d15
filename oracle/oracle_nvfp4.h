/* The oracle's NVFP4 (include/mxconform/nvfp4.h has the contract): MPFR, every binary32 step
 * rounded by definition, every `exact` step rounded once from the exact value. */
#ifndef MXCONFORM_ORACLE_NVFP4_H
#define MXCONFORM_ORACLE_NVFP4_H

#include "mxconform/nvfp4.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Same arguments and results as mxref_nvfp4_quantize / mxref_nvfp4_dequantize. */
int mxo_nvfp4_quantize(const uint32_t *values, size_t n, const uint32_t *amax_bits, const mx_nvfp4_opts *o,
                       mx_nvfp4_tensor *out);
void mxo_nvfp4_dequantize(uint32_t tensor_scale, uint8_t scale, const uint8_t *codes, const mx_nvfp4_opts *o,
                          uint32_t *out);

int mxo_nvfp4_dot(size_t n_blocks, uint32_t st_a, const uint8_t *scales_a, const uint8_t *codes_a, uint32_t st_b,
                  const uint8_t *scales_b, const uint8_t *codes_b, const mx_nvfp4_opts *o, uint32_t *out);

/* Same contract as mxref_nvfp4_dot_general, every valid model (never returns -2). */
int mxo_nvfp4_dot_general(size_t n_blocks, uint32_t st_a, const uint8_t *scales_a, const uint8_t *codes_a,
                          uint32_t st_b, const uint8_t *scales_b, const uint8_t *codes_b, const uint32_t *c,
                          const struct mx_dot_model *m, const mx_nvfp4_opts *o, uint32_t *out);

#ifdef __cplusplus
}
#endif
#endif
