/* libmxref AVX2 path: NVFP4 quantize and dequantize eight blocks of 16 at a time
 * (reference/nvfp4.c calls them; include/mxconform/nvfp4.h has the formulas).
 *
 * Every rounding here is a nearest-even rounding onto a grid (E4M3 block scales, E2M1
 * elements) and is decided like this, bit for bit the scalar grid_round / mxref_convert_one:
 *   1. a candidate code c0 = the grid point at or below an f32 estimate y of the value q to
 *      round, read off y's bits (no search);
 *   2. one exact test against the midpoint between c0 and c0 + 1: d = midpoint - q with an
 *      exact sign, c = c0 + 1 when d < 0, or d == 0 and c0 is odd (ties to even).
 * Why one test is enough: y is within a few f32 units of q, and every grid point is at least
 * half a spacing (>= 1/32 of it, relatively) from the midpoints beside it, so q lies between
 * the midpoints below and above c0 and only the one above can change the result. Above the
 * largest code the midpoint is +Inf (saturation).
 *   - `te` block scale and `reciprocal` elements round an f32 value y itself (q = y): the
 *     test is y against the f32 midpoint, exact.
 *   - `exact` block scale q = amax_b / (6 s_t) and `exact` elements q = |x| / (s_b s_t):
 *     d = fma(s_t, K, -num) with K = 6 x midpoint or s_b x midpoint, which has at most 7
 *     significant bits and is exact in f32; the fma rounds the exact s_t K - num once, so its
 *     sign and its zeroness are exact as long as a nonzero difference is a normal f32. Both
 *     products are multiples of 2^(e_t - 35) (e_t = floor(log2 s_t)) near num, so that holds
 *     for s_t >= 2^-88; below (tensors with amax < ~2^-76) the kernel declines and the
 *     per-block code runs. Blocks with s_b = 0 (q = |x| / 0) go to the per-block kernel too.
 * The binary32 steps (te's amax_b * RN(S_enc * RN(1/6)), RN(1 / RN(s_b s_t)), RN(x * c), the
 * dequantize products) are _mm256_mul_ps / _mm256_div_ps: one IEEE rounding each, as C's.
 *
 * Compiled with -mavx2 -mfma -mbmi2 -mf16c (CMakeLists.txt); only called after dispatch.c
 * has checked the CPU. */
#include "dispatch.h"

#if MXR_HAVE_AVX2 && defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#include <pthread.h>
#include <string.h>

#include "avx2.h"
#include "internal.h"
#include "mxconform/mxref.h"
#include "mxconform/nvfp4.h"

/* Built once from the scalar decode: the grids, their midpoints above each code (exact:
 * the sum of two neighbours, halved) and the midpoints times 6 for the exact block scale. */
typedef struct nvq_tables {
  uint32_t e4m3[256];  /* scale code -> f32 bits (NaN codes as the scalar decode gives them) */
  float e4m3_mid[128]; /* midpoint above code c; +Inf from the largest code (0x7E) up */
  float e4m3_k6[128];  /* 6 x e4m3_mid[c] (<= 7 significant bits: exact) */
  float e2m1_mid[8];   /* midpoint above magnitude code c; +Inf above 6 */
  uint32_t e2m1[8];    /* E2M1 magnitude code -> f32 bits */
} nvq_tables;

static nvq_tables g_t;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static float f32_of(uint32_t b) {
  float f;
  memcpy(&f, &b, 4);
  return f;
}

static void mids(mx_fmt f, float *mid, unsigned len) {
  unsigned top = (unsigned)mx_format(f)->max_code;
  for (unsigned c = 0; c < len; c++)
    mid[c] = c < top ? (float)(((double)f32_of(mxref_decode_f32_bits(f, c)) + f32_of(mxref_decode_f32_bits(f, c + 1))) / 2)
                     : __builtin_inff();
}

static void build(void) {
  for (unsigned c = 0; c < 256; c++) g_t.e4m3[c] = mxref_decode_f32_bits(MX_E4M3, c);
  mids(MX_E4M3, g_t.e4m3_mid, 128);
  for (unsigned c = 0; c < 128; c++) g_t.e4m3_k6[c] = 6 * g_t.e4m3_mid[c];
  mids(MX_E2M1, g_t.e2m1_mid, 8);
  for (unsigned c = 0; c < 8; c++) g_t.e2m1[c] = mxref_decode_f32_bits(MX_E2M1, c);
}

