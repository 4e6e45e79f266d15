/* fuzz_protocol_parser — property: neither end of the process protocol (harness/PROTOCOL.md)
 * crashes, reads out of bounds or hangs on arbitrary bytes.
 *
 *  - serve side: the request handler of `mxconform serve` (harness/cmd_serve.c,
 *    `serve_handle_line`) with libmxref (--reference, under a built-in profile) or with an
 *    in-process stub target table (answers ok / unsupported / error, or has only NULL entries);
 *  - harness side: the answer parsers of `mxconform run` and `sweep` (harness/target.c,
 *    `target_parse_answer` and `target_parse_sweep_answer`) for a suite of any operation and
 *    shape.
 *
 * Input layout: [0] side (even: serve, odd: harness).
 *   serve:   [1] target kind (reference, stub-ok, stub-unsupported, stub-error, stub-null)
 *            [2] profile (mod the number of built-ins; the quotient picks the dot preset),
 *            then request lines (at most 16; `sweep` requests over more than 8192 inputs are
 *            skipped: long by design, not a bug).
 *   harness: [1] op [2] format/params [3] k-1 [4] cases per line, then answer lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "mxconform/dot.h"
#include "mxconform/profile.h"
#include "mxconform/target.h"
#include "serve.h"
#include "sweep.h"
#include "target.h"

/* ---- stub targets ------------------------------------------------------------------------- */

static int stub_rc;

static int stub_decode(int fmt, const uint64_t *codes, size_t n, uint64_t *out) {
  for (size_t i = 0; i < n; i++) out[i] = codes[i] * 0x9E3779B97F4A7C15ull + (uint64_t)fmt;
  return stub_rc;
}
static int stub_convert(int dst, int src, int round, int overflow, const uint64_t *in, const uint32_t *sr, size_t n,
                        uint64_t *out) {
  for (size_t i = 0; i < n; i++) out[i] = (in[i] ^ (uint64_t)(dst + src + round + overflow) ^ (sr ? sr[i] : 0)) & 0xFF;
  return stub_rc;
}
static int stub_quantize(int fmt, int src, int rule, int round, const uint64_t *in, size_t k, uint64_t *scale,
                         uint64_t *codes) {
  *scale = (uint64_t)(fmt + src + rule + round) & 0xFF;
  for (size_t i = 0; i < k; i++) codes[i] = in[i] & 0xF;
  return stub_rc;
}
static int stub_dequantize(int fmt, int dst, uint64_t scale, const uint64_t *codes, size_t k, uint64_t *out) {
  for (size_t i = 0; i < k; i++) out[i] = codes[i] + scale + (uint64_t)(fmt + dst);
  return stub_rc;
}
static int stub_pack(int fmt, int layout, const uint64_t *codes, size_t n, uint8_t *out, size_t *out_len) {
  for (size_t i = 0; i < n; i++) out[i] = (uint8_t)(codes[i] + (uint64_t)(fmt + layout));
  *out_len = n;
  return stub_rc;
}

static int stub_dot(int fa, int fb, size_t n_blocks, size_t k, const uint64_t *scales_a, const uint64_t *codes_a,
                    const uint64_t *scales_b, const uint64_t *codes_b, int has_c, uint64_t c, uint64_t *out) {
  uint64_t r = (uint64_t)(fa + fb) + (has_c ? c : 0);
  for (size_t j = 0; j < n_blocks; j++) r += scales_a[j] ^ scales_b[j];
  for (size_t i = 0; i < n_blocks * k; i++) r += codes_a[i] * codes_b[i];
  *out = r & 0xFFFFFFFFu;
  return stub_rc;
}

static const mxc_target_api stub_api = {
  .abi_version = MXC_TARGET_ABI_VERSION, .struct_size = sizeof(mxc_target_api), .name = "fuzz-stub", .version = "1",
  .decode = stub_decode, .convert = stub_convert, .quantize = stub_quantize, .dequantize = stub_dequantize,
  .pack = stub_pack, .dot = stub_dot,
};
static const mxc_target_api null_api = {
  .abi_version = MXC_TARGET_ABI_VERSION, .struct_size = sizeof(mxc_target_api), .name = "fuzz-null", .version = "1"};

/* A sweep over a long range is slow by design (the whole range runs in the server);
 * knob assignments may follow the range. */
static int long_sweep(const char *line) {
  char *copy = strdup(line);
  if (!copy) abort();
  char *f[8], *save = NULL;
  int n = 0;
  for (char *t = strtok_r(copy, " ", &save); t && n < 8; t = strtok_r(NULL, " ", &save)) f[n++] = t;
  char *e5 = NULL, *e6 = NULL;
  int skip = 0;
  if (n >= 7 && !strcmp(f[0], "sweep") && *f[5] && *f[6]) {
    unsigned long long a = strtoull(f[5], &e5, 16), b = strtoull(f[6], &e6, 16);
    skip = !*e5 && !*e6 && b >= a && b - a > 8192;
  }
  free(copy);
  return skip;
}

