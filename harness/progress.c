/* Progress lines on standard error (progress.h). */
#include "progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TTY_INTERVAL 0.2
#define PLAIN_INTERVAL 30.0
#define QUIET_START 1.0 /* nothing for work that ends within its first second */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void progress_duration(double s, char *buf, size_t len) {
  if (s < 0 || s > 1e9) {
    snprintf(buf, len, "?");
    return;
  }
  unsigned long t = (unsigned long)(s + 0.5);
  if (t >= 3600) snprintf(buf, len, "%luh%02lum", t / 3600, t / 60 % 60);
  else if (t >= 60) snprintf(buf, len, "%lum%02lus", t / 60, t % 60);
  else snprintf(buf, len, "%lus", t);
}

/* 1234567 -> "1.23M" */
static void human(double x, char *buf, size_t len) {
  static const char *const suffix[] = {"", "k", "M", "G", "T"};
  int i = 0;
  while (x >= 1000 && i < 4) {
    x /= 1000;
    i++;
  }
  snprintf(buf, len, i ? "%.3g%s" : "%.0f%s", x, suffix[i]);
}

void progress_start(progress *p, const char *what, const char *unit, uint64_t total, int quiet) {
  memset(p, 0, sizeof *p);
  snprintf(p->what, sizeof p->what, "%s", what);
  p->unit = unit;
  p->total = total;
  p->f = stderr;
  p->t0 = now_s();
  /* MXC_PROGRESS=0|tty|plain and MXC_PROGRESS_INTERVAL=SECONDS (tests, log-heavy CI) */
  const char *env = getenv("MXC_PROGRESS"), *iv = getenv("MXC_PROGRESS_INTERVAL");
  if (quiet || (env && !strcmp(env, "0"))) p->mode = 0;
  else if (env && !strcmp(env, "tty")) p->mode = 1;
  else if (env && !strcmp(env, "plain")) p->mode = 2;
  else p->mode = isatty(fileno(stderr)) ? 1 : 2;
  p->interval = p->mode == 1 ? TTY_INTERVAL : PLAIN_INTERVAL;
  double first = p->mode == 2 ? PLAIN_INTERVAL : QUIET_START;
  if (iv && *iv) p->interval = first = atof(iv);
  p->next = p->t0 + first;
}

static void print_line(progress *p, double t, int final) {
  uint64_t done = __atomic_load_n(&p->done, __ATOMIC_RELAXED);
  double el = t - p->t0, rate = el > 0 ? (double)done / el : 0;
  char d[16], tot[16], r[16], eta[16], took[16];
  human((double)done, d, sizeof d);
  human((double)p->total, tot, sizeof tot);
  human(rate, r, sizeof r);
  progress_duration(rate > 0 && p->total >= done ? (double)(p->total - done) / rate : -1, eta, sizeof eta);
  progress_duration(el, took, sizeof took);
  double pct = p->total ? 100.0 * (double)done / (double)p->total : 100.0;
  if (p->mode == 1) fputs("\r\033[K", p->f);
  fprintf(p->f, "%s: %s/%s %s (%.1f%%), %s/s, %s %s", p->what, d, tot, p->unit, pct, r, final ? "took" : "ETA",
          final ? took : eta);
  fputs(p->mode == 1 ? "" : "\n", p->f);
  fflush(p->f);
  p->drawn = p->mode == 1;
  p->printed++;
}

static void maybe_print(progress *p) {
  double t = now_s();
  if (t < p->next) return;
  if (__atomic_exchange_n(&p->busy, 1, __ATOMIC_ACQUIRE)) return; /* another thread prints */
  if (t >= p->next) {
    print_line(p, t, 0);
    p->next = t + p->interval;
  }
  __atomic_store_n(&p->busy, 0, __ATOMIC_RELEASE);
}

void progress_add(progress *p, uint64_t n) {
  if (!p || !p->mode) return;
  __atomic_fetch_add(&p->done, n, __ATOMIC_RELAXED);
  maybe_print(p);
}

void progress_set(progress *p, uint64_t done) {
  if (!p || !p->mode) return;
  __atomic_store_n(&p->done, done, __ATOMIC_RELAXED);
  maybe_print(p);
}

void progress_hide(progress *p) {
  if (!p || p->mode != 1 || !p->drawn) return;
  fputs("\r\033[K", p->f);
  fflush(p->f);
  p->drawn = 0;
}

void progress_finish(progress *p) {
  if (!p || !p->mode) return;
  if (p->mode == 1) progress_hide(p);
  else if (p->printed) print_line(p, now_s(), 1); /* plain lines were printed: close them */
  p->mode = 0;
}