static const nvq_tables *tables(void) {
  pthread_once(&g_once, build);
  return &g_t;
}

typedef __m256i v8i;
typedef __m256 v8f;
#define AI MXR_SPECIALISED /* internal.h: not forced under the sanitizers */

AI v8f as_f(v8i x) { return _mm256_castsi256_ps(x); }
AI v8i as_i(v8f x) { return _mm256_castps_si256(x); }
AI v8i set1(int x) { return _mm256_set1_epi32(x); }
/* lane j of v in every lane */
AI v8f lane(v8f v, int j) { return _mm256_permutevar8x32_ps(v, set1(j)); }

/* Step 2: c0 + 1 where d < 0, or d == +0 and c0 is odd. d is never -0 or NaN here (d is a
 * positive midpoint minus a value, or an fma whose product is positive), so as an integer
 * d < 0 exactly when d < 0, and d < (c0 & 1) adds the ties of odd codes. */
AI v8i round_up(v8i c0, v8f d) { return _mm256_sub_epi32(c0, _mm256_cmpgt_epi32(_mm256_and_si256(c0, set1(1)), as_i(d))); }

/* E2M1 magnitude code at or below y >= 0 (+Inf included): from y's exponent and first
 * fraction bit s = bits >> 22 (2^e x 1.0 -> 2e + 254), through a 16-byte table on s - 248
 * (0.5 .. 1 -> code 1: E2M1's subnormal; 6 and above -> 7). Every byte but a lane's lowest is
 * an index 0, which the table maps to 0. */
AI v8i e2m1_floor(v8f y) {
  const v8i tab = _mm256_setr_epi8(0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 7, 7, 7, 7, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 7, 7,
                                   7, 7);
  v8i s = _mm256_min_epu16(_mm256_subs_epu16(_mm256_srli_epi32(as_i(y), 22), set1(248)), set1(15));
  return _mm256_shuffle_epi8(tab, s);
}

/* The same code from y2 = 2y: floor(2y), clamped to 15, through a table (0.5 .. 1 -> 1, 6 and
 * above -> 7; a NaN y2, whose block the caller redoes, -> 7): one operation fewer. */
AI v8i e2m1_floor2(v8f y2) {
  const v8i tab = _mm256_setr_epi8(0, 1, 2, 3, 4, 4, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 0, 1, 2, 3, 4, 4, 5, 5, 6, 6, 6, 6, 7, 7,
                                   7, 7);
  return _mm256_shuffle_epi8(tab, _mm256_cvttps_epi32(_mm256_min_ps(y2, _mm256_set1_ps(15.0f))));
}

/* E4M3 code at or below y >= 0 (+Inf included): below 2^-6 (subnormal codes) y * 2^9
 * truncated; above, exponent and three fraction bits (2^e -> (e + 7) << 3), at most 0x7E. */
AI v8i e4m3_floor(v8f y) {
  v8i sub = _mm256_cvttps_epi32(_mm256_mul_ps(y, _mm256_set1_ps(512.0f)));
  v8i nor = _mm256_min_epi32(_mm256_sub_epi32(_mm256_srli_epi32(as_i(y), 20), set1(120 << 3)), set1(0x7E));
  return _mm256_blendv_epi8(nor, sub, as_i(_mm256_cmp_ps(y, _mm256_set1_ps(0x1p-6f), _CMP_LT_OQ)));
}

/* Eight blocks of 16 f32 -> their eight max |x| (as bits: orders like |x| for finite x),
 * reduced together (pairs of lanes, then quads, then the two 128-bit halves). */
AI v8i pair_max(v8i a, v8i b) {
  v8f fa = as_f(a), fb = as_f(b);
  return _mm256_max_epu32(as_i(_mm256_shuffle_ps(fa, fb, 0x88)), as_i(_mm256_shuffle_ps(fa, fb, 0xDD)));
}

AI v8i amax8(const uint32_t *v) {
  const v8i abs = set1(0x7FFFFFFF);
  v8i m[8];
  for (int j = 0; j < 8; j++)
    m[j] = _mm256_max_epu32(_mm256_and_si256(_mm256_loadu_si256((const __m256i *)(v + 16 * j)), abs),
                            _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(v + 16 * j + 8)), abs));
  v8i lo = pair_max(pair_max(m[0], m[1]), pair_max(m[2], m[3]));
  v8i hi = pair_max(pair_max(m[4], m[5]), pair_max(m[6], m[7]));
  return _mm256_max_epu32(_mm256_permute2x128_si256(lo, hi, 0x20), _mm256_permute2x128_si256(lo, hi, 0x31));
}

