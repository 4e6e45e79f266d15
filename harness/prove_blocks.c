/* Block proofs: libmxref's block layer (reference/quantize.c ...) against the oracle's
 * (oracle/quantize.c), two independent implementations of include/mxconform/block.h.
 *
 *   scale     mxref_block_scale vs mxo_block_scale. The scale is a monotone step function
 *             of |amax| between zero, the subnormals, the normals, Inf and NaN, so the
 *             oracle's runs (mxo_walk_runs_of) over those pieces give the exact answer for
 *             every input with a few thousand oracle calls. --exhaustive: all 2^32 f32 amax per format x rule, each checked
 *             against its run (threads: --jobs). Always: all 2^16 bf16 and f16 amax; and, by
 *             direct oracle calls, every power of two and its +-1-ulp neighbours, every
 *             m_max * 2^e and 2 - 2^-(M+1) rule boundary and neighbours, subnormals,
 *             specials, run boundaries; `sample` random amax against the runs (f32, f64).
 *             Block knobs (nan/inf/zero block, scale overflow, flushing) on the same points.
 *   quantize  `sample` seeded random blocks per format x rule (f32; 1/40 of that for bf16,
 *             f16, f64), drawn from mixtures that stress the scale and the element grid.
 *             Each block's scale is checked against the oracle (its scale runs, after the
 *             block logic of steps 2-3), each element against the identity "element i ==
 *             scalar conversion of V_i / X" (the scalar path is pinned to the oracle by
 *             prove --op convert), the scale byte against the rule formulas of peers.md D6
 *             note (i) computed in floating point (frexp, an independent method), and the
 *             first blocks of every combination - plus blocks holding a special value or a
 *             zero, up to a cap - against mxo_quantize_block directly, codes and dequantized
 *             values included. (All blocks directly would cost ~8 us each: far beyond a CI
 *             budget at 10^6 blocks per combination.) Non-default knobs on 1/200 of
 *             `sample`, f32 (f64 for scale_overflow), FLOOR and RCEIL.
 *   pack      random code arrays of random lengths per format x layout: mxref_pack ==
 *             mxo_pack byte for byte, unpack(pack(x)) == x for both, unused bits ignored.
 *
 * Every difference prints a DIFF line and a `mxconform quantize ... --impl both` command
 * that reproduces the block. */
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../oracle/oracle_block.h"
#include "cli.h"
#include "mxconform/block.h"
#include "mxconform/mxref.h"
#include "mxconform/profile.h"
#include "prove.h"

#define MAX_PRINT 10 /* DIFF lines printed per combination */

/* ---- the code paths proved, and the combinations this process takes -------------------- */

static mxref_path g_paths[MXREF_PATH_COUNT] = {MXREF_PATH_AUTO};
static int g_npaths;
static unsigned g_shard_i, g_shard_n = 1;
static unsigned g_combo; /* index of the next combination */

void prove_blocks_setup(const mxref_path *paths, int npaths, unsigned shard_i, unsigned shard_n) {
  g_npaths = npaths < MXREF_PATH_COUNT ? npaths : MXREF_PATH_COUNT;
  for (int k = 0; k < g_npaths; k++) g_paths[k] = paths[k];
  g_shard_i = shard_i;
  g_shard_n = shard_n ? shard_n : 1;
}

/* The paths to prove: those set up, else the one in use. */
static int paths_to_prove(mxref_path *out) {
  if (g_npaths == 0) {
    out[0] = mxref_get_path();
    return 1;
  }
  for (int k = 0; k < g_npaths; k++) out[k] = g_paths[k];
  return g_npaths;
}

/* Does this process take the next combination (--shard i/n splits them)? */
static int my_combo(void) { return g_combo++ % g_shard_n == g_shard_i; }

/* ---- small tools -------------------------------------------------------------------- */

/* wyrand: one 64x64-bit multiply per number; the generator runs several times per value */
static uint64_t random64(uint64_t *s) {
  *s += 0xA0761D6478BD642Full;
  unsigned __int128 t = (unsigned __int128)*s * (*s ^ 0xE7037ED1A0B428DBull);
  return (uint64_t)(t >> 64) ^ (uint64_t)t;
}

/* uniform in [0, n) for n > 0: the high half of a 64x64-bit product (no division; this runs
 * several times per generated value) */
