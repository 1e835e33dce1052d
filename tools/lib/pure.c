/*
 * pure.c - sampled stacks outside profiled calls into rows (pure.h).
 *
 * Each sampled function (sampled.c's) becomes a function of struct stats,
 * named as the JSON's "sampled" object names it: (name, file, line) of its
 * start from DWARF, or (name, the module's base name, 0) without;
 * "[unknown]" where no symbol covers the address.  A hybrid run's rows
 * "{module:function}" (hybrid.c) cannot meet these: their file is "~".
 *
 * A stack of weight w, in ticks t = w x the ticks of one sample
 * (stats_sample_ticks), gives what a call path of the calling-context tree
 * gives cct.c, the stack standing for its outermost frame's path down to
 * the interrupted function:
 *
 *   tottime       t to the interrupted function (frame 0);
 *   cumtime       t to each function on the stack, once however often it
 *                 recurses (cProfile's outermost-activation rule);
 *   edge g -> f   for adjacent frames, g the caller: t to its cumtime once
 *                 a stack, to its tottime when f is frame 0;
 *   path          the frames from the outermost down, t of self time at
 *                 the last;
 *   lines         w samples to the line of each function's innermost
 *                 frame (its own address, or its call), which the line
 *                 view apportions its cumtime by; each stack is one
 *                 signal, one independent observation.
 *
 * ncalls and pcalls stay 0: a sampler sees time, not calls.  Sums stay
 * whole ticks, so the self times add up to the samples' total exactly.
 */
#include "cprof-read/pure.h"

#include <stdlib.h>
#include <string.h>

#include "cprof-read/util.h"

struct rows {
  struct stats *s;
  const struct sampled *sm;
  uint32_t *row;       /* per sampled function: its row, HASH_NONE until used */
  uint64_t *seen;      /* per row: the last stack (1-based) that counted it */
  uint64_t *edge_seen; /* per edge: the same */
  size_t seen_cap, edge_cap;
};

/* The row of sampled function k, made on first use. */
static uint32_t row_of(struct rows *r, uint32_t k) {
  if (r->row[k] == HASH_NONE) {
    const struct sampled_func *f = &r->sm->funcs[k];
    r->row[k] = stats_func_id(r->s, f->name, f->name, f->file, f->line);
    r->s->funcs[r->row[k]].sampled = 1;
  }
  return r->row[k];
}

/* Has stack `stamp` counted entry i of *seen yet?  Marks it counted. */
static int first_time(uint64_t **seen, size_t *cap, size_t i, uint64_t stamp) {
  if (i >= *cap) {
    size_t was = *cap;
    *seen = xgrow(*seen, cap, i + 1, sizeof **seen);
    memset(*seen + was, 0, (*cap - was) * sizeof **seen);
  }
  if ((*seen)[i] == stamp)
    return 0;
  (*seen)[i] = stamp;
  return 1;
}

/* The function's line samples: a line too far from its others is left
 * on no line (stats_line_at). */
static void count_line(struct stats_func *f, uint32_t line, uint64_t w) {
  struct stats_line *l = line ? stats_line_at(f, line) : NULL;
  if (l) {
    l->samples += w;
    f->line_sampled = 1;
  }
}

static void add_stack(struct rows *r, const struct sampled_stack *st, int64_t t,
                      uint64_t stamp) {
  struct stats *s = r->s;
  const struct sampled_frame *fr = &r->sm->frames[st->first];
  uint32_t path = HASH_NONE, callee = HASH_NONE;

  for (uint32_t d = 0; d < st->depth; d++) {
    uint32_t g = row_of(r, fr[d].func);
    struct stats_func *f = &s->funcs[g];
    if (d == 0)
      f->tottime = ticks_add(f->tottime, t);
    if (first_time(&r->seen, &r->seen_cap, g, stamp)) {
      f->cumtime = ticks_add(f->cumtime, t);
      f->samples += st->weight;
      f->signals += 1;
      count_line(f, fr[d].line, st->weight);
    }
    if (d > 0) {
      uint32_t e = stats_edge_id(s, g, callee);
      if (d == 1)
        s->edges[e].tottime = ticks_add(s->edges[e].tottime, t);
      if (first_time(&r->edge_seen, &r->edge_cap, e, stamp))
        s->edges[e].cumtime = ticks_add(s->edges[e].cumtime, t);
    }
    callee = g;
  }
  if (!s->folded || !st->depth)
    return;
  for (uint32_t d = st->depth; d-- > 0;)
    path = stats_path_id(s, path, row_of(r, fr[d].func));
  s->paths[path].self = ticks_add(s->paths[path].self, t);
}

void pure_add(struct stats *s, const struct prof_file *pf) {
  const struct sampled *sm = s->sampled;
  if (!sm || !pf->sample_info || !sm->npure)
    return;
  struct rows r = {.s = s, .sm = sm};
  r.row = xmalloc((sm->nfuncs + 1) * sizeof *r.row);
  for (size_t k = 0; k < sm->nfuncs; k++)
    r.row[k] = HASH_NONE;
  for (size_t i = 0; i < sm->npure; i++) {
    const struct sampled_stack *st = &sm->pure[i];
    add_stack(&r, st,
              stats_sample_ticks(s, pf->sample_info->period_ns, st->weight),
              i + 1);
  }
  free(r.row);
  free(r.seen);
  free(r.edge_seen);
}