/* The eight block scale codes from the eight amax_b. */
AI v8i scales8(const nvq_tables *t, const mxr_nvfp4_plan *p, float rcp6, v8i amax) {
  v8f a = as_f(amax);
  if (p->block_te) { /* RN8(RN(amax_b * RN(S_enc * RN(1/6)))), +Inf as FLT_MAX (both saturate) */
    v8f y = _mm256_min_ps(_mm256_mul_ps(a, _mm256_set1_ps(p->te_mul)), _mm256_set1_ps(0x1.fffffep127f));
    v8i c0 = e4m3_floor(y);
    return round_up(c0, _mm256_sub_ps(_mm256_i32gather_ps(t->e4m3_mid, c0, 4), y));
  }
  /* exact: q = amax_b / (6 s_t), estimated with the reciprocal of 6 s_t */
  v8i c0 = e4m3_floor(_mm256_mul_ps(a, _mm256_set1_ps(rcp6)));
  return round_up(c0, _mm256_fmsub_ps(_mm256_set1_ps(p->st), _mm256_i32gather_ps(t->e4m3_k6, c0, 4), a));
}

/* An element's step-1 candidate c0 and its step-2 difference d (as bits), eight lanes. */
typedef struct cand8 {
  v8i c0, d;
} cand8;

/* Step 2 for 32 elements at once, in bytes, then the sign, then 32 bytes in order. The
 * candidates c0 (0..7) and the differences d go through the same two packs, and the values'
 * signs (s: f32 lanes with the sign of each value) through two more: signed saturation keeps
 * what step 2 reads of d (< 0, == 0 or > 0) and the sign of s, so round_up's test is one
 * compare of bytes, and each sign is bit 7 of a byte, moved to bit 3 by one shift of 16-bit
 * lanes (what the shift brings in from the neighbouring byte lands in bits 4-7, masked off).
 * 16 operations per 32 codes where step 2 and the sign per eight lanes took 28. */
