/* A small JSON reader (json.h): recursive descent over the text, one allocation per
 * string and per array/object. */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64

typedef struct reader {
  const char *p, *end, *start;
  char *err;
  size_t errlen;
  int failed;
} reader;

static int fail(reader *r, const char *fmt, ...) {
  if (r->failed) return -1;
  r->failed = 1;
  size_t line = 1;
  for (const char *q = r->start; q < r->p && q < r->end; q++) line += *q == '\n';
  int o = snprintf(r->err, r->errlen, "line %zu: ", line);
  va_list ap;
  va_start(ap, fmt);
  if (o >= 0 && (size_t)o < r->errlen) vsnprintf(r->err + o, r->errlen - (size_t)o, fmt, ap);
  va_end(ap);
  return -1;
}

static void skip_space(reader *r) {
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) r->p++;
}

static int literal(reader *r, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n)) return fail(r, "unexpected text (not a JSON value)");
  r->p += n;
  return 0;
}

static int hex4(reader *r, unsigned *u) {
  *u = 0;
  if (r->end - r->p < 4) return fail(r, "truncated \\u escape");
  for (int i = 0; i < 4; i++) {
    char c = *r->p++;
    unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
               : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
    if (d > 15) return fail(r, "bad \\u escape");
    *u = *u << 4 | d;
  }
  return 0;
}

