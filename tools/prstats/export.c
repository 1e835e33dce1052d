/*
 * export.c - -f FORMAT: the whole merged profile in another tool's format
 * (report_ops' formats: json, pstats, callgrind, folded, speedscope, pprof,
 * svg, html).
 */
#include "prstats.h"

static int write_export(FILE *out, const struct cli *c, const struct stats *s) {
  return c->format->fn(out, s, &c->opts);
}

int run_export(const struct cli *c) {
  return cli_write_merged(c, write_export);
}
