/* mxconform gen: write a tier of golden vectors and its MANIFEST. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "cli.h"
#include "gen.h"
#include "sha256.h"

typedef struct manifest_row {
  char name[160];
  char sha[65];
  size_t cases;
} manifest_row;

typedef struct gen_ctx {
  const char *dir;
  manifest_row *rows;
  size_t n, cap;
  size_t bytes;
  int verbose;
} gen_ctx;

/* Write `data` to dir/name atomically (fileio.h). */
static int write_atomic(const char *dir, const char *name, const char *data, size_t len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return file_write_atomic(path, data, len);
}

static int on_suite(void *vctx, vec_suite *s) {
  gen_ctx *g = vctx;
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  if (!mem || vec_write(mem, s) != 0) return 1;
  fclose(mem);
  char name[200];
  snprintf(name, sizeof name, "%s.mxv", s->name);
  if (write_atomic(g->dir, name, buf, len) != 0) {
    fprintf(stderr, "mxconform gen: %s/%s: cannot write: %s\n", g->dir, name, strerror(errno));
    free(buf);
    return 2;
  }
  if (g->n == g->cap) {
    g->cap = g->cap ? 2 * g->cap : 512;
    g->rows = realloc(g->rows, g->cap * sizeof *g->rows);
    if (!g->rows) abort();
  }
  manifest_row *r = &g->rows[g->n++];
  snprintf(r->name, sizeof r->name, "%s", name);
  sha256_hex(buf, len, r->sha);
  r->cases = s->ncases;
  g->bytes += len;
  if (g->verbose) printf("%-44s %8zu cases %9zu bytes\n", name, s->ncases, len);
  free(buf);
  return 0;
}

static int cmp_rows(const void *a, const void *b) {
  return strcmp(((const manifest_row *)a)->name, ((const manifest_row *)b)->name);
}

int cmd_gen(int argc, char **argv) {
  const char *cmd = "gen";
  const char *tier_s = "standard", *dir = NULL, *profile_s = "ocp";
  uint64_t seed = MXC_DEFAULT_SEED;
  int verbose = 0;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--tier"))) tier_s = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--seed"))) seed = cli_u64(cmd, "--seed", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "-o"))) dir = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--profile"))) profile_s = v;
    else if (!strcmp(argv[i], "-v")) verbose = 1;
    else if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform gen [--tier smoke|standard|full] [--seed S] [--profile ocp|NAME|FILE] [-v] -o DIR\n"
             "Writes one vector file per suite (vectors/FORMAT.md) and DIR/MANIFEST (SHA-256, case count).\n"
             "Expected values come from the MPFR oracle; the same tier and seed always give the same bytes.\n");
      return 0;
    } else cli_usage_error(cmd, "unknown argument '%s'", argv[i]);
  }
  if (!dir) cli_usage_error(cmd, "-o DIR is required");
  const gen_tier *t = gen_tier_find(tier_s);
  if (!t) cli_usage_error(cmd, "unknown tier '%s' (smoke standard full)", tier_s);
  mx_profile p;
  char err[512];
  if (mx_profile_load(profile_s, &p, err, sizeof err)) cli_usage_error(cmd, "%s", err);
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) cli_usage_error(cmd, "%s: cannot create: %s", dir, strerror(errno));
  gen_ctx g = {dir, NULL, 0, 0, 0, verbose};
  int rc = gen_tier_suites(t, seed, &p, on_suite, &g);
  if (rc) return rc;
  qsort(g.rows, g.n, sizeof *g.rows, cmp_rows);
  char *man = NULL;
  size_t mlen = 0;
  FILE *m = open_memstream(&man, &mlen);
  fprintf(m, "# mxconform vectors MANIFEST: tier %s, seed %llu, profile %s\n# sha256 cases file\n", t->name,
          (unsigned long long)seed, p.name);
  size_t total = 0;
  for (size_t i = 0; i < g.n; i++) {
    fprintf(m, "%s %zu %s\n", g.rows[i].sha, g.rows[i].cases, g.rows[i].name);
    total += g.rows[i].cases;
  }
  fclose(m);
  if (write_atomic(dir, "MANIFEST", man, mlen) != 0) {
    fprintf(stderr, "mxconform gen: %s/MANIFEST: cannot write: %s\n", dir, strerror(errno));
    return 2;
  }
  free(man);
  printf("mxconform gen: tier %s, seed %llu: %zu suites, %zu cases, %zu bytes in %s\n", t->name,
         (unsigned long long)seed, g.n, total, g.bytes, dir);
  free(g.rows);
  return 0;
}
