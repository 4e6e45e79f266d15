/* mxconform fuzz: parse the options, open the target, call the fuzz modules (fuzz_run.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "cli.h"
#include "fuzz_gen.h"
#include "fuzz_run.h"

static const char *const k_usage =
  "usage: mxconform fuzz --target reference|lib:PATH.so|cmd:'COMMAND' [--profile ocp|NAME|FILE]\n"
  "         [--ops OP,...] [--seconds N [--cpu] | --cases N] [--seed S]\n"
  "         [--max-findings N] [--shrink-budget N] [--timeout SECONDS] [-o results.json] [--save DIR] [-q]\n"
  "Structured random cases of each op against the target, every answer compared with the oracle\n"
  "under the profile; each finding (wrong answer, crash, hang, malformed or error answer, flaky\n"
  "answer) is shrunk to a minimal case and printed with its bits, decoded values and reproduce\n"
  "lines. Deterministic for a seed (without --seed a new one is drawn and printed).\n"
  "--ops: cvt quantize dequantize pack dot (the default: the MX ops) and nvfp4_quantize\n"
  "nvfp4_dequantize nvfp4_dot (NVFP4, spec_notes/nvfp4.md; only when named).\n"
  "--seconds counts wall-clock seconds, or with --cpu CPU seconds of mxconform and the target's\n"
  "processes (default: --seconds 60). Exit status: 0 no findings, 1 findings or cases\n"
  "the target cannot observe (PROTOCOL.md \"Not observable\": INCOMPLETE), 2 bad usage,\n"
  "3 target unusable. --save DIR writes the shrunk findings as vector files (with a MANIFEST):\n"
  "'mxconform run --target T --profile P --vectors DIR' runs exactly them.\n";

static double parse_seconds(const char *cmd, const char *v) {
  char *e;
  double s = strtod(v, &e);
  if (*e || !(s > 0 && s <= 1e7)) cli_usage_error(cmd, "bad --seconds '%s' (seconds, more than 0)", v);
  return s;
}


static void check_writable(const char *cmd, const char *path) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash) *slash = 0;
  else snprintf(dir, sizeof dir, ".");
  if (access(dir[0] ? dir : "/", W_OK) != 0) cli_usage_error(cmd, "%s: cannot write there: %s", path, strerror(errno));
}

int cmd_fuzz(int argc, char **argv) {
  const char *cmd = "fuzz";
  fuzz_cfg c;
  memset(&c, 0, sizeof c);
  c.target_spec = "reference";
  c.profile_spec = "ocp";
  c.ops = FUZZ_OPS_ALL;
  c.max_findings = 10;
  c.shrink_budget = 2000;
  c.timeout = 10.0;
  const char *out_json = NULL, *save_dir = NULL;
  int have_seed = 0;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--target"))) c.target_spec = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--profile"))) c.profile_spec = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--ops"))) {
      if (fuzz_ops_parse(v, &c.ops))
        cli_usage_error(cmd, "bad --ops '%s' (a comma list of cvt quantize dequantize pack dot nvfp4_quantize "
                             "nvfp4_dequantize nvfp4_dot)", v);
      c.ops_text = v;
    } else if ((v = cli_opt(cmd, argc, argv, &i, "--seconds"))) c.seconds = parse_seconds(cmd, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--cases"))) {
      c.max_cases = cli_u64(cmd, "--cases", v);
      if (!c.max_cases) cli_usage_error(cmd, "bad --cases '%s' (at least 1)", v);
    } else if ((v = cli_opt(cmd, argc, argv, &i, "--seed"))) c.seed = cli_u64(cmd, "--seed", v), have_seed = 1;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--max-findings"))) {
      c.max_findings = (unsigned)cli_u64(cmd, "--max-findings", v);
      if (!c.max_findings) cli_usage_error(cmd, "bad --max-findings '%s' (at least 1)", v);
    } else if ((v = cli_opt(cmd, argc, argv, &i, "--shrink-budget"))) c.shrink_budget = (unsigned)cli_u64(cmd, "--shrink-budget", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--timeout"))) {
      char *e;
      c.timeout = strtod(v, &e);
      if (*e || !(c.timeout > 0 && c.timeout <= 3600)) cli_usage_error(cmd, "bad --timeout '%s' (seconds, 0 < t <= 3600)", v);
    } else if ((v = cli_opt(cmd, argc, argv, &i, "-o"))) out_json = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--save"))) save_dir = v;
    else if (!strcmp(argv[i], "--cpu")) c.cpu = 1;
    else if (!strcmp(argv[i], "-q")) c.quiet = 1;
    else if (!strcmp(argv[i], "--help")) {
      fputs(k_usage, stdout);
      return MXC_EXIT_OK;
    } else cli_usage_error(cmd, "unknown argument '%s' (try 'mxconform fuzz --help')", argv[i]);
  }
  if (c.seconds > 0 && c.max_cases) cli_usage_error(cmd, "--seconds and --cases exclude each other");
  if (c.cpu && !(c.seconds > 0)) cli_usage_error(cmd, "--cpu counts --seconds: give --seconds N");
  if (!c.seconds && !c.max_cases) c.seconds = 60;
  if (strcmp(c.target_spec, "reference") &&
      !((!strncmp(c.target_spec, "lib:", 4) || !strncmp(c.target_spec, "cmd:", 4)) && c.target_spec[4]))
    cli_usage_error(cmd, "bad --target '%s' (reference, lib:PATH.so or cmd:'COMMAND')", c.target_spec);
  char err[1024];
  if (mx_profile_load(c.profile_spec, &c.profile, err, sizeof err)) cli_usage_error(cmd, "%s", err);
  if (out_json) check_writable(cmd, out_json);
  if (save_dir) check_writable(cmd, save_dir);
  if (!have_seed) c.seed = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ ((uint64_t)clock() << 40);

  target *t = target_open(c.target_spec, c.timeout, err, sizeof err);
  if (!t) {
    fprintf(stderr, "mxconform fuzz: %s\n", err);
    return 3;
  }
  printf("mxconform fuzz: target %s (%s %s), profile %s, seed %llu, ", c.target_spec, target_name(t), target_version(t),
         c.profile.name, (unsigned long long)c.seed);
  if (c.max_cases) printf("%llu cases\n", (unsigned long long)c.max_cases);
  else printf("%g %s seconds\n", c.seconds, c.cpu ? "CPU" : "wall-clock");
  fflush(stdout);
  fuzz_stats st;
  int rc = fuzz_run(t, &c, &st);
  fuzz_print_summary(stdout, &c, &st, t);
  if (out_json) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) abort();
    fuzz_write_json(f, &c, &st, t);
    fclose(f);
    if (file_write_atomic(out_json, buf, len)) {
      fprintf(stderr, "mxconform fuzz: %s: cannot write\n", out_json);
      rc = 2;
    }
    free(buf);
  }
  if (save_dir && st.nfindings) {
    if (fuzz_save_findings(save_dir, &c, &st, err, sizeof err)) {
      fprintf(stderr, "mxconform fuzz: %s\n", err);
      rc = 2;
    } else {
      printf("the findings as vectors: mxconform run --target '%s' --profile %s --vectors %s\n", c.target_spec,
             c.profile_spec, save_dir);
    }
  }
  fuzz_stats_free(&st);
  target_close(t);
  return rc;
}
