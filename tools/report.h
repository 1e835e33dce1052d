/*
 * report.h - the outputs of prstats, one file per format.
 *
 * Every report has the same signature so prstats.c can run them from a
 * table; each returns 0, or -1 after printing one "prstats:" line.
 */
#ifndef PRSTATS_REPORT_H
#define PRSTATS_REPORT_H

#include <stdio.h>

#include "sort.h"
#include "stats.h"

struct report_opts {
  struct sort_spec sort;
  size_t limit;           /* -n: at most this many functions, 0 = all */
  int precision;          /* decimals of seconds in the pstats layouts */
  const char *lines_func; /* -l FUNC: only this function, NULL = all */
  double unit;            /* -u: seconds per unit of the line report */
  int skip_zero;          /* -z: leave out functions that never ran */
  char *const *files;     /* the input files, for the pstats title */
  int nfiles;
};

typedef int report_fn(FILE *out, const struct stats *s,
                      const struct report_opts *o);

report_fn report_stats;   /* report_text.c: pstats print_stats */
report_fn report_callers; /* report_text.c: pstats print_callers */
report_fn report_callees; /* report_text.c: pstats print_callees */
report_fn report_lines;   /* report_lines.c: line_profiler */
report_fn report_json;    /* report_json.c: the --format json schema */

/*
 * The functions a pstats view shows: those that ran (cProfile never lists
 * a function it saw no call of; a reset or a fork leaves such records),
 * sorted by o->sort.  Returns a malloc'ed array of *ran indexes, of which
 * the first *n survive o->limit.
 */
uint32_t *report_select(const struct stats *s, const struct report_opts *o,
                        size_t *ran, size_t *n);

#endif /* PRSTATS_REPORT_H */