static uint64_t below(uint64_t *rng, uint64_t n) {
  return (uint64_t)(((unsigned __int128)random64(rng) * n) >> 64);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int bitlen_minus1(uint64_t x) { return 63 - __builtin_clzll(x); }

typedef struct tally {
  uint64_t checked, diffs, oracle_calls;
  unsigned printed;
} tally;

static pthread_mutex_t g_print_lock = PTHREAD_MUTEX_INITIALIZER;

static void print_line(const char *name, const char *modes, const tally *t, double seconds) {
  printf("%-22s %-14s checked %12" PRIu64 "  diffs %" PRIu64 "  oracle calls %" PRIu64 "  %.1fs\n", name, modes,
         t->checked, t->diffs, t->oracle_calls, seconds);
  fflush(stdout);
}

/* ---- source formats as bits ----------------------------------------------------------- */

typedef struct src_info {
  const mx_format_desc *d;
  uint64_t sign, abs_mask, inf, quiet, min_normal;
} src_info;

static src_info source_info(mx_fmt src) {
  src_info s;
  s.d = mx_format(src);
  s.sign = (uint64_t)1 << (s.d->bits - 1);
  s.abs_mask = s.sign - 1;
  s.inf = (((uint64_t)1 << s.d->ebits) - 1) << s.d->mbits;
  s.quiet = (uint64_t)1 << (s.d->mbits - 1);
  s.min_normal = (uint64_t)1 << s.d->mbits;
  return s;
}

/* |value| = sig * 2^exp as bits of the source (sig > 0), truncated to the source precision;
 * too large gives max finite, too small +0. Test-data construction, not a conversion. */
static uint64_t compose(const src_info *s, int sign, uint64_t sig, int exp) {
  const mx_format_desc *d = s->d;
  uint64_t sb = sign ? s->sign : 0;
  if (!sig) return sb;
  int p = bitlen_minus1(sig), e = exp + p;
  if (e > d->emax) return sb | d->max_code;
  if (e >= d->emin) {
    int sh = p - d->mbits;
    uint64_t m = sh >= 0 ? sig >> sh : sig << -sh;
    return sb | ((uint64_t)(e + d->bias) << d->mbits) | (m & (s->min_normal - 1));
  }
  int sh = (d->emin - d->mbits) - exp; /* subnormal quantum 2^(emin - mbits) */
  if (sh >= 64) return sb;
  return sb | (sh >= 0 ? sig >> sh : sig << -sh);
}

/* 1 if sig * 2^exp is exactly a finite value of the source */
static int compose_exact(const src_info *s, int sign, uint64_t sig, int exp, uint64_t *bits) {
  const mx_format_desc *d = s->d;
  if (sig) {
    int e = exp + bitlen_minus1(sig);
    if (e > d->emax) return 0;
    int quantum = (e >= d->emin ? e : d->emin) - d->mbits; /* exponent of the last place */
    int dropped = quantum - exp;                              /* bits of sig below it */
    if (dropped >= 64 || (dropped > 0 && (sig & (((uint64_t)1 << dropped) - 1)))) return 0;
  }
  *bits = compose(s, sign, sig, exp);
  return 1;
}

/* The exact value of a source bit pattern as a double (every source fits in binary64). */
static double source_value(const src_info *s, uint64_t bits) {
  const mx_format_desc *d = s->d;
  uint64_t a = bits & s->abs_mask;
  double sgn = (bits & s->sign) ? -1.0 : 1.0;
  if (a > s->inf) return NAN;
  if (a == s->inf) return sgn * INFINITY;
  uint64_t mant = a & (s->min_normal - 1), ef = a >> d->mbits;
  if (d->bits == 64) {
    double v;
    memcpy(&v, &bits, 8);
    return v;
  }
  if (ef == 0) return sgn * ldexp((double)mant, d->emin - d->mbits);
  return sgn * ldexp((double)(mant | s->min_normal), (int)ef - d->bias - d->mbits);
}

/* Typed copy of k bit patterns for the libmxref API (uint16_t / uint32_t / uint64_t). */
static void to_typed(const src_info *s, const uint64_t *bits, size_t k, void *out) {
  for (size_t i = 0; i < k; i++) {
    if (s->d->bits == 16) ((uint16_t *)out)[i] = (uint16_t)bits[i];
    else if (s->d->bits == 32) ((uint32_t *)out)[i] = (uint32_t)bits[i];
    else ((uint64_t *)out)[i] = bits[i];
  }
}

/* ---- runs of the oracle's scale ------------------------------------------------------- */

typedef mxo_run run; /* the oracle's runs (oracle/runs.c) */
typedef mxo_runs runs;

typedef struct scale_fn_ctx {
  mx_block_fmt f;
  mx_fmt src;
  const mx_block_opts *o;
} scale_fn_ctx;

static uint32_t oracle_scale_of(void *ctx, uint64_t bits) {
  scale_fn_ctx *c = ctx;
  return mxo_block_scale(c->f, c->src, bits, c->o);
}

/* The oracle's scale for every amax of the source, as runs. The scale is a monotone step
 * function of |amax| only between the points where block knobs act: zero (zero_block),
 * the subnormals (flushed: a zero block), Inf (inf_block: NaN, 2^127 or a zero block) and
 * the NaNs, so each sign is walked in five pieces that together cover every bit pattern:
 * {0}, subnormals, normals, {Inf}, NaNs. */
static runs scale_runs(mx_block_fmt f, mx_fmt src, const mx_block_opts *o, uint64_t *oracle_calls) {
  runs r = {0};
  src_info s = source_info(src);
  scale_fn_ctx c = {f, src, o};
  for (int neg = 0; neg < 2; neg++) {
    uint64_t sign = neg ? s.sign : 0;
    uint64_t piece[5][2] = {{0, 0}, {1, s.min_normal - 1}, {s.min_normal, s.inf - 1}, {s.inf, s.inf},
                            {s.inf + 1, s.abs_mask}};
    for (int p = 0; p < 5; p++)
      *oracle_calls += mxo_walk_runs_of(oracle_scale_of, &c, sign | piece[p][0], sign | piece[p][1], mxo_collect_run, &r);
  }
  return r;
}

static size_t run_index(const runs *r, uint64_t bits) {
  size_t lo = 0, hi = r->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (r->v[mid].last < bits) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static int run_lookup(const runs *r, uint64_t bits, uint32_t *code) {
  size_t i = run_index(r, bits);
  if (i < r->n && r->v[i].first <= bits && bits <= r->v[i].last) {
    *code = r->v[i].code;
    return 1;
  }
  return 0;
}

/* ---- knob sets and the reproduce command ------------------------------------------------ */

/* A profile holding o, for the profile-key view of the knobs. */
static mx_profile profile_of(const mx_block_opts *o) {
  mx_profile p;
  if (mx_profile_builtin("ocp", &p) != 0) memset(&p, 0, sizeof p);
  p.o = *o;
  return p;
}

/* " --knob key=value" for every profile key whose value differs from the ocp profile. */
static void knob_args(const mx_block_opts *o, char *buf, size_t len) {
  mx_profile def, p = profile_of(o);
  buf[0] = 0;
  if (mx_profile_builtin("ocp", &def) != 0) return;
  for (const char *const *k = mx_profile_keys(); *k; k++) {
    char a[64], b[64];
    const char *va = mx_profile_get(&p, *k, a, sizeof a), *vb = mx_profile_get(&def, *k, b, sizeof b);
    if (va && vb && strcmp(va, vb)) {
      size_t l = strlen(buf);
      snprintf(buf + l, len - l, " --knob %s=%s", *k, va);
    }
  }
}

/* "key=value,key=value" applied to the default block knobs; -1 if a key or value is bad. */
static int apply_variant(const char *variant, mx_block_opts *o) {
  mx_profile p;
  if (mx_profile_builtin("ocp", &p) != 0) return -1;
  mx_block_opts_default(&p.o);
  char buf[256];
  snprintf(buf, sizeof buf, "%s", variant);
  char *save = NULL;
  for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    char *eq = strchr(tok, '=');
    if (!eq) return -1;
    *eq = 0;
    if (mx_profile_set(&p, tok, eq + 1) != 0) return -1;
  }
  *o = p.o;
  return 0;
}

static void print_reproduce(mx_block_fmt f, mx_fmt src, const mx_block_opts *o, const uint64_t *bits, size_t k,
                            const uint32_t *sr) {
  char ka[1024];
  knob_args(o, ka, sizeof ka);
  const mx_format_desc *d = mx_format(src);
  printf("       reproduce: mxconform quantize --fmt %s --from %s%s --impl both", mx_block_fmt_names[f], d->name, ka);
  if (sr) {
    printf(" --sr-random ");
    for (size_t i = 0; i < k; i++) printf("%s%u", i ? "," : "", sr[i]);
  }
  for (size_t i = 0; i < k; i++) printf(" 0x%0*" PRIx64, d->bits / 4, bits[i]);
  printf("\n");
}

/* ---- the scale proof ---------------------------------------------------------------------- */

typedef struct scale_combo {
  mx_block_fmt f;
  mx_fmt src;
  mx_block_opts o;
  const char *name; /* for DIFF lines */
} scale_combo;

static void scale_diff(const scale_combo *c, tally *t, uint64_t bits, uint32_t expect, uint32_t got) {
  pthread_mutex_lock(&g_print_lock);
  t->diffs++;
  if (t->printed < MAX_PRINT) {
    t->printed++;
    const mx_format_desc *d = mx_format(c->src);
    printf("  DIFF %s %s amax 0x%0*" PRIx64 ": oracle scale 0x%02x, reference (path %s) 0x%02x\n", c->name,
           mx_scale_rule_names[c->o.rule], d->bits / 4, bits, expect, mxref_path_name(mxref_get_path()), got);
    print_reproduce(c->f, c->src, &c->o, &bits, 1, NULL);
  }
  pthread_mutex_unlock(&g_print_lock);
}

static void scale_direct(const scale_combo *c, tally *t, uint64_t bits) {
  uint32_t e = mxo_block_scale(c->f, c->src, bits, &c->o);
  uint32_t g = mxref_block_scale(c->f, c->src, bits, &c->o);
  t->oracle_calls++;
  t->checked++;
  if (e != g) scale_diff(c, t, bits, e, g);
}

static void scale_direct_both_signs(const scale_combo *c, tally *t, const src_info *s, uint64_t a) {
  scale_direct(c, t, a);
  scale_direct(c, t, a | s->sign);
}

/* The points where a scale rule can change its mind, each with both neighbours, checked by
 * direct oracle calls: specials, every power of two (FLOOR, CEIL), every m_max * 2^e
 * (RCEIL) and (2 - 2^-(M+1)) * 2^e (EVEN), every subnormal binade. */
static void scale_boundaries(const scale_combo *c, tally *t) {
  src_info s = source_info(c->src);
  const mx_format_desc *d = s.d, *ed = mx_format(mx_block_element(c->f));
  uint64_t mall = s.min_normal - 1;
  uint64_t specials[] = {0, 1, 2, mall, s.min_normal, s.min_normal + 1, d->max_code, d->max_code - 1, s.inf,
                         s.inf | s.quiet, s.inf | 1, s.inf | mall, s.inf | (s.quiet >> 1)};
  for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) scale_direct_both_signs(c, t, &s, specials[i]);
  /* significands with M fraction bits: m_max, and 2 - 2^-(M+1) with M+1 */
  int M = ed->kind == MX_KIND_INT ? bitlen_minus1(ed->max_code) : ed->mbits;
  uint64_t mmax = ed->kind == MX_KIND_INT ? ed->max_code : (((uint64_t)1 << ed->mbits) | (ed->max_code & (((uint64_t)1 << ed->mbits) - 1)));
  uint64_t even = ((uint64_t)4 << M) - 1;
  for (int e = d->emin - d->mbits; e <= d->emax; e++) {
    uint64_t pts[3][2] = {{1, 0}, {mmax, (uint64_t)M}, {even, (uint64_t)M + 1}}; /* sig, fraction bits */
    for (int j = 0; j < 3; j++) {
      uint64_t b;
      if (!compose_exact(&s, 0, pts[j][0], e - (int)pts[j][1], &b)) continue;
      scale_direct(c, t, b);
      if (b > 0) scale_direct(c, t, b - 1);
      if (b < d->max_code) scale_direct(c, t, b + 1);
    }
  }
}

