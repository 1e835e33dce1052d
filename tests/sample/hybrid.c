/*
 * hybrid.c - a plugin-built program whose time is mostly in the C
 * library's memset (under fill) and libm's exp (under calc): sampled with
 * CPROF_SAMPLE, each shows as a row under its profiled caller (hybrid.py).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static char buf[1 << 20];

static double cpu_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* memset a MiB at a time, the clock read every 64 of them. */
__attribute__((noinline)) long fill(double seconds) {
  long n = 0;
  for (double end = cpu_seconds() + seconds; cpu_seconds() < end;)
    for (int i = 0; i < 64; i++) {
      memset(buf, (int)(i + n), sizeof buf - (size_t)(n & 1));
      n += buf[i];
    }
  return n;
}

/* exp of values the compiler cannot fold, the clock read every 100000. */
__attribute__((noinline)) double calc(double seconds) {
  volatile double x = 0.5;
  double sum = 0;
  for (double end = cpu_seconds() + seconds; cpu_seconds() < end;)
    for (int i = 0; i < 100000; i++)
      sum += exp(x + i * 1e-9);
  return sum;
}

int main(void) {
  long n = fill(0.8);
  double sum = calc(0.8);
  printf("%ld %g\n", n, sum);
  return 0;
}
