/* mxconform serve: answer PROTOCOL.md requests on stdin/stdout with a shared-library target
 * (ABI: include/mxconform/target.h) or with libmxref. `run --target lib:PATH` starts this in
 * a child process, which is what contains a crashing or hanging library. */
#include <dlfcn.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "mxconform/dot.h"
#include "mxconform/mxref.h"
#include "mxconform/nvfp4.h"
#include "mxconform/profile.h"
#include "mxconform/target.h"
#include "serve.h"
#include "sweep.h"

#define MAXV 4096

static int parse_hex(const char *s, uint64_t *v) {
  char *e;
  if (!*s) return -1;
  unsigned long long x = strtoull(s, &e, 16);
  if (*e) return -1;
  *v = x;
  return 0;
}

/* Split a line in place into at most max fields. */
static int split(char *line, char **f, int max) {
  int n = 0;
  for (char *t = strtok(line, " "); t && n < max; t = strtok(NULL, " ")) f[n++] = t;
  return n;
}

/* decode/convert returned MXC_REFUSED: their MXC_VALUE_REFUSED words are answered `!` */
static int refused_values;

static void reply_values(const uint64_t *v, size_t n) {
  fputs("ok", stdout);
  for (size_t i = 0; i < n; i++) {
    if (refused_values && v[i] == MXC_VALUE_REFUSED) fputs(" !", stdout);
    else printf(" %llx", (unsigned long long)v[i]);
  }
  fputc('\n', stdout);
  refused_values = 0;
}

static int reply_status(int rc) {
  if (rc == MXC_UNSUPPORTED) { puts("unsupported"); return 1; }
  if (rc == MXC_REFUSED) { puts("refused the library refused this request"); return 1; }
  if (rc != MXC_OK) { puts("error the target returned an error"); return 1; }
  return 0;
}

/* per_value: decode/convert, where MXC_REFUSED refuses single values (target.h) */
static int reply_status_values(int rc) {
  refused_values = rc == MXC_REFUSED;
  return refused_values ? 0 : reply_status(rc);
}

/* nvfp4_quantize N AMAX V1 ... VN (PROTOCOL.md): the library's entry, or libmxref under the
 * profile's nvfp4_* knobs. f[0] is the request name, n the field count. */
static void serve_nvfp4_quantize(serve_ctx *sv, char **f, int n, uint64_t *in, uint64_t *out) {
  size_t cnt = strtoul(f[1], NULL, 10), nb = cnt / MX_NVFP4_BLOCK;
  uint64_t amax = 0;
  int has_amax = strcmp(f[2], "-") != 0;
  if (cnt == 0 || cnt % MX_NVFP4_BLOCK || cnt > MAXV || (size_t)n != 3 + cnt ||
      (has_amax && (parse_hex(f[2], &amax) || amax > 0xFFFFFFFFu))) {
    puts("error bad nvfp4_quantize request");
    return;
  }
  for (size_t i = 0; i < cnt; i++)
    if (parse_hex(f[3 + i], &in[i]) || in[i] > 0xFFFFFFFFu) { puts("error bad value"); return; }
  if (sv->api) {
    if (!MXC_TARGET_HAS(sv->api, nvfp4_quantize)) { puts("unsupported"); return; }
    if (reply_status(sv->api->nvfp4_quantize(in, cnt, has_amax, amax, &out[0], &out[1], &out[1 + nb]))) return;
  } else {
    static uint32_t v[MAXV];
    static uint8_t scales[MAXV / MX_NVFP4_BLOCK], codes[MAXV];
    for (size_t i = 0; i < cnt; i++) v[i] = (uint32_t)in[i];
    uint32_t a32 = (uint32_t)amax;
    mx_nvfp4_tensor t = {0, 0, scales, codes};
    if (mxref_nvfp4_quantize(v, cnt, has_amax ? &a32 : NULL, &sv->profile.nvfp4, &t)) {
      puts("error nvfp4 has no defined flow for NaN/Inf values or a NaN/Inf/negative amax");
      return;
    }
    out[0] = t.tensor_scale;
    for (size_t j = 0; j < nb; j++) out[1 + j] = scales[j];
    for (size_t i = 0; i < cnt; i++) out[1 + nb + i] = codes[i];
  }
  reply_values(out, 1 + nb + cnt);
}

