/* fib.c - recursive calls: fib(32) makes 7,049,155 calls. */
#include "bench.h"

PROFILE NOINLINE long fib(int n) {
  if (n < 2)
    return n;
  long r = fib(n - 1) + fib(n - 2);
  /*
   * Without this barrier the compilers turn the second call into a loop
   * (tail recursion with an accumulator) in the plain and -pg builds,
   * which then make half the calls of the instrumented ones.
   */
  __asm__("" : "+r"(r));
  return r;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 32;
  double t = now(), c = cpu_now();
  long r = fib(n);
  report("fib", now() - t, cpu_now() - c, r);
  return 0;
}
