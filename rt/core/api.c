/*
 * api.c - the user API of cprof.h, and writing the profile out.
 *
 * Environment (documented in the README; read at start-up by rt/init.c):
 *   CPROF_OUT        output path pattern, %p = process id (default cprof.out)
 *   CPROF_START=0    start with recording off (cprof_enable() turns it on)
 *   CPROF_MAX_DEPTH  profiled frames per thread (thread.c)
 *   CPROF_DUMP_SIGNAL, CPROF_DUMP_INTERVAL: see request.c
 *   CPROF_TIMER=ordered: see base/clock.h
 *   CPROF_MEMORY=1   trace malloc, free & co. (rt/memory/, docs/memory.md)
 *
 * The runtime never aborts the program it profiles: problems are one
 * "cprof:" line on stderr and the program goes on.
 */
#include "base/clock.h"
#include "core/core.h"
#include "cprof.h"

int rt_enabled = 1;
struct rt_hooks rt_hooks; /* filled in by rt/init.c */

/* wait = 0: give up (and say so) when the runtime's lock is held. */
int rt_dump(const char *path, int wait) {
  struct rt_buffer b = {0};
  if (!wait && rt_trylock() != 0) {
    rt_warn("the runtime is busy (a signal handler exits?); profile not "
            "written");
    return -1;
  }
  if (wait)
    rt_lock();
  int r = rt_serialize(&b, rt_ticks());
  rt_unlock();
  if (r < 0)
    rt_warn("out of memory while building the profile; not written");
  else
    r = rt_write_file(path ? path : rt_default_output(), &b);
  rt_buffer_free(&b);
  return r;
}

RT_API int cprof_dump(const char *path) { return rt_dump(path, 1); }

RT_API void cprof_enable(void) { __atomic_store_n(&rt_enabled, 1, __ATOMIC_RELAXED); }
RT_API void cprof_disable(void) { __atomic_store_n(&rt_enabled, 0, __ATOMIC_RELAXED); }
