/* mxconform CLI plumbing. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../oracle/oracle_print.h"
#include "vectors.h"

void cli_usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "mxconform %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(MXC_EXIT_USAGE);
}

const char *cli_opt(const char *cmd, int argc, char **argv, int *i, const char *name) {
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0) return NULL;
  if (a[n] == '=') return a + n + 1;
  if (a[n] != 0) return NULL;
  if (*i + 1 >= argc) cli_usage_error(cmd, "option %s needs a value", name);
  return argv[++*i];
}

static void list_formats(char *buf, size_t len, int want_source, int want_element) {
  buf[0] = 0;
  for (int f = 0; f < MX_FMT_COUNT; f++) {
    const mx_format_desc *d = mx_format((mx_fmt)f);
    if ((want_source && !d->is_source) || (want_element && !d->is_element)) continue;
    strncat(buf, buf[0] ? " " : "", len - strlen(buf) - 1);
    strncat(buf, d->name, len - strlen(buf) - 1);
  }
}

mx_fmt cli_format(const char *cmd, const char *name, int want_source, int want_element) {
  int f = mx_format_by_name(name);
  const mx_format_desc *d = f >= 0 ? mx_format((mx_fmt)f) : NULL;
  if (!d || (want_source && !d->is_source) || (want_element && !d->is_element)) {
    char list[256];
    list_formats(list, sizeof list, want_source, want_element);
    cli_usage_error(cmd, "unknown %sformat '%s' (one of: %s)",
                    want_source ? "source " : (want_element ? "element " : ""), name, list);
  }
  return (mx_fmt)f;
}

void cli_knob(const char *cmd, mx_convert_opts *o, const char *name, const char *value) {
  int r = mx_knob_set(o, name, value);
  if (r == 0) return;
  const mx_knob *k = mx_knob_find(name);
  if (!k) {
    char list[512] = "";
    for (const mx_knob *q = mx_knob_table; q->name; q++) {
      strncat(list, list[0] ? " " : "", sizeof list - strlen(list) - 1);
      strncat(list, q->name, sizeof list - strlen(list) - 1);
    }
    cli_usage_error(cmd, "unknown knob '%s' (knobs: %s)", name, list);
  }
  if (k->is_number) cli_usage_error(cmd, "bad value '%s' for %s (a number %u..%u)", value, name, k->min, k->max);
  char list[256] = "";
  for (int i = 0; k->values[i]; i++) {
    strncat(list, i ? " " : "", sizeof list - strlen(list) - 1);
    strncat(list, k->values[i], sizeof list - strlen(list) - 1);
  }
  cli_usage_error(cmd, "bad value '%s' for %s (one of: %s)", value, name, list);
}

const char *cli_split_assignment(const char *cmd, const char *a, char *name, size_t len) {
  const char *eq = strchr(a, '=');
  if (!eq || eq == a) cli_usage_error(cmd, "--knob wants NAME=VALUE, got '%s'", a);
  size_t n = (size_t)(eq - a);
  if (n >= len) cli_usage_error(cmd, "knob name too long in '%s'", a);
  memcpy(name, a, n);
  name[n] = 0;
  return eq + 1;
}

void cli_knob_assign(const char *cmd, mx_convert_opts *o, const char *a) {
  char name[64];
  const char *value = cli_split_assignment(cmd, a, name, sizeof name);
  cli_knob(cmd, o, name, value);
}

void cli_knobs_not_default(const mx_convert_opts *o, const char *prefix, char *buf, size_t len) {
  mx_convert_opts def;
  mx_convert_opts_default(&def);
  char a[64], b[64];
  size_t used = 0;
  buf[0] = 0;
  for (const mx_knob *k = mx_knob_table; k->name; k++) {
    if (!strcmp(k->name, "round") || !strcmp(k->name, "overflow")) continue;
    const char *x = mx_knob_get(o, k, a, sizeof a), *y = mx_knob_get(&def, k, b, sizeof b);
    if (strcmp(x, y) && used + strlen(prefix) + strlen(k->name) + strlen(x) + 2 < len)
      used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", prefix, k->name, x);
  }
}

uint64_t cli_u64(const char *cmd, const char *what, const char *text) {
  char *end = NULL;
  if (!text || !*text || *text == '-' || *text == '+' || isspace((unsigned char)*text))
    cli_usage_error(cmd, "bad %s '%s' (an unsigned number)", what, text ? text : "");
  errno = 0;
  unsigned long long v = strtoull(text, &end, 0);
  if (*end) cli_usage_error(cmd, "bad %s '%s' (an unsigned number)", what, text);
  /* strtoull saturates at 2^64-1: a value that does not fit is an error, never clamped */
  if (errno == ERANGE) cli_usage_error(cmd, "bad %s '%s' (larger than 2^64-1)", what, text);
  return (uint64_t)v;
}

