/* reftarget.c — libmxref behind the target ABI (include/mxconform/target.h): the shared
 * library that the replay test of fuzz_target_differential loads through MXC_FUZZ_TARGET,
 * so the dlopen path, the batch call and the comparison run on every `make test` even
 * without a vendor library. Knobs: the `ocp` defaults (what MXC_FUZZ_PROFILE defaults to).
 * Only decode and convert are served; the other entries are NULL (unsupported). */
#include <stddef.h>
#include <stdint.h>

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

static const mxc_target_api api = {
  .abi_version = MXC_TARGET_ABI_VERSION,
  .struct_size = sizeof(mxc_target_api),
  .name = "libmxref-fuzz",
  .version = "1",
  .decode = ref_decode,
  .convert = ref_convert,
};

__attribute__((visibility("default"))) const mxc_target_api *mxc_target_get(void) { return &api; }
