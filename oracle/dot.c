/* Oracle dot products: DotGeneral by the definitions in include/mxconform/dot.h, written
 * to be obviously correct rather than fast.
 *
 * Every value is an MPFR number held exactly: elements and scales are decoded by the
 * oracle's own decoder (oracle/decode.c), products are mpfr_mul at a precision that holds
 * them exactly, sums are mpfr_sum at a precision computed from the terms' exponents so
 * that nothing rounds (every such call checks its ternary value and aborts if it is not
 * zero). Rounding to FP32 is done by the definition — the nearest multiple of the FP32 grid
 * at the value — not by MPFR's exponent-range emulation, so no global MPFR state changes.
 * Each model step of dot.h is one function call below, in the order dot.h states them. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "oracle_dot.h"

static void exact_or_die(int ternary) {
  if (ternary != 0) abort(); /* an oracle step that was meant to be exact rounded */
}

/* ---- exact element and scale values, decoded once --------------------------------------- */

typedef struct decoded {
  mx_class cls;
  int sign;
  mpfr_t v; /* exact signed value (signed zero; NaN/Inf as MPFR's) */
} decoded;

static decoded g_elem[MX_BLOCK_FMT_COUNT][256];
static decoded g_scale[256];
static pthread_once_t g_decode_once = PTHREAD_ONCE_INIT;

static void decode_into(decoded *d, mx_fmt fmt, uint32_t code) {
  mpfr_init2(d->v, 64); /* every element and scale value has <= 8 significant bits */
  d->cls = mx_classify(fmt, code);
  d->sign = mx_code_sign(fmt, code);
  mxo_decode_signed(fmt, code, d->v);
}

static void decode_all(void) {
  for (int f = 0; f < MX_BLOCK_FMT_COUNT; f++) {
    mx_fmt e = mx_block_element((mx_block_fmt)f);
    uint32_t mask = (1u << mx_format(e)->bits) - 1u;
    for (uint32_t c = 0; c < 256; c++) decode_into(&g_elem[f][c], e, c & mask); /* high bits ignored */
  }
  for (uint32_t c = 0; c < 256; c++) decode_into(&g_scale[c], MX_E8M0, c);
}

static const decoded *elem(const mx_dot_vec *v, size_t j, size_t k, size_t i) {
  return &g_elem[v->fmt][v->codes[j * k + i]];
}

/* ---- exact sums --------------------------------------------------------------------------- */

/* out := the exact sum of n finite terms. Zero: -0 when every term is -0, else +0 (dot.h).
 * out must not be one of the terms. */
static void exact_sum(mpfr_t out, mpfr_ptr *t, size_t n) {
  int any = 0, all_neg_zero = 1;
  mpfr_exp_t hi = 0, lo = 0;
  for (size_t i = 0; i < n; i++) {
    if (mpfr_zero_p(t[i])) {
      if (!mpfr_signbit(t[i])) all_neg_zero = 0;
      continue;
    }
    all_neg_zero = 0;
    mpfr_exp_t e = mpfr_get_exp(t[i]);                      /* 2^(e-1) <= |t| < 2^e */
    mpfr_exp_t l = e - (mpfr_exp_t)mpfr_get_prec(t[i]);     /* t is a multiple of 2^l */
    if (!any || e > hi) hi = e;
    if (!any || l < lo) lo = l;
    any = 1;
  }
  if (!any) {
    mpfr_set_prec(out, 2);
    mpfr_set_zero(out, all_neg_zero ? -1 : 1);
    return;
  }
  /* n terms below 2^hi sum to below n * 2^hi: hi - lo bits plus the carries of n terms. */
  mpfr_prec_t p = (mpfr_prec_t)(hi - lo) + 2;
  for (size_t m = n; m; m >>= 1) p++;
  mpfr_set_prec(out, p);
  exact_or_die(mpfr_sum(out, t, (unsigned long)n, MPFR_RNDN));
  if (mpfr_zero_p(out)) mpfr_set_zero(out, 1); /* cancellation of nonzero terms: +0 */
}

static void exact_sum2(mpfr_t out, mpfr_srcptr a, mpfr_srcptr b) {
  mpfr_t ta, tb;
  mpfr_init2(ta, mpfr_get_prec(a));
  mpfr_init2(tb, mpfr_get_prec(b));
  mpfr_set(ta, a, MPFR_RNDN);
  mpfr_set(tb, b, MPFR_RNDN);
  mpfr_ptr t[2] = {ta, tb};
  exact_sum(out, t, 2);
  mpfr_clear(ta);
  mpfr_clear(tb);
}