/* uniform bits half the time; otherwise a random exponent over the whole source range */
static uint64_t random_amax(const src_info *s, uint64_t *rng) {
  uint64_t r = random64(rng);
  uint64_t mask = s->d->bits == 64 ? ~0ull : ((uint64_t)1 << s->d->bits) - 1;
  if (r & 1) return (r >> 1) & mask;
  uint64_t ef = below(rng, ((uint64_t)1 << s->d->ebits) - 1); /* 0 (subnormal) .. max finite */
  return ((r >> 1) & (s->sign | (s->min_normal - 1))) | (ef << s->d->mbits);
}

typedef struct scale_job {
  const scale_combo *c;
  const runs *r;
  uint64_t lo, hi; /* inclusive range of amax bit patterns */
  tally t;
} scale_job;

/* Every input of [lo, hi] against the run that holds it. */
static void *scale_range_worker(void *arg) {
  scale_job *j = arg;
  size_t i = run_index(j->r, j->lo);
  uint64_t b = j->lo;
  while (i < j->r->n && b <= j->hi) {
    const run *u = &j->r->v[i];
    uint64_t end = u->last < j->hi ? u->last : j->hi;
    uint32_t code = u->code;
    for (uint64_t x = b;; x++) {
      uint32_t g = mxref_block_scale(j->c->f, j->c->src, x, &j->c->o);
      if (g != code) scale_diff(j->c, &j->t, x, code, g);
      if (x == end) break;
    }
    j->t.checked += end - b + 1;
    if (end == j->hi) break;
    b = end + 1;
    i++;
  }
  return NULL;
}

/* Every bit pattern of a source of at most 32 bits, split over `jobs` threads. */
static void scale_all_inputs(const scale_combo *c, const runs *r, unsigned jobs, tally *t) {
  uint64_t space = (uint64_t)1 << mx_format(c->src)->bits;
  if (jobs < 1) jobs = 1;
  if (space <= 65536) jobs = 1;
  scale_job *js = calloc(jobs, sizeof *js);
  pthread_t *th = calloc(jobs, sizeof *th);
  if (!js || !th) abort();
  for (unsigned k = 0; k < jobs; k++) {
    js[k].c = c;
    js[k].r = r;
    js[k].lo = space / jobs * k;
    js[k].hi = k + 1 == jobs ? space - 1 : space / jobs * (k + 1) - 1;
    js[k].t.printed = t->printed; /* the DIFF budget left to this combination */
  }
  if (jobs == 1) scale_range_worker(&js[0]);
  else {
    for (unsigned k = 0; k < jobs; k++) pthread_create(&th[k], NULL, scale_range_worker, &js[k]);
    for (unsigned k = 0; k < jobs; k++) pthread_join(th[k], NULL);
  }
  for (unsigned k = 0; k < jobs; k++) {
    t->checked += js[k].t.checked;
    t->diffs += js[k].t.diffs;
  }
  free(js);
  free(th);
}

/* The scale of the block {amax, 0, ..., 0} (k = 8) from mxref_quantize_block on each path:
 * the AVX2 kernel computes OCP's floor scale of a normal amax itself (from the exponent
 * field alone), so the proof covers that implementation too. */
static void scale_by_quantize(const scale_combo *c, tally *t, uint64_t bits, uint32_t expect) {
  if (c->src != MX_F32) return;
  mxref_path paths[MXREF_PATH_COUNT];
  int np = paths_to_prove(paths);
  mxref_path was = mxref_get_path();
  uint32_t block[8] = {(uint32_t)bits, 0, 0, 0, 0, 0, 0, 0};
  uint8_t codes[8], scale;
  for (int p = 0; p < np; p++) {
    mxref_set_path(paths[p]);
    mxref_quantize_block(c->f, MX_F32, block, 8, &c->o, NULL, &scale, codes);
    t->checked++;
    if (scale != expect) scale_diff(c, t, bits, expect, scale);
  }
  mxref_set_path(was);
}

/* Every 32-bit amax against the oracle's runs without calling the scale 2^32 times
 * (spec_notes/proof.md): every input whose exponent field is all zeros or all ones, and each
 * run cut at the binade boundaries at both ends and their inner neighbours. Within one
 * binade and sign, mxref_block_scale is the binade's floor exponent plus indicators of the
 * significand passing fixed thresholds (monotone), then a clamp, so a piece whose ends give
 * the oracle's scale gives it throughout. The same points go through mxref_quantize_block on
 * every path. */
static void scale_pieces(const scale_combo *c, const runs *r, tally *t) {
  const mx_format_desc *d = mx_format(c->src);
  const uint64_t binade = (uint64_t)1 << d->mbits, emask = ((uint64_t)1 << d->ebits) - 1;
  for (size_t i = 0; i < r->n; i++) {
    const run *u = &r->v[i];
    for (uint64_t x = u->first;;) {
      uint64_t end = x | (binade - 1);
      if (end > u->last) end = u->last;
      uint64_t ef = (x >> d->mbits) & emask;
      if (ef == 0 || ef == emask) {
        for (uint64_t y = x;; y++) {
          uint32_t g = mxref_block_scale(c->f, c->src, y, &c->o);
          if (g != u->code) scale_diff(c, t, y, u->code, g);
          if (y == end) break;
        }
        t->checked += end - x + 1;
      }
      uint64_t pts[4] = {x, x + 1, end - 1, end}; /* in order; duplicates when the piece is short */
      for (int k = 0; k < 4; k++) {
        int dup = pts[k] < x || pts[k] > end;
        for (int j = 0; j < k && !dup; j++) dup = pts[j] == pts[k];
        if (dup) continue;
        if (ef != 0 && ef != emask) {
          uint32_t g = mxref_block_scale(c->f, c->src, pts[k], &c->o);
          t->checked++;
          if (g != u->code) scale_diff(c, t, pts[k], u->code, g);
        }
        scale_by_quantize(c, t, pts[k], u->code);
      }
      if (end == u->last) break;
      x = end + 1;
    }
  }
}

