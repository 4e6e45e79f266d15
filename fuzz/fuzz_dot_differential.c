/* fuzz_dot_differential — property: libmxref's DotGeneral (MX §6.1/§6.2) is the MPFR
 * oracle's, bit for bit (NaN results compared as "any NaN"), for the exact value rounded
 * once and for every accumulation model both implement, on every code path:
 *
 *     mxref_dot_general(a, b, n, 32, c, m) == mxo_dot_general(a, b, n, 32, c, m)
 *
 * for m = NULL (exact-rne), every preset of mx_dot_presets, and one model built from the
 * input bytes. Where libmxref answers MX_DOT_EUNSUPPORTED (finite frac_bits with accum =
 * exact) only the statuses are checked: the oracle must answer MX_DOT_OK, and the model
 * must be one dot.h lets libmxref refuse. A model mx_dot_model_check rejects must give
 * MX_DOT_EINVAL from both. When the CPU has AVX2, libmxref runs on MXREF_PATH_SCALAR and on
 * MXREF_PATH_AVX2 and the two results must be the same bits (the oracle is compared with
 * the scalar result); the path in use before the run is restored afterwards. For one block
 * without C, mxref_dot (the single-block entry point) gives the same bits too.
 *
 * Input layout (missing bytes read as 0):
 *   [0] format A (mxfp8_e4m3 .. mxint8, mod 6)   [1] format B   [2] blocks - 1 (mod 4)
 *   [3] C mode (mod 6), using the C bytes [4..7]: 0 none, 1 raw f32 bits, 2 an f32 special
 *       (fz_special), 3 +-2^e (e = -149 .. 127), 4 minus the exact-rne result without C,
 *       nudged by 0..3 ulps (cancellation against C), 5 the exact-rne result itself
 *   [4..7] the C bytes   [8..17] the fuzzed model: group, presum, frac_bits, align,
 *       scale_at, acc, c_at, final_round, accum, subnormal (each byte mapped onto its
 *       range; see fz_model)   [18] assign, step_round, step_frac (read always; used where
 *       dot.h has these fields)
 *   then for each block j and each operand (A then B): a scale mode byte (raw, 0x00, 0xFE,
 *   0xFF, near 0x7F, the edges 0x01/0xFD, the other operand's scale, the inverse of the
 *   other operand's scale) with its byte, and a code pattern byte choosing how the 32
 *   element codes are made: raw bytes (high bits included: they are ignored by the API),
 *   a class per element (zero, max, NaN, Inf, min subnormal, one, raw), cancellation
 *   inside the block (the second half negates the first), all max (the sum's top),
 *   sparse, a constant, the negation of this operand's previous block (cancellation
 *   across blocks), or alternating max / min subnormal (alignment losses).
 */
#include <math.h>

#include "fuzz_common.h"
#include "mxconform/block.h"
#include "mxconform/dot.h"
#include "mxconform/mxref.h"
#include "oracle_dot.h"

#define K 32
#define NBMAX 4

static const uint8_t *g_data;
static size_t g_size;

static int f32_is_nan(uint32_t b) { return (b & 0x7F800000u) == 0x7F800000u && (b & 0x007FFFFFu); }
static int same_f32(uint32_t x, uint32_t y) { return f32_is_nan(x) ? f32_is_nan(y) : x == y; }

/* ---- element codes of one block format ---------------------------------------------------- */

typedef struct fmt_codes {
  const mx_format_desc *d;
  uint8_t mask, sign, max, one, nan, inf; /* nan/inf: 0 when the format has none (then max) */
} fmt_codes;

static fmt_codes codes_of(mx_block_fmt bf) {
  fmt_codes c;
  mx_fmt e = mx_block_element(bf);
  c.d = mx_format(e);
  c.mask = (uint8_t)fz_mask(c.d->bits);
  c.sign = c.d->kind == MX_KIND_INT ? 0 : (uint8_t)(1u << (c.d->bits - 1));
  c.max = (uint8_t)c.d->max_code;
  c.one = (uint8_t)mxref_convert_one(e, MX_F32, 0x3F800000u, NULL, 0);
  c.nan = e == MX_E4M3 ? 0x7F : e == MX_E5M2 ? 0x7E : 0;
  c.inf = e == MX_E5M2 ? 0x7C : 0;
  return c;
}

