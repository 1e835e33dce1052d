/*
 * probe.c - the hot path: what instrumented code calls.
 *
 * An enter bumps a node's call count and pushes a frame; an exit adds the
 * elapsed ticks to the node and pops.  Everything else (self time,
 * primitive calls, edges) is derived from the tree when it is read, so
 * these stay a handful of loads and stores around one rdtsc each.
 */
#include "base/clock.h"
#include "core/core.h"

/*
 * Where the inline line counters of a frame that records nothing go, for
 * a thread that has no state (each state has its idle frame).
 */
static struct cprof_file_line line_sink[CPROF_LINE_HITS_MAX];

static struct cprof_frame rt_null_frame = {
    .head = {.lines = line_sink, .line = RT_NO_LINE}};

uint64_t rt_stateless_calls;

static inline uintptr_t stack_pointer(void) {
  uintptr_t sp;
#if defined(__x86_64__)
  __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
#else
  sp = (uintptr_t)__builtin_frame_address(0);
#endif
  return sp;
}

struct new_child {
  const struct cprof_fn *desc;
  uint32_t fn;
};

/*
 * A new child of `parent`.  A signal handler may interrupt us and add a
 * child to the same parent, hence the CAS; a concurrent dump walks the
 * list without a lock, hence the release.
 */
static RT_COLD struct rt_node *make_child(struct rt_thread *t,
                                          struct rt_node *parent, void *arg) {
  const struct new_child *nc = arg;
  struct rt_node *n = rt_arena_alloc(&t->arena, sizeof *n);
  if (!n)
    return NULL;
  n->fn = nc->fn;
  n->parent = parent;
  n->stat = rt_thread_stat(t, nc->fn);
  if (!n->stat) {
    const struct cprof_fn *d = nc->desc;
    uint32_t nlines = (d->flags & CPROF_FN_LINES) ? d->nlines : 0;
    if (!(n->stat = rt_thread_stat_make(t, nc->fn, nlines)))
      return NULL;
  }
  n->sibling = parent->child;
  while (!__atomic_compare_exchange_n(&parent->child, &n->sibling, n, 0,
                                      __ATOMIC_RELEASE, __ATOMIC_RELAXED))
    ;
  return n;
}

/* Find or make the child of `parent` for function `fn`. */
static struct rt_node *child_node(struct rt_thread *t, struct rt_node *parent,
                                  const struct cprof_fn *desc, uint32_t fn) {
  struct new_child nc = {desc, fn};
  struct rt_node *n = rt_child(t, parent, fn, make_child, &nc);
  return n ? (parent->hot = n) : NULL;
}

/* Close the frames above `f`, left without an exit, as if they returned now. */
static RT_COLD void close_above(struct rt_thread *t, struct cprof_frame *f,
                                uint64_t now) {
  while (t->top > f) {
    rt_close_frame(t, t->top, now);
    t->top--;
  }
}

/*
 * A frame whose stack pointer lies below ours belongs to an activation a
 * longjmp left (one into unprofiled code, which calls no __cprof_resume).
 * Equal stack pointers are not proof: an inlined profiled function shares
 * its caller's frame.
 */
static RT_COLD void drop_dead_frames(struct rt_thread *t, uintptr_t sp,
                                     uint64_t now) {
  struct cprof_frame *live = t->top;
  while (live != t->frames && live->sp < sp)
    live--;
  close_above(t, live, now);
}

/*
 * Push a frame for `desc` (registered as `id`) on thread `t`; `timed` is a
 * constant at each call site: counts-only frames never read the timer.
 */
