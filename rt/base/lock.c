/*
 * lock.c - the one lock of the runtime, for its rare paths only:
 * a thread's first call, a function's first call, dump, reset, fork.
 *
 * Signals are blocked while it is held: a handler that makes a profiled
 * call (a function's or a thread's first) would otherwise wait forever for
 * the lock its own thread holds.  Delivery is only delayed.
 */
#include <pthread.h>
#include <signal.h>

#include "base/base.h"

static pthread_mutex_t rt_mutex = PTHREAD_MUTEX_INITIALIZER;
static sigset_t held_mask; /* the holder's mask before it locked */

static void block_all(sigset_t *old) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, old);
}

void rt_lock(void) {
  sigset_t old;
  block_all(&old);
  pthread_mutex_lock(&rt_mutex);
  held_mask = old;
}

int rt_trylock(void) {
  sigset_t old;
  block_all(&old);
  int r = pthread_mutex_trylock(&rt_mutex);
  if (r == 0)
    held_mask = old;
  else
    pthread_sigmask(SIG_SETMASK, &old, NULL);
  return r;
}

void rt_unlock(void) {
  sigset_t old = held_mask;
  pthread_mutex_unlock(&rt_mutex);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
}
