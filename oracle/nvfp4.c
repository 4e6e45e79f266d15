/* Oracle NVFP4: the contract of include/mxconform/nvfp4.h, written as its formulas.
 *
 * Numbers are MPFR values of precision P (256 bits). A binary32 step computes the exact
 * result (products of a few binary32 values are exact at P) or, for a quotient, its
 * P-bit rounding, and then rounds that to binary32 with rn32(): a quotient of values with
 * at most 24 significant bits is either exact at P bits or lies far more than 2^-P from
 * any binary32 midpoint, so the two roundings give the correctly rounded quotient. The
 * E4M3/E2M1 roundings are mxo_round_to_element (the value-list definition, RNE, saturating). */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"
#include "oracle_dot.h"
#include "oracle_nvfp4.h"

#define P 256

typedef mpfr_t num;

static void num_init(num x) { mpfr_init2(x, P); }

static void set_f32(num x, uint32_t bits) {
  mpfr_t t;
  mpfr_init2(t, 64);
  mxo_decode_signed(MX_F32, bits, t);
  mpfr_set(x, t, MPFR_RNDN);
  mpfr_clear(t);
}

/* Round x to binary32, round to nearest even: the subnormal quantum 2^-149 below 2^-126,
 * 24 significant bits above, +-Inf from 2^128 on. */
static void rn32(num x) {
  if (!mpfr_regular_p(x)) return;
  if (mpfr_get_exp(x) - 1 < -126) { /* |x| < 2^-126 */
    mpfr_mul_2si(x, x, 149, MPFR_RNDN);
    mpfr_rint(x, x, MPFR_RNDN); /* integer, ties to even */
    mpfr_mul_2si(x, x, -149, MPFR_RNDN);
    return;
  }
  mpfr_t t;
  mpfr_init2(t, 24);
  mpfr_set(t, x, MPFR_RNDN);
  mpfr_set(x, t, MPFR_RNDN);
  mpfr_clear(t);
  if (mpfr_get_exp(x) - 1 >= 128) mpfr_set_inf(x, mpfr_sgn(x));
}

static uint32_t f32_bits(num x) {
  float f = mpfr_get_flt(x, MPFR_RNDN); /* exact: x is already a binary32 value */
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}

static void flt_max(num x) { mpfr_set_flt(x, FLT_MAX, MPFR_RNDN); }

/* E4M3 / E2M1 code of value x (finite, Inf or zero), RNE, saturating. */
static uint8_t round_elem(mx_fmt f, num x) {
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  mxo_value v;
  mxo_value_init(&v);
  mpfr_set_prec(v.mag, P);
  v.sign = mpfr_signbit(x) ? 1 : 0;
  if (mpfr_inf_p(x)) v.cls = MX_CLASS_INF;
  else if (mpfr_zero_p(x)) v.cls = MX_CLASS_ZERO;
  else {
    v.cls = MX_CLASS_NORMAL;
    mpfr_abs(v.mag, x, MPFR_RNDN);
  }
  uint8_t c = (uint8_t)mxo_round_to_element(f, &v, &o, 0);
  mxo_value_clear(&v);
  return c;
}

static void decode(mx_fmt f, uint8_t code, num x) {
  mpfr_t t;
  mpfr_init2(t, 64);
  mxo_decode_signed(f, code, t);
  mpfr_set(x, t, MPFR_RNDN);
  mpfr_clear(t);
}

typedef struct scales {
  num st, senc, amax;
} scales;

static void tensor_scale(scales *s, mx_nvfp4_tensor_scale mode) {
  mpfr_set_ui(s->st, 1, MPFR_RNDN);
  mpfr_set_ui(s->senc, 1, MPFR_RNDN);
  if (mpfr_zero_p(s->amax)) return;
  num m;
  num_init(m);
  mpfr_ui_div(s->senc, 2688, s->amax, MPFR_RNDN);
  rn32(s->senc);
  flt_max(m);
  mpfr_min(s->senc, s->senc, m, MPFR_RNDN);
  if (mpfr_zero_p(s->senc)) {
    mpfr_set_ui(s->senc, 1, MPFR_RNDN);
  } else if (mode == MX_NVFP4_TSCALE_TE) {
    mpfr_ui_div(s->st, 1, s->senc, MPFR_RNDN);
    rn32(s->st);
  } else {
    mpfr_div_ui(s->st, s->amax, 2688, MPFR_RNDN);
    rn32(s->st);
  }
  mpfr_clear(m);
}

