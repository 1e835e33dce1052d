/*
 * OpenMP: a `parallel for` calls a profiled function from four threads.
 * The compilers outline the loop body into a function of their own, run
 * by the team's threads; calls from it count as any thread's do.  The
 * team's master is the thread that called region(), so its share of the
 * iterations (a quarter, under schedule(static)) is under region(); the
 * other threads' calls are roots of their own trees.
 */
// CFLAGS: -fopenmp
// CHECK: main ncalls=1 pcalls=1
// CHECK: region ncalls=3 pcalls=3
// CHECK: work ncalls=3000 pcalls=3000
// CHECK-EDGE: main -> region ncalls=3 pcalls=3
// CHECK-EDGE: region -> work ncalls=750 pcalls=750
#include <stdio.h>

__attribute__((profile)) static long work(int i)
{
  return (long)i * i % 7;
}

__attribute__((profile)) static long region(int n)
{
  long total = 0;
#pragma omp parallel for num_threads(4) schedule(static) reduction(+ : total)
  for (int i = 0; i < n; i++)
    total += work(i);
  return total;
}

__attribute__((profile)) int main(void)
{
  long t = 0;
  for (int r = 0; r < 3; r++)
    t += region(1000);
  printf("%ld\n", t);
  return 0;
}
