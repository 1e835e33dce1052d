/*
 * lock.c - the one lock of the runtime, for its rare paths only:
 * a thread's first call, a function's first call, dump, reset, fork.
 *
 * Signals are blocked while it is held: a handler that makes a profiled
 * call (a function's or a thread's first) would otherwise wait forever for
 * the lock its own thread holds.  Delivery is only delayed.  So a signal
 * handler never runs on the thread that holds it: one that must not wait
 * for ever (a dump as the program dies) waits a while for another thread.
 */
#include <pthread.h>
#include <signal.h>
#include <time.h>

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

/* Rare paths and dumps hold it for milliseconds: a second is ample. */
#define BRIEF_TRIES 1000
#define BRIEF_PAUSE_NS 1000000

int rt_lock_briefly(void) {
  sigset_t old;
  for (int i = 0; i < BRIEF_TRIES; i++) {
    block_all(&old);
    if (pthread_mutex_trylock(&rt_mutex) == 0) {
      held_mask = old;
      return 0;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    struct timespec pause = {0, BRIEF_PAUSE_NS};
    nanosleep(&pause, NULL);
  }
  return -1;
}

void rt_unlock(void) {
  sigset_t old = held_mask;
  pthread_mutex_unlock(&rt_mutex);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
}
