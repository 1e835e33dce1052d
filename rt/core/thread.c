/*
 * thread.c - per-thread state: shadow stack, node arena, line counters.
 *
 * A thread gets its state on its first profiled call; that is the only
 * time the hot path may take the lock or call the system, except when an
 * arena chunk runs out.  States are never freed: a thread that exits
 * leaves its numbers for the dump and its state for the next new thread,
 * which carries on in the same tree (the dump merges threads anyway).
 */
#include <pthread.h>
#include <sys/mman.h>

#include "base/clock.h"
#include "core/core.h"

__thread struct rt_thread *rt_self;

static struct rt_thread *all_threads, **threads_end = &all_threads;
static pthread_key_t exit_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

#define DEFAULT_MAX_DEPTH (1l << 21)
#define MAX_MAX_DEPTH (1l << 30) /* 48 GiB of address space a thread */

struct rt_fnstat *rt_thread_stat(struct rt_thread *t, uint32_t fn) {
  struct rt_fnstat **dir = t->statdir[fn >> RT_STATDIR_SHIFT];
  return dir ? dir[fn & (RT_STATDIR_SIZE - 1)] : NULL;
}

struct rt_fnstat *rt_thread_stat_make(struct rt_thread *t, uint32_t fn,
                                      uint32_t nlines) {
  struct rt_fnstat ***slot = &t->statdir[fn >> RT_STATDIR_SHIFT];
  if (!*slot)
    *slot = rt_arena_alloc(&t->arena, RT_STATDIR_SIZE * sizeof **slot);
  if (!*slot)
    return NULL;
  struct rt_fnstat *st = rt_arena_alloc(
      &t->arena, sizeof *st + nlines * sizeof(struct cprof_file_line));
  if (!st)
    return NULL;
  st->nlines = nlines;
  st->min_ticks = UINT64_MAX;
  /* Published last: the dump reads the directory without a lock. */
  __atomic_store_n(&(*slot)[fn & (RT_STATDIR_SIZE - 1)], st, __ATOMIC_RELEASE);
  return st;
}

static size_t max_depth = DEFAULT_MAX_DEPTH;

/* Before any thread's first call (one before it gets the default). */
void rt_thread_init(void) {
  max_depth = (size_t)rt_env_long("CPROF_MAX_DEPTH", 1, MAX_MAX_DEPTH,
                                  DEFAULT_MAX_DEPTH);
}

#define SINK_BYTES (CPROF_LINE_HITS_MAX * sizeof(struct cprof_file_line))

/*
 * A fresh state: the frames and the idle frame's line counters live in
 * mappings of their own, touched on demand.
 */
struct rt_thread *rt_thread_map(void) {
  struct rt_thread *t = rt_map_zeroed(sizeof *t);
  size_t depth = max_depth + 1;
  if (!t || !(t->frames = rt_map_zeroed(depth * sizeof *t->frames)) ||
      !(t->idle.head.lines = rt_map_zeroed(SINK_BYTES))) {
    if (t && t->frames)
      munmap(t->frames, depth * sizeof *t->frames);
    if (t)
      munmap(t, sizeof *t);
    return NULL;
  }
  t->idle.head.line = RT_NO_LINE;
  t->limit = t->frames + depth;
  t->frames[0].node = &t->root;
  t->frames[0].sp = UINTPTR_MAX;
  t->frames[0].head.line = RT_NO_LINE;
  t->top = t->frames;
  t->scratch.min_ticks = UINT64_MAX;
  t->pending = &t->scratch;
  return t;
}

void rt_thread_unmap(struct rt_thread *t) {
  rt_arena_free(&t->arena);
  munmap(t->frames, (size_t)(t->limit - t->frames) * sizeof *t->frames);
  munmap(t->idle.head.lines, SINK_BYTES);
  munmap(t, sizeof *t);
}

/* Without memory for it the thread's calls count as not recorded
 * (rt_stateless_calls), and its next call tries again. */
static RT_COLD struct rt_thread *thread_new(void) {
  struct rt_thread *t = rt_thread_map();
  if (!t)
    return NULL;
  /* Appended: the file numbers threads in the order they came. */
  *threads_end = t;
  threads_end = &t->next;
  return t;
}

static void thread_exit(void *arg) {
  struct rt_thread *t = arg;
  uint64_t now;
  rt_lock();
  rt_thread_name_of(t->tid, t->name); /* the name it ended with */
  /* Calls left open by the exiting thread (pthread_exit) end here. */
  now = rt_ticks();
  while (t->top != t->frames) {
    rt_close_frame(t, t->top, now);
    t->top--;
  }
  t->live = 0;
  rt_sampler_stop(t);
  rt_unlock();
  rt_self = NULL;
}

static void make_key(void) { pthread_key_create(&exit_key, thread_exit); }

struct rt_thread *rt_thread_attach(void) {
  struct rt_thread *t;
  pthread_once(&key_once, make_key);
  rt_lock();
  for (t = all_threads; t && t->live; t = t->next)
    ;
  if (!t)
    t = thread_new();
  if (t) {
    t->live = 1;
    t->runs++;
    t->tid = rt_tid();
    rt_thread_name_of(t->tid, t->name);
  }
  rt_unlock();
  if (t)
    pthread_setspecific(exit_key, t);
  rt_self = t;
  if (t)
    rt_sampler_start(t);
  return t;
}

struct rt_thread *rt_thread_list(void) {
  return all_threads;
}

/* A forked child has one thread, the forking one, under a new id. */
void rt_thread_forked(struct rt_thread *self) {
  for (struct rt_thread *t = all_threads; t; t = t->next)
    t->runs = 0;
  if (self) {
    self->runs = 1;
    self->tid = rt_tid();
  }
}
