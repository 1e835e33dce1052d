/*
 * Line hits in loops.  A line's hit is counted when execution comes to it
 * from another line of the same frame, so a loop body line is hit once per
 * iteration, and a body spread over several lines hits each of them.
 */
// CHECK: sum ncalls=1 pcalls=1
// CHECK-LINE: sum @loopbody hits=1000
// CHECK-LINE: sum @sum_init hits=1
// CHECK-LINE: sum @sum_ret hits=1
// CHECK-LINE: count @outer_body hits=10
// CHECK-LINE: count @inner_body hits=200
// CHECK-LINE: count @third hits=67
// CHECK-LINE: count @while_a hits=50
// CHECK-LINE: count @while_b hits=50
#include <stdio.h>

__attribute__((profile)) long sum(int n)
{
  long s = 0; // @sum_init
  for (int i = 0; i < n; i++)
    s += i; // @loopbody
  return s; // @sum_ret
}

__attribute__((profile)) int count(void)
{
  int hits = 0;
  for (int i = 0; i < 10; i++) {
    int j = 0; // @outer_body
    for (j = 0; j < 20; j++) {
      if ((i * 20 + j) % 3 == 0) // @inner_body
        hits++; // @third
    }
  }
  int k = 100;
  while (k > 0) {
    k -= 1; // @while_a
    k -= 1; // @while_b
  }
  return hits;
}

__attribute__((profile)) int main(int argc, char **argv)
{
  (void)argv;
  printf("%ld %d\n", sum(999 + argc), count());
  return 0;
}
