/* A small JSON reader (RFC 8259) for the documents mxconform writes and reads back:
 * results.json for `explain` and the terminal story. A tree of values; unknown members are
 * simply there to be ignored, so readers tolerate fields added later. */
#ifndef MXCONFORM_JSON_H
#define MXCONFORM_JSON_H

#include <stddef.h>

typedef enum json_type { JSON_NULL = 0, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json_value json_value;
struct json_value {
  json_type type;
  int boolean;       /* JSON_BOOL */
  double number;     /* JSON_NUMBER */
  char *string;      /* JSON_STRING: decoded UTF-8, NUL-terminated (a \u0000 ends it early);
                        JSON_NUMBER: the number as written (a 64-bit seed does not fit a double) */
  char *key;         /* the member name, for the values inside an object */
  json_value *items; /* JSON_ARRAY elements / JSON_OBJECT members, in document order */
  size_t n;
};

/* Parse text[0..len) (one value, surrounded by optional white space). Returns the root, or
 * NULL with "line N: reason" in err. Nesting deeper than 64 levels is refused. */
json_value *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_free(json_value *v);

/* Member `key` of an object (the first one of that name), NULL when v is not an object or
 * has no such member. */
const json_value *json_get(const json_value *v, const char *key);
/* Its string / number / element count, or dflt when absent or of another type. */
const char *json_get_str(const json_value *v, const char *key, const char *dflt);
double json_get_num(const json_value *v, const char *key, double dflt);
/* Element count of an array member (0 when absent or not an array). */
size_t json_get_len(const json_value *v, const char *key);

#endif
