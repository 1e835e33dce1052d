/*
 * calibrate.c - measure what the probes cost, so reports can subtract it.
 *
 * Python's profile module asks the user to calibrate; we do it at start-up
 * on a private thread state (nothing lands in the profile): a loop of
 * empty profiled calls, the same loop with two line changes per call, and
 * an empty loop.  Each is run several times and the fastest run counts,
 * since interruptions only ever add time.
 */
#include "clock.h"
#include "rt.h"

#define CALLS 4000
#define ROUNDS 7

struct rt_costs rt_costs;

/* A descriptor that never registers: it has its id already. */
static struct cprof_fn probe_fn = {
    .abi_version = CPROF_ABI_VERSION,
    .id = 1,
    .flags = CPROF_FN_LINES,
    .nlines = 2,
    .name = "<calibration>",
    .symbol = "<calibration>",
    .file = "",
};

/* Ticks for CALLS calls with `lines` line changes each (0, 2). */
static uint64_t timed_loop(int lines, uint64_t *inner) {
  struct rt_node *n = rt_self->root.child;
  uint64_t before = n ? n->ticks : 0;
  uint64_t t0 = rt_ticks();
  for (int i = 0; i < CALLS; i++) {
    struct cprof_frame *f = __cprof_enter(&probe_fn);
    if (lines) {
      __cprof_line(f, 0);
      __cprof_line(f, 1);
    }
    __cprof_exit(f);
    __asm__ volatile("" ::: "memory");
  }
  uint64_t t = rt_ticks() - t0;
  n = rt_self->root.child;
  *inner = n->ticks - before;
  return t;
}

static uint64_t empty_loop(void) {
  uint64_t t0 = rt_ticks();
  for (int i = 0; i < CALLS; i++)
    __asm__ volatile("" ::: "memory");
  return rt_ticks() - t0;
}

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

void rt_calibrate(void) {
  struct rt_thread *saved = rt_self, *t = rt_thread_map();
  uint64_t calls = UINT64_MAX, lines = UINT64_MAX, empty = UINT64_MAX;
  uint64_t inner = UINT64_MAX, unused;
  if (!t)
    return;
  rt_self = t;
  for (int r = 0; r < ROUNDS; r++) {
    uint64_t in;
    empty = min_u64(empty, empty_loop());
    calls = min_u64(calls, timed_loop(0, &in));
    inner = min_u64(inner, in);
    lines = min_u64(lines, timed_loop(2, &unused));
  }
  rt_self = saved;
  rt_thread_unmap(t);
  rt_costs.call = calls > empty ? (calls - empty) / CALLS : 0;
  rt_costs.call_inner = inner / CALLS;
  rt_costs.line = lines > calls ? (lines - calls) / (2 * CALLS) : 0;
}
