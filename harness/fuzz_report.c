/* The fuzz report (fuzz_run.h): every finding with its input bits, the expected (oracle) and
 * actual (target) bits, decoded values, the reproduce line of reproduce.h and the fuzz
 * command that finds it again; the summary; the results document. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "fuzz_gen.h"
#include "fuzz_run.h"
#include "mxconform/mxref.h"
#include "reproduce.h"
#include "sha256.h"

/* What a word holds, so that it can be decoded. */
typedef enum wkind { K_SOURCE, K_CODE, K_FLAG, K_BYTE } wkind;

typedef struct wdesc {
  char label[32];
  wkind kind;
  mx_fmt fmt;
} wdesc;

/* NVFP4 dot's inputs: per operand the f32 tensor scale, n E4M3 block scales and 16n E2M1
 * codes (A, then B); then the has-C flag and C. */
static void nvfp4_dot_input_word(size_t nb, size_t i, wdesc *w) {
  size_t half = 1 + nb + 16 * nb;
  const char *op = i < half ? "a" : "b";
  size_t j = i % half;
  if (i >= 2 * half) {
    if (i == 2 * half) snprintf(w->label, sizeof w->label, "has_c"), w->kind = K_FLAG;
    else snprintf(w->label, sizeof w->label, "c"), w->kind = K_SOURCE, w->fmt = MX_F32;
  } else if (j == 0) {
    snprintf(w->label, sizeof w->label, "tscale_%s", op), w->kind = K_SOURCE, w->fmt = MX_F32;
  } else if (j <= nb) {
    snprintf(w->label, sizeof w->label, "scale_%s[%zu]", op, j - 1), w->fmt = MX_E4M3;
  } else {
    snprintf(w->label, sizeof w->label, "%s[%zu]", op, j - 1 - nb), w->fmt = MX_E2M1;
  }
}

static wdesc input_word(const vec_suite *s, size_t i) {
  wdesc w = {"", K_CODE, MX_E8M0};
  size_t nb = s->nblocks, nk = s->nblocks * s->k;
  switch (s->op) {
  case OP_CVT: snprintf(w.label, sizeof w.label, "x"), w.kind = K_SOURCE, w.fmt = s->src; break;
  case OP_QUANTIZE: snprintf(w.label, sizeof w.label, "v[%zu]", i), w.kind = K_SOURCE, w.fmt = s->src; break;
  case OP_DEQUANTIZE:
    if (i == 0) snprintf(w.label, sizeof w.label, "scale");
    else snprintf(w.label, sizeof w.label, "P[%zu]", i - 1), w.fmt = mx_block_element(s->bfmt);
    break;
  case OP_PACK: snprintf(w.label, sizeof w.label, "P[%zu]", i), w.fmt = mx_block_element(s->bfmt); break;
  case OP_DOT:
    if (i < nb) snprintf(w.label, sizeof w.label, "scale_a[%zu]", i);
    else if (i < nb + nk) snprintf(w.label, sizeof w.label, "a[%zu]", i - nb), w.fmt = mx_block_element(s->bfmt);
    else if (i < 2 * nb + nk) snprintf(w.label, sizeof w.label, "scale_b[%zu]", i - nb - nk);
    else if (i < 2 * (nb + nk)) snprintf(w.label, sizeof w.label, "b[%zu]", i - 2 * nb - nk), w.fmt = mx_block_element(s->bfmt_b);
    else if (i == 2 * (nb + nk)) snprintf(w.label, sizeof w.label, "has_c"), w.kind = K_FLAG;
    else snprintf(w.label, sizeof w.label, "c"), w.kind = K_SOURCE, w.fmt = MX_F32;
    break;
  case OP_NVFP4_QUANTIZE: /* 16n f32 values, the has-amax flag, the amax */
    if (i < 16 * nb) snprintf(w.label, sizeof w.label, "v[%zu]", i), w.kind = K_SOURCE, w.fmt = MX_F32;
    else if (i == 16 * nb) snprintf(w.label, sizeof w.label, "has_amax"), w.kind = K_FLAG;
    else snprintf(w.label, sizeof w.label, "amax"), w.kind = K_SOURCE, w.fmt = MX_F32;
    break;
  case OP_NVFP4_DEQUANTIZE: /* f32 tensor scale, E4M3 block scale, 16 E2M1 codes */
    if (i == 0) snprintf(w.label, sizeof w.label, "tscale"), w.kind = K_SOURCE, w.fmt = MX_F32;
    else if (i == 1) snprintf(w.label, sizeof w.label, "scale"), w.fmt = MX_E4M3;
    else snprintf(w.label, sizeof w.label, "P[%zu]", i - 2), w.fmt = MX_E2M1;
    break;
  case OP_NVFP4_DOT: nvfp4_dot_input_word(nb, i, &w); break;
  default: break;
  }
  return w;
}

