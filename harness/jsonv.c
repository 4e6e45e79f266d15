/* JSON document tree (jsonv.h). */
#include "jsonv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
  const char *p, *end, *start;
  char *err;
  size_t errlen;
  int failed;
} parser;

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) abort();
  return p;
}

static char *xstrndup(const char *s, size_t n) {
  char *d = xmalloc(n + 1);
  memcpy(d, s, n);
  d[n] = 0;
  return d;
}

static jv *fail(parser *ps, const char *what) {
  if (!ps->failed) {
    int line = 1;
    for (const char *q = ps->start; q < ps->p && q < ps->end; q++) line += *q == '\n';
    snprintf(ps->err, ps->errlen, "line %d: %s", line, what);
  }
  ps->failed = 1;
  return NULL;
}

static void skip_ws(parser *ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) ps->p++;
}

jv *jv_new(jv_kind kind) {
  jv *v = xmalloc(sizeof *v);
  memset(v, 0, sizeof *v);
  v->kind = kind;
  return v;
}

static void grow(jv *v) {
  if (v->n < v->cap) return;
  v->cap = v->cap ? 2 * v->cap : 8;
  v->items = realloc(v->items, v->cap * sizeof *v->items);
  if (!v->items) abort();
  if (v->kind == JV_OBJ) {
    v->keys = realloc(v->keys, v->cap * sizeof *v->keys);
    if (!v->keys) abort();
  }
}

/* The raw text of a string at ps->p (after its opening quote); advances past the close. */
static char *parse_string_raw(parser *ps) {
  const char *s = ++ps->p;
  while (ps->p < ps->end && *ps->p != '"') {
    if ((unsigned char)*ps->p < 0x20) return fail(ps, "control character in a string"), NULL;
    if (*ps->p == '\\') {
      if (++ps->p >= ps->end) break;
      if (!strchr("\"\\/bfnrtu", *ps->p)) return fail(ps, "bad escape in a string"), NULL;
    }
    ps->p++;
  }
  if (ps->p >= ps->end) return fail(ps, "unterminated string"), NULL;
  char *r = xstrndup(s, (size_t)(ps->p - s));
  ps->p++;
  return r;
}

static jv *parse_value(parser *ps, int depth);

static jv *parse_container(parser *ps, int depth, int object) {
  jv *v = jv_new(object ? JV_OBJ : JV_ARR);
  char close = object ? '}' : ']';
  ps->p++;
  skip_ws(ps);
  if (ps->p < ps->end && *ps->p == close) {
    ps->p++;
    return v;
  }
  for (;;) {
    char *key = NULL;
    skip_ws(ps);
    if (object) {
      if (ps->p >= ps->end || *ps->p != '"') goto bad_key;
      if (!(key = parse_string_raw(ps))) goto bad;
      skip_ws(ps);
      if (ps->p >= ps->end || *ps->p != ':') {
        free(key);
        fail(ps, "expected ':' after a key");
        goto bad;
      }
      ps->p++;
    }
    jv *item = parse_value(ps, depth + 1);
    if (!item) {
      free(key);
      goto bad;
    }
    grow(v);
    if (object) v->keys[v->n] = key;
    v->items[v->n++] = item;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ',') {
      ps->p++;
      continue;
    }
    if (ps->p < ps->end && *ps->p == close) {
      ps->p++;
      return v;
    }
    fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
    goto bad;
  }
bad_key:
  fail(ps, "expected a string key");
bad:
  jv_free(v);
  return NULL;
}

static jv *parse_value(parser *ps, int depth) {
  if (depth > 64) return fail(ps, "nested too deeply");
  skip_ws(ps);
  if (ps->p >= ps->end) return fail(ps, "unexpected end of document");
  char c = *ps->p;
  if (c == '{' || c == '[') return parse_container(ps, depth, c == '{');
  if (c == '"') {
    char *s = parse_string_raw(ps);
    if (!s) return NULL;
    jv *v = jv_new(JV_STR);
    v->text = s;
    return v;
  }
  static const struct { const char *word; jv_kind kind; int b; } words[] = {
      {"true", JV_BOOL, 1}, {"false", JV_BOOL, 0}, {"null", JV_NULL, 0}};
  for (size_t i = 0; i < 3; i++) {
    size_t l = strlen(words[i].word);
    if ((size_t)(ps->end - ps->p) >= l && !memcmp(ps->p, words[i].word, l)) {
      ps->p += l;
      jv *v = jv_new(words[i].kind);
      v->b = words[i].b;
      return v;
    }
  }
  if (c == '-' || isdigit((unsigned char)c)) {
    const char *s = ps->p;
    if (*ps->p == '-') ps->p++;
    if (ps->p >= ps->end || !isdigit((unsigned char)*ps->p)) return fail(ps, "bad number");
    while (ps->p < ps->end && (isdigit((unsigned char)*ps->p) || strchr(".eE+-", *ps->p))) ps->p++;
    char *t = xstrndup(s, (size_t)(ps->p - s));
    char *e;
    strtod(t, &e);
    if (*e) {
      free(t);
      return fail(ps, "bad number");
    }
    jv *v = jv_new(JV_NUM);
    v->text = t;
    return v;
  }
  return fail(ps, "unexpected character");
}