/* The knob sets of the scale proof (profile keys; block.h steps 2-5). */
static const char *const k_scale_variants[] = {
  "nan_block=ignore", "inf_block=max-scale", "inf_block=ignore", "zero_block=one", "scale_overflow=clamp",
  "src_subnormals=flush", "nan_block=ignore,inf_block=ignore,zero_block=one", NULL};

static uint64_t prove_scale(int exhaustive, uint64_t sample, uint64_t seed, unsigned jobs, uint64_t *checked) {
  const mx_fmt srcs[] = {MX_F32, MX_BF16, MX_F16, MX_F64};
  uint64_t diffs = 0;
  for (size_t si = 0; si < sizeof srcs / sizeof srcs[0]; si++) {
    mx_fmt src = srcs[si];
    src_info s = source_info(src);
    for (int f = 0; f < MX_BLOCK_FMT_COUNT; f++)
      for (int rule = 0; rule < MX_RULE_COUNT; rule++) {
        if (!my_combo()) continue;
        double t0 = now();
        scale_combo c;
        c.f = (mx_block_fmt)f;
        c.src = src;
        mx_block_opts_default(&c.o);
        c.o.rule = (mx_scale_rule)rule;
        char name[64];
        snprintf(name, sizeof name, "scale.%s.%s", s.d->name, mx_block_fmt_names[f]);
        c.name = name;
        tally t = {0};
        runs r = scale_runs(c.f, src, &c.o, &t.oracle_calls);
        scale_boundaries(&c, &t);
        for (size_t i = 0; i < r.n; i++) { /* both sides of every step of the oracle's scale */
          scale_direct(&c, &t, r.v[i].first);
          scale_direct(&c, &t, r.v[i].last);
        }
        if (s.d->bits == 16) {
          scale_all_inputs(&c, &r, jobs, &t);
        } else if (exhaustive && s.d->bits == 32) {
          scale_pieces(&c, &r, &t);
        } else {
          uint64_t rng = seed ^ ((uint64_t)src << 56) ^ ((uint64_t)f << 48) ^ ((uint64_t)rule << 40);
          for (uint64_t i = 0; i < sample; i++) {
            uint64_t b = random_amax(&s, &rng);
            uint32_t expect;
            if (i < 2000 || !run_lookup(&r, b, &expect)) {
              scale_direct(&c, &t, b);
              continue;
            }
            uint32_t got = mxref_block_scale(c.f, src, b, &c.o);
            t.checked++;
            if (got != expect) scale_diff(&c, &t, b, expect, got);
          }
        }
        free(r.v);
        print_line(name, mx_scale_rule_names[rule], &t, now() - t0);
        *checked += t.checked;
        diffs += t.diffs;
      }
    /* block knobs: they act on specials, zero, subnormal and overflowing amax, which the
     * boundary points cover; 16-bit sources are again checked everywhere */
    for (const char *const *v = k_scale_variants; *v; v++) {
      if (!my_combo()) continue;
      double t0 = now();
      tally t = {0};
      char name[64];
      snprintf(name, sizeof name, "scale.%s.knobs", s.d->name);
      for (int f = 0; f < MX_BLOCK_FMT_COUNT; f++)
        for (int rule = 0; rule < MX_RULE_COUNT; rule++) {
          scale_combo c;
          c.f = (mx_block_fmt)f;
          c.src = src;
          c.name = name;
          if (apply_variant(*v, &c.o) != 0) {
            printf("  DIFF %s: the profile layer rejects knob set '%s'\n", name, *v);
            t.diffs++;
            f = MX_BLOCK_FMT_COUNT;
            break;
          }
          c.o.rule = (mx_scale_rule)rule;
          unsigned printed = t.printed;
          tally ct = {0};
          ct.printed = printed;
          scale_boundaries(&c, &ct);
          if (s.d->bits == 16) {
            runs r = scale_runs(c.f, src, &c.o, &ct.oracle_calls);
            scale_all_inputs(&c, &r, 1, &ct);
            free(r.v);
          } else {
            uint64_t rng = seed ^ ((uint64_t)src << 56) ^ ((uint64_t)f << 48) ^ ((uint64_t)rule << 40) ^ 0x5eed;
            for (uint64_t i = 0; i < sample / 1000 + 100; i++) scale_direct(&c, &ct, random_amax(&s, &rng));
          }
          t.checked += ct.checked;
          t.diffs += ct.diffs;
          t.oracle_calls += ct.oracle_calls;
          t.printed = ct.printed;
        }
      print_line(name, *v, &t, now() - t0);
      *checked += t.checked;
      diffs += t.diffs;
    }
  }
  return diffs;
}

/* ---- random blocks -------------------------------------------------------------------------- */

/* The element format's scale-rule constants, as the rule formulas of peers.md D6 (i) read
 * them: m_max (largest value's significand) and M (its bits after the point). */
typedef struct elem_info {
  mx_fmt elem;
  const mx_format_desc *d;
  int emax, M;
  double m_max;
  uint64_t max_sig; /* m_max * 2^M */
} elem_info;

static elem_info element_info(mx_block_fmt f) {
  elem_info e;
  e.elem = mx_block_element(f);
  e.d = mx_format(e.elem);
  e.emax = e.d->emax;
  double maxv;
  uint64_t b = mxref_decode_f64_bits(e.elem, (uint32_t)e.d->max_code);
  memcpy(&maxv, &b, 8);
  int ex;
  e.m_max = 2 * frexp(maxv, &ex);
  e.M = e.d->kind == MX_KIND_INT ? -e.d->int_scale_log2 : e.d->mbits;
  e.max_sig = (uint64_t)ldexp(e.m_max, e.M);
  return e;
}

typedef enum mixture {
  MIX_TYPICAL = 0, /* one binade range of ~12 octaves, random significands */
  MIX_WIDE,        /* exponents over the whole source range */
  MIX_GRID_TIES,   /* element grid points and midpoints after scaling, +-1 ulp */
  MIX_POWERS,      /* powers of two and their neighbours */
  MIX_SPECIALS,    /* typical values with NaN, +-Inf, +-0 mixed in, or all-zero blocks */
  MIX_SUBNORMAL,   /* source subnormals, some with small normals */
  MIX_NEAR_MAX,    /* amax at the rule boundaries: m_max, 2 - 2^-(M+1), saturation point */
  MIX_UNIFORM,     /* uniform bit patterns */
  MIX_COUNT
} mixture;

static const char *const k_mixture_names[] = {"typical", "wide", "grid-ties", "powers", "specials", "subnormal",
                                              "near-max", "uniform"};

/* A random significand with the source's precision: sig in [2^mbits, 2^(mbits+1)). */
static uint64_t random_sig(const src_info *s, uint64_t *rng) {
  return s->min_normal | (random64(rng) & (s->min_normal - 1));
}

/* A random exponent for the block's largest binade, over the range where the scale is
 * neither clamped nor overflowing, with margins, clipped to the source. */
static int random_top_exponent(const src_info *s, const elem_info *e, uint64_t *rng) {
  int lo = -127 + e->emax - 8, hi = 127 + e->emax + 2;
  if (lo < s->d->emin - s->d->mbits) lo = s->d->emin - s->d->mbits;
  if (hi > s->d->emax) hi = s->d->emax;
  return lo + (int)below(rng, (uint64_t)(hi - lo + 1));
}