static wdesc output_word(const vec_suite *s, size_t i) {
  wdesc w = {"", K_CODE, MX_E8M0};
  switch (s->op) {
  case OP_CVT: snprintf(w.label, sizeof w.label, "code"), w.fmt = s->dst; break;
  case OP_QUANTIZE:
    if (i == 0) snprintf(w.label, sizeof w.label, "scale");
    else snprintf(w.label, sizeof w.label, "P[%zu]", i - 1), w.fmt = mx_block_element(s->bfmt);
    break;
  case OP_DEQUANTIZE: snprintf(w.label, sizeof w.label, "v[%zu]", i), w.kind = K_SOURCE, w.fmt = s->dst; break;
  case OP_PACK: snprintf(w.label, sizeof w.label, "byte[%zu]", i), w.kind = K_BYTE; break;
  case OP_DOT:
  case OP_NVFP4_DOT: snprintf(w.label, sizeof w.label, "result"), w.kind = K_SOURCE, w.fmt = MX_F32; break;
  case OP_NVFP4_QUANTIZE: /* f32 tensor scale, n E4M3 block scales, 16n E2M1 codes */
    if (i == 0) snprintf(w.label, sizeof w.label, "tscale"), w.kind = K_SOURCE, w.fmt = MX_F32;
    else if (i <= s->nblocks) snprintf(w.label, sizeof w.label, "scale[%zu]", i - 1), w.fmt = MX_E4M3;
    else snprintf(w.label, sizeof w.label, "P[%zu]", i - 1 - s->nblocks), w.fmt = MX_E2M1;
    break;
  case OP_NVFP4_DEQUANTIZE: snprintf(w.label, sizeof w.label, "v[%zu]", i), w.kind = K_SOURCE, w.fmt = MX_F32; break;
  default: break;
  }
  return w;
}

/* The decoded value of a word ("" for flags and bytes). */
static void value_text(const wdesc *w, uint64_t bits, char *buf, size_t len) {
  double v;
  if (w->kind == K_FLAG || w->kind == K_BYTE) {
    buf[0] = 0;
    return;
  }
  if (w->kind == K_SOURCE) v = fuzz_source_value(w->fmt, bits);
  else {
    uint64_t b = mxref_decode_f64_bits(w->fmt, (uint32_t)bits);
    memcpy(&v, &b, sizeof v);
  }
  if (isnan(v)) snprintf(buf, len, "NaN");
  else if (isinf(v)) snprintf(buf, len, "%sInf", v < 0 ? "-" : "+");
  else if (v == 0) snprintf(buf, len, "%s0", signbit(v) ? "-" : "+");
  else snprintf(buf, len, "%.17g", v);
}

static void word_text(const wdesc *w, uint64_t bits, char *buf, size_t len) {
  char v[64];
  value_text(w, bits, v, sizeof v);
  if (v[0]) snprintf(buf, len, "%s=0x%llx (%s)", w->label, (unsigned long long)bits, v);
  else snprintf(buf, len, "%s=0x%llx", w->label, (unsigned long long)bits);
}

