/*
 * report_sampled.c - the sampled functions (CPROF_SAMPLE) as a pstats-like
 * table after pstats' own, and as the "sampled" object of the JSON report.
 *
 * A sampler sees where the time goes, not how often a function is called,
 * so the table has no call counts and says so, as gprof's does for its
 * sampled columns.  The header also says how much to trust it: how many
 * signals carried the samples (the independent observations), and how
 * many stacks were cut short.
 */
#include "cprof-read/report_sampled.h"

#include <inttypes.h>
#include <stdlib.h>

#include "cprof-read/sampled.h"
#include "cprof-read/utf8.h"

static double seconds(uint64_t ns) { return (double)ns / 1e9; }

static double percent(uint64_t part, uint64_t whole) {
  return whole ? 100.0 * (double)part / (double)whole : 0;
}

static void put_header(FILE *out, const struct sampled *sm) {
  fprintf(out,
          "Sampled stacks: %" PRIu64 " signals carrying %" PRIu64
          " samples of %.3f ms %s time each%s (%.3f seconds) in %" PRIu64
          " thread%s\n",
          sm->signals, sm->samples, (double)sm->period_ns / 1e6,
          sm->wall ? "wall" : "CPU",
          sm->periods_vary ? " (first file's; the others differ)" : "",
          seconds(sm->total_ns), sm->threads, sm->threads == 1 ? "" : "s");
  fputs("No call counts: a sampler sees time, not calls; tottime and cumtime "
        "are samples x period\n",
        out);
  if (sm->nhybrid)
    fputs("Rows ~:0({module:function}) in the table above: sampled CPU time "
          "outside the profiled functions, under the profiled call it ran in; "
          "no call count (ncalls 0), taken out of that caller's tottime\n",
          out);
  if (sm->cut)
    fprintf(out,
            "%" PRIu64 " stack%s cut where a frame pointer could not be "
            "followed (code built without them, such as the C library's): "
            "the callers above that frame are missing\n",
            sm->cut, sm->cut == 1 ? " was" : "s were");
  if (sm->dropped_signals)
    fprintf(out,
            "%" PRIu64 " signals (%" PRIu64 " samples) were dropped: a "
            "thread's buffer was full (CPROF_SAMPLE_BUFFER)\n",
            sm->dropped_signals, sm->dropped_samples);
  if (sm->lost_handler)
    fputs("The program replaced cprof's SIGPROF handler: sampling stopped "
          "there\n",
          out);
  if (!sm->debuginfo)
    fputs("This prstats was built without libdw: functions are shown by "
          "their mapping only\n",
          out);
}

void report_sampled(FILE *out, const struct stats *s,
                    const struct report_opts *o) {
  const struct sampled *sm = s->sampled;
  if (!sm)
    return;
  int p = o->precision;
  size_t n;
  uint32_t *order = sampled_order(sm, &n);
  put_header(out, sm);
  fprintf(out, "\n %*s  percent %*s  percent filename:lineno(function)\n",
          p + 5, "tottime", p + 5, "cumtime");
  for (size_t i = 0; i < n; i++) {
    const struct sampled_func *f = &sm->funcs[order[i]];
    fprintf(out, " %*.*f %7.1f%% %*.*f %7.1f%% %s\n", p + 5, p,
            seconds(f->self_ns), percent(f->self_ns, sm->total_ns), p + 5, p,
            seconds(f->cum_ns), percent(f->cum_ns, sm->total_ns), f->label);
  }
  fputs("\n\n", out);
  free(order);
}

void report_sampled_json(FILE *out, const struct stats *s) {
  const struct sampled *sm = s->sampled;
  if (!sm)
    return;
  size_t n;
  uint32_t *order = sampled_order(sm, &n);
  fprintf(out,
          ",\"sampled\":{\"period_ns\":%" PRIu64 ",\"signals\":%" PRIu64
          ",\"samples\":%" PRIu64 ",\"cut\":%" PRIu64
          ",\"dropped_signals\":%" PRIu64 ",\"dropped_samples\":%" PRIu64
          ",\"threads\":%" PRIu64
          ",\"wall\":%s,\"total_time\":%.9g,\"functions\":[",
          sm->period_ns, sm->signals, sm->samples, sm->cut, sm->dropped_signals,
          sm->dropped_samples, sm->threads, sm->wall ? "true" : "false",
          seconds(sm->total_ns));
  for (size_t i = 0; i < n; i++) {
    const struct sampled_func *f = &sm->funcs[order[i]];
    fputs(i ? ",\n{\"name\":" : "\n{\"name\":", out);
    utf8_put_json(out, f->name);
    fputs(",\"file\":", out);
    utf8_put_json(out, f->file);
    fprintf(out, ",\"line\":%" PRIu32 ",\"module\":", f->line);
    utf8_put_json(out, f->module);
    fprintf(out, ",\"tottime\":%.9g,\"cumtime\":%.9g}", seconds(f->self_ns),
            seconds(f->cum_ns));
  }
  fputs("\n]}", out);
  free(order);
}
