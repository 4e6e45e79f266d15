/* Oracle block quantize (OCP MX §6.3) and the scale rule, by the definitions in
 * include/mxconform/block.h, in exact MPFR arithmetic.
 *
 * Nothing here looks at bit fields of the inputs: every input is decoded to an exact
 * MPFR value, the shared exponent comes from exact comparisons of MPFR values, the
 * division by the scale is an exact power-of-two division, and each element is rounded
 * once by the oracle's own mxo_round_to_element. spec_notes/block.md is the long form. */
#include <stdlib.h>

#include "oracle_block.h"

#define QPREC 64 /* every source and element significand fits (f64: 53 bits) */

static void exact_or_die(int ternary) {
  if (ternary != 0) abort(); /* the oracle never rounds outside the element conversion */
}

static const mx_block_opts *opts_or_default(const mx_block_opts *o, mx_block_opts *storage) {
  if (o) return o;
  mx_block_opts_default(storage);
  return storage;
}

/* Decode one input and apply the src_subnormals knob (step 1: a flushed subnormal is a
 * signed zero everywhere, in amax and as an element). */
static void decode_input(mx_fmt src, uint64_t bits, const mx_convert_opts *elem, mxo_value *v) {
  mxo_decode(src, bits, v);
  if (v->cls == MX_CLASS_SUBNORMAL && elem->src_subnormals == MX_SUBN_FLUSH) {
    v->cls = MX_CLASS_ZERO;
    mpfr_set_zero(v->mag, 1);
  }
}

/* The largest finite element value max_elem (the same for both int8 ranges: +127/64). */
static void largest_element(mx_fmt elem, mpfr_t out) {
  mxo_value v;
  mxo_value_init(&v);
  mxo_decode(elem, mx_format(elem)->max_code, &v);
  exact_or_die(mpfr_set(out, v.mag, MPFR_RNDN));
  mxo_value_clear(&v);
}

/* M: bits after the binary point in the significand of the largest element. Floats: the
 * trailing significand width. INT8: 127/64 = 1.111111b, so 6 (= -int_scale_log2). */
static long element_fraction_bits(mx_fmt elem) {
  const mx_format_desc *d = mx_format(elem);
  return d->kind == MX_KIND_INT ? -(long)d->int_scale_log2 : (long)d->mbits;
}

/* The unclamped shared exponent s of a finite, nonzero amax under `rule` (step 4). */
static long shared_exponent(mx_fmt elem, mx_scale_rule rule, mpfr_srcptr amax) {
  const mx_format_desc *d = mx_format(elem);
  /* amax = m * 2^e with 1 <= m < 2. MPFR stores amax = 0.1xxx * 2^E exactly, so e = E - 1;
   * the two comparisons below confirm it without trusting that convention. */
  long e = (long)mpfr_get_exp(amax) - 1;
  if (mpfr_cmp_ui_2exp(amax, 1, e) < 0 || mpfr_cmp_ui_2exp(amax, 1, e + 1) >= 0) abort();
  long s_floor = e - d->emax;

  /* on the stack (MPFR_DECL_INIT, never cleared): this runs once per proved block */
  MPFR_DECL_INIT(m, QPREC);
  MPFR_DECL_INIT(t, QPREC);
  exact_or_die(mpfr_div_2si(m, amax, e, MPFR_RNDN)); /* the significand m, exactly */
  long s = s_floor;
  switch (rule) {
  case MX_RULE_FLOOR: /* OCP MX §6.3: floor(log2 amax) - emax */
    s = s_floor;
    break;
  case MX_RULE_CEIL: /* torchao CEIL: one binade up unless amax is a power of two */
    s = s_floor + (mpfr_cmp_ui(m, 1) > 0);
    break;
  case MX_RULE_EVEN:
  case MX_RULE_EVEN_TIEDOWN: {
    /* threshold 2 - 2^-(M+1): amax rounded to M+1 significant bits reaches 2 from here on */
    exact_or_die(mpfr_set_ui(t, 2, MPFR_RNDN));
    MPFR_DECL_INIT(half_ulp, QPREC);
    exact_or_die(mpfr_set_ui_2exp(half_ulp, 1, -(element_fraction_bits(elem) + 1), MPFR_RNDN));
    exact_or_die(mpfr_sub(t, t, half_ulp, MPFR_RNDN));
    int c = mpfr_cmp(m, t);
    s = s_floor + (rule == MX_RULE_EVEN ? c >= 0 : c > 0); /* a tie goes up only under `even` */
    break;
  }
  case MX_RULE_RCEIL: {
    /* The smallest integer s with amax <= max_elem * 2^s. Start two binades low, where the
     * inequality certainly fails (max_elem * 2^s < 2^(emax+1) * 2^(e-emax-2) = 2^(e-1) <
     * amax), and walk up: the first s that satisfies it is the smallest. */
    MPFR_DECL_INIT(max_elem, QPREC);
    largest_element(elem, max_elem);
    s = s_floor - 2;
    for (;;) {
      exact_or_die(mpfr_mul_2si(t, max_elem, s, MPFR_RNDN));
      if (mpfr_cmp(amax, t) <= 0) break;
      s++;
    }
    break;
  }
  default: abort();
  }
  return s;
}

