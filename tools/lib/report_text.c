/*
 * report_text.c - pstats' print_stats, print_callers and print_callees.
 *
 * The layout is pstats' own, column for column, so the output reads like
 * `python -m pstats`.  One difference: C calls are short, so times carry
 * o->precision decimals (default 6) instead of 3; the time columns widen
 * with them, and `-p 3` gives pstats' exact widths.
 */
#define _GNU_SOURCE /* sigabbrev_np */
#include "cprof-read/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/util.h"
#include "cprof-read/report_sampled.h"

/*
 * Width of a time column: pstats' "%8.3f" has 5 places around 3 decimals;
 * more decimals widen it, fewer keep 8 so the headings still fit.
 */
static int time_width(const struct report_opts *o) {
  return o->precision > 3 ? o->precision + 5 : 8;
}

static void put_time(FILE *out, const struct report_opts *o, double t) {
  fprintf(out, " %*.*f", time_width(o), o->precision, t);
}

static void put_blank_time(FILE *out, const struct report_opts *o) {
  fprintf(out, " %*s", time_width(o), "");
}

/* "21891/1" when some calls were recursive, else "21891"; "-" for a
 * sampled row's (or edge's) calls, which no one counted. */
static void put_calls(FILE *out, int width, uint64_t n, uint64_t p,
                      int sampled) {
  char buf[48];

  if (sampled && n == 0)
    snprintf(buf, sizeof buf, "-");
  else if (n != p)
    snprintf(buf, sizeof buf, "%" PRIu64 "/%" PRIu64, n, p);
  else
    snprintf(buf, sizeof buf, "%" PRIu64, n);
  fprintf(out, "%*s", width, buf);
}

static void put_summary(FILE *out, const struct stats *s,
                        const struct report_opts *o) {
  for (int i = 0; i < o->nfiles; i++)
    fprintf(out, "%s\n", o->files[i]);
  if (o->nfiles)
    fputc('\n', out);
  fprintf(out, "         %" PRIu64 " function calls", s->total_calls);
  if (s->prim_calls != s->total_calls)
    fprintf(out, " (%" PRIu64 " primitive calls)", s->prim_calls);
  fprintf(out, " in %.*f seconds\n", o->precision,
          stats_seconds(s, s->total_time));
  report_clock(out, s, "         ");
  report_sampled_notes(out, s, "         ");
  if (s->dropped) /* not pstats: cProfile never loses a call */
    fprintf(out,
            "         (%" PRIu64 " more calls were not recorded: deeper "
            "than CPROF_MAX_DEPTH, or out of memory)\n",
            s->dropped);
  if (s->cut_short) { /* CPROF_SIGNALS: written as a signal ended it */
    const char *name = sigabbrev_np((int)s->cut_signal);

    fprintf(out,
            "         (cut short by signal %" PRIu32 ", SIG%s%s: calls under "
            "way count up to that moment)\n",
            s->cut_signal, name ? name : "?",
            s->cut_short < s->nfiles ? ", in some of the files" : "");
  }
  fputc('\n', out);
}

static void put_heading(FILE *out, const struct report_opts *o) {
  static const char *const cols[] = {"tottime", "percall", "cumtime",
                                     "percall"};

  fputs("   ncalls", out);
  for (int i = 0; i < 4; i++)
    fprintf(out, " %*s", time_width(o), cols[i]);
  fputs(" filename:lineno(function)\n", out);
}

static void put_row(FILE *out, const struct stats *s,
                    const struct report_opts *o, const struct stats_func *f) {
  double tottime = stats_seconds(s, f->tottime);
  double cumtime = stats_seconds(s, f->cumtime);

  put_calls(out, 9, f->ncalls, f->pcalls, f->sampled);
  put_time(out, o, tottime);
  if (f->ncalls)
    put_time(out, o, tottime / (double)f->ncalls);
  else
    put_blank_time(out, o);
  put_time(out, o, cumtime);
  if (f->pcalls)
    put_time(out, o, cumtime / (double)f->pcalls);
  else
    put_blank_time(out, o);
  fprintf(out, " %s\n", f->stdname);
}

/*
 * The default timer reads the TSC without waiting for work in flight, so
 * a call's window can move by about 10 ns (docs/bench.md, "Accuracy"):
 * more than 5% of a call shorter than this.  Said under the table, so
 * that a figure that may be off is never read as exact.
 */
