/* mxconform run: run the golden-vector suites against a target under a profile, detect
 * which profile the target matches, write results.json + JUnit + a terminal story and
 * summary. This file parses the options; the work is in the run_*.c modules (run.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"
#include "gen.h"
#include "run.h"
#include "story.h"
#include "target.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void usage(void) {
  printf("usage: mxconform run [--target reference | lib:PATH.so | cmd:'COMMAND ARGS'] [--profile ocp|NAME|FILE]\n"
         "         [--suites GLOB[,GLOB...]] [--tier smoke|standard|full] [--vectors DIR] [--seed S]\n"
         "         [--shard i/n] [-o results.json] [--junit results.xml] [--write-profile FILE]\n"
         "         [--max-failures N] [--timeout SECONDS] [--show N] [-v] [-q]\n"
         "Runs the golden-vector suites against a target. --write-profile writes the profile detection found\n"
         "(every key, then its conditional values) as a file to run again under with --profile. Exit status: 0 every supported suite passed and\n"
         "the target never misbehaved, 1 failures, a flaky target or results it cannot observe (incomplete),\n"
         "2 bad usage or bad input files,\n"
         "3 target unusable.\n");
}

static void parse_options(int argc, char **argv, run_cfg *cfg) {
  const char *cmd = "run";
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--target"))) cfg->target_spec = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--profile"))) cfg->profile_spec = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--suites"))) {
      if (strlen(v) >= sizeof cfg->suites) cli_usage_error(cmd, "--suites: longer than %zu characters", sizeof cfg->suites - 1);
      snprintf(cfg->suites, sizeof cfg->suites, "%s", v);
    } else if ((v = cli_opt(cmd, argc, argv, &i, "--tier"))) {
      cfg->tier = v;
      cfg->tier_given = 1;
    }
    else if ((v = cli_opt(cmd, argc, argv, &i, "--vectors"))) cfg->vectors = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--seed"))) cfg->seed = cli_u64(cmd, "--seed", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--shard"))) cli_shard(cmd, v, &cfg->shard_i, &cfg->shard_n);
    else if ((v = cli_opt(cmd, argc, argv, &i, "-o"))) cfg->out_json = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--junit"))) cfg->out_junit = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--write-profile"))) cfg->out_profile = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--max-failures")))
      cfg->max_failures = (unsigned)cli_u64_max(cmd, "--max-failures", v, 1000000);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--show"))) cfg->show = (unsigned)cli_u64_max(cmd, "--show", v, 1000000);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--timeout"))) {
      char *e;
      cfg->timeout = strtod(v, &e);
      if (!*v || *e || !(cfg->timeout > 0 && cfg->timeout <= 3600)) /* also rejects nan */
        cli_usage_error(cmd, "bad --timeout '%s' (seconds, 0 < t <= 3600)", v);
    } else if (!strcmp(argv[i], "-q")) cfg->quiet = 1;
    else if (!strcmp(argv[i], "-v")) cfg->verbose = 1;
    else if (!strcmp(argv[i], "--help")) {
      usage();
      exit(0);
    } else cli_usage_error(cmd, "unknown argument '%s'", argv[i]);
  }
  const char *spec = cfg->target_spec;
  if (strcmp(spec, "reference") && !((!strncmp(spec, "lib:", 4) || !strncmp(spec, "cmd:", 4)) && spec[4]))
    cli_usage_error(cmd, "bad --target '%s' (reference, lib:PATH.so or cmd:'COMMAND')", spec);
  if (!gen_tier_find(cfg->tier)) cli_usage_error(cmd, "unknown tier '%s' (smoke standard full)", cfg->tier);
}

/* Write one output; a failure is reported and turns the exit status into 2. */
static int write_output(const char *path, char *text, size_t len) {
  int bad = 0;
  if (path && run_write_atomic(path, text, len)) {
    fprintf(stderr, "mxconform run: %s: cannot write: %s\n", path, strerror(errno));
    bad = 1;
  }
  free(text);
  return bad;
}

/* The detected profile as a profile file (mx_profile_write: every key, then the rules). */
static int write_detected_profile(const char *path, const mx_profile *p) {
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m) return 1;
  mx_profile_write(m, p);
  fclose(m);
  return write_output(path, text, len);
}

/* The target could not be used: say why in both outputs, exit 3. */
static int unusable_target(const run_cfg *cfg, const mx_profile *profile, const char *err) {
  fprintf(stderr, "mxconform run: %s\n", err);
  size_t len;
  int bad = 0;
  if (cfg->out_json) {
    char *text = run_results_json_error(cfg, profile, err, &len);
    bad |= write_output(cfg->out_json, text, len);
  }
  if (cfg->out_junit) {
    char *text = run_junit_error(cfg, err, &len);
    bad |= write_output(cfg->out_junit, text, len);
  }
  return bad ? MXC_EXIT_USAGE : 3;
}

static void print_families(const suite_list *L);

