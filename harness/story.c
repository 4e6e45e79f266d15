/* The terminal story of a run (story.h), read from its results.json document.
 *
 * Failing suites are grouped into failure classes: same op, same explanation (the knob or
 * model profile detection named for their failures, or none). Each class prints a header,
 * the pattern its failures share (ties? one binade off? swapped nibbles?), a few failures
 * with the command that reproduces each against the target, and a count of the rest; then
 * a summary per class, like a compiler's error summary, and the profile that would make the
 * run pass where detection found one. Unknown fields are ignored; missing ones degrade to
 * the raw words the document holds. */
#include "story.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../oracle/oracle.h"
#include "json.h"
#include "mxconform/block.h"
#include "mxconform/profile.h"

#define MAX_WORDS 64     /* results.json cuts a case's words at 40 */
#define MAX_GROUPS 64
#define DETAILED_GROUPS 5 /* classes shown in detail by default; the rest only in the summary */

/* ---- colour --------------------------------------------------------------------------- */

typedef struct out {
  FILE *f;
  const story_opts *o;
} out;

static const char *paint(const out *w, const char *code) { return w->o->color ? code : ""; }
#define RED(w) paint(w, "\033[1;31m")
#define YELLOW(w) paint(w, "\033[33m")
#define BOLD(w) paint(w, "\033[1m")
#define DIM(w) paint(w, "\033[2m")
#define OFF(w) paint(w, "\033[0m")

/* ---- the document's suites and failures ------------------------------------------------ */

typedef struct words {
  uint64_t w[MAX_WORDS];
  size_t n;
  int cut; /* the document left words out (",...") */
} words;

typedef struct suite {
  const json_value *j, *failures;
  const char *name, *op, *status;
  int fmt_in, fmt_out;    /* value formats of the input and output words (-1 unknown) */
  int bfmt;               /* block format (quantize, dequantize, pack, dot) or -1 */
  size_t cases, failed;   /* failed: every case that did not pass (crashed ones included) */
  char explanation[160];  /* the explained_by its recorded failures share ("" none, "*" mixed) */
  int group;
} suite;

typedef struct group {
  char op[32], explanation[160], status[32];
  size_t nsuites, cases, failed, recorded;
} group;

/* "0x1,0x2,..." -> words. */
static void parse_words(const char *text, words *w) {
  w->n = 0;
  w->cut = 0;
  if (!text) return;
  for (const char *p = text; *p && w->n < MAX_WORDS;) {
    if (!strncmp(p, "...", 3)) {
      w->cut = 1;
      break;
    }
    char *e;
    if (strncmp(p, "0x", 2) || !strchr("0123456789abcdefABCDEF", p[2]) || !p[2]) { /* not a word list: "crash" */
      w->n = 0;
      return;
    }
    w->w[w->n++] = strtoull(p + 2, &e, 16);
    p = *e == ',' ? e + 1 : e;
    if (!*e || *e != ',') break;
  }
}

static int fmt_named(const json_value *formats, const char *key) {
  const char *n = json_get_str(formats, key, NULL);
  return n ? mx_format_by_name(n) : -1;
}

static int block_named(const json_value *formats, const char *key) {
  const char *n = json_get_str(formats, key, NULL);
  return n ? mx_block_fmt_by_name(n) : -1;
}

/* The value formats of a suite's words, from its op and "formats" member. */
static void suite_formats(suite *s) {
  const json_value *fm = json_get(s->j, "formats");
  s->fmt_in = s->fmt_out = s->bfmt = -1;
  int elem = -1;
  if (strcmp(s->op, "cvt") && strcmp(s->op, "decode")) {
    s->bfmt = block_named(fm, "fmt");
    if (s->bfmt >= 0) elem = mx_block_element((mx_block_fmt)s->bfmt);
  }
  if (!strcmp(s->op, "cvt")) s->fmt_in = fmt_named(fm, "src"), s->fmt_out = fmt_named(fm, "dst");
  else if (!strcmp(s->op, "decode")) s->fmt_in = fmt_named(fm, "fmt"), s->fmt_out = MX_F64;
  else if (!strcmp(s->op, "quantize")) s->fmt_in = fmt_named(fm, "src"), s->fmt_out = elem;
  else if (!strcmp(s->op, "dequantize")) s->fmt_in = elem, s->fmt_out = fmt_named(fm, "dst");
  else if (!strcmp(s->op, "pack")) s->fmt_in = elem;
  else if (!strcmp(s->op, "dot")) s->fmt_out = MX_F32;
}

static int is_failing(const char *status) { return strcmp(status, "pass") && strcmp(status, "unsupported"); }

static const json_value *failure_at(const suite *s, size_t i) {
  return s->failures && s->failures->type == JSON_ARRAY && i < s->failures->n ? &s->failures->items[i] : NULL;
}

static size_t nrecorded(const suite *s) { return s->failures && s->failures->type == JSON_ARRAY ? s->failures->n : 0; }

static int answered(const json_value *f) {
  const char *st = json_get_str(f, "status", "ok");
  return !strcmp(st, "ok");
}

/* The explanation a suite's recorded failures share; "*X" when only some share X (X the
 * first explanation met), "*" when they have several. */
