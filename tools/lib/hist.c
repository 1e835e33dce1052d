/*
 * hist.c - percentiles read off the buckets of cprof_hist_bucket().
 *
 * Bucket b holds the whole tick counts lower(b) .. top(b), top being one
 * below the next bucket's lower edge (the last bucket also holds every
 * longer call, so its top is unknown and taken as its lower edge).  The
 * calls inside a bucket are taken as spread evenly over that range.
 */
#include "cprof-read/hist.h"

#include <string.h>

#include "cprof/format.h"

static double top(uint32_t b) {
  if (b + 1 == CPROF_HIST_BUCKETS)
    return (double)cprof_hist_lower(b);
  return (double)(cprof_hist_lower(b + 1) - 1);
}

/* Counts may come from a damaged file: sums stay in doubles, no wrap. */
static double total(const uint64_t *count) {
  double n = 0;
  for (uint32_t b = 0; b < CPROF_HIST_BUCKETS; b++)
    n += (double)count[b];
  return n;
}

double hist_quantile(const uint64_t *count, double q) {
  double rank = q * total(count), below = 0;
  uint32_t last = 0;

  for (uint32_t b = 0; b < CPROF_HIST_BUCKETS; b++) {
    double c = (double)count[b], lo = (double)cprof_hist_lower(b);
    if (c == 0)
      continue;
    if (rank <= below + c)
      return lo + (top(b) - lo) * (rank - below) / c;
    below += c;
    last = b;
  }
  return top(last); /* rank past the end: only by rounding */
}

void hist_summarize(const uint64_t *count, struct hist_summary *out) {
  memset(out, 0, sizeof *out);
  for (uint32_t b = 0; b < CPROF_HIST_BUCKETS; b++) {
    if (!count[b])
      continue;
    if (!out->count)
      out->min = (double)cprof_hist_lower(b);
    out->count += count[b];
    out->max = top(b);
  }
  if (!out->count)
    return;
  out->median = hist_quantile(count, 0.5);
  out->p90 = hist_quantile(count, 0.9);
  out->p99 = hist_quantile(count, 0.99);
}
