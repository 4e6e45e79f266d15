/* mxconform run: run the golden-vector suites against a target under a profile, detect
 * which profile the target matches, write results.json + JUnit + a terminal summary. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../oracle/oracle_print.h"
#include "cli.h"
#include "expect.h"
#include "gen.h"
#include "reproduce.h"
#include "sha256.h"
#include "target.h"
#include "mxconform/dot.h"

#ifndef MXC_VECTORS_DIR
#define MXC_VECTORS_DIR "vectors"
#endif

#define BATCH 1024

typedef struct suite_run {
  vec_suite s;
  uint64_t *actual;
  tstatus *st;
  unsigned char *ok; /* per case: 1 passed under the run profile */
  size_t passed, failed, dontcare, counts[T_STATUS_COUNT];
  const char *status;
  double seconds;
  char msg[256];
} suite_run;

typedef struct run_cfg {
  const char *target_spec, *profile_spec, *tier, *vectors, *out_json, *out_junit;
  char suites[1024];
  uint64_t seed;
  unsigned max_failures;
  double timeout;
  int quiet;
} run_cfg;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int suite_selected(const char *globs, const char *name) {
  if (!globs[0]) return 1;
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", globs);
  char *save = NULL;
  for (char *g = strtok_r(buf, ",", &save); g; g = strtok_r(NULL, ",", &save))
    if (fnmatch(g, name, 0) == 0) return 1;
  return 0;
}

/* ---- loading suites ------------------------------------------------------------------ */

typedef struct suite_list {
  suite_run *v;
  size_t n, cap;
} suite_list;

static suite_run *list_push(suite_list *l) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 64;
    l->v = realloc(l->v, l->cap * sizeof *l->v);
    if (!l->v) abort();
  }
  suite_run *r = &l->v[l->n++];
  memset(r, 0, sizeof *r);
  return r;
}

typedef struct gen_collect {
  suite_list *list;
  const char *globs;
} gen_collect;

static int collect_generated(void *ctx, vec_suite *s) {
  gen_collect *g = ctx;
  if (!suite_selected(g->globs, s->name)) return 0;
  suite_run *r = list_push(g->list);
  r->s = *s;
  s->in = s->out = NULL; /* ownership moves to the list */
  s->rnd = NULL;
  return 0;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, r;
  char *buf = malloc(cap);
  while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  *len = n;
  return buf;
}

/* Read DIR/MANIFEST and every selected .mxv file in DIR, checking each file's SHA-256. Exits 2
 * with "file:line: reason" on any bad input. */
/* Buffers load_dir holds while it may still stop with a usage error: kept reachable from
 * here so that such an exit leaks nothing. */
static void *g_load_keep[4];

static void load_dir(const char *dir, const char *globs, suite_list *list) {
  char path[2048], err[1024];
  snprintf(path, sizeof path, "%s/MANIFEST", dir);
  size_t mlen;
  char *man = read_all(path, &mlen);
  g_load_keep[0] = man;
  if (!man) cli_usage_error("run", "%s: cannot read: %s (is --vectors/--tier right?)", path, strerror(errno));
  /* manifest rows: sha cases name */
  typedef struct row { char sha[65]; char name[256]; } row;
  row *rows = NULL;
  size_t nrows = 0, line = 0;
  for (char *p = man, *end = man + mlen; p < end;) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) cli_usage_error("run", "%s:%zu: truncated (no newline)", path, line + 1);
    *nl = 0;
    line++;
    if (*p != '#') {
      char sha[65], name[256];
      unsigned long cases;
      char extra;
      if (sscanf(p, "%64s %lu %255s %c", sha, &cases, name, &extra) != 3 || strlen(sha) != 64)
        cli_usage_error("run", "%s:%zu: expected 'sha256 cases file'", path, line);
      rows = realloc(rows, (nrows + 1) * sizeof *rows);
      g_load_keep[1] = rows;
      snprintf(rows[nrows].sha, sizeof rows[nrows].sha, "%s", sha);
      snprintf(rows[nrows].name, sizeof rows[nrows].name, "%s", name);
      nrows++;
    }
    p = nl + 1;
  }
  free(man);
  g_load_keep[0] = NULL;
  /* the files in the directory must be exactly the manifest's */
  DIR *d = opendir(dir);
  if (!d) cli_usage_error("run", "%s: cannot open: %s", dir, strerror(errno));
  char **names = NULL;
  size_t nn = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t l = strlen(e->d_name);
    if (l > 4 && !strcmp(e->d_name + l - 4, ".mxv")) {
      names = realloc(names, (nn + 1) * sizeof *names);
      g_load_keep[2] = names;
      names[nn++] = strdup(e->d_name);
    }
  }
  closedir(d);
  qsort(names, nn, sizeof *names, cmp_names);
  for (size_t i = 0; i < nn; i++) {
    size_t r;
    for (r = 0; r < nrows && strcmp(rows[r].name, names[i]); r++) {}
    if (r == nrows) cli_usage_error("run", "%s/%s: not listed in MANIFEST", dir, names[i]);
    char sname[256];
    snprintf(sname, sizeof sname, "%.*s", (int)(strlen(names[i]) - 4), names[i]);
    if (!suite_selected(globs, sname)) continue;
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    size_t len;
    char *buf = read_all(path, &len);
    g_load_keep[3] = buf;
    if (!buf) cli_usage_error("run", "%s: cannot read: %s", path, strerror(errno));
    char sha[65];
    sha256_hex(buf, len, sha);
    if (strcmp(sha, rows[r].sha)) cli_usage_error("run", "%s: SHA-256 %s does not match MANIFEST (%s)", path, sha, rows[r].sha);
    suite_run *sr = list_push(list);
    if (vec_parse(buf, len, path, &sr->s, err, sizeof err)) {
      fprintf(stderr, "mxconform run: %s\n", err);
      exit(MXC_EXIT_USAGE);
    }
    free(buf);
  }
  for (size_t r = 0; r < nrows; r++) {
    size_t i;
    for (i = 0; i < nn && strcmp(rows[r].name, names[i]); i++) {}
    if (i == nn) cli_usage_error("run", "%s/%s: listed in MANIFEST but missing", dir, rows[r].name);
  }
  for (size_t i = 0; i < nn; i++) free(names[i]);
  free(names);
  free(rows);
  memset(g_load_keep, 0, sizeof g_load_keep);
}

