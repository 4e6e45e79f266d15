/* run's suites: select and load them (vector files or generated), and run each one against
 * the target (run.h). */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "expect.h"
#include "gen.h"
#include "run.h"
#include "version.h"
#include "sha256.h"


#define BATCH 1024

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

/* The whole of a regular file (NULL with the reason in err). */
static char *read_all(const char *path, size_t *len, char *err, size_t errlen) {
  FILE *f = cli_open_regular(path, err, errlen);
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, r;
  char *buf = malloc(cap);
  while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) buf = realloc(buf, cap *= 2);
  }
  int bad = ferror(f);
  fclose(f);
  if (bad || !buf) {
    snprintf(err, errlen, "%s: cannot read: %s", path, bad ? strerror(errno) : "out of memory");
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

/* Read DIR/MANIFEST and every selected .mxv file in DIR, checking each file's SHA-256. Exits 2
 * with "file:line: reason" on any bad input. */
/* Buffers load_dir holds while it may still stop with a usage error: kept reachable from
 * here so that such an exit leaks nothing. */
static void *g_load_keep[4];

static void load_dir(const char *dir, const char *globs, suite_list *list, char *tier, size_t tierlen) {
  char path[2048], err[1024];
  snprintf(path, sizeof path, "%s/MANIFEST", dir);
  size_t mlen;
  char *man = read_all(path, &mlen, err, sizeof err);
  g_load_keep[0] = man;
  if (!man) cli_usage_error("run", "%s (is --vectors/--tier right?)", err);
  /* manifest rows: sha cases name */
  typedef struct row { char sha[65]; char name[256]; unsigned long cases; } row;
  row *rows = NULL;
  size_t nrows = 0, line = 0;
  for (char *p = man, *end = man + mlen; p < end;) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) cli_usage_error("run", "%s:%zu: truncated (no newline)", path, line + 1);
    *nl = 0;
    line++;
    const char *tp = line == 1 ? strstr(p, ": tier ") : NULL;
    if (tp && tier) { /* "# mxconform vectors MANIFEST: tier standard, seed ..." */
      snprintf(tier, tierlen, "%.*s", (int)strcspn(tp + 7, ", "), tp + 7);
    }
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
      rows[nrows].cases = cases;
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
    char *buf = read_all(path, &len, err, sizeof err);
    g_load_keep[3] = buf;
    if (!buf) cli_usage_error("run", "%s", err);
    char sha[65];
    sha256_hex(buf, len, sha);
    if (strcmp(sha, rows[r].sha)) cli_usage_error("run", "%s: SHA-256 %s does not match MANIFEST (%s)", path, sha, rows[r].sha);
    suite_run *sr = list_push(list);
    if (vec_parse(buf, len, path, &sr->s, err, sizeof err)) {
      fprintf(stderr, "mxconform run: %s\n", err);
      exit(MXC_EXIT_USAGE);
    }
    free(buf);
    g_load_keep[3] = NULL;
    /* the file must be what the MANIFEST and its name say it is */
    if (strcmp(sr->s.name, sname))
      cli_usage_error("run", "%s: header '# suite: %s' does not match the file name", path, sr->s.name);
    if (sr->s.ncases != rows[r].cases)
      cli_usage_error("run", "%s: %zu cases, but MANIFEST says %lu", path, sr->s.ncases, rows[r].cases);
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

void run_suite(target *t, suite_run *r, const mx_profile *p) {
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
  const int per_value = s->op == OP_CVT || s->op == OP_DECODE;
  for (size_t c = 0; c < s->ncases; c++) {
    /* `?C1/../Cn` without the expected code: whichever it is, it is wrong; judged as an answer */
    if (r->st[c] == T_UNOBSERVED && !unobs_may_be(r->actual[c * s->nout], s->out[c * s->nout])) r->st[c] = T_OK;
    r->counts[r->st[c]]++;
    if (r->st[c] == T_REFUSED && per_value) { /* the library's answer for this value (knob value refuse) */
      r->st[c] = T_OK;
      r->actual[c * s->nout] = MX_CODE_REFUSED;
      r->refused_values++;
    }
    if (r->st[c] != T_OK) continue;
    if (expect_equal(s, s->out + c * s->nout, r->actual + c * s->nout, &r->dontcare)) {
      r->ok[c] = 1;
      r->passed++;
    } else {
      r->failed++;
    }
  }
  /* keep what went wrong on every attempt: it decides the status as much as the cases */
  const target_event *ev;
  r->nevents = target_suite_events(t, &ev, &r->nevents_total, &r->unreproduced);
  if (r->nevents) {
    r->events = malloc(r->nevents * sizeof *r->events);
    if (!r->events) abort();
    memcpy(r->events, ev, r->nevents * sizeof *r->events);
  }
  r->status = run_suite_status(r);
  r->seconds = now_s() - t0;
}

void suite_list_free(suite_list *L) {
  for (size_t i = 0; i < L->n; i++) {
    vec_suite_free(&L->v[i].s);
    free(L->v[i].actual);
    free(L->v[i].st);
    free(L->v[i].ok);
    free(L->v[i].events);
  }
  free(L->v);
  L->v = NULL;
  L->n = 0;
}

/* Shard i of n: suite number k (in the sorted order of the selection) belongs to shard
 * k mod n. Every suite is in exactly one shard, whatever the tier or the globs, and the
 * rule needs no state: n separate runs together cover the selection once. */
static void keep_shard(suite_list *L, unsigned i, unsigned n) {
  size_t o = 0;
  for (size_t k = 0; k < L->n; k++) {
    if (k % n == i) {
      L->v[o++] = L->v[k];
      continue;
    }
    vec_suite_free(&L->v[k].s);
  }
  L->n = o;
}

static int cmp_suite_names(const void *a, const void *b) {
  return strcmp(((const suite_run *)a)->s.name, ((const suite_run *)b)->s.name);
}

void run_load_suites(run_cfg *cfg, const mx_profile *profile, suite_list *L) {
  if (!strcmp(cfg->tier, "full") && !cfg->vectors) {
    gen_collect g = {L, cfg->suites};
    gen_tier_suites(gen_tier_find(cfg->tier), cfg->seed, profile, collect_generated, &g);
  } else {
    char dir[2048];
    static char tier[32];
    if (cfg->vectors) snprintf(dir, sizeof dir, "%s", cfg->vectors);
    else snprintf(dir, sizeof dir, "%s/%s", version_vectors_root(), cfg->tier);
    snprintf(cfg->vectors_dir, sizeof cfg->vectors_dir, "%s", dir);
    load_dir(dir, cfg->suites, L, tier, sizeof tier);
    /* with --vectors, the files' own tier is the run's (results.json "tier") */
    if (cfg->vectors && tier[0]) {
      if (cfg->tier_given && strcmp(cfg->tier, tier)) {
        suite_list_free(L);
        cli_usage_error("run", "--tier %s, but %s/MANIFEST holds tier %s", cfg->tier, dir, tier);
      }
      cfg->tier = tier;
    }
  }
  if (cfg->shard_n && L->n) {
    size_t selected = L->n;
    qsort(L->v, L->n, sizeof *L->v, cmp_suite_names);
    keep_shard(L, cfg->shard_i, cfg->shard_n);
    if (!L->n) { /* an empty shard would be a PASS of nothing */
      suite_list_free(L);
      cli_usage_error("run", "--shard %u/%u is empty: the selection has %zu suites", cfg->shard_i, cfg->shard_n, selected);
    }
  }
}
