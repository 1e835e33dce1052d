/*
 * output.c - where the profile goes, and writing it atomically.
 *
 * The file is written beside its final name and renamed into place, so a
 * reader sees the old profile or the new one, never half of one; on any
 * error the old file is left as it was.
 */
#define _GNU_SOURCE /* fallocate */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

#define DEFAULT_OUTPUT "cprof.out"

/* Only %p and %% are escapes: any other % is a mistake (%d?). */
static int valid_pattern(const char *pattern) {
  for (const char *p = strchr(pattern, '%'); p; p = strchr(p + 2, '%'))
    if (p[1] != 'p' && p[1] != '%')
      return 0;
  return 1;
}

/* Read at every dump (a program may set it); a bad one warns once. */
const char *rt_default_output(void) {
  static int warned;
  const char *env = rt_env("CPROF_OUT");
  if (!env || valid_pattern(env))
    return env ? env : DEFAULT_OUTPUT;
  if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
    rt_env_bad("CPROF_OUT", env, "a % not followed by p or %", DEFAULT_OUTPUT);
  return DEFAULT_OUTPUT;
}

/* Expand %p (process id) and %% in `pattern`. */
static int expand(char *out, size_t size, const char *pattern) {
  size_t n = 0;
  for (const char *p = pattern; *p; p++) {
    int w;
    if (p[0] == '%' && p[1] == 'p') {
      w = snprintf(out + n, size - n, "%ld", (long)getpid());
      p++;
    } else if (p[0] == '%' && p[1] == '%') {
      w = snprintf(out + n, size - n, "%%");
      p++;
    } else {
      w = snprintf(out + n, size - n, "%c", *p);
    }
    if (w < 0 || (size_t)w >= size - n)
      return -1;
    n += (size_t)w;
  }
  return 0;
}

static int write_all(int fd, const char *data, size_t size) {
  while (size) {
    ssize_t w = write(fd, data, size);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    data += w;
    size -= (size_t)w;
  }
  return 0;
}

static int write_fd_path(const char *path, int flags,
                         const struct rt_buffer *b) {
  int fd = open(path, O_WRONLY | O_CLOEXEC | flags, 0644);
  if (fd < 0)
    return -1;
  /*
   * A new file takes its blocks at once.  Otherwise ext4 allocates them
   * when rename() replaces an older file (it flushes the new one first),
   * which costs more than the writing on a large profile.  Where this is
   * not supported the writes allocate as usual.
   */
  if (flags & O_CREAT)
    (void)fallocate(fd, 0, 0, (off_t)b->size);
  if (write_all(fd, b->data, b->size) < 0) {
    int e = errno ? errno : ENOSPC;
    close(fd);
    errno = e;
    return -1;
  }
  return close(fd);
}

/* A forked child whose pattern has no %p writes beside its parent's file. */
static int output_path(char *path, size_t size, const char *pattern) {
  if (expand(path, size, pattern) < 0)
    return -1;
  if (rt_forked_child && !strstr(pattern, "%p")) {
    size_t n = strlen(path);
    int w = snprintf(path + n, size - n, ".%ld", (long)getpid());
    if (w < 0 || (size_t)w >= size - n)
      return -1;
  }
  return 0;
}

int rt_write_file(const char *pattern, const struct rt_buffer *b,
                  char path[RT_PATH_MAX]) {
  char tmp[RT_PATH_MAX + 32];
  struct stat st;
  if (output_path(path, RT_PATH_MAX, pattern) < 0) {
    rt_warn("%s: output path too long; profile not written", pattern);
    return -1;
  }
  /* A device or a pipe (/dev/null, /dev/stdout) is written, never replaced. */
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode))
      errno = EISDIR;
    else if (write_fd_path(path, 0, b) == 0)
      return 0;
    rt_warn("cannot write %s: %s; profile not written", path, strerror(errno));
    return -1;
  }
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  errno = 0;
  if (write_fd_path(tmp, O_CREAT | O_EXCL, b) < 0 || rename(tmp, path) < 0) {
    rt_warn("cannot write %s: %s; profile not written", path, strerror(errno));
    unlink(tmp);
    return -1;
  }
  return 0;
}
