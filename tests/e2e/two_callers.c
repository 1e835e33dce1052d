/*
 * One function called from two profiled callers: one edge each, with that
 * caller's counts, and no edge from main (which never calls it directly).
 */
// CHECK: helper ncalls=8 pcalls=8
// CHECK-EDGE: left -> helper ncalls=3 pcalls=3
// CHECK-EDGE: right -> helper ncalls=5 pcalls=5
// CHECK-EDGE: main -> left ncalls=1 pcalls=1
// CHECK-EDGE: main -> right ncalls=2 pcalls=2
// CHECK-LINE: left @left_loop hits=3
// CHECK-LINE: right @right_loop hits=5
#include <stdio.h>

static volatile int sink;

__attribute__((profile)) void helper(int x)
{
  sink += x;
}

__attribute__((profile)) void left(void)
{
  for (int i = 0; i < 3; i++)
    helper(i); // @left_loop
}

__attribute__((profile)) void right(int n)
{
  for (int i = 0; i < n; i++)
    helper(-i); // @right_loop
}

__attribute__((profile)) int main(void)
{
  left();
  right(1);
  right(4);
  printf("%d\n", sink);
  return 0;
}
