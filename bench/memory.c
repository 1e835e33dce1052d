/*
 * memory.c - a malloc/free-heavy loop for bench/memory.py.
 *
 * Each of N iterations allocates a block of 16 to 143 bytes and frees the
 * one allocated 64 iterations before (64 blocks stay live), so every
 * iteration is one malloc/free pair.  The loop is one profiled function:
 * with cprof's plugin its blocks have a site with a line; without it they
 * are <unprofiled>.
 */
#include "bench.h"

#define RING 64

static void *volatile sink;

PROFILE NOINLINE static void churn(long n) {
  void *ring[RING] = {0};
  for (long i = 0; i < n; i++) {
    void *p = malloc(16 + (size_t)(i & 127));
    free(ring[i & (RING - 1)]);
    ring[i & (RING - 1)] = p;
  }
  for (int i = 0; i < RING; i++)
    free(ring[i]);
  sink = ring[0];
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 20000000;
  double t = now();
  churn(n);
  report("memory", now() - t, n);
  return 0;
}
