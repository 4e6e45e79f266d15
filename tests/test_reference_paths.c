/* Every libmxref code path computes the scalar path's bits, on arrays long enough for the
 * SIMD kernels to engage, with the specials and edges the kernels hand back to the scalar
 * code mixed in, and on one and several threads.
 *
 * The scalar path is the one the proofs pin to the oracle (`prove`, `make exhaustive`), so
 * equality here carries those proofs over to every path this CPU runs. Paths the CPU
 * cannot run are reported and skipped. Arguments: [values per case] (default 4096). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h> /* _mm_getcsr / _mm_setcsr: MXCSR */
#endif

#include "check.h"
#include "mxconform/block.h"
#include "mxconform/mxref.h"
#include "mxconform/nvfp4.h"

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

/* f32 / bf16 blocks of 32 whose magnitudes differ block by block (the AVX2 quantize kernel
 * takes eight blocks at a time, with one vector of eight scales): exponents anywhere from the
 * subnormals (amax below 2^-108: the kernel normalises subnormals for such blocks) to the
 * largest, all-zero blocks, and (when `specials`) a NaN or Inf at any position, which stops
 * the kernel mid-group and restarts it one block later. Other sources: fill(). */
static void fill_blocks(mx_fmt src, void *buf, size_t n, int specials) {
  if (src != MX_F32 && src != MX_BF16) {
    fill(src, buf, n, specials);
    return;
  }
  for (size_t b = 0; b < n / 32; b++) {
    uint64_t r = rnd();
    unsigned kind = (unsigned)(r % 8), top = kind == 2 ? (unsigned)(r >> 8) % 22 : 1 + (unsigned)(r >> 8) % 254;
    size_t special_at = (r >> 16) % 32;
    for (size_t i = 0; i < 32; i++) {
      uint64_t v = rnd();
      unsigned span = (unsigned)(v >> 40) % 32, ef = top > span ? top - span : 0;
      uint32_t f = (uint32_t)(v >> 63) << 31 | (kind == 1 ? 0 : ef << 23 | (uint32_t)(v & 0x7FFFFF));
      if (kind == 3 && specials && i == special_at) f |= 0x7F800000u | (uint32_t)((v >> 8) & 1); /* Inf or NaN */
      if (src == MX_F32) ((uint32_t *)buf)[b * 32 + i] = f;
      else ((uint16_t *)buf)[b * 32 + i] = (uint16_t)(f >> 16);
    }
  }
}

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
            /* the FP8 variants' knobs (the kernel computes fnuz_zero; the NaN knobs act on
             * inputs it hands to the scalar code) */
            o.fnuz_zero = (mx_fnuz_zero)((ri + (size_t)ovf + (size_t)flush) % 3);
            o.nan_sign = (mx_nan_sign)((ri + (size_t)flush) % 3);
            o.e5m2_nan = (mx_e5m2_nan)((ri + (size_t)ovf) % 3);
            o.inf_sat = (mx_inf_sat)flush;
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
static void check_tensor(size_t n, const char *path, int threads, int blockwise) {
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
          (blockwise ? fill_blocks : fill)(src, in, n, rule % 2 == 0);
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

/* NVFP4 blocks that reach every branch of the element and block-scale roundings: random
 * finite bits; ordinary values of one magnitude; and, under a calibrated amax of 2688 * 2^j
 * (s_t = 2^j exactly), blocks whose elements are multiples of s_b * s_t / 4 (E2M1 values and
 * their midpoints: ties) and whose amax_b lands on E4M3 values and midpoints times 6 s_t;
 * zero blocks; a calibrated amax far below the values (x * c overflows to Inf); and (kind 3)
 * under a calibrated amax with a random significand (s_t not a power of two), values a few
 * f32 units from E2M1 midpoints and grid values times s_b * s_t, and amax_b a few units from
 * E4M3 midpoints and values times 6 s_t: the near-ties where an inexact midpoint test (or a
 * wrong candidate code in avx2_nvfp4.c) would show. */
static uint32_t f32_bits(float x) {
  uint32_t b;
  memcpy(&b, &x, 4);
  return b;
}
static float f32_of(uint32_t b) {
  float x;
  memcpy(&x, &b, 4);
  return x;
}

/* a few f32 units from |x| (sign kept, finite) */
static uint32_t near(double x, uint64_t q) {
  uint32_t b = f32_bits((float)x) + (uint32_t)(q % 7) - 3u;
  return (b & 0x7F800000u) == 0x7F800000u ? 0u : b;
}

static void nvfp4_fill_near(uint32_t *v, size_t n, float st) {
  static const double e2m1[8] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  for (size_t b = 0; b < n; b += MX_NVFP4_BLOCK) {
    uint64_t r = rnd();
    double sb = f32_of(mxref_decode_f32_bits(MX_E4M3, 1u + (unsigned)(r % 0x7E)));
    for (int i = 0; i < MX_NVFP4_BLOCK; i++) {
      uint64_t q = rnd();
      unsigned c = (unsigned)(q >> 8) % 8;
      double m = (q >> 11) % 2 && c < 7 ? (e2m1[c] + e2m1[c + 1]) / 2 : e2m1[c];
      v[b + i] = (uint32_t)(q >> 63) << 31 | near(m * sb * st, q >> 16);
    }
    unsigned c = (unsigned)(r >> 8) % 126;
    double lo = f32_of(mxref_decode_f32_bits(MX_E4M3, c)), hi = f32_of(mxref_decode_f32_bits(MX_E4M3, c + 1));
    v[b + (r >> 16) % MX_NVFP4_BLOCK] = near(6 * st * ((r >> 20) % 2 ? (lo + hi) / 2 : hi), r >> 24);
  }
}

static void nvfp4_fill(uint32_t *v, size_t n, int kind, int j) {
  for (size_t b = 0; b < n; b += MX_NVFP4_BLOCK) {
    uint64_t r = rnd();
    int e4m3 = 1 + (int)(r % 0x7E), shape = kind == 2 ? (int)((r >> 8) % 4) : kind;
    uint32_t sbits = mxref_decode_f32_bits(MX_E4M3, (unsigned)e4m3);
    float sb;
    memcpy(&sb, &sbits, 4);
    float unit = (float)__builtin_ldexp((double)sb, j) / 4; /* s_b * s_t / 4 */
    for (int i = 0; i < MX_NVFP4_BLOCK; i++) {
      uint64_t q = rnd();
      uint32_t sign = (uint32_t)(q >> 63) << 31;
      switch (shape) {
      case 0: v[b + i] = sign | (uint32_t)(q % 0x7F800000u); break;                             /* any finite */
      case 1: v[b + i] = sign | (uint32_t)((100u + (q >> 20) % 56) << 23) | (uint32_t)(q & 0x7FFFFF); break;
      case 2: v[b + i] = sign | f32_bits(unit * (float)((q >> 8) % 26)); break;                 /* k/4 units */
      case 3: v[b + i] = (q >> 9) % 4 ? sign : sign | f32_bits(unit * (float)((q >> 8) % 26)); break;
      }
    }
    if (kind == 2 && (r >> 20) % 2) /* amax_b on an E4M3 value or midpoint times 6 s_t */
      v[b] = f32_bits((float)__builtin_ldexp(6.0 * (sb + (double)((r >> 24) % 2) * sb / 16), j));
  }
}

/* mxref_nvfp4_quantize on the path in use == on the scalar path, under every combination of
 * the nvfp4_* knobs, `reps` tensors of each kind of nblocks blocks (at most 379). */
static void check_nvfp4_quantize(const char *path, size_t nblocks, int reps) {
  enum { NMAX = 379 * MX_NVFP4_BLOCK };
  static uint32_t v[NMAX];
  static uint8_t sc[2][NMAX / MX_NVFP4_BLOCK], cd[2][NMAX];
  const size_t N = nblocks * MX_NVFP4_BLOCK;
  for (int kind = 0; kind < 4; kind++)
    for (int rep = 0; rep < reps; rep++) {
      int j = (int)(rnd() % 200) - 140;
      uint32_t calib[4] = {f32_bits((float)__builtin_ldexp(2688.0, j)), f32_bits(1e-30f), 0u, 1u};
      if (kind == 3) { /* s_t = RN(amax / 2688), amax with a random significand */
        calib[0] = (uint32_t)(127 + 11 - 100 + (int)(rnd() % 180)) << 23 | (uint32_t)(rnd() & 0x7FFFFF);
        nvfp4_fill_near(v, N, f32_of(calib[0]) / 2688.0f);
      } else {
        nvfp4_fill(v, N, kind, j);
      }
      for (int ai = -1; ai < 4; ai++)
        for (int knobs = 0; knobs < 8; knobs++) {
          mx_nvfp4_opts o = {(mx_nvfp4_tensor_scale)(knobs & 1), (mx_nvfp4_block_scale)(knobs >> 1 & 1),
                             (mx_nvfp4_elem_scale)(knobs >> 2 & 1), MX_NVFP4_DEQ_EXACT, MX_NVFP4_SIGN_IGNORE};
          int rc[2];
          mx_nvfp4_tensor t[2];
          for (int p = 0; p < 2; p++) {
            mxref_set_path(p ? MXREF_PATH_SCALAR : (mxref_path)mxref_path_by_name(path));
            t[p] = (mx_nvfp4_tensor){0, 0, sc[p], cd[p]};
            rc[p] = mxref_nvfp4_quantize(v, N, ai < 0 ? NULL : &calib[ai], &o, &t[p]);
          }
          mxref_set_path((mxref_path)mxref_path_by_name(path));
          CHECK(rc[0] == rc[1] && (rc[0] != 0 || (t[0].tensor_scale == t[1].tensor_scale && t[0].s_enc == t[1].s_enc &&
                                                  !memcmp(sc[0], sc[1], nblocks) && !memcmp(cd[0], cd[1], N))),
                "path %s nvfp4 quantize %zu blocks kind %d amax %d knobs %d: differs from scalar", path, nblocks, kind, ai,
                knobs);
        }
    }
}

/* mxref_nvfp4_quantize / _dequantize / _dequantize_tensor on the path in use == on the scalar
 * path, under every combination of the nvfp4_* knobs, and on two threads. Quantize: 67 blocks
 * (eight groups of eight for the AVX2 kernels of avx2_nvfp4.c, a tail of three for the
 * per-block code; the amax pass's four streams of 256 values and its tail), and 379 blocks
 * (the block pass's two streams of two chunks of 64 each, then a chunk of 64, one of 56 and
 * a tail of three). */
static void check_nvfp4(const char *path) {
  static uint32_t dq[2][MX_NVFP4_BLOCK];
  check_nvfp4_quantize(path, 67, 15);
  check_nvfp4_quantize(path, 379, 3);
  /* dequantize: every scale code and every element code, under tensor scales from subnormal
   * to huge (products that round, overflow, underflow), each knob value */
  const uint32_t st[] = {0x3F800000u, 0x00000001u, 0x00400000u, 0x0DA00000u, 0x33D6BF95u, 0x7F7FFFFFu, 0x7A000000u, 0xB1000001u, 0u};
  uint8_t codes[MX_NVFP4_BLOCK];
  for (int c = 0; c < MX_NVFP4_BLOCK; c++) codes[c] = (uint8_t)(c | (c % 3) << 4); /* high bits ignored */
  for (size_t si = 0; si < sizeof st / sizeof st[0]; si++)
    for (int s = 0; s < 256; s++)
      for (int knobs = 0; knobs < 4; knobs++) {
        mx_nvfp4_opts o = {MX_NVFP4_TSCALE_EXACT, MX_NVFP4_BSCALE_EXACT, MX_NVFP4_ELEM_EXACT, (mx_nvfp4_dequant)(knobs & 1),
                           (mx_nvfp4_scale_sign)(knobs >> 1)};
        for (int p = 0; p < 2; p++) {
          mxref_set_path(p ? MXREF_PATH_SCALAR : (mxref_path)mxref_path_by_name(path));
          mxref_nvfp4_dequantize(st[si], (uint8_t)s, codes, &o, dq[p]);
        }
        mxref_set_path((mxref_path)mxref_path_by_name(path));
        CHECK(!memcmp(dq[0], dq[1], sizeof dq[0]), "path %s nvfp4 dequantize s_t 0x%08x scale 0x%02x knobs %d: differs", path,
              st[si], s, knobs);
      }
  /* the whole-tensor entry: every scale code once, in groups of eight and a tail of three,
   * random codes (high bits set too), against the scalar path block by block */
  enum { NB = 259 };
  static uint8_t ts[NB], tc[NB * MX_NVFP4_BLOCK];
  static uint32_t tq[2][NB * MX_NVFP4_BLOCK];
  for (int b = 0; b < NB; b++) ts[b] = b < 256 ? (uint8_t)b : (uint8_t)rnd();
  for (int i = 0; i < NB * MX_NVFP4_BLOCK; i++) tc[i] = (uint8_t)rnd();
  for (size_t si = 0; si < sizeof st / sizeof st[0]; si++)
    for (int knobs = 0; knobs < 4; knobs++) {
      mx_nvfp4_opts o = {MX_NVFP4_TSCALE_EXACT, MX_NVFP4_BSCALE_EXACT, MX_NVFP4_ELEM_EXACT, (mx_nvfp4_dequant)(knobs & 1),
                         (mx_nvfp4_scale_sign)(knobs >> 1)};
      mx_nvfp4_tensor t = {st[si], 0, ts, tc};
      CHECK(mxref_nvfp4_dequantize_tensor(&t, NB * MX_NVFP4_BLOCK, &o, tq[0]) == 0, "dequantize_tensor refused");
      mxref_set_path(MXREF_PATH_SCALAR);
      for (int b = 0; b < NB; b++)
        mxref_nvfp4_dequantize(st[si], ts[b], tc + b * MX_NVFP4_BLOCK, &o, tq[1] + b * MX_NVFP4_BLOCK);
      mxref_set_path((mxref_path)mxref_path_by_name(path));
      CHECK(!memcmp(tq[0], tq[1], sizeof tq[0]), "path %s nvfp4 dequantize_tensor s_t 0x%08x knobs %d: differs", path,
            st[si], knobs);
    }
  /* on two threads (inputs of MXREF_THREAD_MIN_VALUES and more are split into ranges of
   * blocks that are not multiples of eight), quantize and dequantize under the default and the
   * te knobs == the scalar path on one thread */
  enum { NT = MXREF_THREAD_MIN_VALUES + 35 * MX_NVFP4_BLOCK };
  static uint32_t tv[NT], tdq[2][NT];
  static uint8_t tsc[2][NT / MX_NVFP4_BLOCK], tcd[2][NT];
  nvfp4_fill(tv, NT, 1, 0);
  static const mx_nvfp4_opts nv_knobs[2] = {MX_NVFP4_OPTS_DEFAULT, MX_NVFP4_OPTS_TE};
  for (int k = 0; k < 2; k++) {
    mx_nvfp4_tensor t[2];
    for (int p = 0; p < 2; p++) {
      mxref_set_path(p ? MXREF_PATH_SCALAR : (mxref_path)mxref_path_by_name(path));
      mxref_set_threads(p ? 1 : 2);
      t[p] = (mx_nvfp4_tensor){0, 0, tsc[p], tcd[p]};
      CHECK(mxref_nvfp4_quantize(tv, NT, NULL, &nv_knobs[k], &t[p]) == 0, "nvfp4 quantize on threads refused");
      CHECK(mxref_nvfp4_dequantize_tensor(&t[p], NT, &nv_knobs[k], tdq[p]) == 0, "dequantize_tensor refused");
    }
    mxref_set_threads(1);
    mxref_set_path((mxref_path)mxref_path_by_name(path));
    CHECK(t[0].tensor_scale == t[1].tensor_scale && !memcmp(tsc[0], tsc[1], sizeof tsc[0]) &&
              !memcmp(tcd[0], tcd[1], sizeof tcd[0]) && !memcmp(tdq[0], tdq[1], sizeof tdq[0]),
          "path %s nvfp4 on two threads, knobs %d: differs from the scalar path on one", path, k);
  }
  mx_nvfp4_tensor none = {0, 0, ts, tc};
  CHECK(mxref_nvfp4_dequantize_tensor(&none, 24, NULL, tq[0]) == -1, "dequantize_tensor: n not a multiple of 16");
}

/* The AVX2 kernels' knob check (reference/avx2.h; absent without the kernels): every value
 * it was written for is taken, anything else (sr, a value an enum does not have yet, such as
 * a new nan_sign) declines to the scalar path. */
extern int mxr_avx2_opts_known(const mx_convert_opts *o) __attribute__((weak));

/* MXINT8 under rne and rtz takes a float multiply by 2^(6 - s) in the AVX2 kernel when that
 * power is at most 2^125, the integer path otherwise (avx2_convert.c,
 * quantize_int8_by_multiply): blocks at every scale s from -127 to -88, across that boundary
 * (s = -119), each holding its amax, f32 subnormals (below half a code there, however the
 * multiply rounds them) and exact ties of the code grid; rup as a control (integer path).
 * daz: the same with the CPU's denormals-are-zero and flush-to-zero set (x86), which a
 * caller's program may have set: the boundary is what keeps the kernel exact then. */
static void check_int8_tiny_scales(const char *path, int daz) {
#if defined(__x86_64__) || defined(__i386__)
  const unsigned csr = _mm_getcsr();
  if (daz) _mm_setcsr(csr | 0x8040u);
#else
  if (daz) return;
#endif
  enum { K = 32, NB = 40 };
  static const mx_round rounds[] = {MX_RNE, MX_RTZ, MX_RUP};
  uint32_t in[NB * K];
  uint8_t scales[NB], codes[NB * K], want_scales[NB], want_codes[NB * K];
  for (size_t ri = 0; ri < 3; ri++)
    for (int twos = 0; twos < 2; twos++) {
      mx_block_opts o;
      mx_block_opts_default(&o);
      o.elem.round = rounds[ri];
      o.elem.int8_range = twos ? MX_INT8_TWOS : MX_INT8_SYMMETRIC;
      for (int b = 0; b < NB; b++) {
        int s = -127 + b;
        uint64_t r = rnd();
        uint32_t sign = (uint32_t)(r >> 63) << 31;
        in[b * K] = sign | (uint32_t)(s > -126 ? s + 127 : 1) << 23 | (uint32_t)(r & 0x7FFFFF); /* amax */
        for (int i = 1; i < K; i++) {
          uint64_t v = rnd();
          sign = (uint32_t)(v >> 63) << 31;
          if (i % 2) in[b * K + i] = sign | (uint32_t)(v & 0x7FFFFF) | 1u; /* subnormal */
          else in[b * K + i] = sign | f32_bits(ldexpf((float)(2 * (v % 128) + 1), s - 7)); /* (n + 1/2) codes */
        }
      }
      int rc = mxref_quantize(MX_MXINT8, MX_F32, in, NB * K, K, &o, MX_PACK_BYTE, scales, codes);
      mxref_set_path(MXREF_PATH_SCALAR);
      for (int b = 0; b < NB; b++)
        mxref_quantize_block(MX_MXINT8, MX_F32, in + b * K, K, &o, NULL, &want_scales[b], want_codes + b * K);
      mxref_set_path((mxref_path)mxref_path_by_name(path));
      CHECK(rc == 0 && memcmp(scales, want_scales, NB) == 0 && memcmp(codes, want_codes, sizeof codes) == 0,
            "path %s int8 round %d range %s at scales 2^-127..2^-88%s: differs from the scalar blocks", path,
            (int)o.elem.round, twos ? "twos" : "symmetric", daz ? " (FTZ and DAZ set)" : "");
    }
#if defined(__x86_64__) || defined(__i386__)
  _mm_setcsr(csr);
#endif
}

static void check_kernel_declines_unknown_knobs(void) {
  if (!mxr_avx2_opts_known) return;
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  CHECK(mxr_avx2_opts_known(&o), "the defaults are taken");
  o.round = MX_RDN, o.overflow = MX_OVF, o.nan_sign = MX_NAN_SIGN_NAN_INPUT_POSITIVE, o.e5m2_nan = MX_E5M2_NAN_PROPAGATE;
  o.inf_sat = MX_INF_SAT_SPECIAL, o.nan_finite = MX_NANF_INVERTED_ZERO, o.inf_finite = MX_INFF_SIGNED_ZERO;
  o.int8_range = MX_INT8_SYMMETRIC, o.src_subnormals = MX_SUBN_FLUSH, o.e8m0_zero = MX_E8M0_ZERO_NAN;
  o.e8m0_neg = MX_E8M0_NEG_MIN, o.fnuz_zero = MX_FNUZ_ZERO_UNDERFLOW_NAN, o.sr_bits = 3;
  CHECK(mxr_avx2_opts_known(&o), "every value of every known knob is taken");
  mx_convert_opts bad = o;
  bad.round = MX_SR;
  CHECK(!mxr_avx2_opts_known(&bad), "sr declines");
  bad = o;
  bad.nan_sign = (mx_nan_sign)(MX_NAN_SIGN_NAN_INPUT_POSITIVE + 1);
  CHECK(!mxr_avx2_opts_known(&bad), "a nan_sign value the kernel does not know declines");
  bad = o;
  bad.fnuz_zero = (mx_fnuz_zero)(MX_FNUZ_ZERO_UNDERFLOW_NAN + 1);
  CHECK(!mxr_avx2_opts_known(&bad), "an fnuz_zero value the kernel does not know declines");
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 4096;
  n -= n % 32;
  check_tensor_arguments();
  check_kernel_declines_unknown_knobs();
  for (int p = MXREF_PATH_SCALAR; p < MXREF_PATH_COUNT; p++) {
    const char *name = mxref_path_name((mxref_path)p);
    if (mxref_set_path((mxref_path)p) != 0) {
      printf("path %s: not supported on this CPU, skipped\n", name);
      continue;
    }
    printf("path %s\n", name);
    check_convert(n + 13, name); /* a tail that is not a multiple of 8 */
    check_decode(name);
    check_nvfp4(name);
    check_tensor(n, name, 1, 0);
    check_int8_tiny_scales(name, 0);
    check_int8_tiny_scales(name, 1);
    /* blocks of every magnitude, 69 of them: groups of eight and a tail of five */
    for (int rep = 0; rep < 4; rep++) check_tensor(69 * 32, name, 1, 1);
    /* large enough for the threads to engage (MXREF_THREAD_MIN_VALUES) */
    check_tensor(MXREF_THREAD_MIN_VALUES + 64 * 32, name, 2, 0);
  }
  return CHECK_DONE();
}
