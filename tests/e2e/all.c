/*
 * -fplugin-arg-cprof-all profiles every function defined here without an
 * attribute, except those marked no_instrument_function.
 */
// ARGS: -fplugin-arg-cprof-all
// CHECK: main ncalls=1 pcalls=1
// CHECK: square ncalls=4 pcalls=4
// CHECK: sum_squares ncalls=1 pcalls=1
// CHECK-EDGE: sum_squares -> square ncalls=4 pcalls=4
// CHECK-EDGE: main -> sum_squares ncalls=1 pcalls=1
// CHECK-LINE: sum_squares @all_body hits=4
// CHECK-NOT: untouched
#include <stdio.h>

int square(int x)
{
  return x * x;
}

__attribute__((no_instrument_function)) int untouched(int x)
{
  return x - 1;
}

int sum_squares(int n)
{
  int s = 0;
  for (int i = 1; i <= n; i++)
    s += square(i); // @all_body
  return untouched(s);
}

int main(void)
{
  printf("%d\n", sum_squares(4));
  return 0;
}
