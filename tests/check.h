/* Minimal test helpers: every failed check prints file:line and what differed. */
#ifndef MXC_TEST_CHECK_H
#define MXC_TEST_CHECK_H
#include <stdio.h>

static int g_fail, g_pass;
#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    if (cond) g_pass++;                                                    \
    else {                                                                 \
      g_fail++;                                                            \
      fprintf(stderr, "%s:%d: FAILED %s: ", __FILE__, __LINE__, #cond);    \
      fprintf(stderr, __VA_ARGS__);                                        \
      fputc('\n', stderr);                                                 \
    }                                                                      \
  } while (0)
#define CHECK_DONE()                                                       \
  (printf("%d passed, %d failed\n", g_pass, g_fail), g_fail ? 1 : 0)
#endif
