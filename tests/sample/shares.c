/*
 * shares.c - three functions that burn CPU 1:2:4, in two threads, for the
 * stack sampler's tests (tests/sample/sample.py).  Built without cprof:
 * any program must do.
 *
 *   shares [SECONDS] [late|fork]
 *
 * Each thread runs the three in turn, each for a fixed number of rounds
 * (one, two and four times the work), until SECONDS of its CPU time have
 * passed.  Each call lasts tens of milliseconds: a cycle much longer than
 * the kernel's tick, which a shorter one could alias with.  With "late",
 * the main thread burns in burn_one for half that time, then starts a
 * thread that burns in burn_four for the other half and waits for it (a
 * thread created late must be sampled too); with "fork", a child process runs
 * the loop in its one thread beside its parent.
 */
#define _GNU_SOURCE /* pthread_setname_np */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

/* Work, inlined: each burn function is the leaf its samples land in. */
static inline __attribute__((always_inline)) unsigned long
spin(unsigned long n) {
  unsigned long x = n;
  for (unsigned long i = 0; i < n; i++)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  return x;
}

/*
 * Not leaves: GCC gives a leaf that needs no stack no frame, even with
 * -fno-omit-frame-pointer, and its caller would be missed.
 */
__attribute__((noinline)) static void keep(unsigned long x) { sink += x; }

__attribute__((noinline)) void burn_one(void) {
  keep(spin(10000000));
  sink++;
}
__attribute__((noinline)) void burn_two(void) {
  keep(spin(20000000));
  sink++;
}
__attribute__((noinline)) void burn_four(void) {
  keep(spin(40000000));
  sink++;
}

static double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double seconds = 1.0;

static void *worker(void *arg) {
  (void)arg;
  double until = cpu_seconds() + seconds;
  while (cpu_seconds() < until) {
    burn_one();
    burn_two();
    burn_four();
  }
  return NULL;
}

/* The thread started late burns in burn_four only. */
static void *late_worker(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "late"); /* prstats --threads names it */
  double until = cpu_seconds() + seconds / 2;
  while (cpu_seconds() < until)
    burn_four();
  return NULL;
}

int main(int argc, char **argv) {
  pthread_t t;
  if (argc > 1)
    seconds = atof(argv[1]);
  const char *mode = argc > 2 ? argv[2] : "";
  if (strcmp(mode, "fork") == 0) {
    pid_t pid = fork();
    if (pid == 0) {
      worker(NULL);
      exit(0);
    }
    worker(NULL);
    waitpid(pid, NULL, 0);
    return 0;
  }
  if (strcmp(mode, "late") == 0) {
    double until = cpu_seconds() + seconds / 2;
    while (cpu_seconds() < until)
      burn_one();
    if (pthread_create(&t, NULL, late_worker, NULL) != 0)
      return 1;
    pthread_join(t, NULL);
    return 0;
  }
  if (pthread_create(&t, NULL, worker, NULL) != 0)
    return 1;
  worker(NULL);
  pthread_join(t, NULL);
  printf("%lu\n", sink & 1);
  return 0;
}
