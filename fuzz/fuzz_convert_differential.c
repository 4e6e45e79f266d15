/* fuzz_convert_differential — property: libmxref's scalar conversion equals the MPFR
 * oracle's, bit for bit, for every source format, element/scale format, rounding mode
 * (sr with its random word and sr_bits), overflow rule and special-value knob:
 *
 *     mxref_convert_one(dst, src, bits, o, r) == mxo_convert(dst, src, bits, o, r)
 *
 * Input layout (missing bytes read as 0):
 *   [0] source format (f32 bf16 f16 f64, mod 4)   [1] destination (e4m3 .. e8m0, mod 7)
 *   [2..13] the scalar knobs in mx_knob_table order (round, sr_bits, overflow, nan_sign, ...)
 *   [14..17] the sr random word (little-endian)
 *   then up to 8 values, each: a mode byte (raw bits, special, or a value built around the
 *   destination's rounding boundaries: ties, just above/below, subnormal edges) and its bytes.
 */
#include "fuzz_common.h"
#include "mxconform/mxref.h"
#include "oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz f = {data, size};
  mx_fmt src = fz_sources[fz_pick(&f, 4)];
  mx_fmt dst = fz_elements[fz_pick(&f, 7)];
  mx_convert_opts o;
  fz_convert_opts(&f, &o);
  uint32_t r = (uint32_t)fz_le(&f, 4);
  for (int i = 0; i < 8 && (i == 0 || f.n); i++) {
    uint64_t bits = fz_value(&f, src, dst, 0);
    uint32_t ref = mxref_convert_one(dst, src, bits, &o, r);
    uint32_t orc = mxo_convert(dst, src, bits, &o, r);
    if (ref != orc) {
      fprintf(stderr, "mxref_convert_one != mxo_convert: src %s bits 0x%0*llx -> %s: reference 0x%02x, oracle 0x%02x\n",
              mx_format(src)->name, mx_format(src)->bits / 4, (unsigned long long)bits, mx_format(dst)->name, ref,
              orc);
      fprintf(stderr, "reproduce: mxconform convert --from %s --to %s --impl both --sr-random 0x%08x",
              mx_format(src)->name, mx_format(dst)->name, r);
      fz_print_opts(&o);
      fprintf(stderr, " 0x%llx\n", (unsigned long long)bits);
      FZ_FAIL(data, size, "convert differential");
    }
    r = r * 0x9E3779B9u + 1; /* another random word for the next value */
  }
  return 0;
}