static void shape_text(const vec_suite *s, char *buf, size_t len) {
  if (s->op == OP_CVT) snprintf(buf, len, "%s", s->name);
  else if (s->op == OP_DOT) snprintf(buf, len, "%s, %zu block%s of k=%zu", s->name, s->nblocks, s->nblocks == 1 ? "" : "s", s->k);
  else snprintf(buf, len, "%s, k=%zu", s->name, s->k);
}

static void found_by(const fuzz_cfg *c, const fuzz_finding *fd, char *buf, size_t len) {
  char timeout[48] = "";
  if (c->timeout != 10.0) snprintf(timeout, sizeof timeout, " --timeout %g", c->timeout);
  snprintf(buf, len, "mxconform fuzz --target '%s' --profile %s%s%s --seed %llu --cases %llu%s", c->target_spec,
           c->profile_spec, c->ops_text ? " --ops " : "", c->ops_text ? c->ops_text : "", (unsigned long long)c->seed,
           (unsigned long long)fd->case_number, timeout);
}

/* Is word i of the outputs part of the difference? The comparator's don't-cares are not
 * (expect_equal: a NaN scale's elements; any NaN for an expected NaN value). */
static int differs(const fuzz_finding *fd, size_t i) {
  const vec_suite *s = &fd->s;
  uint64_t e = s->out[i], a = fd->actual[i];
  if (fd->status != T_OK || e == a) return 0;
  if (s->op == OP_QUANTIZE && i > 0 && s->out[0] == 0xFF && fd->actual[0] == 0xFF) return 0;
  if (s->op == OP_DEQUANTIZE || s->op == OP_DOT) {
    mx_fmt f = s->op == OP_DOT ? MX_F32 : s->dst;
    return !(isnan(fuzz_source_value(f, e)) && isnan(fuzz_source_value(f, a)));
  }
  return 1;
}

void fuzz_print_finding(FILE *f, const fuzz_cfg *c, const fuzz_finding *fd, size_t number) {
  const vec_suite *s = &fd->s;
  char shape[200], w[160], line[4096];
  shape_text(s, shape, sizeof shape);
  fprintf(f, "\nFINDING %zu: %s in %s\n", number, fd->kind, shape);
  fprintf(f, "  drawn as case %llu (strategy %s, suite %s); shrunk with %u target calls: %zu -> %zu non-zero inputs",
          (unsigned long long)fd->case_number, fd->strategy ? fd->strategy : "?", fd->suite_before, fd->shrink_calls,
          fd->nonzero_before, fd->nonzero_after);
  if (s->op == OP_DOT) fprintf(f, ", %zu -> %zu blocks", fd->blocks_before, s->nblocks);
  fprintf(f, "\n  profile %s", c->profile.name);
  if (s->nrand) fprintf(f, ", sr random word 0x%08x", s->rnd[0]);
  fputc('\n', f);
  size_t shown = 0, hidden = 0;
  fprintf(f, "  input:   ");
  for (size_t i = 0; i < s->nin; i++) {
    wdesc d = input_word(s, i);
    int zero_element = s->in[i] == 0 && (d.kind == K_SOURCE || d.kind == K_CODE) && s->op != OP_CVT;
    if (zero_element || (d.kind == K_FLAG && !s->in[i]) || (!strcmp(d.label, "c") && !s->in[i - 1])) {
      hidden++;
      continue;
    }
    if (shown++ >= 16) continue;
    word_text(&d, s->in[i], w, sizeof w);
    fprintf(f, "%s%s", shown > 1 ? "  " : "", w);
  }
  if (shown > 16) fprintf(f, "  ... (%zu more)", shown - 16);
  if (hidden) fprintf(f, "  (the other %zu input%s +0 / code 0x0)", hidden, hidden == 1 ? "" : "s");
  fputc('\n', f);
  if (fd->status != T_OK) {
    fprintf(f, "  answer:  %s%s%s\n", tstatus_names[fd->status], fd->msg[0] ? ": " : "", fd->msg);
  } else {
    size_t ndiff = 0;
    for (size_t i = 0; i < s->nout; i++) ndiff += differs(fd, i);
    for (int pass = 0; pass < 2; pass++) {
      fprintf(f, "  %s", pass ? "actual:   " : "expected: ");
      size_t n = 0;
      for (size_t i = 0; i < s->nout && n < 8; i++) {
        if (!differs(fd, i) && !(s->op == OP_QUANTIZE && i == 0)) continue;
        wdesc d = output_word(s, i);
        if (pass && s->op == OP_CVT && unobs_is(fd->actual[i])) unobs_text(fd->actual[i], w, sizeof w); /* `?C1/..` */
        else word_text(&d, pass ? fd->actual[i] : s->out[i], w, sizeof w);
        fprintf(f, "%s%s", n++ ? "  " : "", w);
      }
      if (ndiff > 8) fprintf(f, "  ... (%zu words differ)", ndiff);
      fputc('\n', f);
    }
    if (!strcmp(fd->kind, "flaky")) fprintf(f, "  flaky:   %s\n", fd->msg);
  }
  reproduce_command(c->target_spec, c->profile_spec, s, 0, line, sizeof line);
  fprintf(f, "  reproduce: %s\n", line);
  found_by(c, fd, line, sizeof line);
  fprintf(f, "  found by:  %s\n", line);
}

