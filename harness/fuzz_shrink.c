/* Shrinking (fuzz_shrink.h): greedy passes, each change kept only while the finding still
 * shows: drop dot blocks, zero inputs (halves first, then smaller chunks), then simplify what
 * is left word by word, until a pass changes nothing or the budget is spent. */
#include "fuzz_shrink.h"

#include <stdlib.h>
#include <string.h>

/* What each input word is, which decides what "zero" and "simpler" mean for it. */
typedef enum wrole { W_VALUE, W_CODE, W_SCALE, W_FLAG, W_C } wrole;

static wrole role_of(const vec_suite *s, size_t i, mx_fmt *fmt) {
  size_t nb = s->nblocks, nk = s->nblocks * s->k;
  switch (s->op) {
  case OP_CVT:
  case OP_QUANTIZE: *fmt = s->src; return W_VALUE;
  case OP_DEQUANTIZE: *fmt = mx_block_element(s->bfmt); return i ? W_CODE : W_SCALE;
  case OP_PACK: *fmt = mx_block_element(s->bfmt); return W_CODE;
  case OP_DOT:
    *fmt = mx_block_element(i < nb + nk ? s->bfmt : s->bfmt_b);
    if (i < nb || (i >= nb + nk && i < 2 * nb + nk)) return W_SCALE;
    if (i < 2 * (nb + nk)) return W_CODE;
    *fmt = MX_F32;
    return i == 2 * (nb + nk) ? W_FLAG : W_C;
  default: *fmt = s->src; return W_VALUE;
  }
}

static int is_element(wrole r) { return r == W_VALUE || r == W_CODE; }

size_t fuzz_nonzero_inputs(const vec_suite *s) {
  size_t n = 0;
  mx_fmt f;
  for (size_t i = 0; i < s->nin; i++) n += is_element(role_of(s, i, &f)) && s->in[i] != 0;
  return n;
}

typedef struct shrinker {
  vec_suite *s;
  fuzz_still_fn still;
  void *ctx;
  unsigned calls, budget;
} shrinker;

static int check(shrinker *sh) {
  if (sh->calls >= sh->budget) return 0;
  sh->calls++;
  return sh->still(sh->ctx, sh->s);
}

/* Set word i to v; keep it when the finding still shows. */
static int try_set(shrinker *sh, size_t i, uint64_t v) {
  uint64_t old = sh->s->in[i];
  if (v == old) return 0;
  sh->s->in[i] = v;
  if (check(sh)) return 1;
  sh->s->in[i] = old;
  return 0;
}

/* A dot case without block j of both operands (C kept): one block fewer. */
static int try_drop_block(shrinker *sh, size_t j) {
  vec_suite *s = sh->s;
  size_t nb = s->nblocks, k = s->k, nk = nb * k, nin = s->nin;
  uint64_t *old = malloc(nin * sizeof *old);
  if (!old) abort();
  memcpy(old, s->in, nin * sizeof *old);
  uint64_t *in = s->in;
  size_t o = 0;
  for (int side = 0; side < 2; side++) { /* A then B: scales, then codes */
    const uint64_t *sc = old + side * (nb + nk), *co = sc + nb;
    for (size_t b = 0; b < nb; b++)
      if (b != j) in[o++] = sc[b];
    for (size_t b = 0; b < nb; b++)
      if (b != j) memcpy(in + o, co + b * k, k * sizeof *in), o += k;
  }
  in[o] = old[2 * (nb + nk)];
  in[o + 1] = old[2 * (nb + nk) + 1];
  s->nblocks = nb - 1;
  vec_suite_shape(s);
  if (check(sh)) {
    vec_suite_make_name(s);
    free(old);
    return 1;
  }
  s->nblocks = nb;
  vec_suite_shape(s);
  memcpy(s->in, old, nin * sizeof *old);
  free(old);
  return 0;
}

/* Drop dot blocks one at a time while the finding still shows. */
static int block_pass(shrinker *sh) {
  int changed = 0;
  if (sh->s->op != OP_DOT) return 0;
  for (size_t j = sh->s->nblocks; j-- > 0;)
    if (sh->s->nblocks > 1 && try_drop_block(sh, j)) changed = 1;
  return changed;
}

