/* Golden vectors: operation table, suites, and the text format (vectors/FORMAT.md). */
#include "vectors.h"

#include "mxconform/nvfp4.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const k_no_knobs[] = {NULL};
/* cvt's knobs: every knob of mx_knob_table but the request's own round and overflow, filled
 * from the table (vec_op_knobs) so that a knob added there is in every cvt file's header and
 * reproduce line from then on; this list was written by hand once and fell six knobs behind. */
static const char *k_cvt_knobs[64];
static const char *const k_quantize_knobs[] = {"round", "sr_bits", "overflow", "nan_sign", "e5m2_nan", "inf_sat",
                                              "nan_finite", "inf_finite", "int8_range", "src_subnormals",
                                              "ovf_directed", "rule", "nan_block", "inf_block", "zero_block",
                                              "scale_overflow", NULL};
static const char *const k_dequantize_knobs[] = {"dequant_overflow", NULL};
/* NVFP4 (include/mxconform/nvfp4.h): quantize writes a positive block scale, so the scale
 * sign knob only matters on the way back */
static const char *const k_nvfp4_quantize_knobs[] = {"nvfp4_tensor_scale", "nvfp4_block_scale", "nvfp4_elem_scale",
                                                    NULL};
static const char *const k_nvfp4_dequantize_knobs[] = {"nvfp4_dequant", "nvfp4_scale_sign", NULL};
/* the dot's expected value is exact-rne, as the MX dot's; only the reading of a scale code's
 * sign bit changes it */
static const char *const k_nvfp4_dot_knobs[] = {"nvfp4_scale_sign", NULL};

const op_info op_table[OP_COUNT] = {
  {OP_DECODE, "decode", "code f64", k_no_knobs, "exact value of every code of a format"},
  {OP_CVT, "cvt", "input expected", k_cvt_knobs, "scalar conversion source -> element/scale format"},
  {OP_QUANTIZE, "quantize", "values scale codes", k_quantize_knobs, "one MX block: k values -> scale + k codes"},
  {OP_DEQUANTIZE, "dequantize", "scale codes values", k_dequantize_knobs, "one MX block -> k values"},
  {OP_PACK, "pack", "codes packed", k_no_knobs, "codes -> bytes in a packing layout"},
  {OP_DOT, "dot", "scales_a codes_a scales_b codes_b c expected", k_no_knobs,
   "DotGeneral of two MX vectors -> f32: the exact value rounded once (exact-rne)"},
  {OP_NVFP4_QUANTIZE, "nvfp4_quantize", "values amax tscale scales codes", k_nvfp4_quantize_knobs,
   "an NVFP4 tensor of n blocks of 16 f32 values -> FP32 tensor scale, E4M3 block scales, E2M1 codes"},
  {OP_NVFP4_DEQUANTIZE, "nvfp4_dequantize", "tscale scale codes values", k_nvfp4_dequantize_knobs,
   "one NVFP4 block (FP32 tensor scale, E4M3 block scale, 16 E2M1 codes) -> 16 f32 values"},
  {OP_NVFP4_DOT, "nvfp4_dot", "tscale_a scales_a codes_a tscale_b scales_b codes_b c expected", k_nvfp4_dot_knobs,
   "DotGeneral of two NVFP4 vectors (+ C) -> f32: the exact value rounded once (exact-rne)"},
};

const op_info *op_find(const char *name) {
  for (int i = 0; i < OP_COUNT; i++)
    if (!strcmp(op_table[i].name, name)) return &op_table[i];
  return NULL;
}

static void fill_cvt_knobs(void) {
  size_t n = 0;
  for (const mx_knob *k = mx_knob_table; k->name && n + 1 < sizeof k_cvt_knobs / sizeof *k_cvt_knobs; k++)
    if (strcmp(k->name, "round") && strcmp(k->name, "overflow")) k_cvt_knobs[n++] = k->name;
  k_cvt_knobs[n] = NULL;
}

const char *const *vec_op_knobs(vec_op op) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, fill_cvt_knobs);
  return op_table[op].knobs;
}

void vec_suite_init(vec_suite *s) {
  memset(s, 0, sizeof *s);
  mx_profile_builtin("ocp", &s->knobs);
  s->src = MX_F32;
  s->dst = MX_E4M3;
  s->fmt = MX_E4M3;
  s->k = MX_BLOCK_SIZE;
  s->nblocks = 1;
  s->rule = -1;
}

void vec_suite_free(vec_suite *s) {
  free(s->in);
  free(s->out);
  free(s->rnd);
  s->in = s->out = NULL;
  s->rnd = NULL;
  s->ncases = s->cap = 0;
}

