/* run's outputs: results.json (harness/RESULTS.md; built in memory for every run, so the
 * terminal story reads the same document), JUnit XML, and their atomic writing (run.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../oracle/oracle_print.h"
#include "cli.h"
#include "expect.h"
#include "fileio.h"
#include "reproduce.h"
#include "run.h"
#include "version.h"

/* ---- output helpers ------------------------------------------------------------------- */


static void xml_str(FILE *f, const char *s) {
  for (const char *p = s; *p; p++) {
    switch (*p) {
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '&': fputs("&amp;", f); break;
    case '"': fputs("&quot;", f); break;
    default:
      if ((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t') fputc(*p, f);
    }
  }
}

/* Words of a case as "0x.." or "0x..,0x..". */
static void words_text(char *buf, size_t len, const uint64_t *w, size_t n, size_t maxn) {
  size_t o = 0;
  buf[0] = 0;
  for (size_t i = 0; i < n && i < maxn && o + 24 < len; i++)
    o += (size_t)snprintf(buf + o, len - o, "%s0x%llx", i ? "," : "", (unsigned long long)w[i]);
  if (n > maxn && o + 4 < len) snprintf(buf + o, len - o, ",...");
}

int run_write_atomic(const char *path, const char *data, size_t len) { return file_write_atomic(path, data, len); }

/* An output path that cannot be written is a usage error found before the run, not after
 * an hour of it. */
static void check_output(const char *opt, const char *path) {
  if (!path) return;
  if (!path[0]) cli_usage_error("run", "%s '': empty file name", opt);
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) cli_usage_error("run", "%s: cannot write there: not a regular file", path);
  char dir[2048];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash == dir) dir[1] = 0;
  else if (slash) *slash = 0;
  else snprintf(dir, sizeof dir, ".");
  if (stat(dir, &st) != 0) cli_usage_error("run", "%s: cannot write there: %s", path, strerror(errno));
  if (!S_ISDIR(st.st_mode)) cli_usage_error("run", "%s: cannot write there: %s is not a directory", path, dir);
  if (access(dir, W_OK) != 0) cli_usage_error("run", "%s: cannot write there: %s", path, strerror(errno));
}

