/*
 * prstats.c - the prstats command: reports on cprof profiles.
 *
 *   prstats [OPTION]... FILE...
 *   prstats --diff [OPTION]... BEFORE AFTER
 *   prstats -i [FILE]...
 *
 * Reads every FILE (each checked in full before use; several are merged
 * the way pstats' add() merges), then prints pstats' table, its callers
 * or callees views, line_profiler's per-line report, percentiles, or
 * writes one of the export formats; or compares two profiles; or runs
 * pstats' interactive browser.  Exit status: 0, 1 on bad input or a
 * failed write, 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "browse.h"
#include "cli.h"
#include "load.h"
#include "memory.h"
#include "output.h"

static int run_views(const struct cli *c, const struct stats *s, FILE *out) {
  static const struct {
    int view;
    report_fn *fn;
  } views[] = {{VIEW_CALLERS, report_callers},
               {VIEW_CALLEES, report_callees},
               {VIEW_LINES, report_lines},
               {VIEW_PERCENTILES, report_percentiles}};
  int rc = 0;

  if (c->format && c->format->write)
    return c->format->write(out, s, &c->opts);
  if (!c->views)
    return report_stats(out, s, &c->opts);
  for (size_t i = 0; i < sizeof views / sizeof views[0] && !rc; i++)
    if (c->views & views[i].view)
      rc = views[i].fn(out, s, &c->opts);
  return rc;
}

/* The report, or the diff, to stdout or to -o FILE. */
static int run_report(const struct cli *c) {
  struct stats s[2];
  struct output out;
  int nstats = c->diff ? 2 : 1, rc = 0;

  for (int i = 0; i < nstats; i++) {
    stats_init(&s[i]);
    s[i].raw = c->raw, s[i].strip = c->strip;
    s[i].folded = c->format && c->format->paths;
  }
  if (c->diff)
    rc = load_files(&s[0], c->files, 1) || load_files(&s[1], c->files + 1, 1);
  else
    rc = load_files(&s[0], c->files, c->nfiles);
  if (rc == 0 && (rc = output_open(&out, c->output)) == 0) {
    rc = c->diff ? report_diff(out.fp, &s[0], &s[1], &c->opts)
                 : run_views(c, &s[0], out.fp);
    rc = output_close(&out, rc == 0) || rc;
  }
  for (int i = 0; i < nstats; i++)
    stats_free(&s[i]);
  return rc;
}

int main(int argc, char **argv) {
  struct cli cli;
  int rc;

  if (memory_wanted(argc, argv)) /* --memory, --leaks: options of their own */
    return memory_main(argc, argv);
  if (cli_parse(&cli, argc, argv))
    return 2;
  rc = cli.browse ? browse(&cli) : run_report(&cli);
  cli_free(&cli);
  return rc ? 1 : 0;
}
