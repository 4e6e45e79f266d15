/* Targets: the in-process reference, and child processes speaking PROTOCOL.md with
 * crash/hang containment and narrowing. */
#define _GNU_SOURCE
#include "target.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mxconform/dot.h"
#include "mxconform/mxref.h"
#include "mxconform/nvfp4.h"

const char *const tstatus_names[T_STATUS_COUNT] = {"ok", "unsupported", "error", "crash", "timeout",
                                                   "protocol-error", "refused",
                                                   "unobserved"};

struct target {
  char spec[1024];
  char kind[16];
  char name[128];
  char version[128];
  double timeout;
  /* child process (lib:, cmd:) */
  int is_process;
  char *argv[8];
  char cmdline[1100];
  pid_t pid;
  int to_child, from_child;
  char *rbuf;
  size_t rlen, rcap;
  unsigned starts;
  unsigned isolated; /* inputs narrowed down in the current suite */
  unsigned exchanges; /* requests answered since the process started: 0 = fresh */
  /* what went wrong in the current suite, every attempt (target.h) */
  target_event events[TARGET_MAX_EVENTS];
  size_t nevents, nevents_total, unreproduced;
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- child process management ------------------------------------------------------ */

/* Kill the target's whole process group (it runs in its own session, see proc_start): the
 * `sh -c` wrapper, the real program and any grandchild holding the pipe. With a grace (the
 * end of a run), the target first gets its input closed and grace_ms to exit by itself;
 * then the group gets SIGKILL. The leader is reaped last, so that its pid (the group id)
 * cannot be reused while it is signalled. */
#define GRACE_MS 200
static void proc_kill_grace(target *t, int grace_ms) {
  if (t->to_child >= 0) close(t->to_child); /* EOF: a well-behaved target just exits */
  t->to_child = -1;
  if (t->pid > 0) {
    for (int waited = 0; waited < grace_ms; waited += 5) {
      siginfo_t si;
      memset(&si, 0, sizeof si);
      if (waitid(P_PID, (id_t)t->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == t->pid) break;
      struct timespec ts = {0, 5 * 1000000L};
      nanosleep(&ts, NULL);
    }
    kill(-t->pid, SIGKILL);
    kill(t->pid, SIGKILL); /* in case setsid failed in the child */
    while (waitpid(t->pid, NULL, 0) < 0 && errno == EINTR) {}
  }
  if (t->from_child >= 0) close(t->from_child);
  t->pid = -1;
  t->from_child = -1;
  t->rlen = 0;
  t->exchanges = 0;
}

static void proc_kill(target *t) { proc_kill_grace(t, 0); }

/* Write all of buf while reading answer lines; stop when `lines` lines have arrived.
 * Returns T_OK, T_CRASH (EOF / write failure / exit) or T_TIMEOUT. */
static tstatus exchange(target *t, const char *buf, size_t len, size_t lines, double timeout) {
  size_t written = 0, got = 0, scanned = 0;
  t->rlen = 0;
  double deadline = now_s() + timeout;
  for (;;) {
    /* count complete lines in what arrived since the last look: rescanning the whole buffer
     * made a cvtrange exchange (4 answers of 2 MiB, read 64 KiB at a time) quadratic */
    for (const char *p = t->rbuf + scanned, *e = t->rbuf + t->rlen; scanned < t->rlen && (p = memchr(p, '\n', (size_t)(e - p)));
         p++)
      got++;
    scanned = t->rlen;
    if (got >= lines && written == len) return T_OK;
    struct pollfd pf[2];
    int np = 0;
    pf[np].fd = t->from_child;
    pf[np].events = POLLIN;
    np++;
    if (written < len) {
      pf[np].fd = t->to_child;
      pf[np].events = POLLOUT;
      np++;
    }
    double left = deadline - now_s();
    if (left <= 0) return T_TIMEOUT;
    int r = poll(pf, (nfds_t)np, (int)(left * 1000) + 1);
    if (r < 0) {
      if (errno == EINTR) continue;
      return T_CRASH;
    }
    if (r == 0) continue; /* re-check the deadline */
    if (np == 2 && (pf[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      if (pf[1].revents & (POLLERR | POLLHUP)) return T_CRASH;
      ssize_t w = write(t->to_child, buf + written, len - written);
      if (w < 0 && errno != EAGAIN && errno != EINTR) return T_CRASH;
      if (w > 0) written += (size_t)w;
    }
    if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (t->rcap - t->rlen < 65536) {
        t->rcap = t->rcap * 2 + 65536;
        t->rbuf = realloc(t->rbuf, t->rcap);
        if (!t->rbuf) abort();
      }
      ssize_t n = read(t->from_child, t->rbuf + t->rlen, t->rcap - t->rlen);
      if (n == 0) return T_CRASH; /* EOF: the target exited */
      if (n < 0 && errno != EAGAIN && errno != EINTR) return T_CRASH;
      if (n > 0) t->rlen += (size_t)n;
      if (t->rlen > ((size_t)256 << 20)) return T_CRASH; /* runaway output */
    }
  }
}

static int proc_start(target *t, char *err, size_t errlen) {
  int in[2], out[2];
  if (pipe(in) || pipe(out)) {
    snprintf(err, errlen, "%s: pipe: %s", t->spec, strerror(errno));
    return -1;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(err, errlen, "%s: fork: %s", t->spec, strerror(errno));
    return -1;
  }
  if (pid == 0) {
    /* its own session and process group, so that a timeout kills everything it started;
     * and it dies with the harness, even by SIGKILL */
    setsid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127); /* the harness is already gone */
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]); close(in[1]); close(out[0]); close(out[1]);
    execv(t->argv[0], t->argv);
    fprintf(stderr, "mxconform: cannot start %s: %s\n", t->argv[0], strerror(errno));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  t->pid = pid;
  t->to_child = in[1];
  t->from_child = out[0];
  fcntl(t->to_child, F_SETFL, O_NONBLOCK);
  fcntl(t->from_child, F_SETFL, O_NONBLOCK);
  fcntl(t->to_child, F_SETFD, FD_CLOEXEC);
  fcntl(t->from_child, F_SETFD, FD_CLOEXEC);
  t->starts++;
  t->exchanges = 0;
  const char *hello = "mxconform-protocol 1\n";
  tstatus st = exchange(t, hello, strlen(hello), 1, t->timeout);
  if (st != T_OK || t->rlen < 3 || strncmp(t->rbuf, "ok", 2) || (t->rbuf[2] != ' ' && t->rbuf[2] != '\n')) {
    snprintf(err, errlen, "%s: no valid handshake (%s)", t->spec,
             st == T_TIMEOUT ? "timed out" : st == T_CRASH ? "the target exited" : "expected 'ok NAME VERSION'");
    proc_kill(t);
    return -1;
  }
  /* name and version from "ok NAME VERSION" */
  char line[256];
  size_t n = (size_t)(strchr(t->rbuf, '\n') - t->rbuf);
  if (n >= sizeof line) n = sizeof line - 1;
  memcpy(line, t->rbuf, n);
  line[n] = 0;
  char *p = line + 2;
  while (*p == ' ') p++;
  char *sp = strchr(p, ' ');
  if (sp) {
    *sp = 0;
    snprintf(t->version, sizeof t->version, "%s", sp + 1);
  }
  if (*p) snprintf(t->name, sizeof t->name, "%s", p);
  return 0;
}

static char *self_exe(void) {
  static char path[4096];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return NULL;
  path[n] = 0;
  return path;
}

target *target_open(const char *spec, double timeout_s, char *err, size_t errlen) {
  target *t = calloc(1, sizeof *t);
  if (!t) abort();
  snprintf(t->spec, sizeof t->spec, "%s", spec);
  t->timeout = timeout_s;
  t->pid = -1;
  t->to_child = t->from_child = -1;
  signal(SIGPIPE, SIG_IGN);
  if (!strcmp(spec, "reference")) {
    snprintf(t->kind, sizeof t->kind, "builtin");
    snprintf(t->name, sizeof t->name, "libmxref");
    snprintf(t->version, sizeof t->version, "%s", mxref_version());
    return t;
  }
  t->is_process = 1;
  if (!strncmp(spec, "lib:", 4) && spec[4]) {
    snprintf(t->kind, sizeof t->kind, "lib");
    if (access(spec + 4, R_OK) != 0) {
      snprintf(err, errlen, "%s: cannot read %s: %s", spec, spec + 4, strerror(errno));
      free(t);
      return NULL;
    }
    char *exe = self_exe();
    if (!exe) {
      snprintf(err, errlen, "%s: cannot find the mxconform executable", spec);
      free(t);
      return NULL;
    }
    snprintf(t->cmdline, sizeof t->cmdline, "%s", spec + 4);
    t->argv[0] = strdup(exe);
    t->argv[1] = "serve";
    t->argv[2] = "--lib";
    t->argv[3] = t->cmdline;
    t->argv[4] = NULL;
    snprintf(t->name, sizeof t->name, "%s", spec + 4);
  } else if (!strncmp(spec, "cmd:", 4) && spec[4]) {
    snprintf(t->kind, sizeof t->kind, "cmd");
    snprintf(t->cmdline, sizeof t->cmdline, "%s", spec + 4);
    t->argv[0] = "/bin/sh";
    t->argv[1] = "-c";
    t->argv[2] = t->cmdline;
    t->argv[3] = NULL;
    snprintf(t->name, sizeof t->name, "%s", spec + 4);
  } else {
    snprintf(err, errlen, "bad --target '%s' (reference, lib:PATH.so or cmd:'COMMAND')", spec);
    free(t);
    return NULL;
  }
  if (proc_start(t, err, errlen)) {
    if (!strncmp(spec, "lib:", 4)) free(t->argv[0]);
    free(t->rbuf);
    free(t);
    return NULL;
  }
  return t;
}

void target_close(target *t) {
  if (!t) return;
  if (t->is_process) {
    if (t->pid > 0) {
      const char *q = "quit\n";
      if (write(t->to_child, q, strlen(q)) < 0) { /* it may be gone already */ }
    }
    proc_kill_grace(t, GRACE_MS);
    if (!strcmp(t->kind, "lib")) free(t->argv[0]);
  }
  free(t->rbuf);
  free(t);
}

const char *target_spec(const target *t) { return t->spec; }
const char *target_kind(const target *t) { return t->kind; }
const char *target_name(const target *t) { return t->name; }
const char *target_version(const target *t) { return t->version; }
unsigned target_restarts(const target *t) { return t->starts; }
void target_begin_suite(target *t) {
  t->isolated = 0;
  t->nevents = t->nevents_total = t->unreproduced = 0;
}

size_t target_suite_events(const target *t, const target_event **ev, size_t *total, size_t *unreproduced) {
  *ev = t->events;
  if (total) *total = t->nevents_total;
  if (unreproduced) *unreproduced = t->unreproduced;
  return t->nevents;
}

/* ---- the in-process reference ------------------------------------------------------- */

/* NVFP4 cases through libmxref, in the words of vectors.h (an nvfp4_quantize case it refuses,
 * a non-finite input, is an error: the reader never lets one in). */
static tstatus reference_nvfp4(const vec_suite *s, const mx_profile *p, const uint64_t *in, uint64_t *out) {
  static uint32_t v[MX_BLOCK_MAX];
  static uint8_t scales[MX_BLOCK_MAX / MX_NVFP4_BLOCK], codes[MX_BLOCK_MAX];
  if (s->op == OP_NVFP4_DEQUANTIZE) {
    for (int i = 0; i < MX_NVFP4_BLOCK; i++) codes[i] = (uint8_t)in[2 + i];
    mxref_nvfp4_dequantize((uint32_t)in[0], (uint8_t)in[1], codes, &p->nvfp4, v);
    for (int i = 0; i < MX_NVFP4_BLOCK; i++) out[i] = v[i];
    return T_OK;
  }
  size_t nb = s->nblocks, nv = nb * MX_NVFP4_BLOCK;
  for (size_t i = 0; i < nv; i++) v[i] = (uint32_t)in[i];
  uint32_t amax = (uint32_t)in[nv + 1];
  mx_nvfp4_tensor t = {0, 0, scales, codes};
  if (mxref_nvfp4_quantize(v, nv, in[nv] ? &amax : NULL, &p->nvfp4, &t)) return T_ERROR;
  out[0] = t.tensor_scale;
  for (size_t j = 0; j < nb; j++) out[1 + j] = scales[j];
  for (size_t i = 0; i < nv; i++) out[1 + nb + i] = codes[i];
  return T_OK;
}

static void run_reference(const vec_suite *s, const mx_profile *p, size_t first, size_t n, uint64_t *actual,
                          tstatus *st) {
  for (size_t c = 0; c < n; c++) {
    const uint64_t *in = s->in + (first + c) * s->nin;
    uint64_t *out = actual + c * s->nout;
    st[c] = T_OK;
    switch (s->op) {
    case OP_DECODE: out[0] = mxref_decode_f64_bits(s->fmt, (uint32_t)in[0]); break;
    case OP_CVT: {
      mx_convert_opts o;
      mx_knob_context kc = {MX_OPK_CVT, s->src, s->dst, s->round, s->overflow};
      mx_profile_resolve(p, &kc, &o);
      out[0] = mxref_convert_one(s->dst, s->src, in[0], &o, s->rnd[first + c]);
      break;
    }
    case OP_QUANTIZE: {
      uint8_t scale, codes[MX_BLOCK_MAX];
      union { uint16_t h[MX_BLOCK_MAX]; uint32_t w[MX_BLOCK_MAX]; uint64_t d[MX_BLOCK_MAX]; } v;
      int bits = mx_format(s->src)->bits;
      for (size_t i = 0; i < s->k; i++) {
        if (bits == 16) v.h[i] = (uint16_t)in[i];
        else if (bits == 32) v.w[i] = (uint32_t)in[i];
        else v.d[i] = in[i];
      }
      mx_block_opts o = mx_profile_block_opts(p, MX_OPK_QUANTIZE, s->src, mx_block_element(s->bfmt));
      if (s->rule >= 0) o.rule = (mx_scale_rule)s->rule; /* the suite's `param rule` */
      mxref_quantize_block(s->bfmt, s->src, &v, s->k, &o, NULL, &scale, codes);
      out[0] = scale;
      for (size_t i = 0; i < s->k; i++) out[1 + i] = codes[i];
      break;
    }
    case OP_DEQUANTIZE: {
      uint8_t codes[MX_BLOCK_MAX];
      union { uint16_t h[MX_BLOCK_MAX]; uint32_t w[MX_BLOCK_MAX]; uint64_t d[MX_BLOCK_MAX]; } v;
      for (size_t i = 0; i < s->k; i++) codes[i] = (uint8_t)in[1 + i];
      mxref_dequantize_block(s->bfmt, (uint8_t)in[0], codes, s->k, s->dst, &p->o, &v);
      int bits = mx_format(s->dst)->bits;
      for (size_t i = 0; i < s->k; i++) out[i] = bits == 16 ? v.h[i] : bits == 32 ? v.w[i] : v.d[i];
      break;
    }
    case OP_PACK: {
      uint8_t codes[MX_BLOCK_MAX], packed[MX_BLOCK_MAX];
      for (size_t i = 0; i < s->k; i++) codes[i] = (uint8_t)in[i];
      size_t m = mxref_pack(s->bfmt, s->layout, codes, s->k, packed);
      for (size_t i = 0; i < s->nout; i++) out[i] = i < m ? packed[i] : 0;
      break;
    }
    case OP_DOT: {
      static uint8_t sa[64], sb[64], ca[MX_BLOCK_MAX], cb[MX_BLOCK_MAX];
      mx_dot_vec a, b;
      uint32_t cc, r = 0;
      int has_c = vec_dot_operands(s, in, sa, ca, sb, cb, &a, &b, &cc);
      /* under the profile's dot model, as the expected values (exact-rne without one) */
      if (mxref_dot_general(&a, &b, s->nblocks, s->k, has_c ? &cc : NULL, mx_profile_dot_model(p), &r) != MX_DOT_OK)
        st[c] = T_UNSUPPORTED;
      out[0] = r;
      break;
    }
    case OP_NVFP4_QUANTIZE:
    case OP_NVFP4_DEQUANTIZE: st[c] = reference_nvfp4(s, p, in, out); break;
    case OP_NVFP4_DOT: { /* the profile's dot model, as the MX dot above */
      static uint8_t sa[64], sb[64], ca[64 * MX_NVFP4_BLOCK], cb[64 * MX_NVFP4_BLOCK];
      uint32_t sta, stb, cc, r = 0;
      int has_c = vec_nvfp4_dot_operands(s, in, &sta, sa, ca, &stb, sb, cb, &cc);
      int rc = mxref_nvfp4_dot_general(s->nblocks, sta, sa, ca, stb, sb, cb, has_c ? &cc : NULL,
                                       mx_profile_dot_model(p), &p->nvfp4, &r);
      if (rc) st[c] = rc == MX_DOT_EUNSUPPORTED ? T_UNSUPPORTED : T_ERROR;
      out[0] = r;
      break;
    }
    default: st[c] = T_UNSUPPORTED;
    }
  }
}

/* ---- requests and answers ------------------------------------------------------------ */

#define VALUES_PER_LINE 1024
#define BATCH_SWEEP 4096

/* Input words a request line lists after its header: all of a case's inputs, less those the
 * header carries (a dequantize scale, an nvfp4 tensor scale and block scale, a dot's C, an
 * nvfp4 amax). */
static size_t request_words(const vec_suite *s) {
  switch (s->op) {
  case OP_DEQUANTIZE: return s->nin - 1;
  case OP_NVFP4_DEQUANTIZE:
  case OP_DOT:
  case OP_NVFP4_DOT:
  case OP_NVFP4_QUANTIZE: return s->nin - 2;
  default: return s->nin;
  }
}

static size_t build_requests(const vec_suite *s, size_t first, size_t n, char **out, size_t *outlen,
                             line_span **spans) {
  FILE *f = open_memstream(out, outlen);
  size_t nlines = 0, cap = 16;
  *spans = malloc(cap * sizeof **spans);
  for (size_t c = 0; c < n;) {
    size_t take = (s->op == OP_CVT || s->op == OP_DECODE) ? (n - c < VALUES_PER_LINE ? n - c : VALUES_PER_LINE) : 1;
    const uint64_t *in = s->in + (first + c) * s->nin;
    switch (s->op) {
    case OP_DECODE: fprintf(f, "decode %s %zu", mx_format(s->fmt)->name, take); break;
    case OP_CVT:
      fprintf(f, "cvt %s %s %s %s %zu", mx_format(s->src)->name, mx_format(s->dst)->name, mx_round_names[s->round],
              mx_overflow_names[s->overflow], take);
      break;
    case OP_QUANTIZE: {
      char rule[32], round[32];
      fprintf(f, "quantize %s %s %s %s %zu", mx_block_fmt_names[s->bfmt], mx_format(s->src)->name,
              s->rule >= 0 ? mx_scale_rule_names[s->rule] : mx_profile_get(&s->knobs, "rule", rule, sizeof rule),
              mx_profile_get(&s->knobs, "round", round, sizeof round),
              s->k);
      break;
    }
    case OP_DEQUANTIZE:
      fprintf(f, "dequantize %s %s %zu %llx", mx_block_fmt_names[s->bfmt], mx_format(s->dst)->name, s->k,
              (unsigned long long)in[0]);
      in++;
      break;
    case OP_PACK: fprintf(f, "pack %s %s %zu", mx_block_fmt_names[s->bfmt], mx_pack_layout_names[s->layout], s->k); break;
    case OP_DOT: {
      size_t m = 2 * (s->nblocks + s->nblocks * s->k);
      fprintf(f, "dot %s %s %zu %zu ", mx_block_fmt_names[s->bfmt], mx_block_fmt_names[s->bfmt_b], s->nblocks, s->k);
      if (in[m]) fprintf(f, "%llx", (unsigned long long)in[m + 1]);
      else fputc('-', f);
      break;
    }
    case OP_NVFP4_QUANTIZE: { /* nvfp4_quantize N AMAX V1 ... VN (AMAX `-`: the tensor's own) */
      size_t nv = s->nblocks * MX_NVFP4_BLOCK;
      fprintf(f, "nvfp4_quantize %zu ", nv);
      if (in[nv]) fprintf(f, "%llx", (unsigned long long)in[nv + 1]);
      else fputc('-', f);
      break;
    }
    case OP_NVFP4_DEQUANTIZE: /* nvfp4_dequantize K TSCALE SCALE C1 ... CK */
      fprintf(f, "nvfp4_dequantize %d %llx %llx", MX_NVFP4_BLOCK, (unsigned long long)in[0], (unsigned long long)in[1]);
      in += 2;
      break;
    case OP_NVFP4_DOT: { /* nvfp4_dot N C TA SA.. A.. TB SB.. B.. (C `-`: none) */
      size_t m = 2 * (1 + s->nblocks + s->nblocks * MX_NVFP4_BLOCK);
      fprintf(f, "nvfp4_dot %zu ", s->nblocks);
      if (in[m]) fprintf(f, "%llx", (unsigned long long)in[m + 1]);
      else fputc('-', f);
      break;
    }
    default: break;
    }
    if (s->op == OP_CVT || s->op == OP_DECODE) {
      for (size_t i = 0; i < take; i++) {
        fprintf(f, " %llx", (unsigned long long)s->in[(first + c + i) * s->nin]);
        if (s->nrand) fprintf(f, ":%x", s->rnd[first + c + i]);
      }
    } else {
      size_t cnt = request_words(s);
      for (size_t i = 0; i < cnt; i++) fprintf(f, " %llx", (unsigned long long)in[i]);
    }
    fputc('\n', f);
    if (nlines == cap) *spans = realloc(*spans, (cap *= 2) * sizeof **spans);
    (*spans)[nlines++] = (line_span){c, take};
    c += take;
  }
  fclose(f);
  return nlines;
}

/* Next space-separated token of [*p, end). */
static int token(const char **p, const char *end, const char **a, const char **b) {
  const char *q = *p;
  if (q >= end) return 0;
  const char *e = memchr(q, ' ', (size_t)(end - q));
  if (!e) e = end;
  *a = q;
  *b = e;
  *p = e < end ? e + 1 : end;
  return e > q;
}

static int out_bits(const vec_suite *s) {
  switch (s->op) {
  case OP_DECODE: return 64;
  case OP_CVT: return mx_format(s->dst)->bits;
  case OP_QUANTIZE: return mx_format(mx_block_element(s->bfmt))->bits;
  case OP_DEQUANTIZE: return mx_format(s->dst)->bits;
  case OP_DOT: return 32;
  case OP_NVFP4_DOT: return 32;
  case OP_NVFP4_DEQUANTIZE: return 32;
  default: return 8;
  }
}

/* Width of answer field i where the fields of one answer differ: a quantize answer's scale,
 * an nvfp4_quantize answer's tensor scale (f32), block scales (E4M3) and codes (E2M1). */
static int field_bits(const vec_suite *s, size_t i, int ob) {
  if (s->op == OP_QUANTIZE && i == 0) return 8;
  if (s->op == OP_NVFP4_QUANTIZE) return i == 0 ? 32 : i <= s->nblocks ? 8 : 4;
  return ob;
}

int unobs_may_be(uint64_t w, uint64_t code) {
  unsigned n = unobs_count(w);
  for (unsigned i = 0; i < n; i++)
    if (((w >> (16 + 8 * i)) & 0xFF) == code) return 1;
  return n == 0;
}

void unobs_text(uint64_t w, char *buf, size_t len) {
  size_t o = (size_t)snprintf(buf, len, "one of");
  for (unsigned i = 0; i < unobs_count(w) && o < len; i++)
    o += (size_t)snprintf(buf + o, len - o, " 0x%02x", (unsigned)(w >> (16 + 8 * i)) & 0xFF);
}

/* The rest [p, end) of a `?` field: empty (any value), or for cvt into a format of at most 8
 * bits `C1/C2/.../Cn`, the codes the result may be (2..UNOBS_MAX_CODES). 0 ok, -1 malformed. */
static int parse_unobserved(const vec_suite *s, const char *p, const char *end, uint64_t *w) {
  *w = MX_CODE_UNOBSERVED;
  if (p == end) return 0;
  if (s->op != OP_CVT || mx_format(s->dst)->bits > 8) return -1;
  unsigned n = 0;
  for (const char *q = p; q <= end; q++) {
    if (q < end && *q != '/') continue;
    uint64_t code;
    if (n == UNOBS_MAX_CODES || vec_hex_word(p, q, mx_format(s->dst)->bits, &code)) return -1;
    *w |= code << (16 + 8 * n++);
    p = q + 1;
  }
  if (n < 2) return -1; /* one code is an answer, not an ambiguity */
  *w |= (uint64_t)n << 12;
  return 0;
}

tstatus target_parse_answer(const vec_suite *s, const char *a, const char *end, const line_span *sp, uint64_t *actual,
                            char *msg, size_t msglen) {
  return target_parse_answer_st(s, a, end, sp, actual, NULL, msg, msglen);
}

tstatus target_parse_answer_st(const vec_suite *s, const char *a, const char *end, const line_span *sp,
                               uint64_t *actual, tstatus *st, char *msg, size_t msglen) {
  if ((size_t)(end - a) >= 7 && !strncmp(a, "refused", 7) && (end - a == 7 || a[7] == ' ')) {
    if (msg && !msg[0]) snprintf(msg, msglen, "%.*s", (int)(end - a > 200 ? 200 : end - a), a);
    return T_REFUSED; /* every case of the line: the library raised for this request */
  }
  if ((size_t)(end - a) >= 11 && !strncmp(a, "unsupported", 11) && (end - a == 11 || a[11] == ' ')) return T_UNSUPPORTED;
  if ((size_t)(end - a) >= 5 && !strncmp(a, "error", 5) && (end - a == 5 || a[5] == ' ')) {
    if (msg && !msg[0]) snprintf(msg, msglen, "%.*s", (int)(end - a > 200 ? 200 : end - a), a);
    return T_ERROR;
  }
  if (end - a < 2 || strncmp(a, "ok", 2) || (end - a > 2 && a[2] != ' ')) return T_PROTOCOL;
  const char *p = a + (end - a > 2 ? 3 : 2), *ta, *tb;
  uint64_t *out = actual + sp->first * s->nout;
  int ob = out_bits(s);
  size_t want;
  switch (s->op) {
  case OP_DECODE:
  case OP_CVT: want = sp->n; break;
  case OP_QUANTIZE: want = 1 + s->k; break;
  case OP_DEQUANTIZE: want = s->k; break;
  case OP_DOT:
  case OP_NVFP4_DOT: want = 1; break;
  case OP_NVFP4_QUANTIZE:
  case OP_NVFP4_DEQUANTIZE: want = s->nout; break;
  case OP_PACK: {
    if (!token(&p, end, &ta, &tb) || (size_t)(tb - ta) != 2 * s->nout || p < end) return T_PROTOCOL;
    for (size_t i = 0; i < s->nout; i++)
      if (vec_hex_word(ta + 2 * i, ta + 2 * i + 2, 8, &out[i])) return T_PROTOCOL;
    return T_OK;
  }
  default: return T_PROTOCOL;
  }
  int per_value = s->op == OP_DECODE || s->op == OP_CVT; /* one case per field */
  for (size_t i = 0; i < want; i++) {
    int bits = field_bits(s, i, ob);
    if (!token(&p, end, &ta, &tb)) return T_PROTOCOL;
    if (per_value && tb - ta == 1 && *ta == '!') { /* this value refused (raised) */
      out[i] = 0;
      if (st) st[i] = T_REFUSED;
      continue;
    }
    if (per_value && tb > ta && *ta == '?') { /* the target cannot see this result */
      if (parse_unobserved(s, ta + 1, tb, &out[i])) return T_PROTOCOL;
      if (st) st[i] = T_UNOBSERVED;
      continue;
    }
    if (vec_hex_word(ta, tb, bits, &out[i])) return T_PROTOCOL;
    if (st && per_value) st[i] = T_OK;
  }
  if (p < end) return T_PROTOCOL; /* extra fields */
  return T_OK;
}

static void mark(tstatus *st, size_t n, tstatus v) {
  for (size_t i = 0; i < n; i++) st[i] = v;
}

/* Remember what went wrong on one attempt, with the request line that was in flight. */
static target_event *record_event(target *t, size_t first, size_t n, tstatus st, const char *req, size_t reqlen,
                                  const char *msg) {
  t->nevents_total++;
  if (t->nevents == TARGET_MAX_EVENTS) return NULL;
  target_event *e = &t->events[t->nevents++];
  memset(e, 0, sizeof *e);
  e->first = first;
  e->n = n;
  e->status = st;
  e->attempt = (unsigned)t->nevents_total;
  e->fresh = t->exchanges == 0;
  size_t m = reqlen;
  while (m && (req[m - 1] == '\n' || req[m - 1] == '\r')) m--;
  if (m >= sizeof e->request) {
    m = sizeof e->request - 4;
    snprintf(e->request, sizeof e->request, "%.*s...", (int)m, req);
  } else {
    snprintf(e->request, sizeof e->request, "%.*s", (int)m, req);
  }
  snprintf(e->message, sizeof e->message, "%s", msg ? msg : "");
  return e;
}

/* The answer lines of one exchange: the first line that is not an acceptable answer (its
 * index, or nlines when all are). Field counts are checked against the request line by
 * line: an answer with more or fewer values than its request is a protocol error where it
 * stands; nothing is ever re-aligned. */
static size_t parse_answers(target *t, const vec_suite *s, const line_span *spans, size_t nlines, uint64_t *actual,
                            tstatus *st, char *msg, size_t msglen, tstatus *failure) {
  const char *p = t->rbuf, *end = t->rbuf + t->rlen;
  for (size_t l = 0; l < nlines; l++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    if (le > p && le[-1] == '\r') le--;
    mark(st + spans[l].first, spans[l].n, T_OK);
    /* per-value statuses (a refused value, `!`) land in st; a whole-line status below */
    tstatus a = target_parse_answer_st(s, p, le, &spans[l], actual, st + spans[l].first, msg, msglen);
    if (a == T_PROTOCOL) {
      *failure = T_PROTOCOL;
      return l;
    }
    if (a != T_OK) mark(st + spans[l].first, spans[l].n, a);
    p = nl ? nl + 1 : end;
  }
  if (p != end) { /* more answer lines than requests */
    *failure = T_PROTOCOL;
    return nlines ? nlines - 1 : 0;
  }
  *failure = T_OK;
  return nlines;
}

/* Complete answer lines received so far: the index of the request in flight. */
static size_t lines_received(const target *t) {
  size_t got = 0;
  for (size_t i = 0; i < t->rlen; i++) got += t->rbuf[i] == '\n';
  return got;
}

/* Offset and length of request line l in req. */
static const char *request_line(const char *req, size_t reqlen, size_t l, size_t *len) {
  const char *p = req, *end = req + reqlen;
  for (size_t i = 0; i < l && p < end; i++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    p = nl ? nl + 1 : end;
  }
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  *len = (size_t)((nl ? nl : end) - p);
  return p;
}

static int any_failed(const tstatus *st, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (st[i] == T_CRASH || st[i] == T_TIMEOUT || st[i] == T_PROTOCOL) return 1;
  return 0;
}

/* One attempt at a batch; on trouble, record it, restart and narrow down by halves. A
 * single case is only blamed when it fails as the first request of a fresh process (else
 * it is retried once in one): a target that fails on every 3rd request is not pinned on
 * whichever input came 3rd. When the retries all succeed, the event stays recorded with
 * reproduced = 0, and the suite is `flaky`, never `pass`. */
static void run_process(target *t, const vec_suite *s, size_t first, size_t n, uint64_t *actual, tstatus *st,
                        char *msg, size_t msglen) {
  if (n == 0) return;
  if (t->pid < 0) {
    char err[256];
    if (proc_start(t, err, sizeof err)) {
      mark(st, n, T_CRASH);
      if (msg && !msg[0]) snprintf(msg, msglen, "%s", err);
      target_event *e = record_event(t, first, n, T_CRASH, "mxconform-protocol 1", 20, err);
      if (e) e->reproduced = 1;
      return;
    }
  }
  char *req = NULL;
  size_t reqlen = 0;
  line_span *spans = NULL;
  size_t nlines = build_requests(s, first, n, &req, &reqlen, &spans);
  int fresh = t->exchanges == 0;
  tstatus failure = exchange(t, req, reqlen, nlines, t->timeout);
  size_t bad_line = failure == T_OK ? 0 : lines_received(t);
  if (failure == T_OK) bad_line = parse_answers(t, s, spans, nlines, actual, st, msg, msglen, &failure);
  t->exchanges++;
  if (failure == T_OK) {
    free(req);
    free(spans);
    return;
  }
  /* what was in flight: the first request line without a good answer */
  if (bad_line >= nlines) bad_line = nlines ? nlines - 1 : 0;
  size_t llen;
  const char *line = request_line(req, reqlen, bad_line, &llen);
  char why[96];
  snprintf(why, sizeof why, "%s on request %zu of %zu in this attempt", tstatus_names[failure], bad_line + 1, nlines);
  target_event *e = record_event(t, first + spans[bad_line].first, spans[bad_line].n, failure, line, llen, why);
  if (e) e->fresh = fresh;
  size_t ev = e ? (size_t)(e - t->events) : (size_t)-1;
  free(req);
  free(spans);
  /* contain: kill, then retry the halves in a fresh process until one case is left */
  proc_kill(t);
  if (t->isolated >= MAX_ISOLATED || (n == 1 && fresh)) {
    mark(st, n, failure); /* one culprit found, or the suite's narrowing budget is spent */
    t->isolated++;
    if (ev != (size_t)-1) t->events[ev].reproduced = 1;
    return;
  }
  if (n == 1) {
    run_process(t, s, first, 1, actual, st, msg, msglen); /* again, as a fresh process's first request */
  } else {
    size_t h = n / 2;
    run_process(t, s, first, h, actual, st, msg, msglen);
    run_process(t, s, first + h, n - h, actual + h * s->nout, st + h, msg, msglen);
  }
  int reproduced = any_failed(st, n);
  if (ev != (size_t)-1) t->events[ev].reproduced = reproduced;
  t->unreproduced += !reproduced;
}

void target_run(target *t, const vec_suite *s, size_t first, size_t n, uint64_t *actual, tstatus *st, char *msg,
                size_t msglen) {
  if (!t->is_process) {
    run_reference(s, &s->knobs, first, n, actual, st);
    return;
  }
  run_process(t, s, first, n, actual, st, msg, msglen);
}

/* For request kinds in other modules (target_ranged.c): start the process if needed, send
 * `lines` request lines and wait for as many answer lines (*ans: the raw answer text, valid
 * until the next exchange). On anything but T_OK the process is killed (restarted on the
 * next call). */
tstatus target_exchange(target *t, const char *req, size_t len, size_t lines, const char **ans, size_t *anslen) {
  if (!t->is_process) return T_UNSUPPORTED;
  if (t->pid < 0) {
    char err[256];
    if (proc_start(t, err, sizeof err)) return T_CRASH;
  }
  tstatus x = exchange(t, req, len, lines, t->timeout);
  if (x != T_OK) {
    proc_kill(t);
    return x;
  }
  *ans = t->rbuf;
  *anslen = t->rlen;
  return T_OK;
}

/* ---- sweeps ---------------------------------------------------------------------------- */

#include "cli.h"
#include "sweep.h"

#define SWEEP_CHUNK ((uint64_t)1 << 22)

int target_parse_sweep_answer(const char *a, const char *end, sweep_tally *tally) {
  if (end - a < 3 || strncmp(a, "ok ", 3)) return -1;
  char buf[8192];
  size_t n = (size_t)(end - a);
  if (n >= sizeof buf) n = sizeof buf - 1;
  memcpy(buf, a, n);
  buf[n] = 0;
  char *save = NULL, *tok = strtok_r(buf + 3, " ", &save);
  uint64_t v[7];
  for (int i = 0; i < 7; i++) {
    if (!tok) return -1;
    char *e;
    v[i] = strtoull(tok, &e, 16);
    if (*e) return -1;
    tok = strtok_r(NULL, " ", &save);
  }
  tally->checked += v[0];
  tally->mismatches += v[1];
  for (int c = 0; c < 5; c++) tally->by_class[c] += v[2 + c];
  for (; tok; tok = strtok_r(NULL, " ", &save)) {
    unsigned long long b;
    unsigned e, g;
    if (sscanf(tok, "%llx:%x:%x", &b, &e, &g) != 3) return -1;
    if (tally->nfirst < SWEEP_MAX_FIRST) {
      tally->first[tally->nfirst].bits = b;
      tally->first[tally->nfirst].expected = e;
      tally->first[tally->nfirst].actual = g;
      tally->nfirst++;
    }
  }
  return 0;
}

static uint64_t sweep_lib_range(target *t, const sweep_req *q, uint64_t lo, uint64_t hi, sweep_tally *tally) {
  if (lo >= hi) return 0;
  if (t->pid < 0) {
    char err[256];
    if (proc_start(t, err, sizeof err)) return hi - lo;
  }
  char req[1024], knobs[768];
  /* the expected codes' knobs travel with the request: the child compares */
  cli_knobs_not_default(&q->knobs, " ", knobs, sizeof knobs);
  snprintf(req, sizeof req, "sweep %s %s %s %s %llx %llx%s\n", mx_format(q->src)->name, mx_format(q->dst)->name,
           mx_round_names[q->round], mx_overflow_names[q->overflow], (unsigned long long)lo, (unsigned long long)(hi - 1),
           knobs);
  tstatus x = exchange(t, req, strlen(req), 1, t->timeout);
  t->exchanges++;
  if (x == T_OK) {
    const char *nl = memchr(t->rbuf, '\n', t->rlen);
    if (nl && nl + 1 == t->rbuf + t->rlen && target_parse_sweep_answer(t->rbuf, nl, tally) == 0) return 0;
    if (nl && nl + 1 == t->rbuf + t->rlen && !strncmp(t->rbuf, "unsupported", 11)) {
      tally->unsupported += hi - lo;
      return 0;
    }
  }
  proc_kill(t);
  if (hi - lo > 1 && tally->isolated >= 64) {
    /* 64 culprits narrowed down already: count the rest of a failing range as crashed
     * without a restart per input (a target that fails on 2^24 NaNs would take days) */
    mx_convert_opts o;
    sweep_expected_opts(q, &o);
    for (uint64_t b = lo; b < hi; b++) {
      tally->checked++;
      sweep_tally_add(tally, q->src, b, mxref_convert_one(q->dst, q->src, b, &o, 0), 0x100);
    }
    return hi - lo;
  }
  if (hi - lo == 1) {
    tally->isolated++;
    /* this one input crashes, hangs or garbles the target */
    mx_convert_opts o;
    sweep_expected_opts(q, &o);
    tally->checked++;
    sweep_tally_add(tally, q->src, lo, mxref_convert_one(q->dst, q->src, lo, &o, 0), 0x100);
    return 1;
  }
  uint64_t mid = lo + (hi - lo) / 2;
  uint64_t bad = sweep_lib_range(t, q, lo, mid, tally) + sweep_lib_range(t, q, mid, hi, tally);
  tally->unreproduced += bad == 0; /* it went wrong once and never again: not forgiven */
  return bad;
}

static uint64_t sweep_cmd_batches(target *t, const sweep_req *q, uint64_t lo, uint64_t hi, sweep_tally *tally);

uint64_t target_sweep(target *t, const sweep_req *q, uint64_t lo, uint64_t hi, sweep_tally *tally) {
  uint64_t bad = 0;
  if (!t->is_process) { /* the built-in reference: libmxref under the sweep's own knobs */
    uint16_t wide[4096];
    for (uint64_t b = lo; b < hi; b += 4096) {
      size_t n = hi - b < 4096 ? (size_t)(hi - b) : 4096;
      sweep_expected_codes(q, b, n, wide);
      sweep_compare(q, b, n, wide, tally);
    }
    return 0;
  }
  if (!strcmp(t->kind, "lib") && !tally->every) {
    for (uint64_t b = lo; b < hi; b += SWEEP_CHUNK) bad += sweep_lib_range(t, q, b, hi - b < SWEEP_CHUNK ? hi : b + SWEEP_CHUNK, tally);
    return bad;
  }
  if (!strcmp(t->kind, "lib")) return sweep_cmd_batches(t, q, lo, hi, tally); /* every mismatch listed: compared here */
  /* cmd: targets: `cvtrange` requests where the target has them (target_ranged.c), else
   * ordinary cvt batches */
  if (target_sweep_ranged(t, q, lo, hi, tally, &bad, sweep_cmd_batches) == 0) return bad;
  return sweep_cmd_batches(t, q, lo, hi, tally);
}

/* A cmd: target's sweep of [lo, hi) as ordinary cvt batches through a synthetic suite
 * (crashes and hangs narrowed down); returns the inputs that crashed or hung it. */
static uint64_t sweep_cmd_batches(target *t, const sweep_req *q, uint64_t lo, uint64_t hi, sweep_tally *tally) {
  uint64_t bad = 0;
  size_t unreproduced_before = t->unreproduced;
  vec_suite s;
  vec_suite_init(&s);
  s.op = OP_CVT;
  s.src = q->src;
  s.dst = q->dst;
  s.round = q->round;
  s.overflow = q->overflow;
  vec_suite_shape(&s);
  const size_t chunk = 65536;
  uint64_t *actual = malloc(chunk * sizeof *actual);
  tstatus *st = malloc(chunk * sizeof *st);
  uint16_t *codes = malloc(chunk * sizeof *codes);
  for (uint64_t b = lo; b < hi; b += chunk) {
    size_t n = hi - b < chunk ? (size_t)(hi - b) : chunk;
    s.ncases = 0;
    for (size_t i = 0; i < n; i++) {
      uint64_t in = b + i, out = 0;
      vec_suite_add(&s, &in, &out, 0);
    }
    for (size_t c = 0; c < n; c += BATCH_SWEEP) {
      size_t m = n - c < BATCH_SWEEP ? n - c : BATCH_SWEEP;
      run_process(t, &s, c, m, actual + c, st + c, NULL, 0);
    }
    size_t declined = 0;
    for (size_t i = 0; i < n; i++) {
      codes[i] = (uint16_t)actual[i];
      declined += st[i] == T_UNSUPPORTED;
      if (st[i] == T_REFUSED) { /* the library's answer for this value: not a crash */
        codes[i] = 0x200;
        tally->refused++;
      } else if (st[i] == T_UNOBSERVED) { /* sweep_compare counts it apart: never a match */
        uint16_t want = 0;
        if (unobs_count(actual[i])) sweep_expected_codes(q, b + i, 1, &want);
        /* `?C1/../Cn` without the expected code: certainly wrong, a mismatch (SWEEP_CODE_NOT_EXPECTED) */
        codes[i] = unobs_may_be(actual[i], want) ? MX_CODE_UNOBSERVED : SWEEP_CODE_NOT_EXPECTED;
      } else if (st[i] != T_OK) {
        codes[i] = 0x100; /* crashed, hung or declined: never a match */
        bad += st[i] != T_UNSUPPORTED;
      }
    }
    if (declined == n) { /* the target does not do this conversion: nothing to compare */
      tally->unsupported += n;
      continue;
    }
    sweep_compare(q, b, n, codes, tally);
  }
  free(actual);
  free(st);
  free(codes);
  vec_suite_free(&s);
  tally->unreproduced += t->unreproduced - unreproduced_before;
  return bad;
}
