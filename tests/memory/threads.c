/*
 * Eight threads allocate at once (a barrier lines them up) and wait for
 * each other before freeing every other block of their own; later other
 * threads free the rest: blocks allocated in one thread and freed in
 * another.
 */
#include <pthread.h>
#include <stdlib.h>

#include "cprof.h"

#define THREADS 8
#define BLOCKS 5000

static void *blocks[THREADS][BLOCKS];
static pthread_barrier_t start, allocated;

CPROF_PROFILE static void *allocate(void *arg) {
  long id = (long)arg;
  pthread_barrier_wait(&start);
  for (int i = 0; i < BLOCKS; i++)
    blocks[id][i] = malloc(16 * (size_t)(id + 1)); // @alloc
  pthread_barrier_wait(&allocated);
  for (int i = 0; i < BLOCKS; i += 2)
    free(blocks[id][i]);
  return NULL;
}

/* Frees the blocks another thread allocated. */
CPROF_PROFILE static void *release(void *arg) {
  long id = (long)arg;
  for (int i = 1; i < BLOCKS; i += 2)
    free(blocks[id][i]);
  return NULL;
}

static int run(void *(*fn)(void *), int shift) {
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++)
    if (pthread_create(&t[i], NULL, fn, (void *)((i + shift) % THREADS)))
      return -1;
  for (int i = 0; i < THREADS; i++)
    pthread_join(t[i], NULL);
  return 0;
}

int main(void) {
  pthread_barrier_init(&start, NULL, THREADS);
  pthread_barrier_init(&allocated, NULL, THREADS);
  if (run(allocate, 0) || cprof_snapshot("half.snap") || run(release, 1))
    return 1;
  return 0;
}
// 5000 blocks of 16, 32, ... 128 bytes: 5000 * 16 * 36 bytes in all.
// MEM: @alloc allocs=40000 alloc_bytes=2880000 size=0 count=0
// Every block was live at the second barrier; a peak is the sum of the
// threads' own, and these eight threads ran at the same time.
// MEM: @alloc peak=2880000
// MEM-SNAPSHOT: half.snap @alloc allocs=40000 size=1440000 count=20000
// MEM-DIFF: half.snap cprof.out @alloc size=0 size_diff=-1440000 count=0 count_diff=-20000
// MEM-FUNCTION: allocate allocs=40000 size=0 peak=2880000
// The process peak may miss up to 4 KiB for each other thread, and
// includes the C library's blocks for the threads (under 3 KiB here).
// MEM-TOTAL: peak>=2851328 peak<=2890000 untracked_frees=0 dropped=0
