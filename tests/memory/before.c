/*
 * Blocks allocated before tracing starts: here the plugin's `memory`
 * argument starts it at the first call of a profiled function (the
 * environment does not).  Freeing them later is not counted (no false
 * negative numbers), and growing one with realloc traces the new block.
 */
#include <stdlib.h>

#include "cprof.h"

static void *volatile sink, *volatile pre; /* not optimised away */

// ARGS: -fplugin-arg-cprof-memory
// ENV: CPROF_MEMORY=0

static char *early, *early2;

__attribute__((constructor)) static void before_main(void) {
  early = malloc(500);
  early2 = malloc(300);
}

CPROF_PROFILE static void work(void) {
  free(early);
  early2 = realloc(early2, 700); // @grow
  sink = malloc(50); // @traced
  free(sink);
}

int main(void) {
  pre = malloc(64); /* before tracing */
  work();
  free(pre);
  free(early2);
  return 0;
}
// MEM: @grow allocs=1 alloc_bytes=700 size=0 count=0 peak=700
// MEM: @traced allocs=1 alloc_bytes=50 size=0 peak=50
// MEM-ABSENT: <unprofiled>
// early, early2 (by realloc) and pre were never traced.
// MEM-TOTAL: current=0 peak=750 untracked_frees>=3
