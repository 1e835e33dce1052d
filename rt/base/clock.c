/*
 * clock.c - which timer read the probes use (CPROF_TIMER), and
 * calibrating timer ticks to seconds.
 *
 * The rate is measured over the whole run (from start-up to each dump), so
 * a long run gets a precise rate for free.  A very short run waits until
 * the baseline is long enough for a rate good to about 0.1%.
 */
#include "base/clock.h"

#include <string.h>
#include <time.h>

#include "base/base.h"

#define MIN_BASELINE_NS 20000000u /* 20 ms */

int rt_clock_ordered;
static uint64_t start_ticks, start_ns;
static int64_t start_unix_ns;

uint64_t rt_clock_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t rt_clock_start_ticks(void) { return start_ticks; }
int64_t rt_clock_start_unix_ns(void) { return start_unix_ns; }

void rt_clock_choose(void) {
  const char *timer = rt_env("CPROF_TIMER");
  if (timer && strcmp(timer, "ordered") == 0)
    rt_clock_ordered = 1;
  else if (timer)
    rt_env_bad("CPROF_TIMER", timer, "not \"ordered\"", "the default timer");
}

void rt_clock_start(void) {
  struct timespec wall;
  clock_gettime(CLOCK_REALTIME, &wall);
  start_unix_ns = (int64_t)wall.tv_sec * 1000000000 + wall.tv_nsec;
  start_ns = rt_clock_ns();
  start_ticks = rt_ticks();
}

double rt_clock_rate(void) {
  uint64_t ns = rt_clock_ns();
  if (ns - start_ns < MIN_BASELINE_NS) {
    uint64_t wait = MIN_BASELINE_NS - (ns - start_ns);
    struct timespec ts = {0, (long)wait};
    while (nanosleep(&ts, &ts) != 0)
      ;
    ns = rt_clock_ns();
  }
  uint64_t ticks = rt_ticks();
  return (double)(ticks - start_ticks) * 1e9 / (double)(ns - start_ns);
}
