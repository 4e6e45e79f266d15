/* The `cvtrange` request of the process protocol (harness/PROTOCOL.md): a cmd: target
 * converts a whole index range of inputs itself and answers the codes as one run of hex
 * digit pairs, so that a vectorised target (targets/python/mxproto.py with NumPy) sweeps
 * 2^32 inputs without 2^32 hex fields crossing the pipe in both directions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mxconform/formats.h"
#include "sweep.h"

#define RANGE_VALUES ((uint64_t)1 << 20) /* inputs per request: a 2 MiB answer */
#define RANGE_LINES 4                    /* requests per exchange: the target never waits on us for long */

static int hexdig(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* One answer line [a, end) for n inputs into codes (0x200: refused, `!!`). 0 ok, 1 the
 * target said `unsupported`, -1 anything else (error, malformed). */
static int parse_range_answer(const char *a, const char *end, size_t n, uint16_t *codes, uint64_t *refused) {
  if (end - a == 11 && !strncmp(a, "unsupported", 11)) return 1;
  if ((size_t)(end - a) != 3 + 2 * n || strncmp(a, "ok ", 3)) return -1;
  const char *p = a + 3;
  for (size_t i = 0; i < n; i++, p += 2) {
    if (p[0] == '!' && p[1] == '!') {
      codes[i] = 0x200;
      ++*refused;
      continue;
    }
    int h = hexdig(p[0]), l = hexdig(p[1]);
    if (h < 0 || l < 0) return -1;
    codes[i] = (uint16_t)(h << 4 | l);
  }
  return 0;
}

int target_sweep_ranged(target *t, const sweep_req *q, uint64_t lo, uint64_t hi, sweep_tally *tally, uint64_t *bad,
                        sweep_range_fn fallback) {
  if (mx_format(q->dst)->bits > 8) return -1; /* codes travel as one hex pair each */
  uint16_t *codes = malloc(RANGE_VALUES * sizeof *codes);
  char *req = malloc(RANGE_LINES * 160);
  int first = 1;
  for (uint64_t b = lo; b < hi;) {
    uint64_t from[RANGE_LINES], to[RANGE_LINES];
    size_t lines = 0, len = 0;
    for (; lines < RANGE_LINES && b < hi; lines++) {
      from[lines] = b;
      to[lines] = hi - b < RANGE_VALUES ? hi : b + RANGE_VALUES;
      len += (size_t)snprintf(req + len, 160, "cvtrange %s %s %s %s %llx %llx\n", mx_format(q->src)->name,
                              mx_format(q->dst)->name, mx_round_names[q->round], mx_overflow_names[q->overflow],
                              (unsigned long long)from[lines], (unsigned long long)(to[lines] - 1));
      b = to[lines];
      if (first) { /* ask once alone: a target without cvtrange costs one round trip */
        lines++;
        break;
      }
    }
    const char *ans = NULL;
    size_t alen = 0;
    tstatus x = target_exchange(t, req, len, lines, &ans, &alen);
    const char *p = ans, *end = ans + alen;
    for (size_t l = 0; l < lines; l++) {
      size_t n = (size_t)(to[l] - from[l]);
      const char *nl = x == T_OK ? memchr(p, '\n', (size_t)(end - p)) : NULL;
      int r = nl ? parse_range_answer(p, nl > p && nl[-1] == '\r' ? nl - 1 : nl, n, codes, &tally->refused) : -1;
      if (r == 1 && first) {
        free(codes);
        free(req);
        return -1; /* no cvtrange: the caller sweeps with ordinary batches */
      }
      if (r == 0) sweep_compare(q, from[l], n, codes, tally);
      else if (r == 1) tally->unsupported += n;
      else *bad += fallback(t, q, from[l], to[l], tally); /* narrows a failure down */
      p = nl ? nl + 1 : end;
    }
    first = 0;
  }
  free(codes);
  free(req);
  return 0;
}
