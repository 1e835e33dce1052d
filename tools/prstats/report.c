/*
 * report.c - the text views of the merged profile: pstats' table, or the
 * views the options ask for (callers, callees, lines, percentiles), each
 * in report_ops' order.
 */
#include "prstats.h"

static int write_views(FILE *out, const struct cli *c, const struct stats *s) {
  int rc = 0;

  if (!c->views)
    return report_stats(out, s, &c->opts);
  for (unsigned k = 0; report_ops[k].name && !rc; k++)
    if (c->views & 1u << k)
      rc = report_ops[k].fn(out, s, &c->opts);
  return rc;
}

int run_report(const struct cli *c) { return cli_write_merged(c, write_views); }