AI void store32(uint8_t *out, cand8 q0, cand8 q1, cand8 q2, cand8 q3, v8i s0, v8i s1, v8i s2, v8i s3, int clamp7) {
  v8i c = _mm256_packus_epi16(_mm256_packs_epi32(q0.c0, q1.c0), _mm256_packs_epi32(q2.c0, q3.c0));
  v8i d = _mm256_packs_epi16(_mm256_packs_epi32(q0.d, q1.d), _mm256_packs_epi32(q2.d, q3.d));
  c = _mm256_sub_epi8(c, _mm256_cmpgt_epi8(_mm256_and_si256(c, _mm256_set1_epi8(1)), d));
  if (clamp7) c = _mm256_min_epu8(c, _mm256_set1_epi8(7)); /* elem_recip's +Inf */
  v8i s = _mm256_packs_epi16(_mm256_packs_epi32(s0, s1), _mm256_packs_epi32(s2, s3));
  c = _mm256_or_si256(c, _mm256_and_si256(_mm256_srli_epi16(s, 4), _mm256_set1_epi8(8)));
  _mm256_storeu_si256((__m256i *)out, _mm256_permutevar8x32_epi32(c, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
}

/* `exact` elements: RN4(|x| / (s_b s_t)) (the magnitude; store32 adds the sign of x). rcp2 ~
 * 2 / (s_b s_t); k = s_b x the E2M1 midpoints (exact; +Inf above 6). */
AI cand8 elem_exact(v8i x, v8f rcp2, v8f k, v8f st) {
  v8f a = as_f(_mm256_and_si256(x, set1(0x7FFFFFFF)));
  v8i c0 = e2m1_floor2(_mm256_mul_ps(a, rcp2));
  return (cand8){c0, as_i(_mm256_fmsub_ps(st, _mm256_permutevar8x32_ps(k, c0), a))};
}

/* `reciprocal` elements: RN4(RN(x * c)), c = min(RN(1 / RN(s_b s_t)), FLT_MAX); an Inf
 * product saturates as FLT_MAX does. y = x * c; the magnitude (the sign is y's). |y| = +Inf
 * gives c0 = 7 and d = Inf - Inf, a NaN: store32's clamp to 7 (one operation per 32 codes,
 * where clamping |y| to FLT_MAX took one per 8) makes it 7 whatever the test reads. */
AI cand8 elem_recip(v8i y, v8f mid) {
  v8f a = as_f(_mm256_and_si256(y, set1(0x7FFFFFFF)));
  v8i c0 = e2m1_floor(a);
  return (cand8){c0, as_i(_mm256_sub_ps(_mm256_permutevar8x32_ps(mid, c0), a))};
}

AI v8i load8(const uint32_t *v) { return _mm256_loadu_si256((const __m256i *)v); }

/* Phase 1 of a chunk, eight blocks: their scale codes, and per block s_b and the elements'
 * factor (exact: ~2 / (s_b s_t), twice the estimate; reciprocal: c). Returns the mask of blocks
 * with s_b = 0. */
AI unsigned scales_group(const nvq_tables *t, const mxr_nvfp4_plan *p, float rcp6, const uint32_t *v, uint8_t *scales,
                         float *factor, float *sb_out) {
  v8i s = scales8(t, p, rcp6, amax8(v));
  v8i b = _mm256_shuffle_epi8(s, _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8,
                                                  12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
  _mm_storel_epi64((__m128i *)scales, _mm_unpacklo_epi32(_mm256_castsi256_si128(b), _mm256_extracti128_si256(b, 1)));
  v8f sb = _mm256_i32gather_ps((const float *)t->e4m3, s, 4);
  v8f f = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_mul_ps(sb, _mm256_set1_ps(p->st)));
  /* reciprocal: c, at most FLT_MAX; exact: twice the estimate, for e2m1_floor2 (at most 2^98:
   * s_b >= 2^-9 and s_t >= 2^-88, or +Inf where s_b = 0) */
  f = p->elem_recip ? _mm256_min_ps(f, _mm256_set1_ps(0x1.fffffep127f)) : _mm256_add_ps(f, f);
  _mm256_storeu_ps(factor, f);
  _mm256_storeu_ps(sb_out, sb);
  return (unsigned)_mm256_movemask_ps(as_f(_mm256_cmpeq_epi32(s, _mm256_setzero_si256())));
}

/* Blocks go in chunks of CHUNK: first every scale of the chunk (phase 1: a long dependency
 * chain per group of eight, amax -> scale -> s_b -> factor, but independent from group to
 * group), then every element (phase 2), its values read again from L1. In one pass per
 * group the elements of a group waited for its chain.
 * Phase 2 prefetches the input two chunks ahead (PREFETCH values, 8 KiB: a line per block),
 * so that phase 1 of the next chunks finds it in L1: a chunk is one 4 KiB page, where the
 * hardware prefetcher stops, and without it a large tensor's block pass took 1.2-1.4x its
 * in-cache time (with it 1.0-1.15x, measured at 256 MiB on the loaded 2-core VM). A
 * prefetch past the end of the input is harmless (it never faults). */
enum { CHUNK = 64, PREFETCH = 2 * CHUNK * MX_NVFP4_BLOCK };

AI void prefetch2(const uint32_t *block) {
  _mm_prefetch((const char *)(block + PREFETCH), _MM_HINT_T0);
  _mm_prefetch((const char *)(block + PREFETCH + MX_NVFP4_BLOCK), _MM_HINT_T0);
}

AI void chunk(const nvq_tables *t, const mxr_nvfp4_plan *p, float rcp6, const uint32_t *v, size_t nb, uint8_t *scales,
              uint8_t *codes) {
  float factor[CHUNK], sb[CHUNK];
  uint64_t zero = 0; /* bit j: block j has s_b = 0 */
  for (size_t g = 0; g < nb; g += 8)
    zero |= (uint64_t)scales_group(t, p, rcp6, v + g * MX_NVFP4_BLOCK, scales + g, factor + g, sb + g) << g;
  const v8f st = _mm256_set1_ps(p->st), mid = _mm256_loadu_ps(t->e2m1_mid);
  if (p->elem_recip) {
    for (size_t j = 0; j < nb; j += 2) {
      const uint32_t *b = v + 16 * j;
      prefetch2(b);
      v8f c0 = _mm256_broadcast_ss(factor + j), c1 = _mm256_broadcast_ss(factor + j + 1);
      v8i y0 = as_i(_mm256_mul_ps(as_f(load8(b)), c0)), y1 = as_i(_mm256_mul_ps(as_f(load8(b + 8)), c0));
      v8i y2 = as_i(_mm256_mul_ps(as_f(load8(b + 16)), c1)), y3 = as_i(_mm256_mul_ps(as_f(load8(b + 24)), c1));
      store32(codes + 16 * j, elem_recip(y0, mid), elem_recip(y1, mid), elem_recip(y2, mid), elem_recip(y3, mid), y0, y1,
              y2, y3, 1);
    }
    return;
  }
  for (size_t j = 0; j < nb; j += 2) {
    const uint32_t *b = v + 16 * j;
    prefetch2(b);
    v8f r0 = _mm256_broadcast_ss(factor + j), r1 = _mm256_broadcast_ss(factor + j + 1);
    v8f k0 = _mm256_mul_ps(_mm256_broadcast_ss(sb + j), mid), k1 = _mm256_mul_ps(_mm256_broadcast_ss(sb + j + 1), mid);
    v8i x0 = load8(b), x1 = load8(b + 8), x2 = load8(b + 16), x3 = load8(b + 24);
    store32(codes + 16 * j, elem_exact(x0, r0, k0, st), elem_exact(x1, r0, k0, st), elem_exact(x2, r1, k1, st),
            elem_exact(x3, r1, k1, st), x0, x1, x2, x3, 0);
  }
  /* s_b = 0: |x| / 0, which the per-block kernel saturates */
  for (; zero; zero &= zero - 1) {
    int j = __builtin_ctzll(zero);
    mxr_avx2_nvfp4_elements_exact(v + 16 * j, 0.0, codes + 16 * j);
  }
}

/* The largest of the eight lanes (unsigned). */
AI uint32_t hmax_u32(v8i m) {
  m = _mm256_max_epu32(m, _mm256_permute2x128_si256(m, m, 0x01));
  m = _mm256_max_epu32(m, _mm256_shuffle_epi32(m, 0x4E));
  return (uint32_t)_mm256_cvtsi256_si32(_mm256_max_epu32(m, _mm256_shuffle_epi32(m, 0xB1)));
}

/* One block's amax bits (the block pass): the values [0, n - n % 8). */
uint32_t mxr_avx2_abs_max_f32(const uint32_t *v, size_t n) {
  const v8i abs = set1(0x7FFFFFFF);
  v8i mx = _mm256_setzero_si256();
  for (size_t i = 0; i + 8 <= n; i += 8) mx = _mm256_max_epu32(mx, _mm256_and_si256(load8(v + i), abs));
  return hmax_u32(mx);
}

/* The tensor amax pass: bound by how fast one core reads a large tensor, which it does faster
 * from several places at once: AMAX_STREAMS equal parts of the range read side by side (a
 * 64-byte line of each per step, each with its accumulator and a software prefetch 8 KiB
 * ahead), then the rest. At 256 MiB (one thread, best of 9 alternating with memcpy, the
 * 2-core VM, 2026-12-03): one stream 0.73-0.75x memcpy's time, two 0.57-0.64, four 0.48-0.61,
 * eight 0.56-0.57; without the software prefetch 0.75-0.82. n is a multiple of 16. */
enum { AMAX_STREAMS = 4 };

uint32_t mxr_avx2_nvfp4_abs_max(const uint32_t *v, size_t n) {
  const v8i abs = set1(0x7FFFFFFF);
  v8i m[AMAX_STREAMS];
  for (int s = 0; s < AMAX_STREAMS; s++) m[s] = _mm256_setzero_si256();
  const size_t part = n / (AMAX_STREAMS * 32) * 32;
  for (size_t i = 0; i < part; i += 16)
    for (int s = 0; s < AMAX_STREAMS; s++) {
      const uint32_t *a = v + s * part + i;
      _mm_prefetch((const char *)(a + 2048), _MM_HINT_T0);
      m[s] = _mm256_max_epu32(m[s], _mm256_max_epu32(_mm256_and_si256(load8(a), abs), _mm256_and_si256(load8(a + 8), abs)));
    }
  for (size_t i = AMAX_STREAMS * part; i < n; i += 8) m[0] = _mm256_max_epu32(m[0], _mm256_and_si256(load8(v + i), abs));
  for (int s = 1; s < AMAX_STREAMS; s++) m[0] = _mm256_max_epu32(m[0], m[s]);
  return hmax_u32(m[0]);
}

/* The block pass reads the tensor again, in BLOCK_STREAMS equal parts side by side (a chunk
 * of each in turn; every block is computed alone, so the order changes nothing), for the
 * reason the amax pass does. With the four-stream amax pass, quantize nvfp4 at 256 MiB on one
 * thread: one stream 0.49-0.55x memcpy, two 0.54-0.69, four 0.51-0.67 (mxbench, 2026-12-03,
 * three runs each, alternately, sweeps on the other core). */
enum { BLOCK_STREAMS = 2 };

size_t mxr_avx2_nvfp4_quantize_blocks(const uint32_t *v, size_t nblocks, const mxr_nvfp4_plan *p, uint8_t *scales,
                                      uint8_t *codes) {
  /* the exact tests need s_t >= 2^-88 (see the top of the file) */
  if ((!p->block_te || !p->elem_recip) && !(p->st >= 0x1p-88f)) return 0;
  const nvq_tables *t = tables();
  const float rcp6 = 1.0f / (6.0f * p->st); /* the exact block scale's estimate of 1 / (6 s_t) */
  const size_t n8 = nblocks - nblocks % 8;
  const size_t part = n8 / (BLOCK_STREAMS * CHUNK) * CHUNK; /* blocks per stream: whole chunks */
  for (size_t c = 0; c < part; c += CHUNK)
    for (size_t s = 0; s < BLOCK_STREAMS; s++) {
      size_t b = s * part + c;
      chunk(t, p, rcp6, v + b * MX_NVFP4_BLOCK, CHUNK, scales + b, codes + b * MX_NVFP4_BLOCK);
    }
  for (size_t b = BLOCK_STREAMS * part; b < n8; b += CHUNK) {
    size_t nb = n8 - b < CHUNK ? n8 - b : CHUNK;
    chunk(t, p, rcp6, v + b * MX_NVFP4_BLOCK, nb, scales + b, codes + b * MX_NVFP4_BLOCK);
  }
  return n8;
}

/* Eight codes -> their E2M1 values: magnitude by a permute (the low three bits), sign from bit
 * 3 (high bits of the byte ignored, as the scalar `& 0xF`). */
AI v8f e2m1_values(const uint8_t *c, v8i mag) {
  v8i i = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)c));
  return as_f(_mm256_or_si256(_mm256_permutevar8x32_epi32(mag, i),
                              _mm256_and_si256(_mm256_slli_epi32(i, 28), set1((int)0x80000000u))));
}

