/* fuzz_target_differential — property: a vendor library (loaded through the target ABI,
 * include/mxconform/target.h) answers every operation it does not decline as the reference
 * does, bit for bit:
 *
 *   convert     api->convert(dst, src, round, overflow, in, sr, n, out)[i]
 *                   == mxref_convert_one(dst, src, in[i], knobs, sr[i])
 *               (libmxref is proved equal to the MPFR oracle: fuzz_convert_differential,
 *               `make exhaustive`)
 *   quantize, dequantize, pack, dot
 *               the answer == expect_case under the profile (the MPFR oracle; for dot the
 *               exact DotGeneral rounded once, exact-rne), compared by expect_equal (a NaN
 *               scale's elements and NaN payloads are don't-cares) — what `mxconform run`
 *               and `mxconform fuzz` check
 *
 * A status other than MXC_OK / MXC_UNSUPPORTED is a finding too. A NULL entry is skipped.
 *
 * Environment:
 *   MXC_FUZZ_TARGET   path of the shared library (required)
 *   MXC_FUZZ_PROFILE  the knobs the library implements: a built-in profile name or a
 *                     profile file (default ocp); for convert, round and overflow come from the
 *                     input, sr_bits and the special-value knobs from the profile; quantize is
 *                     asked for the profile's rule and round.
 *
 * Input layout: [0] op and, for convert, the source: 0x00-0x3F convert (source = [0] % 4,
 * the layout the committed convert corpus was written in), 0x40-0xFF one of quantize,
 * dequantize, pack, dot (([0] >> 4) % 4). Convert: [1] destination [2] round [3] overflow
 * [4] n-1 (mod 64) [5..8] sr seed, then n values (fz_value: raw bits, specials, values around
 * the destination's ties); the library is called once with all n values, so a bug that
 * depends on the batch (state, vector lanes, tails) shows too. The other ops: the rest of the
 * input drives harness/fuzz_gen.c, the structured generators of `mxconform fuzz` (suite shape:
 * formats, k, layout, blocks; then one case: amax at powers of two, ties, overflow band,
 * subnormals, specials, cancellation, extreme scales, ...).
 */
#include <dlfcn.h>

#include "expect.h"
#include "fuzz_common.h"
#include "fuzz_gen.h"
#include "mxconform/mxref.h"
#include "mxconform/profile.h"
#include "mxconform/target.h"

#define NMAX 64

static const mxc_target_api *api;
static mx_profile profile;
static const char *lib_path;

static void load(void) {
  lib_path = getenv("MXC_FUZZ_TARGET");
  if (!lib_path || !*lib_path) {
    fprintf(stderr, "fuzz_target_differential: set MXC_FUZZ_TARGET to the target library (lib*.so); see fuzz/README.md\n");
    exit(2);
  }
  void *h = dlopen(lib_path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    fprintf(stderr, "fuzz_target_differential: %s\n", dlerror());
    exit(2);
  }
  mxc_target_get_fn get;
  *(void **)&get = dlsym(h, MXC_TARGET_SYMBOL);
  if (!get) {
    fprintf(stderr, "fuzz_target_differential: %s: no symbol %s\n", lib_path, MXC_TARGET_SYMBOL);
    exit(2);
  }
  api = get();
  if (!api || api->abi_version != MXC_TARGET_ABI_VERSION || api->struct_size < sizeof(mxc_target_api)) {
    fprintf(stderr, "fuzz_target_differential: %s: unsupported ABI (want version %u)\n", lib_path,
            MXC_TARGET_ABI_VERSION);
    exit(2);
  }
  if (!api->convert && !api->quantize && !api->dequantize && !api->pack && !api->dot) {
    fprintf(stderr, "fuzz_target_differential: %s: no convert, quantize, dequantize, pack or dot (NULL entries): "
                    "nothing to fuzz\n", lib_path);
    exit(2);
  }
  const char *prof = getenv("MXC_FUZZ_PROFILE");
  char err[512];
  if (mx_profile_load(prof && *prof ? prof : "ocp", &profile, err, sizeof err)) {
    fprintf(stderr, "fuzz_target_differential: MXC_FUZZ_PROFILE: %s\n", err);
    exit(2);
  }
  fprintf(stderr, "fuzz_target_differential: %s (%s %s) against libmxref, profile %s\n", lib_path,
          api->name ? api->name : "?", api->version ? api->version : "?", profile.name);
}

/* ---- quantize, dequantize, pack, dot ------------------------------------------------------ */

/* Ask the library for case `in` of the one-shape suite s: its answer into act. Returns the
 * library's status (-1: the entry is NULL). */
static int ask_library(const vec_suite *s, const uint64_t *in, uint64_t *act) {
  switch (s->op) {
  case OP_QUANTIZE: {
    if (!api->quantize) return -1;
    return api->quantize((int)s->bfmt, (int)s->src, (int)profile.o.rule, (int)profile.o.elem.round, in, s->k, &act[0],
                         act + 1);
  }
  case OP_DEQUANTIZE:
    if (!api->dequantize) return -1;
    return api->dequantize((int)s->bfmt, (int)s->dst, in[0], in + 1, s->k, act);
  case OP_PACK: {
    if (!api->pack) return -1;
    uint8_t bytes[MX_BLOCK_MAX];
    size_t len = 0;
    int rc = api->pack((int)s->bfmt, (int)s->layout, in, s->k, bytes, &len);
    if (rc == MXC_OK && len != s->nout) return 100 + (int)(len > 99 ? 99 : len); /* wrong byte count */
    for (size_t i = 0; i < s->nout; i++) act[i] = bytes[i];
    return rc;
  }
  case OP_DOT: {
    if (!api->dot) return -1;
    size_t nb = s->nblocks, nk = nb * s->k;
    return api->dot((int)s->bfmt, (int)s->bfmt_b, nb, s->k, in, in + nb, in + nb + nk, in + 2 * nb + nk,
                    (int)in[2 * (nb + nk)], in[2 * (nb + nk) + 1], act);
  }
  default: return -1;
  }
}