void fuzz_print_summary(FILE *f, const fuzz_cfg *c, const fuzz_stats *st, target *t) {
  fprintf(f, "\nmxconform fuzz: target %s (%s %s), profile %s, seed %llu\n", c->target_spec, target_name(t),
          target_version(t), c->profile.name, (unsigned long long)c->seed);
  fprintf(f, "  cases %llu (", (unsigned long long)st->cases);
  int first = 1;
  for (int op = 0; op < OP_COUNT; op++)
    if (st->cases_by_op[op]) fprintf(f, "%s%s %llu", first ? "" : ", ", op_table[op].name, (unsigned long long)st->cases_by_op[op]), first = 0;
  fprintf(f, "), declined %llu; %.1f s, %.1f CPU-s, %.0f cases/s (%.0f per CPU-s); stopped by %s\n",
          (unsigned long long)st->unsupported, st->wall_s, st->cpu_s, st->cases / (st->wall_s > 0 ? st->wall_s : 1),
          st->cases / (st->cpu_s > 0 ? st->cpu_s : 1), st->stopped_by);
  fprintf(f, "  findings %zu", st->nfindings);
  for (size_t i = 0; i < st->nfindings; i++)
    fprintf(f, "%s%s %s", i ? ", " : ": ", st->findings[i].kind, st->findings[i].s.name);
  if (st->repeats) fprintf(f, " (%llu more failing cases in those shapes, or past --max-findings)", (unsigned long long)st->repeats);
  if (st->unobserved)
    fprintf(f, "\n  %llu cases not observable by the target (never compared)", (unsigned long long)st->unobserved);
  fprintf(f, "\nVERDICT: %s\n", st->nfindings ? "FAIL" : st->unobserved ? "INCOMPLETE" : "no findings");
}

/* ---- results document ----------------------------------------------------------------------- */


static void json_words(FILE *f, const uint64_t *w, size_t n) {
  fputc('[', f);
  for (size_t i = 0; i < n; i++) fprintf(f, "%s\"0x%llx\"", i ? ", " : "", (unsigned long long)w[i]);
  fputc(']', f);
}

