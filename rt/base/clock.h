/*
 * clock.h - the profiler's timer: the CPU's time-stamp counter.
 *
 * By default rdtsc is read as it is, not serialised: the probes disturb
 * the pipeline as little as possible, and an invariant TSC counts at a
 * constant rate across cores and power states.  The price: a read can
 * execute before the instructions ahead of it finish, so next to a long
 * dependency chain a timestamp lands early by the part still in flight,
 * and time moves across call boundaries.  CPROF_TIMER=ordered makes every
 * read wait for them first (lfence; rdtsc), which makes each call's
 * window exact and costs about one read latency more per timestamp
 * (docs/bench.md, "Accuracy").  Other targets fall back to the monotonic
 * clock in nanoseconds.
 */
#ifndef CPROF_RT_CLOCK_H
#define CPROF_RT_CLOCK_H

#include <stdint.h>

#include "cprof/format.h"

/* CPROF_TIMER=ordered; set by rt_clock_choose() before any probe runs. */
extern int rt_clock_ordered;
void rt_clock_choose(void);

#if defined(__x86_64__) || defined(__i386__)
#define RT_CLOCK (rt_clock_ordered ? CPROF_CLOCK_TSC_ORDERED : CPROF_CLOCK_TSC)
static inline uint64_t rt_ticks(void) {
  /* lfence waits for earlier work (Intel; AMD as Linux sets it up). */
  if (__builtin_expect(rt_clock_ordered, 0))
    __builtin_ia32_lfence();
  return __builtin_ia32_rdtsc();
}
#elif defined(__aarch64__)
#define RT_CLOCK                                                               \
  (rt_clock_ordered ? CPROF_CLOCK_CNTVCT_ORDERED : CPROF_CLOCK_CNTVCT)
static inline uint64_t rt_ticks(void) {
  uint64_t v;
  if (__builtin_expect(rt_clock_ordered, 0))
    __asm__ volatile("isb" ::: "memory");
  __asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
  return v;
}
#else
#include <time.h>
#define RT_CLOCK CPROF_CLOCK_MONOTONIC
static inline uint64_t rt_ticks(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif

/* Monotonic nanoseconds, to calibrate ticks against. */
uint64_t rt_clock_ns(void);

/* Remember the (ticks, ns) origin; called once at start-up. */
void rt_clock_start(void);

uint64_t rt_clock_start_ticks(void);
int64_t rt_clock_start_unix_ns(void);

/* Ticks per second measured since rt_clock_start(). */
double rt_clock_rate(void);

#endif
