/*
 * Mutual recursion: is_even(10) and is_odd(7) from main.
 *   main -> E10 -> O9 -> E8 -> O7 -> E6 -> O5 -> E4 -> O3 -> E2 -> O1 -> E0
 *   main -> O7 -> E6 -> O5 -> E4 -> O3 -> E2 -> O1 -> E0
 * Each chain starts each function once (primitive) and opens each of the
 * two edges once.
 */
// CHECK: is_even ncalls=10 pcalls=2
// CHECK: is_odd ncalls=9 pcalls=2
// CHECK-EDGE: main -> is_even ncalls=1 pcalls=1
// CHECK-EDGE: main -> is_odd ncalls=1 pcalls=1
// CHECK-EDGE: is_even -> is_odd ncalls=8 pcalls=2
// CHECK-EDGE: is_odd -> is_even ncalls=9 pcalls=2
// CHECK-LINE: is_even @even_base hits=2
// CHECK-LINE: is_odd @odd_step hits=9
#include <stdio.h>

__attribute__((profile)) int is_odd(unsigned n);

__attribute__((profile)) int is_even(unsigned n)
{
  if (n == 0)
    return 1; // @even_base
  return is_odd(n - 1);
}

__attribute__((profile)) int is_odd(unsigned n)
{
  if (n == 0)
    return 0;
  return is_even(n - 1); // @odd_step
}

__attribute__((profile)) int main(int argc, char **argv)
{
  (void)argv;
  printf("%d %d\n", is_even(9 + argc), is_odd(6 + argc));
  return 0;
}