/* r := a + b with IEEE 754 special-value rules on top of the exact sum. r may alias a or b. */
static void add_ieee(mpfr_t r, mpfr_srcptr a, mpfr_srcptr b) {
  if (mpfr_nan_p(a) || mpfr_nan_p(b)) {
    mpfr_set_nan(r);
  } else if (mpfr_inf_p(a) && mpfr_inf_p(b)) {
    if (mpfr_signbit(a) != mpfr_signbit(b)) mpfr_set_nan(r);
    else mpfr_set_inf(r, mpfr_signbit(a) ? -1 : 1);
  } else if (mpfr_inf_p(a)) {
    mpfr_set_inf(r, mpfr_signbit(a) ? -1 : 1);
  } else if (mpfr_inf_p(b)) {
    mpfr_set_inf(r, mpfr_signbit(b) ? -1 : 1);
  } else {
    mpfr_t s;
    mpfr_init2(s, 2);
    exact_sum2(s, a, b);
    mpfr_set_prec(r, mpfr_get_prec(s));
    mpfr_set(r, s, MPFR_RNDN);
    mpfr_clear(s);
  }
}

/* ---- rounding to FP32 --------------------------------------------------------------------- */

/* x rounded to the format with FP32's exponent range and `frac` fraction bits (23: FP32
 * itself), returned as the FP32 bits of that value (every such value is an FP32 value). */
static uint32_t round_to_frac(mpfr_srcptr x, mx_dot_round mode, mx_dot_subnormal subnormal, int frac) {
  uint32_t sign = mpfr_signbit(x) ? 0x80000000u : 0u;
  if (mpfr_zero_p(x)) return sign;
  /* The grid at x: the ulp of x's binade (frac + 1 significant bits), but never finer than
   * the subnormal spacing 2^(-126 - frac) (2^-149 for FP32). */
  mpfr_exp_t e = mpfr_get_exp(x) - 1; /* 2^e <= |x| < 2^(e+1) */
  long q = (e < -126 ? -126 : (long)e) - frac;
  mpfr_t n;
  mpfr_init2(n, mpfr_get_prec(x) + 2);
  exact_or_die(mpfr_abs(n, x, MPFR_RNDN));
  exact_or_die(mpfr_mul_2si(n, n, -q, MPFR_RNDN));
  if (mode == MX_DOT_RTZ) mpfr_trunc(n, n);
  else mpfr_rint(n, n, MPFR_RNDN); /* to the nearest integer, ties to even */
  /* The result is n * 2^q. */
  uint32_t bits;
  if (mpfr_zero_p(n)) {
    bits = 0; /* underflow to zero */
  } else if (mpfr_cmp_ui_2exp(n, 1, 128 - q) >= 0) {
    /* >= 2^128: overflow, to Inf or to the format's largest finite value */
    bits = mode == MX_DOT_RTZ ? 0x7F800000u - (1u << (23 - frac)) : 0x7F800000u;
  } else {
    /* the same value on FP32's own grid at x: n * 2^q = (n * 2^(23 - frac)) * 2^(q - 23 + frac) */
    exact_or_die(mpfr_mul_2si(n, n, 23 - frac, MPFR_RNDN));
    q -= 23 - frac;
    unsigned long N = mpfr_get_ui(n, MPFR_RNDN); /* an integer <= 2^24 */
    if (N < (1ul << 23)) {
      bits = (uint32_t)N; /* only possible on the subnormal grid (q = -149) */
    } else {
      if (N == (1ul << 24)) { /* rounding carried into the next binade */
        N >>= 1;
        q += 1;
      }
      bits = ((uint32_t)(q + 23 + 127) << 23) | (uint32_t)(N - (1ul << 23));
    }
  }
  mpfr_clear(n);
  if (subnormal == MX_DOT_SUBN_FLUSH && bits != 0 && bits < 0x00800000u) bits = 0;
  return sign | bits;
}

uint32_t mxo_round_f32(mpfr_srcptr x, mx_dot_round mode, mx_dot_subnormal subnormal) {
  return round_to_frac(x, mode, subnormal, 23);
}

/* x := FP32 value of bits, exactly (NaN/Inf as MPFR's). */
static void set_f32(mpfr_t x, uint32_t bits) {
  mpfr_set_prec(x, 64);
  mxo_decode_signed(MX_F32, bits, x);
}

