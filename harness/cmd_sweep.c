/* mxconform sweep: every input of a 16- or 32-bit source format through one conversion of
 * a target, compared with libmxref (itself proven equal to the oracle by `make exhaustive`).
 *
 * lib: targets are swept inside the `mxconform serve --lib` child with a `sweep` request,
 * so 2^32 inputs never cross a pipe as text (with --list, which needs every mismatch, their
 * codes come back in ordinary batches); cmd: targets get `cvtrange` requests where they have
 * them, else ordinary `cvt` batches. A crash or hang in a chunk is narrowed down to the input
 * that caused it.
 * This file parses the options and prints; the engine is harness/sweep.c and target.c. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "fileio.h"
#include "mxconform/profile.h"
#include "reproduce.h"
#include "progress.h"
#include "sweep.h"
#include "sweep_results.h"
#include "target.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int cmd_sweep(int argc, char **argv) {
  const char *cmd = "sweep";
  const char *op = NULL, *target_spec = "reference", *profile_spec = "ocp", *out_path = NULL, *list_path = NULL;
  const char *knob_args[64];
  int nknobs = 0;
  sweep_req q = {MX_F32, MX_E4M3, MX_RNE, MX_SAT, MX_CONVERT_OPTS_DEFAULT};
  unsigned shard_i = 0, shard_n = 1, show = 10;
  int quiet = 0;
  double timeout = 60;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--op"))) op = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--round"))) {
      int r = mx_name_index(mx_round_names, v);
      if (r < 0 || r == MX_SR) cli_usage_error(cmd, "bad --round '%s' (rne rna rtz rup rdn)", v);
      q.round = (mx_round)r;
    } else if ((v = cli_opt(cmd, argc, argv, &i, "--overflow"))) {
      int r = mx_name_index(mx_overflow_names, v);
      if (r < 0) cli_usage_error(cmd, "bad --overflow '%s' (sat ovf)", v);
      q.overflow = (mx_overflow)r;
    } else if ((v = cli_opt(cmd, argc, argv, &i, "--profile"))) profile_spec = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--knob"))) {
      if (nknobs == 64) cli_usage_error(cmd, "more than 64 --knob options");
      knob_args[nknobs++] = v;
    } else if ((v = cli_opt(cmd, argc, argv, &i, "--target"))) target_spec = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--shard"))) cli_shard(cmd, v, &shard_i, &shard_n);
    else if ((v = cli_opt(cmd, argc, argv, &i, "-o"))) out_path = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--list"))) list_path = v;
    else if (!strcmp(argv[i], "-q")) quiet = 1;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--show"))) show = (unsigned)cli_u64_max(cmd, "--show", v, 1000000);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--timeout"))) timeout = (double)cli_u64_max(cmd, "--timeout", v, 3600);
    else if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform sweep --op cvt.SRC.DST [--round rne|rna|rtz|rup|rdn] [--overflow sat|ovf]\n"
             "         [--profile ocp|NAME|FILE] [--knob NAME=VALUE]...\n"
             "         [--target reference|lib:PATH.so|cmd:'COMMAND'] [--shard i/n] [--show N] [--timeout S] [-o FILE]\n"
             "         [--list FILE] [-q]\n"
             "Every input of SRC (f32: 2^32, bf16/f16: 2^16) through the target, compared with libmxref\n"
             "under the profile's scalar knobs (default ocp), changed by any --knob (round and overflow:\n"
             "--round, --overflow). The built-in reference target follows the same knobs.\n"
             "--shard i/n (0 <= i < n) sweeps the i-th of n contiguous input ranges: [S/n*i, S/n*(i+1)) of\n"
             "the S inputs, the last shard up to S; the same split on every machine. -o FILE writes a\n"
             "results.json (harness/RESULTS.md) whose shards `mxconform merge` combines. Progress (done,\n"
             "rate, ETA) goes to standard error on long sweeps; -q: none.\n"
             "--list FILE writes every mismatch, one line each: INPUT EXPECTED ACTUAL in hex (ACTUAL 100:\n"
             "crashed or hung, 200: refused, 401: `?C1/../Cn` without the expected code), after a\n"
             "header line starting with #; written atomically at the end. With it a lib: target's codes\n"
             "come back to be compared here (ordinary batches: slower than its in-child sweep).\n"
             "Inputs whose result the target cannot observe (PROTOCOL.md `?`) are counted apart as not\n"
             "observable: never compared, never mismatches, but the sweep is then incomplete, not a pass.\n"
             "Exit status: 0 no mismatch, 1 mismatches or inputs not observable, 2 bad usage, 3 target unusable.\n");
      return 0;
    } else cli_usage_error(cmd, "unknown argument '%s'", argv[i]);
  }
  if (!op) cli_usage_error(cmd, "--op is required (e.g. --op cvt.f32.e4m3)");
  char s1[16], s2[16];
  if (sscanf(op, "cvt.%15[^.].%15s", s1, s2) != 2) cli_usage_error(cmd, "bad --op '%s' (want cvt.SRC.DST)", op);
  q.src = cli_format(cmd, s1, 1, 0);
  q.dst = cli_format(cmd, s2, 0, 1);
  if (mx_format(q.src)->bits > 32) cli_usage_error(cmd, "sweeps take 16- and 32-bit sources (not %s)", s1);
  mx_profile profile;
  char perr[512];
  if (mx_profile_load(profile_spec, &profile, perr, sizeof perr)) cli_usage_error(cmd, "%s", perr);
  mx_knob_context kc = {MX_OPK_CVT, q.src, q.dst, q.round, q.overflow}; /* the profile's rules for this conversion */
  mx_profile_resolve(&profile, &kc, &q.knobs);
  for (int k = 0; k < nknobs; k++) {
    char name[64];
    cli_split_assignment(cmd, knob_args[k], name, sizeof name);
    if (!strcmp(name, "round") || !strcmp(name, "overflow"))
      cli_usage_error(cmd, "--knob %s: use --%s (a sweep takes one rounding and one overflow rule)", knob_args[k], name);
    cli_knob_assign(cmd, &q.knobs, knob_args[k]);
  }
  /* the header names only what was asked (the reproduce lines carry every knob) */
  char asked[512] = "";
  for (int k = 0, used = 0; k < nknobs && used + strlen(knob_args[k]) + 10 < sizeof asked; k++)
    used += snprintf(asked + used, sizeof asked - (size_t)used, " --knob %s", knob_args[k]);
  char err[512];
  target *t = target_open(target_spec, timeout, err, sizeof err);
  if (!t) {
    fprintf(stderr, "mxconform sweep: %s\n", err);
    return 3;
  }
  uint64_t space = (uint64_t)1 << mx_format(q.src)->bits;
  uint64_t lo = space / shard_n * shard_i;
  uint64_t hi = shard_i + 1 == shard_n ? space : space / shard_n * (shard_i + 1);
  sweep_tally tally;
  memset(&tally, 0, sizeof tally);
  if (list_path) {
    if (!(tally.every = file_stream_open(list_path))) {
      target_close(t);
      cli_usage_error(cmd, "%s: cannot write: %s", list_path, strerror(errno));
    }
    fprintf(tally.every, "# mxconform sweep --op %s --round %s --overflow %s --target %s --profile %s%s, inputs [0x%" PRIx64
            ", 0x%" PRIx64 "): every mismatch, INPUT EXPECTED ACTUAL (hex)\n",
            op, mx_round_names[q.round], mx_overflow_names[q.overflow], target_spec, profile_spec, asked, lo, hi);
  }
  double t0 = now_s();
  uint64_t failed_chunks = 0;
  progress pr; /* in 256 steps, each a target_sweep of its own */
  progress_start(&pr, op, "inputs", hi - lo, quiet);
  for (uint64_t a = lo, step = space / 256 > 256 ? space / 256 : 256; a < hi; a = hi - a > step ? a + step : hi) {
    failed_chunks += target_sweep(t, &q, a, hi - a > step ? a + step : hi, &tally);
    progress_set(&pr, (hi - a > step ? a + step : hi) - lo);
  }
  progress_finish(&pr);
  double wall = now_s() - t0;
  if (tally.unsupported && !tally.checked && !tally.unobserved) {
    printf("sweep %s %s %s: target %s does not support this conversion (nothing was checked)\n", op,
           mx_round_names[q.round], mx_overflow_names[q.overflow], target_spec);
    if (tally.every) file_stream_close(tally.every, list_path, 0);
    target_close(t);
    return 3;
  }
  printf("sweep %s %s %s: target %s (%s %s), profile %s%s, inputs [0x%" PRIx64 ", 0x%" PRIx64 "), %" PRIu64
         " checked, %" PRIu64 " mismatches, %.1fs\n",
         op, mx_round_names[q.round], mx_overflow_names[q.overflow], target_spec, target_name(t), target_version(t),
         profile.name, asked, lo, hi, tally.checked, tally.mismatches, wall);
  if (tally.mismatches)
    printf("  by input class: zero %" PRIu64 ", subnormal %" PRIu64 ", normal %" PRIu64 ", inf %" PRIu64 ", nan %" PRIu64 "\n",
           tally.by_class[MX_CLASS_ZERO], tally.by_class[MX_CLASS_SUBNORMAL], tally.by_class[MX_CLASS_NORMAL],
           tally.by_class[MX_CLASS_INF], tally.by_class[MX_CLASS_NAN]);
  for (unsigned i = 0; i < tally.nfirst && i < show; i++) {
    char rp[1024];
    sweep_reproduce(target_spec, profile_spec, &profile, &q, tally.first[i].bits, rp, sizeof rp);
    printf("  0x%0*" PRIx64 ": expected 0x%02x, target 0x%02x   reproduce: %s\n", mx_format(q.src)->bits / 4,
           tally.first[i].bits, tally.first[i].expected, tally.first[i].actual, rp);
  }
  for (unsigned i = 0; i < tally.nfirst && i < show; i++)
    if (tally.first[i].actual == SWEEP_CODE_NOT_EXPECTED) { /* say once what 0x401 means */
      printf("  (target 0x401: the target answered `?C1/../Cn`, codes it cannot tell apart, none of them the expected one)\n");
      break;
    }
  if (tally.mismatches > tally.nfirst && show > tally.nfirst)
    printf("  (--show %u: only the first %u mismatches are kept; the counts above are complete)\n", show, tally.nfirst);
  if (tally.refused)
    printf("  %" PRIu64 " inputs refused by the target (the library raised: its answer, counted as mismatches, actual 0x200)\n",
           tally.refused);
  if (tally.unobserved) { /* a statement about the target: these inputs were never checked */
    printf("  %" PRIu64 " inputs not observable by the target (never compared: neither checked nor mismatches), e.g.",
           tally.unobserved);
    for (unsigned i = 0; i < tally.unobserved && i < SWEEP_MAX_UNOBSERVED; i++)
      printf(" 0x%0*" PRIx64, mx_format(q.src)->bits / 4, tally.unobserved_first[i]);
    putchar('\n');
    if (!tally.mismatches && !tally.unreproduced) printf("  INCOMPLETE: the sweep cannot pass while results are not observable\n");
  }
  if (failed_chunks) printf("  %" PRIu64 " inputs crashed or hung the target (counted as mismatches, actual 0x100)\n", failed_chunks);
  if (tally.unreproduced)
    printf("  FLAKY: the target crashed, hung or answered badly on %" PRIu64 " attempts that no retry reproduced\n",
           tally.unreproduced);
  sweep_outcome so = {&q, &profile, profile_spec, t, target_spec, shard_i, shard_n, lo, hi, &tally, failed_chunks, wall, show, argc, argv};
  /* the list first: fileio.h writes one file at a time */
  if (tally.every && file_stream_close(tally.every, list_path, 1))
    cli_usage_error(cmd, "%s: cannot write: %s", list_path, strerror(errno));
  if (out_path && sweep_results_write(out_path, &so)) cli_usage_error(cmd, "%s: cannot write: %s", out_path, strerror(errno));
  target_close(t);
  return tally.mismatches || tally.unreproduced || tally.unobserved ? MXC_EXIT_FAIL : MXC_EXIT_OK;
}
