/* fuzz_vector_parser — property: vec_parse (harness/vectors.c) is total and honest.
 *
 * On arbitrary bytes it never crashes or reads out of bounds (the input is copied into an
 * exactly-sized heap buffer, so AddressSanitizer sees any over-read), and either
 *  - fails with an error that starts with the origin and a line number, "origin:N: reason",
 *    N between 1 and the number of lines + 1, and a non-empty reason; or
 *  - succeeds, and what it accepted survives vec_write: the written text parses again to
 *    the same operation, parameters, knobs the op depends on, and cases.
 */
#include "fuzz_common.h"
#include "vectors.h"

#define ORIGIN "fuzz.mxv"

static void check_error(const char *err, const uint8_t *data, size_t size) {
  size_t lines = 1;
  for (size_t i = 0; i < size; i++) lines += data[i] == '\n';
  size_t ol = strlen(ORIGIN);
  const char *p = err + ol + 1;
  unsigned long n = 0;
  int digits = 0;
  while (*p >= '0' && *p <= '9' && digits < 20) n = n * 10 + (unsigned long)(*p++ - '0'), digits++;
  if (strncmp(err, ORIGIN ":", ol + 1) || !digits || p[0] != ':' || p[1] != ' ' || !p[2] || n < 1 || n > lines)
    FZ_FAIL(data, size, "vec_parse error is not 'origin:N: reason' with 1 <= N <= %zu: \"%s\"", lines, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size ? size : 1);
  if (!text) abort();
  memcpy(text, data, size);
  vec_suite s;
  char err[1024];
  err[0] = 0;
  int rc = vec_parse(text, size, ORIGIN, &s, err, sizeof err);
  free(text);
  if (rc) {
    check_error(err, data, size);
    return 0;
  }
  /* accepted: write it back and read it again */
  char *out = NULL;
  size_t outlen = 0;
  FILE *f = open_memstream(&out, &outlen);
  if (!f) abort();
  int wrc = vec_write(f, &s);
  fclose(f);
  vec_suite t;
  char err2[1024];
  err2[0] = 0;
  if (wrc || vec_parse(out, outlen, ORIGIN, &t, err2, sizeof err2)) {
    fprintf(stderr, "written text:\n%.*s\n", (int)(outlen > 4000 ? 4000 : outlen), out);
    FZ_FAIL(data, size, "vec_parse accepted the input but rejects what vec_write made of it: %s", err2);
  }
  const char *what = NULL;
  if (s.op != t.op) what = "op";
  else if (s.nin != t.nin || s.nout != t.nout || s.nrand != t.nrand) what = "shape";
  else if (s.ncases != t.ncases) what = "number of cases";
  else if (s.op == OP_CVT && (s.src != t.src || s.dst != t.dst || s.round != t.round || s.overflow != t.overflow))
    what = "cvt parameters";
  else if (s.op == OP_DECODE && s.fmt != t.fmt) what = "decode format";
  else if ((s.op == OP_QUANTIZE || s.op == OP_DEQUANTIZE || s.op == OP_PACK) && (s.bfmt != t.bfmt || s.k != t.k))
    what = "block format or k";
  else if (s.op == OP_QUANTIZE && s.src != t.src) what = "quantize source";
  else if (s.op == OP_DEQUANTIZE && s.dst != t.dst) what = "dequantize destination";
  else if (s.op == OP_PACK && s.layout != t.layout) what = "pack layout";
  else if (s.seed != t.seed) what = "seed";
  else if (s.ncases && (memcmp(s.in, t.in, s.ncases * s.nin * sizeof *s.in) ||
                        memcmp(s.out, t.out, s.ncases * s.nout * sizeof *s.out) ||
                        memcmp(s.rnd, t.rnd, s.ncases * sizeof *s.rnd)))
    what = "case data";
  else {
    char a[64], b[64];
    for (const char *const *k = op_table[s.op].knobs; *k && !what; k++)
      if (strcmp(mx_profile_get(&s.knobs, *k, a, sizeof a), mx_profile_get(&t.knobs, *k, b, sizeof b))) what = *k;
  }
  if (what) {
    fprintf(stderr, "written text:\n%.*s\n", (int)(outlen > 4000 ? 4000 : outlen), out);
    FZ_FAIL(data, size, "vec_parse(vec_write(vec_parse(input))) differs in %s", what);
  }
  free(out);
  vec_suite_free(&s);
  vec_suite_free(&t);
  return 0;
}