void vec_suite_shape(vec_suite *s) {
  s->nrand = 0;
  switch (s->op) {
  case OP_DECODE: s->nin = 1; s->nout = 1; break;
  case OP_CVT: s->nin = 1; s->nout = 1; s->nrand = s->round == MX_SR; break;
  case OP_QUANTIZE: s->nin = s->k; s->nout = 1 + s->k; break;
  case OP_DEQUANTIZE: s->nin = 1 + s->k; s->nout = s->k; break;
  case OP_PACK: s->nin = s->k; s->nout = mx_packed_size(s->bfmt, s->layout, s->k); break;
  case OP_DOT: s->nin = 2 * (s->nblocks + s->nblocks * s->k) + 2; s->nout = 1; break;
  case OP_NVFP4_QUANTIZE: /* f32 in and out, blocks of 16, whatever a caller left in the fields */
    s->src = s->dst = MX_F32;
    s->k = MX_NVFP4_BLOCK;
    s->nin = s->nblocks * MX_NVFP4_BLOCK + 2;
    s->nout = 1 + s->nblocks + s->nblocks * MX_NVFP4_BLOCK;
    break;
  case OP_NVFP4_DEQUANTIZE:
    s->src = s->dst = MX_F32;
    s->k = MX_NVFP4_BLOCK;
    s->nin = 2 + MX_NVFP4_BLOCK;
    s->nout = MX_NVFP4_BLOCK;
    break;
  case OP_NVFP4_DOT:
    s->src = s->dst = MX_F32;
    s->k = MX_NVFP4_BLOCK;
    s->nin = 2 * (1 + s->nblocks + s->nblocks * MX_NVFP4_BLOCK) + 2;
    s->nout = 1;
    break;
  default: s->nin = s->nout = 0;
  }
}

void vec_suite_make_name(vec_suite *s) {
  switch (s->op) {
  case OP_DECODE: snprintf(s->name, sizeof s->name, "decode.%s", mx_format(s->fmt)->name); break;
  case OP_CVT:
    snprintf(s->name, sizeof s->name, "cvt.%s.%s.%s.%s", mx_format(s->src)->name, mx_format(s->dst)->name,
             mx_round_names[s->round], mx_overflow_names[s->overflow]);
    break;
  case OP_QUANTIZE:
    snprintf(s->name, sizeof s->name, "quantize.%s.%s%s%s", mx_block_fmt_names[s->bfmt], mx_format(s->src)->name,
             s->rule >= 0 ? "." : "", s->rule >= 0 ? mx_scale_rule_names[s->rule] : "");
    break;
  case OP_DEQUANTIZE:
    snprintf(s->name, sizeof s->name, "dequantize.%s.%s", mx_block_fmt_names[s->bfmt], mx_format(s->dst)->name);
    break;
  case OP_PACK:
    snprintf(s->name, sizeof s->name, "pack.%s.%s", mx_block_fmt_names[s->bfmt], mx_pack_layout_names[s->layout]);
    if (s->k != MX_BLOCK_SIZE) snprintf(s->name + strlen(s->name), sizeof s->name - strlen(s->name), ".n%zu", s->k);
    break;
  case OP_DOT:
    snprintf(s->name, sizeof s->name, "dot.%s.%s", mx_block_fmt_names[s->bfmt], mx_block_fmt_names[s->bfmt_b]);
    if (s->nblocks != 2) snprintf(s->name + strlen(s->name), sizeof s->name - strlen(s->name), ".n%zu", s->nblocks);
    break;
  case OP_NVFP4_QUANTIZE: snprintf(s->name, sizeof s->name, "nvfp4_quantize.f32.n%zu", s->nblocks); break;
  case OP_NVFP4_DEQUANTIZE: snprintf(s->name, sizeof s->name, "nvfp4_dequantize.f32"); break;
  case OP_NVFP4_DOT: snprintf(s->name, sizeof s->name, "nvfp4_dot.n%zu", s->nblocks); break;
  default: snprintf(s->name, sizeof s->name, "unknown");
  }
}

void vec_suite_add(vec_suite *s, const uint64_t *in, const uint64_t *out, uint32_t rnd) {
  if (s->ncases == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 256;
    s->in = realloc(s->in, s->cap * (s->nin ? s->nin : 1) * sizeof(uint64_t));
    s->out = realloc(s->out, s->cap * (s->nout ? s->nout : 1) * sizeof(uint64_t));
    s->rnd = realloc(s->rnd, s->cap * sizeof(uint32_t));
    if (!s->in || !s->out || !s->rnd) abort();
  }
  memcpy(s->in + s->ncases * s->nin, in, s->nin * sizeof(uint64_t));
  memcpy(s->out + s->ncases * s->nout, out, s->nout * sizeof(uint64_t));
  s->rnd[s->ncases] = rnd;
  s->ncases++;
}

/* ---- writer ------------------------------------------------------------------------- */

/* Hex digits needed for one word of a column. */
static int digits_for_bits(int bits) { return (bits + 3) / 4; }

static int in_bits(const vec_suite *s) {
  switch (s->op) {
  case OP_DECODE: return mx_format(s->fmt)->bits;
  case OP_CVT:
  case OP_QUANTIZE: return mx_format(s->src)->bits;
  case OP_DEQUANTIZE:
  case OP_PACK: return mx_format(mx_block_element(s->bfmt))->bits;
  case OP_DOT: return 8;
  default: return 64;
  }
}