/* -code: the sign bit for the float formats, two's complement for INT8 (-(-2) = -2). */
static uint8_t neg_code(const fmt_codes *c, uint8_t code) {
  if (c->d->kind == MX_KIND_INT) return (uint8_t)(-(int)code);
  return (uint8_t)((code ^ c->sign) & c->mask);
}

static uint8_t with_sign(const fmt_codes *c, uint8_t code, int s) { return s ? neg_code(c, code) : code; }

static uint8_t class_code(const fmt_codes *c, uint8_t sel, uint8_t rnd) {
  int s = sel >> 7;
  switch (sel & 7) {
  case 0: return with_sign(c, 0, s);
  case 1: return with_sign(c, c->max, s);
  case 2: return with_sign(c, c->nan ? c->nan : c->max, s);
  case 3: return with_sign(c, c->inf ? c->inf : c->max, s);
  case 4: return with_sign(c, 1, s); /* smallest subnormal (INT8: 2^-6) */
  case 5: return with_sign(c, c->one, s);
  case 6: return with_sign(c, (uint8_t)(c->max - (rnd & 3)), s); /* just below max */
  default: return rnd;                                         /* raw, high bits too */
  }
}

/* Alternating max / smallest subnormal, signs from 4 bytes (alignment losses). */
static void alternating(fz *f, const fmt_codes *c, uint8_t *out) {
  uint32_t signs = (uint32_t)fz_le(f, 4);
  for (int i = 0; i < K; i++) out[i] = with_sign(c, i & 1 ? 1 : c->max, (int)(signs >> i & 1));
}

/* The 32 codes of one block. prev: this operand's previous block, or NULL. */
static void fz_block_codes(fz *f, const fmt_codes *c, uint8_t *out, const uint8_t *prev) {
  uint8_t pat = fz_u8(f);
  switch (pat % 9) {
  case 0: /* raw */
    for (int i = 0; i < K; i++) out[i] = fz_u8(f);
    break;
  case 1: /* a class per element */
    for (int i = 0; i < K; i++) {
      uint8_t sel = fz_u8(f);
      out[i] = class_code(c, sel, (sel & 7) == 7 || (sel & 7) == 6 ? fz_u8(f) : 0);
    }
    break;
  case 2: { /* cancellation inside the block: b[16+i] = -b[i], then a few nudges */
    for (int i = 0; i < K / 2; i++) out[i] = fz_u8(f) & c->mask;
    for (int i = 0; i < K / 2; i++) out[K / 2 + i] = neg_code(c, out[i]);
    unsigned nudges = fz_u8(f) % 3;
    for (unsigned j = 0; j < nudges; j++) {
      uint8_t at = fz_u8(f);
      out[at % K] = (uint8_t)((out[at % K] + 1 + (at >> 5)) & c->mask);
    }
    break;
  }
  case 3: { /* all max, sign pattern from the bits of 4 bytes */
    uint32_t signs = (uint32_t)fz_le(f, 4);
    for (int i = 0; i < K; i++) out[i] = with_sign(c, c->max, (int)(signs >> i & 1));
    break;
  }
  case 4: { /* sparse: zeros, then up to 3 chosen elements */
    memset(out, 0, K);
    unsigned m = 1 + fz_u8(f) % 3;
    for (unsigned j = 0; j < m; j++) {
      uint8_t at = fz_u8(f);
      out[at % K] = fz_u8(f);
    }
    break;
  }
  case 5: { /* one code everywhere */
    uint8_t v = fz_u8(f);
    memset(out, v, K);
    break;
  }
  case 6: /* the negation of the previous block (cancellation across blocks) */
    if (prev) {
      for (int i = 0; i < K; i++) out[i] = neg_code(c, prev[i] & c->mask);
      uint8_t at = fz_u8(f);
      if (at & 0x80) out[at % K] = fz_u8(f);
    } else {
      alternating(f, c, out); /* no previous block */
    }
    break;
  case 7: alternating(f, c, out); break;
  default: { /* classes, one selector per 4 elements */
    for (int i = 0; i < K; i += 4) {
      uint8_t sel = fz_u8(f), rnd = fz_u8(f);
      for (int j = 0; j < 4; j++) out[i + j] = class_code(c, (uint8_t)(sel ^ (j << 7)), (uint8_t)(rnd + j));
    }
    break;
  }
  }
}