static uint8_t block_scale(const num amax_b, scales *s, mx_nvfp4_block_scale mode) {
  num t, u;
  num_init(t);
  num_init(u);
  if (mode == MX_NVFP4_BSCALE_TE) { /* RN(amax_b * RN(S_enc * RN(1/6))) */
    mpfr_set_ui(u, 6, MPFR_RNDN);
    mpfr_ui_div(t, 1, u, MPFR_RNDN);
    rn32(t);
    mpfr_mul(t, s->senc, t, MPFR_RNDN);
    rn32(t);
    mpfr_mul(u, amax_b, t, MPFR_RNDN);
    rn32(u);
  } else { /* amax_b / (6 s_t), exact up to P bits; s_t = 0 gives +Inf (saturates) */
    mpfr_mul_ui(t, s->st, 6, MPFR_RNDN);
    if (mpfr_zero_p(t)) mpfr_set_inf(u, mpfr_zero_p(amax_b) ? 0 : 1);
    else mpfr_div(u, amax_b, t, MPFR_RNDN);
    if (mpfr_zero_p(amax_b)) mpfr_set_zero(u, 1);
  }
  uint8_t c = round_elem(MX_E4M3, u);
  mpfr_clear(t);
  mpfr_clear(u);
  return c;
}

static uint8_t element(const num x, const num sb, const num st, mx_nvfp4_elem_scale mode) {
  num d, q, m;
  num_init(d);
  num_init(q);
  num_init(m);
  mpfr_mul(d, sb, st, MPFR_RNDN); /* exact */
  if (mode == MX_NVFP4_ELEM_RECIPROCAL) { /* c = min(RN(1 / RN(sb st)), FLT_MAX); RN(x c) */
    rn32(d);
    if (mpfr_zero_p(d)) mpfr_set_inf(q, 1);
    else mpfr_ui_div(q, 1, d, MPFR_RNDN);
    rn32(q);
    flt_max(m);
    mpfr_min(q, q, m, MPFR_RNDN);
    mpfr_mul(q, x, q, MPFR_RNDN); /* exact: two binary32 values */
    rn32(q);
  } else if (mpfr_zero_p(x)) {
    mpfr_set(q, x, MPFR_RNDN); /* +-0 stays +-0, also when the scale is 0 */
  } else if (mpfr_zero_p(d)) {
    mpfr_set_inf(q, mpfr_sgn(x));
  } else {
    mpfr_div(q, x, d, MPFR_RNDN);
  }
  uint8_t c = round_elem(MX_E2M1, q);
  mpfr_clear(d);
  mpfr_clear(q);
  mpfr_clear(m);
  return c;
}

