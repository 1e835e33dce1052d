/* fib.c - recursive calls: fib(32) makes 7,049,155 calls. */
#include "bench.h"

PROFILE NOINLINE long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 32;
  double t = now();
  long r = fib(n);
  report("fib", now() - t, r);
  return 0;
}
