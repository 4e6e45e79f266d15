/* fuzz_quantize_differential — property: libmxref's block layer is the oracle's block
 * layer, and what it quantizes meets the spec's error bound.
 *
 *  1. mxref_quantize_block == mxo_quantize_block: the scale byte, and every code unless the
 *     scale is 0xFF (NaN: the codes are don't-cares, MX §5.1).
 *  2. Bound: for each finite input V_i (after src_subnormals), the dequantized value
 *     v_i = X * P_i satisfies |v_i - V_i| <= ulp_elem(V_i / X) * X (one element ulp of the
 *     binade of V_i / X, whatever the rounding mode), or it saturated: |V_i / X| > max_elem
 *     and P_i is max_elem with V_i's sign (or, under overflow=ovf, the format's Inf/NaN).
 *  3. mxref_dequantize_block == mxo_dequantize_block (any NaN matches any NaN), for the
 *     quantized block and for a raw (scale, codes) block taken from the input bytes.
 *  4. For every layout that applies: mxref_pack == mxo_pack (length and bytes),
 *     unpack(pack(codes)) == codes for both implementations, and mxref_unpack ==
 *     mxo_unpack on raw bytes.
 *  5. Code paths: 1-4 run on MXREF_PATH_SCALAR. When the CPU has AVX2
 *     (mxref_path_supported(MXREF_PATH_AVX2)), mxref_quantize_block on MXREF_PATH_AVX2
 *     gives the same scale and codes (all of them, NaN scale included), and
 *     mxref_dequantize_block on the AVX2 path gives the same bits as on the scalar path for
 *     the quantized block and the raw block, to each of f32, bf16 and f64; mxref_pack of the
 *     codes and mxref_unpack of raw bytes give the same bytes and lengths on both paths, in
 *     every layout. Inputs and outputs are exactly sized heap buffers (ASan sees a kernel
 *     reading or writing past the end). The path in use
 *     before the run is restored afterwards.
 *
 * Input layout (missing bytes read as 0): [0] block format [1] source format [2] scale rule
 * [3] nan_block [4] inf_block [5] zero_block [6] scale_overflow [7] dequant_overflow
 * [8..19] scalar knobs (mx_knob_table order: round, sr_bits, overflow, ...) [20..23] sr seed
 * [24] k: 0..63 -> k = 1 + byte, 64..255 -> k = 8 * (1 + byte % 8) [25] block exponent [26] dequantize destination, then k values
 * (fz_value: raw bits, a special, or a value built around the element's rounding ties at
 * the block's exponent).
 */
#include <math.h>

#include "fuzz_common.h"
#include "mxconform/block.h"
#include "mxconform/mxref.h"
#include "mxconform/profile.h"
#include "oracle_block.h"

#define KMAX 64

static double f64_of(uint64_t b) {
  double d;
  memcpy(&d, &b, sizeof d);
  return d;
}

/* Source bits -> double (exact for every source format; NaN stays NaN). */
static double src_value(mx_fmt src, uint64_t bits) {
  const mx_format_desc *d = mx_format(src);
  if (src == MX_F64) return f64_of(bits);
  int sign = (int)(bits >> (d->bits - 1)) & 1;
  uint64_t e = (bits >> d->mbits) & fz_mask(d->ebits), m = bits & fz_mask(d->mbits);
  double v;
  if (e == fz_mask(d->ebits)) v = m ? NAN : INFINITY;
  else if (e == 0) v = ldexp((double)m, 1 - d->bias - d->mbits);
  else v = ldexp((double)(m | (1ull << d->mbits)), (int)e - d->bias - d->mbits);
  return sign ? -v : v;
}

static int src_is_subnormal(mx_fmt src, uint64_t bits) {
  const mx_format_desc *d = mx_format(src);
  return ((bits >> d->mbits) & fz_mask(d->ebits)) == 0 && (bits & fz_mask(d->mbits)) != 0;
}

static int is_nan_bits(mx_fmt f, uint64_t bits) {
  const mx_format_desc *d = mx_format(f);
  return ((bits >> d->mbits) & fz_mask(d->ebits)) == fz_mask(d->ebits) && (bits & fz_mask(d->mbits)) != 0;
}

