/*
 * report_json.c - the --format json schema (docs/prstats.md).
 *
 * One function per output line keeps large profiles diffable.  Strings
 * are escaped per RFC 8259; bytes that are not valid UTF-8 (a file name
 * may hold any bytes) become U+FFFD so the output always parses.  Numbers
 * use the shortest of %.15g / %.17g that reads back to the same double.
 */
#include "cprof-read/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/line_view.h"
#include "cprof-read/utf8.h"
#include "cprof-read/util.h"
#include "cprof-read/report_sampled.h"

/* "KEY":VALUE pairs; `sep` is "," except before the first member. */
static void put_key(FILE *out, const char *sep, const char *key) {
  fprintf(out, "%s\"%s\":", sep, key);
}

/* ,"KEY":"VALUE" and ,"KEY":NUMBER, members after the first. */
static void put_string(FILE *out, const char *key, const char *value) {
  put_key(out, ",", key);
  utf8_put_json(out, value);
}

static void put_number(FILE *out, const char *key, double value) {
  put_key(out, ",", key);
  put_shortest(out, value);
}

static void put_counts(FILE *out, const struct stats *s, uint64_t ncalls,
                       uint64_t pcalls, int64_t tottime, int64_t cumtime) {
  fprintf(out, ",\"ncalls\":%" PRIu64 ",\"pcalls\":%" PRIu64, ncalls, pcalls);
  put_number(out, "tottime", stats_seconds(s, tottime));
  put_number(out, "cumtime", stats_seconds(s, cumtime));
}

/* The other end of each edge, with the edge's own numbers. */
static void put_edges(FILE *out, const struct stats *s, const uint32_t *list,
                      uint32_t n, int callers) {
  fputc('[', out);
  for (uint32_t k = 0; k < n; k++) {
    const struct stats_edge *e = &s->edges[list[k]];
    const struct stats_func *g = &s->funcs[callers ? e->caller : e->callee];
    put_key(out, k ? ",{" : "{", "name");
    utf8_put_json(out, g->name);
    put_string(out, "file", g->file);
    fprintf(out, ",\"line\":%" PRIu32, g->line);
    put_counts(out, s, e->ncalls, e->pcalls, e->tottime, e->cumtime);
    fputc('}', out);
  }
  fputc(']', out);
}

/* Seconds, or null where there is no number. */
static void put_time_or_null(FILE *out, const struct stats *s, int known,
                             double ticks) {
  if (known)
    put_shortest(out, ticks / s->tick_hz);
  else
    fputs("null", out);
}

/*
 * The line view (line_view.h): times that add up to cumtime, null where
 * the mode measured none (line hits, or a sampled function no sample
 * fell in), and the part on no line.
 */
static void put_lines(FILE *out, const struct stats *s,
                      const struct stats_func *f) {
  static const char *const modes[] = {"hits", "timed", "sampled"};
  struct line_view v;
  const char *sep = "";
  int known, errors;

  line_view_of(f, &v);
  known = v.has_times;
  errors = known && v.error;
  fprintf(out, ",\"line_mode\":%s%s%s", f->nlines ? "\"" : "",
          f->nlines ? modes[v.mode] : "null", f->nlines ? "\"" : "");
  put_key(out, ",", "lines");
  fputc('[', out);
  for (uint32_t k = 0; k < f->nlines; k++) {
    const struct stats_line *l = &f->lines[k];
    int64_t time = v.time ? v.time[k] : 0;
    if (!l->hits && time == 0 && !l->samples)
      continue;
    fprintf(out,
            "%s{\"line\":%" PRIu32 ",\"hits\":%" PRIu64 ",\"samples\":%" PRIu64
            ",\"time\":",
            sep, f->first_line + k, l->hits, l->samples);
    put_time_or_null(out, s, known, (double)time);
    fputs(",\"time_error\":", out);
    put_time_or_null(out, s, errors, errors ? v.error[k] : 0);
    fputc('}', out);
    sep = ",";
  }
  fputc(']', out);
  fprintf(out,
          ",\"no_line\":{\"samples\":%" PRIu64 ",\"time\":", v.rest_samples);
  put_time_or_null(out, s, known, (double)v.rest);
  fputs(",\"time_error\":", out);
  put_time_or_null(out, s, errors, v.rest_error);
  fputc('}', out);
  line_view_free(&v);
}

