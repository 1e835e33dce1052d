/* exit() from four profiled frames deep: every open call is counted. */
#include <stdlib.h>

__attribute__((profile)) static void level3(int n) {
  if (n == 3)
    exit(0);
}
__attribute__((profile)) static void level2(int n) { level3(n); }
__attribute__((profile)) static void level1(int n) { level2(n); }

__attribute__((profile)) int main(void) {
  for (int i = 0; i < 5; i++)
    level1(i);
  return 1;
}
// CHECK: main ncalls=1 pcalls=1
// CHECK: level1 ncalls=4 pcalls=4
// CHECK: level2 ncalls=4 pcalls=4
// CHECK: level3 ncalls=4 pcalls=4
// CHECK-EDGE: level2 -> level3 ncalls=4 pcalls=4
