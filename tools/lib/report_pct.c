/*
 * report_pct.c - percentiles of each function's time per call, laid out
 * like LLVM XRay's `account`: count, min, median, 90th and 99th
 * percentiles, max, sum.
 *
 * They come from the runtime's duration histograms (hist.h), which count
 * completed calls only, clamped to the exact shortest and longest call
 * the runtime kept, so one call shows one value everywhere.  The probes'
 * cost cannot be taken out call by call: every figure loses the
 * function's average cost per call instead (stats_percentiles), and the
 * sum is the corrected time of every call; --raw keeps both raw.  Times
 * get a unit each (ns, us, ms, s):
 * C calls span nanoseconds to minutes, more than one column of fixed
 * decimals shows.
 */
#include "cprof-read/report.h"

#include <inttypes.h>
#include <stdlib.h>

#define COL 10 /* "999.999 ms" */

static void put_duration(FILE *out, double seconds) {
  static const struct {
    double scale;
    const char *unit, *fmt;
  } units[] = {{1, "s", "%.3f %s"},
               {1e-3, "ms", "%.3f %s"},
               {1e-6, "us", "%.3f %s"},
               {1e-9, "ns", "%.1f %s"}};
  char buf[64];
  size_t u = 0;

  while (u + 1 < sizeof units / sizeof units[0] && seconds < units[u].scale)
    u++;
  snprintf(buf, sizeof buf, units[u].fmt, seconds / units[u].scale,
           units[u].unit);
  fprintf(out, "%*s", COL, buf);
}

static void put_row(FILE *out, const struct stats *s,
                    const struct stats_func *f) {
  double at[STATS_POINTS];
  uint64_t count = stats_percentiles(s, f, at);

  fprintf(out, "%10" PRIu64 " [", count);
  for (int i = 0; i < STATS_POINTS; i++) {
    put_duration(out, at[i]);
    fputs(i < STATS_POINTS - 1 ? ", " : "] ", out);
  }
  put_duration(out, stats_seconds(s, f->calltime));
  fprintf(out, "  %s\n", f->stdname);
}

int report_percentiles(FILE *out, const struct stats *s,
                       const struct report_opts *o) {
  struct selection sel;
  size_t shown = 0;

  report_select(s, o, &sel);
  for (size_t i = 0; i < sel.n; i++)
    if (s->funcs[sel.func[i]].nhist)
      sel.func[shown++] = sel.func[i];
  fputs(s->raw ? "Time per completed call, raw (probe cost included); min and "
                 "max exact,\npercentiles good to their bucket's width (25%); "
                 "sum: every call, recursive\nones included\n"
               : "Time per completed call less its function's average probe "
                 "cost per call;\nmin and max exact, percentiles good to "
                 "their bucket's width (25%); sum: every\ncall, recursive "
                 "ones included\n",
        out);
  fprintf(out, "Functions with latencies: %zu\n", shown);
  report_order(out, o, &sel);
  if (shown) {
    fprintf(out, "%10s [%*s, %*s, %*s, %*s, %*s] %*s  function\n", "count", COL,
            "min", COL, "med", COL, "90p", COL, "99p", COL, "max", COL, "sum");
    for (size_t i = 0; i < shown; i++)
      put_row(out, s, &s->funcs[sel.func[i]]);
  } else if (sel.n) {
    fputs("(no duration histograms: written by an older runtime)\n", out);
  }
  fputc('\n', out);
  selection_free(&sel);
  return 0;
}