static void suite_explanation(suite *s) {
  char first[160] = "";
  int mixed = 0, several = 0;
  for (size_t i = 0; i < nrecorded(s); i++) {
    const char *e = json_get_str(failure_at(s, i), "explained_by", "");
    if (i == 0) snprintf(s->explanation, sizeof s->explanation, "%s", e);
    else mixed |= strcmp(e, s->explanation) != 0;
    if (e[0] && !first[0]) snprintf(first, sizeof first, "%s", e);
    else if (e[0] && strcmp(e, first)) several = 1;
  }
  if (mixed) snprintf(s->explanation, sizeof s->explanation, "*%s", several ? "" : first);
}

/* ---- values ----------------------------------------------------------------------------- */

/* A word of the document as a code of f (a damaged document may hold wider words). */
static uint64_t code_of(int f, uint64_t bits) {
  int b = mx_format((mx_fmt)f)->bits;
  return b < 64 ? bits & (((uint64_t)1 << b) - 1) : bits;
}

/* A short decimal form of a code of format f: "4", "-0", "NaN", "+Inf", "0.00100000005". */
static void value_text(int f, uint64_t bits, char *buf, size_t len) {
  if (f < 0) {
    snprintf(buf, len, "?");
    return;
  }
  bits = code_of(f, bits);
  mpfr_t x;
  mpfr_init2(x, 80);
  mxo_decode_signed((mx_fmt)f, bits, x);
  if (mpfr_nan_p(x)) snprintf(buf, len, "NaN");
  else if (mpfr_inf_p(x)) snprintf(buf, len, "%sInf", mpfr_signbit(x) ? "-" : "+");
  else if (mpfr_zero_p(x)) snprintf(buf, len, "%s0", mpfr_signbit(x) ? "-" : "");
  else snprintf(buf, len, f == MX_F64 ? "%.17g" : "%.9g", mpfr_get_d(x, MPFR_RNDN));
  mpfr_clear(x);
}

static double value_of(int f, uint64_t bits) {
  bits = code_of(f, bits);
  mpfr_t x;
  mpfr_init2(x, 80);
  mxo_decode_signed((mx_fmt)f, bits, x);
  double d = mpfr_get_d(x, MPFR_RNDN);
  mpfr_clear(x);
  return d;
}

/* "e2m1 0x6 = 4" */
static void code_text(int f, uint64_t bits, int with_name, char *buf, size_t len) {
  char v[64];
  value_text(f, bits, v, sizeof v);
  if (f < 0) snprintf(buf, len, "0x%llx", (unsigned long long)bits);
  else snprintf(buf, len, "%s%s0x%0*llx = %s", with_name ? mx_format((mx_fmt)f)->name : "", with_name ? " " : "",
                (mx_format((mx_fmt)f)->bits + 3) / 4, (unsigned long long)bits, v);
}

static void scale_text(uint64_t s, char *buf, size_t len) {
  if (s == 0xFF) snprintf(buf, len, "NaN (0xff)");
  else snprintf(buf, len, "2^%d", (int)s - 127);
}

/* ---- one failure, one line ------------------------------------------------------------ */

static const char *status_words(const char *st) {
  if (!strcmp(st, "flaky")) return "the target's answers changed between attempts (flaky)";
  if (!strcmp(st, "crash")) return "the target crashed";
  if (!strcmp(st, "timeout")) return "the target hung (timeout)";
  if (!strcmp(st, "protocol-error")) return "the target's answer was malformed";
  if (!strcmp(st, "error")) return "the target answered error";
  if (!strcmp(st, "incomplete") || !strcmp(st, "unobserved"))
    return "the target cannot observe these results (not observable: neither passed nor failed)";
  return st;
}

/* Index of the first element where e and a differ, from word `from` on; -1 none. Counts them. */
static long first_difference(const words *e, const words *a, size_t from, size_t *count) {
  long first = -1;
  *count = 0;
  for (size_t i = from; i < e->n && i < a->n; i++)
    if (e->w[i] != a->w[i]) {
      if (first < 0) first = (long)i;
      ++*count;
    }
  return first;
}

static void describe_quantize(const suite *s, const words *in, const words *e, const words *a, char *buf, size_t len) {
  char es[32], as[32], x[64], ev[64], av[64];
  size_t nd;
  long i = first_difference(e, a, 1, &nd);
  scale_text(e->w[0], es, sizeof es);
  scale_text(a->w[0], as, sizeof as);
  int o = e->w[0] == a->w[0] ? snprintf(buf, len, "scale %s as expected", es)
                             : snprintf(buf, len, "scale expected %s, got %s", es, as);
  if (o < 0 || (size_t)o >= len || i < 0 || e->w[0] == 0xFF) return;
  value_text(s->fmt_in, (size_t)i - 1 < in->n ? in->w[i - 1] : 0, x, sizeof x);
  code_text(s->fmt_out, e->w[i], 1, ev, sizeof ev);
  code_text(s->fmt_out, a->w[i], 0, av, sizeof av);
  snprintf(buf + o, len - (size_t)o, "; %zu of %zu codes differ, first [%ld] %s -> expected %s, got %s", nd, e->n - 1,
           i - 1, x, ev, av);
}

static void describe_dequantize(const suite *s, const words *in, const words *e, const words *a, char *buf,
                                size_t len) {
  char sc[32], c[64], ev[64], av[64];
  size_t nd;
  long i = first_difference(e, a, 0, &nd);
  scale_text(in->n ? in->w[0] : 0, sc, sizeof sc);
  if (i < 0) {
    snprintf(buf, len, "scale %s", sc);
    return;
  }
  code_text(s->fmt_in, (size_t)i + 1 < in->n ? in->w[i + 1] : 0, 1, c, sizeof c);
  value_text(s->fmt_out, e->w[i], ev, sizeof ev);
  value_text(s->fmt_out, a->w[i], av, sizeof av);
  snprintf(buf, len, "scale %s: %zu of %zu values differ, first [%ld] %s -> expected %s, got %s", sc, nd, e->n, i, c,
           ev, av);
}

