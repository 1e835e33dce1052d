/*
 * api.c - start-up, the exit dump, and the user API of cprof.h.
 *
 * Environment (documented in the README):
 *   CPROF_OUT        output path pattern, %p = process id (default cprof.out)
 *   CPROF_START=0    start with recording off (cprof_enable() turns it on)
 *   CPROF_MAX_DEPTH  profiled frames per thread (default 2097152)
 *   CPROF_DUMP_SIGNAL, CPROF_DUMP_INTERVAL: see request.c
 *   CPROF_MEMORY=1   trace malloc, free & co. (memory_hooks.c, docs/memory.md)
 *
 * The runtime never aborts the program it profiles: problems are one
 * "cprof:" line on stderr and the program goes on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "cprof.h"
#include "rt.h"

int rt_enabled = 1;

void rt_warn(const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line - 1, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n > sizeof line - 2)
    n = sizeof line - 2;
  line[n++] = '\n';
  /* write(2), not stdio: this may run at exit or in a signal handler. */
  if (write(2, "cprof: ", 7) < 0 || write(2, line, (size_t)n) < 0)
    return;
}

const char *rt_program_name(void) {
  static char path[4096];
  if (!path[0]) {
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
      n = 0;
    path[n] = 0;
  }
  return path;
}

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

static void dump_at_exit(void) { cprof_dump(NULL); }

/* Early, so that our atexit handler runs after the program's own. */
__attribute__((constructor(101))) static void rt_init(void) {
  const char *start = getenv("CPROF_START");
  rt_clock_start();
  rt_calibrate();
  rt_program_name();
  if (start && strcmp(start, "0") == 0)
    rt_enabled = 0;
  atexit(dump_at_exit);
  rt_request_init();
  rt_memory_init(); /* last: the runtime's own set-up is not traced */
}

/* Instrumented code refers to it: a link without -lcprof says what to add. */
RT_API const char __cprof_runtime__link_with_lcprof[] = "libcprof";
