/* mxconform probe dot: fingerprint a target's dot-product accumulation model
 * (harness/probe.c does the probing; spec_notes/dot.md "Probes" the long form).
 *
 *   mxconform probe dot [--target reference|lib:PATH|cmd:'...'] [--preset NAME]
 *                       [--fmt A[,B]] [--confirm N] [--seed S] [--timeout S] [-o probe.json] [-v]
 *
 * Targets: `reference` is libmxref's exact-rne DotGeneral in process; --preset NAME emulates
 * that preset in process; `cmd:` starts `sh -c COMMAND` and `lib:` starts `mxconform serve
 * --lib PATH`, both speaking the `dot` request of harness/PROTOCOL.md. Exit 0 when the
 * fitted model reproduces the target on every confirmation case, 1 otherwise, 2 on bad
 * usage, 3 when the target is unusable. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "../oracle/oracle_dot.h"
#include "cli.h"
#include "probe.h"

/* ---- targets ------------------------------------------------------------------------------ */

typedef struct model_target {
  mx_dot_model m;
} model_target;

static int model_dot(void *ctx, const probe_case *cs, size_t cnt, uint32_t *out, char *msg, size_t msglen) {
  const model_target *t = ctx;
  for (size_t i = 0; i < cnt; i++)
    if (probe_eval(&cs[i], &t->m, &out[i]) != MX_DOT_OK) {
      snprintf(msg, msglen, "libmxref cannot evaluate this model");
      return -1;
    }
  return 0;
}

typedef struct proc_target {
  pid_t pid;
  int to, from;
  char *buf;
  size_t len, cap;
  double timeout;
  char name[256];
} proc_target;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int write_all(int fd, const char *s, size_t n) {
  while (n) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

/* The next answer line (without '\n') into line; -1 on EOF or timeout. */
static int read_line(proc_target *p, char *line, size_t linelen) {
  double deadline = now_s() + p->timeout;
  for (;;) {
    char *nl = p->len ? memchr(p->buf, '\n', p->len) : NULL; /* buf is NULL before the first read */
    if (nl) {
      size_t n = (size_t)(nl - p->buf);
      size_t c = n < linelen - 1 ? n : linelen - 1;
      memcpy(line, p->buf, c);
      line[c] = 0;
      memmove(p->buf, nl + 1, p->len - n - 1);
      p->len -= n + 1;
      return 0;
    }
    double left = deadline - now_s();
    if (left <= 0) return -1;
    struct pollfd pf = {p->from, POLLIN, 0};
    int r = poll(&pf, 1, (int)(left * 1000) + 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    if (p->cap - p->len < 4096) {
      p->cap = p->cap * 2 + 65536;
      p->buf = realloc(p->buf, p->cap);
      if (!p->buf) abort();
    }
    ssize_t got = read(p->from, p->buf + p->len, p->cap - p->len);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return -1;
    p->len += (size_t)got;
  }
}

static int proc_open(proc_target *p, char *const argv[], double timeout, char *err, size_t errlen) {
  int in[2], out[2];
  memset(p, 0, sizeof *p);
  p->timeout = timeout;
  if (pipe(in) || pipe(out)) {
    snprintf(err, errlen, "pipe: %s", strerror(errno));
    return -1;
  }
  signal(SIGPIPE, SIG_IGN);
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(err, errlen, "fork: %s", strerror(errno));
    return -1;
  }
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]); close(in[1]); close(out[0]); close(out[1]);
    execv(argv[0], argv);
    fprintf(stderr, "mxconform probe: cannot start %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  p->pid = pid;
  p->to = in[1];
  p->from = out[0];
  fcntl(p->to, F_SETFD, FD_CLOEXEC);
  fcntl(p->from, F_SETFD, FD_CLOEXEC);
  char line[512];
  const char *hello = "mxconform-protocol 1\n";
  if (write_all(p->to, hello, strlen(hello)) || read_line(p, line, sizeof line) || strncmp(line, "ok", 2)) {
    snprintf(err, errlen, "no valid handshake (expected 'ok NAME VERSION')");
    /* the child is gone or talking nonsense: reap it and drop the read buffer */
    close(p->to);
    close(p->from);
    kill(p->pid, SIGKILL);
    waitpid(p->pid, NULL, 0);
    free(p->buf);
    p->buf = NULL;
    p->pid = -1;
    return -1;
  }
  snprintf(p->name, sizeof p->name, "%s", line[2] ? line + 3 : "?");
  return 0;
}

