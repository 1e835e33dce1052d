/*
 * calibrate.c - measure what the probes cost, so reports can subtract it.
 *
 * Python's profile module asks the user to calibrate; we do it at start-up
 * on a private thread state (nothing lands in the profile).
 *
 * A call's probes cost its caller two things: the part outside the
 * callee's own timer window, the same whatever the callee does, and the
 * part inside it.  The inside part is mostly rdtsc latency, which is not
 * serialising: next to real work it overlaps and nearly vanishes, in an
 * empty function it does not.  So the outside part is measured around an
 * empty function and the inside part around one that does a little work,
 * which is what the functions worth profiling do.  Each loop runs several
 * times and the fastest run counts, since interruptions only add time.
 */
#include "clock.h"
#include "rt.h"

#define CALLS 2000
#define ROUNDS 9

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

/* A short dependent chain the compiler cannot drop: the "real work". */
static inline uint64_t work(uint64_t x) {
  for (int i = 0; i < 8; i++) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    __asm__ volatile("" : "+r"(x));
  }
  return x;
}

enum shape { EMPTY, PROBED_EMPTY, PLAIN, PROBED, PROBED_LINES };

/* What a profiled function looks like, without and with its probes. */
static __attribute__((noinline)) uint64_t callee(enum shape s, uint64_t x) {
  if (s == EMPTY)
    return x;
  if (s == PLAIN)
    return work(work(x));
  struct cprof_frame *f = __cprof_enter(&probe_fn);
  if (s == PROBED_EMPTY) {
    __cprof_exit(f);
    return x;
  }
  if (s == PROBED_LINES)
    __cprof_line(f, 0);
  x = work(x);
  if (s == PROBED_LINES)
    __cprof_line(f, 1);
  x = work(x);
  __cprof_exit(f);
  return x;
}

/* Fastest of ROUNDS runs of CALLS calls; *inner: the node's ticks per run. */
static uint64_t timed(enum shape s, uint64_t *inner) {
  uint64_t best = UINT64_MAX, x = 1;
  for (int r = 0; r < ROUNDS; r++) {
    struct rt_node *n = rt_self->root.child;
    uint64_t before = n ? n->ticks : 0;
    uint64_t t0 = rt_ticks();
    for (int i = 0; i < CALLS; i++)
      x = callee(s, x);
    uint64_t t = rt_ticks() - t0;
    if (t < best) {
      best = t;
      n = rt_self->root.child;
      *inner = n ? n->ticks - before : 0;
    }
  }
  __asm__ volatile("" ::"r"(x));
  return best;
}

/* Ticks of the work alone, inline, as the callee's own time. */
static uint64_t work_only(void) {
  uint64_t best = UINT64_MAX, x = 1;
  for (int r = 0; r < ROUNDS; r++) {
    uint64_t t0 = rt_ticks();
    for (int i = 0; i < CALLS; i++)
      x = work(work(x));
    uint64_t t = rt_ticks() - t0;
    best = t < best ? t : best;
  }
  __asm__ volatile("" ::"r"(x));
  return best;
}

static uint64_t per_call(uint64_t a, uint64_t b) {
  return a > b ? (a - b) / CALLS : 0;
}

void rt_calibrate(void) {
  struct rt_thread *saved = rt_self, *t = rt_thread_map();
  uint64_t unused, inner_empty, inner_work;
  if (!t)
    return;
  rt_self = t;
  uint64_t empty = timed(EMPTY, &unused);
  uint64_t probed_empty = timed(PROBED_EMPTY, &inner_empty);
  uint64_t probed = timed(PROBED, &inner_work);
  uint64_t lines = timed(PROBED_LINES, &unused);
  uint64_t body = work_only();
  rt_self = saved;
  rt_thread_unmap(t);
  uint64_t pair = per_call(probed_empty, empty), in = inner_empty / CALLS;
  uint64_t outside = pair > in ? pair - in : 0;
  rt_costs.call_inner = per_call(inner_work, body);
  rt_costs.call = outside + rt_costs.call_inner;
  rt_costs.line = per_call(lines, probed) / 2;
}
