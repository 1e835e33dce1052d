/*
 * report.h - the reports on a merged profile, one file per layout.
 *
 * Every report has the same signature and one entry in report_ops, the
 * table the command line, the browser and the fuzz target run them from;
 * each returns 0, or -1 after printing one "prstats:" line.
 */
#ifndef CPROF_READ_REPORT_H
#define CPROF_READ_REPORT_H

#include <stdio.h>

#include "cprof-read/restriction.h"
#include "cprof-read/sort.h"
#include "cprof-read/stats.h"

struct report_opts {
  struct sort_spec sort;
  int reverse; /* the sorted order upside down (pstats reverse_order) */
  const struct restriction *restrictions; /* applied in order */
  int nrestrictions;
  int precision;          /* decimals of seconds in the pstats layouts */
  const char *lines_func; /* -l FUNC: only this function, NULL = all */
  double unit;            /* -u: seconds per unit of the line report;
                             0: chosen by the report (report_lines.c) */
  int skip_zero;          /* -z: leave out functions that never ran */
  int icicle;             /* --icicle: the svg format's root at the top */
  char *const *files;     /* the input files, for the pstats title */
  int nfiles;
};

typedef int report_fn(FILE *out, const struct stats *s,
                      const struct report_opts *o);

report_fn report_stats;       /* report_text.c: pstats print_stats */
report_fn report_callers;     /* report_text.c: pstats print_callers */
report_fn report_callees;     /* report_text.c: pstats print_callees */
report_fn report_lines;       /* report_lines.c: line_profiler */
report_fn report_percentiles; /* report_pct.c: XRay account's table */
report_fn report_threads;     /* report_threads.c: each file's threads */
report_fn report_json;        /* report_json.c: the --format json schema */
report_fn export_pstats;      /* export_pstats.c: a marshal .prof file */
report_fn export_callgrind;   /* export_callgrind.c: callgrind format */
report_fn export_folded;      /* export_folded.c: folded stacks */
report_fn export_pprof;       /* export_pprof.c: pprof's profile.proto */
report_fn export_speedscope;  /* export_speedscope.c: speedscope's JSON */
report_fn export_svg;         /* export_svg.c: a flame graph */
report_fn export_html;        /* export_html.c: the page of the profile */

/*
 * What a report reads besides struct stats' functions (report_op.uses):
 * the options it takes (prstats refuses the others), and how it is loaded
 * and written.
 */
enum {
  REPORT_SORTED = 1,      /* the sort keys and --reverse */
  REPORT_FUNC = 2,        /* lines_func, unit and skip_zero: the line report */
  REPORT_PATHS = 4,       /* the call paths: load with struct stats' `folded` */
  REPORT_BINARY = 8,      /* bytes, not for a terminal */
  REPORT_RESTRICTED = 16, /* the restrictions (-n, -r) */
  REPORT_PRECISION = 32,  /* decimals of seconds (-p) */
  REPORT_ICICLE = 64,     /* --icicle: the flame graph upside down */
};

/* A view prints a part of the profile; a format writes all of it. */
enum report_kind { REPORT_VIEW, REPORT_FORMAT };

struct report_op {
  const char *name; /* the view's browser command, or the format's -f name */
  enum report_kind kind;
  int uses; /* REPORT_* bits */
  report_fn *fn;
  const char *help; /* a format's line in --help */
};

/* Views first (stats, callers, callees, lines, percentiles, threads, the order
 * several are printed in), then formats; a NULL name ends it. */
extern const struct report_op report_ops[];

/* The names of input files from .. to-1, joined by ", ", as a JSON
 * string: the title of the exports that carry one. */
void report_title_json(FILE *out, const struct report_opts *o, int from,
                       int to);

/* The op of that kind and name, or NULL. */
const struct report_op *report_find(enum report_kind kind, const char *name);

/*
 * The change from one profile to another, function by function, the way
 * tracemalloc's compare_to() shows it (diff.c).
 */
int report_diff(FILE *out, const struct stats *before,
                const struct stats *after, const struct report_opts *o);

/* One function of either profile; NULL where a profile lacks it.  The
 * sizes of its changes (seconds, seconds, calls) order the rows. */
struct diff_row {
  const struct stats_func *before, *after;
  double change[3];
};

/* Every function that ran in either profile, paired by name, file and
 * line, the largest change first: report_diff's rows (free() them). */
struct diff_row *diff_pair(const struct stats *before,
                           const struct stats *after, size_t *n);

/* The page of report_diff's rows and both call trees (export_html.c). */
int export_html_diff(FILE *out, const struct stats *before,
                     const struct stats *after, const struct report_opts *o);

/* The functions a view shows, in order. */
struct selection {
  uint32_t *func; /* indexes into s->funcs */
  size_t n;
  size_t ran;  /* how many there were before the restrictions */
  char *notes; /* pstats' "List reduced ..." lines, "" when none */
};

/*
 * The functions a pstats view shows: those that ran (cProfile never lists
 * a function it saw no call of; a reset or a fork leaves such records),
 * sorted by o->sort, reversed with o->reverse, then restricted.
 */
void report_select(const struct stats *s, const struct report_opts *o,
                   struct selection *sel);
void selection_free(struct selection *sel);

/* pstats' "Ordered by" line, the restriction notes and a blank line. */
void report_order(FILE *out, const struct report_opts *o,
                  const struct selection *sel);

/*
 * One line on the timer and the probe-cost correction, e.g.
 * "Clock: TSC at 2.596 GHz; probe cost subtracted: 18.1 ns per call
 * (spread 0.3 ns), 9.2 ns per line change (spread 2.1 ns: noisy)", then
 * one on the line sampler when it ran: "Sampler: 1210 samples (1187
 * signals) at 1.000 kHz of each thread's CPU time"; each line starts with
 * `indent`.
 */
void report_clock(FILE *out, const struct stats *s, const char *indent);

#endif /* CPROF_READ_REPORT_H */
