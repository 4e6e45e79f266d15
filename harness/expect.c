/* Expected outputs from the oracle, and the comparator. */
#include "expect.h"

#include <string.h>

#include "../oracle/oracle_block.h"
#include "../oracle/oracle_dot.h"
#include "../oracle/oracle_nvfp4.h"
#include "mxconform/dot.h"

static uint64_t f64_bits_of(mpfr_srcptr x) {
  uint64_t b;
  if (mpfr_nan_p(x)) return 0x7FF8000000000000ull;
  double d = mpfr_get_d(x, MPFR_RNDN); /* exact: every element value fits in a double */
  memcpy(&b, &d, 8);
  return b;
}

/* The oracle's NVFP4 tensor; a case it refuses (non-finite input: the reader and the
 * generator never make one) expects all-zero words. */
static void expect_nvfp4_quantize(const vec_suite *s, const mx_profile *p, const uint64_t *in, uint64_t *out) {
  size_t nb = s->nblocks, nv = nb * MX_NVFP4_BLOCK;
  static uint32_t v[MX_BLOCK_MAX];
  static uint8_t scales[MX_BLOCK_MAX / MX_NVFP4_BLOCK], codes[MX_BLOCK_MAX];
  for (size_t i = 0; i < nv; i++) v[i] = (uint32_t)in[i];
  uint32_t amax = (uint32_t)in[nv + 1];
  mx_nvfp4_tensor t = {0, 0, scales, codes};
  memset(out, 0, s->nout * sizeof *out);
  if (mxo_nvfp4_quantize(v, nv, in[nv] ? &amax : NULL, &p->nvfp4, &t)) return;
  out[0] = t.tensor_scale;
  for (size_t j = 0; j < nb; j++) out[1 + j] = scales[j];
  for (size_t i = 0; i < nv; i++) out[1 + nb + i] = codes[i];
}

void expect_case(const vec_suite *s, const mx_profile *p, const uint64_t *in, uint32_t rnd, uint64_t *out) {
  switch (s->op) {
  case OP_DECODE: {
    mpfr_t x;
    mpfr_init2(x, 64);
    mxo_decode_signed(s->fmt, in[0], x);
    out[0] = f64_bits_of(x) | (mpfr_nan_p(x) && mx_code_sign(s->fmt, in[0]) ? 1ull << 63 : 0);
    mpfr_clear(x);
    break;
  }
  case OP_CVT: {
    mx_convert_opts o;
    mx_knob_context kc = {MX_OPK_CVT, s->src, s->dst, s->round, s->overflow};
    mx_profile_resolve(p, &kc, &o);
    out[0] = mxo_convert(s->dst, s->src, in[0], &o, rnd);
    break;
  }
  case OP_QUANTIZE: {
    uint8_t scale, codes[MX_BLOCK_MAX];
    mx_block_opts o = mx_profile_block_opts(p, MX_OPK_QUANTIZE, s->src, mx_block_element(s->bfmt));
    if (s->rule >= 0) o.rule = (mx_scale_rule)s->rule; /* the suite asks for this rule, as cvt asks for `round` */
    mxo_quantize_block(s->bfmt, s->src, in, s->k, &o, NULL, &scale, codes);
    out[0] = scale;
    for (size_t i = 0; i < s->k; i++) out[1 + i] = codes[i];
    break;
  }
  case OP_DEQUANTIZE: {
    uint8_t codes[MX_BLOCK_MAX];
    for (size_t i = 0; i < s->k; i++) codes[i] = (uint8_t)in[1 + i];
    mxo_dequantize_block(s->bfmt, (uint8_t)in[0], codes, s->k, s->dst, &p->o, out);
    break;
  }
  case OP_PACK: {
    uint8_t codes[MX_BLOCK_MAX], packed[MX_BLOCK_MAX];
    for (size_t i = 0; i < s->k; i++) codes[i] = (uint8_t)in[i];
    size_t n = mxo_pack(s->bfmt, s->layout, codes, s->k, packed);
    for (size_t i = 0; i < n && i < s->nout; i++) out[i] = packed[i];
    break;
  }
  case OP_DOT: {
    /* the profile's dot model (profile.h); without a `dot` line the ideal, the exact
     * DotGeneral rounded once to f32 (exact-rne): a target with another accumulation model
     * fails and run names the model that explains it */
    static uint8_t sa[64], sb[64], ca[MX_BLOCK_MAX], cb[MX_BLOCK_MAX];
    mx_dot_vec a, b;
    uint32_t c, r = 0;
    int has_c = vec_dot_operands(s, in, sa, ca, sb, cb, &a, &b, &c);
    mxo_dot_general(&a, &b, s->nblocks, s->k, has_c ? &c : NULL, mx_profile_dot_model(p), &r);
    out[0] = r;
    break;
  }
  case OP_NVFP4_QUANTIZE: expect_nvfp4_quantize(s, p, in, out); break;
  case OP_NVFP4_DEQUANTIZE: {
    uint8_t codes[MX_NVFP4_BLOCK];
    uint32_t v[MX_NVFP4_BLOCK];
    for (int i = 0; i < MX_NVFP4_BLOCK; i++) codes[i] = (uint8_t)in[2 + i];
    mxo_nvfp4_dequantize((uint32_t)in[0], (uint8_t)in[1], codes, &p->nvfp4, v);
    for (int i = 0; i < MX_NVFP4_BLOCK; i++) out[i] = v[i];
    break;
  }
  case OP_NVFP4_DOT: {
    /* the profile's dot model, as the MX dot (exact-rne without a `dot` line) */
    static uint8_t sa[64], sb[64], ca[64 * MX_NVFP4_BLOCK], cb[64 * MX_NVFP4_BLOCK];
    uint32_t sta, stb, c, r = 0;
    int has_c = vec_nvfp4_dot_operands(s, in, &sta, sa, ca, &stb, sb, cb, &c);
    mxo_nvfp4_dot_general(s->nblocks, sta, sa, ca, stb, sb, cb, has_c ? &c : NULL, mx_profile_dot_model(p), &p->nvfp4,
                          &r);
    out[0] = r;
    break;
  }
  default: break;
  }
}

