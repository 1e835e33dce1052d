/*
 * Early returns: every return calls exit, so calls made after them are
 * attributed to the right caller (after() is only called by main), and
 * each return line is hit when it runs.
 */
// CHECK: classify ncalls=10 pcalls=10
// CHECK: after ncalls=1 pcalls=1
// CHECK-EDGE: main -> classify ncalls=10 pcalls=10
// CHECK-EDGE: main -> after ncalls=1 pcalls=1
// CHECK-EDGE: classify -> leaf ncalls=10 pcalls=10
// CHECK-LINE: classify @neg hits=3
// CHECK-LINE: classify @zero hits=1
// CHECK-LINE: classify @small hits=2
// CHECK-LINE: classify @big hits=4
// CHECK-LINE: classify @big_test hits=6
// CHECK: note ncalls=10 pcalls=10
// CHECK-LINE: note @bare_return hits=4
// CHECK-LINE: note @noted hits=6
#include <stdio.h>

__attribute__((profile)) int leaf(int x)
{
  return x * 2;
}

__attribute__((profile)) int classify(int x)
{
  if (x < 0)
    return -1; // @neg
  if (x == 0)
    return 0; // @zero
  if (leaf(x) < 10) // @big_test
    return 1; // @small
  return leaf(x) > 0 ? 2 : 3; // @big
}

static int notes;

/* A bare return is a line of its own too. */
__attribute__((profile)) void note(int x)
{
  if (x < 1)
    return; // @bare_return
  notes++; // @noted
}

__attribute__((profile)) void after(void)
{
  puts("after");
}

__attribute__((profile)) int main(void)
{
  static const int inputs[10] = {-3, -2, -1, 0, 1, 2, 10, 20, 30, 40};
  int total = 0;
  for (int i = 0; i < 10; i++) {
    total += classify(inputs[i]);
    note(inputs[i]);
  }
  after();
  printf("%d %d\n", total, notes);
  return 0;
}