/* ---- running ------------------------------------------------------------------------- */

static void run_suite(target *t, suite_run *r, const mx_profile *p) {
  vec_suite *s = &r->s;
  double t0 = now_s();
  /* expected values for this profile: the file's when the knobs agree, else the oracle's */
  if (!expect_knobs_agree(s->op, &s->knobs, p))
    for (size_t c = 0; c < s->ncases; c++) expect_case(s, p, s->in + c * s->nin, s->rnd[c], s->out + c * s->nout);
  s->knobs = *p;
  r->actual = calloc(s->ncases * s->nout + 1, sizeof *r->actual);
  r->st = calloc(s->ncases + 1, sizeof *r->st);
  r->ok = calloc(s->ncases + 1, 1);
  target_begin_suite(t);
  for (size_t c = 0; c < s->ncases; c += BATCH) {
    size_t n = s->ncases - c < BATCH ? s->ncases - c : BATCH;
    target_run(t, s, c, n, r->actual + c * s->nout, r->st + c, r->msg, sizeof r->msg);
  }
  for (size_t c = 0; c < s->ncases; c++) {
    r->counts[r->st[c]]++;
    if (r->st[c] != T_OK) continue;
    if (expect_equal(s, s->out + c * s->nout, r->actual + c * s->nout, &r->dontcare)) {
      r->ok[c] = 1;
      r->passed++;
    } else {
      r->failed++;
    }
  }
  if (r->counts[T_CRASH]) r->status = "crash";
  else if (r->counts[T_TIMEOUT]) r->status = "timeout";
  else if (r->counts[T_PROTOCOL]) r->status = "protocol-error";
  else if (r->failed || r->counts[T_ERROR] || r->counts[T_REFUSED]) r->status = "fail"; /* refused: a divergence */
  else if (r->counts[T_UNSUPPORTED] == s->ncases && s->ncases) r->status = "unsupported";
  else r->status = "pass";
  r->seconds = now_s() - t0;
}

/* ---- profile detection --------------------------------------------------------------- */

typedef struct finding {
  char knob[48], from[48], to[48];
  size_t explains;
} finding;

/* Switching one knob to the values of profile `cand`: over every suite whose op depends on
 * the knob, the cases that would newly pass (returned) and newly fail (*broken). With
 * apply, the pass flags are updated to the new expectations. */
static size_t evaluate_knob(suite_list *L, const mx_profile *cand, const char *knob, size_t *broken, int apply) {
  size_t gained = 0, lost = 0;
  uint64_t exp[1 + MX_BLOCK_MAX];
  for (size_t i = 0; i < L->n; i++) {
    suite_run *r = &L->v[i];
    vec_suite *s = &r->s;
    int depends = 0;
    for (const char *const *k = op_table[s->op].knobs; *k; k++) depends |= !strcmp(*k, knob);
    if (!depends) continue;
    for (size_t c = 0; c < s->ncases; c++) {
      if (r->st[c] != T_OK) continue;
      expect_case(s, cand, s->in + c * s->nin, s->rnd[c], exp);
      size_t dc = 0;
      int now = expect_equal(s, exp, r->actual + c * s->nout, &dc);
      if (now && !r->ok[c]) gained++;
      if (!now && r->ok[c]) lost++;
      if (apply) r->ok[c] = (unsigned char)now;
    }
  }
  *broken = lost;
  return gained;
}

/* A cvt suite's requested parameter (round or overflow) replaced by another value: how
 * many cases of the suites that asked for `asked` would then pass / now fail. This names
 * targets that ignore a request (e.g. always round to nearest even). */
static size_t score_param(suite_list *L, const mx_profile *p, int which, int asked, int alt, size_t *broken, int apply) {
  size_t gained = 0, lost = 0;
  for (size_t i = 0; i < L->n; i++) {
    suite_run *r = &L->v[i];
    vec_suite s = r->s;
    if (s.op != OP_CVT || (which ? (int)s.overflow : (int)s.round) != asked) continue;
    if (alt == MX_SR || asked == MX_SR) continue; /* random bits are not comparable across modes */
    if (which) s.overflow = (mx_overflow)alt; else s.round = (mx_round)alt;
    for (size_t c = 0; c < s.ncases; c++) {
      if (r->st[c] != T_OK) continue;
      uint64_t exp[1];
      expect_case(&s, p, s.in + c * s.nin, s.rnd[c], exp);
      int now = exp[0] == r->actual[c];
      if (now && !r->ok[c]) gained++;
      if (!now && r->ok[c]) lost++;
      if (apply) r->ok[c] = (unsigned char)now;
    }
  }
  *broken = lost;
  return gained;
}

