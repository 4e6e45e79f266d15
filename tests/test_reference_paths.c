/* Every libmxref code path computes the scalar path's bits, on arrays long enough for the
 * SIMD kernels to engage, with the specials and edges the kernels hand back to the scalar
 * code mixed in, and on one and several threads.
 *
 * The scalar path is the one the proofs pin to the oracle (`prove`, `make exhaustive`), so
 * equality here carries those proofs over to every path this CPU runs. Paths the CPU
 * cannot run are reported and skipped. Arguments: [values per case] (default 4096). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mxconform/block.h"
#include "mxconform/mxref.h"

static uint64_t g_rng = 0x243F6A8885A308D3ull;
static uint64_t rnd(void) {
  uint64_t z = (g_rng += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* f32 bit patterns: mostly ordinary values of one block-ish magnitude, with zeros, f32
 * subnormals, huge values, exact ties of the narrow formats, and (when `specials`) NaN and
 * Inf sprinkled so that some groups of 32 fall back to the scalar code. */
static uint32_t draw_f32(int specials) {
  uint64_t r = rnd();
  uint32_t sign = (uint32_t)(r >> 63) << 31;
  switch ((r >> 40) % 16) {
  case 0: return sign; /* +-0 */
  case 1: return sign | (uint32_t)(r & 0x7FFFFF); /* subnormal */
  case 2: return sign | (uint32_t)((254u - (r >> 20) % 4) << 23) | (uint32_t)(r & 0x7FFFFF); /* huge */
  case 3: /* few significant bits: ties and exact values of every element format */
    return sign | (uint32_t)((120u + (r >> 20) % 16) << 23) | (uint32_t)(r & 0x700000) | (uint32_t)((r >> 8) & 1) << 19;
  case 4:
    if (specials && (r >> 12) % 8 == 0) return sign | 0x7F800000u | (uint32_t)((r >> 24) & 1 ? (r & 0x7FFFFF) | 1 : 0);
    /* fall through */
  default: return sign | (uint32_t)((107u + (r >> 20) % 41) << 23) | (uint32_t)(r & 0x7FFFFF); /* 2^-20..2^20 */
  }
}

/* f64 bit patterns: the f32 draws widened exactly, with random low fraction bits (the AVX2
 * path folds the low 29 into a sticky bit), exponents beyond f32's range (overflow, and
 * values far below every unit) and f64 subnormals. */
static uint64_t draw_f64(int specials) {
  uint64_t r = rnd();
  uint32_t f = draw_f32(specials);
  uint64_t sign = (uint64_t)(f >> 31) << 63;
  uint32_t ef = (f >> 23) & 0xFF, mant = f & 0x7FFFFF;
  uint64_t d;
  if (ef == 0xFF) d = sign | 0x7FF0000000000000ull | (uint64_t)mant << 29;
  else if (ef == 0 && mant == 0) d = sign;
  else if (ef == 0) d = sign | (uint64_t)(1023 - 127 - 22 + 63 - __builtin_clzll(mant)) << 52 | (((uint64_t)mant << (52 - (63 - __builtin_clzll(mant)))) & 0xFFFFFFFFFFFFFull);
  else d = sign | (uint64_t)(ef - 127 + 1023) << 52 | (uint64_t)mant << 29;
  switch ((r >> 8) % 8) {
  case 0: return d; /* exactly an f32 value: ties stay ties */
  case 1: return (d & 0x800FFFFFFFFFFFFFull) | ((r >> 20) % 2047) << 52; /* any finite exponent */
  case 2: return sign | (r & 0xFFFFFFFFFFFFFull); /* subnormal or zero */
  case 3: return d | 1; /* just above a tie or an exact value */
  default: return d ^ (r & 0x1FFFFFFFull); /* low bits below f32's precision */
  }
}