static void describe(const suite *s, const json_value *f, char *buf, size_t len) {
  words in, e, a;
  parse_words(json_get_str(f, "input", NULL), &in);
  parse_words(json_get_str(f, "expected", NULL), &e);
  parse_words(json_get_str(f, "actual", NULL), &a);
  char x[96], ev[96], av[96];
  if (!answered(f) || !a.n || !e.n || !in.n) {
    snprintf(buf, len, "input %.60s%s: %s", json_get_str(f, "input", "?"),
             strlen(json_get_str(f, "input", "")) > 60 ? "..." : "", status_words(json_get_str(f, "status", json_get_str(f, "actual", "?"))));
    return;
  }
  if (!strcmp(s->op, "cvt") || !strcmp(s->op, "decode")) {
    code_text(s->fmt_in, in.w[0], 1, x, sizeof x);
    code_text(s->fmt_out, e.w[0], !strcmp(s->op, "cvt"), ev, sizeof ev);
    code_text(s->fmt_out, a.w[0], 0, av, sizeof av);
    if (!strcmp(s->op, "decode")) {
      value_text(s->fmt_out, e.w[0], ev, sizeof ev);
      value_text(s->fmt_out, a.w[0], av, sizeof av);
    }
    snprintf(buf, len, "%s -> expected %s, got %s", x, ev, av);
  } else if (!strcmp(s->op, "quantize") && s->fmt_out >= 0) {
    describe_quantize(s, &in, &e, &a, buf, len);
  } else if (!strcmp(s->op, "dequantize") && s->fmt_out >= 0) {
    describe_dequantize(s, &in, &e, &a, buf, len);
  } else if (!strcmp(s->op, "pack")) {
    size_t nd;
    long i = first_difference(&e, &a, 0, &nd);
    snprintf(buf, len, "%zu codes: %zu of %zu bytes differ, first byte %ld: expected 0x%02llx, got 0x%02llx", in.n, nd,
             e.n, i, (unsigned long long)e.w[i < 0 ? 0 : i], (unsigned long long)a.w[i < 0 ? 0 : i]);
  } else if (!strcmp(s->op, "dot")) {
    code_text(MX_F32, e.w[0], 1, ev, sizeof ev);
    code_text(MX_F32, a.w[0], 0, av, sizeof av);
    double u = json_get_num(f, "ulps", -1);
    snprintf(buf, len, "expected %s, got %s", ev, av);
    if (u >= 0) snprintf(buf + strlen(buf), len - strlen(buf), " (%.0f ulp%s)", u, u == 1 ? "" : "s");
  } else {
    snprintf(buf, len, "input %.60s -> expected %.60s, got %.60s", json_get_str(f, "input", "?"),
             json_get_str(f, "expected", "?"), json_get_str(f, "actual", "?"));
  }
}

/* ---- patterns ----------------------------------------------------------------------------- */

/* What kind of input a cvt failure is (the first matching row). */
enum { K_NAN, K_INF, K_TIE, K_RANGE, K_NEGZERO, K_SUBN_IN, K_SUBN_OUT, K_OTHER, K_COUNT };
static const char *const k_kind_names[K_COUNT] = {
  "NaN inputs", "infinite inputs", "ties (halfway between two %s values)", "inputs beyond the largest %s",
  "-0 results given as +0", "subnormal inputs", "results in %s's subnormal range", "other inputs"};

static int cvt_kind(const suite *s, uint64_t in, uint64_t e, uint64_t a) {
  mx_class ci = mx_classify((mx_fmt)s->fmt_in, code_of(s->fmt_in, in));
  mx_class ce = mx_classify((mx_fmt)s->fmt_out, code_of(s->fmt_out, e));
  if (ci == MX_CLASS_NAN) return K_NAN;
  if (ci == MX_CLASS_INF) return K_INF;
  double x = value_of(s->fmt_in, in), ve = value_of(s->fmt_out, e), va = value_of(s->fmt_out, a);
  if (isfinite(ve) && isfinite(va) && ve != va && x == (ve + va) / 2) return K_TIE;
  const mx_format_desc *d = mx_format((mx_fmt)s->fmt_out);
  if (fabs(x) > value_of(s->fmt_out, d->max_code) && fabs(x) > fabs(ve)) return K_RANGE; /* clamped or overflowed */
  if (ve == 0 && va == 0 && signbit(ve) && !signbit(va)) return K_NEGZERO;
  if (ci == MX_CLASS_SUBNORMAL) return K_SUBN_IN;
  if (ce == MX_CLASS_SUBNORMAL) return K_SUBN_OUT;
  return K_OTHER;
}

/* The facts shared by every recorded failure of a group. */
typedef struct pattern {
  size_t n, kinds[K_COUNT], away, toward;
  double x, e, a; /* common magnitudes, NAN when they differ */
  int dst;        /* the destination format when the group has one, else -1 */
  size_t scale_up, scale_down, scale_other, codes_only, nan_scale_in, zero_scale_in, swapped, bytes;
  size_t code_ties, code_ties_away; /* quantize, right scale: first differing element a tie */
  double ulps_lo, ulps_hi;
} pattern;