/* nvfp4_dequantize K TSCALE SCALE C1 ... CK, K at most 16. */
static void serve_nvfp4_dequantize(serve_ctx *sv, char **f, int n, uint64_t *in, uint64_t *out) {
  size_t k = strtoul(f[1], NULL, 10);
  uint64_t st, scale;
  if (k < 1 || k > MX_NVFP4_BLOCK || (size_t)n != 4 + k || parse_hex(f[2], &st) || st > 0xFFFFFFFFu ||
      parse_hex(f[3], &scale) || scale > 0xFF) {
    puts("error bad nvfp4_dequantize request");
    return;
  }
  for (size_t i = 0; i < k; i++)
    if (parse_hex(f[4 + i], &in[i]) || in[i] > 0xF) { puts("error bad value"); return; }
  if (sv->api) {
    if (!MXC_TARGET_HAS(sv->api, nvfp4_dequantize)) { puts("unsupported"); return; }
    if (reply_status(sv->api->nvfp4_dequantize(st, scale, in, k, out))) return;
  } else {
    uint8_t codes[MX_NVFP4_BLOCK] = {0};
    uint32_t v[MX_NVFP4_BLOCK];
    for (size_t i = 0; i < k && i < MX_NVFP4_BLOCK; i++) codes[i] = (uint8_t)in[i];
    mxref_nvfp4_dequantize((uint32_t)st, (uint8_t)scale, codes, &sv->profile.nvfp4, v);
    for (size_t i = 0; i < k; i++) out[i] = v[i];
  }
  reply_values(out, k);
}

/* nvfp4_dot N C TA SA1 .. SAN A1 .. A16N TB SB1 .. SBN B1 .. B16N (PROTOCOL.md): the library's
 * entry, or libmxref under the --dot-preset model and the profile's nvfp4_scale_sign. */
static void serve_nvfp4_dot(serve_ctx *sv, char **f, int n) {
  enum { NB_MAX = 64 };
  static uint64_t w[2][1 + NB_MAX + NB_MAX * MX_NVFP4_BLOCK];
  size_t nb = strtoul(f[1], NULL, 10), half = 1 + nb + nb * MX_NVFP4_BLOCK;
  uint64_t c = 0;
  int has_c = strcmp(f[2], "-") != 0;
  if (nb < 1 || nb > NB_MAX || (size_t)n != 3 + 2 * half || (has_c && (parse_hex(f[2], &c) || c > 0xFFFFFFFFu))) {
    puts("error bad nvfp4_dot request");
    return;
  }
  for (int o = 0; o < 2; o++)
    for (size_t i = 0; i < half; i++) {
      uint64_t lim = i == 0 ? 0xFFFFFFFFu : i <= nb ? 0xFF : 0xF; /* tensor scale, block scales, codes */
      if (parse_hex(f[3 + (size_t)o * half + i], &w[o][i]) || w[o][i] > lim) { puts("error bad value"); return; }
    }
  uint64_t r;
  if (sv->api) {
    if (!MXC_TARGET_HAS(sv->api, nvfp4_dot)) { puts("unsupported"); return; }
    if (reply_status(sv->api->nvfp4_dot(nb, w[0][0], w[0] + 1, w[0] + 1 + nb, w[1][0], w[1] + 1, w[1] + 1 + nb, has_c, c,
                                        &r)))
      return;
  } else {
    static uint8_t s8[2][NB_MAX], c8[2][NB_MAX * MX_NVFP4_BLOCK];
    for (int o = 0; o < 2; o++) {
      for (size_t j = 0; j < nb; j++) s8[o][j] = (uint8_t)w[o][1 + j];
      for (size_t i = 0; i < nb * MX_NVFP4_BLOCK; i++) c8[o][i] = (uint8_t)w[o][1 + nb + i];
    }
    uint32_t c32 = (uint32_t)c, o32;
    int rc = mxref_nvfp4_dot_general(nb, (uint32_t)w[0][0], s8[0], c8[0], (uint32_t)w[1][0], s8[1], c8[1],
                                     has_c ? &c32 : NULL, &sv->dot_model, &sv->profile.nvfp4, &o32);
    if (rc == -2) { puts("unsupported"); return; }
    if (rc) { puts("error nvfp4_dot: a tensor scale is not finite"); return; }
    r = o32;
  }
  reply_values(&r, 1);
}

