/*
 * accuracy.c - profiled functions whose true cost is known.
 *
 *   leaf          a fixed amount of work
 *   parent        calls leaf 1,000 times, with work of its own between
 *   recursive     ten levels of itself, the same work at each level
 *   once          called once, about 30 ms of work
 *   bounded       loops until 20 ms of wall time have passed: whatever
 *                 the probes cost, its true time is the bound
 *   line_parent   1,000 times: two lines of different work, a line that
 *                 calls leaf (line_profiler counts the callee in the line)
 *
 * The work is done in `spin`, which is never profiled, so it carries no
 * probes and costs the same in every build.
 *
 *   accuracy truth     (uninstrumented build) prints "truth KEY=NS ...":
 *                      what each measure below is without instrumentation
 *   accuracy profile [N]  makes the calls once, for the profiler to
 *                      measure, with N calls of line_parent (default 300):
 *                      sampled line times need seconds of it for a small
 *                      sampling error
 *
 * Each truth is timed in many short rounds and the fastest round counts:
 * other processes only ever add time.  Self times are a function's time
 * less that of the calls it makes, both measured here.
 */
#include <string.h>

#include "bench.h"

#define LEAF_WORK 100   /* multiply-adds per leaf call (about 100 ns) */
#define PARENT_WORK 50  /* multiply-adds of the parent's own per leaf call */
#define FANOUT 1000     /* leaf calls per parent call */
#define DEPTH 10        /* levels of recursive() */
#define LEVEL_WORK 2000 /* multiply-adds per level */
#define ONCE_WORK 12000000
#define BOUND 0.020    /* seconds bounded() runs */
#define LINE_A_WORK 30 /* line_parent's lines, per iteration */
#define LINE_B_WORK 90
#define LEAF_CALLS 1000000
#define PARENT_CALLS 300
#define RECURSIVE_CALLS 3000
#define LINE_PARENT_CALLS 300
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

PROFILE NOINLINE void recursive(int depth) {
  spin(LEVEL_WORK);
  if (depth > 1)
    recursive(depth - 1);
}

PROFILE NOINLINE void once(void) { spin(ONCE_WORK); }

PROFILE NOINLINE long bounded(void) {
  long n = 0;
  for (double t0 = now(); now() - t0 < BOUND; n++)
    spin(LINE_A_WORK);
  return n;
}

PROFILE NOINLINE void line_parent(void) {
  for (int i = 0; i < FANOUT; i++) {
    spin(LINE_A_WORK);
    spin(LINE_B_WORK);
    leaf();
  }
}

/* The same work, unprofiled, as the truth of one line or one level. */
static void recursive_top(void) { recursive(DEPTH); }
static void spin_a(void) { spin(LINE_A_WORK); }
static void spin_b(void) { spin(LINE_B_WORK); }
static void spin_level(void) { spin(LEVEL_WORK); }

/* Nanoseconds per call of f, the fastest of ROUNDS rounds of `calls`. */
static double fastest(void (*f)(void), long calls) {
  double best = 1e9;
  for (int r = 0; r < ROUNDS; r++) {
    double t = now();
    for (long i = 0; i < calls; i++)
      f();
    t = (now() - t) / calls;
    best = t < best ? t : best;
  }
  return best * 1e9;
}

static void truth(void) {
  double leaf_ns = fastest(leaf, LEAF_CALLS / ROUNDS);
  double parent_ns = fastest(parent, PARENT_CALLS / ROUNDS + 1);
  double level_ns = fastest(spin_level, RECURSIVE_CALLS / ROUNDS * DEPTH);
  double a_ns = fastest(spin_a, LEAF_CALLS / ROUNDS);
  double b_ns = fastest(spin_b, LEAF_CALLS / ROUNDS);
  double once_ns = 1e9;

  for (int r = 0; r < 5; r++) { /* 30 ms each: a few rounds are enough */
    double t = now();
    once();
    t = (now() - t) * 1e9;
    once_ns = t < once_ns ? t : once_ns;
  }
  printf("truth leaf.self=%.3f parent.self=%.3f parent.cum=%.3f"
         " recursive.self=%.3f recursive.cum=%.3f once.cum=%.3f"
         " bounded.cum=%.3f line_parent.a=%.3f line_parent.b=%.3f"
         " line_parent.leaf=%.3f\n",
         leaf_ns, parent_ns - FANOUT * leaf_ns, parent_ns, level_ns,
         fastest(recursive_top, RECURSIVE_CALLS / ROUNDS), once_ns, BOUND * 1e9,
         FANOUT * a_ns, FANOUT * b_ns, FANOUT * leaf_ns);
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3 ||
      (strcmp(argv[1], "truth") && strcmp(argv[1], "profile"))) {
    fputs("usage: accuracy truth|profile [N]\n", stderr);
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
  for (long i = 0; i < RECURSIVE_CALLS; i++)
    recursive(DEPTH);
  once();
  printf("%ld\n", bounded() > 0 ? 1L : 0L);
  long line_parent_calls = argc > 2 ? atol(argv[2]) : LINE_PARENT_CALLS;
  for (long i = 0; i < line_parent_calls; i++)
    line_parent();
  return 0;
}
