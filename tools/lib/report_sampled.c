/*
 * report_sampled.c - what the reports say of the sampled stacks
 * (CPROF_SAMPLE): lines under pstats' summary, and the "sampled" object
 * of the JSON report.
 *
 * The sampled functions are rows of pstats' table itself (pure.c, and
 * hybrid.c's under profiled calls), so the text report lists no second
 * table of them: these lines say what their numbers are.  A sampler sees
 * where the time goes, not how often a function is called, so the rows
 * have no call counts and the lines say so, as gprof does for its
 * sampled columns; they also say how much to trust them: how many
 * signals carried the samples (the independent observations), and how
 * many stacks were cut short.
 */
#include "cprof-read/report_sampled.h"

#include <inttypes.h>
#include <stdlib.h>

#include "cprof-read/sampled.h"
#include "cprof-read/utf8.h"

static double seconds(uint64_t ns) { return (double)ns / 1e9; }

void report_sampled_notes(FILE *out, const struct stats *s,
                          const char *indent) {
  const struct sampled *sm = s->sampled;
  if (!sm)
    return;
  fprintf(out,
          "%sSampled stacks: %" PRIu64 " signals carrying %" PRIu64
          " samples of %.3f ms %s time each%s (%.3f seconds) in %" PRIu64
          " thread%s\n",
          indent, sm->signals, sm->samples, (double)sm->period_ns / 1e6,
          sm->wall ? "wall" : "CPU",
          sm->periods_vary ? " (first file's; the others differ)" : "",
          seconds(sm->total_ns), sm->threads, sm->threads == 1 ? "" : "s");
  fprintf(out,
          "%sNo call counts in the sampled rows (ncalls -): a sampler sees "
          "time, not calls; their tottime and cumtime are samples x period\n",
          indent);
  if (sm->nhybrid)
    fprintf(out,
            "%sRows ~:0({module:function}): sampled time outside the "
            "profiled functions, under the profiled call it ran in, taken out "
            "of that caller's tottime\n",
            indent);
  if (sm->cut)
    fprintf(out,
            "%s%" PRIu64 " stack%s cut where a frame pointer could not be "
            "followed (code built without them, such as the C library's): "
            "the callers above that frame are missing\n",
            indent, sm->cut, sm->cut == 1 ? " was" : "s were");
  if (sm->dropped_signals)
    fprintf(out,
            "%s%" PRIu64 " signals (%" PRIu64 " samples) were dropped: a "
            "thread's buffer was full (CPROF_SAMPLE_BUFFER)\n",
            indent, sm->dropped_signals, sm->dropped_samples);
  if (sm->lost_handler)
    fprintf(out,
            "%sThe program replaced cprof's SIGPROF handler: sampling "
            "stopped there\n",
            indent);
  if (!sm->debuginfo)
    fprintf(out,
            "%sThis prstats was built without libdw: functions are shown by "
            "their mapping only\n",
            indent);
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
