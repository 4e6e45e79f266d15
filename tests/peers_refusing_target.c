/* A plumbing target for the per-value refusal of the ABI (include/mxconform/target.h):
 * decodes E2M1 exactly but refuses code 0x7 (MXC_REFUSED + MXC_VALUE_REFUSED), and refuses
 * every MXFP4 quantize call as a whole. tests/peers.cmake checks that `mxconform run` counts
 * those cases as refused, not as failures of the suite or crashes. */
#include <string.h>

#include "mxconform/target.h"

static int decode(int fmt, const uint64_t *codes, size_t n, uint64_t *out) {
  static const double e2m1[8] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  if (fmt != 4) return MXC_UNSUPPORTED; /* e2m1 only */
  int refused = 0;
  for (size_t i = 0; i < n; i++) {
    if ((codes[i] & 7) == 7) {
      out[i] = MXC_VALUE_REFUSED;
      refused = 1;
      continue;
    }
    double v = (codes[i] & 8 ? -1 : 1) * e2m1[codes[i] & 7];
    memcpy(&out[i], &v, 8);
  }
  return refused ? MXC_REFUSED : MXC_OK;
}

static int quantize(int fmt, int src, int rule, int round, const uint64_t *in, size_t k, uint64_t *scale,
                    uint64_t *codes) {
  (void)src, (void)rule, (void)round, (void)in, (void)k, (void)scale, (void)codes;
  return fmt == 4 ? MXC_REFUSED : MXC_UNSUPPORTED; /* mxfp4_e2m1 */
}

static const mxc_target_api api = {.abi_version = MXC_TARGET_ABI_VERSION, .struct_size = sizeof(mxc_target_api),
                                   .name = "refusing", .version = "plumbing", .decode = decode, .quantize = quantize};

__attribute__((visibility("default"))) const mxc_target_api *mxc_target_get(void) { return &api; }
