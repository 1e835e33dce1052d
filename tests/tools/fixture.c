/*
 * fixture.c - a genuine profile with known numbers, for prstats' tests.
 *
 * It calls the runtime's ABI the way instrumented code does, with
 * hand-made descriptors, so the tests of prstats need no compiler plugin.
 * Line probes pass the real source line, so `prstats -l` shows this file;
 * lines carrying an "@name" comment are the ones the tests look up.
 *
 *   fixture OUT          runs the workload and writes OUT with cprof_dump()
 *   fixture OUT small    only outer() in the main thread: a smaller file
 *                        (a seed of tests/fuzz/corpus)
 *   fixture OUT empty    no profiled call at all
 *   fixture OUT cxx      functions with C++ names (geo::checked_sqrt(double),
 *                        two overloads of geo::area, try_roots(int))
 *
 * Exact numbers (checked by roundtrip.py):
 *   main thread:  outer -> fib(20) = 21891 calls, outer -> spin (1000 turns)
 *   worker:       worker -> fib(10) = 177 calls
 *   fib 22068/2 calls, outer -> fib 1/1, worker -> fib 1/1,
 *   fib -> fib 22066/4 (21890/2 + 176/2), spin's loop lines 1000 hits each.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "cprof.h"
#include "cprof/abi.h"

/* A descriptor for lines first .. first + n - 1 (the whole function). */
#define DESC(fname, first, n)                                                  \
  {                                                                            \
    .abi_version = CPROF_ABI_VERSION, .flags = CPROF_FN_LINES,                 \
    .line = (first), .first_line = (first), .nlines = (n), .name = (fname),    \
    .symbol = (fname), .file = __FILE__                                        \
  }

/* The probe for the line it is written on. */
#define LINE(f, desc) __cprof_line(f, __LINE__ - (desc).first_line)

static long fib(int n) {
  static struct cprof_fn desc = DESC("fib", __LINE__ - 1, 16);
  struct cprof_frame *f = __cprof_enter(&desc);
  long r;

  LINE(f, desc); /* @fibtest */
  if (n < 2) {
    LINE(f, desc); /* @fibleaf */
    r = n;
  } else {
    LINE(f, desc); /* @fibrec */
    r = fib(n - 1) + fib(n - 2);
  }
  __cprof_exit(f);
  return r;
}

static volatile long sink;

static void spin(void) {
  static struct cprof_fn desc = DESC("spin", __LINE__ - 1, 13);
  struct cprof_frame *f = __cprof_enter(&desc);

  for (int i = 0; i < 1000; i++) {
    LINE(f, desc); /* @spinadd */
    sink += i;
    LINE(f, desc); /* @spinsub */
    sink -= i / 2;
  }
  LINE(f, desc); /* @spindone */
  __cprof_exit(f);
}

static void *worker(void *arg) {
  static struct cprof_fn desc = DESC("worker", __LINE__ - 1, 8);
  struct cprof_frame *f = __cprof_enter(&desc);

  sink += fib(10);
  __cprof_exit(f);
  return arg;
}

static void outer(void) {
  static struct cprof_fn desc = DESC("outer", __LINE__ - 1, 8);
  struct cprof_frame *f = __cprof_enter(&desc);

  sink += fib(20);
  spin();
  __cprof_exit(f);
}

/* Functions named as a C++ compiler names them, one line each. */
#define CXX(fname, sym, at)                                                    \
  {                                                                            \
    .abi_version = CPROF_ABI_VERSION, .flags = CPROF_FN_LINES, .line = (at),   \
    .first_line = (at), .nlines = 1, .name = (fname), .symbol = (sym),         \
    .file = "geo.cpp"                                                          \
  }
static struct cprof_fn cxx_fns[] = {
    CXX("geo::checked_sqrt(double)", "_ZN3geo12checked_sqrtEd", 10),
    CXX("geo::area(geo::Circle const&)", "_ZN3geo4areaERKNS_6CircleE", 20),
    CXX("geo::area(geo::Square const&)", "_ZN3geo4areaERKNS_6SquareE", 30),
    CXX("try_roots(int)", "_Z9try_rootsi", 40),
};

static void cxx(void) {
  for (size_t i = 0; i < sizeof cxx_fns / sizeof cxx_fns[0]; i++) {
    struct cprof_frame *f = __cprof_enter(&cxx_fns[i]);
    __cprof_line(f, 0);
    __cprof_exit(f);
  }
}

int main(int argc, char **argv) {
  const char *mode = argc == 3 ? argv[2] : "";
  pthread_t t;

  if (argc == 3 && strcmp(mode, "small") && strcmp(mode, "empty") &&
      strcmp(mode, "cxx")) {
    fputs("usage: fixture OUT [small|empty|cxx]\n", stderr);
    return 2;
  }
  if (argc != 2 && argc != 3) {
    fputs("usage: fixture OUT [small|empty|cxx]\n", stderr);
    return 2;
  }
  if (strcmp(mode, "cxx") == 0)
    cxx();
  else if (strcmp(mode, "small") == 0)
    outer();
  else if (strcmp(mode, "empty") != 0) {
    if (pthread_create(&t, NULL, worker, NULL) != 0)
      return 1;
    outer();
    pthread_join(t, NULL);
  }
  return cprof_dump(argv[1]) == 0 ? 0 : 1;
}
