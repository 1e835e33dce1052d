/*
 * report_lines.c - line_profiler's report: hits and time per source line.
 *
 * Functions come in line_profiler's order (file, then line, then name),
 * which also lets the source cache hold a single file.  A line's time
 * includes the callees it ran (line_profiler's meaning); line_view.c says
 * how it is known in each line mode, and makes a function's lines add up
 * to its cumtime.  Each function says in one line what its times are.
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
#include "cprof-read/line_view.h"
#include "cprof-read/source.h"
#include "cprof-read/util.h"

static const char header[] =
    "Line #      Hits         Time  Per Hit   % Time  Line Contents";
static const char sampled_header[] =
    "Line #      Hits         Time    Error  Per Hit   % Time  Line Contents";

/* "%5.1f", or two significant digits where that would round to 0.0. */
static void put_amount(char *buf, size_t size, double v) {
  snprintf(buf, size, v > 0 && v < 0.05 ? "%.2g" : "%5.1f", v);
}

/* One function being printed: its view, and the report's unit. */
struct printing {
  const struct stats *s;
  const struct report_opts *o;
  struct line_view v;
  int errors;  /* rows show the sampling error */
  int no_hits; /* only sampled stacks saw it: hits were not counted */
};

/* Ticks in the report's unit. */
static double in_unit(const struct printing *w, double ticks) {
  return ticks / w->s->tick_hz / w->o->unit;
}

/*
 * One row: `lineno` 0 is the row of time on no line.  Rows without data
 * show only their number and text.
 */
static void put_row(FILE *out, const struct printing *w, uint32_t lineno,
                    uint64_t hits, int64_t time, double error,
                    const char *text) {
  char num[16] = "", nhits[24] = "", ntime[32] = "", err[32] = "";
  char per[32] = "", pct[16] = "", row[256];
  int any = hits || (w->v.has_times && time != 0) || !lineno;
  size_t len;

  if (lineno)
    snprintf(num, sizeof num, "%" PRIu32, lineno);
  if (any && lineno && !w->no_hits)
    snprintf(nhits, sizeof nhits, "%" PRIu64, hits);
  if (any && w->v.has_times) {
    put_amount(ntime, sizeof ntime, in_unit(w, (double)time));
    if (w->errors)
      put_amount(err, sizeof err, in_unit(w, error));
    if (hits)
      put_amount(per, sizeof per, in_unit(w, (double)time) / (double)hits);
    if (w->v.total > 0)
      snprintf(pct, sizeof pct, "%5.1f",
               100 * (double)time / (double)w->v.total);
  }
  if (w->errors)
    snprintf(row, sizeof row, "%6s %9s %12s %8s %8s %8s", num, nhits, ntime,
             err, per, pct);
  else
    snprintf(row, sizeof row, "%6s %9s %12s %8s %8s", num, nhits, ntime, per,
             pct);
  len = strlen(row);
  while (len > 0 && row[len - 1] == ' ' && !*text)
    row[--len] = '\0'; /* no trailing blanks on an empty row */
  fprintf(out, "%s%s%s\n", row, *text ? "  " : "", text);
}

/* The line under "Function:" that says what the times are. */
static void put_meaning(FILE *out, const struct printing *w) {
  const struct stats *s = w->s;

  switch (w->v.mode) {
  case LINES_HITS:
    break;
  case LINES_TIMED:
    fputs("Line times: measured at each line change, approximate: scaled to "
          "add up to\nthe total (the function's cumtime)\n",
          out);
    break;
  case LINES_SAMPLED:
    if (w->v.samples && s->sample_period_ns)
      fprintf(out,
              "Line times: %" PRIu64 " samples (%.0f signals) at %g Hz: the "
              "total (the function's\ncumtime) split by the lines' samples, "
              "+- one standard error (Error)\n",
              w->v.samples, w->v.signals, 1e9 / (double)s->sample_period_ns);
    else if (w->v.samples) /* a damaged header: samples, but no rate */
      fprintf(out,
              "Line times: %" PRIu64 " samples (%.0f signals): the total split "
              "by the lines'\nsamples, +- one standard error (Error)\n",
              w->v.samples, w->v.signals);
    else if (s->sample_period_ns)
      fprintf(out,
              "Line times: no sample fell in this function (one per %g ms of "
              "CPU time): hits only\n",
              (double)s->sample_period_ns / 1e6);
    else
      fputs("Line times: not sampled (the sampler was off): hits only\n", out);
    break;
  }
}

static void put_function(FILE *out, const struct stats *s,
                         const struct stats_func *f,
                         const struct report_opts *o, struct source *src) {
  struct printing w = {.s = s, .o = o};
  uint32_t lo, hi = f->first_line + f->nlines;
  const char *head;

  line_view_of(f, &w.v);
  w.errors = w.v.has_times && w.v.error;
  w.no_hits = f->sampled && !f->ncalls;
  if (w.v.mode == LINES_HITS && f->nlines)
    fputs("Total time: not measured (built with line-hits: hits only)\n", out);
  else
    fprintf(out, "Total time: %g s\n",
            stats_seconds(s, f->cumtime > 0 ? f->cumtime : 0));
  fprintf(out, "File: %s\nFunction: %s at line %" PRIu32 "\n", f->file, f->name,
          f->line);
  if (!f->nlines) {
    fputs("(no line data: the function was built without line probes)\n\n",
          out);
    line_view_free(&w.v);
    return;
  }
  put_meaning(out, &w);
  if (w.no_hits)
    fputs("No hits: only sampled stacks saw it, and a sampler counts no "
          "calls\n",
          out);
  source_load(src, f->source);
  if (src->error[0])
    fprintf(out, "(source not available: %s: %s)\n", f->source, src->error);
  head = w.errors ? sampled_header : header;
  fprintf(out, "\n%s\n", head);
  for (size_t i = 0; i < strlen(head); i++)
    fputc('=', out);
  fputc('\n', out);
  /* From the definition, when it comes a little before the first line
   * record (a signature over several lines); a far one is not believed. */
  lo = f->line && f->line < f->first_line && f->first_line - f->line <= 100
           ? f->line
           : f->first_line;
  for (uint32_t n = lo; n < hi; n++) {
    uint32_t k = n - f->first_line;
    int rec = n >= f->first_line;
    put_row(out, &w, n, rec ? f->lines[k].hits : 0,
            rec && w.v.time ? w.v.time[k] : 0,
            rec && w.v.error ? w.v.error[k] : 0, source_line(src, n));
  }
  if (w.v.has_times && (w.v.rest || w.v.rest_samples))
    put_row(out, &w, 0, 0, w.v.rest, w.v.rest_error,
            w.no_hits ? "(no line: addresses without a line in its file)"
            : w.v.mode == LINES_SAMPLED
                ? "(no line: samples before its first line)"
                : "(no line: no line time recorded)");
  fputc('\n', out);
  line_view_free(&w.v);
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
  double unit = 1e-6;

  for (size_t i = 0; i < s->nfuncs && unit == 1e-6; i++) {
    const struct stats_func *f = &s->funcs[i];
    struct line_view v;
    if (!picked[i] || !shown(f, o))
      continue;
    line_view_of(f, &v);
    for (uint32_t k = 0; v.time && k < f->nlines; k++) {
      double hits = (double)(f->lines[k].hits ? f->lines[k].hits : 1);
      if (v.time[k] > 0 && stats_seconds(s, v.time[k]) < 1e-6 * hits)
        unit = 1e-9;
    }
    line_view_free(&v);
  }
  return unit;
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
  report_clock(out, s, "");
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
