/* mxconform target ABI, version 1 — how a vendor library plugs into `mxconform run`.
 *
 * A target is a shared library that exports ONE symbol:
 *
 *     const mxc_target_api *mxc_target_get(void);
 *
 * returning a table of optional function pointers. A NULL entry means "this operation is
 * not supported": its suites are reported as unsupported, not failed. A function may also
 * return MXC_UNSUPPORTED for one parameter set (say, a rounding mode it lacks) — that suite
 * is then unsupported too. A function may also return MXC_REFUSED: the library answered
 * some values (or this whole block) only with an exception or an error status (gfloat
 * raises on NaN into FP6/FP4, say). That is the library's answer, recorded per value as
 * "refused" (harness/PROTOCOL.md), not a failure of the whole suite: decode and convert
 * write MXC_VALUE_REFUSED in place of each refused value's output and real outputs for the
 * others; quantize, dequantize, pack and dot refuse the whole call. MXC_REFUSED was added
 * within version 1: targets built before it never return it, and a harness that predates
 * it treats it as MXC_ERROR. The harness never calls a target in its own process: it loads
 * it in a child (`mxconform serve --lib PATH`), so a crash or hang is contained, narrowed
 * down to the input that caused it, reported, and the run goes on.
 *
 * Every value crosses the ABI as a bit pattern in a uint64_t (low bits; a 4-bit E2M1 code is
 * 0x0..0xF, an f32 is its 32 bits) so that nothing is lost and every format looks the same.
 * Enumerations are the public ones (formats.h mx_fmt, knobs.h mx_round / mx_overflow,
 * block.h mx_block_fmt / mx_scale_rule / mx_pack_layout); their numeric values are part of
 * this ABI and never change within a version.
 *
 * Functions must be reentrant for distinct output buffers and must not keep pointers to
 * the arrays they are given. A complete example target: targets/example/.
 */
#ifndef MXCONFORM_TARGET_H
#define MXCONFORM_TARGET_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MXC_TARGET_ABI_VERSION 1u

enum { MXC_OK = 0, MXC_UNSUPPORTED = 1, MXC_ERROR = 2, MXC_REFUSED = 3 };

/* The output word of a refused value when decode/convert return MXC_REFUSED. No element or
 * scale code is this wide; for decode it is also an f64 NaN pattern, so a decode that
 * returns MXC_REFUSED cannot also answer that one NaN (return MXC_OK when nothing is refused). */
#define MXC_VALUE_REFUSED (~(uint64_t)0)

