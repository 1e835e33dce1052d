/*
 * inlined.c - a profiled function inlined into a hot loop, against the
 * same function kept out of line (-DOUT_OF_LINE), for docs/real-code.md:
 * the inlined copy keeps its probes, and must cost what they cost, not
 * more (an accumulator spilled around the probe calls would).
 *
 *   cc -O2 -fplugin=... -fplugin-arg-cprof-no-lines [-DOUT_OF_LINE] inlined.c -lcprof
 *   ./a.out        prints "bench inlined WALL CPU RESULT"
 */
#include "bench.h"

#define CALLS 10000000

#ifdef OUT_OF_LINE
#define WORK_ATTR PROFILE NOINLINE
#else
#define WORK_ATTR PROFILE inline
#endif

static volatile long seed = 3;

WORK_ATTR static long work(long x) { return x * 3 + (x >> 2); }

int main(void) {
  long acc = seed;
  double wall = now(), cpu = cpu_now();
  for (long i = 0; i < CALLS; i++)
    acc += work(acc + i);
  report("inlined", now() - wall, cpu_now() - cpu, acc & 1);
  return 0;
}
