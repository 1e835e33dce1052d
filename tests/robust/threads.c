/* 8 threads x 1,000,000 profiled calls: exactly 8,000,000, lines too. */
#include <pthread.h>

#define THREADS 8
#define CALLS 1000000

__attribute__((profile)) static long work(long x) {
  long y = x * 3;  // @body
  return y ^ (x >> 2);
}

__attribute__((profile)) static void *worker(void *arg) {
  long sum = 0;
  for (long i = 0; i < CALLS; i++)
    sum += work(i);  // @call
  *(long *)arg = sum;
  return NULL;
}

int main(void) {
  pthread_t th[THREADS];
  long sums[THREADS];
  for (int i = 0; i < THREADS; i++)
    pthread_create(&th[i], NULL, worker, &sums[i]);
  for (int i = 0; i < THREADS; i++)
    pthread_join(th[i], NULL);
  return sums[0] == sums[THREADS - 1] ? 0 : 1;
}
// CHECK: work ncalls=8000000 pcalls=8000000
// CHECK: worker ncalls=8 pcalls=8
// CHECK-EDGE: worker -> work ncalls=8000000 pcalls=8000000
// CHECK-LINE: work @body hits=8000000
// CHECK-LINE: worker @call hits=8000000