/* R(x): round a finite x to FP32 in place; NaN and Inf stay. */
static void round_f32_in_place(mpfr_t x, mx_dot_round mode, mx_dot_subnormal subn) {
  if (!mpfr_number_p(x)) return;
  set_f32(x, mxo_round_f32(x, mode, subn));
}

/* R_acc: the rounding of the accumulator and of intermediate results. */
static void round_acc(mpfr_t x, const mx_dot_model *m) {
  switch (m->accum) {
  case MX_DOT_ACCUM_F32_RNE: round_f32_in_place(x, MX_DOT_RNE, m->subnormal); break;
  case MX_DOT_ACCUM_F32_RTZ: round_f32_in_place(x, MX_DOT_RTZ, m->subnormal); break;
  default: break; /* exact: no rounding */
  }
}

/* R_step: the output of a fused step, rounded to step_frac fraction bits (dot.h); the
 * identity for plain FP32 steps (step_frac 23 or 0). No flushing of its own: the R_acc or
 * R_fin that always follows it does that. */
static void round_step(mpfr_t x, const mx_dot_model *m) {
  if (m->step_frac == 0 || m->step_frac >= 23 || !mpfr_number_p(x)) return;
  set_f32(x, round_to_frac(x, m->step_round, MX_DOT_SUBN_KEEP, m->step_frac));
}

static uint32_t final_bits(mpfr_srcptr x, const mx_dot_model *m) {
  if (mpfr_nan_p(x)) return MX_DOT_F32_NAN;
  if (mpfr_inf_p(x)) return (mpfr_signbit(x) ? 0x80000000u : 0u) | 0x7F800000u;
  return mxo_round_f32(x, m->final_round, m->subnormal);
}

/* ---- the fused sum Align_f ---------------------------------------------------------------- */

/* out := Align_f(terms): each nonzero term cut to a multiple of 2^(E - f) by the alignment
 * rounding, E = max floor(log2|t|), then the exact sum. out must not be one of the terms. */
static void align_sum(mpfr_t out, mpfr_ptr *t, size_t n, const mx_dot_model *m) {
  if (m->frac_bits == MX_DOT_FRAC_EXACT) {
    exact_sum(out, t, n);
    return;
  }
  int any = 0;
  mpfr_exp_t E = 0;
  for (size_t i = 0; i < n; i++) {
    if (mpfr_zero_p(t[i])) continue;
    mpfr_exp_t e = mpfr_get_exp(t[i]) - 1; /* floor(log2|t|) */
    if (!any || e > E) E = e;
    any = 1;
  }
  if (!any) {
    exact_sum(out, t, n); /* all zeros: the signed-zero rule */
    return;
  }
  long unit = (long)E - m->frac_bits; /* the grid: multiples of 2^unit */
  mpfr_ptr *r = malloc(n * sizeof *r);
  mpfr_t *store = malloc(n * sizeof *store);
  if (!r || !store) abort();
  for (size_t i = 0; i < n; i++) {
    /* an integer part never needs more bits than the number it came from, plus a carry */
    mpfr_init2(store[i], mpfr_get_prec(t[i]) + 2);
    r[i] = store[i];
    if (mpfr_zero_p(t[i])) {
      mpfr_set(r[i], t[i], MPFR_RNDN); /* keeps its sign for the zero rule */
      continue;
    }
    exact_or_die(mpfr_mul_2si(r[i], t[i], -unit, MPFR_RNDN));
    switch (m->align) {
    case MX_DOT_ALIGN_TRUNC: mpfr_trunc(r[i], r[i]); break;
    case MX_DOT_ALIGN_FLOOR: mpfr_floor(r[i], r[i]); break;
    default: mpfr_rint(r[i], r[i], MPFR_RNDN); break; /* nearest, ties to the even multiple */
    }
    exact_or_die(mpfr_mul_2si(r[i], r[i], unit, MPFR_RNDN));
    if (mpfr_zero_p(r[i])) mpfr_set_zero(r[i], 1); /* a nonzero term cut to 0 is not a -0 addend */
  }
  exact_sum(out, r, n);
  for (size_t i = 0; i < n; i++) mpfr_clear(store[i]);
  free(store);
  free(r);
}

/* ---- argument checks and special values ----------------------------------------------------- */