static void fill(mx_fmt src, void *buf, size_t n, int specials) {
  for (size_t i = 0; i < n; i++) {
    uint32_t f = draw_f32(specials);
    switch (src) {
    case MX_F32: ((uint32_t *)buf)[i] = f; break;
    case MX_BF16: ((uint16_t *)buf)[i] = (uint16_t)(f >> 16); break;
    case MX_F16: { /* reuse the draw's sign/mantissa bits with an f16 exponent */
      uint64_t r = rnd();
      uint16_t h = (uint16_t)((f >> 16) & 0x8000u) | (uint16_t)(r & 0x3FF);
      unsigned e = (unsigned)((r >> 10) % 32);
      if (!specials && e == 31) e = 30;
      ((uint16_t *)buf)[i] = (uint16_t)(h | e << 10);
      break;
    }
    default: ((uint64_t *)buf)[i] = draw_f64(specials); break;
    }
  }
}

static size_t width(mx_fmt t) { return t == MX_F32 ? 4 : t == MX_F64 ? 8 : 2; }

static const mx_fmt k_sources[] = {MX_F32, MX_BF16, MX_F16, MX_F64};
static const mx_round k_rounds[] = {MX_RNE, MX_RNA, MX_RTZ, MX_RUP, MX_RDN, MX_SR};

/* mxref_convert on the path in use == mxref_convert_one on the scalar path. */
static void check_convert(size_t n, const char *path) {
  void *in = malloc(n * 8);
  uint8_t *out = malloc(n);
  uint32_t *sr = malloc(n * 4);
  for (size_t i = 0; i < n; i++) sr[i] = (uint32_t)rnd();
  for (size_t si = 0; si < sizeof k_sources / sizeof k_sources[0]; si++) {
    mx_fmt src = k_sources[si];
    for (int dst = 0; dst < MX_FMT_COUNT; dst++) {
      if (!mx_format((mx_fmt)dst)->is_element) continue;
      for (size_t ri = 0; ri < sizeof k_rounds / sizeof k_rounds[0]; ri++)
        for (int ovf = 0; ovf < 2; ovf++)
          for (int flush = 0; flush < 2; flush++) {
            mx_convert_opts o;
            mx_convert_opts_default(&o);
            o.round = k_rounds[ri];
            o.overflow = ovf ? MX_OVF : MX_SAT;
            o.src_subnormals = flush ? MX_SUBN_FLUSH : MX_SUBN_EXACT;
            o.e8m0_neg = (mx_e8m0_neg)((ri + (size_t)flush) % 3); /* the E8M0 kernel's knobs */
            o.e8m0_zero = ovf ? MX_E8M0_ZERO_NAN : MX_E8M0_ZERO_MIN;
            o.int8_range = (ri + (size_t)ovf) % 2 ? MX_INT8_SYMMETRIC : MX_INT8_TWOS;
            fill(src, in, n, (ri + ovf) % 2 == 0);
            mxref_convert((mx_fmt)dst, src, in, out, n, &o, sr);
            mxref_set_path(MXREF_PATH_SCALAR);
            size_t bad = 0, first = 0;
            for (size_t i = 0; i < n; i++) {
              uint64_t b = width(src) == 8   ? ((uint64_t *)in)[i]
                           : width(src) == 4 ? ((uint32_t *)in)[i]
                                             : ((uint16_t *)in)[i];
              uint32_t want = mxref_convert_one((mx_fmt)dst, src, b, &o, sr[i]);
              if (want != out[i] && !bad++) first = i;
            }
            mxref_set_path((mxref_path)mxref_path_by_name(path));
            CHECK(bad == 0, "path %s convert %s->%s round=%d ovf=%d flush=%d: %zu differ, first at %zu", path,
                  mx_format(src)->name, mx_format((mx_fmt)dst)->name, (int)o.round, ovf, flush, bad, first);
          }
    }
  }
  free(in);
  free(out);
  free(sr);
}

