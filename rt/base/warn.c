/*
 * warn.c - what the runtime says: one line starting "cprof: ", and the
 * program goes on.  A broken invariant (RT_ASSERT, only in debug and
 * sanitizer builds) is the one exception: it says where, and traps.
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "base/base.h"

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

#ifdef CPROF_RT_ASSERT
void rt_assert_failed(const char *file, int line, const char *cond) {
  rt_warn("%s:%d: internal error: %s is false", file, line, cond);
  __builtin_trap();
}
#endif