int mxo_nvfp4_quantize(const uint32_t *values, size_t n, const uint32_t *amax_bits, const mx_nvfp4_opts *o,
                       mx_nvfp4_tensor *out) {
  static const mx_nvfp4_opts def = MX_NVFP4_OPTS_DEFAULT;
  if (!o) o = &def;
  if (n == 0 || n % MX_NVFP4_BLOCK) return -1;
  for (size_t i = 0; i < n; i++)
    if (mx_classify(MX_F32, values[i]) == MX_CLASS_NAN || mx_classify(MX_F32, values[i]) == MX_CLASS_INF) return -1;
  scales s;
  num_init(s.st);
  num_init(s.senc);
  num_init(s.amax);
  num x, amax_b, sb;
  num_init(x);
  num_init(amax_b);
  num_init(sb);
  mpfr_set_zero(s.amax, 1);
  for (size_t i = 0; i < n; i++) {
    set_f32(x, values[i]);
    mpfr_abs(x, x, MPFR_RNDN);
    mpfr_max(s.amax, s.amax, x, MPFR_RNDN);
  }
  int rc = 0;
  if (amax_bits) {
    mx_class k = mx_classify(MX_F32, *amax_bits);
    if (k == MX_CLASS_NAN || k == MX_CLASS_INF || (mx_code_sign(MX_F32, *amax_bits) && k != MX_CLASS_ZERO)) rc = -1;
    set_f32(s.amax, *amax_bits);
    mpfr_abs(s.amax, s.amax, MPFR_RNDN);
  }
  if (rc == 0) {
    tensor_scale(&s, o->tensor_scale);
    out->tensor_scale = f32_bits(s.st);
    out->s_enc = f32_bits(s.senc);
    for (size_t b = 0; b < n / MX_NVFP4_BLOCK; b++) {
      const uint32_t *v = values + b * MX_NVFP4_BLOCK;
      mpfr_set_zero(amax_b, 1);
      for (int i = 0; i < MX_NVFP4_BLOCK; i++) {
        set_f32(x, v[i]);
        mpfr_abs(x, x, MPFR_RNDN);
        mpfr_max(amax_b, amax_b, x, MPFR_RNDN);
      }
      out->scales[b] = block_scale(amax_b, &s, o->block_scale);
      decode(MX_E4M3, out->scales[b], sb);
      for (int i = 0; i < MX_NVFP4_BLOCK; i++) {
        set_f32(x, v[i]);
        out->codes[b * MX_NVFP4_BLOCK + i] = element(x, sb, s.st, o->elem_scale);
      }
    }
  }
  mpfr_clears(s.st, s.senc, s.amax, x, amax_b, sb, (mpfr_ptr)0);
  return rc;
}

void mxo_nvfp4_dequantize(uint32_t tensor_scale, uint8_t scale, const uint8_t *codes, const mx_nvfp4_opts *o,
                          uint32_t *out) {
  static const mx_nvfp4_opts def = MX_NVFP4_OPTS_DEFAULT;
  if (!o) o = &def;
  if (o->scale_sign == MX_NVFP4_SIGN_IGNORE) scale &= 0x7F;
  num sb, st, e, r;
  num_init(sb);
  num_init(st);
  num_init(e);
  num_init(r);
  decode(MX_E4M3, scale, sb);
  set_f32(st, tensor_scale);
  for (int i = 0; i < MX_NVFP4_BLOCK; i++) {
    decode(MX_E2M1, codes[i] & 0xFu, e);
    if (o->dequant == MX_NVFP4_DEQ_SCALE_FIRST) {
      mpfr_mul(r, sb, st, MPFR_RNDN);
      rn32(r);
      mpfr_mul(r, e, r, MPFR_RNDN);
    } else {
      mpfr_mul(r, e, sb, MPFR_RNDN);
      mpfr_mul(r, r, st, MPFR_RNDN); /* exact: the three significands need < P bits */
    }
    rn32(r);
    if (mpfr_nan_p(r)) {
      out[i] = 0x7FC00000u;
    } else {
      out[i] = f32_bits(r);
    }
  }
  mpfr_clears(sb, st, e, r, (mpfr_ptr)0);
}

/* What both dot products check first: a tensor scale that is Inf or NaN is refused (-1); a
 * NaN block scale anywhere (its sign bit read as `mask` says) makes the result NaN (1). */
static int dot_operands_check(size_t n_blocks, uint32_t st_a, const uint8_t *scales_a, uint32_t st_b,
                              const uint8_t *scales_b, uint8_t mask) {
  mx_class ka = mx_classify(MX_F32, st_a), kb = mx_classify(MX_F32, st_b);
  if (ka == MX_CLASS_NAN || ka == MX_CLASS_INF || kb == MX_CLASS_NAN || kb == MX_CLASS_INF) return -1;
  for (size_t j = 0; j < n_blocks; j++)
    if (mx_classify(MX_E4M3, scales_a[j] & mask) == MX_CLASS_NAN || mx_classify(MX_E4M3, scales_b[j] & mask) == MX_CLASS_NAN)
      return 1;
  return 0;
}