static int same_file(const char *x, const char *y) {
  struct stat a, b;
  return x && y && (!strcmp(x, y) || (stat(x, &a) == 0 && stat(y, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino));
}

void run_check_outputs(const run_cfg *cfg) {
  const char *opt[3] = {"-o", "--junit", "--write-profile"};
  const char *path[3] = {cfg->out_json, cfg->out_junit, cfg->out_profile};
  for (int i = 0; i < 3; i++) check_output(opt[i], path[i]);
  for (int i = 0; i < 3; i++)
    for (int j = i + 1; j < 3; j++)
      if (same_file(path[i], path[j])) cli_usage_error("run", "%s and %s name the same file '%s'", opt[i], opt[j], path[i]);
}

/* The format a case's expected output lands on, for the code maps (or -1). */
static int case_map_format(const vec_suite *s) {
  if (s->op == OP_CVT) return s->dst;
  if (s->op == OP_DECODE) return s->fmt;
  return -1;
}

static uint64_t case_map_code(const vec_suite *s, size_t c) {
  return s->op == OP_DECODE ? s->in[c * s->nin] : s->out[c * s->nout];
}

/* A suite's events: what went wrong on every attempt, with the request in flight. */
static void json_events(FILE *f, const suite_run *r) {
  if (!r->nevents_total) return;
  fprintf(f, ", \"events_total\": %zu, \"events_unreproduced\": %zu, \"events\": [", r->nevents_total, r->unreproduced);
  for (size_t e = 0; e < r->nevents; e++) {
    const target_event *ev = &r->events[e];
    fprintf(f, "%s\n      {\"attempt\": %u, \"status\": \"%s\", \"first_case\": %zu, \"cases\": %zu, \"fresh\": %s, "
               "\"reproduced\": %s, \"request\": ",
            e ? "," : "", ev->attempt, tstatus_names[ev->status], ev->first, ev->n, ev->fresh ? "true" : "false",
            ev->reproduced ? "true" : "false");
    json_write_str(f, ev->request);
    fprintf(f, ", \"message\": ");
    json_write_str(f, ev->message);
    fprintf(f, "}");
  }
  fprintf(f, "\n    ]");
}

/* `, "rules": [...]`: a profile's conditional values as profile lines. */
static void json_rules(FILE *f, const mx_profile *p) {
  char rule[512];
  fprintf(f, ", \"rules\": [");
  for (int i = 0; i < p->nrules; i++) {
    mx_knob_rule_format(&p->rules[i], rule, sizeof rule);
    fprintf(f, "%s\"%s = %s\"", i ? ", " : "", mx_knob_table[p->rules[i].knob].name, rule);
  }
  fprintf(f, "]");
}

/* The run's header fields: tool, target, profile, tier, seed, command, verdict, totals. */
static void json_head(FILE *f, const run_report *rep) {
  const run_cfg *cfgp = rep->cfg;
  const target *t = rep->t;
  const mx_profile *profile = rep->profile;
  const run_totals *tot = rep->totals;
  const suite_list *L = rep->L;
  time_t now = time(NULL);
  char ts[32];
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  fprintf(f, "{\n  \"schema\": \"%s\",\n  \"tool\": {\"name\": \"mxconform\", \"version\": \"%s\"},\n",
          MXC_RESULTS_SCHEMA, MXC_VERSION);
  fprintf(f, "  \"versions\": ");
  version_json(f, cfgp->vectors_dir[0] ? cfgp->vectors_dir : NULL);
  fprintf(f, ",\n  \"target\": {\"spec\": ");
  json_write_str(f, target_spec(t));
  fprintf(f, ", \"kind\": \"%s\", \"name\": ", target_kind(t));
  json_write_str(f, target_name(t));
  fprintf(f, ", \"version\": ");
  json_write_str(f, target_version(t));
  fprintf(f, "},\n  \"profile\": {\"name\": ");
  json_write_str(f, profile->name);
  fprintf(f, ", \"knobs\": {");
  char vb[64];
  int firstk = 1;
  for (const char *const *k = mx_profile_keys(); *k; k++) {
    fprintf(f, "%s\"%s\": ", firstk ? "" : ", ", *k);
    json_write_str(f, mx_profile_get(profile, *k, vb, sizeof vb));
    firstk = 0;
  }
  fprintf(f, "}");
  if (profile->nrules) json_rules(f, profile);
  if (profile->has_dot) { /* the profile's dot line: what the dot suites expected */
    char model[256];
    mx_dot_model_format(&profile->dot, model, sizeof model);
    fprintf(f, ", \"dot\": ");
    json_write_str(f, model);
  }
  fprintf(f, "},\n  \"tier\": \"%s\",\n  \"seed\": %llu,\n  \"started_utc\": \"%s\",\n  \"wall_seconds\": %.3f,\n",
          cfgp->tier, (unsigned long long)cfgp->seed, ts, rep->wall);
  fprintf(f, "  \"command\": ");
  char cl[2048];
  size_t o = 0;
  cl[0] = 0;
  for (int i = 0; i < cfgp->argc && o + 2 < sizeof cl; i++)
    o += (size_t)snprintf(cl + o, sizeof cl - o, "%s%s", i ? " " : "mxconform ", cfgp->argv[i]);
  json_write_str(f, cl);
  fprintf(f, ",\n  \"verdict\": \"%s\",\n", run_verdict_names[rep->verdict]);
  fprintf(f, "  \"totals\": {\"suites\": %zu, \"pass\": %zu, \"fail\": %zu, \"unsupported\": %zu, \"crash\": %zu, "
             "\"timeout\": %zu, \"protocol_error\": %zu, \"flaky\": %zu, \"cases\": %zu, \"failed_cases\": %zu, "
             "\"refused\": %zu, \"incomplete\": %zu, \"unobserved\": %zu, \"events\": %zu},\n",
          L->n, tot->pass, tot->fail, tot->unsupported, tot->crash, tot->timeout, tot->protocol, tot->flaky, tot->cases,
          tot->failed_cases, tot->refused, tot->incomplete, tot->unobserved, tot->events);
  if (cfgp->shard_n) fprintf(f, "  \"shard\": {\"index\": %u, \"count\": %u},\n", cfgp->shard_i, cfgp->shard_n);
}

/* One failing case c of suite r: bits, values, why, and the command that reproduces it. */
static void json_failure(FILE *f, const run_report *rep, const suite_run *r, size_t c) {
  const run_cfg *cfgp = rep->cfg;
  const vec_suite *s = &r->s;
  const finding *findings = rep->det->f;
  int nfind = rep->det->n;
  const mx_profile *profile = rep->profile;
  char in[1024], ex[1024], ac[1024], rp[2048];
  words_text(in, sizeof in, s->in + c * s->nin, s->nin, 40);
  words_text(ex, sizeof ex, s->out + c * s->nout, s->nout, 40);
  if (r->st[c] == T_OK) words_text(ac, sizeof ac, r->actual + c * s->nout, s->nout, 40);
  else snprintf(ac, sizeof ac, "%s", tstatus_names[r->st[c]]);
  const int per_value = s->op == OP_CVT || s->op == OP_DECODE;
  const int act_refused = per_value && r->st[c] == T_OK && r->actual[c * s->nout] == MX_CODE_REFUSED;
  const int exp_refused = per_value && s->out[c * s->nout] == MX_CODE_REFUSED;
  /* a `?C1/../Cn` answer without the expected code (target.h): the codes it may be */
  const int act_oneof = per_value && r->st[c] == T_OK && unobs_is(r->actual[c * s->nout]);
  if (act_refused) snprintf(ac, sizeof ac, "refused");
  if (act_oneof) unobs_text(r->actual[c * s->nout], ac, sizeof ac);
  if (exp_refused) snprintf(ex, sizeof ex, "refused");
  reproduce_command(cfgp->target_spec, cfgp->profile_spec, &r->s, c, rp, sizeof rp);
  fprintf(f, "\n      {\"input\": \"%s\", \"expected\": \"%s\", \"actual\": \"%s\"", in, ex, ac);
  if (s->nrand) fprintf(f, ", \"random\": \"0x%x\"", s->rnd[c]);
  if (s->op == OP_DOT && r->st[c] == T_OK) {
    /* the deviation in f32 ulps: distance of the two bit patterns on the ordered line */
    uint32_t e = (uint32_t)s->out[c], a = (uint32_t)r->actual[c];
    int64_t oe = (e >> 31) ? -(int64_t)(e & 0x7FFFFFFFu) : (int64_t)e;
    int64_t oa = (a >> 31) ? -(int64_t)(a & 0x7FFFFFFFu) : (int64_t)a;
    if ((e & 0x7FFFFFFFu) <= 0x7F800000u && (a & 0x7FFFFFFFu) <= 0x7F800000u)
      fprintf(f, ", \"ulps\": %lld", (long long)(oa > oe ? oa - oe : oe - oa));
  }
  if (r->st[c] != T_OK || act_refused) fprintf(f, ", \"status\": \"%s\"", tstatus_names[act_refused ? T_REFUSED : r->st[c]]);
  if (s->op == OP_CVT || s->op == OP_DECODE) {
    char v1[700], v2[700];
    mxo_format_code(s->op == OP_CVT ? s->src : s->fmt, s->in[c * s->nin], v1, sizeof v1);
    fprintf(f, ", \"input_value\": ");
    json_write_str(f, v1);
    if (s->op == OP_CVT) {
      if (exp_refused) snprintf(v2, sizeof v2, "refused");
      else mxo_format_code(s->dst, s->out[c * s->nout], v2, sizeof v2);
      fprintf(f, ", \"expected_value\": ");
      json_write_str(f, v2);
      if (r->st[c] == T_OK && !act_refused && !act_oneof) {
        mxo_format_code(s->dst, r->actual[c * s->nout], v2, sizeof v2);
        fprintf(f, ", \"actual_value\": ");
        json_write_str(f, v2);
      }
    }
  }
  if (r->st[c] == T_OK && (r->ok[c] & 2) && nfind) {
    /* name the finding that explains this case: the first one that, applied on top of
     * the run profile, makes the target's output the expected one */
    int which = run_explaining_finding(r, c, profile, findings, nfind);
    fprintf(f, ", \"explained_by\": \"");
    for (int q = 0, shown = 0; q < nfind; q++) /* which < 0: every finding */
      if (which < 0 || q == which)
        fprintf(f, "%s%s=%s%s%s", shown++ ? ";" : "", findings[q].knob, findings[q].to,
                findings[q].when[0] ? " when " : "", findings[q].when);
    fprintf(f, "\"");
  }
  fprintf(f, ", \"reproduce\": ");
  json_write_str(f, rp);
  fprintf(f, "}");
}

static void json_suite(FILE *f, const run_report *rep, const suite_run *r) {
  const vec_suite *s = &r->s;
  fprintf(f, "    {\"name\": \"%s\", \"op\": \"%s\", \"formats\": {", s->name, op_table[s->op].name);
  switch (s->op) {
  case OP_DECODE: fprintf(f, "\"fmt\": \"%s\"", mx_format(s->fmt)->name); break;
  case OP_CVT: fprintf(f, "\"src\": \"%s\", \"dst\": \"%s\"", mx_format(s->src)->name, mx_format(s->dst)->name); break;
  case OP_QUANTIZE: fprintf(f, "\"fmt\": \"%s\", \"src\": \"%s\"", mx_block_fmt_names[s->bfmt], mx_format(s->src)->name); break;
  case OP_DEQUANTIZE: fprintf(f, "\"fmt\": \"%s\", \"dst\": \"%s\"", mx_block_fmt_names[s->bfmt], mx_format(s->dst)->name); break;
  case OP_PACK: fprintf(f, "\"fmt\": \"%s\", \"layout\": \"%s\"", mx_block_fmt_names[s->bfmt], mx_pack_layout_names[s->layout]); break;
  case OP_DOT: fprintf(f, "\"fmt\": \"%s\", \"fmt_b\": \"%s\"", mx_block_fmt_names[s->bfmt], mx_block_fmt_names[s->bfmt_b]); break;
  case OP_NVFP4_QUANTIZE: fprintf(f, "\"fmt\": \"nvfp4\", \"src\": \"f32\""); break;
  case OP_NVFP4_DEQUANTIZE: fprintf(f, "\"fmt\": \"nvfp4\", \"dst\": \"f32\""); break;
  case OP_NVFP4_DOT: fprintf(f, "\"fmt\": \"nvfp4\", \"fmt_b\": \"nvfp4\""); break;
  default: break;
  }
  fprintf(f, "}, \"params\": {");
  if (s->op == OP_CVT) fprintf(f, "\"round\": \"%s\", \"overflow\": \"%s\"", mx_round_names[s->round], mx_overflow_names[s->overflow]);
  fprintf(f, "}, \"status\": \"%s\", \"cases\": %zu, \"passed\": %zu, \"failed\": %zu, \"dontcare\": %zu, "
             "\"unsupported\": %zu, \"crashed\": %zu, \"timed_out\": %zu, \"protocol_errors\": %zu, \"refused\": %zu, "
             "\"refused_values\": %zu, \"unobserved\": %zu, \"seconds\": %.4f",
          r->status, s->ncases, r->passed, r->failed, r->dontcare, r->counts[T_UNSUPPORTED], r->counts[T_CRASH],
          r->counts[T_TIMEOUT], r->counts[T_PROTOCOL], r->counts[T_REFUSED], r->refused_values, r->counts[T_UNOBSERVED],
          r->seconds);
  if (r->msg[0]) {
    fprintf(f, ", \"message\": ");
    json_write_str(f, r->msg);
  }
  fprintf(f, ", \"failures\": [");
  unsigned shown = 0;
  for (size_t c = 0; c < s->ncases && shown < rep->cfg->max_failures; c++) {
    int bad = r->st[c] != T_OK ? (r->st[c] != T_UNSUPPORTED) : !(r->ok[c] & 1);
    if (!bad) continue;
    if (shown++) fputc(',', f);
    json_failure(f, rep, r, c);
  }
  fprintf(f, "%s]", shown ? "\n    " : "");
  json_events(f, r);
  fputc('}', f);
}

/* Per element format, every code: ok, divergence, nonconformance or untested. */
static void json_code_maps(FILE *f, const suite_list *L) {
  /* code maps */
  fprintf(f, "  \"code_maps\": {");
  int firstmap = 1;
  for (int fm = 0; fm < MX_FMT_COUNT; fm++) {
    const mx_format_desc *d = mx_format((mx_fmt)fm);
    if (!d->is_element) continue;
    size_t ncodes = (size_t)1 << d->bits;
    size_t *cases = calloc(ncodes, sizeof *cases);
    int *outcome = calloc(ncodes, sizeof *outcome); /* 0 ok, 1 divergence, 2 nonconformance */
    size_t *fs = calloc(ncodes, sizeof *fs), *fc = calloc(ncodes, sizeof *fc);
    int touched = 0;
    for (size_t i = 0; i < L->n; i++) {
      vec_suite *s = &L->v[i].s;
      if (case_map_format(s) != fm) continue;
      for (size_t c = 0; c < s->ncases; c++) {
        /* an unobserved result says nothing about its code: neither ok nor a nonconformance */
        if (L->v[i].st[c] == T_UNSUPPORTED || L->v[i].st[c] == T_UNOBSERVED) continue;
        touched = 1;
        uint64_t code = case_map_code(s, c) & (ncodes - 1);
        cases[code]++;
        int o = 0;
        if (L->v[i].st[c] != T_OK) o = 2;
        else if (!(L->v[i].ok[c] & 1)) o = (L->v[i].ok[c] & 2) ? 1 : 2;
        if (o > outcome[code]) {
          outcome[code] = o;
          fs[code] = i;
          fc[code] = c;
        }
      }
    }
    if (touched) {
      fprintf(f, "%s\n    \"%s\": {\"bits\": %d, \"cells\": [", firstmap ? "" : ",", d->name, d->bits);
      for (size_t code = 0; code < ncodes; code++) {
        char v[700];
        mxo_format_code((mx_fmt)fm, code, v, sizeof v);
        static const char *const names[] = {"ok", "divergence", "nonconformance"};
        fprintf(f, "%s\n      {\"code\": \"0x%02zx\", \"value\": ", code ? "," : "", code);
        json_write_str(f, v);
        fprintf(f, ", \"outcome\": \"%s\", \"cases\": %zu, \"first_failure\": ", cases[code] ? names[outcome[code]] : "untested",
                cases[code]);
        if (cases[code] && outcome[code]) {
          suite_run *r = &L->v[fs[code]];
          size_t c = fc[code];
          char in[64], ex[64], ac[64];
          words_text(in, sizeof in, r->s.in + c * r->s.nin, 1, 1);
          words_text(ex, sizeof ex, r->s.out + c * r->s.nout, 1, 1);
          if (r->st[c] == T_OK) words_text(ac, sizeof ac, r->actual + c * r->s.nout, 1, 1);
          else snprintf(ac, sizeof ac, "%s", tstatus_names[r->st[c]]);
          fprintf(f, "{\"suite\": \"%s\", \"input\": \"%s\", \"expected\": \"%s\", \"actual\": \"%s\"}", r->s.name, in, ex, ac);
        } else {
          fprintf(f, "null");
        }
        fprintf(f, "}");
      }
      fprintf(f, "\n    ]}");
      firstmap = 0;
    }
    free(cases);
    free(outcome);
    free(fs);
    free(fc);
  }
  fprintf(f, "\n  }");
}

/* The detected profile as a profile file (mx_profile_write: every key, then the rules), to
 * run again under with --profile; and its rules as lines ("e8m0_zero = nan when overflow=ovf"). */
static void json_detected_profile_file(FILE *f, const mx_profile *p) {
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  mx_profile_write(m, p);
  fclose(m);
  json_rules(f, p);
  fprintf(f, ", \"profile_file\": ");
  json_write_str(f, text);
  free(text);
}

static void json_detected(FILE *f, const run_report *rep) {
  const suite_list *L = rep->L;
  const mx_profile *profile = rep->profile;
  const finding *findings = rep->det->f;
  int nfind = rep->det->n;
  fprintf(f, ",\n  \"detected_profile\": {\"base\": ");
  json_write_str(f, profile->name);
  fprintf(f, ", \"matches\": %s, \"summary\": ", rep->det->failed_after ? "false" : "true");
  json_write_str(f, rep->det->summary);
  fprintf(f, ", \"diff\": [");
  for (int q = 0; q < nfind; q++) {
    fprintf(f, "%s\n    {\"knob\": \"%s\", \"profile_value\": \"%s\", \"detected_value\": \"%s\", ", q ? "," : "",
            findings[q].knob, findings[q].from, findings[q].to);
    if (findings[q].when[0]) fprintf(f, "\"condition\": \"%s\", ", findings[q].when); /* a conditional value */
    fprintf(f, "\"explains\": %zu, \"evidence\": [", findings[q].explains);
    /* evidence: first cases that fail under the run profile and pass under the detected one */
    int shown = 0;
    for (size_t i = 0; i < L->n && shown < 3; i++) {
      suite_run *r = &L->v[i];
      if (!run_op_depends(r->s.op, findings[q].knob)) continue;
      for (size_t c = 0; c < r->s.ncases && shown < 3; c++) {
        if (r->st[c] != T_OK || (r->ok[c] & 1) || !(r->ok[c] & 2)) continue;
        if (run_explaining_finding(r, c, profile, findings, nfind) != q) continue; /* this knob's own evidence */
        char in[512], ex[512], ac[512];
        words_text(in, sizeof in, r->s.in + c * r->s.nin, r->s.nin, 8);
        words_text(ex, sizeof ex, r->s.out + c * r->s.nout, r->s.nout, 8);
        words_text(ac, sizeof ac, r->actual + c * r->s.nout, r->s.nout, 8);
        fprintf(f, "%s{\"suite\": \"%s\", \"input\": \"%s\", \"expected\": \"%s\", \"actual\": \"%s\"}", shown ? ", " : "",
                r->s.name, in, ex, ac);
        shown++;
      }
    }
    fprintf(f, "]}");
  }
  fprintf(f, "%s], \"unexplained_failures\": %zu", nfind ? "\n  " : "", rep->det->failed_after);
  json_detected_profile_file(f, &rep->det->detected);
  fprintf(f, "}");
}

char *run_results_json(const run_report *rep, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  json_head(f, rep);
  fprintf(f, "  \"suites\": [\n");
  for (size_t i = 0; i < rep->L->n; i++) {
    json_suite(f, rep, &rep->L->v[i]);
    fprintf(f, "%s\n", i + 1 < rep->L->n ? "," : "");
  }
  fprintf(f, "  ],\n");
  json_code_maps(f, rep->L);
  if (rep->det->failed_before) json_detected(f, rep);
  fprintf(f, "\n}\n");
  fclose(f);
  return buf;
}

char *run_junit(const run_report *rep, size_t *len) {
  const run_cfg *cfgp = rep->cfg;
  const target *t = rep->t;
  suite_list *L = rep->L;
  const run_totals *tot = rep->totals;
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"mxconform.");
    xml_str(f, target_spec(t));
    /* an incomplete suite is no pass: a failure (its message says the results were not observable) */
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n", L->n, tot->fail + tot->incomplete,
            tot->crash + tot->timeout + tot->protocol + tot->flaky, tot->unsupported, rep->wall);
    for (size_t i = 0; i < L->n; i++) {
      suite_run *r = &L->v[i];
      fprintf(f, "    <testcase classname=\"mxconform.%s\" name=\"%s\" time=\"%.4f\">", op_table[r->s.op].name, r->s.name, r->seconds);
      if (!strcmp(r->status, "unsupported")) fprintf(f, "<skipped message=\"unsupported by the target\"/>");
      else if (strcmp(r->status, "pass")) {
        fprintf(f, "\n      <failure message=\"%s: %zu of %zu cases failed", r->status,
                r->failed + r->counts[T_CRASH] + r->counts[T_TIMEOUT] + r->counts[T_PROTOCOL] + r->counts[T_ERROR] +
                    (r->counts[T_REFUSED] - r->refused_values),
                r->s.ncases);
        if (r->counts[T_REFUSED]) fprintf(f, "; %zu refused", r->counts[T_REFUSED]);
        if (r->counts[T_UNOBSERVED]) fprintf(f, "; %zu results not observable by the target", r->counts[T_UNOBSERVED]);
        if (r->nevents_total) fprintf(f, "; %zu attempts went wrong, %zu not reproduced", r->nevents_total, r->unreproduced);
        fprintf(f, "\">");
        unsigned shown = 0;
        for (size_t c = 0; c < r->s.ncases && shown < 5; c++) {
          int bad = r->st[c] != T_OK ? (r->st[c] != T_UNSUPPORTED) : !(r->ok[c] & 1);
          if (!bad) continue;
          char in[256], ex[256], ac[256], rp[2048];
          words_text(in, sizeof in, r->s.in + c * r->s.nin, r->s.nin, 4);
          words_text(ex, sizeof ex, r->s.out + c * r->s.nout, r->s.nout, 4);
          if (r->st[c] == T_OK) words_text(ac, sizeof ac, r->actual + c * r->s.nout, r->s.nout, 4);
          else snprintf(ac, sizeof ac, "%s", tstatus_names[r->st[c]]);
          reproduce_command(cfgp->target_spec, cfgp->profile_spec, &r->s, c, rp, sizeof rp);
          char line[4096];
          snprintf(line, sizeof line, "input %s expected %s actual %s\n  reproduce: %s\n", in, ex, ac, rp);
          xml_str(f, line);
          shown++;
        }
        for (size_t e = 0; e < r->nevents && e < 10; e++) {
          const target_event *ev = &r->events[e];
          char line[512];
          snprintf(line, sizeof line, "attempt %u: %s%s, cases %zu..%zu, request in flight: %s\n", ev->attempt,
                   tstatus_names[ev->status], ev->reproduced ? "" : " (not reproduced by any retry)", ev->first,
                   ev->first + ev->n - 1, ev->request);
          xml_str(f, line);
        }
        fprintf(f, "</failure>\n    ");
      }
      fprintf(f, "</testcase>\n");
    }
    fprintf(f, "  </testsuite>\n</testsuites>\n");
    fclose(f);
  return buf;
}

