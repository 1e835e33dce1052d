/*
 * lines.c - a line-heavy loop: 4 source lines executed per iteration.
 *
 *   lines N            the loop alone: a profiler's counters may stay in
 *                      registers for the whole loop
 *   lines N memory     with a compiler barrier in every iteration, as a
 *                      call to unknown code would be: counters go to
 *                      memory and back each time
 */
#include <string.h>

#include "bench.h"

/* A barrier the compiler cannot move memory accesses across. */
static inline void clobber_if(int on) {
  if (on)
    __asm__ volatile("" ::: "memory");
}

PROFILE NOINLINE long lines(long n, int memory) {
  long a = 0, b = 1;
  /* Four source lines a loop, the barrier on the fourth: */
  /* clang-format off */
  for (long i = 0; i < n; i++) {
    a += i ^ b;
    b = (b * 7) & 0xffff;
    a -= b >> 3; clobber_if(memory);
  }
  /* clang-format on */
  return a + b;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10000000;
  int memory = argc > 2 && strcmp(argv[2], "memory") == 0;
  double t = now(), c = cpu_now();
  long r = lines(n, memory);
  report("lines", now() - t, cpu_now() - c, r);
  return 0;
}