/* The dot product by its definition: every element product e_a e_b s_b(a) s_b(b) s_t(a) s_t(b)
 * exactly (each needs at most 2 + 2 + 4 + 4 + 24 + 24 bits), summed exactly with IEEE's signed
 * zeros (512 bits hold the sum: every product is s_t(a) s_t(b) times a multiple of 2^-20 below
 * 2^24, and there are at most 2^20 products), rounded once with rn32. */
int mxo_nvfp4_dot(size_t n_blocks, uint32_t st_a, const uint8_t *scales_a, const uint8_t *codes_a, uint32_t st_b,
                  const uint8_t *scales_b, const uint8_t *codes_b, const mx_nvfp4_opts *o, uint32_t *out) {
  static const mx_nvfp4_opts def = MX_NVFP4_OPTS_DEFAULT;
  if (!o) o = &def;
  if (n_blocks == 0 || n_blocks > 65536) return -1;
  uint8_t mask = o->scale_sign == MX_NVFP4_SIGN_IGNORE ? 0x7F : 0xFF;
  int k = dot_operands_check(n_blocks, st_a, scales_a, st_b, scales_b, mask);
  if (k) {
    if (k > 0) *out = MX_DOT_F32_NAN;
    return k > 0 ? 0 : -1;
  }
  mpfr_t sum, t, u, sa, sb, ta, tb;
  mpfr_inits2(512, sum, t, u, (mpfr_ptr)0);
  mpfr_inits2(64, sa, sb, ta, tb, (mpfr_ptr)0);
  mxo_decode_signed(MX_F32, st_a, ta);
  mxo_decode_signed(MX_F32, st_b, tb);
  mpfr_set_zero(sum, -1); /* -0: the identity of IEEE addition */
  for (size_t j = 0; j < n_blocks; j++) {
    mxo_decode_signed(MX_E4M3, scales_a[j] & mask, sa);
    mxo_decode_signed(MX_E4M3, scales_b[j] & mask, sb);
    for (int i = 0; i < MX_NVFP4_BLOCK; i++) {
      mxo_decode_signed(MX_E2M1, codes_a[j * MX_NVFP4_BLOCK + i] & 0xFu, t);
      mxo_decode_signed(MX_E2M1, codes_b[j * MX_NVFP4_BLOCK + i] & 0xFu, u);
      mpfr_mul(t, t, u, MPFR_RNDN);
      mpfr_mul(t, t, sa, MPFR_RNDN);
      mpfr_mul(t, t, sb, MPFR_RNDN);
      mpfr_mul(t, t, ta, MPFR_RNDN);
      mpfr_mul(t, t, tb, MPFR_RNDN);
      if (mpfr_add(sum, sum, t, MPFR_RNDN)) abort(); /* never inexact at this precision */
    }
  }
  num r;
  num_init(r);
  if (mpfr_set(r, sum, MPFR_RNDN)) abort(); /* the sum is s_t(a) s_t(b) times a sum of < 80 bits */
  rn32(r);
  *out = f32_bits(r);
  mpfr_clears(sum, t, u, sa, sb, ta, tb, r, (mpfr_ptr)0);
  return 0;
}

/* ---- dot product under an accumulation model --------------------------------------------
 * The oracle's MX model loop (oracle/dot.c, mxo_dot_general_scaled) with E2M1 blocks of 16
 * and s_j = s_b(a) s_b(b) s_t(a) s_t(b), decoded and multiplied exactly (<= 56 significant
 * bits). That loop wants s_j > 0: a negative s_j becomes |s_j| with block j's codes of a
 * negated, a zero one a block of zeros that carry each product's sign (e_a e_b s_j). */
