/*
 * line_view.c - a function's line times, in ticks that add up to its
 * cumtime exactly (line_view.h).
 *
 * The products total x weight need 127 bits: both may be near 2^63 in a
 * damaged file, and the sum must stay exact anyway.
 */
#include "cprof-read/line_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/util.h"

typedef unsigned __int128 u128;

struct remainder {
  u128 r;
  size_t i;
};

/* Largest remainder first, then the lower index. */
static int by_remainder(const void *a, const void *b) {
  const struct remainder *x = a, *y = b;

  if (x->r != y->r)
    return x->r > y->r ? -1 : 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

void apportion(int64_t total, const uint64_t *weight, size_t n, int64_t *part) {
  struct remainder *rem;
  u128 sum = 0, given = 0;

  for (size_t k = 0; k < n; k++)
    sum += weight[k];
  if (sum == 0 || total <= 0) {
    memset(part, 0, n * sizeof *part);
    return;
  }
  rem = xmalloc(n * sizeof *rem);
  for (size_t k = 0; k < n; k++) {
    u128 share = (u128)total * weight[k];
    part[k] = (int64_t)(share / sum); /* <= total */
    rem[k] = (struct remainder){share % sum, k};
    given += (u128)part[k];
  }
  /* Each part lost less than one tick: fewer than n are left to give. */
  qsort(rem, n, sizeof *rem, by_remainder);
  for (size_t k = 0; given < (u128)total; k++, given++)
    part[rem[k].i]++;
  free(rem);
}

double share_error(int64_t total, uint64_t k, uint64_t samples,
                   double signals) {
  double p, n = signals > 0 ? signals : (double)samples;

  if (!samples || total <= 0 || n <= 0)
    return 0;
  p = (double)k / (double)samples;
  return (double)total * sqrt(p * (1 - p) / n);
}

/* Shares of the samples; the last weight is the part on no line. */
static void sampled(const struct stats_func *f, struct line_view *v) {
  uint64_t *weight = xmalloc(((size_t)f->nlines + 1) * sizeof *weight);
  int64_t *part = xmalloc(((size_t)f->nlines + 1) * sizeof *part);
  uint64_t on_lines = 0;

  for (uint32_t k = 0; k < f->nlines; k++) {
    weight[k] = f->lines[k].samples;
    on_lines =
        on_lines + weight[k] >= on_lines ? on_lines + weight[k] : UINT64_MAX;
  }
  /* A damaged file may give its lines more than the function. */
  v->samples = f->samples > on_lines ? f->samples : on_lines;
  v->rest_samples = v->samples - on_lines;
  v->signals = f->signals;
  weight[f->nlines] = v->rest_samples;
  apportion(v->total, weight, (size_t)f->nlines + 1, part);
  v->error = xmalloc(((size_t)f->nlines + 1) * sizeof *v->error);
  for (uint32_t k = 0; k <= f->nlines; k++)
    v->error[k] = share_error(v->total, weight[k], v->samples, v->signals);
  v->rest = part[f->nlines];
  v->rest_error = v->error[f->nlines];
  v->time = part;
  free(weight);
}

/* The measured ticks scaled to cumtime; none at all: all on no line. */
static void timed(const struct stats_func *f, struct line_view *v) {
  uint64_t *weight = xmalloc(((size_t)f->nlines + 1) * sizeof *weight);
  int any = 0;

  v->time = xmalloc(((size_t)f->nlines + 1) * sizeof *v->time);
  for (uint32_t k = 0; k < f->nlines; k++) {
    int64_t t = f->lines[k].time;
    weight[k] = t > 0 ? (uint64_t)t : 0;
    any |= t > 0;
  }
  weight[f->nlines] = !any;
  apportion(v->total, weight, (size_t)f->nlines + 1, v->time);
  v->rest = v->time[f->nlines];
  free(weight);
}

void line_view_of(const struct stats_func *f, struct line_view *v) {
  memset(v, 0, sizeof *v);
  v->mode = f->line_sampled ? LINES_SAMPLED
            : f->line_times ? LINES_TIMED
                            : LINES_HITS;
  if (v->mode == LINES_HITS)
    return;
  v->total = f->cumtime > 0 ? f->cumtime : 0;
  if (v->mode == LINES_SAMPLED)
    sampled(f, v);
  else
    timed(f, v);
  v->has_times = v->mode == LINES_TIMED || v->samples;
}

void line_view_free(struct line_view *v) {
  free(v->time);
  free(v->error);
  memset(v, 0, sizeof *v);
}
