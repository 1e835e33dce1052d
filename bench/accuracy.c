/*
 * accuracy.c - profiled functions whose true cost is known.
 *
 * `leaf` does a fixed amount of work; `parent` calls `leaf` 1,000 times
 * and does a fixed amount of work of its own between the calls.  The work
 * is done in `spin`, which is never profiled, so it carries no probes and
 * costs the same in every build.
 *
 *   accuracy truth     (uninstrumented build) times leaf and parent and
 *                      prints "truth LEAF_NS PARENT_SELF_NS"
 *   accuracy profile   makes the calls once, for the profiler to measure
 *
 * The parent's true self time is its time minus 1,000 leaves' time, both
 * measured here without instrumentation.  Each is timed in many short
 * rounds and the fastest round counts: other processes only ever add time.
 */
#include <string.h>

#include "bench.h"

#define LEAF_WORK 100   /* multiply-adds per leaf call (about 100 ns) */
#define PARENT_WORK 50  /* multiply-adds of the parent's own per leaf call */
#define FANOUT 1000     /* leaf calls per parent call */
#define LEAF_CALLS 1000000
#define PARENT_CALLS 300
#define ROUNDS 100

static volatile long sink;

/* A dependency chain of k multiply-adds the compiler cannot fold. */
NOINLINE static void spin(int k) {
  long x = sink;
  for (int i = 0; i < k; i++) {
    x = x * 1103515245 + 12345;
    __asm__ volatile("" : "+r"(x));
  }
  sink = x;
}

PROFILE NOINLINE void leaf(void) { spin(LEAF_WORK); }

PROFILE NOINLINE void parent(void) {
  for (int i = 0; i < FANOUT; i++) {
    leaf();
    spin(PARENT_WORK);
  }
}

/* Seconds per call of f, the fastest of ROUNDS rounds of `calls` calls. */
static double fastest(void (*f)(void), long calls) {
  double best = 1e9;
  for (int r = 0; r < ROUNDS; r++) {
    double t = now();
    for (long i = 0; i < calls; i++)
      f();
    t = (now() - t) / calls;
    best = t < best ? t : best;
  }
  return best;
}

static void truth(void) {
  double leaf_s = fastest(leaf, LEAF_CALLS / ROUNDS);
  double parent_s = fastest(parent, PARENT_CALLS / ROUNDS + 1);
  printf("truth %.3f %.3f\n", leaf_s * 1e9, (parent_s - FANOUT * leaf_s) * 1e9);
}

int main(int argc, char **argv) {
  if (argc != 2 || (strcmp(argv[1], "truth") && strcmp(argv[1], "profile"))) {
    fputs("usage: accuracy truth|profile\n", stderr);
    return 2;
  }
  if (!strcmp(argv[1], "truth")) {
    truth();
    return 0;
  }
  for (long i = 0; i < LEAF_CALLS; i++)
    leaf();
  for (long i = 0; i < PARENT_CALLS; i++)
    parent();
  return 0;
}
