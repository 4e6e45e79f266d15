/* fuzz_target_differential — property: a vendor library's conversion (loaded through the
 * target ABI, include/mxconform/target.h) equals libmxref's, bit for bit:
 *
 *     api->convert(dst, src, round, overflow, in, sr, n, out)[i]
 *         == mxref_convert_one(dst, src, in[i], knobs, sr[i])
 *
 * for every parameter set the library does not answer MXC_UNSUPPORTED. libmxref itself is
 * proved equal to the MPFR oracle (fuzz_convert_differential, `make exhaustive`).
 *
 * Environment:
 *   MXC_FUZZ_TARGET   path of the shared library (required)
 *   MXC_FUZZ_PROFILE  the knobs the library implements: a built-in profile name or a
 *                     profile file (default ocp); round and overflow come from the input,
 *                     sr_bits and the special-value knobs from the profile.
 *
 * Input layout: [0] source [1] destination [2] round [3] overflow [4] n-1 (mod 64)
 * [5..8] sr seed, then n values (fz_value: raw bits, specials, values around the
 * destination's ties). The library is called once per input with all n values, so a bug
 * that depends on the batch (state, vector lanes, tails) shows too.
 */
#include <dlfcn.h>

#include "fuzz_common.h"
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
  if (!api->convert) {
    fprintf(stderr, "fuzz_target_differential: %s: no convert function (NULL entry): nothing to fuzz\n", lib_path);
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!api) load();
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
