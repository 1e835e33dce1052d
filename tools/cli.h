/*
 * cli.h - prstats' command line: options, views and output formats.
 */
#ifndef PRSTATS_CLI_H
#define PRSTATS_CLI_H

#include "report.h"

/* An output format: the text views, or one writer of the whole profile. */
struct format {
  const char *name;
  report_fn *write; /* NULL: the text views chosen by the options */
  int binary;       /* not for a terminal */
  const char *help;
  int paths;        /* reads the call paths (struct stats' `folded`) */
};

enum {
  VIEW_CALLERS = 1,
  VIEW_CALLEES = 2,
  VIEW_LINES = 4,
  VIEW_PERCENTILES = 8,
};

struct cli {
  struct report_opts opts; /* its restrictions point into `restrictions` */
  struct restriction *restrictions;
  int nrestrictions;
  int views; /* VIEW_* bits; none = the pstats table */
  const struct format *format;
  const char *output;
  int raw, strip; /* how the files are read (struct stats) */
  int browse;     /* run the interactive browser */
  int diff;       /* --diff BEFORE AFTER */
  char **files;
  int nfiles;
};

/*
 * Parses argv.  Returns 0, or -1 after printing the problem and a hint
 * (exit status 2).  --help and --version print and exit.
 */
int cli_parse(struct cli *c, int argc, char **argv);

void cli_free(struct cli *c);

#endif /* PRSTATS_CLI_H */