jv *jv_parse(const char *text, size_t len, char *err, size_t errlen) {
  parser ps = {text, text + len, text, err, errlen, 0};
  jv *v = parse_value(&ps, 0);
  if (!v) return NULL;
  skip_ws(&ps);
  if (ps.p != ps.end) {
    jv_free(v);
    return fail(&ps, "text after the document");
  }
  return v;
}

void jv_free(jv *v) {
  if (!v) return;
  for (size_t i = 0; i < v->n; i++) {
    jv_free(v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->text);
  free(v);
}

jv *jv_clone(const jv *v) {
  jv *c = jv_new(v->kind);
  c->b = v->b;
  if (v->text) c->text = xstrndup(v->text, strlen(v->text));
  for (size_t i = 0; i < v->n; i++) {
    grow(c);
    if (v->kind == JV_OBJ) c->keys[c->n] = xstrndup(v->keys[i], strlen(v->keys[i]));
    c->items[c->n++] = jv_clone(v->items[i]);
  }
  return c;
}

int jv_equal(const jv *a, const jv *b) {
  if (!a || !b) return a == b;
  if (a->kind != b->kind || a->n != b->n) return 0;
  if (a->kind == JV_BOOL) return a->b == b->b;
  if (a->kind == JV_NUM) return jv_num(a, 0) == jv_num(b, 0);
  if (a->kind == JV_STR) return !strcmp(a->text, b->text);
  for (size_t i = 0; i < a->n; i++) {
    if (a->kind == JV_OBJ && strcmp(a->keys[i], b->keys[i])) return 0;
    if (!jv_equal(a->items[i], b->items[i])) return 0;
  }
  return 1;
}

jv *jv_get(const jv *obj, const char *key) {
  if (!obj || obj->kind != JV_OBJ) return NULL;
  for (size_t i = 0; i < obj->n; i++)
    if (!strcmp(obj->keys[i], key)) return obj->items[i];
  return NULL;
}

const char *jv_str(const jv *v) { return v && v->kind == JV_STR ? v->text : NULL; }

double jv_num(const jv *v, double fallback) { return v && v->kind == JV_NUM ? strtod(v->text, NULL) : fallback; }

int jv_is_int(const jv *v) { return v && v->kind == JV_NUM && !strpbrk(v->text, ".eE"); }

jv *jv_new_int(long long x) {
  jv *v = jv_new(JV_NUM);
  char b[32];
  snprintf(b, sizeof b, "%lld", x);
  v->text = xstrndup(b, strlen(b));
  return v;
}

jv *jv_new_real(double x) {
  jv *v = jv_new(JV_NUM);
  char b[40];
  snprintf(b, sizeof b, "%.6g", x);
  if (!strpbrk(b, ".eEn")) strcat(b, ".0"); /* stays a real number when read back */
  v->text = xstrndup(b, strlen(b));
  return v;
}

jv *jv_new_str(const char *raw) {
  jv *v = jv_new(JV_STR);
  v->text = xstrndup(raw, strlen(raw));
  return v;
}

void jv_set(jv *obj, const char *key, jv *val) {
  for (size_t i = 0; i < obj->n; i++)
    if (!strcmp(obj->keys[i], key)) {
      jv_free(obj->items[i]);
      obj->items[i] = val;
      return;
    }
  grow(obj);
  obj->keys[obj->n] = xstrndup(key, strlen(key));
  obj->items[obj->n++] = val;
}

void jv_remove(jv *obj, const char *key) {
  for (size_t i = 0; i < obj->n; i++)
    if (!strcmp(obj->keys[i], key)) {
      jv_free(obj->items[i]);
      free(obj->keys[i]);
      memmove(obj->items + i, obj->items + i + 1, (obj->n - i - 1) * sizeof *obj->items);
      memmove(obj->keys + i, obj->keys + i + 1, (obj->n - i - 1) * sizeof *obj->keys);
      obj->n--;
      return;
    }
}

void jv_append(jv *arr, jv *val) {
  grow(arr);
  arr->items[arr->n++] = val;
}

static int only_scalars(const jv *v) {
  for (size_t i = 0; i < v->n; i++)
    if (v->items[i]->kind == JV_ARR || v->items[i]->kind == JV_OBJ) return 0;
  return 1;
}

static void write_at(FILE *f, const jv *v, int depth) {
  switch (v->kind) {
  case JV_NULL: fputs("null", f); return;
  case JV_BOOL: fputs(v->b ? "true" : "false", f); return;
  case JV_NUM: fputs(v->text, f); return;
  case JV_STR: fprintf(f, "\"%s\"", v->text); return;
  case JV_ARR:
  case JV_OBJ: break;
  }
  int inline_ = only_scalars(v);
  fputc(v->kind == JV_OBJ ? '{' : '[', f);
  for (size_t i = 0; i < v->n; i++) {
    if (i) fputc(',', f);
    if (inline_) {
      if (i) fputc(' ', f);
    } else fprintf(f, "\n%*s", 2 * (depth + 1), "");
    if (v->kind == JV_OBJ) fprintf(f, "\"%s\": ", v->keys[i]);
    write_at(f, v->items[i], depth + 1);
  }
  if (!inline_ && v->n) fprintf(f, "\n%*s", 2 * depth, "");
  fputc(v->kind == JV_OBJ ? '}' : ']', f);
}

void jv_write(FILE *f, const jv *v) {
  write_at(f, v, 0);
  fputc('\n', f);
}
