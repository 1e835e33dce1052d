/*
 * process.c - which process this is: the executable's path (the
 * profile's first string) and whether it is a forked child (whose profile
 * goes beside its parent's, output.c); and its threads' ids and names.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
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

uint32_t rt_tid(void) { return (uint32_t)syscall(SYS_gettid); }

/*
 * The kernel's name of thread `tid` (pthread_setname_np sets it), into
 * name[16]; left as it was when the thread is gone.  Another thread's is
 * read from /proc: nothing may be asked of it.  Async-signal-safe, as the
 * dump of a fatal signal needs.
 */
void rt_thread_name_of(uint32_t tid, char name[16]) {
  char path[48] = "/proc/self/task/", digits[12], *p = path + 16;
  size_t k = 0;
  ssize_t n;
  int fd;

  if (tid == rt_tid()) {
    prctl(PR_GET_NAME, name);
    return;
  }
  do /* no snprintf: not async-signal-safe */
    digits[k++] = (char)('0' + tid % 10);
  while ((tid /= 10) != 0);
  while (k)
    *p++ = digits[--k];
  memcpy(p, "/comm", 6);
  if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
    return;
  n = read(fd, name, 15);
  close(fd);
  if (n > 0)
    name[name[n - 1] == '\n' ? n - 1 : n] = '\0';
}