static int model_ok(const mx_dot_model *m) {
  if ((unsigned)m->align >= MX_DOT_ALIGN_COUNT || (unsigned)m->scale_at >= MX_DOT_SCALE_AT_COUNT ||
      (unsigned)m->acc >= MX_DOT_ACC_COUNT || (unsigned)m->c_at >= MX_DOT_C_AT_COUNT ||
      (unsigned)m->final_round >= MX_DOT_ROUND_COUNT || (unsigned)m->accum >= MX_DOT_ACCUM_COUNT ||
      (unsigned)m->subnormal >= MX_DOT_SUBN_COUNT)
    return 0;
  if (m->frac_bits != MX_DOT_FRAC_EXACT && (m->frac_bits < 0 || m->frac_bits > MX_DOT_FRAC_MAX)) return 0;
  if (m->acc == MX_DOT_ACC_FUSED && m->scale_at != MX_DOT_SCALE_PRODUCT) return 0;
  if ((unsigned)m->assign >= MX_DOT_ASSIGN_COUNT || (unsigned)m->step_round >= MX_DOT_ROUND_COUNT) return 0;
  if (m->step_frac < 0 || m->step_frac > 23) return 0;
  if (m->step_frac != 0 && m->step_frac != 23 && m->accum == MX_DOT_ACCUM_EXACT) return 0;
  return 1;
}

static int args_ok(const mx_dot_vec *a, const mx_dot_vec *b, size_t n, size_t k) {
  if (!a || !b || k < 1 || k > MX_BLOCK_MAX) return 0;
  if ((unsigned)a->fmt >= MX_BLOCK_FMT_COUNT || (unsigned)b->fmt >= MX_BLOCK_FMT_COUNT) return 0;
  if (n && (!a->scales || !b->scales || !a->codes || !b->codes)) return 0;
  return 1;
}

/* Rules 1-4 of dot.h. Returns 1 and sets out when a special value decides the result. */
static int special_result(const mx_dot_vec *a, const mx_dot_vec *b, size_t n, size_t k, const uint32_t *c,
                          mpfr_t out) {
  int nan = 0, pinf = 0, ninf = 0;
  for (size_t j = 0; j < n; j++) {
    if (g_scale[a->scales[j]].cls == MX_CLASS_NAN || g_scale[b->scales[j]].cls == MX_CLASS_NAN) nan = 1;
    for (size_t i = 0; i < k; i++) {
      const decoded *x = elem(a, j, k, i), *y = elem(b, j, k, i);
      if (x->cls == MX_CLASS_NAN || y->cls == MX_CLASS_NAN) {
        nan = 1;
      } else if (x->cls == MX_CLASS_INF || y->cls == MX_CLASS_INF) {
        if (x->cls == MX_CLASS_ZERO || y->cls == MX_CLASS_ZERO) nan = 1; /* Inf * 0 */
        else if (x->sign ^ y->sign) ninf = 1;
        else pinf = 1;
      }
    }
  }
  if (c) {
    mx_class cc = mx_classify(MX_F32, *c);
    if (cc == MX_CLASS_NAN) nan = 1;
    else if (cc == MX_CLASS_INF) {
      if (*c >> 31) ninf = 1;
      else pinf = 1;
    }
  }
  if (nan || (pinf && ninf)) {
    mpfr_set_nan(out);
    return 1;
  }
  if (pinf || ninf) {
    mpfr_set_inf(out, pinf ? 1 : -1);
    return 1;
  }
  return 0;
}

/* ---- products ----------------------------------------------------------------------------- */

/* p := P^A_j,i * P^B_j,i, exactly (both finite). p has precision >= 32. */
static void product(mpfr_t p, const mx_dot_vec *a, const mx_dot_vec *b, size_t j, size_t k, size_t i) {
  exact_or_die(mpfr_mul(p, elem(a, j, k, i)->v, elem(b, j, k, i)->v, MPFR_RNDN));
}

/* s := X^A_j * X^B_j, exactly. */
static void block_scale(mpfr_t s, const mx_dot_vec *a, const mx_dot_vec *b, size_t j) {
  exact_or_die(mpfr_mul(s, g_scale[a->scales[j]].v, g_scale[b->scales[j]].v, MPFR_RNDN));
}

/* ---- the exact value ---------------------------------------------------------------------- */

