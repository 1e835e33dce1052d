/*
 * counts-only with line-hits: no timer at all, yet exact calls, edges and
 * line hits (the inline counters need no timer).
 */
// ARGS: -fplugin-arg-cprof-counts-only -fplugin-arg-cprof-line-hits
// CHECK: fib ncalls=21891 pcalls=1
// CHECK-EDGE: main -> fib ncalls=1 pcalls=1
// CHECK-EDGE: fib -> fib ncalls=21890 pcalls=2
// CHECK-LINE: fib @test hits=21891
// CHECK-LINE: fib @leaf hits=10946
// CHECK-LINE: fib @inner hits=10945
// CHECK-LINE: main @loop hits=4
// CHECK-LINE: main @body hits=3
#include <stdio.h>

__attribute__((profile)) static int fib(int n) {
  if (n < 2) // @test
    return n; // @leaf
  return fib(n - 1) + fib(n - 2); // @inner
}

__attribute__((profile)) int main(int argc, char **argv) {
  (void)argv;
  int sum = 0;
  for (int i = 0; i < 3; i++) // @loop
    sum += i;                 // @body
  printf("%d %d\n", sum, fib(19 + argc));
  return 0;
}