void serve_handle_line(serve_ctx *sv, char *line) {
  static char *f[MAXV + 16];
  static uint64_t in[MAXV], out[MAXV + MAXV / 16 + 1]; /* nvfp4_quantize: tensor scale, block scales, codes */
  static uint32_t rnd[MAXV];
  int n = split(line, f, MAXV + 16);
  if (n == 0) { puts("error empty request"); return; }
  const char *op = f[0];
  if (!strcmp(op, "decode") && n >= 3) {
    int fmt = mx_format_by_name(f[1]);
    size_t cnt = strtoul(f[2], NULL, 10);
    if (fmt < 0 || !mx_format((mx_fmt)fmt)->is_element || cnt > MAXV || (size_t)n != 3 + cnt) {
      puts("error bad decode request");
      return;
    }
    for (size_t i = 0; i < cnt; i++)
      if (parse_hex(f[3 + i], &in[i])) { puts("error bad value"); return; }
    if (sv->api) {
      if (!sv->api->decode) { puts("unsupported"); return; }
      if (reply_status_values(sv->api->decode(fmt, in, cnt, out))) return;
    } else {
      for (size_t i = 0; i < cnt; i++) out[i] = mxref_decode_f64_bits((mx_fmt)fmt, (uint32_t)in[i]);
    }
    reply_values(out, cnt);
  } else if (!strcmp(op, "cvt") && n >= 6) {
    int src = mx_format_by_name(f[1]), dst = mx_format_by_name(f[2]);
    int round = mx_name_index(mx_round_names, f[3]), ovf = mx_name_index(mx_overflow_names, f[4]);
    size_t cnt = strtoul(f[5], NULL, 10);
    if (src < 0 || dst < 0 || !mx_format((mx_fmt)src)->is_source || !mx_format((mx_fmt)dst)->is_element || round < 0 ||
        ovf < 0 || cnt > MAXV || (size_t)n != 6 + cnt) {
      puts("error bad cvt request");
      return;
    }
    for (size_t i = 0; i < cnt; i++) {
      char *colon = strchr(f[6 + i], ':');
      rnd[i] = 0;
      if (colon) {
        *colon = 0;
        uint64_t r;
        if (parse_hex(colon + 1, &r)) { puts("error bad random word"); return; }
        rnd[i] = (uint32_t)r;
      }
      if (parse_hex(f[6 + i], &in[i])) { puts("error bad value"); return; }
    }
    if (sv->api) {
      if (!sv->api->convert) { puts("unsupported"); return; }
      if (reply_status_values(sv->api->convert(dst, src, round, ovf, in, round == MX_SR ? rnd : NULL, cnt, out))) return;
    } else {
      mx_convert_opts o;
      mx_knob_context kc = {MX_OPK_CVT, (mx_fmt)src, (mx_fmt)dst, (mx_round)round, (mx_overflow)ovf};
      mx_profile_resolve(&sv->profile, &kc, &o);
      for (size_t i = 0; i < cnt; i++) {
        out[i] = mxref_convert_one((mx_fmt)dst, (mx_fmt)src, in[i], &o, rnd[i]);
        if (out[i] == MX_CODE_REFUSED) out[i] = MXC_VALUE_REFUSED, refused_values = 1; /* the profile's library raises here */
      }
    }
    reply_values(out, cnt);
  } else if (!strcmp(op, "quantize") && n >= 6) {
    int bf = mx_block_fmt_by_name(f[1]), src = mx_format_by_name(f[2]);
    int rule = mx_name_index(mx_scale_rule_names, f[3]), round = mx_name_index(mx_round_names, f[4]);
    size_t k = strtoul(f[5], NULL, 10);
    if (bf < 0 || src < 0 || !mx_format((mx_fmt)src)->is_source || rule < 0 || round < 0 || k < 1 || k > MX_BLOCK_MAX ||
        (size_t)n != 6 + k) {
      puts("error bad quantize request");
      return;
    }
    for (size_t i = 0; i < k; i++)
      if (parse_hex(f[6 + i], &in[i])) { puts("error bad value"); return; }
    if (sv->api) {
      if (!sv->api->quantize) { puts("unsupported"); return; }
      if (reply_status(sv->api->quantize(bf, src, rule, round, in, k, &out[0], &out[1]))) return;
    } else {
      /* libmxref here stands for a fixed-function encoder: it quantizes with its profile's
       * rounding whatever the request names (cvt requests are honoured), and declares any
       * other scale rule than its profile's unsupported */
      mx_block_opts o = mx_profile_block_opts(&sv->profile, MX_OPK_QUANTIZE, (mx_fmt)src, mx_block_element((mx_block_fmt)bf));
      if (rule != (int)o.rule) { puts("unsupported"); return; } /* a fixed-function encoder has one rule */
      union { uint16_t h[MX_BLOCK_MAX]; uint32_t w[MX_BLOCK_MAX]; uint64_t d[MX_BLOCK_MAX]; } v;
      int bits = mx_format((mx_fmt)src)->bits;
      for (size_t i = 0; i < k; i++) {
        if (bits == 16) v.h[i] = (uint16_t)in[i];
        else if (bits == 32) v.w[i] = (uint32_t)in[i];
        else v.d[i] = in[i];
      }
      uint8_t scale, codes[MX_BLOCK_MAX];
      mxref_quantize_block((mx_block_fmt)bf, (mx_fmt)src, &v, k, &o, NULL, &scale, codes);
      out[0] = scale;
      for (size_t i = 0; i < k; i++) out[1 + i] = codes[i];
    }
    reply_values(out, k + 1);
  } else if (!strcmp(op, "dequantize") && n >= 5) {
    int bf = mx_block_fmt_by_name(f[1]), dst = mx_format_by_name(f[2]);
    size_t k = strtoul(f[3], NULL, 10);
    uint64_t scale;
    if (bf < 0 || (dst != MX_F32 && dst != MX_BF16 && dst != MX_F64) || k < 1 || k > MX_BLOCK_MAX || (size_t)n != 5 + k ||
        parse_hex(f[4], &scale)) {
      puts("error bad dequantize request");
      return;
    }
    for (size_t i = 0; i < k; i++)
      if (parse_hex(f[5 + i], &in[i])) { puts("error bad value"); return; }
    if (sv->api) {
      if (!sv->api->dequantize) { puts("unsupported"); return; }
      if (reply_status(sv->api->dequantize(bf, dst, scale, in, k, out))) return;
    } else {
      uint8_t codes[MX_BLOCK_MAX];
      union { uint16_t h[MX_BLOCK_MAX]; uint32_t w[MX_BLOCK_MAX]; uint64_t d[MX_BLOCK_MAX]; } v;
      for (size_t i = 0; i < k; i++) codes[i] = (uint8_t)in[i];
      mxref_dequantize_block((mx_block_fmt)bf, (uint8_t)scale, codes, k, (mx_fmt)dst, &sv->profile.o, &v);
      int bits = mx_format((mx_fmt)dst)->bits;
      for (size_t i = 0; i < k; i++) out[i] = bits == 16 ? v.h[i] : bits == 32 ? v.w[i] : v.d[i];
    }
    reply_values(out, k);
  } else if (!strcmp(op, "pack") && n >= 4) {
    int bf = mx_block_fmt_by_name(f[1]), layout = mx_name_index(mx_pack_layout_names, f[2]);
    size_t cnt = strtoul(f[3], NULL, 10);
    if (bf < 0 || layout < 0 || cnt < 1 || cnt > MAXV || (size_t)n != 4 + cnt) { puts("error bad pack request"); return; }
    for (size_t i = 0; i < cnt; i++)
      if (parse_hex(f[4 + i], &in[i])) { puts("error bad value"); return; }
    static uint8_t packed[MAXV];
    size_t len = 0;
    if (sv->api) {
      if (!sv->api->pack) { puts("unsupported"); return; }
      if (reply_status(sv->api->pack(bf, layout, in, cnt, packed, &len))) return;
    } else {
      uint8_t codes[MAXV];
      for (size_t i = 0; i < cnt; i++) codes[i] = (uint8_t)in[i];
      len = mxref_pack((mx_block_fmt)bf, (mx_pack_layout)layout, codes, cnt, packed);
      if (!len) { puts("unsupported"); return; }
    }
    fputs("ok ", stdout);
    for (size_t i = 0; i < len; i++) printf("%02x", packed[i]);
    fputc('\n', stdout);
  } else if (!strcmp(op, "sweep") && n >= 7) {
    /* sweep SRC DST ROUND OVERFLOW FIRST LAST [KNOB=VALUE ...]: run the whole range here and
     * compare with libmxref under those knobs (the others default), so that 2^32 inputs never
     * cross the pipe */
    sweep_req q;
    mx_convert_opts_default(&q.knobs);
    for (int i = 7; i < n; i++)
      if (!strncmp(f[i], "round=", 6) || !strncmp(f[i], "overflow=", 9) || mx_knob_assign(&q.knobs, f[i])) {
        puts("error bad sweep request");
        return;
      }
    int src = mx_format_by_name(f[1]), dst = mx_format_by_name(f[2]);
    int round = mx_name_index(mx_round_names, f[3]), ovf = mx_name_index(mx_overflow_names, f[4]);
    uint64_t first, last;
    /* sweeps enumerate 16- and 32-bit sources into element/scale formats only */
    if (src < 0 || dst < 0 || !mx_format((mx_fmt)src)->is_source || mx_format((mx_fmt)src)->bits > 32 ||
        !mx_format((mx_fmt)dst)->is_element || round < 0 || round == MX_SR || ovf < 0 || parse_hex(f[5], &first) ||
        parse_hex(f[6], &last) || last < first || (last >> mx_format((mx_fmt)src)->bits)) {
      puts("error bad sweep request");
      return;
    }
    q.src = (mx_fmt)src;
    q.dst = (mx_fmt)dst;
    q.round = (mx_round)round;
    q.overflow = (mx_overflow)ovf;
    sweep_tally t;
    memset(&t, 0, sizeof t);
    static uint16_t codes[MAXV];
    for (uint64_t b = first; b <= last; b += MAXV) {
      size_t cnt = last - b + 1 < MAXV ? (size_t)(last - b + 1) : MAXV;
      for (size_t i = 0; i < cnt; i++) in[i] = b + i;
      if (sv->api) {
        if (!sv->api->convert) { puts("unsupported"); return; }
        int rc = sv->api->convert(dst, src, round, ovf, in, NULL, cnt, out);
        if (rc == MXC_UNSUPPORTED) { puts("unsupported"); return; }
        if (rc != MXC_OK && rc != MXC_REFUSED) { puts("error the target returned an error"); return; }
      } else {
        mx_convert_opts o;
        mx_knob_context kc = {MX_OPK_CVT, (mx_fmt)src, (mx_fmt)dst, (mx_round)round, (mx_overflow)ovf};
        mx_profile_resolve(&sv->profile, &kc, &o);
        for (size_t i = 0; i < cnt; i++) {
          out[i] = mxref_convert_one((mx_fmt)dst, (mx_fmt)src, in[i], &o, 0);
          if (out[i] == MX_CODE_REFUSED) out[i] = MXC_VALUE_REFUSED;
        }
      }
      for (size_t i = 0; i < cnt; i++) /* 0x100: not a code; 0x200: refused (target.h MXC_VALUE_REFUSED) */
        codes[i] = out[i] == MXC_VALUE_REFUSED ? 0x200 : out[i] > 0xFF ? 0x100 : (uint16_t)out[i];
      sweep_compare(&q, b, cnt, codes, &t);
      if (b + cnt - 1 == last) break;
    }
    printf("ok %llx %llx", (unsigned long long)t.checked, (unsigned long long)t.mismatches);
    for (int c = 0; c < 5; c++) printf(" %llx", (unsigned long long)t.by_class[c]);
    for (unsigned i = 0; i < t.nfirst && i < 16; i++)
      printf(" %llx:%x:%x", (unsigned long long)t.first[i].bits, t.first[i].expected, t.first[i].actual);
    fputc('\n', stdout);
  } else if (!strcmp(op, "dot") && n >= 6) {
    /* dot FA FB N K C SA.. A.. SB.. B.. (PROTOCOL.md) */
    int fa = mx_block_fmt_by_name(f[1]), fb = mx_block_fmt_by_name(f[2]);
    size_t nb = strtoul(f[3], NULL, 10), k = strtoul(f[4], NULL, 10);
    uint64_t c = 0;
    int has_c = strcmp(f[5], "-") != 0;
    if (fa < 0 || fb < 0 || k < 1 || k > MX_BLOCK_MAX || nb > MAXV / 2 || nb * k > MAXV / 2 ||
        (size_t)n != 6 + 2 * (nb + nb * k) || (has_c && (parse_hex(f[5], &c) || c > 0xFFFFFFFFu))) {
      puts("error bad dot request");
      return;
    }
    /* in[]: A scales, A codes; out[]: B scales, B codes (then reused for the answer) */
    static uint64_t bv[MAXV];
    size_t na = nb + nb * k;
    for (size_t i = 0; i < na; i++)
      if (parse_hex(f[6 + i], &in[i]) || parse_hex(f[6 + na + i], &bv[i])) { puts("error bad value"); return; }
    uint64_t r;
    if (sv->api) {
      if (!sv->api->dot) { puts("unsupported"); return; }
      if (reply_status(sv->api->dot(fa, fb, nb, k, in, in + nb, bv, bv + nb, has_c, c, &r))) return;
    } else {
      static uint8_t s8[2][MAXV], c8[2][MAXV];
      for (size_t j = 0; j < nb; j++) s8[0][j] = (uint8_t)in[j], s8[1][j] = (uint8_t)bv[j];
      for (size_t i = 0; i < nb * k; i++) c8[0][i] = (uint8_t)in[nb + i], c8[1][i] = (uint8_t)bv[nb + i];
      mx_dot_vec a = {(mx_block_fmt)fa, s8[0], c8[0]}, b = {(mx_block_fmt)fb, s8[1], c8[1]};
      uint32_t c32 = (uint32_t)c, o32;
      if (mxref_dot_general(&a, &b, nb, k, has_c ? &c32 : NULL, &sv->dot_model, &o32) != MX_DOT_OK) {
        puts("unsupported");
        return;
      }
      r = o32;
    }
    reply_values(&r, 1);
  } else if (!strcmp(op, "nvfp4_quantize") && n >= 3) {
    serve_nvfp4_quantize(sv, f, n, in, out);
  } else if (!strcmp(op, "nvfp4_dequantize") && n >= 4) {
    serve_nvfp4_dequantize(sv, f, n, in, out);
  } else if (!strcmp(op, "nvfp4_dot") && n >= 3) {
    serve_nvfp4_dot(sv, f, n);
  } else {
    printf("error unknown request '%s'\n", op);
  }
}