static uint8_t fz_scale(fz *f, int other, int have_other) {
  uint8_t mode = fz_u8(f), v = fz_u8(f);
  switch (mode % 9) {
  case 0:
  case 1: return v;
  case 2: return 0x00; /* 2^-127 */
  case 3: return 0xFE; /* 2^127 */
  case 4: return 0xFF; /* NaN */
  case 5: return (uint8_t)(0x7F + (int8_t)v / 8);
  case 6: return v & 1 ? 0x01 : 0xFD;
  case 7: return have_other ? (uint8_t)other : v;
  default: return have_other && other != 0xFF ? (uint8_t)(254 - other) : v; /* product 2^0 */
  }
}

/* A model from 10 bytes, always valid (acc = fused needs scale_at = product). */
static void fz_model(fz *f, mx_dot_model *m) {
  static const unsigned groups[8] = {0, 1, 2, 4, 8, 16, 32, 3};
  static const unsigned presums[8] = {0, 1, 2, 4, 8, 16, 32, 5};
  mx_dot_model_default(m);
  m->group = groups[fz_u8(f) & 7];
  m->presum = presums[fz_u8(f) & 7];
  uint8_t fb = fz_u8(f);
  m->frac_bits = fb < 32 ? MX_DOT_FRAC_EXACT : fb < 250 ? (fb - 32) % 64 : (int)(fb - 250) * 200; /* .. 1000 */
  m->align = (mx_dot_align)fz_pick(f, MX_DOT_ALIGN_COUNT);
  m->scale_at = (mx_dot_scale_at)fz_pick(f, MX_DOT_SCALE_AT_COUNT);
  m->acc = (mx_dot_acc)fz_pick(f, MX_DOT_ACC_COUNT);
  if (m->acc == MX_DOT_ACC_FUSED) m->scale_at = MX_DOT_SCALE_PRODUCT;
  m->c_at = (mx_dot_c_at)fz_pick(f, MX_DOT_C_AT_COUNT);
  m->final_round = (mx_dot_round)fz_pick(f, MX_DOT_ROUND_COUNT);
  m->accum = (mx_dot_accum)fz_pick(f, MX_DOT_ACCUM_COUNT);
  m->subnormal = (mx_dot_subnormal)fz_pick(f, MX_DOT_SUBN_COUNT);
  uint8_t sp = fz_u8(f); /* read always: the layout does not depend on the header */
#ifdef MX_DOT_STEP_FRAC_F32 /* the step parameters (assign, step_frac, step_round), where dot.h has them */
  m->assign = (mx_dot_assign)(sp & 1);
  m->step_round = (mx_dot_round)(sp >> 1 & 1);
  unsigned sf = sp >> 2; /* 0 .. 63: half the inputs keep plain FP32 */
  m->step_frac = sf < 32 ? MX_DOT_STEP_FRAC_F32 : (int)(sf - 32) % 24; /* 0 (= FP32) .. 23 */
#else
  (void)sp;
#endif
}

/* ---- reporting --------------------------------------------------------------------------------- */

static mx_dot_vec g_a, g_b;
static size_t g_nb;
static const uint32_t *g_c;

static void print_model(const char *name, const mx_dot_model *m) {
  if (!m) m = &mx_dot_presets[0].model;
  fprintf(stderr,
          "model %s: group %u presum %u frac_bits %d align %s scale_at %s acc %s c_at %s final_round %s accum %s "
          "subnormal %s\n",
          name, m->group, m->presum, m->frac_bits, mx_dot_align_names[m->align], mx_dot_scale_at_names[m->scale_at],
          mx_dot_acc_names[m->acc], mx_dot_c_at_names[m->c_at], mx_dot_round_names[m->final_round],
          mx_dot_accum_names[m->accum], mx_dot_subnormal_names[m->subnormal]);
#ifdef MX_DOT_STEP_FRAC_F32
  fprintf(stderr, "  assign %s step_frac %d step_round %s\n", (unsigned)m->assign < MX_DOT_ASSIGN_COUNT ? mx_dot_assign_names[m->assign] : "?",
          m->step_frac, mx_dot_round_names[m->step_round]);
#endif
}