static void json_finding(FILE *f, const fuzz_cfg *c, const fuzz_finding *fd) {
  const vec_suite *s = &fd->s;
  char line[4096], v[64];
  fprintf(f, "    {\"kind\": \"%s\", \"op\": \"%s\", \"suite\": ", fd->kind, op_table[s->op].name);
  json_write_str(f, s->name);
  fprintf(f, ", \"suite_drawn\": ");
  json_write_str(f, fd->suite_before);
  fprintf(f, ", \"k\": %zu, \"blocks\": %zu, \"strategy\": ", s->k, s->nblocks);
  json_write_str(f, fd->strategy);
  fprintf(f, ",\n     \"case_number\": %llu, \"status\": \"%s\", \"message\": ", (unsigned long long)fd->case_number,
          tstatus_names[fd->status]);
  json_write_str(f, fd->msg);
  fprintf(f, ",\n     \"shrink\": {\"target_calls\": %u, \"nonzero_inputs_before\": %zu, \"nonzero_inputs_after\": %zu, "
             "\"blocks_before\": %zu, \"blocks_after\": %zu},\n     \"inputs\": ",
          fd->shrink_calls, fd->nonzero_before, fd->nonzero_after, fd->blocks_before, s->nblocks);
  json_words(f, s->in, s->nin);
  if (s->nrand) fprintf(f, ", \"sr_random\": \"0x%08x\"", s->rnd[0]);
  fprintf(f, ",\n     \"expected\": ");
  json_words(f, s->out, s->nout);
  fprintf(f, ", \"actual\": ");
  json_words(f, fd->actual, s->nout);
  fprintf(f, ",\n     \"differences\": [");
  size_t n = 0;
  for (size_t i = 0; i < s->nout; i++) {
    if (!differs(fd, i)) continue;
    wdesc d = output_word(s, i);
    fprintf(f, "%s{\"word\": \"%s\", \"expected\": \"0x%llx\", \"expected_value\": ", n++ ? ", " : "", d.label,
            (unsigned long long)s->out[i]);
    value_text(&d, s->out[i], v, sizeof v);
    json_write_str(f, v);
    fprintf(f, ", \"actual\": \"0x%llx\", \"actual_value\": ", (unsigned long long)fd->actual[i]);
    if (s->op == OP_CVT && unobs_is(fd->actual[i])) unobs_text(fd->actual[i], v, sizeof v); /* `?C1/..`: target.h */
    else value_text(&d, fd->actual[i], v, sizeof v);
    json_write_str(f, v);
    fputc('}', f);
  }
  fprintf(f, "],\n     \"reproduce\": ");
  reproduce_command(c->target_spec, c->profile_spec, s, 0, line, sizeof line);
  json_write_str(f, line);
  fprintf(f, ", \"found_by\": ");
  found_by(c, fd, line, sizeof line);
  json_write_str(f, line);
  fputc('}', f);
}