/* ---- leaving when the harness is gone -------------------------------------------------- */
/* A library call may hang forever; the main loop then never reads its stdin again. This
 * thread watches stdin for its writer going away (POLLHUP) and ends the process when the
 * call in progress has gone on INPUT_GONE_GRACE_S past that: an orphaned `serve` never
 * lingers. A call that returns in time is answered as usual, so `... | mxconform serve`
 * still answers every line it was given. */
#define INPUT_GONE_GRACE_S 2
static atomic_uint g_call_gen; /* odd: a request is being handled */

static void *watch_stdin(void *arg) {
  (void)arg;
  struct pollfd pf = {0, 0, 0}; /* no events: only POLLHUP / POLLERR / POLLNVAL wake it */
  while (poll(&pf, 1, -1) < 0 || !(pf.revents & (POLLHUP | POLLERR | POLLNVAL))) {}
  unsigned seen = atomic_load(&g_call_gen);
  for (int tick = 0;; tick++) {
    struct timespec ts = {0, 100 * 1000000L};
    nanosleep(&ts, NULL);
    unsigned now = atomic_load(&g_call_gen);
    if (now != seen) { /* another call began: give it its own grace */
      seen = now;
      tick = 0;
    }
    if ((now & 1) && tick >= INPUT_GONE_GRACE_S * 10) {
      static const char note[] = "mxconform serve: input closed during a call that does not return; exiting\n";
      if (write(2, note, sizeof note - 1) < 0) { /* nothing more to do */ }
      _exit(3);
    }
  }
  return NULL;
}

