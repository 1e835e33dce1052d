/*
 * calibrate.c - measure what the probes cost with the timer read chosen
 * (base/clock.c), so that reports can subtract it.
 *
 * Python's profile module asks the user to calibrate; we do it at start-up
 * on a private thread state (nothing lands in the profile).
 *
 * A call's probes cost its caller two things: the part outside the
 * callee's own timer window and the part inside it.  How much depends on
 * the timer read (clock.h; docs/bench.md, "Accuracy"):
 *
 *   default    rdtsc does not wait for the instructions before it, so the
 *              probes overlap the code around them: next to a long
 *              dependency chain they cost nothing measurable, in tight
 *              code they cost their full price.  The outside part is
 *              measured around an empty function called back to back,
 *              the inside part (mostly rdtsc latency, which overlaps)
 *              around one that does a little work.
 *   ordered    lfence; rdtsc.  Nothing overlaps the probes but the read's
 *              own latency, which hides under work that follows it.  So a
 *              call is measured with work on both sides (in the callee,
 *              and in the caller between calls), enough that more work
 *              changes nothing; a line change back to back with the
 *              previous one, as most lines are a few instructions long.
 *
 * Interruptions only ever add time, so each loop counts its fastest of a
 * few runs.  That alone is not enough on a busy machine: a burst of
 * noise can fall on one loop of a difference and not the other.  So the
 * whole set of loops is measured TRIALS times, the loops of one trial
 * side by side (interleaved), each trial giving one estimate of every
 * cost; the runtime keeps a low quantile of the trials (the lower
 * quartile: robust to a few trials lucky or unlucky in either direction)
 * and reports how far the upper quartile lies above it, the spread.  The
 * costs are measured again before the profile is written at exit, and
 * the lower of the two kept: a start-up that shared the CPU with the
 * program's own start reads high.
 */
#include <stdlib.h>

#include "base/clock.h"
#include "core/core.h"

#define CALLS 1000
#define ROUNDS 3  /* runs of one loop in a trial: the fastest counts */
#define TRIALS 9  /* estimates of each cost */
#define ORDERED_WORK 4 /* units per side: several ordered-read latencies */

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

/* n units of a dependent chain the compiler cannot drop: the "real work". */
static inline uint64_t work(uint64_t x, int n) {
  for (int i = 0; i < 8 * n; i++) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    __asm__ volatile("" : "+r"(x));
  }
  return x;
}

enum shape { EMPTY, PROBED_EMPTY, PLAIN, PROBED, PROBED_LINES, INLINE };

/* A function doing n units of work twice, without or with its probes. */
static __attribute__((noinline)) uint64_t callee(enum shape s, uint64_t x,
                                                 int n) {
  if (s == EMPTY)
    return x;
  if (s == PLAIN)
    return work(work(x, n), n);
  struct cprof_frame *f = __cprof_enter(&probe_fn);
  if (s == PROBED_EMPTY) {
    __cprof_exit(f);
    return x;
  }
  if (s == PROBED_LINES)
    __cprof_line(f, 0);
  x = work(x, n);
  if (s == PROBED_LINES)
    __cprof_line(f, 1);
  x = work(x, n);
  __cprof_exit(f);
  return x;
}

/*
 * Fastest of ROUNDS runs of CALLS calls, each followed by `gap` units of
 * the caller's own work (INLINE: the callee's work, not called);
 * *inner: the calibration node's ticks in that run.
 */
static uint64_t timed(enum shape s, int n, int gap, uint64_t *inner) {
  uint64_t best = UINT64_MAX, x = 1;
  for (int r = 0; r < ROUNDS; r++) {
    struct rt_node *node = rt_self->root.child;
    uint64_t before = node ? node->ticks : 0;
    uint64_t t0 = rt_ticks();
    for (int i = 0; i < CALLS; i++)
      x = work(s == INLINE ? work(work(x, n), n) : callee(s, x, n), gap);
    uint64_t t = rt_ticks() - t0;
    if (t < best) {
      best = t;
      node = rt_self->root.child;
      *inner = node ? node->ticks - before : 0;
    }
  }
  __asm__ volatile("" ::"r"(x));
  return best;
}