static int detect_params(suite_list *L, const mx_profile *p, finding *f, int nf, int maxf) {
  for (int which = 0; which < 2 && nf < maxf; which++) {
    int nvals = which ? 2 : MX_ROUND_COUNT;
    for (int asked = 0; asked < nvals && nf < maxf; asked++) {
      size_t fails = 0;
      for (size_t i = 0; i < L->n; i++)
        if (L->v[i].s.op == OP_CVT && (which ? (int)L->v[i].s.overflow : (int)L->v[i].s.round) == asked)
          for (size_t c = 0; c < L->v[i].s.ncases; c++) fails += L->v[i].st[c] == T_OK && !L->v[i].ok[c];
      if (!fails) continue;
      long best_net = 0;
      int best = -1;
      size_t best_gain = 0;
      for (int alt = 0; alt < nvals; alt++) {
        if (alt == asked) continue;
        size_t broken, gain = score_param(L, p, which, asked, alt, &broken, 0);
        if ((long)gain - (long)broken > best_net) {
          best_net = (long)gain - (long)broken;
          best = alt;
          best_gain = gain;
        }
      }
      if (best < 0) continue;
      /* claim "ignores the request" only when it explains (nearly) all of those failures,
       * not when it happens to fix some of a different bug's cases */
      size_t broken_best;
      score_param(L, p, which, asked, best, &broken_best, 0);
      size_t remaining = fails - best_gain + broken_best;
      if (remaining * 10 > fails) continue;
      size_t dummy;
      score_param(L, p, which, asked, best, &dummy, 1);
      const char *const *names = which ? mx_overflow_names : mx_round_names;
      snprintf(f[nf].knob, sizeof f[nf].knob, "cvt %s=%s", which ? "overflow" : "round", names[asked]);
      snprintf(f[nf].from, sizeof f[nf].from, "%s", names[asked]);
      snprintf(f[nf].to, sizeof f[nf].to, "%s", names[best]);
      f[nf].explains = best_gain;
      nf++;
    }
  }
  return nf;
}

/* A dot case evaluated under an accumulation model by libmxref (itself proven equal to the
 * oracle for every model). */
static uint32_t dot_under_model(const vec_suite *s, const uint64_t *in, const mx_dot_model *m, int *ok) {
  static uint8_t sa[64], sb[64], ca[MX_BLOCK_MAX], cb[MX_BLOCK_MAX];
  mx_dot_vec a, b;
  uint32_t c, r = 0;
  int has_c = vec_dot_operands(s, in, sa, ca, sb, cb, &a, &b, &c);
  *ok = mxref_dot_general(&a, &b, s->nblocks, s->k, has_c ? &c : NULL, m, &r) == MX_DOT_OK;
  return r;
}

/* Dot suites: which accumulation-model preset reproduces the target's answers (the spec
 * leaves internal precision and order implementation-defined, MX §6.1/§6.2). A preset is
 * named when it explains every failing dot case and breaks no passing one. */
static int detect_dot_model(suite_list *L, finding *f, int nf, int maxf) {
  size_t fails = 0;
  for (size_t i = 0; i < L->n; i++)
    if (L->v[i].s.op == OP_DOT)
      for (size_t c = 0; c < L->v[i].s.ncases; c++) fails += L->v[i].st[c] == T_OK && !L->v[i].ok[c];
  if (!fails || nf >= maxf) return nf;
  for (const mx_dot_preset *pr = mx_dot_presets; pr->name; pr++) {
    size_t gained = 0, lost = 0;
    for (size_t i = 0; i < L->n; i++) {
      suite_run *r = &L->v[i];
      if (r->s.op != OP_DOT) continue;
      for (size_t c = 0; c < r->s.ncases; c++) {
        if (r->st[c] != T_OK) continue;
        int ok;
        uint64_t e = dot_under_model(&r->s, r->s.in + c * r->s.nin, &pr->model, &ok);
        size_t dc = 0;
        int now = ok && expect_equal(&r->s, &e, r->actual + c, &dc);
        gained += now && !r->ok[c];
        lost += !now && r->ok[c];
      }
    }
    if (gained == fails && lost == 0) {
      for (size_t i = 0; i < L->n; i++)
        if (L->v[i].s.op == OP_DOT)
          for (size_t c = 0; c < L->v[i].s.ncases; c++)
            if (L->v[i].st[c] == T_OK) L->v[i].ok[c] = 1;
      snprintf(f[nf].knob, sizeof f[nf].knob, "dot_model");
      snprintf(f[nf].from, sizeof f[nf].from, "exact-rne");
      snprintf(f[nf].to, sizeof f[nf].to, "%s", pr->name);
      f[nf].explains = gained;
      return nf + 1;
    }
  }
  return nf;
}