static void same_or_nan(double *acc, double v, size_t n) {
  if (n == 0) *acc = fabs(v);
  else if (*acc != fabs(v)) *acc = NAN;
}

static void add_cvt(pattern *p, const suite *s, const words *in, const words *e, const words *a) {
  int k = cvt_kind(s, in->w[0], e->w[0], a->w[0]);
  p->kinds[k]++;
  if (p->n == 0) p->dst = s->fmt_out;
  else if (p->dst != s->fmt_out) p->dst = -1;
  double ve = value_of(s->fmt_out, e->w[0]), va = value_of(s->fmt_out, a->w[0]);
  if (k == K_TIE && fabs(va) > fabs(ve)) p->away++;
  if (k == K_TIE && fabs(va) < fabs(ve)) p->toward++;
  same_or_nan(&p->x, value_of(s->fmt_in, in->w[0]), p->n);
  same_or_nan(&p->e, ve, p->n);
  same_or_nan(&p->a, va, p->n);
}

/* Quantize with the right scale: is the first differing element, divided by the scale, a tie
 * between the expected and the actual code? */
static void add_code_tie(pattern *p, const suite *s, const words *in, const words *e, const words *a) {
  size_t nd;
  long i = first_difference(e, a, 1, &nd);
  if (i < 1 || (size_t)i - 1 >= in->n || e->w[0] == 0xFF || s->fmt_in < 0) return;
  double x = ldexp(value_of(s->fmt_in, in->w[i - 1]), 127 - (int)e->w[0]);
  double ve = value_of(s->fmt_out, e->w[i]), va = value_of(s->fmt_out, a->w[i]);
  if (!isfinite(ve) || !isfinite(va) || x != (ve + va) / 2) return;
  p->code_ties++;
  p->code_ties_away += fabs(va) > fabs(ve);
}

static void add_block(pattern *p, const suite *s, const words *in, const words *e, const words *a) {
  if (!strcmp(s->op, "quantize")) {
    if (e->w[0] == a->w[0]) {
      p->codes_only++;
      add_code_tie(p, s, in, e, a);
    } else if (e->w[0] != 0xFF && a->w[0] == e->w[0] + 1) p->scale_up++;
    else if (e->w[0] != 0xFF && a->w[0] + 1 == e->w[0]) p->scale_down++;
    else p->scale_other++;
  } else if (!strcmp(s->op, "dequantize") && in->n) {
    p->nan_scale_in += in->w[0] == 0xFF;
    p->zero_scale_in += in->w[0] == 0x00;
    size_t nd;
    long i = first_difference(e, a, 0, &nd);
    if (i >= 0) {
      same_or_nan(&p->e, value_of(s->fmt_out, e->w[i]), p->n);
      same_or_nan(&p->a, value_of(s->fmt_out, a->w[i]), p->n);
    }
  } else if (!strcmp(s->op, "pack")) {
    int swapped = 1;
    for (size_t i = 0; i < e->n && i < a->n; i++)
      if (e->w[i] != a->w[i] && a->w[i] != (((e->w[i] & 15) << 4) | (e->w[i] >> 4))) swapped = 0;
    p->swapped += swapped;
  }
}

static void pattern_add(pattern *p, const suite *s, const json_value *f) {
  words in, e, a;
  if (!answered(f)) return;
  parse_words(json_get_str(f, "input", NULL), &in);
  parse_words(json_get_str(f, "expected", NULL), &e);
  parse_words(json_get_str(f, "actual", NULL), &a);
  if (!in.n || !e.n || !a.n) return;
  if (!strcmp(s->op, "cvt") && s->fmt_in >= 0 && s->fmt_out >= 0) add_cvt(p, s, &in, &e, &a);
  else if (!strcmp(s->op, "dot")) {
    double u = json_get_num(f, "ulps", -1);
    if (u >= 0) {
      if (p->bytes == 0 || u < p->ulps_lo) p->ulps_lo = u;
      if (p->bytes == 0 || u > p->ulps_hi) p->ulps_hi = u;
      p->bytes++; /* counts the dot failures with a distance */
    }
  } else if (s->fmt_out >= 0 || !strcmp(s->op, "pack")) add_block(p, s, &in, &e, &a);
  if (!strcmp(s->op, "decode")) {
    same_or_nan(&p->x, (double)in.w[0], p->n);
  }
  p->n++;
}

static void kind_name(int k, int dst, char *buf, size_t len) {
  const char *d = dst >= 0 ? mx_format((mx_fmt)dst)->name : "destination";
  snprintf(buf, len, k_kind_names[k], d);
}