static int out_bits(const vec_suite *s) {
  switch (s->op) {
  case OP_DECODE: return 64;
  case OP_CVT: return mx_format(s->dst)->bits;
  case OP_QUANTIZE: return mx_format(mx_block_element(s->bfmt))->bits;
  case OP_DEQUANTIZE: return mx_format(s->dst)->bits;
  case OP_PACK: return 8;
  case OP_DOT: return 32;
  default: return 64;
  }
}

static void put_list(FILE *f, const uint64_t *w, size_t n, int digits, char sep) {
  for (size_t i = 0; i < n; i++) {
    if (i && sep) fputc(sep, f);
    fprintf(f, "%0*llx", digits, (unsigned long long)w[i]);
  }
}

int vec_write(FILE *f, const vec_suite *s) {
  const op_info *op = &op_table[s->op];
  fprintf(f, "# mxconform-vectors 1\n# suite: %s\n# op: %s\n", s->name, op->name);
  switch (s->op) {
  case OP_DECODE: fprintf(f, "# fmt: %s\n", mx_format(s->fmt)->name); break;
  case OP_CVT:
    fprintf(f, "# src: %s\n# dst: %s\n# param round: %s\n# param overflow: %s\n", mx_format(s->src)->name,
            mx_format(s->dst)->name, mx_round_names[s->round], mx_overflow_names[s->overflow]);
    break;
  case OP_QUANTIZE:
    fprintf(f, "# fmt: %s\n# src: %s\n# k: %zu\n", mx_block_fmt_names[s->bfmt], mx_format(s->src)->name, s->k);
    if (s->rule >= 0) fprintf(f, "# param rule: %s\n", mx_scale_rule_names[s->rule]);
    break;
  case OP_DEQUANTIZE: fprintf(f, "# fmt: %s\n# dst: %s\n# k: %zu\n", mx_block_fmt_names[s->bfmt], mx_format(s->dst)->name, s->k); break;
  case OP_PACK: fprintf(f, "# fmt: %s\n# layout: %s\n# k: %zu\n", mx_block_fmt_names[s->bfmt], mx_pack_layout_names[s->layout], s->k); break;
  case OP_DOT:
    fprintf(f, "# fmt: %s\n# fmt_b: %s\n# k: %zu\n# n: %zu\n", mx_block_fmt_names[s->bfmt], mx_block_fmt_names[s->bfmt_b],
            s->k, s->nblocks);
    break;
  case OP_NVFP4_QUANTIZE: fprintf(f, "# src: f32\n# k: %d\n# n: %zu\n", MX_NVFP4_BLOCK, s->nblocks); break;
  case OP_NVFP4_DEQUANTIZE: fprintf(f, "# dst: f32\n# k: %d\n", MX_NVFP4_BLOCK); break;
  case OP_NVFP4_DOT: fprintf(f, "# k: %d\n# n: %zu\n", MX_NVFP4_BLOCK, s->nblocks); break;
  default: break;
  }
  char buf[64];
  for (const char *const *k = vec_op_knobs(s->op); *k; k++)
    if (s->rule < 0 || strcmp(*k, "rule")) /* a `param rule` replaces the knob */
      fprintf(f, "# knob %s: %s\n", *k, mx_profile_get(&s->knobs, *k, buf, sizeof buf));
  if (s->generator[0]) fprintf(f, "# generator: %s\n", s->generator);
  fprintf(f, "# seed: %llu\n", (unsigned long long)s->seed);
  fprintf(f, "# columns: %s%s\n", s->nrand ? "input random expected" : op->columns, "");
  int di = digits_for_bits(in_bits(s)), dout = digits_for_bits(out_bits(s));
  for (size_t c = 0; c < s->ncases; c++) {
    const uint64_t *in = s->in + c * s->nin, *out = s->out + c * s->nout;
    switch (s->op) {
    case OP_DECODE:
    case OP_CVT:
      put_list(f, in, 1, di, 0);
      if (s->nrand) fprintf(f, " %08x", s->rnd[c]);
      fputc(' ', f);
      put_list(f, out, 1, dout, 0);
      break;
    case OP_QUANTIZE:
      put_list(f, in, s->k, di, ',');
      fprintf(f, " %02llx ", (unsigned long long)out[0]);
      put_list(f, out + 1, s->k, dout, ',');
      break;
    case OP_DEQUANTIZE:
      fprintf(f, "%02llx ", (unsigned long long)in[0]);
      put_list(f, in + 1, s->k, digits_for_bits(in_bits(s)), ',');
      fputc(' ', f);
      put_list(f, out, s->k, dout, ',');
      break;
    case OP_PACK:
      put_list(f, in, s->k, di, ',');
      fputc(' ', f);
      put_list(f, out, s->nout, 2, 0);
      break;
    case OP_DOT: {
      size_t nb = s->nblocks, nk = s->nblocks * s->k;
      int da = digits_for_bits(mx_format(mx_block_element(s->bfmt))->bits);
      int db = digits_for_bits(mx_format(mx_block_element(s->bfmt_b))->bits);
      put_list(f, in, nb, 2, ',');
      fputc(' ', f);
      put_list(f, in + nb, nk, da, ',');
      fputc(' ', f);
      put_list(f, in + nb + nk, nb, 2, ',');
      fputc(' ', f);
      put_list(f, in + 2 * nb + nk, nk, db, ',');
      if (in[2 * (nb + nk)]) fprintf(f, " %08llx ", (unsigned long long)in[2 * (nb + nk) + 1]);
      else fputs(" - ", f);
      put_list(f, out, 1, 8, 0);
      break;
    }
    case OP_NVFP4_QUANTIZE: {
      size_t nb = s->nblocks, nv = nb * MX_NVFP4_BLOCK;
      put_list(f, in, nv, 8, ',');
      if (in[nv]) fprintf(f, " %08llx ", (unsigned long long)in[nv + 1]);
      else fputs(" - ", f);
      put_list(f, out, 1, 8, 0);
      fputc(' ', f);
      put_list(f, out + 1, nb, 2, ',');
      fputc(' ', f);
      put_list(f, out + 1 + nb, nv, 1, ',');
      break;
    }
    case OP_NVFP4_DEQUANTIZE:
      fprintf(f, "%08llx %02llx ", (unsigned long long)in[0], (unsigned long long)in[1]);
      put_list(f, in + 2, MX_NVFP4_BLOCK, 1, ',');
      fputc(' ', f);
      put_list(f, out, MX_NVFP4_BLOCK, 8, ',');
      break;
    case OP_NVFP4_DOT: {
      size_t nb = s->nblocks, nk = nb * MX_NVFP4_BLOCK, half = 1 + nb + nk;
      for (size_t o = 0; o < 2 * half; o += half) {
        fprintf(f, "%08llx ", (unsigned long long)in[o]);
        put_list(f, in + o + 1, nb, 2, ',');
        fputc(' ', f);
        put_list(f, in + o + 1 + nb, nk, 1, ',');
        fputc(' ', f);
      }
      if (in[2 * half]) fprintf(f, "%08llx ", (unsigned long long)in[2 * half + 1]);
      else fputs("- ", f);
      put_list(f, out, 1, 8, 0);
      break;
    }
    default: break;
    }
    fputc('\n', f);
  }
  return ferror(f) ? -1 : 0;
}