size_t mxr_avx2_nvfp4_dequantize_blocks(const uint8_t *scales, const uint8_t *codes, size_t nblocks, float st,
                                        int scale_first, int scale_signed, uint32_t *out) {
  if (st != st) return 0; /* a NaN s_t with a NaN s_b: the payload depends on operand order */
  const nvq_tables *t = tables();
  const v8i mag = _mm256_loadu_si256((const __m256i *)t->e2m1);
  const v8f vst = _mm256_set1_ps(st);
  const v8i mask = set1(scale_signed ? 0xFF : 0x7F);
  size_t b = 0;
  for (; b + 8 <= nblocks; b += 8) {
    v8i sc = _mm256_and_si256(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(scales + b))), mask);
    v8f sb = _mm256_i32gather_ps((const float *)t->e4m3, sc, 4);
    const uint8_t *c = codes + b * MX_NVFP4_BLOCK;
    float *o = (float *)(out + b * MX_NVFP4_BLOCK);
    if (scale_first) { /* RN(e * RN(s_b * s_t)) */
      v8f f = _mm256_mul_ps(sb, vst);
      for (int j = 0; j < 8; j++) {
        v8f fj = lane(f, j);
        _mm256_storeu_ps(o + 16 * j, _mm256_mul_ps(e2m1_values(c + 16 * j, mag), fj));
        _mm256_storeu_ps(o + 16 * j + 8, _mm256_mul_ps(e2m1_values(c + 16 * j + 8, mag), fj));
      }
    } else { /* RN((e * s_b) * s_t), e * s_b exact */
      for (int j = 0; j < 8; j++) {
        v8f sj = lane(sb, j);
        _mm256_storeu_ps(o + 16 * j, _mm256_mul_ps(_mm256_mul_ps(e2m1_values(c + 16 * j, mag), sj), vst));
        _mm256_storeu_ps(o + 16 * j + 8, _mm256_mul_ps(_mm256_mul_ps(e2m1_values(c + 16 * j + 8, mag), sj), vst));
      }
    }
  }
  return b;
}

#endif