static void proc_close(proc_target *p) {
  if (p->pid > 0) {
    write_all(p->to, "quit\n", 5);
    close(p->to);
    close(p->from);
    waitpid(p->pid, NULL, 0);
  }
  free(p->buf);
  p->pid = -1;
}

static size_t put_hex(char *s, unsigned v) { return (size_t)sprintf(s, " %x", v); }

/* dot FA FB N K C SA.. A.. SB.. B..  (harness/PROTOCOL.md) */
static size_t format_request(const probe_case *pc, char *s) {
  size_t o = (size_t)sprintf(s, "dot %s %s %u %u ", mx_block_fmt_names[pc->fa], mx_block_fmt_names[pc->fb], pc->n,
                             pc->k);
  if (pc->has_c) o += (size_t)sprintf(s + o, "%x", pc->c);
  else s[o++] = '-';
  size_t nk = (size_t)pc->n * pc->k;
  for (unsigned j = 0; j < pc->n; j++) o += put_hex(s + o, pc->sa[j]);
  for (size_t i = 0; i < nk; i++) o += put_hex(s + o, pc->ca[i]);
  for (unsigned j = 0; j < pc->n; j++) o += put_hex(s + o, pc->sb[j]);
  for (size_t i = 0; i < nk; i++) o += put_hex(s + o, pc->cb[i]);
  s[o++] = '\n';
  return o;
}

static int proc_dot(void *ctx, const probe_case *cs, size_t cnt, uint32_t *out, char *msg, size_t msglen) {
  proc_target *p = ctx;
  enum { CHUNK = 48 };
  static char req[CHUNK * (40 + 2 * PROBE_NB * (PROBE_K + 1) * 4)];
  for (size_t b = 0; b < cnt; b += CHUNK) {
    size_t e = b + CHUNK < cnt ? b + CHUNK : cnt, o = 0;
    for (size_t i = b; i < e; i++) o += format_request(&cs[i], req + o);
    if (write_all(p->to, req, o)) {
      snprintf(msg, msglen, "%s: the target exited", p->name);
      return -1;
    }
    for (size_t i = b; i < e; i++) {
      char line[512], *end;
      if (read_line(p, line, sizeof line)) {
        snprintf(msg, msglen, "%s: no answer to a dot request (exited or timed out)", p->name);
        return -1;
      }
      if (!strcmp(line, "unsupported")) {
        snprintf(msg, msglen, "%s: dot requests are unsupported", p->name);
        return -1;
      }
      if (strncmp(line, "ok ", 3)) {
        snprintf(msg, msglen, "%s: answered '%.200s'", p->name, line);
        return -1;
      }
      unsigned long v = strtoul(line + 3, &end, 16);
      if (*end || end == line + 3 || v > 0xFFFFFFFFul) {
        snprintf(msg, msglen, "%s: malformed answer '%.200s'", p->name, line);
        return -1;
      }
      out[i] = (uint32_t)v;
    }
  }
  return 0;
}

/* ---- output ------------------------------------------------------------------------------- */

static void json_model(FILE *f, const mx_dot_model *m) {
  fprintf(f, "{\"group\": %u, \"presum\": %u, ", m->group, m->presum);
  if (m->frac_bits == MX_DOT_FRAC_EXACT) fprintf(f, "\"frac_bits\": \"exact\", ");
  else fprintf(f, "\"frac_bits\": %d, ", m->frac_bits);
  fprintf(f,
          "\"align\": \"%s\", \"scale_at\": \"%s\", \"acc\": \"%s\", \"c_at\": \"%s\", \"final_round\": \"%s\", "
          "\"accum\": \"%s\", \"subnormal\": \"%s\", \"assign\": \"%s\", \"step_frac\": %d, "
          "\"step_round\": \"%s\"}",
          mx_dot_align_names[m->align], mx_dot_scale_at_names[m->scale_at], mx_dot_acc_names[m->acc],
          mx_dot_c_at_names[m->c_at], mx_dot_round_names[m->final_round], mx_dot_accum_names[m->accum],
          mx_dot_subnormal_names[m->subnormal], mx_dot_assign_names[m->assign],
          m->step_frac ? m->step_frac : MX_DOT_STEP_FRAC_F32, mx_dot_round_names[m->step_round]);
}

