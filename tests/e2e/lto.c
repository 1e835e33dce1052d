/*
 * Link-time optimisation: the compiler runs again at link time (GCC's lto1
 * loads the plugin too) and may inline across what it sees, but the probes
 * were placed before, so counts and lines stay those of the source.
 */
// CFLAGS: -flto
// CHECK: collatz_steps ncalls=27 pcalls=27
// CHECK: step ncalls=387 pcalls=387
// CHECK-EDGE: main -> collatz_steps ncalls=27 pcalls=27
// CHECK-EDGE: collatz_steps -> step ncalls=387 pcalls=387
// CHECK-LINE: collatz_steps @walk hits=387
// CHECK-LINE: step @odd hits=112
#include <stdio.h>

__attribute__((profile)) static unsigned step(unsigned n)
{
  if (n % 2)
    return 3 * n + 1; // @odd
  return n / 2;
}

__attribute__((profile)) int collatz_steps(unsigned n)
{
  int steps = 0;
  while (n != 1) {
    n = step(n); // @walk
    steps++;
  }
  return steps;
}

__attribute__((profile)) int main(void)
{
  int total = 0;
  for (unsigned n = 1; n <= 27; n++)
    total += collatz_steps(n);
  printf("%d\n", total);
  return 0;
}
