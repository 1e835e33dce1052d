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
 *   CPROF_SIGNALS=0  no profile when a signal ends the program (signals.c)
 *   CPROF_REPORT=stderr[:OPTIONS]  prstats at exit (report.c)
 * All are read by base/env.c.
 *
 * The runtime never aborts the program it profiles: problems are one
 * "cprof:" line on stderr and the program goes on.
 */
#include "base/clock.h"
#include "core/core.h"
#include "cprof.h"

int rt_enabled = 1;
struct rt_hooks rt_hooks; /* filled in by rt/init.c */

/*
 * The file is written under the lock too: a dump that begins while
 * another writes (a signal's as the program dies, a periodic one) comes
 * after it, and no two share a temporary file.
 */
int rt_dump(const char *pattern, int signal, char path[RT_PATH_MAX]) {
  struct rt_buffer b = {0};
  int r = rt_serialize(&b, rt_ticks(), signal);
  if (r < 0)
    rt_warn("out of memory while building the profile; not written");
  else
    r = rt_write_file(pattern ? pattern : rt_default_output(), &b, path);
  rt_buffer_free(&b);
  return r;
}

static int dump_waiting(const char *pattern, char path[RT_PATH_MAX]) {
  rt_lock();
  int r = rt_dump(pattern, 0, path);
  rt_unlock();
  return r;
}

RT_API int cprof_dump(const char *path) {
  char written[RT_PATH_MAX];
  return dump_waiting(path, written);
}

void rt_exit_dump(void) {
  char written[RT_PATH_MAX];
  rt_sampler_quiet();
  rt_calibrate();
  if (dump_waiting(NULL, written) == 0)
    rt_report(written);
}

RT_API void cprof_enable(void) {
  __atomic_store_n(&rt_enabled, 1, __ATOMIC_RELAXED);
}
RT_API void cprof_disable(void) {
  __atomic_store_n(&rt_enabled, 0, __ATOMIC_RELAXED);
}

/* Instrumented code refers to it: a link without -lcprof says what to add. */
RT_API const char CPROF_LINK_SYMBOL[] = "libcprof";
