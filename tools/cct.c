/*
 * cct.c - cProfile's numbers from a calling-context tree.
 *
 * A node is one call path; cProfile's counters follow from the tree:
 *
 *   ncalls, tottime   every node of f: its calls, its ticks minus its
 *                     children's ticks (self time);
 *   pcalls, cumtime   only the "outermost" nodes of f, those with no node
 *                     of f above them: a recursive call is not primitive
 *                     and its time is already inside the outer call's;
 *   edge g -> f       the nodes of f whose parent is a node of g, with the
 *                     same rule applied to the pair: the edge is
 *                     primitive where no g -> f pair occurs above it.
 *
 * The outermost test needs to know, while walking down, how many nodes of
 * each function and each edge are on the current path.  A depth-first walk
 * keeps those counts; it runs on an explicit stack because real trees can
 * be a million nodes deep.  It relies only on parent < own index (checked
 * by the reader), not on the nodes being in pre-order.
 */
#include "cct.h"

#include <stdlib.h>

#include "util.h"

struct walk {
  struct stats *s;
  const struct cprof_file_node *nodes;
  uint32_t nnodes;
  double hz;
  uint32_t *fn;   /* per node: merged function */
  uint32_t *edge; /* per node: edge from its parent, HASH_NONE at a root */
  uint32_t *first, *kids; /* children of v: kids[first[v] .. first[v+1]) */
  uint32_t *active_fn, *active_edge; /* their nodes on the current path */
};

static void map_nodes(struct walk *w, const uint32_t *fmap) {
  for (uint32_t v = 0; v < w->nnodes; v++) {
    const struct cprof_file_node *n = &w->nodes[v];
    w->fn[v] = fmap[n->func];
    w->edge[v] = n->parent == CPROF_NO_PARENT
                     ? HASH_NONE
                     : stats_edge_id(w->s, w->fn[n->parent], w->fn[v]);
  }
}

/* Children lists in one array (counting sort by parent). */
static void link_children(struct walk *w) {
  uint32_t *fill = xcalloc((size_t)w->nnodes + 1, sizeof *fill);

  for (uint32_t v = 0; v < w->nnodes; v++)
    if (w->nodes[v].parent != CPROF_NO_PARENT)
      w->first[w->nodes[v].parent + 1]++;
  for (uint32_t v = 0; v < w->nnodes; v++)
    w->first[v + 1] += w->first[v];
  for (uint32_t v = 0; v < w->nnodes; v++) {
    uint32_t p = w->nodes[v].parent;
    if (p != CPROF_NO_PARENT)
      w->kids[w->first[p] + fill[p]++] = v;
  }
  free(fill);
}

/* Self time may come out negative only on inconsistent data; keep the sign. */
static double self_seconds(const struct walk *w, uint32_t v) {
  uint64_t ticks = w->nodes[v].ticks, inner = 0;

  for (uint32_t k = w->first[v]; k < w->first[v + 1]; k++)
    inner += w->nodes[w->kids[k]].ticks;
  return ticks >= inner ? (double)(ticks - inner) / w->hz
                        : -(double)(inner - ticks) / w->hz;
}

/* What every node adds, outermost or not. */
static void add_all_nodes(struct walk *w) {
  for (uint32_t v = 0; v < w->nnodes; v++) {
    struct stats_func *f = &w->s->funcs[w->fn[v]];
    uint64_t calls = w->nodes[v].calls;
    double self = self_seconds(w, v);

    f->ncalls += calls;
    f->tottime += self;
    if (w->edge[v] != HASH_NONE) {
      struct stats_edge *e = &w->s->edges[w->edge[v]];
      e->ncalls += calls;
      e->tottime += self;
    }
  }
}

/* Entering v: it is primitive when nothing above it is a node of its own. */
static void enter(struct walk *w, uint32_t v) {
  uint64_t calls = w->nodes[v].calls;
  double t = (double)w->nodes[v].ticks / w->hz;
  uint32_t e = w->edge[v];

  if (w->active_fn[w->fn[v]]++ == 0) {
    w->s->funcs[w->fn[v]].pcalls += calls;
    w->s->funcs[w->fn[v]].cumtime += t;
  }
  if (e != HASH_NONE && w->active_edge[e]++ == 0) {
    w->s->edges[e].pcalls += calls;
    w->s->edges[e].cumtime += t;
  }
}

static void leave(struct walk *w, uint32_t v) {
  w->active_fn[w->fn[v]]--;
  if (w->edge[v] != HASH_NONE)
    w->active_edge[w->edge[v]]--;
}

static void walk_tree(struct walk *w) {
  uint32_t *stack = xmalloc((size_t)w->nnodes * sizeof *stack);
  uint32_t *next = xmalloc((size_t)w->nnodes * sizeof *next);
  uint32_t sp = 0;

  for (uint32_t v = 0; v < w->nnodes; v++)
    next[v] = w->first[v];
  for (uint32_t root = 0; root < w->nnodes; root++) {
    if (w->nodes[root].parent != CPROF_NO_PARENT)
      continue;
    enter(w, root);
    stack[sp++] = root;
    while (sp) {
      uint32_t v = stack[sp - 1];
      if (next[v] < w->first[v + 1]) {
        uint32_t child = w->kids[next[v]++];
        enter(w, child);
        stack[sp++] = child;
      } else {
        leave(w, v);
        sp--;
      }
    }
  }
  free(stack);
  free(next);
}

void cct_add(struct stats *s, const struct prof_file *pf,
             const uint32_t *fmap) {
  struct walk w = {.s = s, .nodes = pf->nodes, .hz = pf->hdr.tick_hz};

  w.nnodes = (uint32_t)pf->nnodes;
  w.fn = xmalloc((size_t)w.nnodes * sizeof *w.fn);
  w.edge = xmalloc((size_t)w.nnodes * sizeof *w.edge);
  w.first = xcalloc((size_t)w.nnodes + 1, sizeof *w.first);
  w.kids = xmalloc((size_t)w.nnodes * sizeof *w.kids);
  map_nodes(&w, fmap);
  link_children(&w);
  add_all_nodes(&w);
  /* Sized after map_nodes: it may have created edges. */
  w.active_fn = xcalloc(s->nfuncs, sizeof *w.active_fn);
  w.active_edge = xcalloc(s->nedges, sizeof *w.active_edge);
  walk_tree(&w);
  free(w.fn);
  free(w.edge);
  free(w.first);
  free(w.kids);
  free(w.active_fn);
  free(w.active_edge);
}
