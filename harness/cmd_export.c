/* mxconform export: the golden vectors of a tier as JSON, CSV or C headers (export.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "export.h"
#include "sha256.h"
#include "vectors.h"
#include "version.h"

static const char *const k_help =
    "usage: mxconform export --format json|csv|c-header [--tier smoke|standard | --vectors DIR] -o OUTDIR\n"
    "Write every suite of a tier of golden vectors (default: standard) as OUTDIR/<suite>.json,\n"
    ".csv or .h, for test frameworks that do not read .mxv files (GoogleTest, pytest, Rust),\n"
    "plus OUTDIR/index.json (each suite's header and file). Values are the .mxv file's bit\n"
    "patterns as 0x-prefixed lower-case hex; the layouts are described in vectors/FORMAT.md\n"
    "(\"Exported forms\"). Every file is checked against its MANIFEST and read before anything\n"
    "is written.\n"
    "Exit status: 0 written, 2 bad usage, unreadable vectors or a write error.\n";


static int write_file(const char *dir, const char *name, export_format fmt, const vec_suite *s) {
  char path[PATH_MAX], tmp[PATH_MAX + 32];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  if (!f) return -1;
  int bad = export_suite(f, fmt, s);
  bad |= fclose(f) != 0;
  if (bad || rename(tmp, path)) {
    unlink(tmp);
    return -1;
  }
  return 0;
}

/* One pass over the files a MANIFEST lists: each read, checked against its digest and
 * parsed (exit 2 on the first problem); with out, also written there and listed in index.
 * Returns the number of suites; adds their cases to *ncases (check pass only). */
static size_t export_pass(const char *cmd, const char *dir, const char *mpath, const char *manifest, export_format fmt,
                          const char *out, FILE *index, size_t *ncases) {
  char *m = strdup(manifest);
  if (!m) abort();
  size_t nsuites = 0;
  int line = 0;
  for (char *save = NULL, *l = strtok_r(m, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
    line++;
    if (l[0] == '#') continue;
    char sha[65], file[256];
    size_t cases;
    if (sscanf(l, "%64s %zu %255s", sha, &cases, file) != 3) cli_usage_error(cmd, "%s:%d: bad MANIFEST line", mpath, line);
    char path[PATH_MAX + 256], digest[65];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    size_t len;
    char *textbuf = file_read_all(path, &len);
    if (!textbuf) cli_usage_error(cmd, "%s: cannot read: %s", path, strerror(errno));
    sha256_hex(textbuf, len, digest);
    if (strcmp(digest, sha)) cli_usage_error(cmd, "%s: does not match its MANIFEST line %d", path, line);
    vec_suite s;
    char err[512];
    if (vec_parse(textbuf, len, path, &s, err, sizeof err)) cli_usage_error(cmd, "%s", err);
    free(textbuf);
    if (out) {
      char name[300];
      snprintf(name, sizeof name, "%s.%s", s.name, export_format_ext(fmt));
      if (write_file(out, name, fmt, &s)) cli_usage_error(cmd, "%s/%s: cannot write: %s", out, name, strerror(errno));
      fprintf(index, "%s\n  {\"file\": \"%s\", \"cases\": %zu, \"header\": ", nsuites ? "," : "", name, s.ncases);
      export_header_json(index, &s);
      fputc('}', index);
    } else *ncases += s.ncases;
    nsuites++;
    vec_suite_free(&s);
  }
  free(m);
  return nsuites;
}

int cmd_export(int argc, char **argv) {
  const char *cmd = "export", *tier = "standard", *vdir = NULL, *out = NULL, *fmt_s = NULL;
  int quiet = 0;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(k_help, stdout);
      return MXC_EXIT_OK;
    } else if ((v = cli_opt(cmd, argc, argv, &i, "--format"))) fmt_s = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--tier"))) tier = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--vectors"))) vdir = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "-o"))) out = v;
    else if (!strcmp(argv[i], "-q")) quiet = 1;
    else cli_usage_error(cmd, "unknown argument '%s'", argv[i]);
  }
  if (!fmt_s) cli_usage_error(cmd, "--format is required (json csv c-header)");
  int fmt = export_format_parse(fmt_s);
  if (fmt < 0) cli_usage_error(cmd, "bad --format '%s' (json csv c-header)", fmt_s);
  if (!out) cli_usage_error(cmd, "-o OUTDIR is required");
  char dir[PATH_MAX];
  if (vdir) snprintf(dir, sizeof dir, "%s", vdir);
  else snprintf(dir, sizeof dir, "%s/%s", version_vectors_root(), tier);
  char mpath[PATH_MAX + 16];
  snprintf(mpath, sizeof mpath, "%s/MANIFEST", dir);
  size_t mlen;
  char *manifest = file_read_all(mpath, &mlen);
  if (!manifest) cli_usage_error(cmd, "%s: cannot read: %s (--tier smoke|standard or --vectors DIR)", mpath, strerror(errno));
  /* every file is read, checked and parsed before anything is written */
  size_t ncases = 0, nsuites = export_pass(cmd, dir, mpath, manifest, (export_format)fmt, NULL, NULL, &ncases);
  if (mkdir(out, 0777) && errno != EEXIST) cli_usage_error(cmd, "%s: cannot create: %s", out, strerror(errno));
  char ipath[PATH_MAX];
  snprintf(ipath, sizeof ipath, "%s/index.json", out);
  FILE *index = fopen(ipath, "wb");
  if (!index) cli_usage_error(cmd, "%s: cannot write: %s", ipath, strerror(errno));
  fprintf(index, "{\"format\": \"mxconform-vectors-%s/1\", \"from\": \"%s\", \"suites\": [", fmt_s, dir);
  export_pass(cmd, dir, mpath, manifest, (export_format)fmt, out, index, &ncases);
  fputs("\n]}\n", index);
  if (fclose(index)) cli_usage_error(cmd, "%s: cannot write: %s", ipath, strerror(errno));
  free(manifest);
  if (!quiet) printf("export: %zu suites, %zu cases from %s as %s into %s\n", nsuites, ncases, dir, fmt_s, out);
  return MXC_EXIT_OK;
}