int expect_knobs_agree(vec_op op, const mx_profile *a, const mx_profile *b) {
  char va[64], vb[64];
  for (const char *const *k = vec_op_knobs(op); *k; k++) {
    const char *x = mx_profile_get(a, *k, va, sizeof va), *y = mx_profile_get(b, *k, vb, sizeof vb);
    if (!x || !y || strcmp(x, y)) return 0;
  }
  /* a file's dot values hold for its dot model (exact-rne: vector files have none) */
  if ((op == OP_DOT || op == OP_NVFP4_DOT) && !mx_dot_model_equal(mx_profile_dot_model(a), mx_profile_dot_model(b)))
    return 0;
  if (op != OP_CVT && op != OP_QUANTIZE) return 1;
  /* every scalar knob (also those an op's list leaves out, quantize's e8m0_*) and the
   * conditional values: a file's expected values hold only where these agree too */
  for (const mx_knob *k = mx_knob_table; k->name; k++) {
    if (op == OP_CVT && (!strcmp(k->name, "round") || !strcmp(k->name, "overflow"))) continue;
    if (strcmp(mx_knob_get(&a->o.elem, k, va, sizeof va), mx_knob_get(&b->o.elem, k, vb, sizeof vb))) return 0;
  }
  return a->nrules == b->nrules && !memcmp(a->rules, b->rules, (size_t)a->nrules * sizeof *a->rules);
}

static int is_nan_bits(mx_fmt f, uint64_t bits) {
  const mx_format_desc *d = mx_format(f);
  uint64_t e = (bits >> d->mbits) & (((uint64_t)1 << d->ebits) - 1);
  uint64_t m = bits & (((uint64_t)1 << d->mbits) - 1);
  return e == ((uint64_t)1 << d->ebits) - 1 && m != 0;
}

int expect_equal(const vec_suite *s, const uint64_t *e, const uint64_t *a, size_t *dontcare) {
  switch (s->op) {
  case OP_DECODE:
    if (is_nan_bits(MX_F64, e[0])) return is_nan_bits(MX_F64, a[0]);
    return e[0] == a[0];
  case OP_QUANTIZE:
    if (e[0] != a[0]) return 0;
    if (e[0] == 0xFF) { /* NaN scale: every element is NaN whatever its bits (MX §5.1) */
      *dontcare += s->k;
      return 1;
    }
    return !memcmp(e + 1, a + 1, s->k * sizeof *e);
  case OP_DOT:
  case OP_NVFP4_DOT:
    if (is_nan_bits(MX_F32, e[0])) return is_nan_bits(MX_F32, a[0]); /* NaN payloads differ by vendor */
    return e[0] == a[0];
  case OP_NVFP4_DEQUANTIZE: /* f32 values: an expected NaN accepts any NaN */
  case OP_DEQUANTIZE:
    for (size_t i = 0; i < s->k; i++) {
      if (is_nan_bits(s->dst, e[i])) {
        if (!is_nan_bits(s->dst, a[i])) return 0;
      } else if (e[i] != a[i]) {
        return 0;
      }
    }
    return 1;
  default:
    return !memcmp(e, a, s->nout * sizeof *e);
  }
}
