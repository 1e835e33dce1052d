/*
 * leaf.c - a loop of calls to a tiny leaf function (50M by default).
 *
 *   leaf [N [T]]   T threads (default 1) each make N calls, started together
 *
 * The loop always runs in worker threads, so one and two threads take the
 * same code path; the reported times are the means of the threads' own.
 */
#include <pthread.h>

#include "bench.h"

#define MAX_THREADS 64

PROFILE NOINLINE long leaf(long x) { return x * 3 + 1; }

struct worker {
  pthread_t id;
  long calls, sum;
  double wall, cpu; /* this thread's timed region */
};

static pthread_barrier_t start;

static void *work(void *arg) {
  struct worker *w = arg;
  long sum = 0;
  pthread_barrier_wait(&start);
  double t = now(), c = cpu_now();
  for (long i = 0; i < w->calls; i++)
    sum += leaf(i);
  w->wall = now() - t;
  w->cpu = cpu_now() - c;
  w->sum = sum;
  return NULL;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 50000000;
  int nthreads = argc > 2 ? atoi(argv[2]) : 1;
  struct worker w[MAX_THREADS];
  double wall = 0, cpu = 0;
  long sum = 0;
  if (n <= 0 || nthreads < 1 || nthreads > MAX_THREADS) {
    fprintf(stderr, "usage: leaf [CALLS [THREADS (1 to %d)]]\n", MAX_THREADS);
    return 2;
  }
  pthread_barrier_init(&start, NULL, (unsigned)nthreads);
  for (int i = 0; i < nthreads; i++) {
    w[i].calls = n;
    if (pthread_create(&w[i].id, NULL, work, &w[i]) != 0)
      return 1;
  }
  for (int i = 0; i < nthreads; i++) {
    pthread_join(w[i].id, NULL);
    wall += w[i].wall / nthreads;
    cpu += w[i].cpu / nthreads;
    sum += w[i].sum;
  }
  report("leaf", wall, cpu, sum);
  return 0;
}
