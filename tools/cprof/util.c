/*
 * util.c - what the driver's subcommands share: argument vectors,
 * messages, running a child, the instrumentation options.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver.h"

void driver_error(const char *fmt, ...) {
  va_list ap;

  va_start(ap, fmt);
  fputs("cprof: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static void *grow(void *p, size_t size) {
  p = realloc(p, size);
  if (!p) {
    driver_error("out of memory");
    exit(127);
  }
  return p;
}

void argv_push(struct argv *a, const char *s) {
  if (a->n + 2 > a->cap) {
    a->cap = a->cap ? 2 * a->cap : 16;
    a->v = grow(a->v, a->cap * sizeof *a->v);
  }
  a->v[a->n++] = s ? strdup(s) : NULL;
  a->v[a->n] = NULL;
}

void argv_free(struct argv *a) {
  for (size_t i = 0; i < a->n; i++)
    free(a->v[i]);
  free(a->v);
  *a = (struct argv){0};
}

void argv_pushf(struct argv *a, const char *fmt, ...) {
  va_list ap;
  char *s;

  va_start(ap, fmt);
  if (vasprintf(&s, fmt, ap) < 0)
    s = NULL;
  va_end(ap);
  if (!s) {
    driver_error("out of memory");
    exit(127);
  }
  argv_push(a, s);
  free(s);
}

/*
 * As system(3) does: while the child runs, Ctrl-C and Ctrl-\ are the
 * child's alone (the parent has work left, a report to print), and the
 * child starts with the dispositions the parent was given.
 */
int driver_spawn(char *const argv[]) {
  struct sigaction ignore = {.sa_handler = SIG_IGN}, old_int, old_quit;
  int status = 0;
  pid_t pid;

  sigemptyset(&ignore.sa_mask);
  sigaction(SIGINT, &ignore, &old_int);
  sigaction(SIGQUIT, &ignore, &old_quit);
  pid = fork();
  if (pid == 0) {
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    execvp(argv[0], argv);
    driver_error("cannot run %s: %s", argv[0], strerror(errno));
    _exit(127);
  }
  if (pid < 0)
    driver_error("cannot start %s: %s", argv[0], strerror(errno));
  while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGQUIT, &old_quit, NULL);
  if (pid < 0)
    return 127;
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int driver_plugin_options(int argc, char **argv, struct argv *keys) {
  int i;

  for (i = 0; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    if (argv[i][2] == '\0' || argv[i][2] == '-') {
      driver_error("'%s' is not an instrumentation option", argv[i]);
      return -1;
    }
    argv_push(keys, argv[i] + 2);
  }
  return i;
}

int driver_is_compiler(const char *name) {
  static const char *const compilers[] = {"gcc",     "g++", "clang",
                                          "clang++", "cc",  "c++"};
  const char *base = strrchr(name, '/');

  base = base ? base + 1 : name;
  for (size_t i = 0; i < sizeof compilers / sizeof compilers[0]; i++) {
    const char *hit = strstr(base, compilers[i]);
    size_t len = strlen(compilers[i]);

    /* gcc, gcc-12, x86_64-linux-gnu-gcc-12; not "gccgo" or "ccache". */
    if (hit && (hit == base || hit[-1] == '-') &&
        (hit[len] == '\0' || hit[len] == '-'))
      return 1;
  }
  return 0;
}

/* The file PATH lookup would run for NAME, with symlinks resolved. */
int driver_which(const char *name, char *out) {
  if (strchr(name, '/'))
    return realpath(name, out) != NULL;

  const char *path = getenv("PATH");
  char dir[PATH_MAX + 1], file[2 * PATH_MAX + 2];

  while (path && *path) {
    size_t len = strcspn(path, ":");

    snprintf(dir, sizeof dir, "%.*s", (int)len, path);
    snprintf(file, sizeof file, "%s/%s", len ? dir : ".", name);
    if (access(file, X_OK) == 0 && realpath(file, out))
      return 1;
    path += len + (path[len] == ':');
  }
  return 0;
}
