/*
 * reset.c - forgetting what was recorded: cprof_reset() and fork().
 *
 * A forked child starts with its parent's memory, so it must drop the
 * parent's numbers to report only its own, and it must not write over the
 * parent's file.  Calls open across the fork go on in the child: they
 * count as one call each there, timed from the fork.
 */
#include <pthread.h>
#include <string.h>

#include "base/clock.h"
#include "core/core.h"
#include "cprof.h"

static void zero_stat(struct rt_fnstat *st) {
  memset(st->hist, 0, sizeof st->hist);
  st->min_ticks = UINT64_MAX;
  st->max_ticks = st->samples = 0;
  memset(st->lines, 0, st->nlines * sizeof *st->lines);
}

static void zero_tree(struct rt_node *root) {
  struct rt_node *n = root->child;
  while (n) {
    n->calls = n->ticks = n->samples = 0;
    zero_stat(n->stat);
    if (n->child) {
      n = n->child;
      continue;
    }
    while (n != root && !n->sibling)
      n = n->parent;
    n = n == root ? NULL : n->sibling;
  }
}

/* Open frames restart now, as one call each. */
static void restart_open_frames(struct rt_thread *t, uint64_t now) {
  for (struct cprof_frame *f = t->frames + 1; f <= t->top; f++) {
    f->node->calls++;
    if (f->t_enter != RT_NO_TIME)
      f->t_enter = f->t_line = now;
  }
}

static void thread_zero(struct rt_thread *t) {
  zero_tree(&t->root);
  t->dropped = t->sample_seq = t->samples_due = 0;
  t->pending = &t->scratch;
  restart_open_frames(t, rt_ticks());
}

static void zero_all(void) {
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next)
    thread_zero(t);
  __atomic_store_n(&rt_stateless_calls, 0, __ATOMIC_RELAXED);
}

RT_API void cprof_reset(void) {
  rt_lock();
  zero_all();
  rt_unlock();
}

static void before_fork(void) { rt_lock(); }
static void after_fork_parent(void) { rt_unlock(); }

static void after_fork_child(void) {
  /* Only the forking thread exists in the child. */
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next)
    if (t != rt_self) {
      t->live = 0;
      t->top = t->frames;
    }
  zero_all();
  rt_thread_forked(rt_self);
  rt_sampler_forked(rt_self);
  rt_forked_child = 1;
  rt_unlock();
}

void rt_reset_init(void) {
  pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}