static inline struct cprof_frame *push(struct rt_thread *t,
                                       const struct cprof_fn *desc, uint32_t id,
                                       uintptr_t sp, int timed) {
  if (unlikely(t->top->sp < sp))
    drop_dead_frames(t, sp, rt_ticks());
  struct cprof_frame *f = t->top + 1;
  struct rt_node *parent = t->top->node, *n = parent->hot;
  if (unlikely(!n || n->fn != id))
    n = child_node(t, parent, desc, id);
  if (unlikely(f == t->limit || !n)) {
    t->dropped++;
    return &t->idle;
  }
  RT_ASSERT(n->parent == parent && n->fn == id && n->stat);
  n->calls++;
  /*
   * A signal handler's calls push at t->top + 1 and read only node and sp
   * of the frame below.  Before we publish f they may overwrite f, after
   * it they leave f alone: so write node and sp on both sides of the
   * publication.
   */
  f->node = n;
  f->sp = sp;
  f->head.line = RT_NO_LINE; /* the sampler reads it once f is published */
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  t->top = f;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  f->node = n;
  f->sp = sp;
  f->head.line = RT_NO_LINE;
  f->head.lines = n->stat->lines;
  if (!timed) {
    f->nlines = 0;
    f->t_enter = RT_NO_TIME;
    return f;
  }
  /* Lines counted inline have no time of their own to close. */
  f->nlines = desc->flags & CPROF_FN_LINE_HITS ? 0 : n->stat->nlines;
  f->t_enter = f->t_line = rt_ticks();
  return f;
}

/*
 * A thread's or a function's first call.  It takes the stack pointer of
 * the real enter: calling back into __cprof_enter from here would record
 * a deeper one, and a later inlined callee would look like a frame left
 * by longjmp.  Out of memory, the call is counted as not recorded (the
 * thread's state, or the descriptor's registration, is tried again on
 * the next call).
 */
static RT_COLD struct cprof_frame *enter_slow(struct cprof_fn *desc,
                                              uintptr_t sp, int timed) {
  struct rt_thread *t = rt_self ? rt_self : rt_thread_attach();
  if (!t) {
    if (rt_recording())
      __atomic_add_fetch(&rt_stateless_calls, 1, __ATOMIC_RELAXED);
    return &rt_null_frame;
  }
  uint32_t id = __atomic_load_n(&desc->id, __ATOMIC_ACQUIRE);
  if (id == 0)
    id = rt_register(desc);
  if (id == RT_REJECTED || !rt_recording())
    return &t->idle;
  if (id == 0) { /* no memory to register it */
    t->dropped++;
    return &t->idle;
  }
  return push(t, desc, id, sp, timed);
}

static inline struct cprof_frame *enter(struct cprof_fn *desc, uintptr_t sp,
                                        int timed) {
  struct rt_thread *t = rt_self;
  uint32_t id = __atomic_load_n(&desc->id, __ATOMIC_RELAXED);
  if (unlikely(!t || id == 0 || id == RT_REJECTED))
    return enter_slow(desc, sp, timed);
  if (unlikely(!rt_recording()))
    return &t->idle;
  return push(t, desc, id, sp, timed);
}

RT_API struct cprof_frame *__cprof_enter(struct cprof_fn *desc) {
  return enter(desc, stack_pointer(), 1);
}

RT_API struct cprof_frame *__cprof_enter_count(struct cprof_fn *desc) {
  return enter(desc, stack_pointer(), 0);
}

RT_API void __cprof_line(struct cprof_frame *f, uint32_t line) {
  if (line == f->head.line || unlikely(line >= f->nlines))
    return;
  uint64_t now = rt_ticks();
  if (f->head.line != RT_NO_LINE)
    f->head.lines[f->head.line].ticks += now - f->t_line;
  f->head.lines[line].hits++;
  f->head.line = line;
  f->t_line = now;
}

/*
 * Make `f` the top frame again, closing frames a longjmp left above it.
 * False when `f` itself is gone (closed after a longjmp) or records nothing.
 */
static inline int unwind_to(struct rt_thread *t, struct cprof_frame *f) {
  if (unlikely(!f->node))
    return 0;
  if (unlikely(t->top != f)) {
    if (t->top < f)
      return 0;
    close_above(t, f, rt_ticks());
  }
  return 1;
}

/* Popped only after it is closed: a signal handler may push at f. */
RT_API void __cprof_exit(struct cprof_frame *f) {
  uint64_t now = rt_ticks();
  struct rt_thread *t = rt_self;
  if (unwind_to(t, f)) {
    rt_close_frame(t, f, now);
    t->top = f - 1;
  }
}

RT_API void __cprof_exit_count(struct cprof_frame *f) {
  struct rt_thread *t = rt_self;
  if (unwind_to(t, f))
    t->top = f - 1;
}

RT_API void __cprof_resume(struct cprof_frame *f) {
  struct rt_thread *t = rt_self;
  if (f->node && unlikely(t->top > f))
    close_above(t, f, rt_ticks());
}
