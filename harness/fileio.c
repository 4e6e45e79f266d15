/* Reading and writing the harness's files (fileio.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

char *file_read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  do {
    if (n + 65536 > cap) {
      cap = cap ? 2 * cap : 1 << 20;
      buf = realloc(buf, cap);
      if (!buf) abort();
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    return NULL;
  }
  buf[n] = 0; /* the last read returned 0 with room left: n < cap */
  *len = n;
  return buf;
}

/* The temporary file being written, removed by a signal that ends the process there. */
static char g_tmp[2100];
static volatile sig_atomic_t g_tmp_live;

static void remove_tmp_and_die(int sig) {
  if (g_tmp_live) unlink(g_tmp);
  signal(sig, SIG_DFL);
  raise(sig);
}

/* The handlers that were there before file_stream_open, put back by file_stream_close. */
static const int g_sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
static struct sigaction g_old[4];

/* An exit() while a file is open (a usage error found after file_stream_open) removes it too. */
static void remove_tmp_at_exit(void) {
  if (g_tmp_live) unlink(g_tmp);
}

FILE *file_stream_open(const char *path) {
  static int at_exit;
  if (g_tmp_live) { /* one at a time: the signal handler knows one temporary file */
    errno = EBUSY;
    return NULL;
  }
  if (!at_exit) at_exit = !atexit(remove_tmp_at_exit);
  snprintf(g_tmp, sizeof g_tmp, "%s.tmp.%ld", path, (long)getpid());
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = remove_tmp_and_die;
  for (int i = 0; i < 4; i++) { /* a signal ignored from the start (nohup, `&`) stays ignored */
    sigaction(g_sigs[i], NULL, &g_old[i]);
    if (g_old[i].sa_handler != SIG_IGN) sigaction(g_sigs[i], &sa, NULL);
  }
  g_tmp_live = 1;
  FILE *f = fopen(g_tmp, "wb");
  if (!f) {
    int saved = errno;
    g_tmp_live = 0;
    for (int i = 0; i < 4; i++) sigaction(g_sigs[i], &g_old[i], NULL);
    errno = saved;
  }
  return f;
}

int file_stream_close(FILE *f, const char *path, int keep) {
  int bad = ferror(f) != 0;
  bad |= fclose(f) != 0;
  int rc = -1, saved = bad ? (errno ? errno : EIO) : 0;
  if (keep && !bad) {
    if (!rename(g_tmp, path)) rc = 0;
    else saved = errno;
  }
  if (rc) unlink(g_tmp);
  g_tmp_live = 0;
  for (int i = 0; i < 4; i++) sigaction(g_sigs[i], &g_old[i], NULL);
  errno = saved;
  return keep ? rc : 0;
}

int file_write_atomic(const char *path, const char *data, size_t len) {
  FILE *f = file_stream_open(path);
  if (!f) return -1;
  fwrite(data, 1, len, f); /* a short write sets the error flag, which file_stream_close reads */
  return file_stream_close(f, path, 1);
}

void json_write_str(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
    else if (*p == '\n') fputs("\\n", f);
    else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
    else fputc(*p, f);
  }
  fputc('"', f);
}