/* Zero the non-zero element words in chunks: halves, quarters, ... single words. */
static int zero_pass(shrinker *sh) {
  vec_suite *s = sh->s;
  size_t *idx = malloc(s->nin * sizeof *idx), n = 0;
  uint64_t *old = malloc(s->nin * sizeof *old);
  if (!idx || !old) abort();
  mx_fmt f;
  for (size_t i = 0; i < s->nin; i++)
    if (is_element(role_of(s, i, &f)) && s->in[i]) idx[n++] = i;
  int changed = 0;
  for (size_t chunk = n > 1 ? n / 2 : 1; chunk >= 1 && n; chunk /= 2) {
    for (size_t a = 0; a < n; a += chunk) {
      size_t b = a + chunk < n ? a + chunk : n, nz = 0;
      for (size_t q = a; q < b; q++) old[q] = s->in[idx[q]], nz += old[q] != 0;
      if (!nz) continue;
      for (size_t q = a; q < b; q++) s->in[idx[q]] = 0;
      if (check(sh)) changed = 1;
      else for (size_t q = a; q < b; q++) s->in[idx[q]] = old[q];
    }
    if (chunk == 1) break;
  }
  free(idx);
  free(old);
  return changed;
}

static uint64_t low_mask(int j) { return j >= 64 ? ~0ull : ((1ull << j) - 1); }

/* Simpler forms of one word, simplest first. Returns how many were written. */
static size_t candidates(const vec_suite *s, size_t i, uint64_t *c) {
  mx_fmt f;
  wrole r = role_of(s, i, &f);
  uint64_t v = s->in[i];
  size_t n = 0;
  const mx_format_desc *d = mx_format(f);
  switch (r) {
  case W_SCALE: {
    c[n++] = 0x7F; /* 2^0 */
    int64_t t = (int64_t)v + (0x7F - (int64_t)v) / 2;
    c[n++] = (uint64_t)t;
    c[n++] = v < 0x7F ? v + 1 : v - 1;
    return n;
  }
  case W_FLAG: return 0; /* dropped together with C below */
  case W_C:
  case W_VALUE:
  case W_CODE: {
    uint64_t sign = d->has_sign && d->kind == MX_KIND_FLOAT ? 1ull << (d->bits - 1) : 0;
    if (v & sign) c[n++] = v & ~sign;
    if (d->kind != MX_KIND_FLOAT) { /* INT8: smaller magnitudes */
      for (int j = d->bits - 1; j >= 1; j--) c[n++] = v & ~low_mask(j);
      return n;
    }
    /* clear trailing significand bits: few bits first, then more */
    int mb = d->mbits, steps[] = {mb, mb - mb / 4, mb / 2, mb / 4, mb / 8, 2, 1};
    for (size_t q = 0; q < sizeof steps / sizeof steps[0]; q++)
      if (steps[q] >= 1 && steps[q] <= mb) c[n++] = (v & ~low_mask(steps[q]));
    if (r == W_CODE) c[n++] = v & sign; /* the signed zero */
    return n;
  }
  }
  return n;
}

static int simplify_pass(shrinker *sh) {
  vec_suite *s = sh->s;
  int changed = 0;
  mx_fmt f;
  size_t flag = 0;
  for (size_t i = 0; i < s->nin; i++) {
    if (role_of(s, i, &f) == W_FLAG) flag = i;
    if (!s->in[i]) continue;
    uint64_t c[80];
    size_t n = candidates(s, i, c);
    for (size_t q = 0; q < n; q++)
      if (try_set(sh, i, c[q])) {
        changed = 1;
        break;
      }
  }
  if (s->op == OP_DOT && s->in[flag]) { /* drop C */
    uint64_t c = s->in[flag + 1];
    s->in[flag] = s->in[flag + 1] = 0;
    if (check(sh)) changed = 1;
    else s->in[flag] = 1, s->in[flag + 1] = c;
  }
  return changed;
}

unsigned fuzz_shrink(vec_suite *s, fuzz_still_fn still, void *ctx, unsigned budget) {
  shrinker sh = {s, still, ctx, 0, budget};
  for (int pass = 0; pass < 8 && sh.calls < sh.budget; pass++) {
    int changed = block_pass(&sh);
    changed |= zero_pass(&sh);
    changed |= simplify_pass(&sh);
    if (!changed) break;
  }
  return sh.calls;
}