/* ---- reader --------------------------------------------------------------------------- */

typedef struct parser {
  const char *origin;
  size_t line;
  char *err;
  size_t errlen;
} parser;

static int fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(parser *p, const char *fmt, ...) {
  int n = snprintf(p->err, p->errlen, "%s:%zu: ", p->origin, p->line);
  if (n < 0 || (size_t)n >= p->errlen) return 1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
  va_end(ap);
  return 1;
}

int vec_hex_word(const char *a, const char *b, int bits, uint64_t *v) {
  if (a == b || b - a > 16) return -1;
  uint64_t x = 0;
  for (const char *q = a; q < b; q++) {
    int c = (unsigned char)*q, d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return -1;
    x = x << 4 | (uint64_t)d;
  }
  if (bits < 64 && (x >> bits)) return -1;
  *v = x;
  return 0;
}

int vec_dot_operands(const vec_suite *s, const uint64_t *in, uint8_t *sa, uint8_t *ca, uint8_t *sb, uint8_t *cb,
                     mx_dot_vec *a, mx_dot_vec *b, uint32_t *c) {
  size_t nb = s->nblocks, nk = s->nblocks * s->k;
  for (size_t i = 0; i < nb; i++) sa[i] = (uint8_t)in[i], sb[i] = (uint8_t)in[nb + nk + i];
  for (size_t i = 0; i < nk; i++) ca[i] = (uint8_t)in[nb + i], cb[i] = (uint8_t)in[2 * nb + nk + i];
  a->fmt = s->bfmt;
  a->scales = sa;
  a->codes = ca;
  b->fmt = s->bfmt_b;
  b->scales = sb;
  b->codes = cb;
  *c = (uint32_t)in[2 * (nb + nk) + 1];
  return in[2 * (nb + nk)] != 0;
}

int vec_nvfp4_dot_operands(const vec_suite *s, const uint64_t *in, uint32_t *st_a, uint8_t *sa, uint8_t *ca,
                           uint32_t *st_b, uint8_t *sb, uint8_t *cb, uint32_t *c) {
  size_t nb = s->nblocks, nk = nb * MX_NVFP4_BLOCK, half = 1 + nb + nk;
  *st_a = (uint32_t)in[0];
  *st_b = (uint32_t)in[half];
  for (size_t i = 0; i < nb; i++) sa[i] = (uint8_t)in[1 + i], sb[i] = (uint8_t)in[half + 1 + i];
  for (size_t i = 0; i < nk; i++) ca[i] = (uint8_t)in[1 + nb + i], cb[i] = (uint8_t)in[half + 1 + nb + i];
  *c = (uint32_t)in[2 * half + 1];
  return in[2 * half] != 0;
}

