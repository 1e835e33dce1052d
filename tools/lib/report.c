/*
 * report.c - what the reports share: the table of them, which functions
 * they show in which order, and the line on the clock.
 */
#include "cprof-read/report.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/utf8.h"
#include "cprof-read/util.h"

/* pstats' three views: sorted, restricted, seconds to -p decimals. */
#define TABLE (REPORT_SORTED | REPORT_RESTRICTED | REPORT_PRECISION)

const struct report_op report_ops[] = {
    {"stats", REPORT_VIEW, TABLE, report_stats, NULL},
    {"callers", REPORT_VIEW, TABLE, report_callers, NULL},
    {"callees", REPORT_VIEW, TABLE, report_callees, NULL},
    {"lines", REPORT_VIEW, REPORT_FUNC, report_lines, NULL},
    {"percentiles", REPORT_VIEW, REPORT_SORTED | REPORT_RESTRICTED,
     report_percentiles, NULL},
    {"threads", REPORT_VIEW, 0, report_threads, NULL},
    {"json", REPORT_FORMAT, REPORT_SORTED | REPORT_RESTRICTED, report_json,
     "everything, as documented JSON"},
    {"pstats", REPORT_FORMAT, REPORT_BINARY, export_pstats,
     "Python's pstats file (.prof): python -m pstats, snakeviz"},
    {"callgrind", REPORT_FORMAT, 0, export_callgrind,
     "callgrind format: callgrind_annotate, KCachegrind"},
    {"folded", REPORT_FORMAT, REPORT_PATHS, export_folded,
     "folded stacks: flamegraph.pl, inferno"},
    {"speedscope", REPORT_FORMAT, REPORT_PATHS, export_speedscope,
     "speedscope's JSON: the call tree by time and by calls"},
    {"pprof", REPORT_FORMAT, REPORT_PATHS | REPORT_BINARY, export_pprof,
     "pprof's gzipped profile.proto: go tool pprof"},
    {"svg", REPORT_FORMAT, REPORT_PATHS | REPORT_ICICLE, export_svg,
     "a flame graph of the call tree (--icicle: root at the top)"},
    {"html", REPORT_FORMAT, REPORT_PATHS, export_html,
     "one self-contained page: call tree, table, lines"},
    {NULL, REPORT_VIEW, 0, NULL, NULL},
};

void report_title_json(FILE *out, const struct report_opts *o, int from,
                       int to) {
  char *title;
  size_t size;
  FILE *f = xmemstream(&title, &size);

  for (int i = from; i < to && i < o->nfiles; i++)
    fprintf(f, "%s%s", i > from ? ", " : "", o->files[i]);
  fclose(f);
  utf8_put_json(out, title);
  free(title);
}

const struct report_op *report_find(enum report_kind kind, const char *name) {
  for (const struct report_op *op = report_ops; op->name; op++)
    if (op->kind == kind && strcmp(op->name, name) == 0)
      return op;
  return NULL;
}

static const char *func_label(const void *ctx, uint32_t row) {
  return ((const struct stats *)ctx)->funcs[row].stdname;
}

void report_select(const struct stats *s, const struct report_opts *o,
                   struct selection *sel) {
  size_t size = 0;
  FILE *notes = xmemstream(&sel->notes, &size);

  sel->func = xmalloc(s->nfuncs * sizeof *sel->func);
  sort_funcs(s, &o->sort, sel->func);
  sel->n = 0;
  for (size_t i = 0; i < s->nfuncs; i++)
    if (stats_ran(&s->funcs[sel->func[i]]))
      sel->func[sel->n++] = sel->func[i];
  for (size_t i = 0; o->reverse && i < sel->n / 2; i++) {
    uint32_t t = sel->func[i];
    sel->func[i] = sel->func[sel->n - 1 - i];
    sel->func[sel->n - 1 - i] = t;
  }
  sel->ran = sel->n;
  for (int i = 0; i < o->nrestrictions; i++)
    restriction_apply(&o->restrictions[i], sel->func, &sel->n, func_label, s,
                      notes);
  fclose(notes);
}

