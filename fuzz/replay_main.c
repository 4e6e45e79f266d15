/* replay_main.c — runs a fuzz target's LLVMFuzzerTestOneInput over files, without
 * libFuzzer, so that every CI run replays the committed corpora and crash reproducers.
 *
 *     replay_<name> PATH...
 *
 * PATH is a file or a directory (its regular files, not recursive, in name order; names
 * starting with '.' are skipped, so a directory may hold a .gitkeep). Arguments starting
 * with '-' are ignored, so a libFuzzer command line works too. A property violation
 * aborts (the target prints the input first); a clean run prints how many inputs ran and
 * exits 0. A path that does not exist is an error (exit 2): a misspelt corpus directory
 * must not pass silently.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional, as in libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static size_t run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "replay: cannot open %s\n", path);
    exit(2);
  }
  size_t cap = 4096, len = 0, n;
  uint8_t *buf = malloc(cap);
  if (!buf) abort();
  while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) abort();
    }
  }
  fclose(f);
  /* an exactly-sized copy: a sanitizer build sees any read past the end */
  uint8_t *exact = malloc(len ? len : 1);
  if (!exact) abort();
  memcpy(exact, buf, len);
  free(buf);
  fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
  LLVMFuzzerTestOneInput(exact, len);
  free(exact);
  return 1;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static size_t run_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    fprintf(stderr, "replay: cannot open directory %s\n", path);
    exit(2);
  }
  size_t n = 0, cap = 64, ran = 0;
  char **names = malloc(cap * sizeof *names);
  if (!names) abort();
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      cap *= 2;
      names = realloc(names, cap * sizeof *names);
      if (!names) abort();
    }
    size_t len = strlen(path) + strlen(e->d_name) + 2;
    names[n] = malloc(len);
    if (!names[n]) abort();
    snprintf(names[n], len, "%s/%s", path, e->d_name);
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) ran += run_file(names[i]);
    free(names[i]);
  }
  free(names);
  return ran;
}

int main(int argc, char **argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  size_t ran = 0;
  int paths = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-') continue;
    paths++;
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
      return 2;
    }
    ran += S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i]);
  }
  if (!paths) {
    fprintf(stderr, "usage: %s FILE_OR_DIRECTORY...\n", argv[0]);
    return 2;
  }
  fprintf(stderr, "replay: %zu inputs ran cleanly\n", ran);
  return 0;
}