static uint64_t nudge(const src_info *s, uint64_t bits, uint64_t *rng) {
  /* -1, 0 or +1 ulp on the magnitude, staying finite */
  uint64_t a = bits & s->abs_mask, sign = bits & s->sign;
  int r = (int)below(rng, 3) - 1;
  if (r < 0 && a > 0) a--;
  else if (r > 0 && a < s->d->max_code) a++;
  return sign | a;
}

/* Value of element code c (positive, finite) as sig * 2^exp. */
static void element_value(const elem_info *e, uint32_t c, uint64_t *sig, int *exp) {
  const mx_format_desc *d = e->d;
  if (d->kind == MX_KIND_INT) {
    *sig = c;
    *exp = d->int_scale_log2;
    return;
  }
  uint32_t mant = c & ((1u << d->mbits) - 1), ef = c >> d->mbits;
  if (ef == 0) {
    *sig = mant;
    *exp = d->emin - d->mbits;
  } else {
    *sig = mant | (1u << d->mbits);
    *exp = (int)ef - d->bias - d->mbits;
  }
}

static void random_block(const src_info *s, const elem_info *e, mixture mix, uint64_t *rng, uint64_t *v, size_t k) {
  const mx_format_desc *d = s->d;
  int top = random_top_exponent(s, e, rng);
  switch (mix) {
  case MIX_TYPICAL:
  case MIX_SPECIALS:
    for (size_t i = 0; i < k; i++)
      v[i] = compose(s, (int)below(rng, 2), random_sig(s, rng), top - (int)below(rng, 13) - d->mbits);
    if (mix == MIX_SPECIALS) {
      uint64_t kind = below(rng, 8);
      if (kind == 0) { /* all zero, signed */
        for (size_t i = 0; i < k; i++) v[i] = below(rng, 2) ? s->sign : 0;
      } else if (kind == 1) { /* all NaN / Inf */
        for (size_t i = 0; i < k; i++) v[i] = (below(rng, 2) ? s->sign : 0) | s->inf | (below(rng, 2) ? s->quiet : 0);
      } else if (kind == 2) { /* zeros and one special */
        for (size_t i = 0; i < k; i++) v[i] = below(rng, 2) ? s->sign : 0;
        v[below(rng, k)] = s->inf | (below(rng, 2) ? (random64(rng) & (s->min_normal - 1)) | 1 : 0);
      }
      for (size_t i = 0; i < k; i++) {
        uint64_t r = below(rng, 24);
        if (r == 0) v[i] = (v[i] & s->sign) | s->inf;                                                   /* Inf */
        else if (r == 1) v[i] = (v[i] & s->sign) | s->inf | s->quiet | (random64(rng) & (s->quiet - 1)); /* qNaN */
        else if (r == 2) v[i] = (v[i] & s->sign) | s->inf | 1;                                           /* sNaN */
        else if (r == 3) v[i] &= s->sign;                                                                /* +-0 */
      }
    }
    break;
  case MIX_WIDE:
    for (size_t i = 0; i < k; i++) {
      uint64_t ef = below(rng, ((uint64_t)1 << d->ebits) - 1);
      v[i] = (below(rng, 2) ? s->sign : 0) | (ef << d->mbits) | (random64(rng) & (s->min_normal - 1));
    }
    break;
  case MIX_GRID_TIES: {
    /* the floor scale of a block whose amax lies in binade `top`: s = top - emax; the grid
     * of the other rules is that grid or twice as coarse */
    int sc = top - e->emax;
    v[0] = compose(s, (int)below(rng, 2), random_sig(s, rng), top - d->mbits);
    uint32_t ncodes = (uint32_t)e->d->max_code; /* positive finite codes 0..max */
    for (size_t i = 1; i < k; i++) {
      uint32_t c = (uint32_t)below(rng, ncodes); /* c and c+1 both finite */
      uint64_t s0, s1;
      int e0, e1;
      element_value(e, c, &s0, &e0);
      element_value(e, c + 1, &s1, &e1);
      /* midpoint (s0*2^e0 + s1*2^e1) / 2 on a common exponent */
      int em = e0 < e1 ? e0 : e1;
      uint64_t sum = (s0 << (e0 - em)) + (s1 << (e1 - em));
      int extra = (int)below(rng, 2);
      uint64_t bits;
      int sign = (int)below(rng, 2);
      if (below(rng, 4) == 0) { /* a grid point itself */
        if (!compose_exact(s, sign, s0, e0 + sc + extra, &bits)) bits = compose(s, sign, s0, e0 + sc + extra);
      } else if (!compose_exact(s, sign, sum, em - 1 + sc + extra, &bits)) {
        bits = compose(s, sign, sum, em - 1 + sc + extra);
      }
      v[i] = nudge(s, bits, rng);
    }
    break;
  }
  case MIX_POWERS:
    for (size_t i = 0; i < k; i++) {
      uint64_t b = compose(s, (int)below(rng, 2), 1, top - (int)below(rng, 20));
      v[i] = nudge(s, b, rng);
    }
    break;
  case MIX_SUBNORMAL:
    for (size_t i = 0; i < k; i++) {
      uint64_t r = below(rng, 8);
      uint64_t sign = below(rng, 2) ? s->sign : 0;
      if (r == 0) v[i] = sign | (s->min_normal + (random64(rng) & (s->min_normal - 1))); /* smallest binade */
      else v[i] = sign | (random64(rng) >> below(rng, 64) & (s->min_normal - 1));       /* subnormal or 0 */
    }
    break;
  case MIX_NEAR_MAX: {
    /* amax significand at a rule boundary (fraction bits M or M+1), the others below it */
    uint64_t one = (uint64_t)1 << (e->M + 2);
    uint64_t cands[] = {e->max_sig << 2,             /* m_max (RCEIL boundary) */
                        (e->max_sig << 2) + 2,       /* m_max + half an element ulp: FLOOR saturates beyond */
                        2 * one - 2,                 /* 2 - 2^-(M+1) (EVEN boundary) */
                        2 * one - 1,                 /* between that and 2 */
                        one,                         /* 1 (CEIL boundary) */
                        (e->max_sig << 2) - 1};
    uint64_t sig = cands[below(rng, sizeof cands / sizeof cands[0])];
    uint64_t amax;
    if (!compose_exact(s, 0, sig, top - (e->M + 2), &amax)) amax = compose(s, 0, sig, top - (e->M + 2));
    for (size_t i = 0; i < k; i++) {
      uint64_t r = below(rng, 4);
      if (r == 0) v[i] = nudge(s, amax, rng) | (below(rng, 2) ? s->sign : 0);
      else v[i] = compose(s, (int)below(rng, 2), random_sig(s, rng), top - (int)below(rng, 4) - d->mbits - (r == 1));
    }
    v[below(rng, k)] = amax | (below(rng, 2) ? s->sign : 0);
    break;
  }
  default:
    for (size_t i = 0; i < k; i++) v[i] = random64(rng) & (d->bits == 64 ? ~0ull : (((uint64_t)1 << d->bits) - 1));
    break;
  }
}

/* ---- the quantize proof ---------------------------------------------------------------------- */

typedef struct qcombo {
  mx_block_fmt f;
  mx_fmt src;
  mx_block_opts o;
  const char *name;
  src_info s;
  elem_info e;
  runs scale; /* the oracle's block scale, by amax */
} qcombo;

static void block_diff(const qcombo *c, tally *t, uint64_t index, const uint64_t *bits, size_t k, const uint32_t *sr,
                       const char *what) {
  t->diffs++;
  if (t->printed >= MAX_PRINT) return;
  t->printed++;
  printf("  DIFF %s %s block %" PRIu64 " (k=%zu): %s\n", c->name, mx_scale_rule_names[c->o.rule], index, k, what);
  print_reproduce(c->f, c->src, &c->o, bits, k, sr);
}

