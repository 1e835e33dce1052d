/*
 * Static and inline functions.  add1 is always inlined (even at -O0), twice
 * is a static inline the optimiser may inline at -O2, square is a plain
 * static: each keeps its own counts and lines wherever its body ends up.
 */
// CHECK: add1 ncalls=100 pcalls=100
// CHECK: twice ncalls=100 pcalls=100
// CHECK: square ncalls=50 pcalls=50
// CHECK-EDGE: main -> add1 ncalls=100 pcalls=100
// CHECK-EDGE: main -> twice ncalls=100 pcalls=100
// CHECK-EDGE: twice -> square ncalls=50 pcalls=50
// CHECK-LINE: add1 @add1_body hits=100
// CHECK-LINE: twice @twice_even hits=50
// CHECK-LINE: main @main_loop hits=100
#include <stdio.h>

__attribute__((profile)) static int square(int x)
{
  return x * x;
}

__attribute__((profile, always_inline)) static inline int add1(int x)
{
  return x + 1; // @add1_body
}

__attribute__((profile)) static inline int twice(int x)
{
  if (x % 2 == 0)
    return square(x); // @twice_even
  return 2 * x;
}

__attribute__((profile)) int main(void)
{
  int total = 0;
  for (int i = 0; i < 100; i++)
    total += twice(add1(i)); // @main_loop
  printf("%d\n", total);
  return 0;
}