static void print_summary(const run_report *rep) {
  const run_cfg *cfg = rep->cfg;
  const run_totals *t = rep->totals;
  printf("\nmxconform run: target %s (%s %s), profile %s, tier %s, seed %llu", target_spec(rep->t), target_name(rep->t),
         target_version(rep->t), rep->profile->name, cfg->tier, (unsigned long long)cfg->seed);
  if (cfg->shard_n) printf(", shard %u/%u", cfg->shard_i, cfg->shard_n);
  printf("\n  suites %zu: pass %zu, fail %zu, unsupported %zu, crash %zu, timeout %zu, protocol-error %zu, flaky %zu",
         rep->L->n, t->pass, t->fail, t->unsupported, t->crash, t->timeout, t->protocol, t->flaky);
  if (t->incomplete) printf(", incomplete %zu", t->incomplete);
  putchar('\n');
  if (t->refused)
    printf("  cases %zu, failed %zu (%zu of them refused by the target); %.1fs\n", t->cases, t->failed_cases, t->refused,
           rep->wall);
  else printf("  cases %zu, failed %zu; %.1fs\n", t->cases, t->failed_cases, rep->wall);
  if (t->unobserved) /* a statement about the target, not the library: never checked */
    printf("  %zu not observable (the target cannot see these results: neither passed nor failed)\n", t->unobserved);
  print_families(rep->L);
  if (t->events) printf("  the target misbehaved on %zu attempts (see \"events\" in results.json)\n", t->events);
  printf("  profile: %s\n", rep->det->summary);
  printf("VERDICT: %s\n", rep->verdict == VERDICT_PASS         ? "PASS"
                         : rep->verdict == VERDICT_FLAKY      ? "FLAKY"
                         : rep->verdict == VERDICT_INCOMPLETE ? "INCOMPLETE"
                                                              : "FAIL");
}

/* Suites by family (op): how many passed, failed, were unsupported or misbehaved — the
 * passes too, so a reader sees what was checked, not only what broke. */
static void print_families(const suite_list *L) {
  int w = 0; /* the name column: as wide as the longest op name (nvfp4_dequantize) */
  for (int op = 0; op < OP_COUNT; op++)
    if ((int)strlen(op_table[op].name) > w) w = (int)strlen(op_table[op].name);
  for (int op = 0; op < OP_COUNT; op++) {
    size_t n = 0, pass = 0, fail = 0, unsup = 0, cases = 0, failed = 0;
    for (size_t i = 0; i < L->n; i++) {
      const suite_run *r = &L->v[i];
      if ((int)r->s.op != op) continue;
      n++;
      cases += r->s.ncases;
      failed += r->failed;
      if (!strcmp(r->status, "pass")) pass++;
      else if (!strcmp(r->status, "unsupported")) unsup++;
      else fail++;
    }
    if (n)
      printf("    %-*s %4zu suites: %4zu pass, %4zu not pass, %4zu unsupported; %8zu cases, %6zu failed\n",
             w, op_table[op].name, n, pass, fail, unsup, cases, failed);
  }
}

static void run_all(const run_cfg *cfg, target *t, const mx_profile *profile, suite_list *L, run_totals *totals) {
  progress pr; /* on stderr: stdout stays the story and the summary */
  progress_start(&pr, "run", "suites", L->n, cfg->quiet);
  for (size_t i = 0; i < L->n; i++) {
    suite_run *r = &L->v[i];
    run_suite(t, r, profile);
    run_totals_add(totals, r);
    if (!cfg->quiet && cfg->verbose && strcmp(r->status, "pass")) {
      progress_hide(&pr);
      char ref[96] = ""; /* refused and unobserved cases: their own classes, beside the failed ones */
      if (r->counts[T_REFUSED]) snprintf(ref, sizeof ref, " %6zu refused", r->counts[T_REFUSED]);
      if (r->counts[T_UNOBSERVED])
        snprintf(ref + strlen(ref), sizeof ref - strlen(ref), " %6zu not observable", r->counts[T_UNOBSERVED]);
      printf("%-40s %-14s %6zu cases %6zu failed%s%s%s\n", r->s.name, r->status, r->s.ncases, r->failed, ref,
             r->msg[0] ? "  " : "", r->msg);
    }
    progress_add(&pr, 1);
  }
  progress_finish(&pr);
}

int cmd_run(int argc, char **argv) {
  run_cfg cfg = {.target_spec = "reference", .profile_spec = "ocp", .tier = "standard", .seed = MXC_DEFAULT_SEED,
                 .max_failures = 1000, .timeout = 10.0, .argc = argc, .argv = argv};
  parse_options(argc, argv, &cfg);
  mx_profile profile;
  char err[1024];
  if (mx_profile_load(cfg.profile_spec, &profile, err, sizeof err)) cli_usage_error("run", "%s", err);
  run_check_outputs(&cfg); /* before anything runs: nothing is lost later */

  suite_list L = {0};
  double t0 = now_s();
  run_load_suites(&cfg, &profile, &L);
  if (!L.n) {
    suite_list_free(&L);
    cli_usage_error("run", "no suite matches --suites '%s'%s", cfg.suites, cfg.shard_n ? " in this shard" : "");
  }
  target *t = target_open(cfg.target_spec, cfg.timeout, err, sizeof err);
  if (!t) {
    suite_list_free(&L); /* the loaded suites, so leak checkers see a clean exit */
    return unusable_target(&cfg, &profile, err);
  }
  run_totals totals = {0};
  run_all(&cfg, t, &profile, &L, &totals);
  run_detection det;
  run_detect(&L, &profile, &totals, &det);
  run_report rep = {&cfg, t, &profile, &L, &totals, &det, run_verdict_of(&totals), now_s() - t0};

  /* results.json is built for every run: the terminal story is told from it */
  size_t jlen, xlen;
  char *json = run_results_json(&rep, &jlen);
  story_opts so = {cfg.show, cfg.verbose, isatty(1) && !getenv("NO_COLOR")};
  if (!cfg.quiet) story_print(stdout, json, jlen, &so);
  print_summary(&rep);
  fflush(stdout);
  int bad = cfg.out_json ? write_output(cfg.out_json, json, jlen) : (free(json), 0);
  if (cfg.out_junit) {
    char *xml = run_junit(&rep, &xlen);
    bad |= write_output(cfg.out_junit, xml, xlen);
  }
  if (cfg.out_profile) bad |= write_detected_profile(cfg.out_profile, &det.detected);
  target_close(t);
  suite_list_free(&L);
  return bad ? MXC_EXIT_USAGE : run_exit_status(rep.verdict);
}
