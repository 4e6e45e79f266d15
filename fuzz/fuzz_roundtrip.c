/* fuzz_roundtrip — property: decoding then encoding is the identity, and so is packing
 * then unpacking.
 *
 *  1. For every non-NaN code c of every element/scale format, in every rounding mode (sr with
 *     any random word and sr_bits), either overflow rule and any special-value knob:
 *         mxref_convert_one(fmt, SRC, decode(c)) == c
 *     where decode(c) is mxref_decode_f64_bits(c) narrowed to the source format SRC (f64
 *     always; f32, bf16, f16 whenever the value is exactly representable there). -0 stays -0.
 *     Knobs that by definition map an exact value elsewhere are pinned: an Inf code needs
 *     overflow=ovf or inf_sat=special (else Inf saturates to max, OFP8 Table 3), INT8
 *     0x80 (-2) needs int8_range=twos, and a value that is subnormal in the source format
 *     (E8M0 0x00 = 2^-127 in f32, E5M2 subnormals in f16) needs src_subnormals=exact.
 *  2. mxref_unpack(mxref_pack(codes)) == codes for every block format and layout that
 *     applies, n = 1..64.
 *
 * Input layout: [0] format (7 element/scale formats) [1] code [2] source [3..14] scalar
 * knobs [15..18] sr random word, then [19] block format [20] layout [21] n-1 and the codes.
 */
#include <math.h>

#include "fuzz_common.h"
#include "mxconform/block.h"
#include "mxconform/mxref.h"

static double f64_of(uint64_t b) {
  double d;
  memcpy(&d, &b, sizeof d);
  return d;
}

/* Exact narrowing of a double to source format `src`; 0 when not representable. */
static int narrow(double v, mx_fmt src, uint64_t *out) {
  const mx_format_desc *d = mx_format(src);
  uint64_t sign = signbit(v) ? 1ull << (d->bits - 1) : 0;
  double a = fabs(v);
  if (isinf(a)) {
    *out = sign | (fz_mask(d->ebits) << d->mbits);
    return 1;
  }
  if (a == 0) {
    *out = sign;
    return 1;
  }
  int e = ilogb(a);
  int emin = 1 - d->bias, emax = d->bias;
  if (e > emax) return 0;
  int lsb = (e < emin ? emin : e) - d->mbits; /* exponent of the last place */
  double m = ldexp(a, -lsb);                  /* exact: a power-of-two scaling */
  if (m != floor(m) || m > 2 * ldexp(1.0, d->mbits)) return 0;
  uint64_t sig = (uint64_t)m;
  if (e < emin) *out = sign | sig; /* subnormal */
  else *out = sign | ((uint64_t)(e + d->bias) << d->mbits) | (sig & fz_mask(d->mbits));
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz f = {data, size};
  mx_fmt fmt = fz_elements[fz_pick(&f, 7)];
  const mx_format_desc *d = mx_format(fmt);
  uint32_t code = fz_u8(&f) & (uint32_t)fz_mask(d->bits);
  mx_fmt src = fz_sources[fz_pick(&f, 4)];
  mx_convert_opts o;
  fz_convert_opts(&f, &o);
  uint32_t r = (uint32_t)fz_le(&f, 4);

  /* 1. decode -> encode */
  mx_class cls = mx_classify(fmt, code);
  if (cls != MX_CLASS_NAN) {
    if (cls == MX_CLASS_INF && o.overflow == MX_SAT) o.inf_sat = MX_INF_SAT_SPECIAL;
    if (fmt == MX_INT8 && code == 0x80) o.int8_range = MX_INT8_TWOS;
    uint64_t b64 = mxref_decode_f64_bits(fmt, code), bits;
    if (!narrow(f64_of(b64), src, &bits)) src = MX_F64, bits = b64;
    const mx_format_desc *sd = mx_format(src);
    if (((bits >> sd->mbits) & fz_mask(sd->ebits)) == 0 && (bits & fz_mask(sd->mbits)))
      o.src_subnormals = MX_SUBN_EXACT; /* flush would make it a zero on purpose */
    uint32_t back = mxref_convert_one(fmt, src, bits, &o, r);
    if (back != code) {
      fprintf(stderr, "%s code 0x%02x decodes to %a (%s 0x%llx) and converts back to 0x%02x\n", d->name, code,
              f64_of(b64), mx_format(src)->name, (unsigned long long)bits, back);
      fprintf(stderr, "reproduce: mxconform convert --from %s --to %s --impl both --sr-random 0x%08x",
              mx_format(src)->name, d->name, r);
      fz_print_opts(&o);
      fprintf(stderr, " 0x%llx\n", (unsigned long long)bits);
      FZ_FAIL(data, size, "decode -> encode is not the identity");
    }
  }

  /* 2. pack -> unpack */
  mx_block_fmt bf = (mx_block_fmt)fz_pick(&f, MX_BLOCK_FMT_COUNT);
  mx_pack_layout lay = (mx_pack_layout)fz_pick(&f, MX_PACK_LAYOUT_COUNT);
  size_t n = 1 + fz_pick(&f, 64);
  uint8_t codes[64], packed[72], back[64];
  uint8_t m = (uint8_t)fz_mask(mx_format(mx_block_element(bf))->bits);
  for (size_t i = 0; i < n; i++) codes[i] = fz_u8(&f) & m;
  size_t want = mx_packed_size(bf, lay, n);
  size_t np = mxref_pack(bf, lay, codes, n, packed);
  if (np != want) FZ_FAIL(data, size, "mxref_pack %s %s n %zu wrote %zu bytes, mx_packed_size says %zu",
                          mx_block_fmt_names[bf], mx_pack_layout_names[lay], n, np, want);
  if (!np) return 0;
  memset(back, 0xEE, sizeof back);
  size_t nu = mxref_unpack(bf, lay, packed, n, back);
  if (nu != np || memcmp(codes, back, n)) {
    size_t i = 0;
    while (i + 1 < n && codes[i] == back[i]) i++;
    FZ_FAIL(data, size, "unpack(pack(codes)) != codes: %s %s n %zu: code %zu 0x%02x came back 0x%02x (%zu/%zu bytes)",
            mx_block_fmt_names[bf], mx_pack_layout_names[lay], n, i, codes[i], back[i], nu, np);
  }
  return 0;
}
