/*
 * thread.c - a timer and a buffer for every thread (CPROF_SAMPLE=HZ).
 *
 * The main thread starts sampling at start-up; every other thread as it
 * starts, from the start routine our pthread_create wraps around the
 * program's, so a thread created at any time is sampled from its first
 * instruction.  The thread's stack bounds are read then
 * (pthread_getattr_np), never in the handler.  A thread that exits
 * deletes its timer (a key's destructor runs on return and pthread_exit
 * alike) and leaves its buffer, records kept, to the next thread that
 * starts, which carries on under the same thread number, as the core
 * reuses its states.
 *
 * A forked child keeps only the forking thread, forgets its parent's
 * records, as the core does, and arms a new timer (timers are not
 * inherited).  exec ends the timers with the process image; the new
 * program, under LD_PRELOAD and CPROF_SAMPLE still, samples itself.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "core/core.h"
#include "sample/sample.h"

#define MAX_HZ 100000
#define DEFAULT_BUFFER                                                         \
  (8l << 20)             /* bytes a thread, mapped, touched as used            \
                          */
#define MIN_BUFFER 4096l /* a page: a few stacks (the tests fill it) */
#define MAX_BUFFER (1l << 34)

__thread struct rt_stack *rt_stack_self;

static struct rt_stack *all_stacks;
static uint32_t nstacks;
static size_t buffer_words;
static int sampling;
static pthread_key_t exit_key;

struct rt_stack *rt_stack_list(void) {
  return all_stacks;
}
uint32_t rt_stack_count(void) { return nstacks; }
int rt_stack_on(void) { return sampling; }

/* A free buffer, or a new one; NULL without memory. */
static struct rt_stack *take_buffer(void) {
  struct rt_stack *s;
  rt_lock();
  for (s = all_stacks; s && s->live; s = s->next)
    ;
  if (!s && (s = rt_map_zeroed(sizeof *s)) != NULL) {
    s->words = rt_map_zeroed(buffer_words * sizeof *s->words);
    if (!s->words) {
      munmap(s, sizeof *s);
      s = NULL;
    } else {
      s->cap = buffer_words;
      s->index = nstacks++;
      s->next = all_stacks;
      all_stacks = s;
    }
  }
  if (s) {
    s->live = 1;
    s->runs++;
    s->tid = rt_tid();
    rt_thread_name_of(s->tid, s->name);
  }
  rt_unlock();
  return s;
}

/* The calling thread's stack, as [lo, hi). */
static void stack_bounds(struct rt_stack *s) {
  pthread_attr_t attr;
  void *base;
  size_t size;
  s->lo = s->hi = 0;
  if (pthread_getattr_np(pthread_self(), &attr) != 0)
    return;
  if (pthread_attr_getstack(&attr, &base, &size) == 0) {
    s->lo = (uintptr_t)base;
    s->hi = (uintptr_t)base + size;
  }
  pthread_attr_destroy(&attr);
}

/* The calling thread samples from now on (buffer first, then the timer). */
static void thread_begin(void) {
  struct rt_stack *s = take_buffer();
  if (!s)
    return; /* no memory: this thread goes unsampled */
  stack_bounds(s);
  rt_stack_self = s;
  pthread_setspecific(exit_key, s);
  s->timing = rt_sampler_timer(&s->timer) == 0;
}

static void thread_end(void *arg) {
  struct rt_stack *s = arg;
  if (s->timing)
    timer_delete(s->timer);
  rt_stack_self = NULL;
  rt_lock();
  rt_thread_name_of(s->tid, s->name); /* the name it ended with */
  s->timing = 0;
  s->live = 0;
  rt_unlock();
}

struct start {
  void *(*fn)(void *);
  void *arg;
};

static void *start_sampled(void *p) {
  struct start st = *(struct start *)p;
  free(p);
  thread_begin();
  return st.fn(st.arg);
}

typedef int create_fn(pthread_t *, const pthread_attr_t *, void *(*)(void *),
                      void *);

RT_API int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                          void *(*fn)(void *), void *arg) {
  static create_fn *real;
  if (!real)
    real = (create_fn *)dlsym(RTLD_NEXT, "pthread_create");
  if (!real)
    return EAGAIN; /* no C library's to call (a static link) */
  struct start *st = sampling ? malloc(sizeof *st) : NULL;
  if (!st)
    return real(thread, attr, fn, arg);
  st->fn = fn;
  st->arg = arg;
  int r = real(thread, attr, start_sampled, st);
  if (r != 0)
    free(st);
  return r;
}

/* Only the forking thread goes on, with the records forgotten. */
static void after_fork_child(void) {
  for (struct rt_stack *s = all_stacks; s; s = s->next) {
    s->live = s == rt_stack_self;
    s->runs = (uint32_t)s->live;
    s->timing = 0;
    s->used = 0;
    s->signals = s->samples = s->cut = 0;
    s->dropped_signals = s->dropped_samples = 0;
  }
  struct rt_stack *self = rt_stack_self;
  if (self)
    self->tid = rt_tid();
  if (self)
    self->timing = rt_sampler_timer(&self->timer) == 0;
}

int rt_stack_init(void) {
  long hz = rt_env_long("CPROF_SAMPLE", 0, MAX_HZ, 0);
  long bytes = rt_env_long("CPROF_SAMPLE_BUFFER", MIN_BUFFER, MAX_BUFFER,
                           DEFAULT_BUFFER);
  buffer_words = (size_t)bytes / sizeof(uint64_t);
  /* CPROF_SAMPLE_WALL=1: every period of wall time, blocked or not. */
  int wall = rt_env_flag("CPROF_SAMPLE_WALL", 0);
  if (!hz)
    return 0;
#if !defined(__x86_64__) && !defined(__aarch64__)
  rt_warn("CPROF_SAMPLE: no stack walk on this machine; not sampling");
  return 0;
#endif
  if (rt_sampler_take(1000000000 / hz, wall) != 0)
    return 0; /* the core said why */
  pthread_key_create(&exit_key, thread_end);
  pthread_atfork(NULL, NULL, after_fork_child);
  sampling = 1;
  thread_begin();
  return 1;
}
