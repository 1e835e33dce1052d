/*
 * prstats.h - the prstats command: its parsed command line and its modes.
 *
 * One parser (cli.c) reads every option into struct cli and picks the
 * mode; main.c runs it from its table.  Each mode is a file: report.c,
 * export.c, diff.c, browse.c (with browse_line.c, its input) and
 * memory.c, which also takes the options of the memory reports.
 */
#ifndef PRSTATS_H
#define PRSTATS_H

#include <stddef.h>
#include <stdio.h>

#include "cprof-read/memory.h"
#include "cprof-read/report.h"

enum mode {
  MODE_REPORT, /* the text views of the merged FILEs */
  MODE_EXPORT, /* -f FORMAT: the whole profile in another tool's format */
  MODE_DIFF,   /* --diff BEFORE AFTER */
  MODE_BROWSE, /* -i */
  MODE_MEMORY, /* --memory, --leaks: the memory trace */
};

struct cli {
  enum mode mode;
  struct report_opts opts; /* its restrictions point into `restrictions` */
  struct restriction *restrictions;
  int nrestrictions;
  unsigned views; /* bit k: the view report_ops[k]; none: the pstats table */
  const struct report_op *format; /* -f, or NULL; "text" has no fn */
  const char *output;
  int raw, strip; /* how the files are read (struct stats) */
  long thread;    /* --thread N, -1: every thread */
  int browse;     /* -i */
  int diff;
  struct mem_report memory; /* MODE_MEMORY */
  char **files;
  int nfiles;
};

/* One option as getopt_long returned it, and its spelling for messages. */
struct cli_option {
  int opt; /* a letter or a CLI_* code; '?' unknown, ':' value missing */
  const char *arg;
  const char *word; /* "--sort", "-s", or the word not understood */
  char letter[3];   /* storage behind a short option's word */
};

enum {
  CLI_CALLERS = 256,
  CLI_CALLEES,
  CLI_PERCENTILES,
  CLI_REVERSE,
  CLI_STRIP,
  CLI_RAW,
  CLI_DIFF,
  CLI_MEMORY,
  CLI_LEAKS,
  CLI_ICICLE,
  CLI_THREAD,
  CLI_THREADS,
};

/*
 * Parses argv into c and sets c->mode.  Returns 0, or -1 after printing
 * the problem and a hint (exit status 2).  --help and --version print and
 * exit.
 */
int cli_parse(struct cli *c, int argc, char **argv);
void cli_free(struct cli *c);

/* Prints "prstats: invalid value 'ARG' for OPT: WANT"; returns -1. */
int cli_bad_value(const char *opt, const char *arg, const char *want);

/* No FILE: ./cprof.out, where the runtime writes by default. */
void cli_default_file(struct cli *c);

/* s initialised to read the files as the options say (--raw, --strip, -f). */
void cli_stats_init(const struct cli *c, struct stats *s);

/*
 * A profile in which no profiled function ran is not silently empty: one
 * line on stderr says what to check (the plugins, the driver).
 */
void cli_check_ran(const struct stats *s, char *const *files, int nfiles);

/*
 * Merges every FILE as the options say and writes write(out, c, s) to
 * stdout or to -o FILE: report.c's and export.c's mode.
 */
typedef int cli_write_fn(FILE *out, const struct cli *c, const struct stats *s);
int cli_write_merged(const struct cli *c, cli_write_fn *write);

/* memory.c: MODE_MEMORY's options, one at a time, then together. */
int memory_option(struct cli *c, const struct cli_option *o);
int memory_check(struct cli *c);

/* The browser's `memory [GROUP]`: FILE's memory report on stdout. */
int memory_show(char *file, const char *group);

/* The modes; each returns 0, or -1 after saying what failed (exit 1). */
int run_report(const struct cli *c);
int run_export(const struct cli *c);
int run_diff(const struct cli *c);
int run_browse(const struct cli *c);
int run_memory(const struct cli *c);

/*
 * browse_line.c: the browser's input lines.  On a terminal, with GNU
 * readline when prstats was built with it: history, and completion of
 * command(0), command(1)... as the first word, sort keys after "sort",
 * function(0), function(1)... after "lines", else file names (each list
 * ends with NULL).  line_next returns a malloc'ed line without its
 * newline, NULL at the end of input.
 */
void line_open(int tty, const char *(*command)(size_t i),
               const char *(*function)(size_t i));
char *line_next(void);

#endif /* PRSTATS_H */
