/*
 * cprof_disable() in one thread stops recording in every thread, and
 * cprof_enable() starts it again; calls under way when it stops complete.
 * Lines run while recording is off count nothing either (in the line-hits
 * mode they go to each thread's scratch counters).
 */
#include <pthread.h>

#include "cprof.h"

#define THREADS 4

static pthread_barrier_t phase;

__attribute__((profile)) static long work(long x) {
  return x ^ 0x55; // @work
}

__attribute__((profile)) static long spanning(void) {
  cprof_disable();
  long s = work(1);  // not recorded: recording is off
  cprof_enable();
  return s + work(2);
}

static void *worker(void *arg) {
  long sum = 0;
  pthread_barrier_wait(&phase); /* main has disabled recording */
  for (long i = 0; i < 1000; i++)
    sum += work(i);
  pthread_barrier_wait(&phase);
  pthread_barrier_wait(&phase); /* main has enabled recording */
  for (long i = 0; i < 100; i++)
    sum += work(i);
  *(long *)arg = sum;
  return NULL;
}

int main(void) {
  pthread_t th[THREADS];
  long sums[THREADS];
  pthread_barrier_init(&phase, NULL, THREADS + 1);
  for (int i = 0; i < THREADS; i++)
    pthread_create(&th[i], NULL, worker, &sums[i]);
  cprof_disable();
  pthread_barrier_wait(&phase);
  pthread_barrier_wait(&phase);
  cprof_enable();
  pthread_barrier_wait(&phase);
  for (int i = 0; i < THREADS; i++)
    pthread_join(th[i], NULL);
  return spanning() == 0 ? 1 : 0;
}
// CHECK: work ncalls=401 pcalls=401
// CHECK-LINE: work @work hits=401
// CHECK: spanning ncalls=1 pcalls=1
// CHECK-EDGE: spanning -> work ncalls=1 pcalls=1