/* What a block's scale decision comes to. */
typedef struct scale_choice {
  uint8_t byte;      /* the E8M0 scale byte */
  int elements_zero; /* 1: NaN scale, every element code is 0 (don't-care) */
  long s;            /* X = 2^s when the scale is not NaN */
} scale_choice;

static scale_choice nan_scale(void) {
  scale_choice c = {0xFF, 1, 0};
  return c;
}

static scale_choice finite_scale(long s) {
  scale_choice c = {(uint8_t)(s + 127), 0, s};
  return c;
}

/* Steps 2-5, from a summary of the block: has_nan / has_inf (after the flush), and amax,
 * the largest finite magnitude (zero when there is none). */
static scale_choice choose_scale(mx_fmt elem, const mx_block_opts *o, int has_nan, int has_inf,
                                 mpfr_srcptr amax) {
  /* step 2: specials, NaN before Inf (either one alone already poisons the block) */
  if (has_nan && o->nan_block == MX_NANB_NAN_SCALE) return nan_scale();
  if (has_inf && o->inf_block == MX_INFB_NAN_SCALE) return nan_scale();
  if (has_inf && o->inf_block == MX_INFB_MAX_SCALE) return finite_scale(127);
  /* step 3: nothing finite and nonzero */
  if (mpfr_zero_p(amax)) return finite_scale(o->zero_block == MX_ZEROB_ONE ? 0 : -127);
  /* steps 4-5 */
  long s = shared_exponent(elem, o->rule, amax);
  if (s < -127) s = -127;
  if (s > 127) {
    if (o->scale_overflow == MX_SCALEOVF_NAN) return nan_scale();
    s = 127;
  }
  return finite_scale(s);
}

uint8_t mxo_block_scale(mx_block_fmt f, mx_fmt src, uint64_t amax_bits, const mx_block_opts *o) {
  mx_block_opts def;
  o = opts_or_default(o, &def);
  mxo_value v;
  mxo_value_init(&v);
  decode_input(src, amax_bits, &o->elem, &v); /* v.mag is |value|: the sign is ignored */
  int has_nan = v.cls == MX_CLASS_NAN, has_inf = v.cls == MX_CLASS_INF;
  mpfr_t amax;
  mpfr_init2(amax, QPREC);
  mpfr_set_zero(amax, 1);
  if (!has_nan && !has_inf) exact_or_die(mpfr_set(amax, v.mag, MPFR_RNDN));
  scale_choice c = choose_scale(mx_block_element(f), o, has_nan, has_inf, amax);
  mpfr_clear(amax);
  mxo_value_clear(&v);
  return c.byte;
}

void mxo_quantize_block(mx_block_fmt f, mx_fmt src, const uint64_t *values, size_t k, const mx_block_opts *o,
                        const uint32_t *sr_random, uint8_t *scale, uint8_t *codes) {
  mx_block_opts def;
  o = opts_or_default(o, &def);
  mx_fmt elem = mx_block_element(f);
  mxo_value v;
  mxo_value_init(&v);

  /* Pass 1: the block's summary. amax is the exact maximum of the finite magnitudes. */
  int has_nan = 0, has_inf = 0;
  mpfr_t amax;
  mpfr_init2(amax, QPREC);
  mpfr_set_zero(amax, 1);
  for (size_t i = 0; i < k; i++) {
    decode_input(src, values[i], &o->elem, &v);
    if (v.cls == MX_CLASS_NAN) has_nan = 1;
    else if (v.cls == MX_CLASS_INF) has_inf = 1;
    else if (mpfr_cmp(v.mag, amax) > 0) exact_or_die(mpfr_set(amax, v.mag, MPFR_RNDN));
  }
  scale_choice c = choose_scale(elem, o, has_nan, has_inf, amax);
  *scale = c.byte;

  /* Pass 2: P_i = the scalar conversion of V_i / 2^s (exact division, one rounding). */
  for (size_t i = 0; i < k; i++) {
    if (c.elements_zero) {
      codes[i] = 0;
      continue;
    }
    decode_input(src, values[i], &o->elem, &v);
    if (v.cls != MX_CLASS_NAN && v.cls != MX_CLASS_INF && v.cls != MX_CLASS_ZERO)
      exact_or_die(mpfr_div_2si(v.mag, v.mag, c.s, MPFR_RNDN));
    uint32_t r = sr_random ? sr_random[i] : 0;
    codes[i] = (uint8_t)mxo_round_to_element(elem, &v, &o->elem, r);
  }
  mpfr_clear(amax);
  mxo_value_clear(&v);
}
