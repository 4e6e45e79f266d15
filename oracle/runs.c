/* Oracle runs: the exact rounding boundaries of a conversion, found with the oracle itself.
 *
 * Over a segment of source bit patterns in which the value is monotone (all positives
 * from +0 to +Inf, or all negatives from -0 to -Inf), every rounding rule here is a
 * monotone step function of the finite values, so the inputs that give one code form a
 * single run of consecutive bit patterns. (Two knob values break this at the segment's
 * ends: inf_finite=signed-zero sends Inf to the code of 0, and e8m0_zero=nan with
 * overflow=ovf sends 0 and overflow to 0xFF. The gallop starts with step 1 from the
 * segment start and doubles, so it meets the first different code long before it could
 * probe the far end; a wrong run could only cause false differences, never hide one.) A galloping search finds where each run ends, with direct
 * oracle conversions on both sides of every boundary. The exhaustive proof then checks
 * every input against the run that contains it. */
#include <stdlib.h>

#include "oracle_block.h"

int mxo_collect_run(void *ctx, uint64_t first, uint64_t last, uint32_t code) {
  mxo_runs *r = ctx;
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 1024;
    r->v = realloc(r->v, r->cap * sizeof *r->v);
    if (!r->v) abort();
  }
  r->v[r->n++] = (mxo_run){first, last, code};
  return 0;
}

void mxo_source_segments(mx_fmt src, uint64_t first[4], uint64_t last[4]) {
  const mx_format_desc *d = mx_format(src);
  uint64_t signbit = (uint64_t)1 << (d->bits - 1);
  uint64_t inf = (((uint64_t)1 << d->ebits) - 1) << d->mbits;
  uint64_t allpos = signbit - 1;
  first[0] = 0;                last[0] = inf;                /* +0 .. +Inf */
  first[1] = inf + 1;          last[1] = allpos;             /* +NaN */
  first[2] = signbit;          last[2] = signbit | inf;      /* -0 .. -Inf */
  first[3] = signbit | (inf + 1); last[3] = signbit | allpos; /* -NaN */
}

uint64_t mxo_walk_runs_of(mxo_bits_fn f, void *fctx, uint64_t from, uint64_t to, mxo_run_fn on_run, void *ctx) {
  uint64_t calls = 0;
  uint64_t lo = from;
  while (lo <= to) {
    uint32_t c = f(fctx, lo);
    calls++;
    /* gallop: find a step past the run's end (or the segment's end) */
    uint64_t good = lo, step = 1, bad; /* f(good) == c; f(bad) != c */
    for (;;) {
      uint64_t probe = (to - good < step) ? to : good + step; /* never past the segment's end */
      if (probe == good) { bad = good + 1; break; }           /* good == to: the run ends here */
      calls++;
      if (f(fctx, probe) == c) {
        good = probe;
        if (probe == to) { bad = good + 1; break; }
        step <<= 1;
      } else {
        bad = probe;
        break;
      }
    }
    /* binary search in (good, bad) for the last input with code c */
    while (bad - good > 1) {
      uint64_t mid = good + (bad - good) / 2;
      calls++;
      if (f(fctx, mid) == c) good = mid; else bad = mid;
    }
    if (on_run(ctx, lo, good, c)) break;
    if (good == to) break;
    lo = good + 1;
  }
  return calls;
}

typedef struct convert_ctx {
  mx_fmt dst, src;
  const mx_convert_opts *o;
} convert_ctx;

static uint32_t convert_fn(void *ctx, uint64_t bits) {
  const convert_ctx *c = ctx;
  return mxo_convert(c->dst, c->src, bits, c->o, 0);
}

uint64_t mxo_walk_runs(mx_fmt dst, mx_fmt src, const mx_convert_opts *o, uint64_t from, uint64_t to,
                       mxo_run_fn on_run, void *ctx) {
  convert_ctx c = {dst, src, o};
  return mxo_walk_runs_of(convert_fn, &c, from, to, on_run, ctx);
}
