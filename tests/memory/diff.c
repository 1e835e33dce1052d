/*
 * Snapshots and their differences (tracemalloc's compare_to): exact
 * changes of size and count per line, a line new in the later snapshot,
 * and one gone from it.
 */
#include <stdlib.h>
#include <string.h>

#include "cprof.h"

static void *v[40];
static char *volatile label_kept; /* the compiler may not drop the block */

CPROF_PROFILE static void fill(int from, int to) {
  for (int i = from; i < to; i++)
    v[i] = malloc(100); // @fill
}

CPROF_PROFILE static void drop(int from, int to) {
  for (int i = from; i < to; i++)
    free(v[i]);
}

CPROF_PROFILE static char *label(void) {
  return strdup("snapshot"); // @label
}

int main(void) {
  fill(0, 10);
  if (cprof_snapshot("old.snap"))
    return 1;
  fill(10, 40);
  drop(0, 5);
  label_kept = label();
  if (cprof_snapshot("new.snap"))
    return 1;
  drop(5, 40);
  free(label_kept);
  return 0;
}
// MEM-SNAPSHOT: old.snap @fill size=1000 count=10 allocs=10
// MEM-SNAPSHOT: new.snap @fill size=3500 count=35 allocs=40
// MEM-DIFF: old.snap new.snap @fill size=3500 size_diff=2500 count=35 count_diff=25
// MEM-DIFF: old.snap new.snap @label size=9 size_diff=9 count=1 count_diff=1
// MEM-DIFF: new.snap old.snap @label size=0 size_diff=-9 count=0 count_diff=-1
// MEM-DIFF: new.snap cprof.out @fill size=0 size_diff=-3500 count=0 count_diff=-35
// MEM-DIFF: new.snap cprof.out @label size=0 size_diff=-9 count=0 count_diff=-1
// MEM-TOTAL: current=0 peak=4000