/* Steps 2-3 done by the harness, step 4-5 by the oracle's scale runs: the scale the block
 * must get. Returns 0xFF, 0xFE or the oracle's scale of the largest finite magnitude. */
static uint32_t expected_scale(const qcombo *c, const uint64_t *bits, size_t k, uint64_t *amax_out, int *has_zero,
                               int *has_special) {
  int has_nan = 0, has_inf = 0, zero = 0;
  uint64_t amax = 0;
  for (size_t i = 0; i < k; i++) {
    uint64_t a = bits[i] & c->s.abs_mask;
    if (a > c->s.inf) has_nan = 1;
    else if (a == c->s.inf) has_inf = 1;
    else if (a > amax) amax = a;
    zero |= a == 0;
  }
  *amax_out = amax;
  *has_zero = zero;
  *has_special = has_nan | has_inf;
  if ((has_nan && c->o.nan_block == MX_NANB_NAN_SCALE) || (has_inf && c->o.inf_block == MX_INFB_NAN_SCALE)) return 0xFF;
  if (has_inf && c->o.inf_block == MX_INFB_MAX_SCALE) return 0xFE;
  uint32_t code;
  if (!run_lookup(&c->scale, amax, &code)) return 0x100; /* cannot happen: runs cover all */
  return code;
}

/* The scale byte the rule formulas give for a normal amax (peers.md D6 note (i)), computed
 * with frexp on doubles; -1 where the formulas do not apply (subnormal or flushed amax,
 * a clamped or overflowing scale, a scale forced by specials). */
static int rule_formula_scale(const qcombo *c, uint64_t amax_bits) {
  if (amax_bits < c->s.min_normal || amax_bits >= c->s.inf) return -1;
  int ex;
  double m = 2 * frexp(source_value(&c->s, amax_bits), &ex);
  int e = ex - 1, s = e - c->e.emax;
  switch (c->o.rule) {
  case MX_RULE_FLOOR: break;
  case MX_RULE_CEIL: s += m > 1; break;
  case MX_RULE_RCEIL: s += m > c->e.m_max; break;
  case MX_RULE_EVEN: s += m >= 2 - ldexp(1, -(c->e.M + 1)); break;
  case MX_RULE_EVEN_TIEDOWN: s += m > 2 - ldexp(1, -(c->e.M + 1)); break;
  default: return -1;
  }
  if (s < -127 || s > 127) return -1;
  return s + 127;
}

/* V_i / 2^s as f64 bits for the scalar identity, or 0 when it is not an f64 normal or zero
 * (only possible for f64 sources). Source subnormals are flushed here when the knob says so.
 * Built from the fields (the division is an exponent change), not with floating point,
 * because this runs for every element of every block. */
static int scaled_input(const qcombo *c, uint64_t bits, int s, uint64_t *out) {
  const mx_format_desc *d = c->s.d;
  uint64_t a = bits & c->s.abs_mask;
  uint64_t sign = (bits & c->s.sign) ? 0x8000000000000000ull : 0;
  if (a >= c->s.inf) { /* NaN (quiet) or Inf, with the input's sign */
    *out = sign | 0x7FF0000000000000ull | (a > c->s.inf ? 0x0008000000000000ull : 0);
    return 1;
  }
  if (a < c->s.min_normal && c->o.elem.src_subnormals == MX_SUBN_FLUSH) a = 0;
  if (a == 0) { *out = sign; return 1; }
  uint64_t sig = a & (c->s.min_normal - 1), ef = a >> d->mbits;
  int exp;
  if (ef) {
    sig |= c->s.min_normal;
    exp = (int)ef - d->bias - d->mbits;
  } else {
    exp = d->emin - d->mbits;
  }
  int lead = bitlen_minus1(sig), e = exp + lead - s; /* binade of V / 2^s */
  if (e < -1022 || e > 1023) return 0;
  *out = sign | ((uint64_t)(e + 1023) << 52) | ((sig << (52 - lead)) & 0x000FFFFFFFFFFFFFull);
  return 1;
}

static int same_value(mx_fmt dst, uint64_t a, uint64_t b) {
  if (a == b) return 1;
  return mx_classify(dst, a) == MX_CLASS_NAN && mx_classify(dst, b) == MX_CLASS_NAN;
}

typedef struct qplan {
  uint64_t blocks;       /* random blocks */
  uint64_t direct;       /* the first `direct` blocks also against mxo_quantize_block */
  uint64_t special_cap;  /* plus blocks with a special value, up to this many */
} qplan;

/* What the oracle says about one block, computed once for every path. */
typedef struct block_truth {
  uint32_t want;                  /* the scale: oracle scale runs after steps 2-3 */
  uint64_t amax;
  int has_zero, has_special;
  int direct;                     /* also compared with mxo_quantize_block */
  int have_oracle;                /* oscale/ocodes/dq computed (lazily, on the first path) */
  uint8_t oscale, ocodes[64];
  mx_fmt dq_dst;
  uint64_t dq_ora[64];
} block_truth;

/* One block on the path in use against the truth; returns 1 when it differs. */
static int check_block(qcombo *c, tally *t, uint64_t bi, const uint64_t *v, size_t k, const uint32_t *sr,
                       int mix, block_truth *bt) {
  union {
    uint64_t d[64];
    uint32_t w[64];
    uint16_t h[64];
  } typed, dq_typed;
  uint8_t codes[64], scale;
  char what[256];
  const char *path = mxref_path_name(mxref_get_path());
  to_typed(&c->s, v, k, &typed);
  mxref_quantize_block(c->f, c->src, &typed, k, &c->o, sr, &scale, codes);
  t->checked++;
  if (bt->want != scale) {
    snprintf(what, sizeof what, "path %s scale: oracle 0x%02x, reference 0x%02x (mixture %s)", path, bt->want, scale,
             k_mixture_names[mix]);
    block_diff(c, t, bi, v, k, sr, what);
    return 1;
  }
  if (scale != 0xFF) {
    /* the block's elements are the scalar conversions of V_i / X (elements whose V_i / X is
     * no f64 normal keep their block code); mxref_convert_one is the scalar path */
    int s = (int)scale - 127;
    mx_convert_opts scalar = c->o.elem;
    scalar.src_subnormals = MX_SUBN_EXACT; /* flushing already applied by scaled_input */
    for (size_t i = 0; i < k; i++) {
      uint64_t x;
      if (!scaled_input(c, v[i], s, &x)) continue;
      uint32_t want = mxref_convert_one(c->e.elem, MX_F64, x, &scalar, sr ? sr[i] : 0);
      if (want != codes[i]) {
        snprintf(what, sizeof what, "path %s element %zu: scalar conversion of V/X gives 0x%02x, block 0x%02x", path,
                 i, want, codes[i]);
        block_diff(c, t, bi, v, k, sr, what);
        return 1;
      }
    }
    /* the rule formulas, where they apply */
    int formula = bt->has_special ? -1 : rule_formula_scale(c, bt->amax);
    if (formula >= 0 && (uint32_t)formula != scale) {
      snprintf(what, sizeof what, "rule formula gives scale 0x%02x, reference 0x%02x", formula, scale);
      block_diff(c, t, bi, v, k, sr, what);
      return 1;
    }
  }
  if (!bt->direct) return 0;
  if (!bt->have_oracle) {
    mxo_quantize_block(c->f, c->src, v, k, &c->o, sr, &bt->oscale, bt->ocodes);
    t->oracle_calls++;
    if (bt->oscale == scale) {
      static const mx_fmt dsts[3] = {MX_F32, MX_BF16, MX_F64};
      bt->dq_dst = dsts[bi % 3];
      mxo_dequantize_block(c->f, scale, bt->ocodes, k, bt->dq_dst, &c->o, bt->dq_ora);
    }
    bt->have_oracle = 1;
  }
  /* directly against the oracle's block */
  if (bt->oscale != scale) {
    snprintf(what, sizeof what, "path %s: mxo_quantize_block scale 0x%02x, reference 0x%02x", path, bt->oscale, scale);
    block_diff(c, t, bi, v, k, sr, what);
    return 1;
  }
  if (scale != 0xFF) /* under a NaN scale the codes are don't-care (block.h step 2) */
    for (size_t i = 0; i < k; i++)
      if (bt->ocodes[i] != codes[i]) {
        snprintf(what, sizeof what, "path %s element %zu: mxo_quantize_block 0x%02x, reference 0x%02x", path, i,
                 bt->ocodes[i], codes[i]);
        block_diff(c, t, bi, v, k, sr, what);
        return 1;
      }
  /* and the dequantized block, in one of the three destinations */
  mx_fmt dst = bt->dq_dst;
  mxref_dequantize_block(c->f, scale, codes, k, dst, &c->o, &dq_typed);
  for (size_t i = 0; i < k; i++) {
    uint64_t ref = dst == MX_F64 ? dq_typed.d[i] : dst == MX_F32 ? dq_typed.w[i] : dq_typed.h[i];
    if (!same_value(dst, ref, bt->dq_ora[i])) {
      snprintf(what, sizeof what, "path %s dequantize to %s, element %zu (code 0x%02x, scale 0x%02x): oracle 0x%" PRIx64
               ", reference 0x%" PRIx64, path, mx_format(dst)->name, i, codes[i], scale, bt->dq_ora[i], ref);
      block_diff(c, t, bi, v, k, sr, what);
      return 1;
    }
  }
  return 0;
}