static int detect_profile(suite_list *L, const mx_profile *base, mx_profile *detected, finding *f, int maxf) {
  *detected = *base;
  int nf = 0;
  const char *const *keys = mx_profile_keys();
  while (nf < maxf) {
    size_t best_gain = 0;
    long best_net = 0;
    char best_key[48] = "", best_val[48] = "", from[48] = "";
    for (const char *const *k = keys; *k; k++) {
      int relevant = 0; /* only knobs some failing suite's op depends on */
      for (size_t i = 0; i < L->n && !relevant; i++) {
        if (!L->v[i].failed) continue;
        for (const char *const *q = op_table[L->v[i].s.op].knobs; *q; q++) relevant |= !strcmp(*q, *k);
      }
      if (!relevant) continue;
      char vals[512], cur[64];
      if (!mx_profile_key_values(*k, vals, sizeof vals)) continue;
      const char *curv = mx_profile_get(detected, *k, cur, sizeof cur);
      char *save = NULL;
      for (char *v = strtok_r(vals, " ", &save); v; v = strtok_r(NULL, " ", &save)) {
        if (curv && !strcmp(v, curv)) continue;
        mx_profile cand = *detected;
        if (mx_profile_set(&cand, *k, v)) continue;
        size_t broken, gain = evaluate_knob(L, &cand, *k, &broken, 0);
        long net = (long)gain - (long)broken;
        if (net > best_net) { /* the value that explains the most, net of what it breaks */
          best_net = net;
          best_gain = gain;
          snprintf(best_key, sizeof best_key, "%s", *k);
          snprintf(best_val, sizeof best_val, "%s", v);
          snprintf(from, sizeof from, "%s", curv ? curv : "?");
        }
      }
    }
    if (!best_key[0]) break;
    mx_profile_set(detected, best_key, best_val);
    size_t unused;
    evaluate_knob(L, detected, best_key, &unused, 1);
    snprintf(f[nf].knob, sizeof f[nf].knob, "%s", best_key);
    snprintf(f[nf].from, sizeof f[nf].from, "%s", from);
    snprintf(f[nf].to, sizeof f[nf].to, "%s", best_val);
    f[nf].explains = best_gain;
    nf++;
  }
  /* then requests the target did not honour (cvt rounding / overflow), then the dot model */
  nf = detect_params(L, detected, f, nf, maxf);
  return detect_dot_model(L, f, nf, maxf);
}

/* ---- output helpers ------------------------------------------------------------------- */

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
    else if (*p == '\n') fputs("\\n", f);
    else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
    else fputc(*p, f);
  }
  fputc('"', f);
}

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

