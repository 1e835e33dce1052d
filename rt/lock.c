/*
 * lock.c - the one lock of the runtime, for its rare paths only:
 * a thread's first call, a function's first call, dump, reset, fork.
 */
#include <pthread.h>

#include "rt.h"

static pthread_mutex_t rt_mutex = PTHREAD_MUTEX_INITIALIZER;

void rt_lock(void) { pthread_mutex_lock(&rt_mutex); }
void rt_unlock(void) { pthread_mutex_unlock(&rt_mutex); }
int rt_trylock(void) { return pthread_mutex_trylock(&rt_mutex); }