/* Open findings (fuzz/README.md) would be skipped here while fuzzing (MXC_FUZZ_SKIP_KNOWN=1,
 * set by scripts/fuzz.sh) so that the fuzzer looks for new ones; the replay of
 * fuzz/regressions/ never skips. None is open: F1 (a `sweep` request with an f64 source
 * over-read sweep_compare's buffer) was fixed in harness/cmd_serve.c, which now rejects
 * sources that are not 16 or 32 bits wide; its reproducer stays in fuzz/regressions/. */
static int known_open_finding(const char *line) {
  (void)line;
  return 0;
}

static void fuzz_serve(fz *f) {
  serve_ctx sv;
  memset(&sv, 0, sizeof sv);
  unsigned kind = fz_pick(f, 5);
  stub_rc = kind == 2 ? MXC_UNSUPPORTED : kind == 3 ? MXC_ERROR : MXC_OK;
  sv.api = kind == 0 ? NULL : kind == 4 ? &null_api : &stub_api;
  unsigned np = fz_count(mx_profile_builtin_names), pb = fz_u8(f);
  if (mx_profile_builtin(mx_profile_builtin_names[pb % np], &sv.profile)) abort();
  /* libmxref's dot model: one of the presets, as --dot-preset picks */
  unsigned nd = 0;
  while (mx_dot_presets[nd].name) nd++;
  sv.dot_model = mx_dot_presets[(pb / np) % nd].model;
  /* the rest: request lines, as cmd_serve's loop hands them over (no '\n', no trailing '\r') */
  for (int lines = 0; lines < 16 && f->n; lines++) {
    const uint8_t *nl = memchr(f->p, '\n', f->n);
    size_t len = nl ? (size_t)(nl - f->p) : f->n;
    char *line = malloc(len + 1);
    if (!line) abort();
    memcpy(line, f->p, len);
    line[len] = 0;
    f->p += len + (nl ? 1 : 0);
    f->n -= len + (nl ? 1 : 0);
    len = strlen(line); /* fgets stops at nothing, but strings stop at NUL */
    while (len && (line[len - 1] == '\r')) line[--len] = 0;
    if (strcmp(line, "quit") && !long_sweep(line) && !known_open_finding(line)) serve_handle_line(&sv, line);
    free(line);
  }
}

static void fuzz_answers(fz *f) {
  vec_suite s;
  vec_suite_init(&s);
  s.op = (vec_op)fz_pick(f, OP_COUNT);
  unsigned p = fz_u8(f);
  s.fmt = fz_elements[p % 7];
  s.src = fz_sources[p % 4];
  s.dst = s.op == OP_DEQUANTIZE ? (mx_fmt[]){MX_F32, MX_BF16, MX_F64}[p % 3] : fz_elements[(p / 7) % 7];
  s.bfmt = (mx_block_fmt)((p / 3) % MX_BLOCK_FMT_COUNT);
  s.round = (mx_round)((p / 5) % MX_ROUND_COUNT);
  s.overflow = (mx_overflow)((p >> 7) & 1);
  s.k = 1 + fz_pick(f, 64);
  s.layout = MX_PACK_BYTE;
  if (s.op == OP_PACK) {
    unsigned l = fz_pick(f, MX_PACK_LAYOUT_COUNT);
    if (mx_packed_size(s.bfmt, (mx_pack_layout)l, s.k)) s.layout = (mx_pack_layout)l;
  }
  vec_suite_shape(&s);
  size_t per_line = (s.op == OP_CVT || s.op == OP_DECODE) ? 1 + fz_pick(f, 8) : 1;
  /* the answer text in an exactly-sized buffer, split into lines as run_process does */
  size_t len = f->n;
  char *buf = malloc(len ? len : 1);
  if (!buf) abort();
  memcpy(buf, f->p, len);
  uint64_t *actual = calloc(16 * per_line * (s.nout ? s.nout : 1), sizeof *actual);
  if (!actual) abort();
  char msg[256];
  msg[0] = 0;
  const char *q = buf, *end = buf + len;
  for (size_t l = 0; l < 16 && q < end; l++) {
    const char *nl = memchr(q, '\n', (size_t)(end - q));
    const char *le = nl ? nl : end;
    if (le > q && le[-1] == '\r') le--;
    line_span sp = {l * per_line, per_line};
    target_parse_answer(&s, q, le, &sp, actual, msg, sizeof msg);
    sweep_tally tally;
    memset(&tally, 0, sizeof tally);
    target_parse_sweep_answer(q, le, &tally);
    q = nl ? nl + 1 : end;
  }
  free(actual);
  free(buf);
  vec_suite_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int quiet;
  if (!quiet) { /* the server answers on stdout: thousands of lines a second */
    quiet = 1;
    if (!freopen("/dev/null", "w", stdout)) abort();
  }
  fz f = {data, size};
  if (fz_u8(&f) & 1) fuzz_answers(&f);
  else fuzz_serve(&f);
  fflush(stdout);
  return 0;
}