#define SHORT_CALL_SECONDS 200e-9

static void put_short_call_note(FILE *out, const struct stats *s,
                                const struct selection *sel) {
  size_t n = 0;

  if (s->clock != CPROF_CLOCK_TSC)
    return;
  for (size_t i = 0; i < sel->n; i++) {
    const struct stats_func *f = &s->funcs[sel->func[i]];
    if (f->ncalls && f->cumtime > 0 &&
        stats_seconds(s, f->tottime) / (double)f->ncalls < SHORT_CALL_SECONDS)
      n++;
  }
  if (n)
    fprintf(out,
            "\n   Note: %zu of these functions spend under 0.2 us a call of "
            "their own (tottime\n   percall), where the default timer's error, "
            "about 10 ns a call, is over 5%%:\n   "
            "it reads the clock without waiting for work still in flight.\n   "
            "CPROF_TIMER=ordered waits, at about twice the probe cost.\n",
            n);
}

/* pstats prints no heading and no rows when the restrictions left none. */
int report_stats(FILE *out, const struct stats *s,
                 const struct report_opts *o) {
  struct selection sel;

  report_select(s, o, &sel);
  put_summary(out, s, o);
  if (sel.n) {
    report_order(out, o, &sel);
    put_heading(out, o);
    for (size_t i = 0; i < sel.n; i++)
      put_row(out, s, o, &s->funcs[sel.func[i]]);
    put_short_call_note(out, s, &sel);
    fputs("\n\n", out);
  }
  selection_free(&sel);
  return 0;
}

/* pstats pads labels to the longest one shown, plus two. */
static int label_width(const struct stats *s, const uint32_t *order, size_t n) {
  size_t width = 0;

  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(s->funcs[order[i]].stdname);
    width = len > width ? len : width;
  }
  return (int)width + 2;
}

/*
 * One function and its edges; the first edge shares the function's line.
 * The call counts end in the same column on every line (pstats right-
 * justifies them to 7 after "<- " and to 9 after one more space).
 */
static void put_edges(FILE *out, const struct stats *s,
                      const struct report_opts *o, int width, uint32_t fi,
                      int callers) {
  const struct stats_func *f = &s->funcs[fi];
  const uint32_t *list = callers ? f->callers : f->callees;
  uint32_t n = callers ? f->ncallers : f->ncallees;

  fprintf(out, "%-*s%s", width, f->stdname, callers ? "<-" : "->");
  if (!n)
    fputc('\n', out);
  for (uint32_t k = 0; k < n; k++) {
    const struct stats_edge *e = &s->edges[list[k]];
    uint32_t other = callers ? e->caller : e->callee;
    if (k == 0)
      fputc(' ', out);
    else
      fprintf(out, "%*s", width + 1, "");
    put_calls(out, k == 0 ? 7 : 9, e->ncalls, e->pcalls,
              s->funcs[e->callee].sampled);
    put_time(out, o, stats_seconds(s, e->tottime));
    put_time(out, o, stats_seconds(s, e->cumtime));
    fprintf(out, "  %s\n", s->funcs[other].stdname);
  }
}

static int report_edges(FILE *out, const struct stats *s,
                        const struct report_opts *o, int callers) {
  struct selection sel;
  int width;

  report_select(s, o, &sel);
  width = label_width(s, sel.func, sel.n);
  if (sel.n) {
    report_order(out, o, &sel);
    fprintf(out, "%-*s%s\n", width, "Function ",
            callers ? "was called by..." : "called...");
    if (s->nedges)
      fprintf(out, "%*s    ncalls %*s %*s\n", width, "", time_width(o),
              "tottime", time_width(o), "cumtime");
    for (size_t i = 0; i < sel.n; i++)
      put_edges(out, s, o, width, sel.func[i], callers);
    fputs("\n\n", out);
  }
  selection_free(&sel);
  return 0;
}

int report_callers(FILE *out, const struct stats *s,
                   const struct report_opts *o) {
  return report_edges(out, s, o, 1);
}

int report_callees(FILE *out, const struct stats *s,
                   const struct report_opts *o) {
  return report_edges(out, s, o, 0);
}