static void print_request(void) {
  fprintf(stderr, "dot %s %s %zu %d ", mx_block_fmt_names[g_a.fmt], mx_block_fmt_names[g_b.fmt], g_nb, K);
  if (g_c) fprintf(stderr, "%x", *g_c);
  else fputc('-', stderr);
  const mx_dot_vec *v[2] = {&g_a, &g_b};
  for (int o = 0; o < 2; o++) {
    for (size_t j = 0; j < g_nb; j++) fprintf(stderr, " %x", v[o]->scales[j]);
    for (size_t i = 0; i < g_nb * K; i++) fprintf(stderr, " %x", v[o]->codes[i]);
  }
}

static void report(const char *name, const mx_dot_model *m) {
  print_model(name, m);
  fprintf(stderr, "reproduce (libmxref's answer; MXREF_PATH=scalar|avx2 picks the path):\n  printf 'mxconform-protocol 1\\n");
  print_request();
  fprintf(stderr, "\\n' | mxconform serve --reference --dot-preset %s\n",
          name[0] == '(' ? "<none: fuzzed model, see above>" : name);
}

#define FAIL_DOT(name, m, ...)                           \
  do {                                                   \
    fprintf(stderr, __VA_ARGS__);                        \
    fputc('\n', stderr);                                 \
    report(name, m);                                     \
    FZ_FAIL(g_data, g_size, "dot differential");         \
  } while (0)

/* ---- the property -------------------------------------------------------------------------------- */

static int g_avx2; /* the AVX2 path is compared too */

