/*
 * Calls through function pointers: the callee is known only at run time,
 * the edges still come out of who ran it.
 */
// CHECK: inc ncalls=6 pcalls=6
// CHECK: dbl ncalls=3 pcalls=3
// CHECK: apply ncalls=9 pcalls=9
// CHECK-EDGE: apply -> inc ncalls=6 pcalls=6
// CHECK-EDGE: apply -> dbl ncalls=3 pcalls=3
// CHECK-EDGE: main -> apply ncalls=9 pcalls=9
// CHECK-LINE: apply @indirect hits=9
#include <stdio.h>

typedef int (*op_fn)(int);

__attribute__((profile)) static int inc(int x)
{
  return x + 1;
}

__attribute__((profile)) static int dbl(int x)
{
  return x * 2;
}

__attribute__((profile)) int apply(op_fn op, int x)
{
  return op(x); // @indirect
}

/* volatile: the optimiser cannot see which function a slot holds */
static op_fn volatile table[3] = {inc, inc, dbl};

__attribute__((profile)) int main(void)
{
  int x = 0;
  for (int i = 0; i < 9; i++)
    x = apply(table[i % 3], x);
  printf("%d\n", x);
  return 0;
}