static size_t put_utf8(char *o, unsigned u) {
  if (u < 0x80) { o[0] = (char)u; return 1; }
  if (u < 0x800) { o[0] = (char)(0xC0 | u >> 6); o[1] = (char)(0x80 | (u & 0x3F)); return 2; }
  if (u < 0x10000) {
    o[0] = (char)(0xE0 | u >> 12); o[1] = (char)(0x80 | (u >> 6 & 0x3F)); o[2] = (char)(0x80 | (u & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | u >> 18); o[1] = (char)(0x80 | (u >> 12 & 0x3F));
  o[2] = (char)(0x80 | (u >> 6 & 0x3F)); o[3] = (char)(0x80 | (u & 0x3F));
  return 4;
}

/* A string at r->p (after the opening quote); the decoded text is never longer than the
 * source text, so one buffer of that size holds it. */
static int string(reader *r, char **out) {
  const char *q = r->p;
  while (q < r->end && *q != '"') q += *q == '\\' ? 2 : 1;
  if (q >= r->end) return fail(r, "unterminated string");
  char *s = malloc((size_t)(q - r->p) + 1), *o = s;
  if (!s) abort();
  while (r->p < q) {
    unsigned char c = (unsigned char)*r->p++;
    if (c < 0x20) { free(s); return fail(r, "control character in a string"); }
    if (c != '\\') { *o++ = (char)c; continue; }
    char e = *r->p++;
    unsigned u;
    switch (e) {
    case '"': case '\\': case '/': *o++ = e; break;
    case 'b': *o++ = '\b'; break;
    case 'f': *o++ = '\f'; break;
    case 'n': *o++ = '\n'; break;
    case 'r': *o++ = '\r'; break;
    case 't': *o++ = '\t'; break;
    case 'u':
      if (hex4(r, &u)) { free(s); return -1; }
      if (u >= 0xD800 && u < 0xDC00 && q - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u') {
        unsigned lo;
        r->p += 2;
        if (hex4(r, &lo)) { free(s); return -1; }
        u = lo >= 0xDC00 && lo < 0xE000 ? 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00) : 0xFFFD;
      } else if (u >= 0xD800 && u < 0xE000) {
        u = 0xFFFD; /* a lone surrogate */
      }
      o += put_utf8(o, u); /* at most as long as the escape it replaces */
      break;
    default: free(s); return fail(r, "bad escape '\\%c'", e);
    }
  }
  *o = 0;
  r->p = q + 1;
  *out = s;
  return 0;
}

static int number(reader *r, double *v, char **text) {
  const char *q = r->p;
  if (q < r->end && *q == '-') q++;
  if (q >= r->end || *q < '0' || *q > '9') return fail(r, "unexpected text (not a JSON value)");
  while (q < r->end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' || *q == '+' || *q == '-')) q++;
  char buf[64];
  size_t n = (size_t)(q - r->p);
  if (n >= sizeof buf) return fail(r, "number too long");
  memcpy(buf, r->p, n);
  buf[n] = 0;
  char *e;
  *v = strtod(buf, &e);
  if (*e) return fail(r, "bad number '%s'", buf);
  *text = malloc(n + 1);
  if (!*text) abort();
  memcpy(*text, buf, n + 1);
  r->p = q;
  return 0;
}

static int value(reader *r, json_value *v, int depth);

static json_value *push(json_value *v, size_t *cap) {
  if (v->n == *cap) {
    *cap = *cap ? 2 * *cap : 8;
    v->items = realloc(v->items, *cap * sizeof *v->items);
    if (!v->items) abort();
  }
  json_value *x = &v->items[v->n++];
  memset(x, 0, sizeof *x);
  return x;
}

/* An array or object body after its opening bracket. */
static int container(reader *r, json_value *v, int depth, char close) {
  size_t cap = 0;
  skip_space(r);
  if (r->p < r->end && *r->p == close) {
    r->p++;
    return 0;
  }
  for (;;) {
    skip_space(r);
    json_value *x = push(v, &cap);
    if (close == '}') {
      if (r->p >= r->end || *r->p != '"') return fail(r, "expected a member name");
      r->p++;
      if (string(r, &x->key)) return -1;
      skip_space(r);
      if (r->p >= r->end || *r->p != ':') return fail(r, "expected ':' after a member name");
      r->p++;
    }
    if (value(r, x, depth + 1)) return -1;
    skip_space(r);
    if (r->p < r->end && *r->p == ',') { r->p++; continue; }
    if (r->p < r->end && *r->p == close) { r->p++; return 0; }
    return fail(r, "expected ',' or '%c'", close);
  }
}

static int value(reader *r, json_value *v, int depth) {
  if (depth > JSON_MAX_DEPTH) return fail(r, "nested deeper than %d levels", JSON_MAX_DEPTH);
  skip_space(r);
  if (r->p >= r->end) return fail(r, "unexpected end of the document");
  switch (*r->p) {
  case '{': r->p++; v->type = JSON_OBJECT; return container(r, v, depth, '}');
  case '[': r->p++; v->type = JSON_ARRAY; return container(r, v, depth, ']');
  case '"': r->p++; v->type = JSON_STRING; return string(r, &v->string);
  case 't': v->type = JSON_BOOL; v->boolean = 1; return literal(r, "true");
  case 'f': v->type = JSON_BOOL; return literal(r, "false");
  case 'n': v->type = JSON_NULL; return literal(r, "null");
  default: v->type = JSON_NUMBER; return number(r, &v->number, &v->string);
  }
}

static void free_inside(json_value *v) {
  for (size_t i = 0; i < v->n; i++) free_inside(&v->items[i]);
  free(v->items);
  free(v->string);
  free(v->key);
}

void json_free(json_value *v) {
  if (!v) return;
  free_inside(v);
  free(v);
}

json_value *json_parse(const char *text, size_t len, char *err, size_t errlen) {
  reader r = {text, text + len, text, err, errlen, 0};
  json_value *v = calloc(1, sizeof *v);
  if (!v) abort();
  if (err && errlen) err[0] = 0;
  if (value(&r, v, 0) == 0) {
    skip_space(&r);
    if (r.p == r.end) return v;
    fail(&r, "text after the document");
  }
  json_free(v);
  return NULL;
}

const json_value *json_get(const json_value *v, const char *key) {
  if (!v || v->type != JSON_OBJECT) return NULL;
  for (size_t i = 0; i < v->n; i++)
    if (v->items[i].key && !strcmp(v->items[i].key, key)) return &v->items[i];
  return NULL;
}

const char *json_get_str(const json_value *v, const char *key, const char *dflt) {
  const json_value *x = json_get(v, key);
  return x && x->type == JSON_STRING ? x->string : dflt;
}

double json_get_num(const json_value *v, const char *key, double dflt) {
  const json_value *x = json_get(v, key);
  return x && x->type == JSON_NUMBER ? x->number : dflt;
}

size_t json_get_len(const json_value *v, const char *key) {
  const json_value *x = json_get(v, key);
  return x && x->type == JSON_ARRAY ? x->n : 0;
}
