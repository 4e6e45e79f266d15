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

/* One answer line [a, end) for n inputs into codes (0x200: refused, `!!`; MX_CODE_UNOBSERVED:
 * not observable, `??`). 0 ok, 2 ok with `??` fields, 1 the target said `unsupported`, -1
 * anything else (error, malformed). */
static int parse_range_answer(const char *a, const char *end, size_t n, uint16_t *codes, uint64_t *refused) {
  if (end - a == 11 && !strncmp(a, "unsupported", 11)) return 1;
  if ((size_t)(end - a) != 3 + 2 * n || strncmp(a, "ok ", 3)) return -1;
  const char *p = a + 3;
  int unseen = 0;
  for (size_t i = 0; i < n; i++, p += 2) {
    if (p[0] == '!' && p[1] == '!') {
      codes[i] = 0x200;
      ++*refused;
      continue;
    }
    if (p[0] == '?' && p[1] == '?') {
      codes[i] = MX_CODE_UNOBSERVED;
      unseen = 2;
      continue;
    }
    int h = hexdig(p[0]), l = hexdig(p[1]);
    if (h < 0 || l < 0) return -1;
    codes[i] = (uint16_t)(h << 4 | l);
  }
  return unseen;
}

/* A range answered with `??` fields: the runs of them are asked again by `fallback` in
 * ordinary cvt lines, where the target can say which codes the result may be (`?C1/../Cn`,
 * PROTOCOL.md), so that an ambiguity that excludes the expected code is still a mismatch;
 * the rest is compared here. */
static uint64_t compare_with_unseen(target *t, const sweep_req *q, uint64_t from, size_t n, const uint16_t *codes,
                                    sweep_tally *tally, sweep_range_fn fallback) {
  uint64_t bad = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    int unseen = codes[i] == MX_CODE_UNOBSERVED;
    while (j < n && (codes[j] == MX_CODE_UNOBSERVED) == unseen) j++;
    if (unseen) bad += fallback(t, q, from + i, from + j, tally);
    else sweep_compare(q, from + i, j - i, codes + i, tally);
    i = j;
  }
  return bad;
}

/* The request lines of one exchange: ranges [from[l], to[l]). */
typedef struct range_batch {
  uint64_t from[RANGE_LINES], to[RANGE_LINES];
  size_t lines, len;
  char req[RANGE_LINES * 160];
} range_batch;

/* Fills *bt with up to max_lines ranges from b on; returns where the next batch starts. */
static uint64_t next_batch(const sweep_req *q, uint64_t b, uint64_t hi, size_t max_lines, range_batch *bt) {
  bt->lines = bt->len = 0;
  for (; bt->lines < max_lines && b < hi; bt->lines++) {
    bt->from[bt->lines] = b;
    bt->to[bt->lines] = hi - b < RANGE_VALUES ? hi : b + RANGE_VALUES;
    bt->len += (size_t)snprintf(bt->req + bt->len, 160, "cvtrange %s %s %s %s %llx %llx\n", mx_format(q->src)->name,
                                mx_format(q->dst)->name, mx_round_names[q->round], mx_overflow_names[q->overflow],
                                (unsigned long long)b, (unsigned long long)(bt->to[bt->lines] - 1));
    b = bt->to[bt->lines];
  }
  return b;
}

/* Pipelined: once a batch's answers are in and well-formed, the next batch's requests go
 * out before this one is compared, so that the target converts while the harness compares
 * (a failed or odd batch sends nothing ahead: its fallback talks to the target alone). */
int target_sweep_ranged(target *t, const sweep_req *q, uint64_t lo, uint64_t hi, sweep_tally *tally, uint64_t *bad,
                        sweep_range_fn fallback) {
  if (mx_format(q->dst)->bits > 8) return -1; /* codes travel as one hex pair each */
  uint16_t *codes = malloc(RANGE_LINES * RANGE_VALUES * sizeof *codes);
  range_batch *cur = malloc(sizeof *cur), *nxt = malloc(sizeof *nxt), *tmp;
  /* the first range alone: a target without cvtrange costs one round trip */
  uint64_t b = next_batch(q, lo, hi, 1, cur);
  int first = 1, sent = 0, ret = 0;
  while (cur->lines) {
    const char *ans = NULL, *dummy;
    size_t alen = 0, dlen;
    tstatus x = target_exchange(t, sent ? "" : cur->req, sent ? 0 : cur->len, cur->lines, &ans, &alen);
    const char *p = ans, *end = ans + alen;
    int r[RANGE_LINES], all_ok = x == T_OK;
    for (size_t l = 0; l < cur->lines; l++) {
      const char *nl = x == T_OK ? memchr(p, '\n', (size_t)(end - p)) : NULL;
      r[l] = nl ? parse_range_answer(p, nl > p && nl[-1] == '\r' ? nl - 1 : nl, (size_t)(cur->to[l] - cur->from[l]),
                                     codes + l * RANGE_VALUES, &tally->refused)
                : -1;
      all_ok &= r[l] == 0; /* a line with `??` sends nothing ahead: its runs are asked again */
      p = nl ? nl + 1 : end;
    }
    if (first && r[0] == 1) {
      ret = -1; /* no cvtrange: the caller sweeps with ordinary batches */
      break;
    }
    first = 0;
    b = next_batch(q, b, hi, RANGE_LINES, nxt);
    /* lines = 0: send only; the answers are collected by the next exchange */
    sent = all_ok && nxt->lines && target_exchange(t, nxt->req, nxt->len, 0, &dummy, &dlen) == T_OK;
    for (size_t l = 0; l < cur->lines; l++) {
      if (r[l] == 0) sweep_compare(q, cur->from[l], (size_t)(cur->to[l] - cur->from[l]), codes + l * RANGE_VALUES, tally);
      else if (r[l] == 2)
        *bad += compare_with_unseen(t, q, cur->from[l], (size_t)(cur->to[l] - cur->from[l]), codes + l * RANGE_VALUES,
                                    tally, fallback);
      else if (r[l] == 1) tally->unsupported += cur->to[l] - cur->from[l];
      else *bad += fallback(t, q, cur->from[l], cur->to[l], tally); /* narrows a failure down */
    }
    tmp = cur, cur = nxt, nxt = tmp;
  }
  free(codes);
  free(cur);
  free(nxt);
  return ret;
}
