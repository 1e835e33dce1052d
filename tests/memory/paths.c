/*
 * One line reached along two call paths: by line the two add up, with
 * the line's own peak (not the sum of the paths' peaks); by call path
 * they stay apart.
 */
#include <stdlib.h>

#include "cprof.h"

CPROF_PROFILE static void *make(size_t n) {
  return malloc(n); // @make
}

CPROF_PROFILE static void *via_a(void) { return make(100); }
CPROF_PROFILE static void *via_b(void) { return make(30); }

/* Through these, the compiler may not drop the blocks. */
static void *volatile a1, *volatile a2, *volatile b1, *volatile b2;

CPROF_PROFILE int main(void) {
  a1 = via_a();
  a2 = via_a(); /* 200 live */
  b1 = via_b(); /* 230 live: the line's peak */
  free(a1);
  b2 = via_b(); /* 160 */
  free(a2);
  free(b1);
  free(b2);
  return 0;
}
// MEM: @make allocs=4 alloc_bytes=260 size=0 peak=230
// MEM-PATH: main > via_a > make @make allocs=2 alloc_bytes=200 peak=200
// MEM-PATH: main > via_b > make @make allocs=2 alloc_bytes=60 peak=60
// MEM-FUNCTION: make allocs=4 peak=230
// MEM-TOTAL: current=0 peak=230