/* Seconds per completed call, as --percentiles shows them. */
static void put_percentiles(FILE *out, const struct stats *s,
                            const struct stats_func *f) {
  static const char *const names[STATS_POINTS] = {"min", "median", "p90", "p99",
                                                  "max"};
  double at[STATS_POINTS];
  uint64_t count = stats_percentiles(s, f, at);

  fprintf(out, ",\"percentiles\":{\"count\":%" PRIu64, count);
  for (int i = 0; i < STATS_POINTS; i++)
    put_number(out, names[i], at[i]);
  fputc('}', out);
}

/* The exact shortest and longest call, corrected and capped as the
 * percentiles' min and max (stats_percentiles). */
static void put_extremes(FILE *out, const struct stats *s,
                         const struct stats_func *f) {
  double at[STATS_POINTS];

  stats_percentiles(s, f, at);
  if (f->has_extremes) {
    put_number(out, "min", at[0]);
    put_number(out, "max", at[STATS_POINTS - 1]);
  } else {
    fputs(",\"min\":null,\"max\":null", out);
  }
  fprintf(out, ",\"samples\":%" PRIu64, f->samples);
}

static void put_func(FILE *out, const struct stats *s,
                     const struct stats_func *f) {
  put_key(out, "{", "name");
  utf8_put_json(out, f->name);
  put_string(out, "symbol", f->symbol);
  put_string(out, "file", f->file);
  fprintf(out, ",\"line\":%" PRIu32, f->line);
  put_counts(out, s, f->ncalls, f->pcalls, f->tottime, f->cumtime);
  put_extremes(out, s, f);
  put_key(out, ",", "callers");
  put_edges(out, s, f->callers, f->ncallers, 1);
  put_key(out, ",", "callees");
  put_edges(out, s, f->callees, f->ncallees, 0);
  put_lines(out, s, f);
  if (f->nhist)
    put_percentiles(out, s, f);
  fprintf(out, ",\"sampled\":%s}", f->sampled ? "true" : "false");
}

/* How the times were corrected; costs in seconds, the first file's. */
static void put_clock(FILE *out, const struct stats *s) {
  fprintf(out, ",\"raw\":%s", s->raw ? "true" : "false");
  put_number(out, "call_cost", s->call_cost);
  put_number(out, "call_inner_cost", s->call_inner_cost);
  put_number(out, "line_cost", s->line_cost);
  put_number(out, "call_cost_spread", s->call_cost_spread);
  put_number(out, "line_cost_spread", s->line_cost_spread);
  put_number(out, "sample_hz",
             s->sample_period_ns ? 1e9 / (double)s->sample_period_ns : 0);
  fprintf(out, ",\"samples\":%" PRIu64 ",\"sample_signals\":%" PRIu64,
          s->samples, s->sample_signals);
  fprintf(out, ",\"dropped\":%" PRIu64, s->dropped);
  if (s->thread_label) { /* --thread N */
    fprintf(out, ",\"thread\":%" PRId64 ",\"thread_label\":", s->thread);
    utf8_put_json(out, s->thread_label);
  }
  fprintf(out, ",\"cut_short_signal\":%" PRIu32,
          s->cut_short ? s->cut_signal : 0);
}

int report_json(FILE *out, const struct stats *s, const struct report_opts *o) {
  struct selection sel;

  report_select(s, o, &sel);
  fputs("{\"version\":1,\"tick_hz\":", out);
  put_shortest(out, s->tick_hz);
  fprintf(out, ",\"total_calls\":%" PRIu64 ",\"primitive_calls\":%" PRIu64,
          s->total_calls, s->prim_calls);
  put_number(out, "total_time", stats_seconds(s, s->total_time));
  put_clock(out, s);
  fputs(",\"functions\":[", out);
  for (size_t i = 0; i < sel.n; i++) {
    fputs(i ? ",\n" : "\n", out);
    put_func(out, s, &s->funcs[sel.func[i]]);
  }
  fputs("\n]", out);
  report_sampled_json(out, s);
  fputs("}\n", out);
  selection_free(&sel);
  return 0;
}