/* One line: what the group's failures have in common. "" when nothing useful. */
static void pattern_text(const group *g, const pattern *p, char *buf, size_t len) {
  char all[96];
  buf[0] = 0;
  if (!p->n) return;
  if (p->n == 1 && g->failed == 1) snprintf(all, sizeof all, "the failure");
  else if (p->n == g->failed) snprintf(all, sizeof all, "all %zu failures", p->n);
  else snprintf(all, sizeof all, "the %zu failures recorded (of %zu)", p->n, g->failed);
  size_t o = 0;
#define ADD(...) (o += (size_t)snprintf(buf + o, o < len ? len - o : 0, __VA_ARGS__), o = o < len ? o : len - 1)
  if (!strcmp(g->op, "cvt")) {
    int only = -1, nk = 0;
    for (int k = 0; k < K_COUNT; k++)
      if (p->kinds[k]) only = k, nk++;
    char kn[96];
    if (nk == 1) {
      kind_name(only, p->dst, kn, sizeof kn);
      ADD("%s %s %s", all, p->n == 1 ? "is" : "are", kn);
      if (!isnan(p->x)) ADD(" at %s%g", p->x != 0 ? "±" : "", p->x);
      if (!isnan(p->e) && !isnan(p->a) && p->e != p->a) ADD(": expected %s%g, got %s%g", p->e ? "±" : "", p->e, p->a ? "±" : "", p->a);
      if (only == K_TIE && p->away == p->n) ADD(", rounded away from zero");
      if (only == K_TIE && p->toward == p->n) ADD(", rounded toward zero");
    } else {
      ADD("%s:", all);
      for (int k = 0, first = 1; k < K_COUNT; k++) {
        if (!p->kinds[k]) continue;
        kind_name(k, p->dst, kn, sizeof kn);
        ADD("%s %zu %s", first ? "" : ",", p->kinds[k], kn);
        first = 0;
      }
      if (p->kinds[K_TIE] && p->away == p->kinds[K_TIE]) ADD("; every tie rounded away from zero");
    }
  } else if (!strcmp(g->op, "quantize")) {
    if (p->scale_up == p->n) ADD("%s: the shared scale is one binade too large", all);
    else if (p->scale_down == p->n) ADD("%s: the shared scale is one binade too small", all);
    else if (p->codes_only == p->n) {
      ADD("%s: the right scale, some element codes differ", all);
      if (p->code_ties == p->n) ADD("; each first difference is a tie (V/X halfway between two codes)%s",
                                     p->code_ties_away == p->n ? ", rounded away from zero" : "");
    }
    else {
      ADD("%s:", all);
      const size_t counts[4] = {p->codes_only, p->scale_up, p->scale_down, p->scale_other};
      static const char *const what[4] = {"the right scale, codes differ", "the scale one binade too large",
                                          "the scale one binade too small", "another scale"};
      for (int i = 0, first = 1; i < 4; i++)
        if (counts[i]) ADD("%s %zu with %s", first ? "" : ",", counts[i], what[i]), first = 0;
    }
  } else if (!strcmp(g->op, "dequantize")) {
    if (p->nan_scale_in == p->n) ADD("%s %s blocks with the NaN scale 0xff", all, p->n == 1 ? "is" : "are");
    else if (p->zero_scale_in == p->n) ADD("%s %s blocks with scale 0x00 (2^-127)", all, p->n == 1 ? "is" : "are");
    else ADD("%s", all);
    if (!isnan(p->e) && !isnan(p->a) && p->e != p->a) ADD(": expected %s%g, got %s%g", p->e ? "±" : "", p->e, p->a ? "±" : "", p->a);
  } else if (!strcmp(g->op, "pack")) {
    if (p->swapped == p->n) ADD("%s: every differing byte holds its two nibbles swapped", all);
  } else if (!strcmp(g->op, "dot")) {
    if (p->bytes == p->n) ADD("%s: %g to %g ulps from the exact value rounded once", all, p->ulps_lo, p->ulps_hi);
  } else if (!strcmp(g->op, "decode") && !isnan(p->x)) {
    ADD("%s %s code 0x%02llx", all, p->n == 1 ? "is" : "are", (unsigned long long)p->x);
  }
#undef ADD
}

/* ---- explanations -------------------------------------------------------------------------- */

/* explained_by -> words: "round=rna" (a knob), "e8m0_zero=nan when overflow=ovf" (a
 * conditional value), "cvt round=rne=rna" (a request ignored), "dot_model=NAME" (an
 * accumulation model). */
static void explanation_text(const char *ex, char *buf, size_t len) {
  char a[64], b[64], c[64];
  if (!ex[0]) snprintf(buf, len, "unexplained: no knob value explains it");
  else if (!strcmp(ex, "*")) snprintf(buf, len, "several explanations, see each failure");
  else if (ex[0] == '*') {
    char part[200];
    explanation_text(ex + 1, part, sizeof part);
    snprintf(buf, len, "partly: %s; the others unexplained", part);
  }
  else if (sscanf(ex, "cvt %63[^=]=%63[^=]=%63s", a, b, c) == 3)
    snprintf(buf, len, "the target uses %s %s where %s is asked (a bug: no profile accepts it)", a, c, b);
  else if (sscanf(ex, "dot_model=%63s", a) == 1)
    snprintf(buf, len, "the target accumulates like %s; dot suites expect the exact sum rounded once", a);
  else if (strchr(ex, ';')) snprintf(buf, len, "explained by %s together", ex);
  else if (strstr(ex, " when ") && sscanf(ex, "%63[^=]=%63[^ ] when %63[^\n]", a, b, c) == 3)
    snprintf(buf, len, "explained by %s = %s when %s (a choice the spec leaves open, made by the request)", a, b, c);
  else if (sscanf(ex, "%63[^=]=%63s", a, b) == 2) snprintf(buf, len, "explained by %s = %s (a choice the spec leaves open)", a, b);
  else snprintf(buf, len, "explained by %s", ex);
}

/* ---- grouping ------------------------------------------------------------------------------ */

