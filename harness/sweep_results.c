/* sweep -o: the results.json of a sweep (sweep_results.h). */
#include "sweep_results.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "version.h"


static void write_knobs(FILE *f, const sweep_outcome *o) {
  mx_profile p = *o->profile;
  sweep_expected_opts(o->q, &p.o.elem);
  char vb[64];
  fputs("{\"name\": ", f);
  json_write_str(f, p.name);
  fputs(", \"knobs\": {", f);
  int first = 1;
  for (const char *const *k = mx_profile_keys(); *k; k++, first = 0) {
    fprintf(f, "%s\"%s\": ", first ? "" : ", ", *k);
    json_write_str(f, mx_profile_get(&p, *k, vb, sizeof vb));
  }
  fputs("}}", f);
}

/* fail > flaky > incomplete (results not observable: never checked) > pass */
static const char *sweep_status(const sweep_tally *t) {
  return t->mismatches ? "fail" : t->unreproduced ? "flaky" : t->unobserved ? "incomplete" : "pass";
}

static void write_suite(FILE *f, const sweep_outcome *o) {
  const sweep_req *q = o->q;
  const sweep_tally *t = o->tally;
  const char *src = mx_format(q->src)->name, *dst = mx_format(q->dst)->name;
  const char *rn = mx_round_names[q->round], *ov = mx_overflow_names[q->overflow];
  int w = mx_format(q->src)->bits / 4;
  fprintf(f, "    {\"name\": \"sweep.cvt.%s.%s.%s.%s\", \"op\": \"cvt\", \"formats\": {\"src\": \"%s\", \"dst\": \"%s\"}, "
             "\"params\": {\"round\": \"%s\", \"overflow\": \"%s\"}, \"status\": \"%s\",\n",
          src, dst, rn, ov, src, dst, rn, ov, sweep_status(t));
  /* cases: every input swept; the unobserved ones are neither passed nor failed */
  fprintf(f, "     \"cases\": %" PRIu64 ", \"passed\": %" PRIu64 ", \"failed\": %" PRIu64 ", \"dontcare\": 0, "
             "\"unsupported\": %" PRIu64 ", \"crashed\": %" PRIu64 ", \"unobserved\": %" PRIu64 ", \"seconds\": %.3f,\n",
          t->checked + t->unobserved, t->checked - t->mismatches, t->mismatches, t->unsupported, o->failed_chunks,
          t->unobserved, o->wall);
  if (t->unobserved) {
    fputs("     \"unobserved_examples\": [", f);
    for (uint64_t i = 0; i < t->unobserved && i < SWEEP_MAX_UNOBSERVED; i++)
      fprintf(f, "%s\"0x%0*" PRIx64 "\"", i ? ", " : "", w, t->unobserved_first[i]);
    fputs("],\n", f);
  }
  fprintf(f, "     \"ranges\": [[\"0x%0*" PRIx64 "\", \"0x%0*" PRIx64 "\"]],\n", w, o->lo, w, o->hi);
  fprintf(f, "     \"mismatches_by_class\": {\"zero\": %" PRIu64 ", \"subnormal\": %" PRIu64 ", \"normal\": %" PRIu64
             ", \"inf\": %" PRIu64 ", \"nan\": %" PRIu64 "},\n     \"failures\": [",
          t->by_class[MX_CLASS_ZERO], t->by_class[MX_CLASS_SUBNORMAL], t->by_class[MX_CLASS_NORMAL],
          t->by_class[MX_CLASS_INF], t->by_class[MX_CLASS_NAN]);
  for (unsigned i = 0; i < t->nfirst && i < o->show; i++) {
    char actual[16]; /* the words above any code: sweep.h */
    uint32_t a = t->first[i].actual;
    if (a == 0x200) snprintf(actual, sizeof actual, "refused");
    else if (a == SWEEP_CODE_NOT_EXPECTED) snprintf(actual, sizeof actual, "one of"); /* `?C1/..` without it */
    else if (a > 0xff) snprintf(actual, sizeof actual, "crash");
    else snprintf(actual, sizeof actual, "0x%02x", a);
    char rp[1024];
    sweep_reproduce(o->target_spec, o->profile_spec, o->profile, q, t->first[i].bits, rp, sizeof rp);
    fprintf(f, "%s\n       {\"input\": \"0x%0*" PRIx64 "\", \"expected\": \"0x%02x\", \"actual\": \"%s\", \"reproduce\": ",
            i ? "," : "", w, t->first[i].bits, t->first[i].expected, actual);
    json_write_str(f, rp);
    fputs("}", f);
  }
  fputs(t->nfirst && o->show ? "\n     ]}\n" : "]}\n", f);
}

static void write_doc(FILE *f, const sweep_outcome *o) {
  char ts[32];
  time_t now = time(NULL);
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  /* a misbehaviour no retry reproduced is never a pass (harness/RESULTS.md: flaky) */
  const char *verdict = sweep_status(o->tally);
  int pass = !strcmp(verdict, "pass"), incomplete = !strcmp(verdict, "incomplete");
  fprintf(f, "{\n  \"schema\": \"%s\",\n  \"tool\": {\"name\": \"mxconform\", \"version\": \"%s\"},\n  \"versions\": ",
          MXC_RESULTS_SCHEMA, MXC_VERSION);
  version_json(f, NULL);
  fputs(",\n  \"target\": {\"spec\": ", f);
  json_write_str(f, o->target_spec);
  fprintf(f, ", \"kind\": \"%s\", \"name\": ", target_kind(o->t));
  json_write_str(f, target_name(o->t));
  fputs(", \"version\": ", f);
  json_write_str(f, target_version(o->t));
  fputs("},\n  \"profile\": ", f);
  write_knobs(f, o);
  fprintf(f, ",\n  \"tier\": \"sweep\",\n  \"seed\": 0,\n  \"started_utc\": \"%s\",\n  \"wall_seconds\": %.3f,\n  \"command\": \"",
          ts, o->wall);
  for (int i = 0; i < o->argc; i++) {
    fputs(i ? " " : "mxconform ", f);
    for (const char *c = o->argv[i]; *c; c++) {
      if (*c == '"' || *c == '\\') fputc('\\', f);
      if ((unsigned char)*c >= 0x20) fputc(*c, f);
    }
  }
  fprintf(f, "\",\n  \"shard\": {\"index\": %u, \"count\": %u},\n  \"verdict\": \"%s\",\n", o->shard_i, o->shard_n,
          verdict);
  fprintf(f, "  \"totals\": {\"suites\": 1, \"pass\": %d, \"fail\": %d, \"unsupported\": 0, \"crash\": 0, \"timeout\": 0, "
             "\"protocol_error\": 0, \"incomplete\": %d, \"cases\": %" PRIu64 ", \"failed_cases\": %" PRIu64
             ", \"unobserved\": %" PRIu64 "},\n  \"suites\": [\n",
          pass, !pass && !incomplete, incomplete, o->tally->checked + o->tally->unobserved, o->tally->mismatches,
          o->tally->unobserved);
  write_suite(f, o);
  fputs("  ]\n}\n", f);
}

int sweep_results_write(const char *path, const sweep_outcome *o) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) abort();
  write_doc(f, o);
  fclose(f);
  int rc = file_write_atomic(path, buf, len);
  free(buf);
  return rc;
}
