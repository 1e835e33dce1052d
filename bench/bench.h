/* bench.h - what every benchmark program shares: a timer and a report. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef __CPROF__
#define PROFILE __attribute__((profile))
#else
#define PROFILE
#endif
#ifdef __clang__
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE __attribute__((noinline, noclone))
#endif

static inline double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The driver reads the seconds from "bench NAME SECONDS". */
static inline void report(const char *name, double seconds, long result) {
  printf("bench %s %.9f %ld\n", name, seconds, result);
}