char *run_results_json_error(const run_cfg *cfg, const mx_profile *profile, const char *err, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  fprintf(f, "{\n  \"schema\": \"%s\",\n  \"tool\": {\"name\": \"mxconform\", \"version\": \"%s\"},\n"
             "  \"target\": {\"spec\": ", MXC_RESULTS_SCHEMA, MXC_VERSION);
  json_write_str(f, cfg->target_spec);
  fprintf(f, "},\n  \"profile\": {\"name\": ");
  json_write_str(f, profile->name);
  fprintf(f, "},\n  \"tier\": \"%s\",\n  \"verdict\": \"error\",\n  \"error\": ", cfg->tier);
  json_write_str(f, err);
  fprintf(f, ",\n  \"totals\": {\"suites\": 0, \"pass\": 0, \"fail\": 0, \"unsupported\": 0, \"crash\": 0, "
             "\"timeout\": 0, \"protocol_error\": 0, \"flaky\": 0, \"cases\": 0, \"failed_cases\": 0, \"events\": 0},\n");
  if (cfg->shard_n) fprintf(f, "  \"shard\": {\"index\": %u, \"count\": %u},\n", cfg->shard_i, cfg->shard_n);
  fprintf(f, "  \"suites\": []\n}\n");
  fclose(f);
  return buf;
}

/* JUnit of a run whose target was unusable: one errored test case, so CI shows why. */
char *run_junit_error(const run_cfg *cfg, const char *err, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"mxconform.");
  xml_str(f, cfg->target_spec);
  fprintf(f, "\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n"
             "    <testcase classname=\"mxconform.target\" name=\"target-usable\"><error message=\"target unusable\">");
  xml_str(f, err);
  fprintf(f, "</error></testcase>\n  </testsuite>\n</testsuites>\n");
  fclose(f);
  return buf;
}
