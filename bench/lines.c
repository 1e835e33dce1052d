/* lines.c - a line-heavy loop: 4 source lines executed per iteration. */
#include "bench.h"

PROFILE NOINLINE long lines(long n) {
  long a = 0, b = 1;
  for (long i = 0; i < n; i++) {
    a += i ^ b;
    b = (b * 7) & 0xffff;
    a -= b >> 3;
  }
  return a + b;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10000000;
  double t = now(), c = cpu_now();
  long r = lines(n);
  report("lines", now() - t, cpu_now() - c, r);
  return 0;
}
