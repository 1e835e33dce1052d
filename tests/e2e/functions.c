/*
 * -fplugin-arg-cprof-functions= profiles the functions it names, in
 * addition to those with the attribute; the rest stay unprofiled, so a
 * call from an unprofiled function starts a new root (no caller edge).
 */
// ARGS: -fplugin-arg-cprof-functions=picked,also_picked
// CHECK: picked ncalls=4 pcalls=4
// CHECK: also_picked ncalls=1 pcalls=1
// CHECK: marked ncalls=2 pcalls=2
// CHECK-EDGE: also_picked -> picked ncalls=1 pcalls=1
// CHECK-EDGE: marked -> picked ncalls=2 pcalls=2
// CHECK-NOT: skipped
// CHECK-NOT: main
#include <stdio.h>

int picked(int x)
{
  return x + 3;
}

int skipped(int x)
{
  return picked(x) * 2;
}

int also_picked(int x)
{
  return picked(x) + 1;
}

__attribute__((profile)) int marked(int x)
{
  return picked(x);
}

int main(void)
{
  printf("%d\n", skipped(1) + also_picked(2) + marked(3) + marked(4));
  return 0;
}