typedef struct mxc_target_api {
  uint32_t abi_version; /* MXC_TARGET_ABI_VERSION */
  uint32_t struct_size; /* sizeof(mxc_target_api) as the target was compiled */
  const char *name;     /* e.g. "acme-mx" */
  const char *version;  /* e.g. "1.4.2" */

  /* Decode n codes of element/scale format `fmt` (an mx_fmt) to f64 bit patterns. */
  int (*decode)(int fmt, const uint64_t *codes, size_t n, uint64_t *f64_out);

  /* Convert n source values (format `src`: f32, bf16, f16, f64) to codes of `dst`
   * (e4m3 e5m2 e2m3 e3m2 e2m1 int8 e8m0, and the FP8 variants e4m3fnuz e5m2fnuz e4m3b11fnuz
   * e4m3ieee e3m4 = mx_fmt 11..15) with rounding `round` (mx_round) and overflow
   * mode `overflow` (mx_overflow). sr_random is non-NULL only for round = MX_SR (n words,
   * low sr_bits bits used; sr_bits is 16 unless the profile says otherwise). */
  int (*convert)(int dst, int src, int round, int overflow, const uint64_t *in, const uint32_t *sr_random,
                 size_t n, uint64_t *out);

  /* Quantize one block of k values of format `src` into block format `fmt`
   * (mx_block_fmt) under scale rule `rule` (mx_scale_rule) and element rounding `round`:
   * writes the E8M0 scale byte and k element codes. */
  int (*quantize)(int fmt, int src, int rule, int round, const uint64_t *in, size_t k, uint64_t *scale,
                  uint64_t *codes);

  /* Dequantize one block (scale byte, k codes) to `dst` (f32, bf16 or f64) bit patterns. */
  int (*dequantize)(int fmt, int dst, uint64_t scale, const uint64_t *codes, size_t k, uint64_t *out);

  /* Pack n codes of block format `fmt` in layout `layout` (mx_pack_layout) into bytes;
   * *out_len receives the byte count (out has room for n bytes). */
  int (*pack)(int fmt, int layout, const uint64_t *codes, size_t n, uint8_t *out, size_t *out_len);

  /* DotGeneral (MX §6.2, include/mxconform/dot.h): two MX vectors of n_blocks blocks of k
   * elements, block formats fa and fb (mx_block_fmt; they may differ). scales_a/scales_b hold
   * n_blocks E8M0 codes, codes_a/codes_b n_blocks * k element codes (block j is
   * codes[j*k .. j*k+k-1]). has_c != 0: c is the FP32 bit pattern of an accumulator input C.
   * Writes the FP32 result bits to *out. The answer is whatever the implementation computes:
   * `mxconform probe dot` fits an accumulation model to it (no single answer is required).
   * Added within version 1 in place of reserved[0] (the table's size is unchanged): targets
   * built before it have NULL here. Initialise the table by field name (see
   * targets/example/) so that later additions stay NULL. */
  int (*dot)(int fa, int fb, size_t n_blocks, size_t k, const uint64_t *scales_a, const uint64_t *codes_a,
             const uint64_t *scales_b, const uint64_t *codes_b, int has_c, uint64_t c, uint64_t *out);

  /* NVFP4 (include/mxconform/nvfp4.h, spec_notes/nvfp4.md): NVIDIA's two-scale 4-bit format.
   * Added within version 1 in place of the first two reserved slots (the table's size is
   * unchanged): a target built before them has NULL here, and its NVFP4 suites are
   * unsupported. Every value is a bit pattern, as above.
   *
   * nvfp4_quantize: a tensor of n f32 values (n a positive multiple of 16, at most 4096; all
   * finite: the harness never sends NaN or Inf, for which no flow is defined). has_amax != 0:
   * amax_f32 is a calibrated amax (finite, >= 0) to use instead of the tensor's max |x|.
   * Writes the FP32 tensor (decode) scale s_t to *tensor_scale_f32, n / 16 E4M3 block scale
   * codes to scales_e4m3 (block j covers in_f32[16 j .. 16 j + 15]) and n E2M1 codes (0x0..0xF)
   * to codes_e2m1; the values decode as code x block scale x s_t. How s_t, the block scales and
   * the codes are computed is the implementation's choice; the harness names it with the
   * nvfp4_* profile keys (profile.h).
   *
   * nvfp4_dequantize: one block: k (1..16) E2M1 codes with their E4M3 block scale code and
   * the f32 tensor scale -> k f32 values (out_f32). */
  int (*nvfp4_quantize)(const uint64_t *in_f32, size_t n, int has_amax, uint64_t amax_f32, uint64_t *tensor_scale_f32,
                        uint64_t *scales_e4m3, uint64_t *codes_e2m1);
  int (*nvfp4_dequantize)(uint64_t tensor_scale_f32, uint64_t scale_e4m3, const uint64_t *codes_e2m1, size_t k,
                          uint64_t *out_f32);

  /* nvfp4_dot: DotGeneral of two NVFP4 vectors of n_blocks (1..64) blocks of 16 elements:
   * for each operand its f32 tensor scale, n_blocks E4M3 block scale codes and 16 n_blocks
   * E2M1 codes (block j is codes[16 j .. 16 j + 15]); has_c != 0: c is the FP32 bits of an
   * accumulator input C. Writes the FP32 result bits to *out. The harness's vectors expect
   * the exact value rounded once (spec_notes/nvfp4.md §7: sum of e_a e_b s_b(a) s_b(b)
   * s_t(a) s_t(b), + C); a Blackwell kernel that truncates or aligns differently fails
   * them, as an MX dot would (its accumulation is what `mxconform probe dot` measures for
   * MX). Tensor scales are finite; a block scale code may have its sign bit set (UE4M3:
   * cuBLAS ignores it). Added within version 1 in place of the third reserved slot. */
  int (*nvfp4_dot)(size_t n_blocks, uint64_t tensor_scale_a_f32, const uint64_t *scales_a_e4m3,
                   const uint64_t *codes_a_e2m1, uint64_t tensor_scale_b_f32, const uint64_t *scales_b_e4m3,
                   const uint64_t *codes_b_e2m1, int has_c, uint64_t c, uint64_t *out);
  void *reserved[4]; /* later operations; NULL */
} mxc_target_api;

/* Does table `api` have operation `field`? Its struct_size covers the entry (a table compiled
 * against an older header is shorter only if the table grows past its reserved slots) and the
 * entry is not NULL. The harness reads every entry added after dot through this. */
#define MXC_TARGET_HAS(api, field)                                                                      \
  ((api)->struct_size >= offsetof(mxc_target_api, field) + sizeof((api)->field) && (api)->field != NULL)

typedef const mxc_target_api *(*mxc_target_get_fn)(void);
#define MXC_TARGET_SYMBOL "mxc_target_get"

#ifdef __cplusplus
}
#endif
#endif
