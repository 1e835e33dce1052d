/*
 * report.c - what the reports share: which functions, in which order.
 */
#include "report.h"

#include "util.h"

uint32_t *report_select(const struct stats *s, const struct report_opts *o,
                        size_t *ran, size_t *n) {
  uint32_t *order = xmalloc(s->nfuncs * sizeof *order);

  sort_funcs(s, &o->sort, order);
  *ran = 0;
  for (size_t i = 0; i < s->nfuncs; i++)
    if (stats_ran(&s->funcs[order[i]]))
      order[(*ran)++] = order[i];
  *n = o->limit && o->limit < *ran ? o->limit : *ran;
  return order;
}