static uint64_t per_call(uint64_t a, uint64_t b) {
  return a > b ? (a - b) / CALLS : 0;
}

struct estimate {
  uint64_t call, call_inner, line;
};

static void measure_default(struct estimate *e) {
  uint64_t unused, inner_empty, inner_work;
  uint64_t empty = timed(EMPTY, 0, 0, &unused);
  uint64_t probed_empty = timed(PROBED_EMPTY, 0, 0, &inner_empty);
  uint64_t probed = timed(PROBED, 1, 0, &inner_work);
  uint64_t lines = timed(PROBED_LINES, 1, 0, &unused);
  uint64_t body = timed(INLINE, 1, 0, &unused);
  uint64_t pair = per_call(probed_empty, empty), in = inner_empty / CALLS;
  uint64_t outside = pair > in ? pair - in : 0;
  e->call_inner = per_call(inner_work, body);
  e->call = outside + e->call_inner;
  e->line = per_call(lines, probed) / 2;
}

static void measure_ordered(struct estimate *e) {
  const int n = ORDERED_WORK;
  uint64_t unused, inner;
  uint64_t plain = timed(PLAIN, n, n, &unused);
  uint64_t probed = timed(PROBED, n, n, &inner);
  uint64_t with = timed(INLINE, n, n, &unused);
  uint64_t without = timed(INLINE, 0, n, &unused);
  uint64_t lines = timed(PROBED_LINES, 0, n, &unused);
  uint64_t no_lines = timed(PROBED, 0, n, &unused);
  e->call = per_call(probed, plain);
  e->call_inner = per_call(inner, with > without ? with - without : 0);
  e->line = per_call(lines, no_lines) / 2;
}

static int compare_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* The lower quartile of v[TRIALS] (sorted in place), and its spread. */
static uint64_t low_quartile(uint64_t *v, uint64_t *spread) {
  qsort(v, TRIALS, sizeof *v, compare_u64);
  *spread = v[3 * TRIALS / 4] - v[TRIALS / 4];
  return v[TRIALS / 4];
}

static struct rt_costs measure(void) {
  uint64_t call[TRIALS], inner[TRIALS], line[TRIALS];
  struct rt_costs c;
  for (int i = 0; i < TRIALS; i++) {
    struct estimate e;
    if (rt_clock_ordered)
      measure_ordered(&e);
    else
      measure_default(&e);
    call[i] = e.call;
    inner[i] = e.call_inner;
    line[i] = e.line;
  }
  uint64_t unused;
  c.call = low_quartile(call, &c.call_spread);
  c.call_inner = low_quartile(inner, &unused);
  c.line = low_quartile(line, &c.line_spread);
  if (c.call_inner > c.call)
    c.call_inner = c.call;
  return c;
}

/* A second measurement replaces the first where it reads lower. */
static void keep_lower(const struct rt_costs *c) {
  if (c->call < rt_costs.call) {
    rt_costs.call = c->call;
    rt_costs.call_inner = c->call_inner;
    rt_costs.call_spread = c->call_spread;
  }
  if (c->line < rt_costs.line) {
    rt_costs.line = c->line;
    rt_costs.line_spread = c->line_spread;
  }
}

void rt_calibrate(void) {
  static int measured;
  struct rt_thread *saved = rt_self, *t;
  if (!(t = rt_thread_map()))
    return;
  rt_self = t; /* the sampler, if it fires, charges this private state */
  struct rt_costs c = measure();
  rt_self = saved;
  rt_thread_unmap(t);
  if (measured++)
    keep_lower(&c);
  else
    rt_costs = c;
}
