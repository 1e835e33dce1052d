/*
 * report_lines.c - line_profiler's report: hits and time per source line.
 *
 * Functions come in line_profiler's order (file, then line, then name),
 * which also lets the source cache hold a single file.  A line's time
 * includes the callees it ran (line_profiler's meaning).
 *
 * Without -u the report picks its unit: microseconds, as line_profiler's
 * usual timer, unless a line that took time took less than 1 us per hit,
 * then nanoseconds, so a busy C line never shows as 0.0.  Whatever the
 * unit, an amount above 0 but below 0.05 is printed with two significant
 * digits (0.012, 3.4e-05) rather than rounded to 0.0.
 */
#include "cprof-read/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/func_name.h"
#include "cprof-read/source.h"
#include "cprof-read/util.h"

static const char header[] =
    "Line #      Hits         Time  Per Hit   % Time  Line Contents";

/* Sum of the function's line times: line_profiler's "Total time". */
static double lines_total(const struct stats *s, const struct stats_func *f) {
  int64_t total = 0;
  for (uint32_t k = 0; k < f->nlines; k++)
    total = ticks_add(total, f->lines[k].time);
  return stats_seconds(s, total);
}

/* "%5.1f", or two significant digits where that would round to 0.0. */
static void put_amount(char *buf, size_t size, double v) {
  snprintf(buf, size, v > 0 && v < 0.05 ? "%.2g" : "%5.1f", v);
}

/*
 * One row; lines without data show only their number and text.  A
 * negative total means lines counted without their time (line-hits
 * mode): they show only their hits.
 */
static void put_row(FILE *out, const struct stats *s, uint32_t lineno,
                    const struct stats_line *l, double total,
                    const struct report_opts *o, const char *text) {
  char hits[24] = "", time[32] = "", per[32] = "", pct[16] = "";
  char row[256];
  size_t len;

  if (l && total < 0 && l->hits) {
    snprintf(hits, sizeof hits, "%" PRIu64, l->hits);
  } else if (l && (l->hits || l->time != 0)) {
    double seconds = stats_seconds(s, l->time);
    snprintf(hits, sizeof hits, "%" PRIu64, l->hits);
    put_amount(time, sizeof time, seconds / o->unit);
    if (l->hits)
      put_amount(per, sizeof per, seconds / o->unit / (double)l->hits);
    if (total > 0)
      snprintf(pct, sizeof pct, "%5.1f", 100 * seconds / total);
  }
  snprintf(row, sizeof row, "%6" PRIu32 " %9s %12s %8s %8s", lineno, hits, time,
           per, pct);
  len = strlen(row);
  while (len > 0 && row[len - 1] == ' ' && !*text)
    row[--len] = '\0'; /* no trailing blanks on an empty row */
  fprintf(out, "%s%s%s\n", row, *text ? "  " : "", text);
}

static void put_function(FILE *out, const struct stats *s,
                         const struct stats_func *f,
                         const struct report_opts *o, struct source *src) {
  double total = f->line_times ? lines_total(s, f) : -1;
  uint32_t lo, hi = f->first_line + f->nlines;

  if (total < 0 && f->nlines)
    fputs("Total time: not measured (built with line-hits: hits only)\n", out);
  else
    fprintf(out, "Total time: %g s\n", total > 0 ? total : 0);
  fprintf(out, "File: %s\nFunction: %s at line %" PRIu32 "\n", f->file, f->name,
          f->line);
  if (!f->nlines) {
    fputs("(no line data: the function was built without line probes)\n\n",
          out);
    return;
  }
  source_load(src, f->source);
  if (src->error[0])
    fprintf(out, "(source not available: %s: %s)\n", f->source, src->error);
  fprintf(out, "\n%s\n", header);
  for (size_t i = 0; i < sizeof header - 1; i++)
    fputc('=', out);
  fputc('\n', out);
  /* From the definition, when it comes a little before the first line
   * record (a signature over several lines); a far one is not believed. */
  lo = f->line && f->line < f->first_line && f->first_line - f->line <= 100
           ? f->line
           : f->first_line;
  for (uint32_t n = lo; n < hi; n++)
    put_row(out, s, n, n >= f->first_line ? &f->lines[n - f->first_line] : NULL,
            total, o, source_line(src, n));
  fputc('\n', out);
}

/* Without a name the report is about lines: skip functions without. */
static int shown(const struct stats_func *f, const struct report_opts *o) {
  if (!o->lines_func && !f->nlines)
    return 0;
  return !o->skip_zero || stats_ran(f);
}

/* The functions -l FUNC names (func_name.h), or all; NULL on an error. */
static char *pick(const struct stats *s, const char *query) {
  char *picked = xmalloc(s->nfuncs + 1);

  if (!query) {
    memset(picked, 1, s->nfuncs);
    return picked;
  }
  if (func_lookup(s, query, picked) == 0)
    fprintf(stderr, "prstats: no function named '%s' in the profile\n", query);
  else if (func_unique(s, query, picked, stderr) == 0)
    return picked;
  free(picked);
  return NULL;
}

/* 1e-6, or 1e-9 when a shown line took under 1 us per hit. */
static double auto_unit(const struct stats *s, const struct report_opts *o,
                        const char *picked) {
  for (size_t i = 0; i < s->nfuncs; i++) {
    const struct stats_func *f = &s->funcs[i];
    if (!picked[i] || !shown(f, o) || !f->line_times)
      continue;
    for (uint32_t k = 0; k < f->nlines; k++) {
      const struct stats_line *l = &f->lines[k];
      double hits = (double)(l->hits ? l->hits : 1);
      if (l->time > 0 && stats_seconds(s, l->time) < 1e-6 * hits)
        return 1e-9;
    }
  }
  return 1e-6;
}

int report_lines(FILE *out, const struct stats *s,
                 const struct report_opts *given) {
  struct report_opts unit = *given, *o = &unit;
  static const struct sort_spec by_place = {{SORT_FILE, SORT_LINE, SORT_NAME},
                                            3};
  struct source src = {0};
  size_t printed = 0;
  uint32_t *order;
  char *picked = pick(s, given->lines_func);

  if (!picked)
    return -1;
  if (!o->unit)
    o->unit = auto_unit(s, o, picked);
  order = xmalloc(s->nfuncs * sizeof *order);
  sort_funcs(s, &by_place, order);
  fprintf(out, "Timer unit: %g s\n", o->unit);
  report_clock(out, s);
  fputc('\n', out);
  for (size_t i = 0; i < s->nfuncs; i++) {
    const struct stats_func *f = &s->funcs[order[i]];
    if (picked[order[i]] && shown(f, o)) {
      put_function(out, s, f, o, &src);
      printed++;
    }
  }
  if (!printed)
    fputs("(no function with line data to show)\n", out);
  source_free(&src);
  free(order);
  free(picked);
  return 0;
}