/* error of a finite FP32 result in ulps of the exact value (ulp = 2^max(e - 23, -149)) */
static int error_ulps(const probe_case *pc, uint32_t got, double *exact_d, double *ulps) {
  if ((got & 0x7F800000u) == 0x7F800000u) return -1;
  mpfr_t ex, g, d;
  mpfr_init2(ex, 64);
  mx_dot_vec a = {pc->fa, pc->sa, pc->ca}, b = {pc->fb, pc->sb, pc->cb};
  int ok = mxo_dot_exact(&a, &b, pc->n, pc->k, pc->has_c ? &pc->c : NULL, ex) == MX_DOT_OK && mpfr_number_p(ex);
  if (ok) {
    float gf;
    memcpy(&gf, &got, sizeof gf);
    mpfr_inits2(160, g, d, (mpfr_ptr)0);
    mpfr_set_flt(g, gf, MPFR_RNDN);
    mpfr_sub(d, g, ex, MPFR_RNDN);
    long e = mpfr_zero_p(ex) ? -149 : (long)mpfr_get_exp(ex) - 1 - 23;
    if (e < -149) e = -149;
    ok = e < 105; /* exact value beyond the FP32 range: no ulp */
    if (ok) {
      mpfr_mul_2si(d, d, -e, MPFR_RNDN);
      *ulps = mpfr_get_d(d, MPFR_RNDN);
      *exact_d = mpfr_get_d(ex, MPFR_RNDN);
    }
    mpfr_clears(g, d, (mpfr_ptr)0);
  }
  mpfr_clear(ex);
  return ok ? 0 : -1;
}

/* The probe set again, for naming the probes the fit could not explain (it is built
 * deterministically, so indices into it are stable). */
static probe_case *cases_for_report(mx_block_fmt fa, mx_block_fmt fb) {
  static probe_case *cs;
  static mx_block_fmt have_a = MX_BLOCK_FMT_COUNT, have_b = MX_BLOCK_FMT_COUNT;
  if (!cs || have_a != fa || have_b != fb) {
    free(cs);
    probe_build(fa, fb, &cs);
    have_a = fa;
    have_b = fb;
  }
  return cs;
}

static void print_case(const char *lead, const probe_case *pc) {
  printf("%s%s, %u block%s, C %s", lead, pc->family < PROBE_FAM_COUNT ? probe_family_names[pc->family] : "random",
         pc->n, pc->n == 1 ? "" : "s", pc->has_c ? "" : "none");
  if (pc->has_c) printf("%08x", pc->c);
  printf(": mxconform dot --fmt %s --fmt-b %s ", mx_block_fmt_names[pc->fa], mx_block_fmt_names[pc->fb]);
  for (int o = 0; o < 2; o++) {
    const uint8_t *sc = o ? pc->sb : pc->sa, *co = o ? pc->cb : pc->ca;
    for (unsigned j = 0; j < pc->n; j++) printf("%s%02x", j ? "," : "", sc[j]);
    printf(" ");
    for (unsigned i = 0; i < pc->n * pc->k; i++) printf("%s%x", i ? "," : "", co[i]);
    printf(" ");
  }
  if (pc->has_c) printf("%x\n", pc->c);
  else printf("-\n");
}

/* The misses of the fitted model: how many have an operand the target may not see as given
 * (probe_case_caveat: not the accumulation model's doing), and the others, named. */
static void print_misses(const char *what, const probe_fit *fit, const probe_case *cases, size_t misses) {
  if (!misses) return;
  printf("unexplained: %zu %s the model does not reproduce:", misses, what);
  for (int c = PROBE_CAVEAT_NONE + 1; c < PROBE_CAVEAT_COUNT; c++)
    if (fit->miss_caveat[c]) printf(" %zu with %s,", fit->miss_caveat[c], probe_caveat_names[c]);
  printf(" %zu other%s\n", fit->miss_caveat[PROBE_CAVEAT_NONE], fit->miss_caveat[PROBE_CAVEAT_NONE] == 1 ? "" : "s");
  for (int i = 0; i < fit->nmiss_shown; i++) print_case("  other: ", &cases[fit->miss_shown[i]]);
}