static int find_group(group *g, int *ng, const suite *s) {
  const char *st = strcmp(s->status, "fail") ? s->status : "";
  for (int i = 0; i < *ng; i++)
    if (!strcmp(g[i].op, s->op) && !strcmp(g[i].explanation, s->explanation) && !strcmp(g[i].status, st)) return i;
  if (*ng == MAX_GROUPS) return *ng - 1; /* an absurd document: the last class takes the rest */
  group *n = &g[(*ng)++];
  memset(n, 0, sizeof *n);
  snprintf(n->op, sizeof n->op, "%s", s->op);
  snprintf(n->explanation, sizeof n->explanation, "%s", s->explanation);
  snprintf(n->status, sizeof n->status, "%s", st);
  return *ng - 1;
}

static size_t suite_failed(const json_value *j) {
  return (size_t)(json_get_num(j, "failed", 0) + json_get_num(j, "crashed", 0) + json_get_num(j, "timed_out", 0) +
                  json_get_num(j, "protocol_errors", 0));
}

/* "cvt.{bf16,f16}.*.rne.{ovf,sat}": the names of suites, field by field. */
static void name_pattern(const suite *v, size_t n, int grp, size_t skip, char *buf, size_t len) {
  char fields[8][8][24];
  int nf[8] = {0}, maxfield = 0, many[8] = {0};
  size_t seen = 0;
  for (size_t i = 0; i < n; i++) {
    if (v[i].group != grp || seen++ < skip) continue;
    char tmp[128];
    snprintf(tmp, sizeof tmp, "%s", v[i].name);
    int k = 0;
    for (char *save = NULL, *t = strtok_r(tmp, ".", &save); t && k < 8; t = strtok_r(NULL, ".", &save), k++) {
      int j;
      for (j = 0; j < nf[k] && strcmp(fields[k][j], t); j++) {}
      if (j == nf[k]) {
        if (nf[k] < 4) snprintf(fields[k][nf[k]++], 24, "%s", t);
        else many[k] = 1;
      }
    }
    if (k > maxfield) maxfield = k;
  }
  size_t o = 0;
  buf[0] = 0;
  for (int k = 0; k < maxfield && o + 40 < len; k++) {
    o += (size_t)snprintf(buf + o, len - o, "%s", k ? "." : "");
    if (many[k]) o += (size_t)snprintf(buf + o, len - o, "*");
    else if (nf[k] == 1) o += (size_t)snprintf(buf + o, len - o, "%s", fields[k][0]);
    else
      for (int j = 0; j < nf[k]; j++) o += (size_t)snprintf(buf + o, len - o, "%s%s", j ? "," : "{", fields[k][j]);
    if (!many[k] && nf[k] > 1) o += (size_t)snprintf(buf + o, len - o, "}");
  }
}

/* ---- printing ------------------------------------------------------------------------------ */

static void print_failure(const out *w, const suite *s, const json_value *f, int show_expl) {
  char d[512];
  describe(s, f, d, sizeof d);
  fprintf(w->f, "  %s%s%s: %s", BOLD(w), s->name, OFF(w), d);
  const char *ex = json_get_str(f, "explained_by", "");
  if (show_expl && ex[0]) fprintf(w->f, "  [%s]", ex);
  fprintf(w->f, "\n");
  const char *rp = json_get_str(f, "reproduce", NULL);
  if (rp) fprintf(w->f, "    %sreproduce:%s %s\n", DIM(w), OFF(w), rp);
}

/* How many failures of each suite of group gi to show: `per_suite` each, or by default
 * `budget` spread over the group's suites in order (first failures first). */
static void quotas(const suite *v, size_t n, int gi, unsigned per_suite, unsigned budget, unsigned *q) {
  for (size_t i = 0; i < n; i++) q[i] = 0;
  if (per_suite) {
    for (size_t i = 0; i < n; i++)
      if (v[i].group == gi) q[i] = per_suite < nrecorded(&v[i]) ? per_suite : (unsigned)nrecorded(&v[i]);
    return;
  }
  for (unsigned round = 0, given = 0, any = 1; given < budget && any; round++) {
    any = 0;
    for (size_t i = 0; i < n && given < budget; i++)
      if (v[i].group == gi && round < nrecorded(&v[i])) q[i]++, given++, any = 1;
  }
}

/* What a class is about: its explanation, or what the target did (crash, hang, ...). */
static void group_text(const group *g, char *buf, size_t len) {
  /* flaky and incomplete have no culprit input to narrow down to */
  if (g->status[0] && strcmp(g->status, "flaky") && strcmp(g->status, "incomplete"))
    snprintf(buf, len, "%s (each such input narrowed down)", status_words(g->status));
  else if (!strcmp(g->status, "incomplete")) snprintf(buf, len, "%s", status_words(g->status));
  else explanation_text(g->explanation, buf, len);
}