static const uint8_t *g_data;
static size_t g_size;

static void report_block(mx_block_fmt bf, mx_fmt src, const mx_block_opts *o, const uint64_t *v, size_t k,
                         const uint32_t *sr) {
  char buf[64];
  mx_profile p;
  mx_profile_builtin("ocp", &p);
  p.o = *o;
  fprintf(stderr, "block: %s from %s, k %zu, rule %s\n", mx_block_fmt_names[bf], mx_format(src)->name, k,
          mx_scale_rule_names[o->rule]);
  fprintf(stderr, "reproduce: mxconform quantize --impl both --fmt %s --from %s", mx_block_fmt_names[bf],
          mx_format(src)->name);
  for (const char *const *key = mx_profile_keys(); *key; key++)
    fprintf(stderr, " --knob %s=%s", *key, mx_profile_get(&p, *key, buf, sizeof buf));
  if (sr) {
    fprintf(stderr, " --sr-random ");
    for (size_t i = 0; i < k; i++) fprintf(stderr, "%s0x%x", i ? "," : "", sr[i]);
  }
  for (size_t i = 0; i < k; i++) fprintf(stderr, " 0x%0*llx", mx_format(src)->bits / 4, (unsigned long long)v[i]);
  fputc('\n', stderr);
}

#define FAIL_BLOCK(...)                                \
  do {                                                 \
    fprintf(stderr, __VA_ARGS__);                      \
    fputc('\n', stderr);                               \
    report_block(bf, src, &o, vals, k, sr);            \
    FZ_FAIL(g_data, g_size, "quantize differential");  \
  } while (0)

static void print_codes(const char *what, const uint8_t *c, size_t n) {
  fprintf(stderr, "%s:", what);
  for (size_t i = 0; i < n; i++) fprintf(stderr, " %02x", c[i]);
  fputc('\n', stderr);
}