static void usage(void) {
  printf("usage: mxconform probe dot [--target reference|lib:PATH|cmd:'COMMAND'] [--preset NAME]\n"
         "                           [--fmt A[,B]] [--confirm N] [--seed S] [--timeout S] [-o probe.json] [-v] [-q]\n"
         "Fits the dot-product accumulation model of include/mxconform/dot.h to a target with\n"
         "feature-targeted probes, names the nearest preset, and confirms the fit on N random\n"
         "DotGenerals (default 100000) evaluated by libmxref under the fitted model.\n"
         "Probes and confirmation cases the model does not reproduce are counted by caveat: an operand\n"
         "that is no FP32 value, or a block that quantizing again changes (a target that takes FP32\n"
         "tensors and re-quantizes them sees other operands), or a zero of the other sign (a loop\n"
         "that starts from +0); the others are listed as dot commands.\n"
         "The fit is printed as a profile's `dot` line too (spec_notes/profiles.md).\n"
         "--timeout S: seconds a process target may take per answer and to start (default 30; a Python\n"
         "library that imports torch on a loaded machine needs more).\n"
         "--preset NAME emulates a preset as the target, in process. The confirmation shows progress\n"
         "on standard error when it runs long; -q: none. Exit 0 when every\n"
         "confirmation case agrees bit for bit, 1 otherwise, 2 bad usage, 3 unusable target.\n");
}

