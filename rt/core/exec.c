/*
 * exec.c - the profile survives exec, vfork and _exit.
 *
 * A successful exec replaces the process image without running atexit
 * handlers, so every exec function here writes the profile first, then
 * calls the C library's (found with dlsym(RTLD_NEXT)).  If the exec fails
 * the program goes on and writes again at exit.  The l-variants build an
 * argument vector and go through the v-variants.
 *
 * _exit and _Exit skip atexit handlers, and so our dump: they write the
 * profile first too, but wait for the runtime's lock only a while (they
 * may run in a signal handler, while another thread writes for ever to a
 * full pipe).
 *
 * A static program (-static) has no dynamic symbols for dlsym to find:
 * there these call the kernel directly, and execvp and execvpe search
 * PATH themselves (static_execvpe).
 *
 * A vfork child shares its parent's memory, so a profiled call in the
 * child, or the dump before its exec, would write into the parent's
 * profile.  Under cprof, vfork is fork, which POSIX allows.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/core.h"
#include "cprof.h"

typedef int execve_fn(const char *, char *const[], char *const[]);
typedef int execv_fn(const char *, char *const[]);
typedef int fexecve_fn(int, char *const[], char *const[]);

static void *real(const char *name) { return dlsym(RTLD_NEXT, name); }

static void before_exec(void) { cprof_dump(NULL); }

static int sys_execve(const char *path, char *const argv[],
                      char *const envp[]) {
  return (int)syscall(SYS_execve, path, argv, envp);
}

/*
 * execvpe for a static program: each directory of PATH in turn, going on
 * past one that has no such file (or forbids it, which is reported if
 * nothing else is found), as the C library does.
 */
static int static_execvpe(const char *file, char *const argv[],
                          char *const envp[]) {
  const char *path = getenv("PATH");
  char full[PATH_MAX];
  int err = ENOENT;
  if (strchr(file, '/'))
    return sys_execve(file, argv, envp);
  for (const char *dir = path ? path : "/bin:/usr/bin";; dir++) {
    const char *end = strchrnul(dir, ':');
    int n = end == dir ? snprintf(full, sizeof full, "%s", file)
                       : snprintf(full, sizeof full, "%.*s/%s",
                                  (int)(end - dir), dir, file);
    if (n < (int)sizeof full) {
      sys_execve(full, argv, envp);
      if (errno == EACCES)
        err = EACCES;
      else if (errno != ENOENT && errno != ENOTDIR)
        return -1;
    }
    if (!*(dir = end))
      break;
  }
  errno = err;
  return -1;
}

RT_API int execve(const char *path, char *const argv[], char *const envp[]) {
  execve_fn *f = (execve_fn *)real("execve");
  before_exec();
  return f ? f(path, argv, envp) : sys_execve(path, argv, envp);
}

RT_API int execvpe(const char *file, char *const argv[], char *const envp[]) {
  execve_fn *f = (execve_fn *)real("execvpe");
  before_exec();
  return f ? f(file, argv, envp) : static_execvpe(file, argv, envp);
}

RT_API int execv(const char *path, char *const argv[]) {
  execv_fn *f = (execv_fn *)real("execv");
  before_exec();
  return f ? f(path, argv) : sys_execve(path, argv, environ);
}

RT_API int execvp(const char *file, char *const argv[]) {
  execv_fn *f = (execv_fn *)real("execvp");
  before_exec();
  return f ? f(file, argv) : static_execvpe(file, argv, environ);
}

RT_API int fexecve(int fd, char *const argv[], char *const envp[]) {
  fexecve_fn *f = (fexecve_fn *)real("fexecve");
  before_exec();
  if (f)
    return f(fd, argv, envp);
  return (int)syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
}

/*
 * The l-variants: count the arguments (NULL included), then copy them
 * into an array on the stack.  Only execle has an envp after the NULL.
 */
static size_t count_args(const char *arg0, va_list ap) {
  size_t n = 1;
  for (const char *a = arg0; a; a = va_arg(ap, const char *))
    n++;
  return n;
}

static void copy_args(char **argv, const char *arg0, va_list ap) {
  size_t i = 0;
  argv[0] = (char *)arg0;
  while (argv[i])
    argv[++i] = va_arg(ap, char *);
}

enum list_kind { EXECL, EXECLP, EXECLE };

static int exec_list(enum list_kind kind, const char *target, const char *arg0,
                     va_list ap) {
  va_list counting;
  va_copy(counting, ap);
  size_t n = count_args(arg0, counting);
  va_end(counting);
  char *argv[n];
  copy_args(argv, arg0, ap);
  switch (kind) {
  case EXECLP:
    return execvp(target, argv);
  case EXECLE:
    return execve(target, argv, va_arg(ap, char *const *));
  default:
    return execv(target, argv);
  }
}

RT_API int execl(const char *path, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  int r = exec_list(EXECL, path, arg, ap);
  va_end(ap);
  return r;
}

RT_API int execlp(const char *file, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  int r = exec_list(EXECLP, file, arg, ap);
  va_end(ap);
  return r;
}

RT_API int execle(const char *path, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  int r = exec_list(EXECLE, path, arg, ap);
  va_end(ap);
  return r;
}

RT_API pid_t vfork(void) { return fork(); }

static void before_exit(void) {
  char written[RT_PATH_MAX];
  if (rt_lock_briefly() < 0) {
    rt_warn("the runtime stayed busy; profile not written");
    return;
  }
  rt_dump(NULL, 0, written);
  rt_unlock();
}

/* _exit and _Exit are the same call; a static program makes it itself. */
RT_API void _exit(int status) {
  void (*f)(int) = (void (*)(int))real("_exit");
  before_exit();
  if (f)
    f(status);
  syscall(SYS_exit_group, status);
  __builtin_unreachable();
}

RT_API void _Exit(int status) { _exit(status); }