/* Dequantize with both and compare; 0 when equal. */
static int dequant_differs(mx_block_fmt bf, uint8_t scale, const uint8_t *codes, size_t k, mx_fmt dst,
                           const mx_block_opts *o, size_t *at, uint64_t *ref_out, uint64_t *orc_out) {
  union {
    uint16_t h[KMAX];
    uint32_t w[KMAX];
    uint64_t d[KMAX];
  } r;
  mxref_dequantize_block(bf, scale, codes, k, dst, o, &r);
  mxo_dequantize_block(bf, scale, codes, k, dst, o, orc_out);
  int bits = mx_format(dst)->bits;
  for (size_t i = 0; i < k; i++) {
    ref_out[i] = bits == 16 ? r.h[i] : bits == 32 ? r.w[i] : r.d[i];
    int same = is_nan_bits(dst, orc_out[i]) ? is_nan_bits(dst, ref_out[i]) : ref_out[i] == orc_out[i];
    if (!same) {
      *at = i;
      return 1;
    }
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  g_data = data;
  g_size = size;
  mxref_path saved = mxref_get_path();
  mxref_set_path(MXREF_PATH_SCALAR);
  fz f = {data, size};
  mx_block_fmt bf = (mx_block_fmt)fz_pick(&f, MX_BLOCK_FMT_COUNT);
  mx_fmt src = fz_sources[fz_pick(&f, 4)];
  mx_fmt elem = mx_block_element(bf);
  const mx_format_desc *ed = mx_format(elem);
  mx_block_opts o;
  mx_block_opts_default(&o);
  o.rule = (mx_scale_rule)fz_pick(&f, MX_RULE_COUNT);
  o.nan_block = (mx_nan_block)fz_pick(&f, 2);
  o.inf_block = (mx_inf_block)fz_pick(&f, 3);
  o.zero_block = (mx_zero_block)fz_pick(&f, 2);
  o.scale_overflow = (mx_scale_overflow)fz_pick(&f, 2);
  o.dequant_overflow = (mx_dequant_overflow)fz_pick(&f, 2);
  fz_convert_opts(&f, &o.elem);
  uint64_t seed = fz_le(&f, 4);
  /* k: a byte below 64 gives 1 + byte (any k); 64 and up a multiple of 8 (8 .. 64), the
   * sizes the AVX2 kernels take */
  uint8_t kb = fz_u8(&f);
  size_t k = kb < KMAX ? 1u + kb : 8u * (1u + kb % 8u);
  /* the block's exponent: the elements see exponents around the element's range shifted
   * by this much (so the whole block sits anywhere from the f64 bottom to the top) */
  int shift = (int)(int8_t)fz_u8(&f);
  if (src != MX_F64) shift /= 4;
  mx_fmt dq = (mx_fmt[]){MX_F32, MX_BF16, MX_F64}[fz_pick(&f, 3)];

  uint64_t vals[KMAX];
  union {
    uint16_t h[KMAX];
    uint32_t w[KMAX];
    uint64_t d[KMAX];
  } in;
  int bits = mx_format(src)->bits;
  for (size_t i = 0; i < k; i++) {
    vals[i] = fz_value(&f, src, elem, shift) & fz_mask(bits);
    if (bits == 16) in.h[i] = (uint16_t)vals[i];
    else if (bits == 32) in.w[i] = (uint32_t)vals[i];
    else in.d[i] = vals[i];
  }
  uint32_t srw[KMAX], *sr = NULL;
  if (o.elem.round == MX_SR) {
    for (size_t i = 0; i < k; i++) srw[i] = (uint32_t)fz_mix(&seed);
    sr = srw;
  }

  /* exactly k values on the heap: a kernel that reads past the block is an ASan error */
  void *hin = malloc(k * (size_t)(bits / 8));
  if (!hin) abort();
  memcpy(hin, &in, k * (size_t)(bits / 8));

  /* 1. quantize: reference == oracle */
  uint8_t rs, rc[KMAX], os, oc[KMAX];
  mxref_quantize_block(bf, src, hin, k, &o, sr, &rs, rc);
  mxo_quantize_block(bf, src, vals, k, &o, sr, &os, oc);
  if (rs != os) FAIL_BLOCK("scale: reference 0x%02x, oracle 0x%02x", rs, os);
  if (rs != 0xFF && memcmp(rc, oc, k)) {
    size_t i = 0;
    while (rc[i] == oc[i]) i++;
    print_codes("reference codes", rc, k);
    print_codes("oracle codes   ", oc, k);
    FAIL_BLOCK("element %zu (input 0x%llx): reference code 0x%02x, oracle code 0x%02x (scale 0x%02x)", i,
               (unsigned long long)vals[i], rc[i], oc[i], rs);
  }

  /* 2. the error bound */
  if (rs != 0xFF) {
    int s = (int)rs - 127;
    double maxe = f64_of(mxref_decode_f64_bits(elem, (uint32_t)ed->max_code));
    for (size_t i = 0; i < k; i++) {
      double v = src_value(src, vals[i]);
      if (isnan(v) || isinf(v)) continue; /* specials follow the knobs, not the bound */
      if (o.elem.src_subnormals == MX_SUBN_FLUSH && src_is_subnormal(src, vals[i])) v = copysign(0.0, v);
      double q = ldexp(v, -s); /* V_i / X */
      double p = f64_of(mxref_decode_f64_bits(elem, rc[i]));
      int ulp_e = q == 0 ? fz_ulp_exp(elem, fz_bottom_binade(elem)) : fz_ulp_exp(elem, ilogb(q));
      double ulp = ldexp(1.0, ulp_e);
      if (isfinite(p) && fabs(p - q) <= ulp) continue;
      /* saturation: +max, and -max or (MXINT8, two's complement range) -2 = code 0x80 */
      double sat = q > 0 ? maxe : (elem == MX_INT8 && o.elem.int8_range == MX_INT8_TWOS) ? -2.0 : -maxe;
      if (fabs(q) > maxe && (p == sat || (o.elem.overflow == MX_OVF && !isfinite(p)))) continue;
      FAIL_BLOCK("bound: element %zu: V/X = %a (input 0x%llx, scale 0x%02x), code 0x%02x = %a, |error| %a > ulp %a",
                 i, q, (unsigned long long)vals[i], rs, rc[i], p, fabs(p - q), ulp);
    }
  }

  /* 3. dequantize: reference == oracle, on the quantized block and on raw bytes */
  uint64_t dr[KMAX], dor[KMAX];
  size_t at;
  if (dequant_differs(bf, rs, rc, k, dq, &o, &at, dr, dor))
    FAIL_BLOCK("dequantize to %s, scale 0x%02x, element %zu code 0x%02x: reference 0x%llx, oracle 0x%llx",
               mx_format(dq)->name, rs, at, rc[at], (unsigned long long)dr[at], (unsigned long long)dor[at]);
  uint8_t raw[KMAX], rscale = size ? data[size - 1] : 0;
  for (size_t i = 0; i < k; i++) raw[i] = (uint8_t)(size ? data[(i * 7 + 3) % size] : 0) & (uint8_t)fz_mask(ed->bits);
  if (dequant_differs(bf, rscale, raw, k, dq, &o, &at, dr, dor)) {
    print_codes("codes", raw, k);
    FAIL_BLOCK("dequantize (raw block) to %s, scale 0x%02x, element %zu code 0x%02x: reference 0x%llx, oracle 0x%llx",
               mx_format(dq)->name, rscale, at, raw[at], (unsigned long long)dr[at], (unsigned long long)dor[at]);
  }

  /* 4. packing */
  for (int l = 0; l < MX_PACK_LAYOUT_COUNT; l++) {
    mx_pack_layout lay = (mx_pack_layout)l;
    size_t want = mx_packed_size(bf, lay, k);
    uint8_t pr[KMAX + 8], po[KMAX + 8], ur[KMAX], uo[KMAX];
    memset(pr, 0xA5, sizeof pr);
    memset(po, 0x5A, sizeof po);
    size_t nr = mxref_pack(bf, lay, rc, k, pr), no = mxo_pack(bf, lay, rc, k, po);
    if (nr != want || no != want)
      FAIL_BLOCK("pack %s: mx_packed_size %zu, mxref_pack %zu, mxo_pack %zu", mx_pack_layout_names[l], want, nr, no);
    if (!want) continue;
    if (memcmp(pr, po, want)) {
      print_codes("codes          ", rc, k);
      print_codes("mxref_pack     ", pr, want);
      print_codes("mxo_pack       ", po, want);
      FAIL_BLOCK("pack %s: bytes differ", mx_pack_layout_names[l]);
    }
    size_t ar = mxref_unpack(bf, lay, pr, k, ur), ao = mxo_unpack(bf, lay, pr, k, uo);
    if (ar != want || ao != want || memcmp(ur, rc, k) || memcmp(uo, rc, k)) {
      print_codes("codes          ", rc, k);
      print_codes("mxref_unpack   ", ur, k);
      print_codes("mxo_unpack     ", uo, k);
      FAIL_BLOCK("unpack(pack(codes)) != codes in layout %s (read %zu / %zu of %zu bytes)", mx_pack_layout_names[l], ar,
                 ao, want);
    }
    /* raw bytes: the two unpackers agree on arbitrary bytes (padding bits included) */
    uint8_t rb[KMAX + 8];
    for (size_t i = 0; i < want; i++) rb[i] = size ? data[(i * 5 + 1) % size] : 0;
    ar = mxref_unpack(bf, lay, rb, k, ur);
    ao = mxo_unpack(bf, lay, rb, k, uo);
    if (ar != ao || memcmp(ur, uo, k)) {
      print_codes("bytes          ", rb, want);
      print_codes("mxref_unpack   ", ur, k);
      print_codes("mxo_unpack     ", uo, k);
      FAIL_BLOCK("unpack of raw bytes differs in layout %s", mx_pack_layout_names[l]);
    }
  }

  /* 5. the AVX2 path against the scalar path */
  if (mxref_path_supported(MXREF_PATH_AVX2)) {
    uint8_t as, ac[KMAX];
    memset(ac, 0xA5, sizeof ac);
    mxref_set_path(MXREF_PATH_AVX2);
    mxref_quantize_block(bf, src, hin, k, &o, sr, &as, ac);
    mxref_set_path(MXREF_PATH_SCALAR);
    if (as != rs || memcmp(ac, rc, k)) {
      print_codes("scalar path codes", rc, k);
      print_codes("avx2 path codes  ", ac, k);
      FAIL_BLOCK("mxref_quantize_block: scalar path scale 0x%02x, avx2 path scale 0x%02x (codes above; MXREF_PATH=scalar|avx2)",
                 rs, as);
    }
    static const mx_fmt dsts[3] = {MX_F32, MX_BF16, MX_F64};
    for (int pass = 0; pass < 2; pass++) {
      uint8_t sc = pass ? rscale : rs;
      const uint8_t *cs = pass ? raw : rc;
      uint8_t *hc = malloc(k);
      if (!hc) abort();
      memcpy(hc, cs, k);
      for (int d = 0; d < 3; d++) {
        int db = mx_format(dsts[d])->bits / 8;
        char *os_ = malloc(k * (size_t)db), *oa = malloc(k * (size_t)db);
        if (!os_ || !oa) abort();
        memset(os_, 0x11, k * (size_t)db);
        memset(oa, 0x22, k * (size_t)db);
        mxref_dequantize_block(bf, sc, hc, k, dsts[d], &o, os_);
        mxref_set_path(MXREF_PATH_AVX2);
        mxref_dequantize_block(bf, sc, hc, k, dsts[d], &o, oa);
        mxref_set_path(MXREF_PATH_SCALAR);
        for (size_t i = 0; i < k; i++) {
          uint64_t x = 0, y = 0;
          memcpy(&x, os_ + i * (size_t)db, (size_t)db);
          memcpy(&y, oa + i * (size_t)db, (size_t)db);
          if (x != y) {
            print_codes("codes", hc, k);
            FAIL_BLOCK("mxref_dequantize_block (%s block) to %s, scale 0x%02x, element %zu code 0x%02x: scalar path 0x%llx, "
                       "avx2 path 0x%llx (MXREF_PATH=scalar|avx2)",
                       pass ? "raw" : "quantized", mx_format(dsts[d])->name, sc, i, hc[i], (unsigned long long)x,
                       (unsigned long long)y);
          }
        }
        free(os_);
        free(oa);
      }
      free(hc);
    }
    /* packing on both paths: the quantized codes, and unpacking raw bytes */
    for (int l = 0; l < MX_PACK_LAYOUT_COUNT; l++) {
      mx_pack_layout lay = (mx_pack_layout)l;
      size_t want = mx_packed_size(bf, lay, k);
      if (!want) continue;
      uint8_t *ps = malloc(want), *pa = malloc(want), *us = malloc(k), *ua = malloc(k), *rb = malloc(want);
      if (!ps || !pa || !us || !ua || !rb) abort();
      memset(ps, 0xA5, want);
      memset(pa, 0x5A, want);
      size_t ns = mxref_pack(bf, lay, rc, k, ps);
      mxref_set_path(MXREF_PATH_AVX2);
      size_t na = mxref_pack(bf, lay, rc, k, pa);
      mxref_set_path(MXREF_PATH_SCALAR);
      if (ns != na || memcmp(ps, pa, want)) {
        print_codes("codes          ", rc, k);
        print_codes("scalar path    ", ps, want);
        print_codes("avx2 path      ", pa, want);
        FAIL_BLOCK("mxref_pack %s: scalar path %zu bytes, avx2 path %zu bytes (MXREF_PATH=scalar|avx2)",
                   mx_pack_layout_names[l], ns, na);
      }
      for (size_t i = 0; i < want; i++) rb[i] = size ? data[(i * 11 + 2) % size] : (uint8_t)i;
      memset(us, 0xA5, k);
      memset(ua, 0x5A, k);
      ns = mxref_unpack(bf, lay, rb, k, us);
      mxref_set_path(MXREF_PATH_AVX2);
      na = mxref_unpack(bf, lay, rb, k, ua);
      mxref_set_path(MXREF_PATH_SCALAR);
      if (ns != na || memcmp(us, ua, k)) {
        print_codes("bytes          ", rb, want);
        print_codes("scalar path    ", us, k);
        print_codes("avx2 path      ", ua, k);
        FAIL_BLOCK("mxref_unpack %s of raw bytes: scalar path read %zu, avx2 path %zu (MXREF_PATH=scalar|avx2)",
                   mx_pack_layout_names[l], ns, na);
      }
      free(ps);
      free(pa);
      free(us);
      free(ua);
      free(rb);
    }
  }
  free(hin);
  mxref_set_path(saved);
  return 0;
}
