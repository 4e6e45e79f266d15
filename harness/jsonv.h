/* A small JSON document tree for the commands that read results.json back (merge): parse,
 * look up, change, write. Strings and numbers keep their source text, so a field this code
 * does not know is written back byte for byte, and no number is rounded on the way. */
#ifndef MXCONFORM_JSONV_H
#define MXCONFORM_JSONV_H

#include <stddef.h>
#include <stdio.h>

typedef enum jv_kind { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ } jv_kind;

typedef struct jv {
  jv_kind kind;
  int b;          /* JV_BOOL */
  char *text;     /* JV_NUM: the number's text; JV_STR: the content between the quotes, escapes kept */
  size_t n, cap;  /* JV_ARR, JV_OBJ: members */
  struct jv **items;
  char **keys;    /* JV_OBJ: each member's key, escapes kept */
} jv;

/* Parse a whole document; NULL with "line N: what is wrong" in err. */
jv *jv_parse(const char *text, size_t len, char *err, size_t errlen);
void jv_free(jv *v);
jv *jv_clone(const jv *v);
/* 1 when a and b are the same value (object members compared in order). */
int jv_equal(const jv *a, const jv *b);

jv *jv_get(const jv *obj, const char *key); /* NULL when absent or obj is not an object */
/* The string's text (escapes kept), or NULL when v is not a string. */
const char *jv_str(const jv *v);
/* The number's value; `fallback` when v is not a number. */
double jv_num(const jv *v, double fallback);
/* 1 when v is a number written as an integer (no fraction, no exponent). */
int jv_is_int(const jv *v);

jv *jv_new(jv_kind kind);
jv *jv_new_int(long long x);
jv *jv_new_real(double x);
jv *jv_new_str(const char *raw); /* raw: the string's text with any escapes already written */
/* Set obj[key] = val (replacing and freeing an old value in place, else appending). */
void jv_set(jv *obj, const char *key, jv *val);
void jv_remove(jv *obj, const char *key);
void jv_append(jv *arr, jv *val);

/* Write v, indented by two spaces per level; containers holding only scalars stay on one line. */
void jv_write(FILE *f, const jv *v);

#endif
