/* mxconform merge: combine the results.json files of the shards of one run (merge.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "jsonv.h"
#include "merge.h"

static const char *const k_help =
    "usage: mxconform merge SHARD.json... -o ALL.json\n"
    "Combine the results.json files of the shards of one run (run --shard i/n, sweep --shard i/n\n"
    "with -o) into the results.json of the whole run: suites joined in shard order (a sweep's\n"
    "split input range becomes one suite again), totals and verdict recomputed, unknown fields\n"
    "carried (harness/RESULTS.md, \"Shards\"). Shards of different runs (target, profile, tier,\n"
    "seed or shard count differ), a shard given twice or a missing shard are refused with one\n"
    "line and nothing is written. -o - writes to standard output.\n"
    "Exit status: 0 merged, 2 bad usage or refused.\n";


/* Write the document to path atomically (temporary file in the same directory, then rename). */
static int write_doc(const char *path, const jv *doc) {
  if (!strcmp(path, "-")) {
    jv_write(stdout, doc);
    return fflush(stdout) ? -1 : 0;
  }
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) abort();
  jv_write(f, doc);
  fclose(f);
  int rc = file_write_atomic(path, buf, len);
  free(buf);
  return rc;
}

int cmd_merge(int argc, char **argv) {
  const char *cmd = "merge", *out_path = NULL;
  const char **names = calloc((size_t)argc, sizeof *names);
  jv **docs = calloc((size_t)argc, sizeof *docs);
  if (!names || !docs) abort();
  size_t n = 0;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(k_help, stdout);
      free(docs);
      free(names);
      return MXC_EXIT_OK;
    } else if ((v = cli_opt(cmd, argc, argv, &i, "-o")) || (v = cli_opt(cmd, argc, argv, &i, "--output"))) out_path = v;
    else if (argv[i][0] == '-' && argv[i][1]) cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    else names[n++] = argv[i];
  }
  if (!n) cli_usage_error(cmd, "no shard files given (usage: mxconform merge A.json B.json ... -o ALL.json)");
  if (!out_path) cli_usage_error(cmd, "-o ALL.json is required (-o - for standard output)");
  for (size_t i = 0; i < n; i++) {
    size_t len;
    char *text = file_read_all(names[i], &len);
    if (!text) cli_usage_error(cmd, "%s: cannot read: %s", names[i], strerror(errno));
    char err[256];
    docs[i] = jv_parse(text, len, err, sizeof err);
    free(text);
    if (!docs[i]) cli_usage_error(cmd, "%s:%s", names[i], err + 5); /* "line N: ..." -> "FILE:N: ..." */
  }
  jv *merged;
  char err[1024];
  if (merge_results(docs, names, n, &merged, err, sizeof err)) cli_usage_error(cmd, "%s", err);
  if (write_doc(out_path, merged)) cli_usage_error(cmd, "%s: cannot write: %s", out_path, strerror(errno));
  for (size_t i = 0; i < n; i++) jv_free(docs[i]);
  jv_free(merged);
  free(docs);
  free(names);
  return MXC_EXIT_OK;
}
