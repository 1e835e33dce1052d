/* leaf.c - a loop of 50M calls to a tiny leaf function. */
#include "bench.h"

PROFILE NOINLINE long leaf(long x) { return x * 3 + 1; }

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 50000000, sum = 0;
  double t = now();
  for (long i = 0; i < n; i++)
    sum += leaf(i);
  report("leaf", now() - t, sum);
  return 0;
}
