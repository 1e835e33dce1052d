/*
 * sleepy.c - half its time on the CPU (burn), half asleep (nap): wall
 * sampling (CPROF_SAMPLE_WALL=1) sees both, CPU sampling only the first
 * (sample.py).  The sleep is to an absolute time, resumed when a signal
 * cuts it short, so the sampler's signals do not shorten it.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

static double now(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

__attribute__((noinline)) unsigned burn(double seconds) {
  unsigned x = 1;
  for (double end = now(CLOCK_MONOTONIC) + seconds; now(CLOCK_MONOTONIC) < end;)
    for (int i = 0; i < 100000; i++)
      x = x * 1664525u + 1013904223u;
  return x;
}

__attribute__((noinline)) void nap(double seconds) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  long ns = t.tv_nsec + (long)(seconds * 1e9);
  t.tv_sec += ns / 1000000000;
  t.tv_nsec = ns % 1000000000;
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
    ;
}

int main(void) {
  unsigned x = 0;
  for (int i = 0; i < 4; i++) {
    x += burn(0.15);
    nap(0.15);
  }
  printf("%u\n", x);
  return 0;
}
