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
 *
 * Code paths: when the CPU has AVX2 (mxref_path_supported(MXREF_PATH_AVX2)), the array entry
 * points run on MXREF_PATH_SCALAR and on MXREF_PATH_AVX2 (SIMD kernels only engage on
 * arrays): an array of 64 values made from the input (each fuzzed value, its negation, its
 * neighbours one bit pattern up and down, and its low bits replaced by every tie pattern of
 * fz_make) goes through mxref_convert on both paths, starting at an offset of 0..7
 * elements, with n = 57..64 (so kernels see every tail length), and every code must be
 * mxref_convert_one's on the scalar path. The codes, followed by 64 raw input bytes (high
 * bits set too; n + 64 >= 121 takes the table path), are then decoded with mxref_decode_f32
 * and mxref_decode_f64 on both paths and must be mxref_decode_f32_bits /
 * mxref_decode_f64_bits of each code, bit for bit (NaN payloads too). The oracle is compared (for the fuzzed values) on the scalar path. The path in use before the run is
 * restored afterwards. Buffers are exactly sized heap copies (ASan sees overruns).
 */
#include "fuzz_common.h"
#include "mxconform/mxref.h"
#include "oracle.h"

#define NARR 64

static const uint8_t *g_data;
static size_t g_size;

static uint64_t load_src(const void *buf, int bytes, size_t i) {
  uint64_t v = 0;
  memcpy(&v, (const char *)buf + i * (size_t)bytes, (size_t)bytes); /* little-endian host */
  return v;
}

static void store_src(void *buf, int bytes, size_t i, uint64_t v) { memcpy((char *)buf + i * (size_t)bytes, &v, (size_t)bytes); }

static void report_array(mx_fmt src, mx_fmt dst, const mx_convert_opts *o, uint64_t bits, uint32_t r) {
  fprintf(stderr, "reproduce: MXREF_PATH=scalar|avx2 mxconform convert --from %s --to %s --impl both --sr-random 0x%08x",
          mx_format(src)->name, mx_format(dst)->name, r);
  fz_print_opts(o);
  fprintf(stderr, " 0x%llx\n", (unsigned long long)bits);
}

