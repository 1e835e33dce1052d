/*
 * timeit_cmd.h - what `cprof timeit` (timeit.c) shares with its line table
 * (timeit_lines.c).
 */
#ifndef CPROF_DRIVER_TIMEIT_H
#define CPROF_DRIVER_TIMEIT_H

#include <stdio.h>

#include "driver.h"

struct timeit_opts {
  const char *setup, *loops, *runs, *cc, *level;
  struct argv include_dirs, headers, libs;
  int json;
  int lines;  /* --lines: the line table per loop */
  int memory; /* --memory: with allocations per loop */
};

/* The user's TEXT, where the compiler's messages call it NAME, from its
 * line LINE; what follows (generated code) is FOLLOW's line FOLLOW_LINE. */
void timeit_put_user_code(FILE *f, const char *name, int line, const char *text,
                          const char *follow, int follow_line);

/* cprof/timeit.h and the --include headers' #include lines. */
void timeit_put_headers(FILE *f, const struct timeit_opts *o);
/* The compiler's arguments after its name: -O, -I, SRC, -o EXE, -l. */
void timeit_push_build(struct argv *cmd, const struct timeit_opts *o,
                       const char *src, const char *exe);

/*
 * --lines: builds the statements again with the plugin in line-hits mode
 * (through this driver), runs each a fixed number of loops, and prints
 * the hits of each of its lines per loop (and, with --memory, the
 * allocations); in the work directory DIR.  Returns the exit status.
 */
int timeit_lines(const struct timeit_opts *o, const char *dir, char **stmts,
                 int count);

#endif