int mxo_nvfp4_dot_general(size_t n_blocks, uint32_t st_a, const uint8_t *scales_a, const uint8_t *codes_a,
                          uint32_t st_b, const uint8_t *scales_b, const uint8_t *codes_b, const uint32_t *c,
                          const struct mx_dot_model *m, const mx_nvfp4_opts *o, uint32_t *out) {
  static const mx_nvfp4_opts def = MX_NVFP4_OPTS_DEFAULT;
  if (!o) o = &def;
  if (n_blocks == 0 || n_blocks > 65536 || !out) return -1;
  uint8_t none = 127;
  mx_dot_vec v0 = {MX_MXFP4_E2M1, &none, &none};
  uint32_t tmp;
  if (mxo_dot_general_scaled(&v0, &v0, 0, MX_NVFP4_BLOCK, NULL, m, NULL, &tmp) != MX_DOT_OK) return -1; /* the model */
  uint8_t mask = o->scale_sign == MX_NVFP4_SIGN_IGNORE ? 0x7F : 0xFF;
  int k = dot_operands_check(n_blocks, st_a, scales_a, st_b, scales_b, mask);
  if (k) {
    if (k > 0) *out = MX_DOT_F32_NAN;
    return k > 0 ? 0 : -1;
  }
  const size_t n = n_blocks * MX_NVFP4_BLOCK;
  uint8_t *ca = malloc(n), *cb = malloc(n), *ones = malloc(n_blocks);
  mpfr_t *s = malloc(n_blocks * sizeof *s);
  mpfr_srcptr *sp = malloc(n_blocks * sizeof *sp);
  if (!ca || !cb || !ones || !s || !sp) abort();
  mpfr_t ta, tb, x;
  mpfr_inits2(64, ta, tb, x, (mpfr_ptr)0);
  mxo_decode_signed(MX_F32, st_a, ta);
  mxo_decode_signed(MX_F32, st_b, tb);
  for (size_t j = 0; j < n_blocks; j++) {
    mpfr_init2(s[j], 64);
    mxo_decode_signed(MX_E4M3, scales_a[j] & mask, s[j]);
    mxo_decode_signed(MX_E4M3, scales_b[j] & mask, x);
    if (mpfr_mul(s[j], s[j], x, MPFR_RNDN) || mpfr_mul(s[j], s[j], ta, MPFR_RNDN) ||
        mpfr_mul(s[j], s[j], tb, MPFR_RNDN))
      abort(); /* 4 + 4 + 24 + 24 bits: exact at 64 */
    int zero = mpfr_zero_p(s[j]), neg = mpfr_signbit(s[j]) != 0;
    ones[j] = 127;
    for (size_t i = j * MX_NVFP4_BLOCK; i < (j + 1) * MX_NVFP4_BLOCK; i++) {
      uint8_t ea = codes_a[i] & 0xFu, eb = codes_b[i] & 0xFu;
      /* the sign of e_a e_b s_j, by the sign bits (a zero element has one too) */
      uint8_t sign = (uint8_t)(((ea ^ eb) >> 3) ^ (unsigned)neg);
      ca[i] = zero ? (uint8_t)(sign << 3) : (uint8_t)(neg ? ea ^ 8u : ea);
      cb[i] = zero ? 0 : eb;
    }
    if (zero) mpfr_set_ui(s[j], 1, MPFR_RNDN);
    else mpfr_abs(s[j], s[j], MPFR_RNDN);
    sp[j] = s[j];
  }
  mx_dot_vec va = {MX_MXFP4_E2M1, ones, ca}, vb = {MX_MXFP4_E2M1, ones, cb};
  int r = mxo_dot_general_scaled(&va, &vb, n_blocks, MX_NVFP4_BLOCK, c, m, sp, out);
  for (size_t j = 0; j < n_blocks; j++) mpfr_clear(s[j]);
  mpfr_clears(ta, tb, x, (mpfr_ptr)0);
  free(ca);
  free(cb);
  free(ones);
  free(s);
  free(sp);
  return r == MX_DOT_OK ? 0 : -1;
}
