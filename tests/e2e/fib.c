/*
 * Recursion: fib(20) called once from a profiled main.  Every call below
 * the first is recursive (not primitive), and only the two calls made by
 * the outermost fib open a fib -> fib edge for the first time.
 */
// CHECK: main ncalls=1 pcalls=1
// CHECK: fib ncalls=21891 pcalls=1
// CHECK-EDGE: main -> fib ncalls=1 pcalls=1
// CHECK-EDGE: fib -> fib ncalls=21890 pcalls=2
// CHECK-LINE: fib @test hits=21891
// CHECK-LINE: fib @leaf hits=10946
// CHECK-LINE: fib @recurse hits=10945
// CHECK-LINE: main @call hits=1
#include <stdio.h>

__attribute__((profile)) static int fib(int n)
{
  if (n < 2) // @test
    return n; // @leaf
  return fib(n - 1) + fib(n - 2); // @recurse
}

__attribute__((profile)) int main(int argc, char **argv)
{
  (void)argv;
  printf("%d\n", fib(19 + argc)); // @call
  return 0;
}