uint64_t cli_u64_max(const char *cmd, const char *what, const char *text, uint64_t max) {
  uint64_t v = cli_u64(cmd, what, text);
  if (v > max) cli_usage_error(cmd, "bad %s '%s' (at most %llu)", what, text, (unsigned long long)max);
  return v;
}

void cli_shard(const char *cmd, const char *text, unsigned *i, unsigned *n) {
  const char *slash = strchr(text, '/');
  char a[64];
  if (!slash || (size_t)(slash - text) >= sizeof a || !slash[1] || slash == text)
    cli_usage_error(cmd, "bad --shard '%s' (want i/n with 0 <= i < n)", text);
  snprintf(a, sizeof a, "%.*s", (int)(slash - text), text);
  uint64_t x = cli_u64_max(cmd, "--shard index", a, UINT_MAX), y = cli_u64_max(cmd, "--shard count", slash + 1, UINT_MAX);
  if (y == 0 || x >= y) cli_usage_error(cmd, "bad --shard '%s' (want i/n with 0 <= i < n)", text);
  *i = (unsigned)x;
  *n = (unsigned)y;
}

FILE *cli_open_regular(const char *path, char *err, size_t errlen) {
  /* O_NONBLOCK: opening a FIFO without a writer must not hang before the check */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "%s: cannot read: not a regular file", path);
    close(fd);
    return NULL;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  FILE *f = fdopen(fd, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    close(fd);
  }
  return f;
}

/* A hex integer literal ("0x3f800000") is a bit pattern; anything else is a number. */
static int is_bits_literal(const char *s) {
  if (!(s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2])) return 0;
  for (const char *p = s + 2; *p; p++)
    if (!isxdigit((unsigned char)*p)) return 0;
  return 1;
}

uint64_t cli_parse_value(const char *cmd, mx_fmt src, const char *text, int *rounded) {
  const mx_format_desc *d = mx_format(src);
  *rounded = 0;
  if (is_bits_literal(text)) {
    uint64_t b = cli_u64(cmd, "bit pattern", text);
    if (d->bits < 64 && b >> d->bits)
      cli_usage_error(cmd, "bit pattern %s does not fit in %s (%d bits)", text, d->name, d->bits);
    return b;
  }
  mpfr_t x;
  mpfr_init2(x, 2048);
  char *end = NULL;
  const char *t = text;
  int neg = 0;
  if (*t == '-' || *t == '+') neg = *t++ == '-';
  if (!strcasecmp(t, "nan")) mpfr_set_nan(x);
  else if (!strcasecmp(t, "inf") || !strcasecmp(t, "infinity")) mpfr_set_inf(x, 1);
  else if (mpfr_strtofr(x, t, &end, 0, MPFR_RNDN), !*t || *end)
    cli_usage_error(cmd, "bad value '%s' (a bit pattern like 0x3f800000, or a number like 464, 0x1.dp+8, -inf, nan)",
                    text);
  int nan = mpfr_nan_p(x) != 0;
  if (neg) mpfr_neg(x, x, MPFR_RNDN);
  uint64_t bits = 0;
  *rounded = mxo_number_to_source(src, x, &bits);
  mpfr_clear(x);
  /* MPFR's NaN has no sign: "-nan" is the quiet NaN with the sign bit set, as typed */
  if (nan && neg) bits |= (uint64_t)1 << (d->bits - 1);
  return bits;
}

/* A comma list of hex words ("7f,80" or "0x7f,0x80"), each below 2^bits, into out[max];
 * returns the count. Exits 2 on bad text. */
size_t cli_hex_list(const char *cmd, const char *what, const char *text, int bits, uint64_t *out, size_t max) {
  size_t n = 0;
  for (const char *p = text;;) {
    const char *e = strchr(p, ',');
    if (!e) e = p + strlen(p);
    const char *a = p + ((e - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) ? 2 : 0);
    if (n == max) cli_usage_error(cmd, "%s: more than %zu values", what, max);
    if (vec_hex_word(a, e, bits, &out[n]))
      cli_usage_error(cmd, "%s: '%.*s' is not a hex word of at most %d bits", what, (int)(e - p), p, bits);
    n++;
    if (!*e) return n;
    p = e + 1;
  }
}