static void print_group(const out *w, const suite *v, size_t n, const group *g, int gi, unsigned per_suite,
                          unsigned budget) {
  char ex[256], pt[512];
  group_text(g, ex, sizeof ex);
  /* incomplete: nothing failed, the target could not see some results (never a pass either) */
  const int incomplete = !strcmp(g->status, "incomplete");
  fprintf(w->f, "%s%s%s %s%s%s: %zu suite%s, %zu of %zu cases%s%s — %s\n", RED(w), incomplete ? "INCOMPLETE" : "FAILED",
          OFF(w), BOLD(w), g->op, OFF(w), g->nsuites, g->nsuites == 1 ? "" : "s", g->failed, g->cases,
          g->status[0] ? ", " : "", g->status, ex);
  pattern p;
  memset(&p, 0, sizeof p);
  p.dst = -1;
  for (size_t i = 0; i < n; i++)
    if (v[i].group == gi)
      for (size_t k = 0; k < nrecorded(&v[i]); k++) pattern_add(&p, &v[i], failure_at(&v[i], k));
  pattern_text(g, &p, pt, sizeof pt);
  if (pt[0]) fprintf(w->f, "  %spattern:%s %s\n", YELLOW(w), OFF(w), pt);
  unsigned *q = calloc(n + 1, sizeof *q);
  if (!q) abort();
  quotas(v, n, gi, per_suite, budget, q);
  size_t shown_suites = 0;
  for (size_t i = 0; i < n; i++) {
    if (v[i].group != gi) continue;
    if (!nrecorded(&v[i]) && (per_suite || shown_suites < budget)) { /* nothing recorded: say what the run said */
      const char *m = json_get_str(v[i].j, "message", "");
      fprintf(w->f, "  %s%s%s: %s%s%s\n", BOLD(w), v[i].name, OFF(w), v[i].status, m[0] ? ": " : "", m);
      shown_suites++;
      continue;
    }
    if (q[i]) shown_suites++;
    for (unsigned k = 0; k < q[i]; k++) print_failure(w, &v[i], failure_at(&v[i], k), g->explanation[0] == '*');
  }
  free(q);
  if (shown_suites < g->nsuites) {
    char np[256];
    name_pattern(v, n, gi, shown_suites, np, sizeof np);
    fprintf(w->f, "  ... and %zu more suite%s (%s): --show N shows N failures of each, -v all\n",
            g->nsuites - shown_suites, g->nsuites - shown_suites == 1 ? "" : "s", np);
  }
  fprintf(w->f, "\n");
}

/* ---- the way out: the profile that accepts the knob choices ------------------------------ */

/* "knob = value when condition" (a rule line of a profile file) added to p; 0 ok. */
static int add_rule_line(mx_profile *p, const char *line) {
  char key[64], value[64], cond[256];
  if (sscanf(line, "%63s = %63s when %255[^\n]", key, value, cond) != 3) return -1;
  return mx_profile_add_rule(p, key, value, cond, NULL, 0);
}

/* The run profile from the document (profile.knobs over ocp, then profile.rules). */
static void run_profile(const json_value *doc, mx_profile *p) {
  const json_value *pr = json_get(doc, "profile"), *k = json_get(pr, "knobs"), *r = json_get(pr, "rules");
  const char *name = json_get_str(pr, "name", "ocp");
  if (mx_profile_builtin(name, p)) mx_profile_builtin("ocp", p);
  for (size_t i = 0; k && k->type == JSON_OBJECT && i < k->n; i++)
    if (k->items[i].type == JSON_STRING) mx_profile_set(p, k->items[i].key, k->items[i].string);
  for (size_t i = 0; r && r->type == JSON_ARRAY && i < r->n; i++)
    if (r->items[i].type == JSON_STRING) add_rule_line(p, r->items[i].string);
  snprintf(p->name, sizeof p->name, "%s", name);
}

/* The diff's knob values onto *detected, plain values first (setting a knob drops its rules),
 * then the conditional ones; their profile lines ("k = v\n", "k = v when c\n", escaped for
 * printf) into lines. Returns how many were knob values; *others counts the rest. */
static size_t apply_diff(const json_value *diff, mx_profile *detected, char *lines, size_t len, size_t *others) {
  size_t knobs = 0, used = strlen(lines);
  *others = 0;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < diff->n; i++) {
      const json_value *e = &diff->items[i];
      const char *k = json_get_str(e, "knob", ""), *v = json_get_str(e, "detected_value", "");
      const char *c = json_get_str(e, "condition", "");
      if ((c[0] != 0) != pass) continue;
      int ok = c[0] ? mx_profile_add_rule(detected, k, v, c, NULL, 0) == 0 : mx_profile_set(detected, k, v) == 0;
      if (!ok) {
        *others += 1;
        continue;
      }
      knobs++;
      if (used < len)
        used += (size_t)snprintf(lines + used, len - used, "%s = %s%s%s\\n", k, v, c[0] ? " when " : "", c);
    }
  return knobs;
}

static void shell_word(FILE *f, const char *s) {
  fputc('\'', f);
  for (; *s; s++) s[0] == '\'' ? fputs("'\\''", f) : fputc(*s, f);
  fputc('\'', f);
}