int mxo_dot_exact(const mx_dot_vec *a, const mx_dot_vec *b, size_t n, size_t k, const uint32_t *c, mpfr_t out) {
  if (!args_ok(a, b, n, k)) return MX_DOT_EINVAL;
  pthread_once(&g_decode_once, decode_all);
  if (special_result(a, b, n, k, c, out)) return MX_DOT_OK;
  /* Every term at precision 64 (a product of two <= 8-bit significands, or C), all of them
   * in one limb buffer through MPFR's custom-allocation interface: a million-case proof
   * spends its time on arithmetic, not on malloc. */
  const mpfr_prec_t prec = 64;
  size_t nt = n * k + (c ? 1 : 0), size = mpfr_custom_get_size(prec);
  mpfr_t *store = malloc((nt ? nt : 1) * sizeof *store);
  mpfr_ptr *t = malloc((nt ? nt : 1) * sizeof *t);
  char *limbs = malloc((nt ? nt : 1) * size);
  if (!store || !t || !limbs) abort();
  for (size_t i = 0; i < nt; i++) {
    mpfr_custom_init(limbs + i * size, prec);
    mpfr_custom_init_set(store[i], MPFR_ZERO_KIND, 0, prec, limbs + i * size);
    t[i] = store[i];
  }
  size_t m = 0;
  for (size_t j = 0; j < n; j++) {
    /* X^A_j * X^B_j = 2^(xa + xb): the exponents of the decoded scales (powers of two) */
    long xe = (long)(mpfr_get_exp(g_scale[a->scales[j]].v) - 1) + (long)(mpfr_get_exp(g_scale[b->scales[j]].v) - 1);
    for (size_t i = 0; i < k; i++, m++) {
      product(store[m], a, b, j, k, i);
      exact_or_die(mpfr_mul_2si(store[m], store[m], xe, MPFR_RNDN)); /* a power of two: exact */
    }
  }
  if (c) {
    mpfr_t cv;
    mpfr_init2(cv, 64);
    mxo_decode_signed(MX_F32, *c, cv);
    exact_or_die(mpfr_set(store[m], cv, MPFR_RNDN));
    mpfr_clear(cv);
    m++;
  }
  mpfr_t sum;
  mpfr_init2(sum, 2);
  if (m == 0) mpfr_set_zero(sum, -1); /* no terms, no C: the empty sum, -0 */
  else exact_sum(sum, t, m);
  mpfr_set_prec(out, mpfr_get_prec(sum));
  mpfr_set(out, sum, MPFR_RNDN);
  mpfr_clear(sum);
  free(limbs); /* custom-allocated numbers need no mpfr_clear */
  free(store);
  free(t);
  return MX_DOT_OK;
}

/* ---- the models ---------------------------------------------------------------------------- */

