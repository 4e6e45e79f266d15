/* reftarget.c — libmxref behind the target ABI (include/mxconform/target.h): the shared
 * library that the replay test of fuzz_target_differential loads through MXC_FUZZ_TARGET,
 * so the dlopen path, the batch call and the comparison run on every `make test` even
 * without a vendor library. Knobs: the `ocp` defaults (what MXC_FUZZ_PROFILE defaults to).
 * Every operation is served: decode, convert, quantize, dequantize, pack and dot (the exact
 * DotGeneral rounded once, exact-rne). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mxconform/block.h"
#include "mxconform/dot.h"

#include "mxconform/mxref.h"
#include "mxconform/target.h"

static int ref_decode(int fmt, const uint64_t *codes, size_t n, uint64_t *out) {
  if (fmt < 0 || fmt >= MX_FMT_COUNT || !mx_format((mx_fmt)fmt)->is_element) return MXC_UNSUPPORTED;
  for (size_t i = 0; i < n; i++) out[i] = mxref_decode_f64_bits((mx_fmt)fmt, (uint32_t)codes[i]);
  return MXC_OK;
}

static int ref_convert(int dst, int src, int round, int overflow, const uint64_t *in, const uint32_t *sr, size_t n,
                       uint64_t *out) {
  if (dst < 0 || dst >= MX_FMT_COUNT || src < 0 || src >= MX_FMT_COUNT || !mx_format((mx_fmt)dst)->is_element ||
      !mx_format((mx_fmt)src)->is_source || round < 0 || round >= MX_ROUND_COUNT || overflow < 0 || overflow > 1)
    return MXC_UNSUPPORTED;
  if (round == MX_SR && !sr) return MXC_ERROR;
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  o.round = (mx_round)round;
  o.overflow = (mx_overflow)overflow;
  for (size_t i = 0; i < n; i++) out[i] = mxref_convert_one((mx_fmt)dst, (mx_fmt)src, in[i], &o, sr ? sr[i] : 0);
  return MXC_OK;
}

typedef union block_values {
  uint16_t h[MX_BLOCK_MAX];
  uint32_t w[MX_BLOCK_MAX];
  uint64_t d[MX_BLOCK_MAX];
} block_values;

static int ref_quantize(int fmt, int src, int rule, int round, const uint64_t *in, size_t k, uint64_t *scale,
                        uint64_t *codes) {
  if (fmt < 0 || fmt >= MX_BLOCK_FMT_COUNT || src < 0 || src >= MX_FMT_COUNT || !mx_format((mx_fmt)src)->is_source ||
      rule < 0 || rule >= MX_RULE_COUNT || round < 0 || round >= MX_ROUND_COUNT || round == MX_SR)
    return MXC_UNSUPPORTED;
  if (k < 1 || k > MX_BLOCK_MAX) return MXC_ERROR;
  static block_values v;
  int bits = mx_format((mx_fmt)src)->bits;
  for (size_t i = 0; i < k; i++) {
    if (bits == 16) v.h[i] = (uint16_t)in[i];
    else if (bits == 32) v.w[i] = (uint32_t)in[i];
    else v.d[i] = in[i];
  }
  mx_block_opts o;
  mx_block_opts_default(&o);
  o.rule = (mx_scale_rule)rule;
  o.elem.round = (mx_round)round;
  static uint8_t c8[MX_BLOCK_MAX];
  uint8_t s8;
  mxref_quantize_block((mx_block_fmt)fmt, (mx_fmt)src, &v, k, &o, NULL, &s8, c8);
  *scale = s8;
  for (size_t i = 0; i < k; i++) codes[i] = c8[i];
  return MXC_OK;
}

static int ref_dequantize(int fmt, int dst, uint64_t scale, const uint64_t *codes, size_t k, uint64_t *out) {
  if (fmt < 0 || fmt >= MX_BLOCK_FMT_COUNT || (dst != MX_F32 && dst != MX_BF16 && dst != MX_F64)) return MXC_UNSUPPORTED;
  if (k < 1 || k > MX_BLOCK_MAX || scale > 0xFF) return MXC_ERROR;
  static uint8_t c8[MX_BLOCK_MAX];
  static block_values v;
  for (size_t i = 0; i < k; i++) c8[i] = (uint8_t)codes[i];
  mx_block_opts o;
  mx_block_opts_default(&o);
  mxref_dequantize_block((mx_block_fmt)fmt, (uint8_t)scale, c8, k, (mx_fmt)dst, &o, &v);
  int bits = mx_format((mx_fmt)dst)->bits;
  for (size_t i = 0; i < k; i++) out[i] = bits == 16 ? v.h[i] : bits == 32 ? v.w[i] : v.d[i];
  return MXC_OK;
}

static int ref_pack(int fmt, int layout, const uint64_t *codes, size_t n, uint8_t *out, size_t *out_len) {
  if (fmt < 0 || fmt >= MX_BLOCK_FMT_COUNT || layout < 0 || layout >= MX_PACK_LAYOUT_COUNT) return MXC_UNSUPPORTED;
  if (n > MX_BLOCK_MAX) return MXC_ERROR;
  static uint8_t c8[MX_BLOCK_MAX];
  for (size_t i = 0; i < n; i++) c8[i] = (uint8_t)codes[i];
  *out_len = mxref_pack((mx_block_fmt)fmt, (mx_pack_layout)layout, c8, n, out);
  return *out_len ? MXC_OK : MXC_UNSUPPORTED;
}

static int ref_dot(int fa, int fb, size_t nb, size_t k, const uint64_t *scales_a, const uint64_t *codes_a,
                   const uint64_t *scales_b, const uint64_t *codes_b, int has_c, uint64_t c, uint64_t *out) {
  if (fa < 0 || fa >= MX_BLOCK_FMT_COUNT || fb < 0 || fb >= MX_BLOCK_FMT_COUNT) return MXC_UNSUPPORTED;
  if (!nb || nb > 64 || !k || nb * k > MX_BLOCK_MAX) return MXC_ERROR;
  static uint8_t sa[64], sb[64], ca[MX_BLOCK_MAX], cb[MX_BLOCK_MAX];
  for (size_t j = 0; j < nb; j++) sa[j] = (uint8_t)scales_a[j], sb[j] = (uint8_t)scales_b[j];
  for (size_t i = 0; i < nb * k; i++) ca[i] = (uint8_t)codes_a[i], cb[i] = (uint8_t)codes_b[i];
  mx_dot_vec a = {(mx_block_fmt)fa, sa, ca}, b = {(mx_block_fmt)fb, sb, cb};
  uint32_t c32 = (uint32_t)c, r = 0;
  const mx_dot_preset *m = mx_dot_preset_find("exact-rne");
  if (mxref_dot_general(&a, &b, nb, k, has_c ? &c32 : NULL, &m->model, &r) != MX_DOT_OK) return MXC_UNSUPPORTED;
  *out = r;
  return MXC_OK;
}

static const mxc_target_api api = {
  .abi_version = MXC_TARGET_ABI_VERSION,
  .struct_size = sizeof(mxc_target_api),
  .name = "libmxref-fuzz",
  .version = "1",
  .decode = ref_decode,
  .convert = ref_convert,
  .quantize = ref_quantize,
  .dequantize = ref_dequantize,
  .pack = ref_pack,
  .dot = ref_dot,
};

__attribute__((visibility("default"))) const mxc_target_api *mxc_target_get(void) { return &api; }