void fuzz_write_json(FILE *f, const fuzz_cfg *c, const fuzz_stats *st, target *t) {
  fprintf(f, "{\n  \"schema\": \"mxconform-fuzz/1\",\n  \"tool\": {\"name\": \"mxconform\", \"version\": \"0.1.0\"},\n");
  fprintf(f, "  \"target\": {\"spec\": ");
  json_write_str(f, c->target_spec);
  fprintf(f, ", \"kind\": \"%s\", \"name\": ", target_kind(t));
  json_write_str(f, target_name(t));
  fprintf(f, ", \"version\": ");
  json_write_str(f, target_version(t));
  fprintf(f, "},\n  \"profile\": {\"name\": ");
  json_write_str(f, c->profile.name);
  fprintf(f, ", \"spec\": ");
  json_write_str(f, c->profile_spec);
  fprintf(f, "},\n  \"seed\": %llu,\n  \"ops\": [", (unsigned long long)c->seed);
  int first = 1;
  for (int op = 0; op < OP_COUNT; op++)
    if (c->ops & (1u << op)) fprintf(f, "%s\"%s\"", first ? "" : ", ", op_table[op].name), first = 0;
  fprintf(f, "],\n  \"limits\": {\"seconds\": %g, \"cpu\": %s, \"cases\": %llu, \"max_findings\": %u},\n", c->seconds,
          c->cpu ? "true" : "false", (unsigned long long)c->max_cases, c->max_findings);
  fprintf(f, "  \"stopped_by\": \"%s\",\n  \"verdict\": \"%s\",\n", st->stopped_by,
          st->nfindings ? "fail" : st->unobserved ? "incomplete" : "pass");
  fprintf(f, "  \"totals\": {\"cases\": %llu, \"declined\": %llu, \"batches\": %llu, \"wall_seconds\": %.3f, "
             "\"cpu_seconds\": %.3f, \"cases_per_second\": %.1f, \"cases_per_cpu_second\": %.1f, \"findings\": %zu, "
             "\"more_failing_cases\": %llu, \"unobserved\": %llu, \"cases_by_op\": {",
          (unsigned long long)st->cases, (unsigned long long)st->unsupported, (unsigned long long)st->batches, st->wall_s,
          st->cpu_s, st->cases / (st->wall_s > 0 ? st->wall_s : 1), st->cases / (st->cpu_s > 0 ? st->cpu_s : 1),
          st->nfindings, (unsigned long long)st->repeats, (unsigned long long)st->unobserved);
  first = 1;
  for (int op = 0; op < OP_COUNT; op++)
    if (c->ops & (1u << op))
      fprintf(f, "%s\"%s\": %llu", first ? "" : ", ", op_table[op].name, (unsigned long long)st->cases_by_op[op]), first = 0;
  fprintf(f, "}},\n  \"findings\": [");
  for (size_t i = 0; i < st->nfindings; i++) {
    fprintf(f, "%s\n", i ? "," : "");
    json_finding(f, c, &st->findings[i]);
  }
  fprintf(f, "%s]\n}\n", st->nfindings ? "\n  " : "");
}

/* ---- the findings as vector files ------------------------------------------------------------ */

static int save_one(const char *dir, const fuzz_cfg *c, const fuzz_finding *fd, size_t number, FILE *manifest,
                    char *err, size_t errlen) {
  vec_suite s = fd->s; /* a shallow copy: the words stay the finding's */
  snprintf(s.generator, sizeof s.generator, "mxconform fuzz --seed %llu: finding %zu (%s), shrunk",
           (unsigned long long)c->seed, number, fd->kind);
  s.seed = c->seed;
  s.knobs = c->profile;
  /* the suite is named like its file (run checks '# suite:' against the file name) */
  char sname[sizeof s.name];
  snprintf(sname, sizeof sname, "f%zu.%s", number, fd->s.name);
  snprintf(s.name, sizeof s.name, "%s", sname);
  char *text = NULL, name[300], path[4400], sha[65];
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m) abort();
  vec_write(m, &s);
  fclose(m);
  snprintf(name, sizeof name, "%s.mxv", s.name);
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  int bad = !f || fwrite(text, 1, len, f) != len;
  if (f) bad |= fclose(f) != 0;
  if (bad) snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
  sha256_hex(text, len, sha);
  fprintf(manifest, "%s %zu %s\n", sha, s.ncases, name);
  free(text);
  return bad ? -1 : 0;
}

int fuzz_save_findings(const char *dir, const fuzz_cfg *c, const fuzz_stats *st, char *err, size_t errlen) {
  if (mkdir(dir, 0777) && errno != EEXIST) {
    snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
    return -1;
  }
  char path[4200];
  snprintf(path, sizeof path, "%s/MANIFEST", dir);
  FILE *manifest = fopen(path, "wb");
  if (!manifest) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return -1;
  }
  fprintf(manifest, "# mxconform fuzz --target '%s' --profile %s --seed %llu: %zu findings, shrunk\n", c->target_spec,
          c->profile_spec, (unsigned long long)c->seed, st->nfindings);
  int rc = 0;
  for (size_t i = 0; i < st->nfindings && !rc; i++) rc = save_one(dir, c, &st->findings[i], i + 1, manifest, err, errlen);
  if (fclose(manifest) && !rc) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    rc = -1;
  }
  return rc;
}