/* A comma list of exactly n hex words within [a, b), each < 2^bits. */
static int parse_list(parser *p, const char *a, const char *b, size_t n, int bits, uint64_t *out, const char *what) {
  size_t i = 0;
  const char *q = a;
  while (q <= b) {
    const char *e = q;
    while (e < b && *e != ',') e++;
    if (i >= n) return fail(p, "%s: more than %zu values", what, n);
    if (vec_hex_word(q, e, 64, &out[i])) return fail(p, "%s: value %zu is not a hex number of at most 16 digits", what, i + 1);
    if (bits < 64 && out[i] >> bits) return fail(p, "%s: value %zu (%.*s) does not fit in %d bits", what, i + 1, (int)(e - q), q, bits);
    i++;
    q = e + 1;
    if (e == b) break;
  }
  if (i != n) return fail(p, "%s: %zu values, expected %zu", what, i, n);
  return 0;
}

/* Bytes as a run of hex digit pairs. */
static int parse_bytes(parser *p, const char *a, const char *b, size_t n, uint64_t *out, const char *what) {
  if ((size_t)(b - a) != 2 * n) return fail(p, "%s: %zu hex digits, expected %zu (%zu bytes)", what, (size_t)(b - a), 2 * n, n);
  for (size_t i = 0; i < n; i++)
    if (vec_hex_word(a + 2 * i, a + 2 * i + 2, 8, &out[i])) return fail(p, "%s: byte %zu is not hex", what, i + 1);
  return 0;
}

/* An nvfp4_quantize row: values, amax (or -), tensor scale, block scales, codes. The values and
 * a given amax must be finite (amax >= 0): no NVFP4 flow is defined for NaN/Inf (nvfp4.h). */
static int parse_nvfp4_quantize(parser *p, const vec_suite *s, const char *const *f, const char *const *fe,
                                uint64_t *in, uint64_t *out) {
  size_t nb = s->nblocks, nv = nb * MX_NVFP4_BLOCK;
  if (parse_list(p, f[0], fe[0], nv, 32, in, "values")) return 1;
  for (size_t i = 0; i < nv; i++)
    if ((in[i] & 0x7F800000u) == 0x7F800000u) return fail(p, "values: value %zu is NaN or Inf (no NVFP4 flow)", i + 1);
  in[nv] = !(fe[1] - f[1] == 1 && f[1][0] == '-');
  in[nv + 1] = 0;
  if (in[nv]) {
    if (parse_list(p, f[1], fe[1], 1, 32, in + nv + 1, "amax")) return 1;
    uint64_t a = in[nv + 1];
    if ((a & 0x7F800000u) == 0x7F800000u || (a >> 31 && (a & 0x7FFFFFFFu)))
      return fail(p, "amax: not a finite value >= 0");
  }
  if (parse_list(p, f[2], fe[2], 1, 32, out, "tscale")) return 1;
  if (parse_list(p, f[3], fe[3], nb, 8, out + 1, "scales")) return 1;
  return parse_list(p, f[4], fe[4], nv, 4, out + 1 + nb, "codes");
}

static int header_fmt(parser *p, const char *v, int want_block, vec_suite *s, int *field) {
  if (want_block) {
    int b = mx_block_fmt_by_name(v);
    if (b < 0) return fail(p, "unknown block format '%s'", v);
    s->bfmt = (mx_block_fmt)b;
    return 0;
  }
  int f = mx_format_by_name(v);
  if (f < 0) return fail(p, "unknown format '%s'", v);
  *field = f;
  return 0;
}

