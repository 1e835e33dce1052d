/* 1,000,000 nested profiled frames, in a thread with a big enough stack. */
#include <pthread.h>

__attribute__((profile)) static long down(long n) {
  if (n == 0)
    return 0;
  return 1 + down(n - 1);  // @recurse
}

static void *run(void *arg) {
  *(long *)arg = down(999999);
  return NULL;
}

int main(void) {
  pthread_attr_t attr;
  pthread_t th;
  long depth = 0;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, (size_t)1 << 30);
  pthread_create(&th, &attr, run, &depth);
  pthread_join(th, NULL);
  return depth == 999999 ? 0 : 1;
}
// CHECK: down ncalls=1000000 pcalls=1
// CHECK-EDGE: down -> down ncalls=999999 pcalls=1
// CHECK-LINE: down @recurse hits=999999
