/*
 * -fplugin-arg-cprof-counts-only: exact calls, primitive calls and edges,
 * no timers and no line data.
 */
// ARGS: -fplugin-arg-cprof-counts-only
// CHECK: fib ncalls=21891 pcalls=1
// CHECK: main ncalls=1 pcalls=1
// CHECK-EDGE: main -> fib ncalls=1 pcalls=1
// CHECK-EDGE: fib -> fib ncalls=21890 pcalls=2
// CHECK-LINE: fib @test hits=0
#include <stdio.h>

__attribute__((profile)) static int fib(int n) {
  if (n < 2) // @test
    return n;
  return fib(n - 1) + fib(n - 2);
}

__attribute__((profile)) int main(int argc, char **argv) {
  (void)argv;
  printf("%d\n", fib(19 + argc));
  return 0;
}
