/*
 * Threads start and stop while the main thread writes profiles over and
 * over: no crash, and the final profile has every call.
 */
#include <pthread.h>

#include "cprof.h"

#define ROUNDS 4
#define THREADS 8
#define CALLS 10000

__attribute__((profile)) static long work(long x) { return x * 5 + 3; }

__attribute__((profile)) static void *worker(void *arg) {
  long sum = 0;
  for (long i = 0; i < CALLS; i++)
    sum += work(i);
  *(long *)arg = sum;
  return NULL;
}

int main(void) {
  long sums[THREADS];
  for (int r = 0; r < ROUNDS; r++) {
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
      pthread_create(&th[i], NULL, worker, &sums[i]);
      if (cprof_dump(NULL) != 0)
        return 1;
    }
    for (int i = 0; i < THREADS; i++) {
      pthread_join(th[i], NULL);
      if (cprof_dump(NULL) != 0)
        return 1;
    }
  }
  return sums[0] == sums[THREADS - 1] ? 0 : 1;
}
// CHECK: worker ncalls=32 pcalls=32
// CHECK: work ncalls=320000 pcalls=320000
// CHECK-EDGE: worker -> work ncalls=320000 pcalls=320000
