/* mxconform export: a suite as JSON, CSV or a C header (export.h). */
#include "export.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 8

/* A suite's canonical text, split: header lines and rows of fields. */
typedef struct text {
  char *buf;
  size_t len;
  char *cols[MAX_COLS];
  int ncols;
  char *data; /* first case line */
} text;

/* The header lines end where "# columns: " begins (load cuts the text there). */
static int header_line(const char *p) { return p[0] == '#' && strncmp(p, "# columns: ", 11); }

static int is_list_column(const char *col) {
  static const char *const lists[] = {"values", "codes", "scales", "scales_a", "codes_a", "scales_b", "codes_b", NULL};
  for (int i = 0; lists[i]; i++)
    if (!strcmp(col, lists[i])) return 1;
  return 0;
}

static int load(const vec_suite *s, text *t) {
  memset(t, 0, sizeof *t);
  FILE *m = open_memstream(&t->buf, &t->len);
  if (!m || vec_write(m, s) || fclose(m)) return -1;
  char *cols = strstr(t->buf, "\n# columns: ");
  if (!cols) return -1;
  cols += 12;
  char *eol = strchr(cols, '\n');
  *eol = 0;
  t->data = eol + 1;
  for (char *save = NULL, *c = strtok_r(cols, " ", &save); c && t->ncols < MAX_COLS; c = strtok_r(NULL, " ", &save))
    t->cols[t->ncols++] = c;
  return 0;
}

/* Call `each` on every value of field `f` (length n) of column `col`: a list's items, pack's
 * bytes, an absent value ("-") once with NULL. */
typedef void (*value_fn)(FILE *out, const char *hex, size_t n, int first);
static size_t for_values(FILE *out, const char *col, const char *f, size_t n, value_fn each) {
  if (n == 1 && f[0] == '-') {
    each(out, NULL, 0, 1);
    return 1;
  }
  size_t count = 0;
  if (!strcmp(col, "packed")) {
    for (size_t i = 0; i < n; i += 2) each(out, f + i, 2, !count++);
    return count;
  }
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && f[j] != ',') j++;
    each(out, f + i, j - i, !count++);
    i = j + 1;
  }
  return count;
}

static void json_value(FILE *o, const char *hex, size_t n, int first) {
  if (!first) fputs(", ", o);
  if (hex) fprintf(o, "\"0x%.*s\"", (int)n, hex);
  else fputs("null", o);
}

static void csv_value(FILE *o, const char *hex, size_t n, int first) {
  if (!first) fputc(' ', o);
  if (hex) fprintf(o, "0x%.*s", (int)n, hex);
}

static void c_value(FILE *o, const char *hex, size_t n, int first) {
  (void)first;
  if (hex) fprintf(o, "0x%.*sULL, ", (int)n, hex);
  else fputs("MXV_NONE, ", o);
}

static void ident(char *dst, size_t len, const char *name, int upper) {
  size_t i = 0;
  for (; name[i] && i + 1 < len; i++) {
    char c = isalnum((unsigned char)name[i]) ? name[i] : '_';
    dst[i] = (char)(upper ? toupper((unsigned char)c) : tolower((unsigned char)c));
  }
  dst[i] = 0;
}

/* The fields of one case line [p, end): their starts and lengths. */
static int split_fields(const char *p, const char *end, const char **f, size_t *n) {
  int k = 0;
  while (p < end && k < MAX_COLS) {
    const char *q = p;
    while (q < end && *q != ' ') q++;
    f[k] = p;
    n[k++] = (size_t)(q - p);
    p = q + 1;
  }
  return k;
}

static void write_header_object(FILE *f, const char *buf) {
  fputc('{', f);
  int first = 1;
  for (const char *p = buf; header_line(p);) {
    const char *eol = strchr(p, '\n');
    const char *colon = strstr(p, ": ");
    if (colon && colon < eol) {
      fprintf(f, "%s\"%.*s\": \"", first ? "" : ", ", (int)(colon - p - 2), p + 2);
      for (const char *c = colon + 2; c < eol; c++) {
        if (*c == '"' || *c == '\\') fputc('\\', f);
        fputc(*c, f);
      }
      fputc('"', f);
      first = 0;
    } else if (!colon || colon > eol) { /* "# mxconform-vectors 1" */
      fprintf(f, "%s\"magic\": \"%.*s\"", first ? "" : ", ", (int)(eol - p - 2), p + 2);
      first = 0;
    }
    p = eol + 1;
  }
  fputc('}', f);
}

int export_header_json(FILE *f, const vec_suite *s) {
  text t;
  if (load(s, &t)) return -1;
  write_header_object(f, t.buf);
  free(t.buf);
  return ferror(f) ? -1 : 0;
}

