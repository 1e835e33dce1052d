/*
 * fault_prog.c - a profiled program for fault.py: many functions (the
 * registry grows), a deep recursion (arena chunks run out), two threads
 * (their states), a few allocations (memory tracing).  Its output must
 * not change whatever memory the runtime is refused.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "cprof.h"

#define DEPTH 20000 /* distinct call paths: more than the first arena chunk */
#define LEAF_CALLS 100

CPROF_PROFILE static long leaf(long x) { return x * 3 + 1; }

CPROF_PROFILE static long deep(int n) { return n ? deep(n - 1) + 1 : 0; }

/* 640 functions, f000 to f977 (last two digits 0 to 7): more than the
 * registry's first table holds (512). */
/* clang-format off */
#define X8(m, p) m(p##0) m(p##1) m(p##2) m(p##3) m(p##4) m(p##5) m(p##6) m(p##7)
#define X64(m, p) X8(m, p##0) X8(m, p##1) X8(m, p##2) X8(m, p##3) \
                  X8(m, p##4) X8(m, p##5) X8(m, p##6) X8(m, p##7)
#define X640(m) X64(m, 0) X64(m, 1) X64(m, 2) X64(m, 3) X64(m, 4) \
                X64(m, 5) X64(m, 6) X64(m, 7) X64(m, 8) X64(m, 9)
/* clang-format on */
#define DEFINE(n)                                                              \
  CPROF_PROFILE static long f##n(long x) { return x + n; }
#define ADDRESS(n) f##n,
X640(DEFINE)
static long (*const fns[])(long) = {X640(ADDRESS)};

CPROF_PROFILE static void *worker(void *arg) {
  long *sum = arg;
  for (int i = 0; i < LEAF_CALLS; i++)
    *sum += leaf(i);
  return NULL;
}

int main(void) {
  long sum = 0, in_thread[2] = {0, 0};
  pthread_t th[2];
  for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
    sum += fns[i](1);
  sum += deep(DEPTH);
  for (int i = 0; i < 2; i++)
    if (pthread_create(&th[i], NULL, worker, &in_thread[i]) != 0)
      return 2;
  for (int i = 0; i < 2; i++) {
    pthread_join(th[i], NULL);
    sum += in_thread[i];
  }
  for (int i = 0; i < LEAF_CALLS; i++) {
    char *p = malloc(64);
    sum += leaf(i) + (p != NULL);
    free(p);
  }
  printf("sum %ld\n", sum);
  return 0;
}
