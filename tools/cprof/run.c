/*
 * run.c - `cprof run PROG`: run a program built with cprof, then print
 * its report, as `python -m cProfile -s cumtime app.py` and
 * `kernprof -l -v` do in one command.
 *
 * With --sample[=HZ] any dynamically linked program will do, built with
 * cprof or not: libcprof is preloaded (LD_PRELOAD) and samples its
 * threads' stacks (CPROF_SAMPLE, docs/sampling.md).
 *
 * The program's profile goes to -o FILE (else $CPROF_OUT, else
 * cprof.out) and stays there for prstats; the exit status is the
 * program's, so `cprof run` can stand in for the program in scripts.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"

struct run_opts {
  const char *output, *sort, *limit;
  const char *sample; /* --sample[=HZ]: the rate, NULL: not sampling */
  int lines, memory;
};

/* Returns the index of PROG in argv; -1: none given; -2: after a message. */
static int parse(int argc, char **argv, struct run_opts *o) {
  int i;

  for (i = 0; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    const char **value = strcmp(a, "-o") == 0   ? &o->output
                         : strcmp(a, "-s") == 0 ? &o->sort
                         : strcmp(a, "-n") == 0 ? &o->limit
                                                : NULL;
    if (strcmp(a, "--") == 0)
      return i + 1 < argc ? i + 1 : -1;
    if (value) {
      if (++i == argc)
        return -1;
      *value = argv[i];
    } else if (strcmp(a, "-l") == 0) {
      o->lines = 1;
    } else if (strcmp(a, "--memory") == 0) {
      o->memory = 1;
    } else if (strcmp(a, "--sample") == 0) {
      o->sample = "1000";
    } else if (strncmp(a, "--sample=", 9) == 0) {
      o->sample = a + 9;
    } else {
      driver_error("run: unknown option '%s' (cprof run --help)", a);
      return -2;
    }
  }
  return i < argc ? i : -1;
}

static int report(const struct run_opts *o, const char *file) {
  struct argv cmd = {0};

  argv_push(&cmd, driver_paths()->prstats);
  if (o->sort)
    argv_pushf(&cmd, "--sort=%s", o->sort);
  if (o->limit)
    argv_pushf(&cmd, "--limit=%s", o->limit);
  if (o->lines)
    argv_push(&cmd, "--lines");
  if (o->memory)
    argv_push(&cmd, "--memory");
  argv_push(&cmd, file);
  int status = driver_spawn(cmd.v);
  argv_free(&cmd);
  return status;
}

/* CPROF_SAMPLE=HZ, with libcprof first in LD_PRELOAD. */
static int preload_sampler(const char *hz) {
  char *end;
  long v = strtol(hz, &end, 10);
  if (*hz == '\0' || *end || v < 1 || v > 100000) {
    driver_error("run: --sample=%s: a rate from 1 to 100000 per second", hz);
    return -1;
  }
  const char *old = getenv("LD_PRELOAD");
  struct argv lib = {0};
  argv_pushf(&lib, "%s/libcprof.so%s%s", driver_paths()->lib_dir,
             old && *old ? ":" : "", old ? old : "");
  setenv("LD_PRELOAD", lib.v[0], 1);
  setenv("CPROF_SAMPLE", hz, 1);
  argv_free(&lib);
  return 0;
}

int cmd_run(int argc, char **argv) {
  struct run_opts o = {0};
  int prog = parse(argc, argv, &o);

  if (prog == -2)
    return 2;
  if (prog < 0) {
    driver_error("run: no program given (cprof run [OPTION]... -- PROG)");
    return 2;
  }
  char real[PATH_MAX];
  if (!driver_which(argv[prog], real)) {
    driver_error("run: %s: no such program", argv[prog]);
    return 127;
  }
  const char *file = o.output              ? o.output
                     : getenv("CPROF_OUT") ? getenv("CPROF_OUT")
                                           : "cprof.out";
  if (strchr(file, '%')) {
    driver_error("run: '%s' is a pattern; cprof run needs a plain file name "
                 "(-o FILE)",
                 file);
    return 2;
  }
  setenv("CPROF_OUT", file, 1);
  if (o.memory)
    setenv("CPROF_MEMORY", "1", 1);
  if (o.sample && preload_sampler(o.sample) < 0)
    return 2;
  unlink(file); /* an old profile must not pass for this run's */

  int status = driver_spawn(argv + prog);

  if (access(file, R_OK) != 0) {
    driver_error("%s wrote no profile to %s: was it built with cprof "
                 "(cprof gcc ...)?",
                 argv[prog], file);
    return status ? status : 1;
  }
  fflush(stdout);
  int rc = report(&o, file);
  return status ? status : rc;
}
