/*
 * A fully static program (-static): calls and lines counted exactly,
 * each allocator of the malloc family traced at its line when linked
 * through `cprof gcc -static`, and the profile written before an exec
 * (the C library's exec functions cannot be found with dlsym here).
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cprof.h"

static void *volatile sink; /* the compiler may not drop a malloc/free pair */

CPROF_PROFILE static int work(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += i; // @loop
  return s;
}
// CHECK: work ncalls=7
// CHECK-LINE: work @loop hits=70
// CHECK-EDGE: main -> work ncalls=7

CPROF_PROFILE static void allocate(void) {
  for (int i = 0; i < 3; i++) {
    sink = malloc(100); // @malloc
    free(sink);
  }
  sink = calloc(4, 25); // @calloc
  free(sink);
  char *r = realloc(NULL, 10); // @realloc
  sink = r;
  free(sink);
  sink = aligned_alloc(64, 128); // @aligned
  free(sink);
  void *p = NULL;
  if (posix_memalign(&p, 64, 256) == 0) // @posix
    free(p);
  sink = memalign(32, 48); // @memalign
  free(sink);
  sink = strdup("static"); // @strdup
  free(sink);
}
// CHECK: allocate ncalls=1
// MEM: @malloc allocs=3 alloc_bytes=300 size=0
// MEM: @calloc allocs=1 alloc_bytes=100 size=0
// MEM: @realloc allocs=1 alloc_bytes=10 size=0
// MEM: @aligned allocs=1 alloc_bytes=128 size=0
// MEM: @posix allocs=1 alloc_bytes=256 size=0
// MEM: @memalign allocs=1 alloc_bytes=48 size=0
// MEM: @strdup allocs=1 alloc_bytes=7 size=0

CPROF_PROFILE int main(int argc, char **argv) {
  int s = 0;
  for (int i = 0; i < 7; i++)
    s += work(10);
  allocate();
  if (argc > 1) /* "exec": the profile so far, then sh exits with 3 */
    execlp("sh", "sh", "-c", "exit 3", (char *)NULL);
  return s != 315;
}
// CHECK: main ncalls=1