static tally prove_quantize_combo(qcombo *c, const qplan *plan, uint64_t seed) {
  tally t = {0};
  c->scale = scale_runs(c->f, c->src, &c->o, &t.oracle_calls);
  mxref_path paths[MXREF_PATH_COUNT];
  const int np = paths_to_prove(paths);
  const mxref_path was = mxref_get_path();
  uint64_t v[64];
  uint32_t sr[64];
  uint64_t specials_direct = 0;
  const int is_sr = c->o.elem.round == MX_SR;
  for (uint64_t bi = 0; bi < plan->blocks; bi++) {
    /* each block from its own seed: any block can be regenerated from (seed, index) */
    uint64_t rng = seed ^ (bi * 0xD1B54A32D192ED03ull);
    random64(&rng);
    size_t k = below(&rng, 8) == 0 ? 1 + (size_t)below(&rng, 64) : MX_BLOCK_SIZE;
    mixture mix = (mixture)below(&rng, MIX_COUNT);
    random_block(&c->s, &c->e, mix, &rng, v, k);
    if (is_sr)
      for (size_t i = 0; i < k; i++) sr[i] = (uint32_t)random64(&rng);
    block_truth bt;
    bt.have_oracle = 0;
    bt.want = expected_scale(c, v, k, &bt.amax, &bt.has_zero, &bt.has_special);
    /* directly against the oracle: the first blocks, and blocks with specials */
    bt.direct = bi < plan->direct;
    if (!bt.direct && (bt.has_special || bt.has_zero) && specials_direct < plan->special_cap) {
      bt.direct = 1;
      specials_direct++;
    }
    for (int p = 0; p < np; p++) {
      mxref_set_path(paths[p]);
      check_block(c, &t, bi, v, k, is_sr ? sr : NULL, (int)mix, &bt);
    }
  }
  mxref_set_path(was);
  free(c->scale.v);
  c->scale.v = NULL;
  return t;
}

static void qcombo_init(qcombo *c, mx_block_fmt f, mx_fmt src, const mx_block_opts *o, const char *name) {
  memset(c, 0, sizeof *c);
  c->f = f;
  c->src = src;
  c->o = *o;
  c->name = name;
  c->s = source_info(src);
  c->e = element_info(f);
}

/* Non-default knobs for the quantize proof (profile keys). */
static const char *const k_quant_variants[] = {
  "nan_block=ignore",
  "nan_block=ignore,nan_finite=signed-zero,inf_block=ignore,inf_finite=signed-zero",
  "inf_block=max-scale",
  "inf_block=max-scale,inf_sat=special,overflow=ovf",
  "inf_block=ignore",
  "zero_block=one",
  "scale_overflow=clamp",
  "round=rna",
  "round=rtz",
  "round=sr",
  "round=sr,sr_bits=3",
  "overflow=ovf",
  "int8_range=symmetric",
  "src_subnormals=flush",
  NULL};

/* every_direct: compare every block with mxo_quantize_block (make exhaustive); otherwise the
 * first blocks and those with specials go to the oracle directly, the rest through the
 * oracle's scale runs and the scalar-conversion identity (CI time). */
static uint64_t prove_quantize(uint64_t sample, uint64_t seed, int every_direct, uint64_t *checked) {
  uint64_t diffs = 0;
  printf("quantize: seed %" PRIu64 ", %" PRIu64 " blocks per f32 format x rule (mixtures:", seed, sample);
  for (int m = 0; m < MIX_COUNT; m++) printf(" %s", k_mixture_names[m]);
  printf("); 'checked' counts blocks\n");
  const mx_fmt srcs[] = {MX_F32, MX_BF16, MX_F16, MX_F64};
  for (size_t si = 0; si < sizeof srcs / sizeof srcs[0]; si++)
    for (int f = 0; f < MX_BLOCK_FMT_COUNT; f++)
      for (int rule = 0; rule < MX_RULE_COUNT; rule++) {
        if (!my_combo()) continue;
        double t0 = now();
        mx_block_opts o;
        mx_block_opts_default(&o);
        o.rule = (mx_scale_rule)rule;
        char name[64];
        snprintf(name, sizeof name, "quant.%s.%s", mx_format(srcs[si])->name, mx_block_fmt_names[f]);
        qcombo c;
        qcombo_init(&c, (mx_block_fmt)f, srcs[si], &o, name);
        qplan plan;
        plan.blocks = srcs[si] == MX_F32 ? sample : sample / 40 + 1;
        plan.direct = every_direct ? plan.blocks : plan.blocks / 400 + 500;
        plan.special_cap = plan.blocks / 400 + 250;
        uint64_t cseed = seed ^ ((uint64_t)srcs[si] << 56) ^ ((uint64_t)f << 48) ^ ((uint64_t)rule << 40);
        tally t = prove_quantize_combo(&c, &plan, cseed);
        print_line(name, mx_scale_rule_names[rule], &t, now() - t0);
        *checked += t.checked;
        diffs += t.diffs;
      }
  /* knobs: f32 blocks, every format, FLOOR and RCEIL (the knobs act on specials, zero
   * blocks, overflow and element rounding, not on which binade the scale picks) */
  for (const char *const *v = k_quant_variants; *v; v++) {
    if (!my_combo()) continue;
    double t0 = now();
    tally t = {0};
    const char *name = "quant.f32.knobs";
    for (int f = 0; f < MX_BLOCK_FMT_COUNT; f++) {
      if (strstr(*v, "int8_range") && f != MX_MXINT8) continue;
      for (int rule = MX_RULE_FLOOR; rule <= MX_RULE_RCEIL; rule += MX_RULE_RCEIL - MX_RULE_FLOOR) {
        mx_block_opts o;
        if (apply_variant(*v, &o) != 0) {
          printf("  DIFF %s: the profile layer rejects knob set '%s'\n", name, *v);
          t.diffs++;
          f = MX_BLOCK_FMT_COUNT;
          break;
        }
        o.rule = (mx_scale_rule)rule;
        mx_fmt src = strstr(*v, "scale_overflow") ? MX_F64 : MX_F32; /* f64 reaches scale overflow */
        qcombo c;
        qcombo_init(&c, (mx_block_fmt)f, src, &o, name);
        qplan plan = {sample / 200 + 200, sample / 1000 + 100, sample / 1000 + 100};
        uint64_t cseed = seed ^ ((uint64_t)f << 48) ^ ((uint64_t)rule << 40) ^ ((uint64_t)(v - k_quant_variants) << 32);
        tally ct = prove_quantize_combo(&c, &plan, cseed);
        t.checked += ct.checked;
        t.diffs += ct.diffs;
        t.oracle_calls += ct.oracle_calls;
      }
    }
    print_line(name, *v, &t, now() - t0);
    *checked += t.checked;
    diffs += t.diffs;
  }
  return diffs;
}