static void print_way_out(const out *w, const json_value *doc) {
  const json_value *dp = json_get(doc, "detected_profile"), *diff = json_get(dp, "diff");
  if (!diff || diff->type != JSON_ARRAY || !diff->n) {
    fprintf(w->f, "no knob value explains these failures: fix the target (each reproduce command above shows one)\n");
    return;
  }
  mx_profile base, detected;
  run_profile(doc, &base);
  detected = base;
  size_t others = 0, models = 0;
  char lines[2048] = "";
  size_t knobs = apply_diff(diff, &detected, lines, sizeof lines, &others);
  for (size_t i = 0; i < diff->n; i++) models += !strcmp(json_get_str(&diff->items[i], "knob", ""), "dot_model");
  if (models)
    fprintf(w->f, "the dot accumulation model is implementation-defined (MX 6.1) but not a profile knob: dot suites\n"
                  "expect the exact value rounded once; mxconform probe dot --target T fingerprints the model\n");
  if (!knobs) {
    if (others > models) fprintf(w->f, "no profile makes this run pass: fix the target where it differs\n");
    return;
  }
  double unexplained = json_get_num(dp, "unexplained_failures", 0);
  const char *spec = json_get_str(json_get(doc, "target"), "spec", "T");
  const char *tier = json_get_str(doc, "tier", "standard");
  fprintf(w->f, "if the knob choice%s above %s intended, run under a profile that says so%s:\n", knobs == 1 ? "" : "s",
          knobs == 1 ? "is" : "are",
          others || unexplained > 0 ? " (the other failures remain: they are not profile choices)" : " and the run passes");
  if (strstr(lines, " when "))
    fprintf(w->f, "(a `when` line is a value that depends on the request: spec_notes/profiles.md, \"Conditional values\")\n");
  char same[64] = "";
  for (const char *const *b = mx_profile_builtin_names; *b && !same[0]; b++) {
    mx_profile p;
    char d[16];
    if (!mx_profile_builtin(*b, &p) && mx_profile_diff(&p, &detected, d, sizeof d) == 0) snprintf(same, sizeof same, "%s", *b);
  }
  mx_profile scratch;
  fprintf(w->f, "  ");
  if (same[0]) fprintf(w->f, "mxconform run --target ");
  else if (!mx_profile_builtin(base.name, &scratch))
    fprintf(w->f, "printf 'base = %s\\n%s' > my.profile && mxconform run --target ", base.name, lines);
  else fprintf(w->f, "(add to your profile file: %s) mxconform run --target ", lines);
  shell_word(w->f, spec);
  if (strcmp(tier, "standard")) fprintf(w->f, " --tier %s", tier);
  fprintf(w->f, " --profile %s\n", same[0] ? same : "my.profile");
}

/* ---- the story ----------------------------------------------------------------------------- */

static void print_summary(const out *w, const group *g, int ng, size_t nsuites, size_t failed) {
  fprintf(w->f, "%s%d failure class%s in %zu suite%s (%zu cases):%s\n", BOLD(w), ng, ng == 1 ? "" : "es", nsuites,
          nsuites == 1 ? "" : "s", failed, OFF(w));
  int width = 10; /* the op column fits the longest name shown (nvfp4_dequantize) */
  for (int i = 0; i < ng; i++)
    if ((int)strlen(g[i].op) > width) width = (int)strlen(g[i].op);
  for (int i = 0; i < ng; i++) {
    char ex[256];
    group_text(&g[i], ex, sizeof ex);
    fprintf(w->f, "  %-*s %4zu suite%s %7zu cases  %s\n", width, g[i].op, g[i].nsuites,
            g[i].nsuites == 1 ? " " : "s", g[i].failed, ex);
  }
}

int story_print(FILE *f, const char *json, size_t len, const story_opts *o) {
  char err[256];
  json_value *doc = json_parse(json, len, err, sizeof err);
  if (!doc || doc->type != JSON_OBJECT) {
    fprintf(f, "not a results document: %s\n", doc ? "the top level is not an object" : err);
    json_free(doc);
    return -1;
  }
  out w = {f, o};
  const char *verdict = json_get_str(doc, "verdict", "");
  if (!strcmp(verdict, "error")) {
    fprintf(f, "%sthe target could not be used:%s %s\n", RED(&w), OFF(&w), json_get_str(doc, "error", "(no reason given)"));
    json_free(doc);
    return 0;
  }
  const json_value *sj = json_get(doc, "suites");
  size_t n = sj && sj->type == JSON_ARRAY ? sj->n : 0, nf = 0, failed = 0;
  suite *v = calloc(n + 1, sizeof *v);
  group *g = calloc(MAX_GROUPS, sizeof *g);
  if (!v || !g) abort();
  int ng = 0;
  for (size_t i = 0; i < n; i++) {
    const json_value *j = &sj->items[i];
    suite *s = &v[nf];
    s->j = j;
    s->name = json_get_str(j, "name", "?");
    s->op = json_get_str(j, "op", "?");
    s->status = json_get_str(j, "status", "?");
    if (!is_failing(s->status)) continue;
    s->failures = json_get(j, "failures");
    s->cases = (size_t)json_get_num(j, "cases", 0);
    s->failed = suite_failed(j);
    if (!s->failed) s->failed = nrecorded(s);
    suite_formats(s);
    suite_explanation(s);
    s->group = find_group(g, &ng, s);
    group *gr = &g[s->group];
    gr->nsuites++;
    gr->cases += s->cases;
    gr->failed += s->failed;
    gr->recorded += nrecorded(s);
    failed += s->failed;
    nf++;
  }
  if (nf) {
    /* the default keeps a failing run's story under 40 lines: fewer examples per class as
     * classes multiply, and only the first classes in detail */
    unsigned per_suite = o->verbose ? ~0u : o->show;
    unsigned budget = ng <= 2 ? 3 : ng == 3 ? 2 : 1;
    int detailed = per_suite ? ng : (ng < DETAILED_GROUPS ? ng : DETAILED_GROUPS);
    for (int i = 0; i < detailed; i++) print_group(&w, v, nf, &g[i], i, per_suite, budget);
    if (detailed < ng) fprintf(f, "(%d more failure classes below: --show N or -v prints them)\n\n", ng - detailed);
    print_summary(&w, g, ng, nf, failed);
    print_way_out(&w, doc);
  }
  free(v);
  free(g);
  json_free(doc);
  return 0;
}