int vec_parse(const char *text, size_t len, const char *origin, vec_suite *s, char *err, size_t errlen) {
  parser P = {origin, 0, err, errlen}, *p = &P;
  vec_suite_init(s);
  snprintf(s->origin, sizeof s->origin, "%s", origin);
  int have_magic = 0, have_op = 0, have_columns = 0;
  char seen[32][32];
  int nseen = 0;
  const char *cur = text, *end = text + len;
  uint64_t *inbuf = NULL, *outbuf = NULL;
  int rc = 0;
  while (cur < end) {
    const char *nl = memchr(cur, '\n', (size_t)(end - cur));
    const char *le = nl ? nl : end;
    P.line++;
    size_t ll = (size_t)(le - cur);
    if (ll && cur[ll - 1] == '\r') ll--;
    if (memchr(cur, 0, ll)) { rc = fail(p, "NUL byte in line"); goto out; }
    if (ll == 0) { rc = fail(p, "empty line"); goto out; }
    if (!have_columns) {
      char line[512];
      if (ll >= sizeof line) { rc = fail(p, "header line too long"); goto out; }
      memcpy(line, cur, ll);
      line[ll] = 0;
      if (line[0] != '#' || line[1] != ' ') { rc = fail(p, "expected a '# key: value' header line before the data"); goto out; }
      char *key = line + 2, *colon = strstr(key, ": ");
      if (!have_magic) {
        if (strcmp(key, "mxconform-vectors 1")) { rc = fail(p, "not an mxconform vector file (first line must be '# mxconform-vectors 1')"); goto out; }
        have_magic = 1;
        goto next;
      }
      if (!colon) { rc = fail(p, "header line without ': '"); goto out; }
      *colon = 0;
      char *val = colon + 2;
      for (int i = 0; i < nseen; i++)
        if (!strcmp(seen[i], key)) { rc = fail(p, "duplicate header '%s'", key); goto out; }
      if (nseen < 32) snprintf(seen[nseen++], sizeof seen[0], "%s", key);
      if (!strcmp(key, "suite")) snprintf(s->name, sizeof s->name, "%s", val);
      else if (!strcmp(key, "op")) {
        const op_info *op = op_find(val);
        if (!op) { rc = fail(p, "unknown op '%s' (decode cvt quantize dequantize pack dot nvfp4_quantize nvfp4_dequantize nvfp4_dot)", val); goto out; }
        s->op = op->op;
        have_op = 1;
      } else if (!have_op) {
        rc = fail(p, "'# op:' must come before '%s'", key);
        goto out;
      } else if (!strcmp(key, "fmt_b") && s->op == OP_DOT) {
        int b = mx_block_fmt_by_name(val);
        if (b < 0) { rc = fail(p, "unknown block format '%s'", val); goto out; }
        s->bfmt_b = (mx_block_fmt)b;
      } else if (!strcmp(key, "n") && (s->op == OP_DOT || s->op == OP_NVFP4_QUANTIZE || s->op == OP_NVFP4_DOT)) {
        char *e;
        unsigned long nb = strtoul(val, &e, 10);
        if (!*val || *e || nb < 1 || nb > 64) { rc = fail(p, "bad n '%s' (1..64 blocks)", val); goto out; }
        s->nblocks = nb;
      } else if (!strcmp(key, "fmt")) {
        int f = 0;
        if ((rc = header_fmt(p, val, s->op != OP_DECODE, s, &f))) goto out;
        if (s->op == OP_DECODE) {
          if (!mx_format((mx_fmt)f)->is_element) { rc = fail(p, "decode takes an element or scale format, not '%s'", val); goto out; }
          s->fmt = (mx_fmt)f;
        }
      } else if (!strcmp(key, "src")) {
        int f = mx_format_by_name(val);
        if (f < 0 || !mx_format((mx_fmt)f)->is_source) { rc = fail(p, "bad source format '%s' (f32 bf16 f16 f64)", val); goto out; }
        s->src = (mx_fmt)f;
      } else if (!strcmp(key, "dst")) {
        int f = mx_format_by_name(val);
        if (f < 0) { rc = fail(p, "unknown format '%s'", val); goto out; }
        s->dst = (mx_fmt)f;
      } else if (!strcmp(key, "layout")) {
        int l = mx_name_index(mx_pack_layout_names, val);
        if (l < 0) { rc = fail(p, "unknown layout '%s'", val); goto out; }
        s->layout = (mx_pack_layout)l;
      } else if (!strcmp(key, "k")) {
        char *e;
        unsigned long k = strtoul(val, &e, 10);
        if (!*val || *e || k < 1 || k > MX_BLOCK_MAX) { rc = fail(p, "bad k '%s' (1..%d)", val, MX_BLOCK_MAX); goto out; }
        s->k = k;
      } else if (!strncmp(key, "param ", 6)) {
        const char *pk = key + 6;
        int i;
        if (!strcmp(pk, "round") && (i = mx_name_index(mx_round_names, val)) >= 0) s->round = (mx_round)i;
        else if (!strcmp(pk, "overflow") && (i = mx_name_index(mx_overflow_names, val)) >= 0) s->overflow = (mx_overflow)i;
        else if (!strcmp(pk, "rule") && s->op == OP_QUANTIZE && (i = mx_name_index(mx_scale_rule_names, val)) >= 0) s->rule = i;
        else { rc = fail(p, "bad parameter '%s: %s'", pk, val); goto out; }
      } else if (!strncmp(key, "knob ", 5)) {
        int r = mx_profile_set(&s->knobs, key + 5, val);
        if (r == -1) { rc = fail(p, "unknown knob '%s'", key + 5); goto out; }
        if (r) { rc = fail(p, "bad value '%s' for knob %s", val, key + 5); goto out; }
      } else if (!strcmp(key, "generator")) snprintf(s->generator, sizeof s->generator, "%s", val);
      else if (!strcmp(key, "seed")) {
        char *e;
        errno = 0;
        s->seed = strtoull(val, &e, 10);
        if (!*val || *e || errno) { rc = fail(p, "bad seed '%s'", val); goto out; }
      } else if (!strcmp(key, "columns")) {
        /* every header the op needs must have been given */
        static const char *const need[OP_COUNT][5] = {
          {"fmt", NULL}, {"src", "dst", "param round", "param overflow", NULL}, {"fmt", "src", "k", NULL},
          {"fmt", "dst", "k", NULL}, {"fmt", "layout", "k", NULL}, {"fmt", "fmt_b", "k", "n", NULL},
          {"src", "k", "n", NULL}, {"dst", "k", NULL}, {"k", "n", NULL}};
        for (int r = 0; need[s->op][r]; r++) {
          int found = 0;
          for (int i = 0; i < nseen; i++) found |= !strcmp(seen[i], need[s->op][r]);
          if (!found) { rc = fail(p, "missing header '# %s:' before '# columns:'", need[s->op][r]); goto out; }
        }
        if ((s->op == OP_CVT && !mx_format(s->dst)->is_element) ||
            (s->op == OP_DEQUANTIZE && s->dst != MX_F32 && s->dst != MX_BF16 && s->dst != MX_F64)) {
          rc = fail(p, "bad dst '%s' for %s", mx_format(s->dst)->name, op_table[s->op].name);
          goto out;
        }
        if (s->op == OP_PACK && !mx_packed_size(s->bfmt, s->layout, 1)) {
          rc = fail(p, "layout %s does not apply to %s", mx_pack_layout_names[s->layout], mx_block_fmt_names[s->bfmt]);
          goto out;
        }
        if (s->op == OP_DOT && s->nblocks * s->k > 4096) { rc = fail(p, "n * k must be at most 4096"); goto out; }
        if (s->op == OP_NVFP4_DOT && s->k != MX_NVFP4_BLOCK) {
          rc = fail(p, "nvfp4_dot takes k %d", MX_NVFP4_BLOCK);
          goto out;
        }
        if ((s->op == OP_NVFP4_QUANTIZE || s->op == OP_NVFP4_DEQUANTIZE) &&
            (s->k != MX_NVFP4_BLOCK || (s->op == OP_NVFP4_QUANTIZE ? s->src : s->dst) != MX_F32)) {
          rc = fail(p, "%s takes src/dst f32 and k %d", op_table[s->op].name, MX_NVFP4_BLOCK);
          goto out;
        }
        vec_suite_shape(s);
        const char *want = s->nrand ? "input random expected" : op_table[s->op].columns;
        if (strcmp(val, want)) { rc = fail(p, "columns must be '%s' for this suite", want); goto out; }
        have_columns = 1;
        inbuf = calloc(s->nin + 1, sizeof *inbuf);
        outbuf = calloc(s->nout + 1, sizeof *outbuf);
        if (!inbuf || !outbuf) abort();
      } else { rc = fail(p, "unknown header '%s'", key); goto out; }
    } else {
      /* data: fields separated by single spaces */
      const char *f[8];
      const char *fe[8];
      int nf = 0;
      const char *q = cur, *lend = cur + ll;
      while (q <= lend && nf < 8) {
        const char *e = memchr(q, ' ', (size_t)(lend - q));
        if (!e) e = lend;
        f[nf] = q;
        fe[nf] = e;
        nf++;
        q = e + 1;
        if (e == lend) break;
      }
      static const int fields[OP_COUNT] = {2, 2, 3, 3, 2, 6, 5, 4, 8}; /* per op, data rows */
      int want = s->nrand ? 3 : fields[s->op];
      if (nf != want || q <= lend) { rc = fail(p, "expected %d space-separated fields (%s)", want, s->nrand ? "input random expected" : op_table[s->op].columns); goto out; }
      uint32_t rnd = 0;
      int ib = in_bits(s), ob = out_bits(s);
      switch (s->op) {
      case OP_DECODE:
      case OP_CVT:
        if ((rc = parse_list(p, f[0], fe[0], 1, ib, inbuf, "input"))) goto out;
        if (s->nrand) {
          uint64_t r;
          if ((rc = parse_list(p, f[1], fe[1], 1, 32, &r, "random"))) goto out;
          rnd = (uint32_t)r;
        }
        if ((rc = parse_list(p, f[want - 1], fe[want - 1], 1, ob, outbuf, "expected"))) goto out;
        break;
      case OP_QUANTIZE:
        if ((rc = parse_list(p, f[0], fe[0], s->k, ib, inbuf, "values"))) goto out;
        if ((rc = parse_list(p, f[1], fe[1], 1, 8, outbuf, "scale"))) goto out;
        if ((rc = parse_list(p, f[2], fe[2], s->k, ob, outbuf + 1, "codes"))) goto out;
        break;
      case OP_DEQUANTIZE:
        if ((rc = parse_list(p, f[0], fe[0], 1, 8, inbuf, "scale"))) goto out;
        if ((rc = parse_list(p, f[1], fe[1], s->k, ib, inbuf + 1, "codes"))) goto out;
        if ((rc = parse_list(p, f[2], fe[2], s->k, ob, outbuf, "values"))) goto out;
        break;
      case OP_PACK:
        if ((rc = parse_list(p, f[0], fe[0], s->k, ib, inbuf, "codes"))) goto out;
        if ((rc = parse_bytes(p, f[1], fe[1], s->nout, outbuf, "packed"))) goto out;
        break;
      case OP_DOT: {
        size_t nb = s->nblocks, nk = s->nblocks * s->k;
        int ba = mx_format(mx_block_element(s->bfmt))->bits, bb = mx_format(mx_block_element(s->bfmt_b))->bits;
        if ((rc = parse_list(p, f[0], fe[0], nb, 8, inbuf, "scales_a"))) goto out;
        if ((rc = parse_list(p, f[1], fe[1], nk, ba, inbuf + nb, "codes_a"))) goto out;
        if ((rc = parse_list(p, f[2], fe[2], nb, 8, inbuf + nb + nk, "scales_b"))) goto out;
        if ((rc = parse_list(p, f[3], fe[3], nk, bb, inbuf + 2 * nb + nk, "codes_b"))) goto out;
        if (fe[4] - f[4] == 1 && f[4][0] == '-') {
          inbuf[2 * (nb + nk)] = 0;
          inbuf[2 * (nb + nk) + 1] = 0;
        } else {
          inbuf[2 * (nb + nk)] = 1;
          if ((rc = parse_list(p, f[4], fe[4], 1, 32, inbuf + 2 * (nb + nk) + 1, "c"))) goto out;
        }
        if ((rc = parse_list(p, f[5], fe[5], 1, 32, outbuf, "expected"))) goto out;
        break;
      }
      case OP_NVFP4_QUANTIZE:
        if ((rc = parse_nvfp4_quantize(p, s, f, fe, inbuf, outbuf))) goto out;
        break;
      case OP_NVFP4_DEQUANTIZE:
        if ((rc = parse_list(p, f[0], fe[0], 1, 32, inbuf, "tscale"))) goto out;
        if ((rc = parse_list(p, f[1], fe[1], 1, 8, inbuf + 1, "scale"))) goto out;
        if ((rc = parse_list(p, f[2], fe[2], MX_NVFP4_BLOCK, 4, inbuf + 2, "codes"))) goto out;
        if ((rc = parse_list(p, f[3], fe[3], MX_NVFP4_BLOCK, 32, outbuf, "values"))) goto out;
        break;
      case OP_NVFP4_DOT: {
        size_t nb = s->nblocks, nk = nb * MX_NVFP4_BLOCK, half = 1 + nb + nk;
        for (int o = 0; o < 2; o++) {
          uint64_t *w = inbuf + (size_t)o * half;
          if ((rc = parse_list(p, f[3 * o], fe[3 * o], 1, 32, w, o ? "tscale_b" : "tscale_a"))) goto out;
          if ((rc = parse_list(p, f[3 * o + 1], fe[3 * o + 1], nb, 8, w + 1, o ? "scales_b" : "scales_a"))) goto out;
          if ((rc = parse_list(p, f[3 * o + 2], fe[3 * o + 2], nk, 4, w + 1 + nb, o ? "codes_b" : "codes_a"))) goto out;
          if (((uint32_t)w[0] & 0x7F800000u) == 0x7F800000u) { rc = fail(p, "a tensor scale must be finite"); goto out; }
        }
        inbuf[2 * half] = !(fe[6] - f[6] == 1 && f[6][0] == '-');
        inbuf[2 * half + 1] = 0;
        if (inbuf[2 * half] && (rc = parse_list(p, f[6], fe[6], 1, 32, inbuf + 2 * half + 1, "c"))) goto out;
        if ((rc = parse_list(p, f[7], fe[7], 1, 32, outbuf, "expected"))) goto out;
        break;
      }
      default: break;
      }
      vec_suite_add(s, inbuf, outbuf, rnd);
    }
  next:
    if (!nl) break;
    cur = nl + 1;
  }
  if (!have_magic) { P.line = 1; rc = fail(p, "empty file (first line must be '# mxconform-vectors 1')"); goto out; }
  if (!have_columns) { rc = fail(p, "truncated header: no '# columns:' line"); goto out; }
  if (end > text && end[-1] != '\n') { rc = fail(p, "truncated file: last line has no newline"); goto out; }
  if (!s->name[0]) vec_suite_make_name(s);
out:
  free(inbuf);
  free(outbuf);
  if (rc) vec_suite_free(s);
  return rc;
}

int vec_read_file(const char *path, vec_suite *s, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    return 1;
  }
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  if (!buf) abort();
  size_t n;
  while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) abort();
    }
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    snprintf(err, errlen, "%s: read error", path);
    return 1;
  }
  int rc = vec_parse(buf, len, path, s, err, errlen);
  free(buf);
  return rc;
}
