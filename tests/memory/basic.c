/*
 * Exact counts and sizes at known lines: malloc in a loop, free(NULL),
 * calloc, strdup and strndup (the C library calls our malloc), the
 * aligned allocators, and realloc from NULL, to 0, growing in place,
 * moving, and shrinking in place.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cprof.h"

static void *volatile sink; /* the compiler may not drop a malloc/free pair */
static char **kept;

CPROF_PROFILE static void loop(void) {
  for (int i = 0; i < 10; i++) {
    void *p = malloc(100); // @malloc
    sink = p;
    free(p);
  }
  free(NULL); // @freenull
}
// MEM: @malloc size=0 count=0 allocs=10 alloc_bytes=1000 peak=100
// MEM-ABSENT: @freenull
// MEM-FUNCTION: loop allocs=10 alloc_bytes=1000 peak=100 size=0

/*
 * glibc grows a block in place when the top of the heap follows it, and
 * must move it when another block does; shrinking splits it in place.
 * The program fails if that did not happen, so both cases are covered.
 */
CPROF_PROFILE static int resize(void) {
  char *a = malloc(50000); // @ra
  uintptr_t at = (uintptr_t)a; /* an old pointer may not be compared */
  char *grown = realloc(a, 80000); // @grow
  int in_place = (uintptr_t)grown == at;
  char *b = malloc(300); // @rb
  sink = b; /* b stays between grown and the top of the heap */
  char *moved = realloc(grown, 90000); // @move
  int away = (uintptr_t)moved != at;
  at = (uintptr_t)moved;
  char *shrunk = realloc(moved, 1000); // @shrink
  int ok = in_place && away && (uintptr_t)shrunk == at;
  char *z = realloc(NULL, 64); // @rnull
  z = realloc(z, 0);           // @rzero
  sink = z;
  free(b);
  free(shrunk);
  return ok;
}
// MEM: @ra allocs=1 alloc_bytes=50000 count=0 size=0 peak=50000
// MEM: @grow allocs=1 alloc_bytes=80000 count=0 peak=80000
// MEM: @rb allocs=1 alloc_bytes=300 count=0 peak=300
// MEM: @move allocs=1 alloc_bytes=90000 count=0 peak=90000
// MEM: @shrink allocs=1 alloc_bytes=1000 count=0 peak=1000
// MEM: @rnull allocs=1 alloc_bytes=64 count=0 peak=64
// MEM-ABSENT: @rzero
// A resized block is freed, then allocated anew: 300 + 90000 at most.
// MEM-FUNCTION: resize allocs=6 alloc_bytes=221364 size=0 count=0 peak=90300

CPROF_PROFILE static char **keep(void) {
  char **v = calloc(6, sizeof *v);       // @calloc
  v[0] = strdup("hello");                // @strdup
  v[1] = strndup("hello, world", 5);     // @strndup
  v[2] = aligned_alloc(64, 128);         // @aligned
  if (posix_memalign((void **)&v[3], 32, 40)) // @posix
    return NULL;
  v[4] = memalign(16, 24);               // @memalign
  v[5] = valloc(10);                     // @valloc
  return v;
}
// MEM: @calloc allocs=1 alloc_bytes=48 size=48 count=1 peak=48
// MEM: @strdup allocs=1 size=6 count=1
// MEM: @strndup allocs=1 size=6 count=1
// MEM: @aligned allocs=1 size=128 count=1
// MEM: @posix allocs=1 size=40 count=1
// MEM: @memalign allocs=1 size=24 count=1
// MEM: @valloc allocs=1 size=10 count=1
// MEM-LEAK: @calloc size=48 count=1
// MEM-LEAK: @valloc size=10 count=1
// MEM-FUNCTION: keep size=262 count=7 peak=262
// MEM-ABSENT: <unprofiled>

CPROF_PROFILE int main(void) {
  loop();
  if (!resize())
    return 1;
  kept = keep();
  return kept ? 0 : 1;
}
// Nothing else allocates: the process totals are the sites' own.
// MEM-TOTAL: current=262 peak=90300 untracked_frees=0 dropped=0
