/* longjmp out of two profiled frames; later calls still land right. */
#include <setjmp.h>

static jmp_buf env;

__attribute__((profile)) static void thrower(int n) {
  if (n > 0)
    longjmp(env, n);
}
__attribute__((profile)) static void middle(int n) { thrower(n); }
__attribute__((profile)) static void after(void) {}

__attribute__((profile)) static int catcher(int n) {
  if (setjmp(env) == 0)
    middle(n);
  after();
  return n;
}

/* The jump lands in unprofiled code here: the next enter notices. */
static jmp_buf env2;
__attribute__((profile)) static void deep2(void) { longjmp(env2, 1); }
__attribute__((profile)) static void deep1(void) { deep2(); }
static void unprofiled_catcher(void) {
  if (setjmp(env2) == 0)
    deep1();
}

__attribute__((profile)) int main(void) {
  int sum = 0;
  for (int i = 0; i < 10; i++)
    sum += catcher(i & 1);
  unprofiled_catcher();
  after();
  return sum == 5 ? 0 : 1;
}
// CHECK: catcher ncalls=10 pcalls=10
// CHECK: middle ncalls=10 pcalls=10
// CHECK: thrower ncalls=10 pcalls=10
// CHECK: after ncalls=11 pcalls=11
// CHECK-EDGE: catcher -> after ncalls=10 pcalls=10
// CHECK-EDGE: main -> after ncalls=1 pcalls=1
// CHECK-EDGE: main -> deep1 ncalls=1 pcalls=1
// CHECK-EDGE: deep1 -> deep2 ncalls=1 pcalls=1