/* Both paths over an array built from the fuzzed values (see the header). */
static void check_paths(mx_fmt src, mx_fmt dst, const mx_convert_opts *o, const uint64_t *vals, int nv, uint32_t r0,
                        unsigned off, unsigned tail) {
  const mx_format_desc *sd = mx_format(src);
  int bytes = sd->bits / 8;
  uint64_t arr[NARR];
  for (int i = 0; i < NARR; i++) {
    uint64_t v = vals[i % nv];
    switch ((i / nv) % 8) {
    case 0: break;
    case 1: v ^= 1ull << (sd->bits - 1); break; /* negation */
    case 2: v += 1; break;                      /* next bit pattern */
    case 3: v -= 1; break;
    default: { /* the bits below the element's last place: tie patterns 1..4 */
      int ex = (int)((v >> sd->mbits) & fz_mask(sd->ebits)) - sd->bias;
      v = fz_make(src, (int)(v >> (sd->bits - 1)) & 1, ex, fz_ulp_exp(dst, ex), (i / nv) % 8 - 3, v);
      break;
    }
    }
    arr[i] = v & fz_mask(sd->bits);
  }
  size_t n = NARR - (size_t)(tail & 7u); /* 57 .. 64 */
  /* off unused leading elements: the array starts at an arbitrary element alignment */
  char *in = malloc((size_t)(off + n) * (size_t)bytes);
  uint8_t *out_s = malloc(n), *out_a = malloc(n);
  uint32_t *rnd = malloc(n * sizeof *rnd);
  float *fs = malloc((n + 64) * sizeof *fs), *fa = malloc((n + 64) * sizeof *fa);
  double *ds = malloc((n + 64) * sizeof *ds), *da = malloc((n + 64) * sizeof *da);
  if (!in || !out_s || !out_a || !rnd || !fs || !fa || !ds || !da) abort();
  for (unsigned i = 0; i < off; i++) store_src(in, bytes, i, 0);
  void *src_vals = in + (size_t)off * (size_t)bytes;
  uint32_t rr = r0;
  for (size_t i = 0; i < n; i++) {
    store_src(src_vals, bytes, i, arr[i]);
    rnd[i] = rr;
    rr = rr * 0x9E3779B9u + 1;
  }
  memset(out_s, 0xA5, n);
  memset(out_a, 0x5A, n);
  mxref_set_path(MXREF_PATH_SCALAR);
  mxref_convert(dst, src, src_vals, out_s, n, o, rnd);
  mxref_set_path(MXREF_PATH_AVX2);
  mxref_convert(dst, src, src_vals, out_a, n, o, rnd);
  mxref_set_path(MXREF_PATH_SCALAR);
  for (size_t i = 0; i < n; i++) {
    uint64_t bits = load_src(src_vals, bytes, i);
    uint32_t one = mxref_convert_one(dst, src, bits, o, rnd[i]);
    if (out_s[i] != one || out_a[i] != one) {
      fprintf(stderr,
              "mxref_convert (n %zu, element offset %u) element %zu: src %s bits 0x%0*llx -> %s: scalar path 0x%02x, avx2 path "
              "0x%02x, mxref_convert_one 0x%02x\n",
              n, off, i, sd->name, sd->bits / 4, (unsigned long long)bits, mx_format(dst)->name, out_s[i], out_a[i], one);
      report_array(src, dst, o, bits, rnd[i]);
      FZ_FAIL(g_data, g_size, "convert differential (code paths)");
    }
  }
  /* decode on both paths: the n codes, then 64 raw input bytes (high bits too), so that
   * n + 64 >= 121 codes take the table path */
  size_t nd = n + 64;
  uint8_t *codes = malloc(nd);
  if (!codes) abort();
  memcpy(codes, out_s, n);
  for (size_t i = n; i < nd; i++) codes[i] = g_size ? g_data[(i * 13 + 7) % g_size] : (uint8_t)i;
  mxref_decode_f32(dst, codes, fs, nd);
  mxref_decode_f64(dst, codes, ds, nd);
  mxref_set_path(MXREF_PATH_AVX2);
  mxref_decode_f32(dst, codes, fa, nd);
  mxref_decode_f64(dst, codes, da, nd);
  mxref_set_path(MXREF_PATH_SCALAR);
  for (size_t i = 0; i < nd; i++) {
    uint32_t w = mxref_decode_f32_bits(dst, codes[i]), ws, wa;
    uint64_t d = mxref_decode_f64_bits(dst, codes[i]), dds, dda;
    memcpy(&ws, &fs[i], 4);
    memcpy(&wa, &fa[i], 4);
    memcpy(&dds, &ds[i], 8);
    memcpy(&dda, &da[i], 8);
    if (ws != w || wa != w || dds != d || dda != d) {
      fprintf(stderr,
              "mxref_decode_f32/f64 (n %zu) of %s code 0x%02x (element %zu): f32 scalar 0x%08x avx2 0x%08x want 0x%08x; "
              "f64 scalar 0x%016llx avx2 0x%016llx want 0x%016llx\n",
              nd, mx_format(dst)->name, codes[i], i, ws, wa, w, (unsigned long long)dds, (unsigned long long)dda,
              (unsigned long long)d);
      fprintf(stderr, "reproduce: MXREF_PATH=scalar|avx2 mxconform decode --fmt %s 0x%02x\n", mx_format(dst)->name,
              codes[i]);
      FZ_FAIL(g_data, g_size, "convert differential (decode, code paths)");
    }
  }
  free(codes);
  free(in);
  free(out_s);
  free(out_a);
  free(rnd);
  free(fs);
  free(fa);
  free(ds);
  free(da);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  g_data = data;
  g_size = size;
  fz f = {data, size};
  mx_fmt src = fz_sources[fz_pick(&f, 4)];
  mx_fmt dst = fz_elements[fz_pick(&f, 7)];
  mx_convert_opts o;
  fz_convert_opts(&f, &o);
  uint32_t r = (uint32_t)fz_le(&f, 4);
  uint32_t r0 = r;
  uint64_t vals[8];
  int nv = 0;
  mxref_path saved = mxref_get_path();
  mxref_set_path(MXREF_PATH_SCALAR);
  for (int i = 0; i < 8 && (i == 0 || f.n); i++) {
    uint64_t bits = fz_value(&f, src, dst, 0);
    vals[nv++] = bits;
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
  if (mxref_path_supported(MXREF_PATH_AVX2)) {
    /* offset and tail from the sr word's top bits: no extra input bytes, no layout change */
    check_paths(src, dst, &o, vals, nv, r0, (r0 >> 24) & 7, (r0 >> 27) & 7);
  }
  mxref_set_path(saved);
  return 0;
}
