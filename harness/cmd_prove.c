/* mxconform prove: N-version proof that libmxref computes what the MPFR oracle computes.
 *
 *   --exhaustive   every input of a 16- or 32-bit source format. 16-bit sources: a direct
 *                  oracle conversion per input. 32-bit sources: the oracle finds the exact
 *                  runs of inputs that round to one code (oracle/runs.c); every input is
 *                  then checked against its run — 2^32 inputs without 2^32 MPFR calls.
 *   --sample N     (default) every run boundary and its +-1 neighbours, every exact code
 *                  value and its neighbours, all specials, signed zeros — each checked by a
 *                  direct oracle call — plus N seeded random inputs checked against the runs
 *                  (the first few thousand also directly). f64 sources are sampled this way.
 *   round=sr is never enumerable: it is always sampled, with random bits, directly.
 *   --knobs-sweep  every non-default value of every special-value knob, one at a time, on
 *                  the specials, every code value and its +-1 neighbours, and random inputs.
 *   --op decode    every code of every element format: reference decode vs oracle value.
 *   --paths P,Q    (or all: every path this CPU runs)
 *                  prove several libmxref code paths in one run, sharing the oracle's work:
 *                  each oracle result (a run of f32 inputs, a 16-bit input's code, a random
 *                  input's code) is compared with every path's array conversion. With
 *                  --exhaustive, a 32-bit source's inputs all go through the full path (the
 *                  first avx2 in the list, else the first); the others are checked on every
 *                  input whose exponent field is all zeros or all ones, and on both ends
 *                  (and their inner neighbours) of every run cut at the binade boundaries —
 *                  enough, because the scalar conversion is monotone within a binade
 *                  (spec_notes/proof.md gives the argument).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "progress.h"
#include "../oracle/oracle_print.h"
#include "cli.h"
#include "mxconform/mxref.h"
#include "prove.h"

typedef mxo_run run; /* the oracle's runs (oracle/runs.c) */
typedef mxo_runs runs;

/* ---- reporting ---------------------------------------------------------------------- */

typedef struct combo {
  mx_fmt src, dst;
  mx_convert_opts o;
} combo;

typedef struct tally {
  uint64_t checked, diffs, oracle_calls;
  unsigned printed;
} tally;

static unsigned g_max_print = 10;
/* --canary BITS: the prover's own self-test. The reference's code for this input is changed
 * in one bit before each array comparison (the every-input range check and the batches), so
 * a proof that still reports no difference there is blind (tests/paths.cmake). */
static int g_canary_set;
static uint64_t g_canary;
static pthread_mutex_t g_print_lock = PTHREAD_MUTEX_INITIALIZER;

/* The code paths proved, in order, and the one that gets every input of a 32-bit source. */
static mxref_path g_paths[MXREF_PATH_COUNT];
static int g_npaths, g_full;

static void use_path(mxref_path p) {
  if (mxref_set_path(p) != 0) abort(); /* checked when parsing --paths */
}

static void knob_args(const mx_convert_opts *o, char *buf, size_t len) {
  mx_convert_opts def;
  mx_convert_opts_default(&def);
  char v[32], dv[32];
  snprintf(buf, len, "--round %s --overflow %s", mx_round_names[o->round], mx_overflow_names[o->overflow]);
  for (const mx_knob *k = mx_knob_table; k->name; k++) {
    if (!strcmp(k->name, "round") || !strcmp(k->name, "overflow")) continue;
    const char *a = mx_knob_get(o, k, v, sizeof v), *b = mx_knob_get(&def, k, dv, sizeof dv);
    if (strcmp(a, b)) {
      size_t l = strlen(buf);
      snprintf(buf + l, len - l, " --knob %s=%s", k->name, a);
    }
  }
}

static void report_diff(const combo *c, tally *t, uint64_t bits, uint32_t rnd, uint32_t expect, uint32_t got) {
  pthread_mutex_lock(&g_print_lock);
  t->diffs++;
  if (t->printed < g_max_print) {
    t->printed++;
    const mx_format_desc *s = mx_format(c->src), *d = mx_format(c->dst);
    char ka[512];
    knob_args(&c->o, ka, sizeof ka);
    char srflag[32] = "";
    if (c->o.round == MX_SR) snprintf(srflag, sizeof srflag, " --sr-random %u", rnd);
    const char *path = mxref_path_name(mxref_get_path());
    printf("  DIFF cvt.%s.%s input 0x%0*" PRIx64 ": oracle 0x%02x, reference (path %s) 0x%02x\n"
           "       reproduce: MXREF_PATH=%s mxconform convert --from %s --to %s %s%s --impl both 0x%0*" PRIx64 "\n",
           s->name, d->name, s->bits / 4, bits, expect, path, got, path, s->name, d->name, ka, srflag, s->bits / 4,
           bits);
  }
  pthread_mutex_unlock(&g_print_lock);
}