static void print_words(const char *what, const uint64_t *w, size_t n) {
  fprintf(stderr, "%s:", what);
  for (size_t i = 0; i < n; i++) fprintf(stderr, " %llx", (unsigned long long)w[i]);
  fputc('\n', stderr);
}

static int block_op(const uint8_t *data, size_t size, vec_op op) {
  fuzz_src r;
  fuzz_src_bytes(&r, data + 1, size - 1);
  static vec_suite s;
  vec_suite_init(&s);
  s.knobs = profile;
  fuzz_shape(&r, op, &s);
  static uint64_t in[2 * (64 + MX_BLOCK_MAX) + 2], exp[MX_BLOCK_MAX + 1], act[MX_BLOCK_MAX + 1];
  uint32_t rnd;
  fuzz_case(&r, &s, in, &rnd);
  for (size_t i = 0; i < s.nout; i++) act[i] = 0xDEADBEEFCAFEull; /* not a code: shows a word never written */
  int rc = ask_library(&s, in, act);
  if (rc < 0 || rc == MXC_UNSUPPORTED) return 0;
  if (rc != MXC_OK)
    FZ_FAIL(data, size, "%s: %s (k %zu, %zu blocks) returned %d (%s)", lib_path, s.name, s.k, s.nblocks, rc,
            rc >= 100 ? "MXC_OK with the wrong byte count (100 + count)" : "neither MXC_OK nor MXC_UNSUPPORTED");
  expect_case(&s, &profile, in, rnd, exp);
  size_t dontcare = 0;
  if (!expect_equal(&s, exp, act, &dontcare)) {
    fprintf(stderr, "%s: %s (k %zu, %zu blocks), profile %s, strategy %s: the library differs from the oracle\n",
            lib_path, s.name, s.k, s.nblocks, profile.name, fuzz_last_strategy());
    print_words("input", in, s.nin);
    print_words("expected", exp, s.nout);
    print_words("library", act, s.nout);
    fprintf(stderr, "shrunk and decoded by: mxconform fuzz --target 'lib:%s' --profile %s --ops %s\n", lib_path,
            profile.name, op_table[op].name);
    FZ_FAIL(data, size, "target differential");
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!api) load();
  if (size && data[0] >= 0x40) {
    static const vec_op ops[4] = {OP_QUANTIZE, OP_DEQUANTIZE, OP_PACK, OP_DOT};
    return block_op(data, size, ops[(data[0] >> 4) % 4]);
  }
  if (!api->convert) return 0;
  fz f = {data, size};
  mx_fmt src = fz_sources[fz_pick(&f, 4)];
  mx_fmt dst = fz_elements[fz_pick(&f, 7)];
  mx_convert_opts o = profile.o.elem;
  o.round = (mx_round)fz_pick(&f, MX_ROUND_COUNT);
  o.overflow = (mx_overflow)fz_pick(&f, 2);
  size_t n = 1 + fz_pick(&f, NMAX);
  uint64_t seed = fz_le(&f, 4);
  uint64_t in[NMAX], out[NMAX];
  uint32_t sr[NMAX];
  for (size_t i = 0; i < n; i++) {
    in[i] = fz_value(&f, src, dst, 0) & fz_mask(mx_format(src)->bits);
    sr[i] = (uint32_t)fz_mix(&seed);
    out[i] = 0xDEADBEEFCAFEull; /* not a code: shows an output the library never wrote */
  }
  int rc = api->convert((int)dst, (int)src, (int)o.round, (int)o.overflow, in, o.round == MX_SR ? sr : NULL, n, out);
  if (rc == MXC_UNSUPPORTED) return 0;
  if (rc != MXC_OK)
    FZ_FAIL(data, size, "%s: convert %s -> %s %s %s of %zu values returned %d (neither MXC_OK nor MXC_UNSUPPORTED)",
            lib_path, mx_format(src)->name, mx_format(dst)->name, mx_round_names[o.round],
            mx_overflow_names[o.overflow], n, rc);
  for (size_t i = 0; i < n; i++) {
    uint32_t want = mxref_convert_one(dst, src, in[i], &o, o.round == MX_SR ? sr[i] : 0);
    if (out[i] != want) {
      int sw = mx_format(src)->bits / 4;
      fprintf(stderr, "%s: convert %s 0x%0*llx -> %s, round %s, overflow %s: library 0x%llx, expected 0x%02x\n",
              lib_path, mx_format(src)->name, sw, (unsigned long long)in[i], mx_format(dst)->name,
              mx_round_names[o.round], mx_overflow_names[o.overflow], (unsigned long long)out[i], want);
      if (o.round == MX_SR) fprintf(stderr, "sr random word 0x%08x (sr_bits %u)\n", sr[i], o.sr_bits);
      fprintf(stderr, "value %zu of a batch of %zu; profile %s\n", i, n, profile.name);
      fprintf(stderr, "expected by: mxconform convert --from %s --to %s --impl both --sr-random 0x%08x",
              mx_format(src)->name, mx_format(dst)->name, o.round == MX_SR ? sr[i] : 0);
      fz_print_opts(&o);
      fprintf(stderr, " 0x%llx\n", (unsigned long long)in[i]);
      FZ_FAIL(data, size, "target differential");
    }
  }
  return 0;
}
