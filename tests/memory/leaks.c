/*
 * Leaks: what is still allocated when the profile is written at exit,
 * at the line that allocated it.  A block an atexit handler frees is no
 * leak (the profile is written after the program's own handlers).
 */
#include <stdlib.h>
#include <string.h>

#include "cprof.h"

static void *volatile sink; /* lost pointers, but not optimised away */
static void *tidied;

static void tidy(void) { free(tidied); }

CPROF_PROFILE static void leaky(void) {
  for (int i = 0; i < 3; i++)
    sink = malloc(40); // @lost
  tidied = malloc(1000); // @tidied
  sink = strdup("leak"); // @string
  sink = malloc(77); // @freed
  free(sink);
}
// MEM-LEAK: @lost size=120 count=3 allocs=3
// MEM-LEAK: @string size=5 count=1
// MEM-NOLEAK: @tidied
// MEM-NOLEAK: @freed
// MEM: @tidied size=0 count=0 allocs=1 peak=1000
// MEM: @freed size=0 count=0 allocs=1 peak=77

CPROF_PROFILE int main(void) {
  if (atexit(tidy))
    return 1;
  leaky();
  return 0;
}
// MEM-TOTAL: current=125 peak=1202 at_exit=1
