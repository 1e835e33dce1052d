/*
 * diff.c - --diff BEFORE AFTER: each file read alone, then compared
 * function by function (report_diff), or -f html: the page of the same
 * rows and of both call trees (export_html_diff).
 */
#include "prstats.h"

#include "cprof-read/load.h"
#include "cprof-read/output.h"

struct diff {
  const struct cli *c;
  const struct stats *before, *after;
};

static int write_diff(FILE *out, const void *ctx) {
  const struct diff *d = ctx;
  if (d->c->format && d->c->format->fn == export_html)
    return export_html_diff(out, d->before, d->after, &d->c->opts);
  return report_diff(out, d->before, d->after, &d->c->opts);
}

int run_diff(const struct cli *c) {
  struct stats s[2];
  struct diff d = {c, &s[0], &s[1]};
  int rc;

  cli_stats_init(c, &s[0]);
  cli_stats_init(c, &s[1]);
  rc = load_files(&s[0], c->files, 1) || load_files(&s[1], c->files + 1, 1) ||
       output_write(c->output, write_diff, &d);
  stats_free(&s[0]);
  stats_free(&s[1]);
  return rc ? -1 : 0;
}
