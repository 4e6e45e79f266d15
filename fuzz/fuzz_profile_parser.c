/* fuzz_profile_parser — property: mx_profile_parse (common/profile.c) is total and honest.
 *
 * On arbitrary bytes it never crashes or reads out of bounds (exactly-sized heap copy), and
 * either
 *  - fails with "origin:N: reason", 1 <= N <= number of lines + 1, a non-empty reason, and
 *    leaves the caller's profile untouched; or
 *  - succeeds, and the profile survives mx_profile_write: the written text parses again to
 *    a profile with the same name and no key that differs (mx_profile_diff == 0).
 */
#include "fuzz_common.h"
#include "mxconform/profile.h"

#define ORIGIN "fuzz.profile"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size ? size : 1);
  if (!text) abort();
  memcpy(text, data, size);
  mx_profile p, before;
  memset(&p, 0x5C, sizeof p);
  memcpy(&before, &p, sizeof p);
  char err[1024];
  err[0] = 0;
  int rc = mx_profile_parse(text, size, ORIGIN, &p, err, sizeof err);
  free(text);
  if (rc) {
    size_t lines = 1;
    for (size_t i = 0; i < size; i++) lines += data[i] == '\n';
    size_t ol = strlen(ORIGIN);
    const char *q = err + ol + 1;
    unsigned long n = 0;
    int digits = 0;
    while (*q >= '0' && *q <= '9' && digits < 20) n = n * 10 + (unsigned long)(*q++ - '0'), digits++;
    if (strncmp(err, ORIGIN ":", ol + 1) || !digits || q[0] != ':' || q[1] != ' ' || !q[2] || n < 1 || n > lines)
      FZ_FAIL(data, size, "mx_profile_parse error is not 'origin:N: reason' with 1 <= N <= %zu: \"%s\"", lines, err);
    if (memcmp(&p, &before, sizeof p)) FZ_FAIL(data, size, "mx_profile_parse failed (%s) but changed the profile", err);
    return 0;
  }
  char *out = NULL;
  size_t outlen = 0;
  FILE *f = open_memstream(&out, &outlen);
  if (!f) abort();
  mx_profile_write(f, &p);
  fclose(f);
  mx_profile p2;
  char err2[1024], diff[2048];
  err2[0] = 0;
  if (mx_profile_parse(out, outlen, ORIGIN, &p2, err2, sizeof err2)) {
    fprintf(stderr, "written text:\n%s\n", out);
    FZ_FAIL(data, size, "mx_profile_parse accepted the input but rejects what mx_profile_write made of it: %s", err2);
  }
  if (strcmp(p.name, p2.name) || mx_profile_diff(&p, &p2, diff, sizeof diff)) {
    fprintf(stderr, "written text:\n%s\n", out);
    FZ_FAIL(data, size, "profile changed through write + parse: name '%s' -> '%s'; %s", p.name, p2.name, diff);
  }
  free(out);
  return 0;
}