/* mxref_decode_f32 on the path in use == the scalar decode of each code (all 256 bytes). */
static void check_decode(const char *path) {
  uint8_t codes[1024];
  uint32_t out[1024];
  for (int i = 0; i < 1024; i++) codes[i] = (uint8_t)(i * 37 + (i >> 8));
  for (int f = 0; f < MX_FMT_COUNT; f++) {
    if (!mx_format((mx_fmt)f)->is_element) continue;
    mxref_decode_f32((mx_fmt)f, codes, (float *)(void *)out, 1024);
    size_t bad = 0;
    for (int i = 0; i < 1024; i++)
      bad += out[i] != mxref_decode_f32_bits((mx_fmt)f, codes[i] & ((1u << mx_format((mx_fmt)f)->bits) - 1));
    CHECK(bad == 0, "path %s decode %s: %zu differ", path, mx_format((mx_fmt)f)->name, bad);
  }
}

static mx_pack_layout layouts_of(mx_block_fmt f, mx_pack_layout *out) {
  int n = 0;
  for (int l = 0; l < MX_PACK_LAYOUT_COUNT; l++)
    if (mx_packed_size(f, (mx_pack_layout)l, 32)) out[n++] = (mx_pack_layout)l;
  return (mx_pack_layout)n;
}

/* mxref_quantize / mxref_dequantize (tensor API, packed, threads) on the path in use ==
 * per-block mxref_quantize_block + mxref_pack and mxref_unpack + mxref_dequantize_block on
 * the scalar path. */
static void check_tensor(size_t n, const char *path, int threads) {
  const size_t k = 32, nb = n / k;
  void *in = malloc(n * 8);
  uint8_t *scales = malloc(nb), *packed = malloc(n), *want_codes = malloc(n), *want_packed = malloc(n);
  uint8_t *want_scales = malloc(nb);
  void *dq = malloc(n * 8), *want_dq = malloc(n * 8);
  mxref_set_threads(threads);
  for (int f = 0; f < MX_BLOCK_FMT_COUNT; f++) {
    mx_pack_layout ls[MX_PACK_LAYOUT_COUNT];
    int nl = (int)layouts_of((mx_block_fmt)f, ls);
    for (size_t si = 0; si < sizeof k_sources / sizeof k_sources[0]; si++)
      for (int rule = 0; rule < MX_RULE_COUNT; rule++)
        for (size_t ri = 0; ri < 5; ri++) { /* sr: the tensor API uses random words 0 */
          mx_fmt src = k_sources[si];
          mx_block_opts o;
          mx_block_opts_default(&o);
          o.rule = (mx_scale_rule)rule;
          o.elem.round = k_rounds[ri];
          o.nan_block = ri % 2 ? MX_NANB_IGNORE : MX_NANB_NAN_SCALE;
          o.inf_block = (mx_inf_block)(ri % 3);
          o.elem.src_subnormals = rule % 2 ? MX_SUBN_FLUSH : MX_SUBN_EXACT;
          mx_pack_layout l = ls[(rule + (int)ri) % nl];
          fill(src, in, n, rule % 2 == 0);
          int rc = mxref_quantize((mx_block_fmt)f, src, in, n, k, &o, l, scales, packed);
          mxref_set_path(MXREF_PATH_SCALAR);
          for (size_t b = 0; b < nb; b++)
            mxref_quantize_block((mx_block_fmt)f, src, (const char *)in + b * k * width(src), k, &o, NULL,
                                 &want_scales[b], want_codes + b * k);
          size_t bytes = mxref_pack((mx_block_fmt)f, l, want_codes, n, want_packed);
          mxref_set_path((mxref_path)mxref_path_by_name(path));
          CHECK(rc == 0 && memcmp(scales, want_scales, nb) == 0 && memcmp(packed, want_packed, bytes) == 0,
                "path %s threads %d quantize %s from %s rule %d round %d layout %s: differs from the scalar blocks",
                path, threads, mx_block_fmt_names[f], mx_format(src)->name, rule, (int)o.elem.round,
                mx_pack_layout_names[l]);
          /* dequantize what was made, plus a few extreme scales (rounding / overflow) */
          for (size_t b = 0; b < nb; b += 7) scales[b] = (uint8_t)(b % 3 == 0 ? 0x00 : b % 3 == 1 ? 0xFE : 0xFF);
          static const mx_fmt dsts[] = {MX_F32, MX_BF16, MX_F64};
          mx_fmt dst = dsts[(rule + (int)ri) % 3];
          o.dequant_overflow = ri % 2 ? MX_DQOVF_SAT : MX_DQOVF_INF;
          rc = mxref_dequantize((mx_block_fmt)f, scales, packed, n, k, l, dst, &o, dq);
          mxref_set_path(MXREF_PATH_SCALAR);
          mxref_unpack((mx_block_fmt)f, l, packed, n, want_codes);
          for (size_t b = 0; b < nb; b++)
            mxref_dequantize_block((mx_block_fmt)f, scales[b], want_codes + b * k, k, dst, &o,
                                   (char *)want_dq + b * k * width(dst));
          mxref_set_path((mxref_path)mxref_path_by_name(path));
          CHECK(rc == 0 && memcmp(dq, want_dq, n * width(dst)) == 0,
                "path %s threads %d dequantize %s to %s layout %s: differs from the scalar blocks", path, threads,
                mx_block_fmt_names[f], mx_format(dst)->name, mx_pack_layout_names[l]);
        }
  }
  mxref_set_threads(1);
  free(in);
  free(scales);
  free(packed);
  free(want_codes);
  free(want_packed);
  free(want_scales);
  free(dq);
  free(want_dq);
}

