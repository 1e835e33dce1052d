/*
 * export_callgrind.c - the profile in callgrind's format, for
 * callgrind_annotate and KCachegrind.
 *
 * Two events: `ns`, self time in nanoseconds, and `Hits`, line hits.  A
 * call is written with its edge's count and inclusive time (pstats'
 * cumtime of the edge, which counts a recursive pair once).
 *
 * cprof does not record which line made a call, so self time can be put
 * on lines only where no profiled call hides inside a line's time: in a
 * function that calls no profiled function, each line's time is its own
 * (what is left of the function's self time goes on its definition
 * line; sampled lines: the function's time split by their samples).
 * Any other function keeps its self time, and its calls, on its
 * definition line; its lines show their hits.
 *
 * Nanoseconds are whole numbers: each self cost is rounded with the
 * error carried on to the next, so the costs add up to the rounded total
 * and callgrind_annotate's total is the profile's.
 */
#include "cprof-read/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/line_view.h"
#include "cprof-read/util.h"

struct callgrind {
  FILE *out;
  const struct stats *s;
  uint32_t *file_id, *fn_id; /* per function: ids of its file and itself */
  char *seen_file, *seen_fn; /* ids already given their name */
  char **label;              /* per function: its name, made unique */
  struct ns_carry ns;        /* self costs written so far */
};

/*
 * Ids in (file, name, line) order.  callgrind identifies a function by
 * file and name, so names repeated in one file (lambdas, say) get their
 * line added.
 */
static void number(struct callgrind *c, const uint32_t *order) {
  const struct stats *s = c->s;
  uint32_t files = 0;

  for (size_t i = 0; i < s->nfuncs; i++) {
    const struct stats_func *f = &s->funcs[order[i]];
    const struct stats_func *prev = i ? &s->funcs[order[i - 1]] : NULL;
    const struct stats_func *next =
        i + 1 < s->nfuncs ? &s->funcs[order[i + 1]] : NULL;
    int same_prev = prev && strcmp(prev->file, f->file) == 0;
    int dup = (same_prev && strcmp(prev->name, f->name) == 0) ||
              (next && strcmp(next->file, f->file) == 0 &&
               strcmp(next->name, f->name) == 0);
    size_t len = strlen(f->name) + 24;

    if (!same_prev)
      files++;
    c->file_id[order[i]] = files;
    c->fn_id[order[i]] = (uint32_t)i + 1;
    c->label[order[i]] = xmalloc(len);
    snprintf(c->label[order[i]], len, dup ? "%s'%" PRIu32 : "%s", f->name,
             f->line);
  }
}

/* "KEY=(id) name" the first time, "KEY=(id)" after. */
static void put_name(struct callgrind *c, const char *key, char *seen,
                     uint32_t id, const char *name) {
  fprintf(c->out, "%s=(%" PRIu32 ")", key, id);
  if (!seen[id])
    fprintf(c->out, " %s", name);
  seen[id] = 1;
  fputc('\n', c->out);
}

/*
 * Self time on lines where it is known, the rest on the definition.  A
 * leaf's cumtime is its self time: sampled lines take their share of it
 * (line_view.h), samples before the first line stay on the definition.
 */
static void put_costs(struct callgrind *c, const struct stats_func *f) {
  int by_line = f->ncallees == 0;
  double sum = 0, self = stats_seconds(c->s, f->tottime), scale = 1;
  struct line_view v = {0};

  if (by_line && f->line_sampled)
    line_view_of(f, &v);
  for (uint32_t k = 0; by_line && k < f->nlines; k++)
    sum += stats_seconds(c->s, v.time ? v.time[k] : f->lines[k].time);
  if (sum > self) /* corrections may leave the lines a little above */
    scale = self / sum;
  fprintf(c->out, "%" PRIu32 " %.0f\n", f->line,
          ns_carry_next(&c->ns, by_line ? self - sum * scale : self));
  for (uint32_t k = 0; k < f->nlines; k++) {
    const struct stats_line *l = &f->lines[k];
    int64_t ticks = v.time ? v.time[k] : l->time;
    double t = stats_seconds(c->s, ticks) * scale;
    if (l->hits || ticks > 0)
      fprintf(c->out, "%" PRIu32 " %.0f %" PRIu64 "\n", f->first_line + k,
              by_line ? ns_carry_next(&c->ns, t) : 0, l->hits);
  }
  line_view_free(&v);
}

/*
 * A sampled callee's calls were not counted, but callgrind_annotate (and
 * KCachegrind) read the cost after "calls=0" as self cost, which would
 * count it twice: such an edge is written as one call.
 */
static void put_calls(struct callgrind *c, const struct stats_func *f) {
  const struct stats *s = c->s;

  for (uint32_t k = 0; k < f->ncallees; k++) {
    const struct stats_edge *e = &s->edges[f->callees[k]];
    const struct stats_func *g = &s->funcs[e->callee];
    uint64_t calls = e->ncalls || !g->sampled ? e->ncalls : 1;
    put_name(c, "cfi", c->seen_file, c->file_id[e->callee], g->file);
    put_name(c, "cfn", c->seen_fn, c->fn_id[e->callee], c->label[e->callee]);
    fprintf(c->out, "calls=%" PRIu64 " %" PRIu32 "\n%" PRIu32 " %.0f\n", calls,
            g->line, f->line, stats_seconds(s, e->cumtime) * 1e9);
  }
}

static void put_function(struct callgrind *c, uint32_t i) {
  const struct stats_func *f = &c->s->funcs[i];

  put_name(c, "fl", c->seen_file, c->file_id[i], f->file);
  put_name(c, "fn", c->seen_fn, c->fn_id[i], c->label[i]);
  put_costs(c, f);
  put_calls(c, f);
  fputc('\n', c->out);
}

int export_callgrind(FILE *out, const struct stats *s,
                     const struct report_opts *o) {
  static const struct sort_spec by_place = {{SORT_FILE, SORT_NAME, SORT_LINE},
                                            3};
  struct callgrind c = {.out = out, .s = s};
  uint32_t *order = xmalloc(s->nfuncs * sizeof *order);

  (void)o; /* every function: the restrictions are for reading */
  c.file_id = xmalloc(s->nfuncs * sizeof *c.file_id);
  c.fn_id = xmalloc(s->nfuncs * sizeof *c.fn_id);
  c.seen_file = xcalloc(s->nfuncs + 1, 1);
  c.seen_fn = xcalloc(s->nfuncs + 1, 1);
  c.label = xmalloc(s->nfuncs * sizeof *c.label);
  sort_funcs(s, &by_place, order);
  number(&c, order);
  fputs("# callgrind format\nversion: 1\ncreator: prstats (cprof)\n"
        "positions: line\nevent: ns : Self time (nanoseconds)\n"
        "event: Hits : Line hits\nevents: ns Hits\n\n",
        out);
  for (size_t i = 0; i < s->nfuncs; i++)
    if (stats_ran(&s->funcs[order[i]]))
      put_function(&c, order[i]);
  for (size_t i = 0; i < s->nfuncs; i++)
    free(c.label[i]);
  free(c.label);
  free(c.file_id);
  free(c.fn_id);
  free(c.seen_file);
  free(c.seen_fn);
  free(order);
  return 0;
}
