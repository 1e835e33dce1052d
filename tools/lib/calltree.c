/*
 * calltree.c - inclusive times, children and layout of the call paths.
 *
 * A path is created after its parent (cct.c makes a node's path from its
 * parent's, and a parent node comes first), so parent < child holds for
 * paths too: one pass from the last path up sums inclusive times, one
 * pass from the first down places each child, and no walk recurses.
 */
#include "cprof-read/calltree.h"

#include <stdlib.h>
#include <string.h>

#include "cprof-read/util.h"

/* The parent of path p, the root above (n) for a root path. */
static size_t parent_of(const struct calltree *t, const struct stats *s,
                        size_t p) {
  uint32_t q = s->paths[p].parent;
  return q == HASH_NONE ? t->n : q;
}

/* Children by function name, ties by index: flamegraph.pl's order.
 * qsort takes no context: the stats sorted by are this file's static. */
static const struct stats *sort_stats;
static int by_name(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  int c = strcmp(sort_stats->funcs[sort_stats->paths[x].func].name,
                 sort_stats->funcs[sort_stats->paths[y].func].name);
  return c ? c : (x > y) - (x < y);
}

struct parents {
  const struct calltree *t;
  const struct stats *s;
};

static uint32_t path_parent(const void *ctx, size_t p) {
  const struct parents *c = ctx;
  return (uint32_t)parent_of(c->t, c->s, p);
}

static void link_children(struct calltree *t, const struct stats *s) {
  struct parents c = {t, s};

  group_by_parent(t->n, t->n + 1, path_parent, &c, t->first, t->kids);
  sort_stats = s;
  for (size_t p = 0; p <= t->n; p++)
    qsort(t->kids + t->first[p], t->first[p + 1] - t->first[p], sizeof *t->kids,
          by_name);
}

void calltree_build(struct calltree *t, const struct stats *s) {
  size_t n = s->npaths;

  t->n = n;
  t->incl = xcalloc(n + 1, sizeof *t->incl);
  t->start = xcalloc(n + 1, sizeof *t->start);
  t->depth = xcalloc(n + 1, sizeof *t->depth);
  t->first = xcalloc(n + 2, sizeof *t->first);
  t->kids = xmalloc((n + 1) * sizeof *t->kids);
  t->max_depth = 0;
  for (size_t p = n; p-- > 0;) {
    t->incl[p] = ticks_add(t->incl[p], s->paths[p].self);
    t->incl[parent_of(t, s, p)] =
        ticks_add(t->incl[parent_of(t, s, p)], t->incl[p]);
  }
  t->total = t->incl[n];
  link_children(t, s);
  /* The root first, then each path after its parent: each places its
   * children side by side from its own start, one level down. */
  for (size_t k = 0; k <= n; k++) {
    size_t q = k == 0 ? n : k - 1;
    int64_t at = t->start[q];
    for (uint32_t i = t->first[q]; i < t->first[q + 1]; i++) {
      uint32_t c = t->kids[i];
      t->start[c] = at;
      at = ticks_add(at, t->incl[c]);
      t->depth[c] = t->depth[q] + 1;
      if (t->depth[c] > t->max_depth)
        t->max_depth = t->depth[c];
    }
  }
}

void calltree_free(struct calltree *t) {
  free(t->incl);
  free(t->start);
  free(t->depth);
  free(t->first);
  free(t->kids);
  memset(t, 0, sizeof *t);
}

void calltree_cut(const struct calltree *t, const struct stats *s, int64_t min,
                  struct calltree_cut *c) {
  char *drawn = xcalloc(s->nfuncs + 1, 1);

  memset(c, 0, sizeof *c);
  c->min = min;
  c->keep = xmalloc(t->n + 1);
  for (size_t p = 0; p < t->n; p++) {
    c->keep[p] = t->incl[p] >= min;
    c->pruned += !c->keep[p];
    if (c->keep[p])
      drawn[s->paths[p].func] = 1;
  }
  c->keep[t->n] = 1;
  for (size_t f = 0; f < s->nfuncs; f++)
    if (!drawn[f] && stats_ran(&s->funcs[f])) {
      if (c->nonly < CALLTREE_NAMES)
        c->only[c->nonly] = (uint32_t)f;
      c->nonly++;
    }
  free(drawn);
}

void calltree_cut_free(struct calltree_cut *c) {
  free(c->keep);
  c->keep = NULL;
}
