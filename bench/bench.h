/* bench.h - what every benchmark program shares: timers and a report. */
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

static inline double seconds_of(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Wall time, and the CPU time of the calling thread (which leaves out the
 * time other processes of a busy machine take the CPU away from it). */
static inline double now(void) { return seconds_of(CLOCK_MONOTONIC); }
static inline double cpu_now(void) {
  return seconds_of(CLOCK_THREAD_CPUTIME_ID);
}

/* The driver reads "bench NAME WALL_SECONDS CPU_SECONDS RESULT". */
static inline void report(const char *name, double wall, double cpu,
                          long result) {
  printf("bench %s %.9f %.9f %ld\n", name, wall, cpu, result);
}
