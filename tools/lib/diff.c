/*
 * diff.c - what changed between two profiles, per function.
 *
 * tracemalloc's compare_to() layout: each number followed by its change,
 * `cumtime=1.234567s (+0.456000s)`, rows ordered by the largest change
 * (cumulative time, then self time, then calls).  A function found in one
 * profile only counts as 0 in the other.  Functions are matched the way
 * files merge: by name, file and line.
 */
#include "cprof-read/report.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/util.h"

static const struct stats_func none; /* all zero: a missing side */

static const struct stats_func *side(const struct stats_func *f) {
  return f ? f : &none;
}

static const char *row_label(const void *ctx, uint32_t i) {
  const struct diff_row *r = &((const struct diff_row *)ctx)[i];
  return (r->after ? r->after : r->before)->stdname;
}

/* The two profiles may count ticks at different rates: seconds. */
static struct diff_row pair(const struct stats *before,
                            const struct stats *after,
                            const struct stats_func *g,
                            const struct stats_func *f) {
  const struct stats_func *b = side(g), *a = side(f);
  struct diff_row r = {g, f, {0, 0, 0}};

  r.change[0] = fabs(stats_seconds(after, a->cumtime) -
                     stats_seconds(before, b->cumtime));
  r.change[1] = fabs(stats_seconds(after, a->tottime) -
                     stats_seconds(before, b->tottime));
  r.change[2] = fabs((double)a->ncalls - (double)b->ncalls);
  return r;
}

static int by_change(const void *x, const void *y) {
  const struct diff_row *a = x, *b = y;

  for (int k = 0; k < 3; k++)
    if (a->change[k] != b->change[k])
      return a->change[k] < b->change[k] ? 1 : -1;
  return strcmp(row_label(a, 0), row_label(b, 0));
}

struct diff_row *diff_pair(const struct stats *before,
                           const struct stats *after, size_t *n) {
  struct diff_row *rows =
      xmalloc((before->nfuncs + after->nfuncs) * sizeof *rows);

  *n = 0;
  for (size_t i = 0; i < after->nfuncs; i++) {
    const struct stats_func *f = &after->funcs[i];
    uint32_t b = stats_find(before, f->name, f->file, f->line);
    const struct stats_func *g = b == HASH_NONE ? NULL : &before->funcs[b];
    if (stats_ran(f) || (g && stats_ran(g)))
      rows[(*n)++] = pair(before, after, g, f);
  }
  for (size_t i = 0; i < before->nfuncs; i++) {
    const struct stats_func *g = &before->funcs[i];
    if (stats_ran(g) &&
        stats_find(after, g->name, g->file, g->line) == HASH_NONE)
      rows[(*n)++] = pair(before, after, g, NULL);
  }
  qsort(rows, *n, sizeof *rows, by_change);
  return rows;
}

static void put_calls(FILE *out, const char *what, uint64_t b, uint64_t a) {
  fprintf(out, "%s=%" PRIu64 " (%c%" PRIu64 ")", what, a, a >= b ? '+' : '-',
          a >= b ? a - b : b - a);
}

/* A change too small to show is +0, not -0.000000. */
static void put_time(FILE *out, const char *what, double b, double a,
                     int precision) {
  double d = a - b;

  if (fabs(d) < 0.5 * pow(10, -precision))
    d = 0;
  fprintf(out, "%s=%.*fs (%+.*fs)", what, precision, a, precision, d);
}

static void put_row(FILE *out, const struct stats *before,
                    const struct stats *after, const struct diff_row *r,
                    int precision) {
  const struct stats_func *b = side(r->before), *a = side(r->after);

  fprintf(out, "%s: ", row_label(r, 0));
  put_calls(out, "calls", b->ncalls, a->ncalls);
  put_time(out, ", tottime", stats_seconds(before, b->tottime),
           stats_seconds(after, a->tottime), precision);
  put_time(out, ", cumtime", stats_seconds(before, b->cumtime),
           stats_seconds(after, a->cumtime), precision);
  fputc('\n', out);
}

static void put_header(FILE *out, const struct stats *before,
                       const struct stats *after, const struct report_opts *o) {
  fprintf(out, "Before: %s\n", o->nfiles > 0 ? o->files[0] : "");
  report_clock(out, before, "");
  fprintf(out, "After:  %s\n", o->nfiles > 1 ? o->files[1] : "");
  report_clock(out, after, "");
  fputc('\n', out);
  put_calls(out, "Total: calls", before->total_calls, after->total_calls);
  put_time(out, ", time", stats_seconds(before, before->total_time),
           stats_seconds(after, after->total_time), o->precision);
  fputs("\n\n", out);
}

int report_diff(FILE *out, const struct stats *before,
                const struct stats *after, const struct report_opts *o) {
  size_t n, size = 0, ran;
  struct diff_row *rows = diff_pair(before, after, &n);
  uint32_t *list = xmalloc((n ? n : 1) * sizeof *list);
  char *notes = NULL;
  FILE *fp = xmemstream(&notes, &size);

  for (size_t i = 0; i < n; i++)
    list[i] = (uint32_t)i;
  ran = n;
  for (int i = 0; i < o->nrestrictions; i++)
    restriction_apply(&o->restrictions[i], list, &n, row_label, rows, fp);
  fclose(fp);
  put_header(out, before, after, o);
  fprintf(out, "   Ordered by: largest change (cumtime, tottime, calls)\n%s\n",
          notes);
  for (size_t i = 0; i < n; i++)
    put_row(out, before, after, &rows[list[i]], o->precision);
  if (ran == 0)
    fputs("(no function ran in either profile)\n", out);
  free(notes);
  free(list);
  free(rows);
  return 0;
}
