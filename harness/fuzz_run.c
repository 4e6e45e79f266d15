/* The fuzz loop (fuzz_run.h): draw a suite shape, generate a batch of cases, take the
 * expected outputs from the oracle, run the batch through the target, and shrink the first
 * case of every new (kind, shape) finding. */
#define _GNU_SOURCE
#include "fuzz_run.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "expect.h"
#include "fuzz_gen.h"
#include "fuzz_shrink.h"

/* ---- time ------------------------------------------------------------------------------ */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU of the live descendants of this process, from /proc (a target process and, for a
 * cmd: target, whatever its shell started), their waited-for children included. */
static double descendants_cpu(void) {
  enum { MAXP = 4096 };
  static int pid[MAXP], ppid[MAXP];
  static double cpu[MAXP];
  static unsigned char mine[MAXP];
  size_t n = 0;
  DIR *d = opendir("/proc");
  if (!d) return 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < MAXP) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    char path[300], buf[1024];
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    FILE *f = fopen(path, "r");
    if (!f) continue;
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = 0;
    char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    unsigned long long ut, st, cut, cst;
    int pp;
    if (!p || sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu", &pp, &ut, &st, &cut,
                     &cst) != 5)
      continue;
    pid[n] = atoi(e->d_name);
    ppid[n] = pp;
    cpu[n] = (double)(ut + st + cut + cst) / (double)sysconf(_SC_CLK_TCK);
    mine[n] = 0;
    n++;
  }
  closedir(d);
  int self = getpid();
  double sum = 0;
  for (int changed = 1; changed;) { /* mark descendants generation by generation */
    changed = 0;
    for (size_t i = 0; i < n; i++) {
      if (mine[i]) continue;
      int is_child = ppid[i] == self;
      for (size_t j = 0; !is_child && j < n; j++) is_child = mine[j] && pid[j] == ppid[i];
      if (is_child) mine[i] = 1, changed = 1, sum += cpu[i];
    }
  }
  return sum;
}