/* One input, checked by a direct oracle call. */
static void check_direct(const combo *c, tally *t, uint64_t bits, uint32_t rnd) {
  uint32_t e = mxo_convert(c->dst, c->src, bits, &c->o, rnd);
  uint32_t g = mxref_convert_one(c->dst, c->src, bits, &c->o, rnd);
  t->oracle_calls++;
  t->checked++;
  if (e != g) report_diff(c, t, bits, rnd, e, g);
}

/* ---- exhaustive check of runs with the reference's array path ------------------------ */

typedef struct range_job {
  const combo *c;
  const runs *r;
  uint64_t lo, hi; /* inclusive range of inputs, tiled by the runs */
  tally t;
} range_job;

#define CHUNK 4096

static size_t run_index(const runs *r, uint64_t bits) {
  size_t lo = 0, hi = r->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (r->v[mid].last < bits) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Every input of [lo, hi] through mxref_convert in consecutive chunks of CHUNK inputs that
 * start at multiples of CHUNK, whatever the runs: the AVX2 kernel then converts every group
 * of 32 but those holding a NaN or Inf, run ends included (chunks cut at run ends would
 * leave each run's last inputs to the scalar tail loop). Each output is compared with the
 * code of the run that holds it. */
#if defined(__x86_64__) && defined(__GNUC__)
/* the fill and compare loops with AVX2 where the CPU has it: they are a quarter of the time */
__attribute__((target_clones("avx2", "default")))
#endif
static void *range_worker(void *arg) {
  range_job *j = arg;
  const combo *c = j->c;
  const runs *r = j->r;
  const int bits16 = mx_format(c->src)->bits == 16;
  uint8_t out[CHUNK];
  union {
    uint16_t h[CHUNK];
    uint32_t w[CHUNK];
  } in;
  size_t ri = run_index(r, j->lo);
  for (uint64_t b = j->lo;;) {
    /* the chunk's length first, so the fill and compare loops vectorise */
    uint64_t cend = (b | (CHUNK - 1)) < j->hi ? (b | (CHUNK - 1)) : j->hi;
    size_t n = (size_t)(cend - b + 1);
    /* 32-bit counters: with a 64-bit one gcc narrows every lane with shuffles, and this
     * fill took more time than the comparison */
    const uint32_t b32 = (uint32_t)b, n32 = (uint32_t)n;
    if (bits16)
      for (uint32_t i = 0; i < n32; i++) in.h[i] = (uint16_t)(b32 + i);
    else
      for (uint32_t i = 0; i < n32; i++) in.w[i] = b32 + i;
    mxref_convert(c->dst, c->src, &in, out, n, &c->o, NULL);
    if (g_canary_set && g_canary >= b && g_canary <= cend) out[g_canary - b] ^= 1;
    uint64_t x = b;
    for (; ri < r->n;) {
      const run *u = &r->v[ri];
      uint64_t y = u->last < cend ? u->last : cend;
      const uint8_t code = (uint8_t)u->code;
      uint8_t bad = 0; /* bytes, so the loop ORs 16 or 32 codes per instruction */
      for (size_t i = (size_t)(x - b); i <= (size_t)(y - b); i++) bad |= (uint8_t)(out[i] ^ code);
      if (bad || u->first > x) /* (runs tile the range: a gap would be a harness bug) */
        for (size_t i = (size_t)(x - b); i <= (size_t)(y - b); i++)
          if (out[i] != u->code || u->first > x) report_diff(c, &j->t, b + i, 0, u->code, out[i]);
      if (y == cend) {
        if (y == u->last) ri++;
        x = cend + 1;
        break;
      }
      ri++;
      x = y + 1;
    }
    for (; x <= cend; x++) report_diff(c, &j->t, x, 0, 0x100, out[x - b]); /* no run holds it: a harness bug */
    j->t.checked += n;
    if (cend == j->hi) break;
    b = cend + 1;
  }
  return NULL;
}

/* Split [lo, hi] into `jobs` ranges of whole chunks and check them on threads. */
static void check_runs_parallel(const combo *c, const runs *r, uint64_t lo, uint64_t hi, unsigned jobs, tally *t) {
  if (jobs < 1) jobs = 1;
  range_job *js = calloc(jobs, sizeof *js);
  pthread_t *th = calloc(jobs, sizeof *th);
  if (!js || !th) abort();
  uint64_t chunks = (hi - lo) / CHUNK + 1;
  unsigned used = 0;
  for (unsigned k = 0; k < jobs; k++) {
    uint64_t a = lo + chunks * k / jobs * CHUNK, e = lo + chunks * (k + 1) / jobs * CHUNK - 1;
    if (a > hi) break;
    if (k + 1 == jobs || e > hi) e = hi;
    js[k].c = c;
    js[k].r = r;
    js[k].lo = a;
    js[k].hi = e;
    pthread_create(&th[k], NULL, range_worker, &js[k]);
    used++;
  }
  for (unsigned k = 0; k < used; k++) {
    pthread_join(th[k], NULL);
    t->checked += js[k].t.checked;
    t->diffs += js[k].t.diffs;
  }
  free(js);
  free(th);
}

/* ---- inputs checked in batches on the path in use ------------------------------------- */

#define BATCH 4096

typedef struct batch {
  size_t n;
  uint64_t bits[BATCH];
  uint8_t expect[BATCH];
} batch;

/* The batch through mxref_convert (the array entry, on the path in use) against the
 * expected codes. */
static void check_batch(const combo *c, tally *t, const batch *q) {
  static __thread union {
    uint16_t h[BATCH];
    uint32_t w[BATCH];
    uint64_t d[BATCH];
  } in;
  uint8_t out[BATCH];
  const int bits = mx_format(c->src)->bits;
  for (size_t i = 0; i < q->n; i++) {
    if (bits == 16) in.h[i] = (uint16_t)q->bits[i];
    else if (bits == 32) in.w[i] = (uint32_t)q->bits[i];
    else in.d[i] = q->bits[i];
  }
  mxref_convert(c->dst, c->src, &in, out, q->n, &c->o, NULL);
  for (size_t i = 0; i < q->n; i++) {
    if (g_canary_set && q->bits[i] == g_canary) out[i] ^= 1;
    if (out[i] != q->expect[i]) report_diff(c, t, q->bits[i], 0, q->expect[i], out[i]);
  }
  t->checked += q->n;
}

/* Every path of the list but the full one checks the batch (flush it when full). */
static void batch_add(const combo *c, tally *t, batch *q, uint64_t bits, uint32_t code, int skip_full) {
  q->bits[q->n] = bits;
  q->expect[q->n++] = (uint8_t)code;
  if (q->n < BATCH) return;
  for (int p = 0; p < g_npaths; p++) {
    if (skip_full && p == g_full) continue;
    use_path(g_paths[p]);
    check_batch(c, t, q);
  }
  use_path(g_paths[g_full]);
  q->n = 0;
}

static void batch_flush(const combo *c, tally *t, batch *q, int skip_full) {
  for (int p = 0; p < g_npaths && q->n; p++) {
    if (skip_full && p == g_full) continue;
    use_path(g_paths[p]);
    check_batch(c, t, q);
  }
  use_path(g_paths[g_full]);
  q->n = 0;
}

/* The paths other than the full one, on a 32-bit source's runs (spec_notes/proof.md): every
 * input whose exponent field is all zeros (zeros, subnormals: the leading bit moves) or all
 * ones (Inf, NaN payloads), and elsewhere each run cut at the binade boundaries, checked at
 * both ends and their inner neighbours. Within one binade and sign the scalar conversion is a
 * monotone function of the significand followed by a clamp, so a piece whose ends give the
 * oracle's code gives it everywhere. */
static void check_pieces(const combo *c, const runs *r, tally *t) {
  if (g_npaths < 2) return;
  const mx_format_desc *s = mx_format(c->src);
  const uint64_t binade = (uint64_t)1 << s->mbits, emask = ((uint64_t)1 << s->ebits) - 1;
  batch *q = malloc(sizeof *q);
  if (!q) abort();
  q->n = 0;
  for (size_t i = 0; i < r->n; i++) {
    const run *u = &r->v[i];
    for (uint64_t x = u->first;;) {
      uint64_t end = x | (binade - 1);
      if (end > u->last) end = u->last;
      uint64_t ef = (x >> s->mbits) & emask;
      if (ef == 0 || ef == emask) {
        for (uint64_t y = x;; y++) {
          batch_add(c, t, q, y, u->code, 1);
          if (y == end) break;
        }
      } else {
        uint64_t pts[4] = {x, x + 1, end - 1, end}; /* in order; duplicates when the piece is short */
        for (int k = 0; k < 4; k++) {
          int dup = pts[k] < x || pts[k] > end;
          for (int j = 0; j < k && !dup; j++) dup = pts[j] == pts[k];
          if (!dup) batch_add(c, t, q, pts[k], u->code, 1);
        }
      }
      if (end == u->last) break;
      x = end + 1;
    }
  }
  batch_flush(c, t, q, 1);
  free(q);
}

/* ---- random numbers (printed seeds make every run reproducible) ---------------------- */

static uint64_t splitmix64(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* A random source bit pattern: half uniform over all patterns, half with an exponent near
 * the destination's range (where the rounding boundaries are). */
static uint64_t random_input(const combo *c, uint64_t *rng) {
  const mx_format_desc *s = mx_format(c->src), *d = mx_format(c->dst);
  uint64_t r = splitmix64(rng);
  uint64_t mask = s->bits == 64 ? ~0ull : (((uint64_t)1 << s->bits) - 1);
  if (r & 1) return (r >> 1) & mask;
  uint64_t r2 = splitmix64(rng);
  int lo = d->emin - d->mbits - 3, hi = d->emax + 3;
  if (d->kind == MX_KIND_INT) { lo = -10; hi = 3; }
  int e = lo + (int)(r2 % (uint64_t)(hi - lo + 1));
  if (e < s->emin - s->mbits) e = s->emin - s->mbits;
  if (e > s->emax) e = s->emax;
  uint64_t sign = (r2 >> 32) & 1;
  uint64_t mant = (r >> 1) & (((uint64_t)1 << s->mbits) - 1);
  uint64_t ef = e >= s->emin ? (uint64_t)(e + s->bias) : 0;
  return (sign << (s->bits - 1)) | (ef << s->mbits) | mant;
}

static int run_lookup(const runs *r, uint64_t bits, uint32_t *code) {
  size_t lo = 0, hi = r->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (r->v[mid].last < bits) lo = mid + 1;
    else hi = mid;
  }
  if (lo < r->n && r->v[lo].first <= bits && bits <= r->v[lo].last) {
    *code = r->v[lo].code;
    return 1;
  }
  return 0;
}

/* ---- the sets of interesting inputs --------------------------------------------------- */

static void check_specials(const combo *c, tally *t, uint32_t rnd) {
  const mx_format_desc *s = mx_format(c->src);
  uint64_t sb = (uint64_t)1 << (s->bits - 1);
  uint64_t expall = (((uint64_t)1 << s->ebits) - 1) << s->mbits;
  uint64_t mall = ((uint64_t)1 << s->mbits) - 1;
  uint64_t quiet = (uint64_t)1 << (s->mbits - 1);
  uint64_t minnorm = (uint64_t)1 << s->mbits;
  uint64_t list[] = {0, 1, mall, minnorm, minnorm + 1, s->max_code, s->max_code - 1, expall, expall | quiet,
                     expall | 1, expall | mall, expall | (quiet >> 1)};
  for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
    for (int sign = 0; sign < 2; sign++) check_direct(c, t, list[i] | (sign ? sb : 0), rnd);
}

static void check_code_values(const combo *c, tally *t, uint32_t rnd) {
  const mx_format_desc *d = mx_format(c->dst), *s = mx_format(c->src);
  mpfr_t x;
  mpfr_init2(x, 64);
  uint64_t sb = (uint64_t)1 << (s->bits - 1);
  for (uint32_t code = 0; code < (1u << d->bits); code++) {
    mxo_decode_signed(c->dst, code, x);
    if (mpfr_nan_p(x) || mpfr_inf_p(x)) continue;
    mpfr_abs(x, x, MPFR_RNDN);
    /* the exact value as a source bit pattern, both signs, and its neighbours */
    uint64_t bits;
    if (mxo_number_to_source(c->src, x, &bits) != 0) continue; /* not representable in the source */
    if ((bits & ~sb) >= (((uint64_t)1 << s->ebits) - 1) << s->mbits) continue;
    for (int sign = 0; sign < 2; sign++) {
      uint64_t b = bits | (sign ? sb : 0);
      check_direct(c, t, b, rnd);
      if ((b & ~sb) > 0) check_direct(c, t, b - 1, rnd);
      if ((b & ~sb) < s->max_code) check_direct(c, t, b + 1, rnd);
    }
  }
  mpfr_clear(x);
}

static void check_boundaries(const combo *c, tally *t, const runs *r, uint64_t seg_first[4], uint64_t seg_last[4]) {
  for (size_t i = 0; i < r->n; i++) {
    const run *u = &r->v[i];
    uint64_t pts[6] = {u->first - 1, u->first, u->first + 1, u->last - 1, u->last, u->last + 1};
    for (int k = 0; k < 6; k++) {
      int ok = 0;
      for (int s = 0; s < 4; s++) ok |= pts[k] >= seg_first[s] && pts[k] <= seg_last[s];
      if (ok && (k == 1 || k == 4 || pts[k] != u->first)) check_direct(c, t, pts[k], 0);
    }
  }
}

/* ---- one combination ------------------------------------------------------------------ */

typedef struct prove_cfg {
  int exhaustive;
  uint64_t sample, sr_sample, seed;
  unsigned shard_i, shard_n, jobs;
} prove_cfg;

static void get_runs(const combo *c, runs *r, uint64_t lo, uint64_t hi, tally *t) {
  uint64_t f[4], l[4];
  mxo_source_segments(c->src, f, l);
  for (int s = 0; s < 4; s++) {
    uint64_t a = f[s] > lo ? f[s] : lo, b = l[s] < hi ? l[s] : hi;
    if (a > b) continue;
    t->oracle_calls += mxo_walk_runs(c->dst, c->src, &c->o, a, b, mxo_collect_run, r);
  }
}

static tally prove_combo(const combo *c, const prove_cfg *cfg) {
  tally t = {0};
  const mx_format_desc *s = mx_format(c->src);
  uint64_t rng = cfg->seed ^ ((uint64_t)c->src << 56) ^ ((uint64_t)c->dst << 48) ^ ((uint64_t)c->o.round << 40) ^
                 ((uint64_t)c->o.overflow << 32);
  if (c->o.round == MX_SR) {
    /* stochastic rounding: random inputs with random bits, each against the oracle */
    check_specials(c, &t, (uint32_t)splitmix64(&rng));
    check_code_values(c, &t, (uint32_t)splitmix64(&rng));
    for (uint64_t i = 0; i < cfg->sr_sample; i++) {
      uint64_t b = random_input(c, &rng);
      check_direct(c, &t, b, (uint32_t)splitmix64(&rng));
    }
    return t;
  }
  if (cfg->exhaustive && s->bits == 16) {
    /* one oracle call per input (the scalar mxref_convert_one compared there too), then
     * every path's array conversion against the same codes */
    batch *q = malloc(sizeof *q);
    if (!q) abort();
    q->n = 0;
    for (uint64_t b = 0; b < 65536; b++) {
      if (b % cfg->shard_n != cfg->shard_i) continue;
      uint32_t e = mxo_convert(c->dst, c->src, b, &c->o, 0);
      uint32_t g = mxref_convert_one(c->dst, c->src, b, &c->o, 0);
      t.oracle_calls++;
      t.checked++;
      if (e != g) report_diff(c, &t, b, 0, e, g);
      batch_add(c, &t, q, b, e, 0);
    }
    batch_flush(c, &t, q, 0);
    free(q);
    return t;
  }
  uint64_t f[4], l[4];
  mxo_source_segments(c->src, f, l);
  runs r = {0};
  if (cfg->exhaustive) {
    uint64_t space = (uint64_t)1 << s->bits;
    uint64_t lo = space / cfg->shard_n * cfg->shard_i;
    uint64_t hi = cfg->shard_i + 1 == cfg->shard_n ? space - 1 : space / cfg->shard_n * (cfg->shard_i + 1) - 1;
    get_runs(c, &r, lo, hi, &t);
    check_runs_parallel(c, &r, lo, hi, cfg->jobs, &t); /* on the full path, which is in use */
    check_pieces(c, &r, &t);
  } else {
    get_runs(c, &r, 0, ~0ull, &t);
    check_boundaries(c, &t, &r, f, l);
    check_specials(c, &t, 0);
    check_code_values(c, &t, 0);
    /* random inputs: the scalar mxref_convert_one, and every path's array conversion */
    batch *q = malloc(sizeof *q);
    if (!q) abort();
    q->n = 0;
    for (uint64_t i = 0; i < cfg->sample; i++) {
      uint64_t b = random_input(c, &rng);
      uint32_t expect;
      if (i < 2000) {
        check_direct(c, &t, b, 0); /* also keeps the run table honest */
        continue;
      }
      if (!run_lookup(&r, b, &expect)) {
        check_direct(c, &t, b, 0);
        continue;
      }
      uint32_t got = mxref_convert_one(c->dst, c->src, b, &c->o, 0);
      t.checked++;
      if (got != expect) report_diff(c, &t, b, 0, expect, got);
      batch_add(c, &t, q, b, expect, 0);
    }
    batch_flush(c, &t, q, 0);
    free(q);
  }
  free(r.v);
  return t;
}

/* ---- decode proof --------------------------------------------------------------------- */

static uint64_t prove_decode(uint64_t *checked) {
  uint64_t diffs = 0;
  mpfr_t want, got;
  mpfr_init2(want, 64);
  mpfr_init2(got, 64);
  for (int f = 0; f < MX_FMT_COUNT; f++) {
    const mx_format_desc *d = mx_format((mx_fmt)f);
    if (!d->is_element) continue;
    for (uint32_t code = 0; code < (1u << d->bits); code++) {
      mxo_decode_signed((mx_fmt)f, code, want);
      uint64_t b64 = mxref_decode_f64_bits((mx_fmt)f, code);
      uint32_t b32 = mxref_decode_f32_bits((mx_fmt)f, code);
      double dv;
      float fv;
      memcpy(&dv, &b64, 8);
      memcpy(&fv, &b32, 4);
      for (int w = 0; w < 2; w++) {
        mpfr_set_d(got, w ? (double)fv : dv, MPFR_RNDN); /* float -> double is exact */
        int ok;
        if (mpfr_nan_p(want)) ok = mpfr_nan_p(got) && (int)((w ? b32 >> 31 : b64 >> 63) & 1) == mx_code_sign((mx_fmt)f, code);
        else ok = mpfr_equal_p(want, got) && mpfr_signbit(want) == mpfr_signbit(got);
        (*checked)++;
        if (!ok) {
          diffs++;
          printf("  DIFF decode.%s 0x%02x: reference %s bits 0x%0*" PRIx64 "\n", d->name, code, w ? "f32" : "f64",
                 w ? 8 : 16, w ? (uint64_t)b32 : b64);
        }
      }
    }
  }
  /* the array forms (table-driven for long arrays) give exactly the scalar decode's bits */
  for (int f = 0; f < MX_FMT_COUNT; f++) {
    const mx_format_desc *d = mx_format((mx_fmt)f);
    if (!d->is_element) continue;
    enum { N = 1000 };
    uint8_t codes[N];
    float f32[N];
    double f64[N];
    for (int i = 0; i < N; i++) codes[i] = (uint8_t)((i * 37 + 11) & ((1u << d->bits) - 1));
    for (size_t n = 1; n <= N; n = n < 64 ? n * 4 : N) {
      mxref_decode_f32((mx_fmt)f, codes, f32, n);
      mxref_decode_f64((mx_fmt)f, codes, f64, n);
      for (size_t i = 0; i < n; i++) {
        uint32_t b32;
        uint64_t b64;
        memcpy(&b32, &f32[i], 4);
        memcpy(&b64, &f64[i], 8);
        (*checked)++;
        if (b32 != mxref_decode_f32_bits((mx_fmt)f, codes[i]) || b64 != mxref_decode_f64_bits((mx_fmt)f, codes[i])) {
          diffs++;
          printf("  DIFF decode.%s array form (n=%zu) at code 0x%02x\n", d->name, n, codes[i]);
        }
      }
      if (n == N) break;
    }
  }
  mpfr_clear(want);
  mpfr_clear(got);
  return diffs;
}

/* ---- the knob sweep: every non-default special-value knob, one at a time -------------- */

static uint64_t knobs_sweep(const mx_fmt *srcs, int ns, const mx_fmt *dsts, int nd, uint64_t *checked, uint64_t seed) {
  uint64_t diffs = 0;
  for (const mx_knob *k = mx_knob_table; k->name; k++) {
    if (k->is_number || !strcmp(k->name, "round") || !strcmp(k->name, "overflow")) continue;
    for (int v = 1; k->values[v]; v++) {
      for (int si = 0; si < ns; si++)
        for (int di = 0; di < nd; di++)
          for (int rm = 0; rm < MX_ROUND_COUNT; rm++)
            for (int ov = 0; ov < 2; ov++) {
              combo c = {srcs[si], dsts[di], {0}};
              mx_convert_opts_default(&c.o);
              c.o.round = (mx_round)rm;
              c.o.overflow = (mx_overflow)ov;
              mx_knob_set(&c.o, k->name, k->values[v]);
              tally t = {0};
              uint64_t rng = seed + (uint64_t)v * 7919 + (uint64_t)rm * 131 + (uint64_t)ov;
              check_specials(&c, &t, (uint32_t)splitmix64(&rng));
              check_code_values(&c, &t, (uint32_t)splitmix64(&rng));
              for (int i = 0; i < 300; i++) check_direct(&c, &t, random_input(&c, &rng), (uint32_t)splitmix64(&rng));
              *checked += t.checked;
              diffs += t.diffs;
            }
    }
  }
  return diffs;
}

/* ---- command line --------------------------------------------------------------------- */

static int parse_list(const char *cmd, const char *text, const char *what, const char *const *names, int count,
                      int *out) {
  int n = 0;
  if (!strcmp(text, "all")) {
    for (int i = 0; i < count; i++) out[n++] = i;
    return n;
  }
  char buf[256];
  snprintf(buf, sizeof buf, "%s", text);
  for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
    int i = mx_name_index(names, tok);
    if (i < 0 || i >= count) cli_usage_error(cmd, "bad %s '%s'", what, tok);
    out[n++] = i;
  }
  return n;
}

static int parse_formats(const char *cmd, const char *text, int want_source, mx_fmt *out) {
  int n = 0;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", text);
  for (int f = 0; f < MX_FMT_COUNT && !strcmp(text, "all"); f++) {
    const mx_format_desc *d = mx_format((mx_fmt)f);
    if (want_source ? d->is_source : d->is_element) out[n++] = (mx_fmt)f;
  }
  if (!strcmp(text, "all")) return n;
  for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ","))
    out[n++] = cli_format(cmd, tok, want_source, !want_source);
  return n;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int cmd_prove(int argc, char **argv) {
  const char *cmd = "prove";
  prove_cfg cfg = {0, 1000000, 100000, 20261123, 0, 1, 1};
  const char *src_s = NULL, *dst_s = "all", *round_s = NULL, *ovf_s = "all", *op = "all";
  int knobs_sweep_on = 0, quiet = 0;
  mx_convert_opts base;
  mx_convert_opts_default(&base);
  for (int i = 1; i < argc; i++) {
    const char *v;
    if (!strcmp(argv[i], "--exhaustive")) cfg.exhaustive = 1;
    else if (!strcmp(argv[i], "--knobs-sweep")) knobs_sweep_on = 1;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--sample"))) cfg.sample = cli_u64(cmd, "--sample", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--sr-sample"))) cfg.sr_sample = cli_u64(cmd, "--sr-sample", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--seed"))) cfg.seed = cli_u64(cmd, "--seed", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--jobs"))) cfg.jobs = (unsigned)cli_u64_max(cmd, "--jobs", v, 4096);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--shard"))) cli_shard(cmd, v, &cfg.shard_i, &cfg.shard_n);
    else if (!strcmp(argv[i], "-q")) quiet = 1; /* no progress lines */
    else if ((v = cli_opt(cmd, argc, argv, &i, "--src"))) src_s = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--to"))) dst_s = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--round"))) round_s = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--overflow"))) ovf_s = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--op"))) op = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--path"))) {
      /* which libmxref code path is proved (mxref.h); MXREF_PATH in the environment too */
      int p = mxref_path_by_name(v);
      if (p < 0) cli_usage_error(cmd, "bad --path '%s' (one of: auto scalar avx2)", v);
      if (mxref_set_path((mxref_path)p) != 0) cli_usage_error(cmd, "--path %s: not supported on this CPU", v);
      g_npaths = 0;
    }
    else if ((v = cli_opt(cmd, argc, argv, &i, "--paths"))) {
      char buf[128];
      snprintf(buf, sizeof buf, "%s", v);
      g_npaths = 0;
      if (!strcmp(v, "all")) /* every path this CPU runs */
        snprintf(buf, sizeof buf, "scalar%s", mxref_path_supported(MXREF_PATH_AVX2) ? ",avx2" : "");
      for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        int p = mxref_path_by_name(tok);
        if (p <= MXREF_PATH_AUTO) cli_usage_error(cmd, "bad --paths entry '%s' (scalar or avx2)", tok);
        if (!mxref_path_supported((mxref_path)p)) cli_usage_error(cmd, "--paths %s: not supported on this CPU", tok);
        for (int k = 0; k < g_npaths; k++)
          if (g_paths[k] == (mxref_path)p) cli_usage_error(cmd, "--paths names %s twice", tok);
        g_paths[g_npaths++] = (mxref_path)p;
      }
    }
    else if ((v = cli_opt(cmd, argc, argv, &i, "--knob"))) cli_knob_assign(cmd, &base, v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--canary"))) {
      g_canary = cli_u64_max(cmd, "--canary", v, UINT32_MAX);
      g_canary_set = 1;
    }
    else if ((v = cli_opt(cmd, argc, argv, &i, "--max-print"))) g_max_print = (unsigned)cli_u64_max(cmd, "--max-print", v, 1000000000);
    else if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform prove [--op convert|decode|knobs|scale|quantize|pack|blocks|all] [--exhaustive | --sample N] [--sr-sample N]\n"
             "         [--src f32,bf16,f16,f64|all] [--to e4m3,...|all] [--round rne,...|all] [--overflow sat,ovf|all]\n"
             "         [--knob NAME=VALUE]... [--knobs-sweep] [--seed S] [--shard i/n] [--jobs J] [--max-print N]\n"
             "         [--path auto|scalar|avx2 | --paths scalar,avx2|all] [--canary BITS] [-q]\n"
             "Checks libmxref (the code path in use: --path, else MXREF_PATH, else the best this CPU runs)\n"
             "against the MPFR oracle; prints one line per combination and a summary. --exhaustive shows\n"
             "progress (combinations done, rate, ETA) on standard error; -q: none.\n"
             "--canary BITS (a self-test of --op convert): the reference's code for that input is\n"
             "changed in one bit before each array comparison; the proof must then report it.\n"
             "Exit status: 0 no differences, 1 differences, 2 bad usage.\n");
      return 0;
    } else cli_usage_error(cmd, "unknown argument '%s'", argv[i]);
  }
  int block_op = !strcmp(op, "scale") || !strcmp(op, "quantize") || !strcmp(op, "pack") || !strcmp(op, "blocks");
  if (strcmp(op, "all") && strcmp(op, "convert") && strcmp(op, "decode") && strcmp(op, "knobs") && !block_op)
    cli_usage_error(cmd, "bad --op '%s' (one of: convert decode knobs scale quantize pack blocks all)", op);
  if (!strcmp(op, "knobs")) knobs_sweep_on = 1;
  if (!src_s) src_s = cfg.exhaustive ? "f32,bf16,f16" : "all";
  if (!round_s) round_s = cfg.exhaustive ? "rne,rna,rtz,rup,rdn" : "all";
  if (cfg.jobs < 1 || cfg.jobs > 256) cli_usage_error(cmd, "--jobs must be 1..256");

  mx_fmt srcs[8], dsts[16];
  int rounds[MX_ROUND_COUNT], ovfs[2];
  int ns = parse_formats(cmd, src_s, 1, srcs), nd = parse_formats(cmd, dst_s, 0, dsts);
  int nr = parse_list(cmd, round_s, "--round", mx_round_names, MX_ROUND_COUNT, rounds);
  int no = parse_list(cmd, ovf_s, "--overflow", mx_overflow_names, 2, ovfs);
  if (cfg.exhaustive)
    for (int i = 0; i < ns; i++)
      if (mx_format(srcs[i])->bits > 32) cli_usage_error(cmd, "--exhaustive takes 16- and 32-bit sources (not f64)");

  if (g_npaths == 0) g_paths[g_npaths++] = mxref_get_path(); /* --path, MXREF_PATH, or the best */
  g_full = 0;
  for (int k = g_npaths - 1; k >= 0; k--)
    if (g_paths[k] == MXREF_PATH_AVX2) g_full = k;
  use_path(g_paths[g_full]);
  prove_blocks_setup(g_paths, g_npaths, cfg.shard_i, cfg.shard_n);
  char pathlist[64] = "";
  for (int k = 0; k < g_npaths; k++) {
    size_t l = strlen(pathlist);
    snprintf(pathlist + l, sizeof pathlist - l, "%s%s%s", k ? "," : "", mxref_path_name(g_paths[k]),
             g_npaths > 1 && k == g_full ? "(full)" : "");
  }
  double t0 = now();
  uint64_t total_checked = 0, total_diffs = 0, combos = 0;
  progress pr; /* --exhaustive conversions: minutes to hours */
  progress_start(&pr, "prove --exhaustive", "combinations", (uint64_t)ns * nd * nr * no, quiet || !cfg.exhaustive);
  printf("mxconform prove: %s, seed %" PRIu64 ", shard %u/%u, jobs %u, libmxref path %s\n",
         cfg.exhaustive ? "exhaustive" : "sampled", cfg.seed, cfg.shard_i, cfg.shard_n, cfg.jobs, pathlist);
  if (!strcmp(op, "all") || !strcmp(op, "decode")) {
    uint64_t checked = 0, d = 0;
    for (int k = 0; k < g_npaths; k++) { /* the array forms depend on the path */
      use_path(g_paths[k]);
      d += prove_decode(&checked);
    }
    use_path(g_paths[g_full]);
    printf("%-22s %-14s checked %12" PRIu64 "  diffs %" PRIu64 "\n", "decode.*", "all codes", checked, d);
    total_checked += checked;
    total_diffs += d;
    combos++;
  }
  if (!strcmp(op, "all") || !strcmp(op, "convert")) {
    for (int si = 0; si < ns; si++)
      for (int di = 0; di < nd; di++)
        for (int ri = 0; ri < nr; ri++)
          for (int oi = 0; oi < no; oi++) {
            combo c = {srcs[si], dsts[di], base};
            c.o.round = (mx_round)rounds[ri];
            c.o.overflow = (mx_overflow)ovfs[oi];
            double t1 = now();
            tally t = prove_combo(&c, &cfg);
            progress_hide(&pr);
            char name[64], modes[32];
            snprintf(name, sizeof name, "cvt.%s.%s", mx_format(c.src)->name, mx_format(c.dst)->name);
            snprintf(modes, sizeof modes, "%s %s", mx_round_names[c.o.round], mx_overflow_names[c.o.overflow]);
            printf("%-22s %-14s checked %12" PRIu64 "  diffs %" PRIu64 "  oracle calls %" PRIu64 "  %.1fs\n", name,
                   modes, t.checked, t.diffs, t.oracle_calls, now() - t1);
            fflush(stdout);
            total_checked += t.checked;
            total_diffs += t.diffs;
            combos++;
            progress_add(&pr, 1);
          }
  }
  progress_finish(&pr);
  if (block_op || !strcmp(op, "all")) {
    uint64_t checked = 0, d = prove_blocks(block_op ? op : "blocks", cfg.exhaustive, cfg.sample / 10 + 1, cfg.seed,
                                           cfg.jobs, &checked);
    total_checked += checked;
    total_diffs += d;
    combos++;
  }
  if (knobs_sweep_on) {
    uint64_t checked = 0, d = knobs_sweep(srcs, ns, dsts, nd, &checked, cfg.seed);
    printf("%-22s %-14s checked %12" PRIu64 "  diffs %" PRIu64 "\n", "knobs-sweep", "one at a time", checked, d);
    total_checked += checked;
    total_diffs += d;
    combos++;
  }
  printf("SUMMARY: %" PRIu64 " combinations, %" PRIu64 " inputs checked, %" PRIu64 " differences, %.1fs wall\n",
         combos, total_checked, total_diffs, now() - t0);
  return total_diffs ? MXC_EXIT_FAIL : MXC_EXIT_OK;
}