static void write_json(FILE *f, const vec_suite *s, const text *t) {
  fprintf(f, "{\"format\": \"mxconform-vectors-json/1\", \"suite\": \"%s\",\n \"header\": ", s->name);
  write_header_object(f, t->buf);
  fputs(",\n \"columns\": [", f);
  for (int c = 0; c < t->ncols; c++) fprintf(f, "%s\"%s\"", c ? ", " : "", t->cols[c]);
  fputs("],\n \"cases\": [", f);
  size_t row = 0;
  for (const char *p = t->data; *p; row++) {
    const char *eol = strchr(p, '\n');
    const char *fs[MAX_COLS];
    size_t ns[MAX_COLS];
    int k = split_fields(p, eol, fs, ns);
    fputs(row ? ",\n  [" : "\n  [", f);
    for (int c = 0; c < k && c < t->ncols; c++) {
      int list = is_list_column(t->cols[c]) || !strcmp(t->cols[c], "packed");
      if (c) fputs(", ", f);
      if (list) fputc('[', f);
      for_values(f, t->cols[c], fs[c], ns[c], json_value);
      if (list) fputc(']', f);
    }
    fputc(']', f);
    p = eol + 1;
  }
  fputs("\n ]}\n", f);
}

static void write_csv(FILE *f, const text *t) {
  for (int c = 0; c < t->ncols; c++) fprintf(f, "%s%s", c ? "," : "", t->cols[c]);
  fputc('\n', f);
  for (const char *p = t->data; *p;) {
    const char *eol = strchr(p, '\n');
    const char *fs[MAX_COLS];
    size_t ns[MAX_COLS];
    int k = split_fields(p, eol, fs, ns);
    for (int c = 0; c < k && c < t->ncols; c++) {
      if (c) fputc(',', f);
      for_values(f, t->cols[c], fs[c], ns[c], csv_value);
    }
    fputc('\n', f);
    p = eol + 1;
  }
}

static void write_c_header(FILE *f, const vec_suite *s, const text *t) {
  char lo[160], up[160];
  ident(lo, sizeof lo, s->name, 0);
  ident(up, sizeof up, s->name, 1);
  /* column widths from the first case: every case of a suite has the same shape */
  size_t width[MAX_COLS] = {0}, total = 0;
  FILE *null = fopen("/dev/null", "w");
  if (*t->data && null) {
    const char *fs[MAX_COLS];
    size_t ns[MAX_COLS];
    int k = split_fields(t->data, strchr(t->data, '\n'), fs, ns);
    for (int c = 0; c < k && c < t->ncols; c++) total += width[c] = for_values(null, t->cols[c], fs[c], ns[c], csv_value);
  }
  if (null) fclose(null);
  fprintf(f, "/* mxconform golden vectors, suite %s: generated by `mxconform export --format c-header`\n"
             " * from the .mxv file (vectors/FORMAT.md); every expected value is the MPFR oracle's.\n * ",
          s->name);
  for (const char *p = t->buf; header_line(p);) {
    const char *eol = strchr(p, '\n');
    fprintf(f, "%.*s%s", (int)(eol - p - 2), p + 2, header_line(eol + 1) ? "; " : "");
    p = eol + 1;
  }
  fprintf(f, "\n * One row of %zu words per case: the columns below, in order. */\n", total);
  fprintf(f, "#ifndef MXV_%s_H\n#define MXV_%s_H\n#include <stdint.h>\n#ifndef MXV_NONE\n"
             "#define MXV_NONE UINT64_MAX /* dot: no accumulator input C */\n#endif\n",
          up, up);
  fprintf(f, "#define MXV_%s_CASES %zu\n#define MXV_%s_WORDS %zu\n", up, s->ncases, up, total ? total : 1);
  size_t at = 0;
  for (int c = 0; c < t->ncols; c++) {
    char cu[32];
    ident(cu, sizeof cu, t->cols[c], 1);
    fprintf(f, "#define MXV_%s_COL_%s %zu\n#define MXV_%s_LEN_%s %zu\n", up, cu, at, up, cu, width[c]);
    at += width[c];
  }
  fprintf(f, "static const uint64_t mxv_%s[%zu][%zu] = {\n", lo, s->ncases ? s->ncases : 1, total ? total : 1);
  for (const char *p = t->data; *p;) {
    const char *eol = strchr(p, '\n');
    const char *fs[MAX_COLS];
    size_t ns[MAX_COLS];
    int k = split_fields(p, eol, fs, ns);
    fputs("  {", f);
    for (int c = 0; c < k && c < t->ncols; c++) for_values(f, t->cols[c], fs[c], ns[c], c_value);
    fputs("},\n", f);
    p = eol + 1;
  }
  fputs("};\n#endif\n", f);
}

int export_format_parse(const char *name) {
  static const char *const names[] = {"json", "csv", "c-header", NULL};
  for (int i = 0; names[i]; i++)
    if (!strcmp(name, names[i])) return i;
  return -1;
}

const char *export_format_ext(export_format fmt) {
  static const char *const ext[] = {"json", "csv", "h"};
  return ext[fmt];
}

int export_suite(FILE *f, export_format fmt, const vec_suite *s) {
  text t;
  if (load(s, &t)) return -1;
  if (fmt == EXPORT_JSON) write_json(f, s, &t);
  else if (fmt == EXPORT_CSV) write_csv(f, &t);
  else write_c_header(f, s, &t);
  free(t.buf);
  return ferror(f) ? -1 : 0;
}
