/* mxconform explain: the terminal story of a run from its results.json (story.h), for CI
 * logs and for reading a run again later. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "json.h"
#include "story.h"


/* The run's own header and totals around the story, as `run` prints them. */
static void print_header(const json_value *d, const char *path) {
  const json_value *t = json_get(d, "target");
  const json_value *seed = json_get(d, "seed");
  printf("%s: target %s (%s %s), profile %s, tier %s, seed %s\n", path, json_get_str(t, "spec", "?"),
         json_get_str(t, "name", "?"), json_get_str(t, "version", "?"),
         json_get_str(json_get(d, "profile"), "name", "?"), json_get_str(d, "tier", "?"),
         seed && seed->type == JSON_NUMBER ? seed->string : "?");
}

static void print_totals(const json_value *d) {
  const json_value *t = json_get(d, "totals");
  printf("  suites %.0f: pass %.0f, fail %.0f, unsupported %.0f, crash %.0f, timeout %.0f, protocol-error %.0f\n",
         json_get_num(t, "suites", 0), json_get_num(t, "pass", 0), json_get_num(t, "fail", 0),
         json_get_num(t, "unsupported", 0), json_get_num(t, "crash", 0), json_get_num(t, "timeout", 0),
         json_get_num(t, "protocol_error", 0));
  printf("  cases %.0f, failed %.0f\n", json_get_num(t, "cases", 0), json_get_num(t, "failed_cases", 0));
  const char *summary = json_get_str(json_get(d, "detected_profile"), "summary", NULL);
  if (summary) printf("  profile: %s\n", summary);
}

int cmd_explain(int argc, char **argv) {
  const char *cmd = "explain", *path = NULL;
  story_opts o = {0, 0, 0};
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--show"))) o.show = (unsigned)cli_u64(cmd, "--show", v);
    else if (!strcmp(argv[i], "-v")) o.verbose = 1;
    else if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform explain results.json [--show N] [-v]\n"
             "The story of a run from its results file: each failure class with its pattern, the first\n"
             "failures and the command that reproduces each against the target, a summary per class and\n"
             "the profile that would accept the knob choices detection found. --show N: N failures of\n"
             "every failing suite; -v: every failure the file holds. Colour on a terminal unless NO_COLOR.\n"
             "Exit status: the run's (0 pass, 1 fail, 3 target unusable), 2 when the file is unreadable.\n");
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1]) cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    else if (path) cli_usage_error(cmd, "one results file at a time (got '%s' and '%s')", path, argv[i]);
    else path = argv[i];
  }
  if (!path) cli_usage_error(cmd, "give a results.json (mxconform run -o results.json)");
  size_t len = 0;
  char *text = file_read_all(path, &len), err[256];
  if (!text) cli_usage_error(cmd, "%s: cannot read: %s", path, strerror(errno));
  json_value *d = json_parse(text, len, err, sizeof err);
  if (!d) {
    free(text);
    cli_usage_error(cmd, "%s:%s", path, err + 5); /* "line N: reason" -> "path:N: reason" */
  }
  const char *schema = json_get_str(d, "schema", "");
  if (strncmp(schema, "mxconform-results/", 18)) {
    json_free(d);
    free(text);
    cli_usage_error(cmd, "%s: not an mxconform results file (no \"schema\": \"mxconform-results/...\")", path);
  }
  const char *nc = getenv("NO_COLOR");
  o.color = isatty(1) && !(nc && nc[0]);
  print_header(d, path);
  story_print(stdout, text, len, &o);
  print_totals(d);
  const char *verdict = json_get_str(d, "verdict", "?");
  printf("VERDICT: %s\n", !strcmp(verdict, "pass") ? "PASS" : !strcmp(verdict, "fail") ? "FAIL" : "ERROR");
  int status = !strcmp(verdict, "pass") ? 0 : !strcmp(verdict, "error") ? 3 : 1;
  json_free(d);
  free(text);
  return status;
}
