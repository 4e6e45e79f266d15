/* libmxref code-path selection (mxref.h "code paths") and the thread count.
 *
 * The state is two ints read on every array call. They are set once, lazily, from the
 * environment and the CPU (pthread_once), and afterwards only by the two setters, which
 * callers must not race with conversions (documented in mxref.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "mxconform/mxref.h"

static const char *const k_path_names[MXREF_PATH_COUNT] = {"auto", "scalar", "avx2"};

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static mxref_path g_path = MXREF_PATH_SCALAR;
static int g_threads = 1;

#if MXR_HAVE_AVX2
#include <cpuid.h>

/* clang before 15 does not know "f16c" in __builtin_cpu_supports: read CPUID leaf 1,
 * ECX bit 29 (the OS support for the YMM state it needs is part of the AVX2 check). */
static int cpu_has_f16c(void) {
#if defined(__clang__) && __clang_major__ < 15
  unsigned a, b, c, d;
  return __get_cpuid(1, &a, &b, &c, &d) && ((c >> 29) & 1u);
#else
  return __builtin_cpu_supports("f16c");
#endif
}
#endif

static int cpu_has_avx2(void) {
#if MXR_HAVE_AVX2
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2") &&
         cpu_has_f16c();
#else
  return 0; /* not compiled in (not x86-64, or a compiler without target attributes) */
#endif
}

static mxref_path best_path(void) { return cpu_has_avx2() ? MXREF_PATH_AVX2 : MXREF_PATH_SCALAR; }

static void init_once(void) {
  g_path = best_path();
  const char *e = getenv("MXREF_PATH");
  if (e && *e) {
    int p = mxref_path_by_name(e);
    /* An unknown or unsupported request keeps the automatic choice: a library must not
     * abort its host program over an environment variable. */
    if (p > MXREF_PATH_AUTO && mxref_path_supported((mxref_path)p)) g_path = (mxref_path)p;
  }
  const char *t = getenv("MXREF_THREADS");
  if (t && *t) {
    long n = strtol(t, NULL, 10);
    if (n >= 1 && n <= 256) g_threads = (int)n;
  }
}

int mxr_active_path(void) {
  pthread_once(&g_once, init_once);
  return (int)g_path;
}

int mxref_path_supported(mxref_path p) {
  switch (p) {
  case MXREF_PATH_AUTO:
  case MXREF_PATH_SCALAR: return 1;
  case MXREF_PATH_AVX2: return cpu_has_avx2();
  default: return 0;
  }
}

int mxref_set_path(mxref_path p) {
  pthread_once(&g_once, init_once);
  if ((unsigned)p >= MXREF_PATH_COUNT || !mxref_path_supported(p)) return -1;
  g_path = p == MXREF_PATH_AUTO ? best_path() : p;
  return 0;
}

mxref_path mxref_get_path(void) { return (mxref_path)mxr_active_path(); }

const char *mxref_path_name(mxref_path p) { return (unsigned)p < MXREF_PATH_COUNT ? k_path_names[p] : "?"; }

int mxref_path_by_name(const char *name) {
  for (int i = 0; i < MXREF_PATH_COUNT; i++)
    if (name && strcmp(name, k_path_names[i]) == 0) return i;
  return -1;
}

void mxref_set_threads(int n) {
  pthread_once(&g_once, init_once);
  g_threads = n < 1 ? 1 : (n > 256 ? 256 : n);
}

int mxref_get_threads(void) {
  pthread_once(&g_once, init_once);
  return g_threads;
}