double fuzz_cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9 + (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
         (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6 + descendants_cpu();
}

/* ---- one-case suites and the "still shows" predicate ------------------------------------------ */

static void one_case(const vec_suite *s, size_t c, vec_suite *one) {
  *one = *s;
  one->in = one->out = NULL;
  one->rnd = NULL;
  one->ncases = one->cap = 0;
  vec_suite_add(one, s->in + c * s->nin, s->out + c * s->nout, s->rnd[c]);
}

typedef struct probe {
  target *t;
  const mx_profile *p;
  tstatus want;         /* T_OK: a wrong answer; otherwise that status */
  uint64_t exp[MX_BLOCK_MAX + 1], act[MX_BLOCK_MAX + 1];
  tstatus got;
  char msg[256];
} probe;

/* Ask the target for case 0 of s once: expected into pr->exp, answer into pr->act. */
static void ask(probe *pr, const vec_suite *s) {
  expect_case(s, pr->p, s->in, s->rnd[0], pr->exp);
  memset(pr->act, 0, s->nout * sizeof *pr->act);
  pr->msg[0] = 0;
  target_begin_suite(pr->t);
  target_run(pr->t, s, 0, 1, pr->act, &pr->got, pr->msg, sizeof pr->msg);
  /* judged as run_batch judges it: `?C1/..` without the expected code is a wrong answer */
  if (pr->got == T_UNOBSERVED && !unobs_may_be(pr->act[0], pr->exp[0])) pr->got = T_OK;
}

static int shows(probe *pr, const vec_suite *s) {
  size_t dc = 0;
  if (pr->want == T_OK) return pr->got == T_OK && !expect_equal(s, pr->exp, pr->act, &dc);
  return pr->got == pr->want;
}

static int still(void *ctx, const vec_suite *s) {
  probe *pr = ctx;
  ask(pr, s);
  return shows(pr, s);
}

/* ---- findings ------------------------------------------------------------------------------- */

typedef struct run_state {
  target *t;
  const fuzz_cfg *c;
  fuzz_stats *st;
  char **skip; /* shape keys not drawn again (declined, or hung the target) */
  size_t nskip;
} run_state;

static int have_finding(const fuzz_stats *st, const char *kind, const char *suite) {
  for (size_t i = 0; i < st->nfindings; i++)
    if (!strcmp(st->findings[i].kind, kind) && !strcmp(st->findings[i].suite_before, suite)) return 1;
  return 0;
}

static void shape_key(const vec_suite *s, char *key, size_t len) {
  snprintf(key, len, "%s/k%zu/n%zu", s->name, s->k, s->nblocks);
}

static int is_skipped(const run_state *rs, const char *key) {
  for (size_t i = 0; i < rs->nskip; i++)
    if (!strcmp(rs->skip[i], key)) return 1;
  return 0;
}

static void add_skip(run_state *rs, const char *key) {
  rs->skip = realloc(rs->skip, (rs->nskip + 1) * sizeof *rs->skip);
  if (!rs->skip || !(rs->skip[rs->nskip] = strdup(key))) abort();
  rs->nskip++;
}

/* A shape not to draw again: every case declined, or it hung the target. */
static void add_skipped(run_state *rs, const vec_suite *s) {
  char key[200];
  shape_key(s, key, sizeof key);
  add_skip(rs, key);
}

/* Case c of batch s failed with status got (and answer act): confirm it on a second asking
 * (a different answer is a flaky finding), shrink it, and record it. */
static void record(run_state *rs, const vec_suite *s, size_t c, tstatus got, const uint64_t *act, const char *strategy,
                   uint64_t number, const char *msg) {
  fuzz_stats *st = rs->st;
  const char *kind = got == T_OK ? "mismatch" : tstatus_names[got];
  if (have_finding(st, kind, s->name) || have_finding(st, "flaky", s->name)) {
    st->repeats++;
    return;
  }
  static probe pr;
  pr.t = rs->t;
  pr.p = &rs->c->profile;
  pr.want = got;
  fuzz_finding fd;
  memset(&fd, 0, sizeof fd);
  one_case(s, c, &fd.s);
  snprintf(fd.suite_before, sizeof fd.suite_before, "%s", s->name);
  fd.strategy = strategy;
  fd.case_number = number;
  fd.nonzero_before = fuzz_nonzero_inputs(&fd.s);
  fd.blocks_before = s->nblocks;
  snprintf(fd.msg, sizeof fd.msg, "%s", msg ? msg : "");
  ask(&pr, &fd.s);
  int same = pr.got == got && (got != T_OK || !memcmp(pr.act, act, s->nout * sizeof *act));
  if (!same) { /* reported with its first answer; the message says what the second was */
    snprintf(fd.kind, sizeof fd.kind, "flaky");
    if (got == T_OK && pr.got == T_OK)
      snprintf(fd.msg, sizeof fd.msg, "asked again, the same case got another answer (%s)",
               expect_equal(&fd.s, pr.exp, pr.act, &(size_t){0}) ? "the expected one" : "also wrong");
    else
      snprintf(fd.msg, sizeof fd.msg, "first answer: %s; asked again: %s", got == T_OK ? "a wrong value" : tstatus_names[got],
               pr.got == T_OK ? "a value" : tstatus_names[pr.got]);
    memcpy(pr.act, act, s->nout * sizeof *act);
    pr.got = got;
  } else {
    snprintf(fd.kind, sizeof fd.kind, "%s", kind);
    /* a hang costs the timeout per call: not shrunk, and its shape is set aside */
    if (got == T_TIMEOUT) {
      add_skipped(rs, s);
    } else {
      fd.shrink_calls = fuzz_shrink(&fd.s, still, &pr, rs->c->shrink_budget);
      ask(&pr, &fd.s);
    }
    if (pr.msg[0]) snprintf(fd.msg, sizeof fd.msg, "%s", pr.msg);
  }
  memcpy(fd.s.out, pr.exp, fd.s.nout * sizeof *pr.exp);
  fd.actual = malloc((fd.s.nout + 1) * sizeof *fd.actual);
  if (!fd.actual) abort();
  memcpy(fd.actual, pr.act, fd.s.nout * sizeof *fd.actual);
  fd.status = (int)pr.got;
  fd.nonzero_after = fuzz_nonzero_inputs(&fd.s);
  st->findings = realloc(st->findings, (st->nfindings + 1) * sizeof *st->findings);
  if (!st->findings) abort();
  st->findings[st->nfindings++] = fd;
  fuzz_print_finding(stdout, rs->c, &st->findings[st->nfindings - 1], st->nfindings);
  fflush(stdout);
}

/* ---- the loop ----------------------------------------------------------------------------------- */

static size_t batch_size(vec_op op) {
  switch (op) {
  case OP_CVT: return 256;
  case OP_DOT: return 16;
  default: return 32;
  }
}

/* Run one batch of suite s (its cases generated already) and record what failed. */
static void run_batch(run_state *rs, vec_suite *s, const char *const *strategies) {
  fuzz_stats *st = rs->st;
  size_t n = s->ncases;
  uint64_t *act = calloc(n * s->nout + 1, sizeof *act);
  tstatus *sts = calloc(n + 1, sizeof *sts);
  char msg[256] = "";
  if (!act || !sts) abort();
  target_begin_suite(rs->t);
  target_run(rs->t, s, 0, n, act, sts, msg, sizeof msg);
  size_t declined = 0;
  uint64_t first = st->cases;
  for (size_t c = 0; c < n; c++) {
    if (sts[c] == T_UNSUPPORTED) {
      declined++;
      continue;
    }
    if (sts[c] == T_UNOBSERVED) { /* the target's blind spot (PROTOCOL.md): counted, not a finding */
      if (unobs_may_be(act[c * s->nout], s->out[c * s->nout])) {
        st->unobserved++;
        continue;
      }
      sts[c] = T_OK; /* `?C1/..` without the expected code: a wrong answer like any other */
    }
    size_t dc = 0;
    if (sts[c] == T_OK && expect_equal(s, s->out + c * s->nout, act + c * s->nout, &dc)) continue;
    if (st->nfindings >= rs->c->max_findings) {
      st->repeats++;
      continue;
    }
    record(rs, s, c, sts[c], act + c * s->nout, strategies[c], first + c + 1, msg);
  }
  if (declined == n) add_skipped(rs, s);
  st->unsupported += declined;
  st->cases += n;
  st->cases_by_op[s->op] += n;
  st->batches++;
  free(act);
  free(sts);
}

static double used(const fuzz_cfg *c, double t0, double cpu0) { return c->cpu ? fuzz_cpu_seconds() - cpu0 : now_s() - t0; }

int fuzz_run(target *t, const fuzz_cfg *c, fuzz_stats *st) {
  memset(st, 0, sizeof *st);
  run_state rs = {t, c, st, NULL, 0};
  fuzz_src r;
  fuzz_src_seed(&r, c->seed);
  double t0 = now_s(), cpu0 = fuzz_cpu_seconds(), next_progress = t0 + 2, next_check = t0;
  uint64_t in[2 * (64 + MX_BLOCK_MAX) + 2], out[MX_BLOCK_MAX + 1];
  const char *strategies[256];
  unsigned skipped_in_a_row = 0;
  st->stopped_by = "cases";
  for (;;) {
    if (c->max_cases && st->cases >= c->max_cases) break;
    if (st->nfindings >= c->max_findings) {
      st->stopped_by = "findings";
      break;
    }
    if (c->seconds > 0 && now_s() >= next_check) { /* reading /proc costs: at most 4 times a second */
      next_check = now_s() + 0.25;
      if (used(c, t0, cpu0) >= c->seconds) {
        st->stopped_by = "seconds";
        break;
      }
    }
    vec_suite s;
    vec_suite_init(&s);
    s.knobs = c->profile;
    fuzz_shape(&r, fuzz_pick_op(&r, c->ops), &s);
    char key[200];
    shape_key(&s, key, sizeof key);
    if (is_skipped(&rs, key)) {
      st->skipped_shapes++;
      if (++skipped_in_a_row > 20000) {
        st->stopped_by = "nothing-supported";
        break;
      }
      continue;
    }
    skipped_in_a_row = 0;
    size_t n = batch_size(s.op);
    if (c->max_cases && c->max_cases - st->cases < n) n = (size_t)(c->max_cases - st->cases);
    for (size_t i = 0; i < n; i++) {
      uint32_t rnd;
      fuzz_case(&r, &s, in, &rnd);
      strategies[i] = fuzz_last_strategy();
      expect_case(&s, &c->profile, in, rnd, out);
      vec_suite_add(&s, in, out, rnd);
    }
    run_batch(&rs, &s, strategies);
    vec_suite_free(&s);
    if (!c->quiet && now_s() >= next_progress) {
      double w = now_s() - t0;
      fprintf(stderr, "fuzz: %.0f s, %.1f CPU-s: %llu cases (%.0f/s), %zu findings\n", w, fuzz_cpu_seconds() - cpu0,
              (unsigned long long)st->cases, st->cases / (w > 0 ? w : 1), st->nfindings);
      next_progress = now_s() + 5;
    }
  }
  st->wall_s = now_s() - t0;
  st->cpu_s = fuzz_cpu_seconds() - cpu0;
  for (size_t i = 0; i < rs.nskip; i++) free(rs.skip[i]);
  free(rs.skip);
  return st->nfindings || st->unobserved ? 1 : 0;
}

void fuzz_stats_free(fuzz_stats *st) {
  for (size_t i = 0; i < st->nfindings; i++) {
    vec_suite_free(&st->findings[i].s);
    free(st->findings[i].actual);
  }
  free(st->findings);
  st->findings = NULL;
  st->nfindings = 0;
}
