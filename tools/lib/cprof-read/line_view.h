/*
 * line_view.h - what a function's line report shows: each line's time,
 * in whole ticks that add up to the function's cumtime exactly.
 *
 * How a line's time is known depends on how the function was built
 * (docs/lines.md):
 *
 *   sampled (the default)  the function's cumtime, as the table shows it,
 *                          apportioned by the lines' samples; each share
 *                          comes with its sampling error;
 *   timed lines            the ticks from each line's start to the next
 *                          line's, less the line probes' cost, scaled so
 *                          that they add up to cumtime: approximate;
 *   line hits              no time, hits only.
 *
 * Hits are exact in every mode.  Shares are apportioned by largest
 * remainder, so the lines and the "no line" part (samples that found the
 * function before its first line) add up to cumtime to the tick.
 */
#ifndef CPROF_READ_LINE_VIEW_H
#define CPROF_READ_LINE_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "cprof-read/stats.h"

enum line_mode {
  LINES_HITS,    /* hits only (also: no line data) */
  LINES_TIMED,   /* times measured per line change, scaled: approximate */
  LINES_SAMPLED, /* times from samples, with their error */
};

struct line_view {
  enum line_mode mode;
  int has_times; /* time[] holds times: timed, or sampled with samples
                    (else the lines show their hits only) */
  int64_t total; /* ticks: the function's cumtime (0 for LINES_HITS) */
  int64_t *time; /* per line record (nlines), ticks; NULL for LINES_HITS */
  double *error; /* LINES_SAMPLED: one standard error per line, ticks */
  int64_t rest;  /* ticks on no line */
  double rest_error;
  uint64_t samples;      /* LINES_SAMPLED: the function's, at least the
                            sum of its lines' */
  uint64_t rest_samples; /* ... of them on no line */
  double signals;        /* the independent observations among them */
};

/* Fills v for f; line_view_free() releases it. */
void line_view_of(const struct stats_func *f, struct line_view *v);
void line_view_free(struct line_view *v);

/*
 * Splits `total` (>= 0) into n whole parts proportional to weight[]
 * (largest remainder; ties to the lower index) that add up to it exactly.
 * All weights 0: every part is 0.
 */
void apportion(int64_t total, const uint64_t *weight, size_t n, int64_t *part);

/* One standard error of a share, in ticks: total * sqrt(p (1 - p) / n)
 * for p = k / samples, n = signals (0 when there is none). */
double share_error(int64_t total, uint64_t k, uint64_t samples, double signals);

#endif /* CPROF_READ_LINE_VIEW_H */