static void start_watcher(void) {
  pthread_t th;
  if (pthread_create(&th, NULL, watch_stdin, NULL) == 0) pthread_detach(th);
}

int cmd_serve(int argc, char **argv) {
  const char *cmd = "serve";
  const char *lib = NULL, *profile = "ocp", *dot_preset = NULL, *dot_text = NULL;
  int reference = 0;
  for (int i = 1; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--lib"))) lib = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--profile"))) profile = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--dot-preset"))) dot_preset = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--dot-model"))) dot_text = v;
    else if (!strcmp(argv[i], "--reference")) reference = 1;
    else if (!strcmp(argv[i], "--help")) {
      printf("usage: mxconform serve --lib PATH.so | --reference [--profile P] [--dot-preset NAME | --dot-model TEXT]\n"
             "Answers harness/PROTOCOL.md requests on stdin/stdout. With --reference, libmxref configured\n"
             "by profile P (default ocp) answers: cvt requests as asked, quantize with P's rounding (other rules: unsupported),\n"
             "dot and nvfp4_dot requests with the accumulation model of preset NAME, or of TEXT (the model's text\n"
             "form, 'group=1 accum=f32-rne c_at=last'; include/mxconform/dot.h), else P's `dot` line, else exact-rne;\n"
             "nvfp4_quantize/nvfp4_dequantize/nvfp4_dot requests under P's nvfp4_* knobs\n"
             "(spec_notes/nvfp4.md).\n");
      return 0;
    } else cli_usage_error(cmd, "unknown argument '%s'", argv[i]);
  }
  if (!lib == !reference) cli_usage_error(cmd, "give exactly one of --lib PATH and --reference");
  serve_ctx sv = {0};
  char err[512];
  if (mx_profile_load(profile, &sv.profile, err, sizeof err)) cli_usage_error(cmd, "%s", err);
  if (dot_preset && dot_text) cli_usage_error(cmd, "give at most one of --dot-preset and --dot-model");
  sv.dot_model = *mx_profile_dot_model(&sv.profile);
  if (dot_preset) {
    const mx_dot_preset *dp = mx_dot_preset_find(dot_preset);
    if (!dp) cli_usage_error(cmd, "--dot-preset: unknown preset '%s'", dot_preset);
    sv.dot_model = dp->model;
  }
  if (dot_text && mx_dot_model_parse(dot_text, &sv.dot_model, err, sizeof err))
    cli_usage_error(cmd, "--dot-model: %s", err);
  const char *name = "libmxref", *version = mxref_version();
  if (lib) {
    void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      fprintf(stderr, "mxconform serve: %s\n", dlerror());
      return 3;
    }
    mxc_target_get_fn get = (mxc_target_get_fn)dlsym(h, MXC_TARGET_SYMBOL);
    if (!get) {
      fprintf(stderr, "mxconform serve: %s: no symbol %s\n", lib, MXC_TARGET_SYMBOL);
      return 3;
    }
    sv.api = get();
    if (!sv.api || sv.api->abi_version != MXC_TARGET_ABI_VERSION || sv.api->struct_size < sizeof(mxc_target_api)) {
      fprintf(stderr, "mxconform serve: %s: unsupported ABI (want version %u)\n", lib, MXC_TARGET_ABI_VERSION);
      return 3;
    }
    name = sv.api->name ? sv.api->name : lib;
    version = sv.api->version ? sv.api->version : "?";
  }
  start_watcher();
  size_t cap = 1 << 16;
  char *line = malloc(cap);
  int first = 1;
  while (line && fgets(line, (int)cap, stdin)) {
    size_t len = strlen(line);
    while (len == cap - 1 && line[len - 1] != '\n') { /* grow for long lines */
      cap *= 2;
      line = realloc(line, cap);
      if (!line || !fgets(line + len, (int)(cap - len), stdin)) break;
      len += strlen(line + len);
    }
    if (!line) break;
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
    if (first) {
      first = 0;
      if (strcmp(line, "mxconform-protocol 1")) {
        puts("error expected 'mxconform-protocol 1'");
        return 2;
      }
      printf("ok %s %s\n", name, version);
      fflush(stdout);
      continue;
    }
    if (!strcmp(line, "quit")) break;
    atomic_fetch_add(&g_call_gen, 1);
    serve_handle_line(&sv, line);
    fflush(stdout);
    atomic_fetch_add(&g_call_gen, 1);
  }
  free(line);
  return 0;
}
