/*
 * export_folded.c - folded stacks, for flamegraph.pl and speedscope.
 *
 * One line per distinct call path of profiled functions (every thread's
 * and file's calling-context tree, merged by path): the function names
 * from the outermost down, joined by ';', then a space and the self time
 * spent on that path in whole nanoseconds.  The values add up to the
 * profile's total time (rounding carried from line to line), so the
 * flame graph's width is the pstats total.  Paths without time of their
 * own are left out: their callees' lines imply them.
 */
#include "cprof-read/report.h"

#include <stdlib.h>

#include "cprof-read/util.h"

/* A name as one frame: ';' would split it and a newline end the line. */
static void put_frame(FILE *out, const char *name) {
  for (const char *p = name; *p; p++)
    fputc(*p == ';' ? ':' : *p == '\n' || *p == '\r' ? ' ' : *p, out);
}

/* The frames of path p, outermost first. */
static void put_path(FILE *out, const struct stats *s, uint32_t p,
                     uint32_t **chain, size_t *cap) {
  size_t depth = stats_path_chain(s, p, chain, cap);

  while (depth-- > 0) {
    put_frame(out, s->funcs[s->paths[(*chain)[depth]].func].name);
    fputc(depth ? ';' : ' ', out);
  }
}

int export_folded(FILE *out, const struct stats *s,
                  const struct report_opts *o) {
  struct ns_carry carry = {0, 0};
  uint32_t *chain = NULL;
  size_t cap = 0;

  (void)o; /* every path: the restrictions are for reading */
  for (size_t p = 0; p < s->npaths; p++) {
    double ns = ns_carry_next(&carry, stats_seconds(s, s->paths[p].self));
    if (ns > 0) {
      put_path(out, s, (uint32_t)p, &chain, &cap);
      fprintf(out, "%.0f\n", ns);
    }
  }
  free(chain);
  return 0;
}
