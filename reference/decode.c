/* libmxref decode: element/scale code -> exact f32/f64 bit pattern, by integer logic. */
#include <string.h>

#include "avx2.h"
#include "dispatch.h"
#include "internal.h"
#include "mxconform/mxref.h"

/* Pack sign * sig * 2^exp into IEEE format `t` (f32 or f64). The caller guarantees the
 * value is exactly representable (every MX element and scale value is, in both). */
static uint64_t pack_exact(const mx_format_desc *t, int sign, uint64_t sig, int exp) {
  uint64_t s = (uint64_t)sign << (t->bits - 1);
  if (sig == 0) return s;
  int p = mxr_bitlen_minus1(sig);
  int e = exp + p;
  if (e >= t->emin) {
    uint64_t frac = (sig << (t->mbits - p)) & (((uint64_t)1 << t->mbits) - 1);
    return s | ((uint64_t)(e + t->bias) << t->mbits) | frac;
  }
  return s | (sig << (exp - (t->emin - t->mbits))); /* subnormal in t */
}

static uint64_t decode_to(const mx_format_desc *t, mx_fmt fmt, uint32_t code) {
  const mx_format_desc *d = mx_format(fmt);
  uint64_t tsign1 = (uint64_t)1 << (t->bits - 1);
  uint64_t texp = (((uint64_t)1 << t->ebits) - 1) << t->mbits;
  uint64_t tquiet = (uint64_t)1 << (t->mbits - 1);
  int sign = mx_code_sign(fmt, code);
  switch (mx_classify(fmt, code)) {
  case MX_CLASS_NAN: return (sign ? tsign1 : 0) | texp | tquiet;
  case MX_CLASS_INF: return (sign ? tsign1 : 0) | texp;
  default: break;
  }
  code &= (uint32_t)((1u << d->bits) - 1);
  switch (d->kind) {
  case MX_KIND_INT: {
    int q = (int)(int8_t)(uint8_t)code;
    return pack_exact(t, q < 0, (uint64_t)(q < 0 ? -q : q), d->int_scale_log2);
  }
  case MX_KIND_SCALE: return pack_exact(t, 0, 1, (int)code - d->bias);
  case MX_KIND_FLOAT:
  default: {
    uint32_t mant = code & ((1u << d->mbits) - 1);
    uint32_t ef = (code >> d->mbits) & ((1u << d->ebits) - 1);
    if (ef == 0) return pack_exact(t, sign, mant, d->emin - d->mbits);
    return pack_exact(t, sign, mant | (1u << d->mbits), (int)ef - d->bias - d->mbits);
  }
  }
}

uint32_t mxref_decode_f32_bits(mx_fmt fmt, uint32_t code) { return (uint32_t)decode_to(mx_format(MX_F32), fmt, code); }
uint64_t mxref_decode_f64_bits(mx_fmt fmt, uint32_t code) { return decode_to(mx_format(MX_F64), fmt, code); }

/* Arrays: an element format has at most 256 codes, so long arrays decode each code once
 * into a table and then only look up (the table holds exactly what the scalar decode gives;
 * codes are masked to the format's width, as the scalar decode does). */
void mxref_decode_f32(mx_fmt fmt, const uint8_t *codes, float *out, size_t n) {
  const unsigned ncodes = 1u << mx_format(fmt)->bits;
  if (n < 64) {
    for (size_t i = 0; i < n; i++) {
      uint32_t b = mxref_decode_f32_bits(fmt, codes[i]);
      memcpy(&out[i], &b, sizeof b);
    }
    return;
  }
  uint32_t table[256]; /* bit patterns: copied as bits, so NaN payloads survive */
  for (unsigned c = 0; c < ncodes; c++) table[c] = mxref_decode_f32_bits(fmt, c);
  size_t i = 0;
#if MXR_HAVE_AVX2
  if (mxr_use_avx2()) {
    /* the kernel indexes all 256 entries: repeat the table for codes wider than the format */
    int block = -1;
    for (int b = 0; b < MX_BLOCK_FMT_COUNT; b++)
      if (mx_block_element((mx_block_fmt)b) == fmt) block = b;
    if (block >= 0) {
      i = mxr_avx2_decode_elements((mx_block_fmt)block, codes, (uint32_t *)(void *)out, n);
    } else {
      for (unsigned c = ncodes; c < 256; c++) table[c] = table[c & (ncodes - 1)];
      i = mxr_avx2_decode_f32(table, codes, (uint32_t *)(void *)out, n);
    }
  }
#endif
  for (; i < n; i++) memcpy(&out[i], &table[codes[i] & (ncodes - 1)], sizeof(uint32_t));
}

void mxref_decode_f64(mx_fmt fmt, const uint8_t *codes, double *out, size_t n) {
  const unsigned ncodes = 1u << mx_format(fmt)->bits;
  if (n < 64) {
    for (size_t i = 0; i < n; i++) {
      uint64_t b = mxref_decode_f64_bits(fmt, codes[i]);
      memcpy(&out[i], &b, sizeof b);
    }
    return;
  }
  uint64_t table[256];
  for (unsigned c = 0; c < ncodes; c++) table[c] = mxref_decode_f64_bits(fmt, c);
  for (size_t i = 0; i < n; i++) memcpy(&out[i], &table[codes[i] & (ncodes - 1)], sizeof(uint64_t));
}
