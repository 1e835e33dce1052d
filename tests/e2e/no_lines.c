/*
 * -fplugin-arg-cprof-no-lines: calls are counted, no line has hits.
 */
// ARGS: -fplugin-arg-cprof-no-lines
// CHECK: work ncalls=5 pcalls=5
// CHECK-EDGE: main -> work ncalls=5 pcalls=5
// CHECK-LINE: work @work_body hits=0
// CHECK-LINE: main @main_call hits=0
#include <stdio.h>

__attribute__((profile)) int work(int x)
{
  return x * 3; // @work_body
}

__attribute__((profile)) int main(void)
{
  int total = 0;
  for (int i = 0; i < 5; i++)
    total += work(i); // @main_call
  printf("%d\n", total);
  return 0;
}
