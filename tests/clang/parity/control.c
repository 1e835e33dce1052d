/*
 * Control flow that CodeGen and GCC lower differently: break, continue,
 * goto, switch fall-through, do/while, while (1), the conditional
 * operator.  Jumps and closing braces start no line; everything else
 * counts the same with both plugins at -O0 and -O2.
 */
// CHECK: scan ncalls=4 pcalls=4
// CHECK-LINE: scan @stop hits=3
// CHECK-LINE: scan @body hits=15
// CHECK-LINE: scan @ret hits=4
// CHECK: classify ncalls=12 pcalls=12
// CHECK-LINE: classify @fall hits=6
// CHECK-LINE: classify @dflt hits=6
// CHECK: spin ncalls=2 pcalls=2
// CHECK-LINE: spin @spin_body hits=15
// CHECK-LINE: spin @retry hits=1
#include <stdio.h>

__attribute__((profile)) int scan(int limit)
{
  int total = 0;
  for (int i = 0; i < 12; i++) {
    if (i % 2)
      continue; // never a line of its own
    if (i > limit) {
      total += 100; // @stop
      break;
    }
    total += i; // @body
  } // no line either
  return total; // @ret
}

__attribute__((profile)) int classify(int x)
{
  int r = 0;
  switch (x % 4) {
  case 0:
    r += 1;
    /* fall through */
  case 1:
    r += 2; // @fall
    break;
  default:
    r = x > 6 ? 3 : 4; // @dflt
  }
  return r;
}

__attribute__((profile)) int spin(int n)
{
  int k = 0, tries = 0;
again:
  do {
    k++; // @spin_body
  } while (k < n);
  while (1) {
    if (k % 5 == 0)
      break;
    k++;
  }
  if (k < 10 && tries++ == 0) {
    n += 5; // @retry
    goto again;
  }
  return k;
}

__attribute__((profile)) int main(void)
{
  int t = 0;
  for (int i = 0; i < 4; i++)
    t += scan(i * 4);
  for (int i = 0; i < 12; i++)
    t += classify(i);
  t += spin(3) + spin(9);
  printf("%d\n", t);
  return 0;
}