void selection_free(struct selection *sel) {
  free(sel->func);
  free(sel->notes);
  memset(sel, 0, sizeof *sel);
}

void report_order(FILE *out, const struct report_opts *o,
                  const struct selection *sel) {
  char keys[256];

  sort_describe(&o->sort, keys, sizeof keys);
  fprintf(out, "   Ordered by: %s%s\n%s\n", keys,
          o->reverse ? " (reversed)" : "", sel->notes);
}

/* "2.596 GHz": three decimals of the largest unit that fits. */
static void put_rate(FILE *out, double hz) {
  static const char *const unit[] = {"Hz", "kHz", "MHz", "GHz"};
  int u = 0;

  while (u < 3 && hz >= 1000) {
    hz /= 1000;
    u++;
  }
  fprintf(out, u ? "%.3f %s" : "%g %s", hz, unit[u]);
}

/* " (spread 0.4 ns)" after a cost, ": noisy" past 10% of it; nothing
 * when the calibration reported no spread. */
static void put_spread(FILE *out, double cost, double spread) {
  if (spread > 0)
    fprintf(out, " (spread %.1f ns%s)", spread * 1e9,
            spread > 0.1 * cost ? ": noisy" : "");
}

/* The timer and what was taken out of its times. */
static void put_timer(FILE *out, const struct stats *s) {
  /* The line cost applies only to lines that read the timer. */
  double line = s->timed_funcs ? s->line_cost : 0;

  fprintf(out, "%s at ", cprof_clock_name(s->clock));
  put_rate(out, s->tick_hz);
  if (s->raw) {
    fputs("; raw, no compensation", out);
  } else if (s->call_cost == 0 && line == 0 && !s->costs_vary) {
    fputs("; probe cost not measured, nothing subtracted", out);
  } else {
    fprintf(out, "; probe cost subtracted: %.1f ns per call",
            s->call_cost * 1e9);
    put_spread(out, s->call_cost, s->call_cost_spread);
    if (line > 0) {
      fprintf(out, ", %.1f ns per line change", line * 1e9);
      put_spread(out, line, s->line_cost_spread);
    }
    if (s->costs_vary)
      fputs(" (first file's; each file with its own)", out);
  }
}

void report_clock(FILE *out, const struct stats *s, const char *indent) {
  fprintf(out, "%sClock: ", indent);
  if (s->sampled_clock) /* no call was timed: nothing was subtracted */
    fprintf(out, "none%s, sampled stacks: times in nanoseconds",
            s->nfiles > 1 ? " in the first file" : "");
  else
    put_timer(out, s);
  fputc('\n', out);
  /* A program not built with cprof has no line sampler: no such line. */
  if (s->sample_period_ns && (s->samples || !s->sampled)) {
    fprintf(out, "%sSampler: %" PRIu64 " samples (%" PRIu64 " signals) at ",
            indent, s->samples, s->sample_signals);
    put_rate(out, 1e9 / (double)s->sample_period_ns);
    /* CPROF_SAMPLE_WALL: the line sampler shares the stack sampler's
     * wall-clock signals. */
    fprintf(out, " of %s%s\n",
            s->sampled && s->sampled->wall ? "wall time"
                                           : "each thread's CPU time",
            s->sample_rate_varies ? " (first file's rate; files differ)" : "");
  }
  /* The runtime merges a function's lines and durations over its threads;
   * a sampled run's stacks are each one thread's. */
  if (s->thread_label)
    fprintf(out, "%s%c%s only%s\n", indent,
            toupper((unsigned char)s->thread_label[0]), s->thread_label + 1,
            s->sampled_clock ? ""
                             : ": its calls, times and call tree; a "
                               "function's lines and percentiles are of "
                               "every thread");
}
