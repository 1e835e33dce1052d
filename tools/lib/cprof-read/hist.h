/*
 * hist.h - percentiles from a duration histogram (format.h's buckets).
 *
 * The runtime counts completed calls in log-linear buckets, each 25% wide
 * (exact below 4 ticks), instead of keeping every duration; a percentile
 * is read off the bucket it falls in, interpolating linearly inside it,
 * so it is good to the bucket's width.
 */
#ifndef CPROF_READ_HIST_H
#define CPROF_READ_HIST_H

#include <stdint.h>

/* In ticks; count == 0 leaves the rest zero. */
struct hist_summary {
  uint64_t count; /* completed calls */
  double min;     /* lower edge of the first bucket with a call */
  double median, p90, p99;
  double max; /* upper edge of the last bucket with a call */
};

/* The value below which a share q (0..1) of the calls fall. */
double hist_quantile(const uint64_t *count, double q);

void hist_summarize(const uint64_t *count, struct hist_summary *out);

#endif /* CPROF_READ_HIST_H */