/* ---- the pack proof ----------------------------------------------------------------------- */

static void pack_diff(tally *t, const char *name, const char *layout, const uint8_t *codes, size_t n,
                      const char *what) {
  t->diffs++;
  if (t->printed >= MAX_PRINT) return;
  t->printed++;
  printf("  DIFF %s %s n=%zu: %s; codes", name, layout, n, what);
  for (size_t i = 0; i < n && i < 64; i++) printf(" %02x", codes[i]);
  printf("%s\n", n > 64 ? " ..." : "");
}

static uint64_t prove_pack(uint64_t sample, uint64_t seed, uint64_t *checked) {
  uint64_t diffs = 0;
  enum { NMAX = 4099 };
  static uint8_t codes[NMAX], rp[NMAX], op[NMAX], back[NMAX];
  for (int f = 0; f < MX_BLOCK_FMT_COUNT; f++)
    for (int l = 0; l < MX_PACK_LAYOUT_COUNT; l++) {
      if (mx_packed_size((mx_block_fmt)f, (mx_pack_layout)l, 1) == 0 || !my_combo()) continue;
      double t0 = now();
      tally t = {0};
      char name[64];
      snprintf(name, sizeof name, "pack.%s", mx_block_fmt_names[f]);
      const int bits = mx_format(mx_block_element((mx_block_fmt)f))->bits;
      uint64_t rng = seed ^ ((uint64_t)f << 48) ^ ((uint64_t)l << 40);
      uint64_t arrays = sample < 20000 ? sample + 100 : 20000;
      for (uint64_t a = 0; a < arrays; a++) {
        size_t n = a < 70 ? (size_t)a : below(&rng, 16) == 0 ? (size_t)below(&rng, NMAX) : (size_t)below(&rng, 97);
        for (size_t i = 0; i < n; i++) codes[i] = (uint8_t)(random64(&rng) & ((1u << bits) - 1));
        size_t want = mx_packed_size((mx_block_fmt)f, (mx_pack_layout)l, n);
        memset(rp, 0xA5, sizeof rp);
        memset(op, 0x5A, sizeof op);
        size_t rn = mxref_pack((mx_block_fmt)f, (mx_pack_layout)l, codes, n, rp);
        size_t on = mxo_pack((mx_block_fmt)f, (mx_pack_layout)l, codes, n, op);
        t.checked++;
        t.oracle_calls++;
        char what[160];
        if (rn != want || on != want) {
          snprintf(what, sizeof what, "sizes: mx_packed_size %zu, reference %zu, oracle %zu", want, rn, on);
          pack_diff(&t, name, mx_pack_layout_names[l], codes, n, what);
          continue;
        }
        if (memcmp(rp, op, want)) {
          size_t i = 0;
          while (rp[i] == op[i]) i++;
          snprintf(what, sizeof what, "byte %zu: oracle 0x%02x, reference 0x%02x", i, op[i], rp[i]);
          pack_diff(&t, name, mx_pack_layout_names[l], codes, n, what);
          continue;
        }
        /* round trips, each implementation on its own bytes and on the other's */
        for (int impl = 0; impl < 2; impl++) {
          memset(back, 0xEE, sizeof back);
          size_t got = impl ? mxo_unpack((mx_block_fmt)f, (mx_pack_layout)l, rp, n, back)
                            : mxref_unpack((mx_block_fmt)f, (mx_pack_layout)l, rp, n, back);
          if (got != want || memcmp(back, codes, n)) {
            snprintf(what, sizeof what, "%s unpack(pack(x)) != x", impl ? "oracle" : "reference");
            pack_diff(&t, name, mx_pack_layout_names[l], codes, n, what);
          }
        }
        /* bits that hold no code are ignored by unpack: the high bits of every byte in
         * the byte layout, the free nibble or bits of a partly used last byte otherwise */
        uint8_t spare = 0; /* unused bits of the last byte (of every byte for `byte`) */
        if (l == MX_PACK_BYTE) spare = (uint8_t)(0xFFu << bits);
        else if (l == MX_PACK_FP4_LOW && (n & 1)) spare = 0xF0;
        else if (l == MX_PACK_FP4_HIGH && (n & 1)) spare = 0x0F;
        else if (l == MX_PACK_FP6_LSB && (6 * n) % 8) spare = (uint8_t)(0xFFu << ((6 * n) % 8));
        if (n && spare) {
          for (size_t i = l == MX_PACK_BYTE ? 0 : want - 1; i < want; i++)
            rp[i] |= spare; /* all of them set: the worst garbage */
          for (int impl = 0; impl < 2; impl++) {
            memset(back, 0xEE, sizeof back);
            if (impl) mxo_unpack((mx_block_fmt)f, (mx_pack_layout)l, rp, n, back);
            else mxref_unpack((mx_block_fmt)f, (mx_pack_layout)l, rp, n, back);
            if (memcmp(back, codes, n)) {
              snprintf(what, sizeof what, "%s unpack reads bits that hold no code", impl ? "oracle" : "reference");
              pack_diff(&t, name, mx_pack_layout_names[l], codes, n, what);
            }
          }
        }
      }
      print_line(name, mx_pack_layout_names[l], &t, now() - t0);
      *checked += t.checked;
      diffs += t.diffs;
    }
  return diffs;
}

/* ---- entry ------------------------------------------------------------------------------ */

uint64_t prove_blocks(const char *op, int exhaustive, uint64_t sample, uint64_t seed, unsigned jobs,
                      uint64_t *checked) {
  int all = !strcmp(op, "blocks");
  uint64_t diffs = 0;
  if (all || !strcmp(op, "scale")) diffs += prove_scale(exhaustive, sample, seed, jobs, checked);
  if (all || !strcmp(op, "quantize")) diffs += prove_quantize(sample, seed, exhaustive, checked);
  if (all || !strcmp(op, "pack")) { /* mxref_pack has an AVX2 form: every path */
    mxref_path paths[MXREF_PATH_COUNT];
    const int np = paths_to_prove(paths);
    const mxref_path was = mxref_get_path();
    for (int p = 0; p < np; p++) {
      mxref_set_path(paths[p]);
      printf("pack: libmxref path %s\n", mxref_path_name(paths[p]));
      diffs += prove_pack(sample, seed, checked);
    }
    mxref_set_path(was);
  }
  return diffs;
}