int cmd_probe(int argc, char **argv) {
  const char *cmd = "probe";
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage();
    if (argc < 2) cli_usage_error(cmd, "missing what to probe (only 'dot' exists)");
    return 0;
  }
  if (strcmp(argv[1], "dot")) cli_usage_error(cmd, "unknown probe '%s' (only 'dot' exists)", argv[1]);
  const char *tspec = NULL, *preset = NULL, *fmt = "mxfp8_e4m3", *outpath = NULL;
  uint64_t confirm = 100000, seed = 20260101;
  double timeout = 30; /* seconds per answer (and for the handshake) */
  int verbose = 0, quiet = 0;
  for (int i = 2; i < argc; i++) {
    const char *v;
    if ((v = cli_opt(cmd, argc, argv, &i, "--target"))) tspec = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--preset"))) preset = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--fmt"))) fmt = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--confirm"))) confirm = cli_u64(cmd, "--confirm", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "--seed"))) seed = cli_u64(cmd, "--seed", v);
    else if ((v = cli_opt(cmd, argc, argv, &i, "-o"))) outpath = v;
    else if ((v = cli_opt(cmd, argc, argv, &i, "--timeout"))) {
      char *e;
      timeout = strtod(v, &e);
      if (*e || !(timeout > 0 && timeout <= 86400)) cli_usage_error(cmd, "--timeout: expected seconds in (0, 86400], got '%s'", v);
    }
    else if (!strcmp(argv[i], "-v")) verbose = 1;
    else if (!strcmp(argv[i], "-q")) quiet = 1; /* no progress lines */
    else if (!strcmp(argv[i], "--help")) {
      usage();
      return 0;
    } else cli_usage_error(cmd, "unknown argument '%s'", argv[i]);
  }
  if (tspec && preset) cli_usage_error(cmd, "give at most one of --target and --preset");
  char fa_name[64], *comma;
  snprintf(fa_name, sizeof fa_name, "%s", fmt);
  const char *fb_name = fa_name;
  if ((comma = strchr(fa_name, ','))) {
    *comma = 0;
    fb_name = comma + 1;
  }
  int fa = mx_block_fmt_by_name(fa_name), fb = mx_block_fmt_by_name(fb_name);
  if (fa < 0 || fb < 0) cli_usage_error(cmd, "--fmt: unknown MX format in '%s' (mxfp8_e4m3 mxfp8_e5m2 mxfp6_e2m3 mxfp6_e3m2 mxfp4_e2m1 mxint8)", fmt);

  model_target mt;
  proc_target pt;
  probe_dot_fn fn = model_dot;
  void *ctx = &mt;
  char tname[300];
  mx_dot_model_default(&mt.m);
  if (preset) {
    const mx_dot_preset *p = mx_dot_preset_find(preset);
    if (!p) cli_usage_error(cmd, "--preset: unknown preset '%s'", preset);
    mt.m = p->model;
    snprintf(tname, sizeof tname, "preset %s (libmxref, in process)", preset);
  } else if (!tspec || !strcmp(tspec, "reference")) {
    snprintf(tname, sizeof tname, "reference (libmxref exact-rne, in process)");
  } else if ((!strncmp(tspec, "cmd:", 4) && tspec[4]) || (!strncmp(tspec, "lib:", 4) && tspec[4])) {
    static char self[4096];
    char *av[6];
    char err[512];
    if (tspec[0] == 'c') {
      av[0] = "/bin/sh";
      av[1] = "-c";
      av[2] = (char *)(tspec + 4);
      av[3] = NULL;
    } else {
      ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
      if (n <= 0) {
        fprintf(stderr, "mxconform probe: cannot find the mxconform executable\n");
        return 3;
      }
      self[n] = 0;
      av[0] = self;
      av[1] = "serve";
      av[2] = "--lib";
      av[3] = (char *)(tspec + 4);
      av[4] = NULL;
    }
    if (proc_open(&pt, av, timeout, err, sizeof err)) {
      fprintf(stderr, "mxconform probe: %s: %s\n", tspec, err);
      return 3;
    }
    fn = proc_dot;
    ctx = &pt;
    snprintf(tname, sizeof tname, "%s (%s)", tspec, pt.name);
  } else {
    cli_usage_error(cmd, "--target: expected reference, lib:PATH or cmd:COMMAND, got '%s'", tspec);
  }

  double t0 = now_s();
  probe_fit fit;
  char msg[512] = "";
  if (probe_fit_target((mx_block_fmt)fa, (mx_block_fmt)fb, fn, ctx, verbose, &fit, msg, sizeof msg)) {
    fprintf(stderr, "mxconform probe: target unusable: %s\n", msg);
    if (fn == proc_dot) proc_close(&pt);
    return 3;
  }
  double t_fit = now_s() - t0;
  char mtext[320];
  probe_model_text(&fit.model, mtext, sizeof mtext);
  printf("target:   %s\n", tname);
  printf("formats:  %s x %s\n", mx_block_fmt_names[fa], mx_block_fmt_names[fb]);
  printf("probes:   %zu, the fitted model reproduces %zu (%d fit start%s, %.1f s)\n", fit.probes, fit.agree,
         fit.starts, fit.starts == 1 ? "" : "s", t_fit);
  for (int f = 0; f < PROBE_FAM_COUNT; f++)
    printf("  %-11s %5zu / %zu\n", probe_family_names[f], fit.fam_agree[f], fit.fam_cases[f]);
  print_misses("probes", &fit, cases_for_report((mx_block_fmt)fa, (mx_block_fmt)fb), fit.probes - fit.agree);
  printf("model:    %s\n", mtext);
  printf("profile:  dot = %s   # a profile file's line (spec_notes/profiles.md)\n", mtext);
  printf("nearest:  %s (%d parameter%s differ%s)\n", fit.nearest, fit.nearest_distance,
         fit.nearest_distance == 1 ? "" : "s", fit.nearest_distance == 1 ? "s" : "");
  printf("unobservable on these probes: %s\n", fit.unobservable[0] ? fit.unobservable : "none");

  /* confirmation */
  enum { BATCH = 2048 };
  probe_case *cs = malloc(BATCH * sizeof(probe_case));
  uint32_t *got = malloc(BATCH * sizeof(uint32_t));
  if (!cs || !got) abort();
  uint64_t rng = seed, agree = 0, done = 0;
  probe_fit cf; /* the confirmation's misses, by caveat */
  memset(&cf, 0, sizeof cf);
  static probe_case shown[PROBE_MISS_SHOWN];
  enum { MAXERR = 2000 };
  static double errs[MAXERR][2];
  size_t nerr = 0;
  int failed = 0;
  progress pr;
  progress_start(&pr, "probe dot: confirm", "DotGenerals", confirm, quiet);
  while (done < confirm) {
    size_t cnt = confirm - done < BATCH ? (size_t)(confirm - done) : BATCH;
    for (size_t i = 0; i < cnt; i++) probe_random_case((mx_block_fmt)fa, (mx_block_fmt)fb, &rng, &cs[i]);
    if (fn(ctx, cs, cnt, got, msg, sizeof msg)) {
      fprintf(stderr, "mxconform probe: target failed during confirmation: %s\n", msg);
      failed = 1;
      break;
    }
    for (size_t i = 0; i < cnt; i++) {
      uint32_t r = MX_DOT_F32_NAN;
      int ok = probe_eval(&cs[i], &fit.model, &r) == MX_DOT_OK && probe_same(r, got[i]);
      agree += (uint64_t)ok;
      if (!ok) {
        int why = probe_miss_why(&cs[i], r, got[i]);
        cf.miss_caveat[why]++;
        if (why == PROBE_CAVEAT_NONE && cf.nmiss_shown < PROBE_MISS_SHOWN) {
          shown[cf.nmiss_shown] = cs[i];
          cf.miss_shown[cf.nmiss_shown] = (size_t)cf.nmiss_shown;
          cf.nmiss_shown++;
        }
      }
      if (!ok && done + i - agree < 5) {
        progress_hide(&pr);
        char cb[16] = "none";
        if (cs[i].has_c) snprintf(cb, sizeof cb, "%08x", cs[i].c);
        printf("  disagrees: case %llu (n=%u, C=%s): target %08x, fitted model %08x\n",
               (unsigned long long)(done + i), cs[i].n, cb, got[i], r);
      }
      if (nerr < MAXERR && (done + i) % 16 == 0 && error_ulps(&cs[i], got[i], &errs[nerr][0], &errs[nerr][1]) == 0)
        nerr++;
    }
    done += cnt;
    progress_set(&pr, done);
  }
  progress_finish(&pr);
  printf("confirm:  %llu of %llu random DotGenerals agree bit for bit (%.4f%%), %.1f s\n",
         (unsigned long long)agree, (unsigned long long)done, done ? 100.0 * (double)agree / (double)done : 0.0,
         now_s() - t0 - t_fit);
  print_misses("random DotGenerals", &cf, shown, (size_t)(done - agree));
  if (fn == proc_dot) proc_close(&pt);

  if (outpath) {
    FILE *f = fopen(outpath, "w");
    if (!f) {
      fprintf(stderr, "mxconform probe: cannot write %s: %s\n", outpath, strerror(errno));
      return 2;
    }
    fprintf(f, "{\"dot\": {\n  \"model\": ");
    json_model(f, &fit.model);
    fprintf(f, ",\n  \"fit\": ");
    json_model(f, &fit.model);
    fprintf(f, ",\n  \"model_text\": \"%s\",\n  \"target\": \"", mtext);
    for (const char *s = tname; *s; s++) {
      if (*s == '"' || *s == '\\') fputc('\\', f);
      if ((unsigned char)*s >= 0x20) fputc(*s, f);
    }
    fprintf(f, "\",\n  \"formats\": \"%s x %s\",\n", mx_block_fmt_names[fa], mx_block_fmt_names[fb]);
    fprintf(f, "  \"probes\": %zu,\n  \"probes_agree\": %zu,\n", fit.probes, fit.agree);
    fprintf(f, "  \"unobservable\": \"%s\",\n", fit.unobservable);
    fprintf(f, "  \"profile_line\": \"dot = %s\",\n", mtext);
    for (int pass = 0; pass < 2; pass++) { /* misses by caveat: of the probes, of the confirmation */
      const probe_fit *m = pass ? &cf : &fit;
      fprintf(f, "  \"%s\": {", pass ? "confirm_misses" : "probe_misses");
      for (int c = 0; c < PROBE_CAVEAT_COUNT; c++)
        fprintf(f, "%s\"%s\": %zu", c ? ", " : "", c ? probe_caveat_names[c] : "other", m->miss_caveat[c]);
      fprintf(f, "},\n");
    }
    fprintf(f, "  \"nearest_preset\": {\"name\": \"%s\", \"distance\": %d},\n", fit.nearest, fit.nearest_distance);
    fprintf(f, "  \"presets\": [");
    int first = 1;
    for (const mx_dot_preset *p = mx_dot_presets; p->name; p++) {
      fprintf(f, "%s{\"name\": \"%s\", \"distance\": %d}", first ? "" : ", ", p->name,
              probe_model_distance(&fit.model, &p->model));
      first = 0;
    }
    fprintf(f, "],\n  \"confirm\": {\"cases\": %llu, \"agree\": %llu, \"seed\": %llu},\n",
            (unsigned long long)done, (unsigned long long)agree, (unsigned long long)seed);
    fprintf(f, "  \"confirm_cases\": %llu,\n  \"confirm_agree\": %llu,\n  \"errors\": [", (unsigned long long)done,
            (unsigned long long)agree);
    for (size_t i = 0; i < nerr; i++)
      fprintf(f, "%s[%.9g, %.6g]", i ? ", " : "", errs[i][0], errs[i][1]);
    fprintf(f, "]\n}}\n");
    fclose(f);
  }
  free(cs);
  free(got);
  return !failed && agree == done && done == confirm ? MXC_EXIT_OK : MXC_EXIT_FAIL;
}