static int write_atomic_file(const char *path, char *data, size_t len) {
  char tmp[2100];
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  if (!f) return -1;
  int bad = fwrite(data, 1, len, f) != len;
  bad |= fclose(f) != 0;
  if (bad || rename(tmp, path)) {
    unlink(tmp);
    return -1;
  }
  return 0;
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

/* Which single finding explains failing case c of suite r (-1: only their combination). */
static int explaining_finding(const suite_run *r, size_t c, const mx_profile *base, const finding *f, int nf) {
  uint64_t exp[1 + MX_BLOCK_MAX];
  for (int q = 0; q < nf; q++) {
    vec_suite s = r->s;
    mx_profile p = *base;
    if (!strcmp(f[q].knob, "dot_model")) {
      const mx_dot_preset *pr = mx_dot_preset_find(f[q].to);
      int ok;
      if (s.op != OP_DOT || !pr) continue;
      uint64_t e = dot_under_model(&s, s.in + c * s.nin, &pr->model, &ok);
      size_t dc = 0;
      if (ok && expect_equal(&s, &e, r->actual + c, &dc)) return q;
      continue;
    }
    if (!strncmp(f[q].knob, "cvt ", 4)) { /* a request the target did not honour */
      if (s.op != OP_CVT) continue;
      int overflow = !strncmp(f[q].knob + 4, "overflow", 8);
      const char *const *names = overflow ? mx_overflow_names : mx_round_names;
      if (strcmp(names[overflow ? (int)s.overflow : (int)s.round], f[q].from)) continue;
      int v = mx_name_index(names, f[q].to);
      if (v < 0) continue;
      if (overflow) s.overflow = (mx_overflow)v; else s.round = (mx_round)v;
    } else if (mx_profile_set(&p, f[q].knob, f[q].to)) {
      continue;
    }
    expect_case(&s, &p, s.in + c * s.nin, s.rnd[c], exp);
    size_t dc = 0;
    if (expect_equal(&s, exp, r->actual + c * s.nout, &dc)) return q;
  }
  return -1;
}

/* ---- the command --------------------------------------------------------------------- */

static void suite_list_free(suite_list *L) {
  for (size_t i = 0; i < L->n; i++) {
    vec_suite_free(&L->v[i].s);
    free(L->v[i].actual);
    free(L->v[i].st);
    free(L->v[i].ok);
  }
  free(L->v);
  L->v = NULL;
  L->n = 0;
}

int cmd_run(int argc, char **argv) {
  const char *cmd = "run";
  run_cfg cfg = {"reference", "ocp", "standard", NULL, NULL, NULL, "", MXC_DEFAULT_SEED, 20, 10.0, 0};
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--target"))) cfg.target_spec = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--profile"))) cfg.profile_spec = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--suites"))) snprintf(cfg.suites, sizeof cfg.suites, "%s", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--tier"))) cfg.tier = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--vectors"))) cfg.vectors = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--seed"))) cfg.seed = cli_u64(cmd, "--seed", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "-o"))) cfg.out_json = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--junit"))) cfg.out_junit = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--max-failures"))) cfg.max_failures = (unsigned)cli_u64(cmd, "--max-failures", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--timeout"))) {
      char *e;
      cfg.timeout = strtod(v, &e);
      if (*e || !(cfg.timeout > 0 && cfg.timeout <= 3600)) /* also rejects nan */
        cli_usage_error(cmd, "bad --timeout '%s' (seconds, 0 < t <= 3600)", v);
    } else if (!strcmp(argv[i], "-q")) cfg.quiet = 1;
    else if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform run [--target reference | lib:PATH.so | cmd:'COMMAND ARGS'] [--profile ocp|NAME|FILE]\n"
             "         [--suites GLOB[,GLOB...]] [--tier smoke|standard|full] [--vectors DIR] [--seed S]\n"
             "         [-o results.json] [--junit results.xml] [--max-failures N] [--timeout SECONDS] [-q]\n"
             "Runs the golden-vector suites against a target. Exit status: 0 every supported suite passed,\n"
             "1 failures, 2 bad usage or bad input files, 3 target unusable.\n");
      return 0;
    } else cli_usage_error(cmd, "unknown argument '%s'", argv[i]);
  }
  if (strcmp(cfg.target_spec, "reference") && !((!strncmp(cfg.target_spec, "lib:", 4) || !strncmp(cfg.target_spec, "cmd:", 4)) && cfg.target_spec[4]))
    cli_usage_error(cmd, "bad --target '%s' (reference, lib:PATH.so or cmd:'COMMAND')", cfg.target_spec);
  const gen_tier *tier = gen_tier_find(cfg.tier);
  if (!tier) cli_usage_error(cmd, "unknown tier '%s' (smoke standard full)", cfg.tier);
  mx_profile profile;
  char err[1024];
  if (mx_profile_load(cfg.profile_spec, &profile, err, sizeof err)) cli_usage_error(cmd, "%s", err);
  /* output paths must be writable before anything runs: nothing is lost later */
  const char *outs[2] = {cfg.out_json, cfg.out_junit};
  for (int i = 0; i < 2; i++) {
    if (!outs[i]) continue;
    char dir[2048];
    snprintf(dir, sizeof dir, "%s", outs[i]);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = 0; else snprintf(dir, sizeof dir, ".");
    if (access(dir, W_OK) != 0) cli_usage_error(cmd, "%s: cannot write there: %s", outs[i], strerror(errno));
  }

  suite_list L = {0};
  double t0 = now_s();
  if (!strcmp(cfg.tier, "full") && !cfg.vectors) {
    gen_collect g = {&L, cfg.suites};
    gen_tier_suites(tier, cfg.seed, &profile, collect_generated, &g);
  } else {
    char dir[2048];
    if (cfg.vectors) snprintf(dir, sizeof dir, "%s", cfg.vectors);
    else snprintf(dir, sizeof dir, "%s/%s", MXC_VECTORS_DIR, cfg.tier);
    load_dir(dir, cfg.suites, &L);
  }
  if (!L.n) cli_usage_error(cmd, "no suite matches --suites '%s'", cfg.suites);

  target *t = target_open(cfg.target_spec, cfg.timeout, err, sizeof err);
  if (!t) {
    fprintf(stderr, "mxconform run: %s\n", err);
    if (cfg.out_json) { /* the run is evidence too: say why nothing ran */
      char *buf = NULL;
      size_t blen = 0;
      FILE *f = open_memstream(&buf, &blen);
      fprintf(f, "{\n  \"schema\": \"mxconform-results/1\",\n  \"tool\": {\"name\": \"mxconform\", \"version\": \"0.1.0\"},\n"
                 "  \"target\": {\"spec\": ");
      json_str(f, cfg.target_spec);
      fprintf(f, "},\n  \"profile\": {\"name\": ");
      json_str(f, profile.name);
      fprintf(f, "},\n  \"tier\": \"%s\",\n  \"verdict\": \"error\",\n  \"error\": ", cfg.tier);
      json_str(f, err);
      fprintf(f, ",\n  \"totals\": {\"suites\": 0, \"pass\": 0, \"fail\": 0, \"unsupported\": 0, \"crash\": 0, "
                 "\"timeout\": 0, \"protocol_error\": 0, \"cases\": 0, \"failed_cases\": 0},\n  \"suites\": []\n}\n");
      fclose(f);
      if (write_atomic_file(cfg.out_json, buf, blen)) fprintf(stderr, "mxconform run: %s: cannot write\n", cfg.out_json);
      free(buf);
    }
    suite_list_free(&L); /* the loaded suites, so leak checkers see a clean exit */
    return 3;
  }
  size_t totals[8] = {0}; /* pass fail unsupported crash timeout protocol cases failed_cases */
  for (size_t i = 0; i < L.n; i++) {
    suite_run *r = &L.v[i];
    run_suite(t, r, &profile);
    const char *st = r->status;
    int idx = !strcmp(st, "pass") ? 0 : !strcmp(st, "fail") ? 1 : !strcmp(st, "unsupported") ? 2 : !strcmp(st, "crash") ? 3
              : !strcmp(st, "timeout") ? 4 : 5;
    totals[idx]++;
    totals[6] += r->s.ncases;
    totals[7] += r->failed + r->counts[T_CRASH] + r->counts[T_TIMEOUT] + r->counts[T_PROTOCOL] + r->counts[T_ERROR] +
                 r->counts[T_REFUSED];
    if (!cfg.quiet && strcmp(st, "pass")) {
      char ref[48] = ""; /* refused cases: their own class, beside the failed ones */
      if (r->counts[T_REFUSED]) snprintf(ref, sizeof ref, " %6zu refused", r->counts[T_REFUSED]);
      printf("%-40s %-14s %6zu cases %6zu failed%s%s%s\n", r->s.name, st, r->s.ncases, r->failed, ref,
             r->msg[0] ? "  " : "", r->msg);
    }
  }

  /* profile detection: which knob values explain the failures */
  finding findings[12];
  int nfind = 0;
  mx_profile detected = profile;
  size_t failed_before = 0, failed_after = 0;
  for (size_t i = 0; i < L.n; i++) failed_before += L.v[i].failed;
  if (failed_before) {
    /* keep the run-profile pass flags for the per-suite report */
    unsigned char **saved = calloc(L.n, sizeof *saved);
    for (size_t i = 0; i < L.n; i++) {
      saved[i] = malloc(L.v[i].s.ncases + 1);
      memcpy(saved[i], L.v[i].ok, L.v[i].s.ncases + 1);
    }
    nfind = detect_profile(&L, &profile, &detected, findings, 12);
    /* after detection, L.v[].ok holds the pass flags under the detected profile */
    for (size_t i = 0; i < L.n; i++) {
      for (size_t c = 0; c < L.v[i].s.ncases; c++) {
        failed_after += L.v[i].st[c] == T_OK && !L.v[i].ok[c];
        /* stash: bit 1 = passes under detected profile, bit 0 = under the run profile */
        L.v[i].ok[c] = (unsigned char)(saved[i][c] | (L.v[i].ok[c] << 1));
      }
      free(saved[i]);
    }
    free(saved);
  } else {
    for (size_t i = 0; i < L.n; i++)
      for (size_t c = 0; c < L.v[i].s.ncases; c++) L.v[i].ok[c] = (unsigned char)(L.v[i].ok[c] * 3);
  }
  double wall = now_s() - t0;
  int verdict_fail = totals[1] || totals[3] || totals[4] || totals[5];
  char summary[1024] = "";
  if (failed_before) {
    size_t o = (size_t)snprintf(summary, sizeof summary, "%s %s", nfind ? "matches" : "does not match",
                                nfind ? profile.name : profile.name);
    if (nfind) {
      o += (size_t)snprintf(summary + o, sizeof summary - o, " except:");
      for (int i = 0; i < nfind && o < sizeof summary - 80; i++)
        o += (size_t)snprintf(summary + o, sizeof summary - o, "%s %s = %s", i ? ";" : "", findings[i].knob, findings[i].to);
    }
    if (failed_after && o < sizeof summary - 80)
      snprintf(summary + o, sizeof summary - o, "%s(%zu cases still differ under the detected profile)", nfind ? " " : "; ",
               failed_after);
  } else if (totals[3] || totals[4] || totals[5]) {
    snprintf(summary, sizeof summary, "matches %s on every answered case; some cases crashed, timed out or broke the protocol",
             profile.name);
  } else {
    snprintf(summary, sizeof summary, "matches %s", profile.name);
  }

  /* ---- terminal summary ---- */
  printf("\nmxconform run: target %s (%s %s), profile %s, tier %s, seed %llu\n", target_spec(t), target_name(t),
         target_version(t), profile.name, cfg.tier, (unsigned long long)cfg.seed);
  printf("  suites %zu: pass %zu, fail %zu, unsupported %zu, crash %zu, timeout %zu, protocol-error %zu\n", L.n,
         totals[0], totals[1], totals[2], totals[3], totals[4], totals[5]);
  size_t refused = 0; /* cases the library refused (raised on): their own class (PROTOCOL.md) */
  for (size_t i = 0; i < L.n; i++) refused += L.v[i].counts[T_REFUSED];
  if (refused) printf("  cases %zu, failed %zu (%zu of them refused by the target); %.1fs\n", totals[6], totals[7], refused, wall);
  else printf("  cases %zu, failed %zu; %.1fs\n", totals[6], totals[7], wall);
  printf("  profile: %s\n", summary);
  printf("VERDICT: %s\n", verdict_fail ? "FAIL" : "PASS");

  /* ---- results.json ---- */
  if (cfg.out_json) {
    char *buf = NULL;
    size_t blen = 0;
    FILE *f = open_memstream(&buf, &blen);
    time_t now = time(NULL);
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    fprintf(f, "{\n  \"schema\": \"mxconform-results/1\",\n  \"tool\": {\"name\": \"mxconform\", \"version\": \"0.1.0\"},\n");
    fprintf(f, "  \"target\": {\"spec\": ");
    json_str(f, target_spec(t));
    fprintf(f, ", \"kind\": \"%s\", \"name\": ", target_kind(t));
    json_str(f, target_name(t));
    fprintf(f, ", \"version\": ");
    json_str(f, target_version(t));
    fprintf(f, "},\n  \"profile\": {\"name\": ");
    json_str(f, profile.name);
    fprintf(f, ", \"knobs\": {");
    char vb[64];
    int firstk = 1;
    for (const char *const *k = mx_profile_keys(); *k; k++) {
      fprintf(f, "%s\"%s\": ", firstk ? "" : ", ", *k);
      json_str(f, mx_profile_get(&profile, *k, vb, sizeof vb));
      firstk = 0;
    }
    fprintf(f, "}},\n  \"tier\": \"%s\",\n  \"seed\": %llu,\n  \"started_utc\": \"%s\",\n  \"wall_seconds\": %.3f,\n",
            cfg.tier, (unsigned long long)cfg.seed, ts, wall);
    fprintf(f, "  \"command\": ");
    char cl[2048];
    size_t o = 0;
    cl[0] = 0;
    for (int i = 0; i < argc && o + 2 < sizeof cl; i++) o += (size_t)snprintf(cl + o, sizeof cl - o, "%s%s", i ? " " : "mxconform ", argv[i]);
    json_str(f, cl);
    fprintf(f, ",\n  \"verdict\": \"%s\",\n", verdict_fail ? "fail" : "pass");
    fprintf(f, "  \"totals\": {\"suites\": %zu, \"pass\": %zu, \"fail\": %zu, \"unsupported\": %zu, \"crash\": %zu, "
               "\"timeout\": %zu, \"protocol_error\": %zu, \"cases\": %zu, \"failed_cases\": %zu},\n",
            L.n, totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], totals[6], totals[7]);
    fprintf(f, "  \"suites\": [\n");
    for (size_t i = 0; i < L.n; i++) {
      suite_run *r = &L.v[i];
      vec_suite *s = &r->s;
      fprintf(f, "    {\"name\": \"%s\", \"op\": \"%s\", \"formats\": {", s->name, op_table[s->op].name);
      switch (s->op) {
      case OP_DECODE: fprintf(f, "\"fmt\": \"%s\"", mx_format(s->fmt)->name); break;
      case OP_CVT: fprintf(f, "\"src\": \"%s\", \"dst\": \"%s\"", mx_format(s->src)->name, mx_format(s->dst)->name); break;
      case OP_QUANTIZE: fprintf(f, "\"fmt\": \"%s\", \"src\": \"%s\"", mx_block_fmt_names[s->bfmt], mx_format(s->src)->name); break;
      case OP_DEQUANTIZE: fprintf(f, "\"fmt\": \"%s\", \"dst\": \"%s\"", mx_block_fmt_names[s->bfmt], mx_format(s->dst)->name); break;
      case OP_PACK: fprintf(f, "\"fmt\": \"%s\", \"layout\": \"%s\"", mx_block_fmt_names[s->bfmt], mx_pack_layout_names[s->layout]); break;
      case OP_DOT: fprintf(f, "\"fmt\": \"%s\", \"fmt_b\": \"%s\"", mx_block_fmt_names[s->bfmt], mx_block_fmt_names[s->bfmt_b]); break;
      default: break;
      }
      fprintf(f, "}, \"params\": {");
      if (s->op == OP_CVT) fprintf(f, "\"round\": \"%s\", \"overflow\": \"%s\"", mx_round_names[s->round], mx_overflow_names[s->overflow]);
      fprintf(f, "}, \"status\": \"%s\", \"cases\": %zu, \"passed\": %zu, \"failed\": %zu, \"dontcare\": %zu, "
                 "\"unsupported\": %zu, \"crashed\": %zu, \"timed_out\": %zu, \"protocol_errors\": %zu, \"refused\": %zu, \"seconds\": %.4f",
              r->status, s->ncases, r->passed, r->failed, r->dontcare, r->counts[T_UNSUPPORTED], r->counts[T_CRASH],
              r->counts[T_TIMEOUT], r->counts[T_PROTOCOL], r->counts[T_REFUSED], r->seconds);
      if (r->msg[0]) {
        fprintf(f, ", \"message\": ");
        json_str(f, r->msg);
      }
      fprintf(f, ", \"failures\": [");
      unsigned shown = 0;
      for (size_t c = 0; c < s->ncases && shown < cfg.max_failures; c++) {
        int bad = r->st[c] != T_OK ? (r->st[c] != T_UNSUPPORTED) : !(r->ok[c] & 1);
        if (!bad) continue;
        char in[1024], ex[1024], ac[1024], rp[2048];
        words_text(in, sizeof in, s->in + c * s->nin, s->nin, 40);
        words_text(ex, sizeof ex, s->out + c * s->nout, s->nout, 40);
        if (r->st[c] == T_OK) words_text(ac, sizeof ac, r->actual + c * s->nout, s->nout, 40);
        else snprintf(ac, sizeof ac, "%s", tstatus_names[r->st[c]]);
        reproduce_command(cfg.target_spec, cfg.profile_spec, &r->s, c, rp, sizeof rp);
        fprintf(f, "%s\n      {\"input\": \"%s\", \"expected\": \"%s\", \"actual\": \"%s\"", shown ? "," : "", in, ex, ac);
        if (s->nrand) fprintf(f, ", \"random\": \"0x%x\"", s->rnd[c]);
        if (s->op == OP_DOT && r->st[c] == T_OK) {
          /* the deviation in f32 ulps: distance of the two bit patterns on the ordered line */
          uint32_t e = (uint32_t)s->out[c], a = (uint32_t)r->actual[c];
          int64_t oe = (e >> 31) ? -(int64_t)(e & 0x7FFFFFFFu) : (int64_t)e;
          int64_t oa = (a >> 31) ? -(int64_t)(a & 0x7FFFFFFFu) : (int64_t)a;
          if ((e & 0x7FFFFFFFu) <= 0x7F800000u && (a & 0x7FFFFFFFu) <= 0x7F800000u)
            fprintf(f, ", \"ulps\": %lld", (long long)(oa > oe ? oa - oe : oe - oa));
        }
        if (r->st[c] != T_OK) fprintf(f, ", \"status\": \"%s\"", tstatus_names[r->st[c]]);
        if (s->op == OP_CVT || s->op == OP_DECODE) {
          char v1[700], v2[700];
          mxo_format_code(s->op == OP_CVT ? s->src : s->fmt, s->in[c * s->nin], v1, sizeof v1);
          fprintf(f, ", \"input_value\": ");
          json_str(f, v1);
          if (s->op == OP_CVT) {
            mxo_format_code(s->dst, s->out[c * s->nout], v2, sizeof v2);
            fprintf(f, ", \"expected_value\": ");
            json_str(f, v2);
            if (r->st[c] == T_OK) {
              mxo_format_code(s->dst, r->actual[c * s->nout], v2, sizeof v2);
              fprintf(f, ", \"actual_value\": ");
              json_str(f, v2);
            }
          }
        }
        if (r->st[c] == T_OK && (r->ok[c] & 2) && nfind) {
          /* name the finding that explains this case: the first one that, applied on top of
           * the run profile, makes the target's output the expected one */
          int which = explaining_finding(r, c, &profile, findings, nfind);
          fprintf(f, ", \"explained_by\": \"");
          if (which >= 0) fprintf(f, "%s=%s", findings[which].knob, findings[which].to);
          else for (int q = 0; q < nfind; q++) fprintf(f, "%s%s=%s", q ? ";" : "", findings[q].knob, findings[q].to);
          fprintf(f, "\"");
        }
        fprintf(f, ", \"reproduce\": ");
        json_str(f, rp);
        fprintf(f, "}");
        shown++;
      }
      fprintf(f, "%s]}%s\n", shown ? "\n    " : "", i + 1 < L.n ? "," : "");
    }
    fprintf(f, "  ],\n");
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
      for (size_t i = 0; i < L.n; i++) {
        vec_suite *s = &L.v[i].s;
        if (case_map_format(s) != fm) continue;
        for (size_t c = 0; c < s->ncases; c++) {
          if (L.v[i].st[c] == T_UNSUPPORTED) continue;
          touched = 1;
          uint64_t code = case_map_code(s, c) & (ncodes - 1);
          cases[code]++;
          int o = 0;
          if (L.v[i].st[c] != T_OK) o = 2;
          else if (!(L.v[i].ok[c] & 1)) o = (L.v[i].ok[c] & 2) ? 1 : 2;
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
          json_str(f, v);
          fprintf(f, ", \"outcome\": \"%s\", \"cases\": %zu, \"first_failure\": ", cases[code] ? names[outcome[code]] : "untested",
                  cases[code]);
          if (cases[code] && outcome[code]) {
            suite_run *r = &L.v[fs[code]];
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
    if (failed_before) {
      fprintf(f, ",\n  \"detected_profile\": {\"base\": ");
      json_str(f, profile.name);
      fprintf(f, ", \"matches\": %s, \"summary\": ", failed_after ? "false" : "true");
      json_str(f, summary);
      fprintf(f, ", \"diff\": [");
      for (int q = 0; q < nfind; q++) {
        fprintf(f, "%s\n    {\"knob\": \"%s\", \"profile_value\": \"%s\", \"detected_value\": \"%s\", \"explains\": %zu, \"evidence\": [",
                q ? "," : "", findings[q].knob, findings[q].from, findings[q].to, findings[q].explains);
        /* evidence: first cases that fail under the run profile and pass under the detected one */
        int shown = 0;
        for (size_t i = 0; i < L.n && shown < 3; i++) {
          suite_run *r = &L.v[i];
          int depends = 0;
          for (const char *const *k = op_table[r->s.op].knobs; *k; k++) depends |= !strcmp(*k, findings[q].knob);
          if (!depends) continue;
          for (size_t c = 0; c < r->s.ncases && shown < 3; c++) {
            if (r->st[c] != T_OK || (r->ok[c] & 1) || !(r->ok[c] & 2)) continue;
            if (explaining_finding(r, c, &profile, findings, nfind) != q) continue; /* this knob's own evidence */
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
      fprintf(f, "%s], \"unexplained_failures\": %zu}", nfind ? "\n  " : "", failed_after);
    }
    fprintf(f, "\n}\n");
    fclose(f);
    if (write_atomic_file(cfg.out_json, buf, blen)) {
      fprintf(stderr, "mxconform run: %s: cannot write: %s\n", cfg.out_json, strerror(errno));
      return MXC_EXIT_USAGE;
    }
    free(buf);
  }
  /* ---- JUnit ---- */
  if (cfg.out_junit) {
    char *buf = NULL;
    size_t blen = 0;
    FILE *f = open_memstream(&buf, &blen);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"mxconform.");
    xml_str(f, target_spec(t));
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n", L.n, totals[1],
            totals[3] + totals[4] + totals[5], totals[2], wall);
    for (size_t i = 0; i < L.n; i++) {
      suite_run *r = &L.v[i];
      fprintf(f, "    <testcase classname=\"mxconform.%s\" name=\"%s\" time=\"%.4f\">", op_table[r->s.op].name, r->s.name, r->seconds);
      if (!strcmp(r->status, "unsupported")) fprintf(f, "<skipped message=\"unsupported by the target\"/>");
      else if (strcmp(r->status, "pass")) {
        fprintf(f, "\n      <failure message=\"%s: %zu of %zu cases failed\">", r->status, r->failed + r->counts[T_CRASH] + r->counts[T_TIMEOUT] + r->counts[T_PROTOCOL] + r->counts[T_ERROR], r->s.ncases);
        unsigned shown = 0;
        for (size_t c = 0; c < r->s.ncases && shown < 5; c++) {
          int bad = r->st[c] != T_OK ? (r->st[c] != T_UNSUPPORTED) : !(r->ok[c] & 1);
          if (!bad) continue;
          char in[256], ex[256], ac[256], rp[2048];
          words_text(in, sizeof in, r->s.in + c * r->s.nin, r->s.nin, 4);
          words_text(ex, sizeof ex, r->s.out + c * r->s.nout, r->s.nout, 4);
          if (r->st[c] == T_OK) words_text(ac, sizeof ac, r->actual + c * r->s.nout, r->s.nout, 4);
          else snprintf(ac, sizeof ac, "%s", tstatus_names[r->st[c]]);
          reproduce_command(cfg.target_spec, cfg.profile_spec, &r->s, c, rp, sizeof rp);
          char line[4096];
          snprintf(line, sizeof line, "input %s expected %s actual %s\n  reproduce: %s\n", in, ex, ac, rp);
          xml_str(f, line);
          shown++;
        }
        fprintf(f, "</failure>\n    ");
      }
      fprintf(f, "</testcase>\n");
    }
    fprintf(f, "  </testsuite>\n</testsuites>\n");
    fclose(f);
    if (write_atomic_file(cfg.out_junit, buf, blen)) {
      fprintf(stderr, "mxconform run: %s: cannot write: %s\n", cfg.out_junit, strerror(errno));
      return MXC_EXIT_USAGE;
    }
    free(buf);
  }
  target_close(t);
  suite_list_free(&L);
  return verdict_fail ? MXC_EXIT_FAIL : MXC_EXIT_OK;
}