/* libmxref on the scalar path (and the AVX2 path: same status and bits), then the oracle. */
static void check_model(const char *name, const mx_dot_model *m) {
  uint32_t rs = 0xDEADBEEFu, ra = 0xDEADBEEFu, ro = 0xDEADBEEFu;
  mxref_set_path(MXREF_PATH_SCALAR);
  int sts = mxref_dot_general(&g_a, &g_b, g_nb, K, g_c, m, &rs);
  if (g_avx2) {
    mxref_set_path(MXREF_PATH_AVX2);
    int sta = mxref_dot_general(&g_a, &g_b, g_nb, K, g_c, m, &ra);
    mxref_set_path(MXREF_PATH_SCALAR);
    if (sta != sts || (sts == MX_DOT_OK && ra != rs))
      FAIL_DOT(name, m, "mxref_dot_general: scalar path status %d result 0x%08x, avx2 path status %d result 0x%08x", sts,
               rs, sta, ra);
  }
  int sto = mxo_dot_general(&g_a, &g_b, g_nb, K, g_c, m, &ro);
  const char *why = m ? mx_dot_model_check(m) : NULL;
  if (why) { /* an invalid model: both say so */
    if (sts != MX_DOT_EINVAL || sto != MX_DOT_EINVAL)
      FAIL_DOT(name, m, "invalid model (%s): mxref_dot_general returned %d, mxo_dot_general %d (want %d)", why, sts, sto,
               MX_DOT_EINVAL);
    return;
  }
  if (sto != MX_DOT_OK) FAIL_DOT(name, m, "mxo_dot_general returned %d on a valid model", sto);
  if (sts == MX_DOT_EUNSUPPORTED) {
    /* allowed only where dot.h says so: a finite grid (frac_bits, or a narrowed step output)
     * with an exact accumulator */
    int cut = m && m->frac_bits != MX_DOT_FRAC_EXACT;
#ifdef MX_DOT_STEP_FRAC_F32
    cut = cut || (m && m->step_frac != 0 && m->step_frac != MX_DOT_STEP_FRAC_F32);
#endif
    if (!(cut && m->accum == MX_DOT_ACCUM_EXACT))
      FAIL_DOT(name, m, "mxref_dot_general returned MX_DOT_EUNSUPPORTED for a model it implements");
    return;
  }
  if (sts != MX_DOT_OK) FAIL_DOT(name, m, "mxref_dot_general returned %d on a valid model", sts);
  if (!same_f32(rs, ro)) FAIL_DOT(name, m, "reference 0x%08x, oracle 0x%08x", rs, ro);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  g_data = data;
  g_size = size;
  fz f = {data, size};
  mx_block_fmt fa = (mx_block_fmt)fz_pick(&f, MX_BLOCK_FMT_COUNT);
  mx_block_fmt fb = (mx_block_fmt)fz_pick(&f, MX_BLOCK_FMT_COUNT);
  size_t nb = 1 + fz_pick(&f, NBMAX);
  unsigned cmode = fz_pick(&f, 6);
  uint8_t cbytes[4];
  for (int i = 0; i < 4; i++) cbytes[i] = fz_u8(&f);
  mx_dot_model fm;
  fz_model(&f, &fm);

  uint8_t sa[NBMAX], sb[NBMAX], ca[NBMAX * K], cb[NBMAX * K];
  fmt_codes ka = codes_of(fa), kb = codes_of(fb);
  for (size_t j = 0; j < nb; j++) {
    sa[j] = fz_scale(&f, 0, 0);
    fz_block_codes(&f, &ka, ca + j * K, j ? ca + (j - 1) * K : NULL);
    sb[j] = fz_scale(&f, sa[j], 1);
    fz_block_codes(&f, &kb, cb + j * K, j ? cb + (j - 1) * K : NULL);
  }
  /* exactly-sized heap copies: ASan sees a read past the last block */
  uint8_t *hsa = malloc(nb), *hsb = malloc(nb), *hca = malloc(nb * K), *hcb = malloc(nb * K);
  if (!hsa || !hsb || !hca || !hcb) abort();
  memcpy(hsa, sa, nb);
  memcpy(hsb, sb, nb);
  memcpy(hca, ca, nb * K);
  memcpy(hcb, cb, nb * K);
  g_a = (mx_dot_vec){fa, hsa, hca};
  g_b = (mx_dot_vec){fb, hsb, hcb};
  g_nb = nb;
  g_c = NULL;

  mxref_path saved = mxref_get_path();
  g_avx2 = mxref_path_supported(MXREF_PATH_AVX2);
  mxref_set_path(MXREF_PATH_SCALAR);

  /* C */
  uint32_t c = 0;
  switch (cmode) {
  case 1: c = (uint32_t)cbytes[0] | (uint32_t)cbytes[1] << 8 | (uint32_t)cbytes[2] << 16 | (uint32_t)cbytes[3] << 24; break;
  case 2: c = (uint32_t)fz_special(MX_F32, cbytes[0], cbytes[1] & 1); break;
  case 3: { /* +-2^e, e in -149 .. 127 */
    int e = -149 + (int)(cbytes[0] % 277);
    c = (cbytes[1] & 1u) << 31 | (e >= -126 ? (uint32_t)(e + 127) << 23 : 1u << (e + 149));
    break;
  }
  case 4:
  case 5: {
    uint32_t r = 0;
    if (mxref_dot_general(&g_a, &g_b, nb, K, NULL, NULL, &r) != MX_DOT_OK) abort();
    if (cmode == 5) {
      c = r;
    } else {
      c = r ^ 0x80000000u;
      if (!f32_is_nan(r) && (r & 0x7FFFFFFFu) != 0x7F800000u) c += (uint32_t)(int8_t)cbytes[0] % 4; /* nudge by ulps */
    }
    break;
  }
  default: break;
  }
  uint32_t hc = c;
  if (cmode) g_c = &hc;

  /* the exact value rounded once (m = NULL), every preset, the fuzzed model */
  check_model("exact-rne", NULL);
  for (const mx_dot_preset *p = mx_dot_presets; p->name; p++) check_model(p->name, &p->model);
  check_model("(fuzzed)", &fm);

  /* the single-block entry point */
  if (nb == 1 && !g_c) {
    uint32_t r1 = 0, rg = 0;
    mxref_dot_general(&g_a, &g_b, 1, K, NULL, NULL, &rg);
    r1 = mxref_dot(fa, hsa[0], hca, fb, hsb[0], hcb, K);
    if (r1 != rg) FAIL_DOT("exact-rne", NULL, "mxref_dot 0x%08x, mxref_dot_general 0x%08x (scalar path)", r1, rg);
    if (g_avx2) {
      mxref_set_path(MXREF_PATH_AVX2);
      uint32_t r2 = mxref_dot(fa, hsa[0], hca, fb, hsb[0], hcb, K);
      mxref_set_path(MXREF_PATH_SCALAR);
      if (r2 != rg) FAIL_DOT("exact-rne", NULL, "mxref_dot on the avx2 path 0x%08x, scalar 0x%08x", r2, rg);
    }
  }

  mxref_set_path(saved);
  free(hsa);
  free(hsb);
  free(hca);
  free(hcb);
  return 0;
}