/* so: NULL, or the exact block scales s_j that replace the E8M0 products (NVFP4) */
static int dot_general(const mx_dot_vec *a, const mx_dot_vec *b, size_t n, size_t k, const uint32_t *c,
                       const mx_dot_model *mp, mpfr_srcptr const *so, uint32_t *out) {
  mx_dot_model def = MX_DOT_MODEL_EXACT_RNE;
  const mx_dot_model *m = mp ? mp : &def;
  if (!args_ok(a, b, n, k) || !out || !model_ok(m)) return MX_DOT_EINVAL;
  pthread_once(&g_decode_once, decode_all);

  mpfr_t acc;
  mpfr_init2(acc, 64);
  if (special_result(a, b, n, k, c, acc)) {
    *out = final_bits(acc, m);
    mpfr_clear(acc);
    return MX_DOT_OK;
  }

  size_t g = (m->group == 0 || m->group > k) ? k : m->group;
  size_t h = m->presum <= 1 ? 1 : m->presum;
  size_t steps_per_block = (k + g - 1) / g;
  int interleaved = m->assign == MX_DOT_ASSIGN_INTERLEAVED;
  int c_last = c && m->c_at == MX_DOT_C_LAST;
  size_t updates = n * steps_per_block + (c_last ? 1 : 0), u = 0;

  /* acc := (C present and c_at = first) ? C : -0 */
  if (c && m->c_at == MX_DOT_C_FIRST) set_f32(acc, *c);
  else mpfr_set_zero(acc, -1);

  /* pools: the products of one chunk, the step's terms (+ the accumulator), the indices
   * of the step's products (an interleaved step may hold more than g products) */
  mpfr_t *prod = malloc(h * sizeof *prod);
  mpfr_t *term = malloc((k + 1) * sizeof *term);
  mpfr_ptr *pp = malloc(h * sizeof *pp), *tp = malloc((k + 1) * sizeof *tp);
  size_t *idx = malloc(k * sizeof *idx);
  if (!prod || !term || !pp || !tp || !idx) abort();
  for (size_t i = 0; i < h; i++) {
    mpfr_init2(prod[i], 32);
    pp[i] = prod[i];
  }
  for (size_t i = 0; i <= k; i++) mpfr_init2(term[i], 64);
  mpfr_t s, v, d;
  mpfr_inits2(64, s, v, d, (mpfr_ptr)0);

  for (size_t j = 0; j < n; j++) {
    if (so) {
      mpfr_set_prec(s, mpfr_get_prec(so[j]));
      mpfr_set(s, so[j], MPFR_RNDN);
    } else {
      block_scale(s, a, b, j);
    }
    for (size_t t = 0; t < steps_per_block; t++) {
      /* the step's products, in order (dot.h "Steps") */
      size_t cnt = 0;
      if (interleaved)
        for (size_t i = t; i < k; i += steps_per_block) idx[cnt++] = i;
      else
        for (size_t i = t * g; i < k && i < t * g + g; i++) idx[cnt++] = i;
      int last = ++u == updates;
      /* chunks: runs of h of the step's products, each summed exactly into one term */
      size_t nt = 0;
      for (size_t ch = 0; ch < cnt; ch += h, nt++) {
        size_t ce = ch + h < cnt ? ch + h : cnt;
        for (size_t i = ch; i < ce; i++) product(prod[i - ch], a, b, j, k, idx[i]);
        exact_sum(term[nt], pp, ce - ch);
        if (m->scale_at == MX_DOT_SCALE_PRODUCT) {
          /* room for the product: s need not be a power of two (NVFP4) */
          exact_or_die(mpfr_prec_round(term[nt], mpfr_get_prec(term[nt]) + mpfr_get_prec(s), MPFR_RNDN));
          exact_or_die(mpfr_mul(term[nt], term[nt], s, MPFR_RNDN));
        }
        tp[nt] = term[nt];
      }
      if (m->acc == MX_DOT_ACC_FUSED) {
        /* acc := R_acc(Align_f({acc} U {s_j * chunk})); an Inf/NaN acc passes through */
        if (mpfr_number_p(acc)) {
          mpfr_set_prec(term[nt], mpfr_get_prec(acc));
          mpfr_set(term[nt], acc, MPFR_RNDN);
          tp[nt] = term[nt];
          align_sum(v, tp, nt + 1, m);
          round_step(v, m); /* R_step */
          mpfr_set_prec(acc, mpfr_get_prec(v));
          mpfr_set(acc, v, MPFR_RNDN);
        }
      } else {
        align_sum(v, tp, nt, m);
        round_step(v, m); /* R_step */
        if (m->scale_at == MX_DOT_SCALE_GROUP) {
          /* d := R_acc(s_j * R_acc(R_step(Align_f({chunk})))) */
          round_acc(v, m);
          mpfr_set_prec(d, mpfr_get_prec(v) + mpfr_get_prec(s));
          exact_or_die(mpfr_mul(d, v, s, MPFR_RNDN));
        } else {
          /* d := R_acc(Align_f({s_j * chunk})) */
          mpfr_set_prec(d, mpfr_get_prec(v));
          mpfr_set(d, v, MPFR_RNDN);
        }
        round_acc(d, m);
        add_ieee(acc, acc, d); /* acc := acc + d */
      }
      if (!last) round_acc(acc, m);
    }
  }
  if (c_last) {
    set_f32(d, *c);
    add_ieee(acc, acc, d); /* the last update: not rounded by R_acc */
  }
  *out = final_bits(acc, m); /* R_fin */

  mpfr_clears(s, v, d, acc, (mpfr_ptr)0);
  for (size_t i = 0; i < h; i++) mpfr_clear(prod[i]);
  for (size_t i = 0; i <= k; i++) mpfr_clear(term[i]);
  free(idx);
  free(prod);
  free(term);
  free(pp);
  free(tp);
  return MX_DOT_OK;
}

int mxo_dot_general(const mx_dot_vec *a, const mx_dot_vec *b, size_t n, size_t k, const uint32_t *c,
                    const mx_dot_model *m, uint32_t *out) {
  return dot_general(a, b, n, k, c, m, NULL, out);
}

int mxo_dot_general_scaled(const mx_dot_vec *a, const mx_dot_vec *b, size_t n_blocks, size_t k, const uint32_t *c,
                           const mx_dot_model *m, mpfr_srcptr const *s, uint32_t *out) {
  if (n_blocks && !s) return MX_DOT_EINVAL;
  return dot_general(a, b, n_blocks, k, c, m, s, out);
}
