/* misbehaving_target.c — targets that go wrong on ONE input, to prove containment, or on
 * every 3rd call whatever the input, to prove that nothing is forgiven.
 *
 * Compiled five times (-DMISBEHAVE=CRASH|HANG|LIE|CRASH3|EXIT3). CRASH3 dereferences a null
 * pointer, EXIT3 exits with status 0, on every 3rd convert call of the process: no input
 * is the culprit, and `run` must say `flaky`, never PASS. DOT_RTZ and DOT_FLUSH misbehave
 * nowhere: their DotGeneral is the exact value rounded toward zero once, or with FP32
 * subnormal results flushed to zero: legitimate accumulation models that no preset is,
 * which `run`'s dot detection must fit and name. The other three are libmxref (correct) for decode
 * and convert, except on the f32 input 0x43e80000 (464, the E4M3 tie between 448 and the
 * overflow) when converting f32 -> E4M3, where it
 *   CRASH: dereferences a null pointer (SIGSEGV),
 *   HANG:  never returns,
 *   LIE:   answers a "code" that does not fit in 8 bits (a protocol error).
 * `mxconform run` must contain it: finish, report that one input as crash / timeout /
 * protocol-error in its suite, and pass the other suites (tests/harness/check_isolation.py).
 */
#include <stdint.h>
#include <unistd.h>

#include "mxconform/dot.h"
#include "mxconform/formats.h"
#include "mxconform/knobs.h"
#include "mxconform/mxref.h"
#include "mxconform/target.h"

#define CRASH 1
#define HANG 2
#define LIE 3
#define CRASH3 4
#define EXIT3 5
#define DOT_RTZ 6
#define DOT_FLUSH 7
#ifndef MISBEHAVE
#error "compile with -DMISBEHAVE=CRASH, HANG, LIE, CRASH3, EXIT3, DOT_RTZ or DOT_FLUSH"
#endif

#include <stdlib.h>

/* Every 3rd call of the process goes wrong, whatever it was asked. */
static void every_third_call(void) {
#if MISBEHAVE == CRASH3 || MISBEHAVE == EXIT3
  static unsigned calls;
  if (++calls % 3) return;
#if MISBEHAVE == CRASH3
  volatile int *nowhere = NULL;
  *nowhere = 1;
#else
  exit(0);
#endif
#endif
}

#define POISON_INPUT 0x43e80000u

static int bad_decode(int fmt, const uint64_t *codes, size_t n, uint64_t *f64_out) {
  if (fmt < 0 || fmt >= MX_FMT_COUNT || !mx_format((mx_fmt)fmt)->is_element) return MXC_UNSUPPORTED;
  for (size_t i = 0; i < n; i++) f64_out[i] = mxref_decode_f64_bits((mx_fmt)fmt, (uint32_t)codes[i]);
  return MXC_OK;
}

static void misbehave(uint64_t *out) {
#if MISBEHAVE == CRASH
  (void)out;
  volatile int *nowhere = NULL;
  *nowhere = 1;
#elif MISBEHAVE == HANG
  (void)out;
  for (;;) pause();
#elif MISBEHAVE == LIE
  *out = 0x1234; /* no E4M3 code has 13 bits */
#else
  (void)out; /* CRASH3 / EXIT3 do not care about the input */
#endif
}

static int bad_convert(int dst, int src, int round, int overflow, const uint64_t *in, const uint32_t *sr_random,
                       size_t n, uint64_t *out) {
  if (dst < 0 || dst >= MX_FMT_COUNT || !mx_format((mx_fmt)dst)->is_element) return MXC_UNSUPPORTED;
  if (src != MX_F32 && src != MX_BF16 && src != MX_F16 && src != MX_F64) return MXC_UNSUPPORTED;
  if (round < 0 || round >= MX_ROUND_COUNT || (overflow != MX_SAT && overflow != MX_OVF)) return MXC_UNSUPPORTED;
  every_third_call();
  mx_convert_opts o;
  mx_convert_opts_default(&o);
  o.round = (mx_round)round;
  o.overflow = (mx_overflow)overflow;
  for (size_t i = 0; i < n; i++) {
    out[i] = mxref_convert_one((mx_fmt)dst, (mx_fmt)src, in[i], &o, sr_random ? sr_random[i] : 0);
    if (src == MX_F32 && dst == MX_E4M3 && in[i] == POISON_INPUT) misbehave(&out[i]);
  }
  return MXC_OK;
}

#if MISBEHAVE == DOT_RTZ || MISBEHAVE == DOT_FLUSH
static int model_dot(int fa, int fb, size_t n_blocks, size_t k, const uint64_t *scales_a, const uint64_t *codes_a,
                     const uint64_t *scales_b, const uint64_t *codes_b, int has_c, uint64_t c, uint64_t *out) {
  static uint8_t sa[64], sb[64], ca[64 * MX_BLOCK_MAX], cb[64 * MX_BLOCK_MAX];
  if (fa < 0 || fa >= MX_BLOCK_FMT_COUNT || fb < 0 || fb >= MX_BLOCK_FMT_COUNT || n_blocks > 64 || k > MX_BLOCK_MAX)
    return MXC_UNSUPPORTED;
  for (size_t j = 0; j < n_blocks; j++) {
    sa[j] = (uint8_t)scales_a[j];
    sb[j] = (uint8_t)scales_b[j];
  }
  for (size_t i = 0; i < n_blocks * k; i++) {
    ca[i] = (uint8_t)codes_a[i];
    cb[i] = (uint8_t)codes_b[i];
  }
  mx_dot_vec a = {(mx_block_fmt)fa, sa, ca}, b = {(mx_block_fmt)fb, sb, cb};
  mx_dot_model m = MX_DOT_MODEL_EXACT_RNE;
#if MISBEHAVE == DOT_RTZ
  m.final_round = MX_DOT_RTZ;
#else
  m.subnormal = MX_DOT_SUBN_FLUSH;
#endif
  uint32_t cc = (uint32_t)c, r = 0;
  if (mxref_dot_general(&a, &b, n_blocks, k, has_c ? &cc : NULL, &m, &r) != MX_DOT_OK) return MXC_ERROR;
  *out = r;
  return MXC_OK;
}
#endif

static const mxc_target_api bad_api = {
  .abi_version = MXC_TARGET_ABI_VERSION,
  .struct_size = sizeof(mxc_target_api),
  .name = "misbehaving",
  .version = "1",
  .decode = bad_decode,
  .convert = bad_convert,
#if MISBEHAVE == DOT_RTZ || MISBEHAVE == DOT_FLUSH
  .dot = model_dot,
#endif
};

__attribute__((visibility("default"))) const mxc_target_api *mxc_target_get(void) { return &bad_api; }
