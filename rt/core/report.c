/*
 * report.c - CPROF_REPORT=stderr[:OPTIONS]: at exit, once the profile is
 * written, prstats prints its report on stderr, as `cprof run` does, for
 * programs that other tools start (test runners, build systems).
 *
 * OPTIONS are prstats' own, split at spaces and tabs (no quoting):
 * CPROF_REPORT="stderr:-s tottime -n 10".  The prstats run is
 * $CPROF_PRSTATS, else LIBDIR/../bin/prstats beside the library the
 * runtime is in (an install's layout, and the build tree's: build/rt/,
 * build/bin/), else prstats on PATH.  A forked child that exits writes its
 * own file and reports nothing: the report asked for is its parent's.
 */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/core.h"

extern char **environ;

#define VAR "CPROF_REPORT"
#define SPACES " \t"

/* The options after "stderr:" ("" for "stderr"); NULL: no report. */
static const char *report_options(void) {
  const char *v = rt_env(VAR);
  if (!v)
    return NULL;
  if (strcmp(v, "stderr") == 0)
    return "";
  if (strncmp(v, "stderr:", 7) == 0)
    return v + 7;
  rt_env_bad(VAR, v, "not stderr or stderr:OPTIONS", "none");
  return NULL;
}

/* LIBDIR/../bin/prstats, where LIBDIR holds the code of this function. */
static int beside_runtime(char *path, size_t size) {
  Dl_info info;
  const char *slash;
  if (!dladdr((void *)rt_report, &info) || !info.dli_fname ||
      !(slash = strrchr(info.dli_fname, '/')))
    return 0;
  int n = snprintf(path, size, "%.*s/../bin/prstats",
                   (int)(slash - info.dli_fname), info.dli_fname);
  return n > 0 && (size_t)n < size && access(path, X_OK) == 0;
}

static const char *find_prstats(char *path, size_t size) {
  const char *env = rt_env("CPROF_PRSTATS");
  if (env)
    return env;
  return beside_runtime(path, size) ? path : "prstats";
}

static size_t count_words(const char *s) {
  size_t n = 0;
  for (s += strspn(s, SPACES); *s; s += strspn(s, SPACES), n++)
    s += strcspn(s, SPACES);
  return n;
}

/* prstats' environment: ours without CPROF_REPORT, so that a prstats
 * under a preloaded runtime does not report on its own empty profile. */
static void copy_environment(char **env) {
  size_t k = 0;
  for (char **e = environ; *e; e++)
    if (strncmp(*e, VAR "=", sizeof VAR) != 0)
      env[k++] = *e;
  env[k] = NULL;
}

static void run_prstats(char **argv) {
  size_t nenv = 0;
  while (environ[nenv])
    nenv++;
  char *env[nenv + 1];
  copy_environment(env);
  /* The file actions take a little heap: harmless once the profile is out. */
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, 2, 1);
  fflush(stdout); /* the program's output comes first */
  pid_t pid;
  int r = posix_spawnp(&pid, argv[0], &actions, NULL, argv, env);
  posix_spawn_file_actions_destroy(&actions);
  if (r != 0) {
    rt_warn(VAR ": cannot run %s: %s", argv[0], strerror(r));
    return;
  }
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
    ;
}

void rt_report(const char *path) {
  const char *options = rt_forked_child ? NULL : report_options();
  if (!options)
    return;
  char prstats[RT_PATH_MAX], words[strlen(options) + 1];
  char *argv[count_words(options) + 3], **arg = argv, *save;
  *arg++ = (char *)find_prstats(prstats, sizeof prstats);
  strcpy(words, options);
  for (char *w = strtok_r(words, SPACES, &save); w;
       w = strtok_r(NULL, SPACES, &save))
    *arg++ = w;
  *arg++ = (char *)path;
  *arg = NULL;
  run_prstats(argv);
}