/* Bad arguments are refused before anything is written. */
static void check_tensor_arguments(void) {
  uint32_t in[64] = {0};
  uint8_t scales[2] = {0xAA, 0xAA}, out[64];
  CHECK(mxref_quantize(MX_MXFP8_E4M3, MX_F32, in, 63, 32, NULL, MX_PACK_BYTE, scales, out) == -1,
        "n not a multiple of k");
  CHECK(mxref_quantize(MX_MXFP4_E2M1, MX_F32, in, 33, 33, NULL, MX_PACK_FP4_LOW, scales, out) == -1,
        "odd k with packed FP4 (a block would not start on a byte)");
  CHECK(mxref_quantize(MX_MXFP8_E4M3, MX_F32, in, 64, 32, NULL, MX_PACK_FP4_LOW, scales, out) == -1,
        "FP4 layout for an FP8 format");
  CHECK(mxref_quantize(MX_MXFP8_E4M3, MX_E4M3, in, 64, 32, NULL, MX_PACK_BYTE, scales, out) == -1,
        "a source that is not IEEE");
  CHECK(mxref_dequantize(MX_MXFP8_E4M3, scales, out, 64, 32, MX_PACK_BYTE, MX_F16, NULL, in) == -1,
        "f16 is not a dequantize destination");
  CHECK(scales[0] == 0xAA && scales[1] == 0xAA, "nothing written on refusal");
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 4096;
  n -= n % 32;
  check_tensor_arguments();
  for (int p = MXREF_PATH_SCALAR; p < MXREF_PATH_COUNT; p++) {
    const char *name = mxref_path_name((mxref_path)p);
    if (mxref_set_path((mxref_path)p) != 0) {
      printf("path %s: not supported on this CPU, skipped\n", name);
      continue;
    }
    printf("path %s\n", name);
    check_convert(n + 13, name); /* a tail that is not a multiple of 8 */
    check_decode(name);
    check_tensor(n, name, 1);
    /* large enough for the threads to engage (MXREF_THREAD_MIN_VALUES) */
    check_tensor(MXREF_THREAD_MIN_VALUES + 64 * 32, name, 2);
  }
  return CHECK_DONE();
}
