/*
 * process.c - which process this is: the executable's path (the
 * profile's first string) and whether it is a forked child (whose profile
 * goes beside its parent's, output.c).
 */
#include <unistd.h>

#include "base/base.h"

int rt_forked_child;

/* Read at start-up (init.c) and kept: later the file may be gone. */
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
