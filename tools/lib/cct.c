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
 *
 * Before that, each node's inclusive ticks lose what the probes cost, as
 * the runtime measured it at start-up (O = one call as its caller sees
 * it, Oin = the part inside the callee's own ticks, L = one line change):
 *
 *   comp(n) = ticks(n) - calls(n) Oin - D(n) O - Lsum(n) L
 *
 * where D(n) counts the calls below n and Lsum(n) the line changes made
 * by n and below, estimated from each function's line hits per call (the
 * tree does not say which calls made which line changes).  A node never
 * keeps less than its children's corrected time, so no self time goes
 * negative when the measured costs were a little high.
 *
 * Every time stays in whole ticks of the merged profile's rate (the first
 * file's; another file's ticks are converted, each node rounded): sums of
 * integers are exact, so cumtime >= tottime >= 0 and the self times add
 * up to the total, however many nodes and files.  Only the printers turn
 * ticks into seconds (stats_seconds).
 */
#include "cprof-read/cct.h"

#include <stdlib.h>

#include "cprof-read/util.h"

struct walk {
  struct stats *s;
  const struct prof_file *pf;
  const struct cprof_file_node *nodes;
  const uint32_t *fmap; /* the file's function -> merged function */
  uint32_t nnodes;
  double rate;    /* the merged profile's ticks per tick of this file */
  uint32_t *edge; /* per node: edge from its parent, HASH_NONE at a root */
  uint32_t *first, *kids; /* children of v: kids[first[v] .. first[v+1]) */
  uint32_t *active_fn, *active_edge; /* their nodes on the current path */
  int64_t *incl, *self; /* per node: ticks, corrected unless s->raw */
};

/* The merged function of node v. */
static uint32_t fn_of(const struct walk *w, uint32_t v) {
  return w->fmap[w->nodes[v].func];
}

static void map_nodes(struct walk *w) {
  for (uint32_t v = 0; v < w->nnodes; v++) {
    const struct cprof_file_node *n = &w->nodes[v];
    w->edge[v] = n->parent == CPROF_NO_PARENT
                     ? HASH_NONE
                     : stats_edge_id(w->s, fn_of(w, n->parent), fn_of(w, v));
  }
}

/* Node v's parent (CPROF_NO_PARENT, UINT32_MAX, at a root). */
static uint32_t node_parent(const void *ctx, size_t v) {
  const struct walk *w = ctx;
  return w->nodes[v].parent;
}

/*
 * Line changes per call of each of the file's functions: 0 without lines,
 * and without line probes that read the timer (the line-hits and the
 * sampled modes count a line inline, at no cost L measures).
 */
static double *line_rates(const struct prof_file *pf) {
  double *rate = xcalloc(pf->nfuncs, sizeof *rate);
  double *calls = xcalloc(pf->nfuncs, sizeof *calls);

  for (uint64_t i = 0; i < pf->nfuncs; i++) {
    const struct cprof_file_func *ff = &pf->funcs[i];
    if (ff->flags & (CPROF_FUNC_LINE_HITS | CPROF_FUNC_LINE_SAMPLED))
      continue;
    for (uint32_t k = 0; k < ff->nlines; k++)
      rate[i] += (double)pf->lines[ff->line_base + k].hits;
  }
  for (uint64_t v = 0; v < pf->nnodes; v++)
    calls[pf->nodes[v].func] += (double)pf->nodes[v].calls;
  for (uint64_t i = 0; i < pf->nfuncs; i++)
    rate[i] = calls[i] > 0 ? rate[i] / calls[i] : 0;
  free(calls);
  return rate;
}

/* This file's ticks, and an estimate of them, in the merged profile's. */
static int64_t merged_ticks(const struct walk *w, uint64_t ticks) {
  if (w->rate == 1)
    return ticks < INT64_MAX ? (int64_t)ticks : INT64_MAX;
  return ticks_of((double)ticks * w->rate);
}
static int64_t merged_cost(const struct walk *w, double ticks) {
  return ticks_of(ticks * w->rate);
}

/*
 * incl[] and self[] of every node, corrected as the header comment says.
 * A child's index is above its parent's, so walking from the last node
 * down finishes every child before its parent.  Each child passes up its
 * corrected time, and the probe cost it accounts for: its calls' O, its
 * own line changes' L and what its children passed it; so n receives
 * D(n) O + Lsum(n) L less its own line changes.  Until a node's turn its
 * incl[] and self[] collect these two sums: a million nodes need no more
 * arrays.  Each node's estimate is rounded to whole ticks where it is
 * made.  Raw times are the measured ticks; the clamp to the children's
 * sum then only matters for damaged data or a rate conversion's rounding.
 */
static void node_times(struct walk *w) {
  const struct cprof_file_header *h = &w->pf->hdr;
  double o = (double)h->call_cost, oin = (double)h->call_inner_cost;
  double l = (double)h->line_cost, *rate = line_rates(w->pf);
  int64_t *below = w->incl, *kids = w->self; /* cost below, children's incl */

  for (uint32_t v = w->nnodes; v-- > 0;) {
    const struct cprof_file_node *n = &w->nodes[v];
    double calls = (double)n->calls, lines = calls * rate[n->func] * l;
    int64_t incl = merged_ticks(w, n->ticks), b = below[v], k = kids[v];
    if (!w->s->raw)
      incl = ticks_sub(incl, ticks_add(merged_cost(w, calls * oin + lines), b));
    incl = incl > k ? incl : k;
    w->incl[v] = incl;
    w->self[v] = incl - k;
    if (n->parent != CPROF_NO_PARENT) {
      below[n->parent] = ticks_add(
          below[n->parent], ticks_add(merged_cost(w, calls * o + lines), b));
      kids[n->parent] = ticks_add(kids[n->parent], incl);
    }
  }
  free(rate);
}

/* Each node's self time and calls go to its call path, for the folded
 * stacks and the views of the tree (calltree.h). */
static void add_paths(struct walk *w) {
  uint32_t *path = xmalloc((size_t)w->nnodes * sizeof *path);

  for (uint32_t v = 0; v < w->nnodes; v++) {
    uint32_t parent = w->nodes[v].parent;
    path[v] = stats_path_id(
        w->s, parent == CPROF_NO_PARENT ? HASH_NONE : path[parent],
        fn_of(w, v));
    struct stats_path *p = &w->s->paths[path[v]];
    p->self = ticks_add(p->self, w->self[v]);
    p->calls += w->nodes[v].calls;
  }
  free(path);
}

/* What every node adds, outermost or not. */
static void add_all_nodes(struct walk *w) {
  for (uint32_t v = 0; v < w->nnodes; v++) {
    struct stats_func *f = &w->s->funcs[fn_of(w, v)];
    uint64_t calls = w->nodes[v].calls;
    int64_t self = w->self[v];

    f->ncalls += calls;
    f->tottime = ticks_add(f->tottime, self);
    f->rawtime = ticks_add(f->rawtime, merged_ticks(w, w->nodes[v].ticks));
    f->calltime = ticks_add(f->calltime, w->incl[v]);
    if (w->edge[v] != HASH_NONE) {
      struct stats_edge *e = &w->s->edges[w->edge[v]];
      e->ncalls += calls;
      e->tottime = ticks_add(e->tottime, self);
    }
  }
}

/* Entering v: it is primitive when nothing above it is a node of its own. */
static void enter(struct walk *w, uint32_t v) {
  uint64_t calls = w->nodes[v].calls;
  int64_t t = w->incl[v];
  uint32_t e = w->edge[v], f = fn_of(w, v);

  if (w->active_fn[f]++ == 0) {
    w->s->funcs[f].pcalls += calls;
    w->s->funcs[f].cumtime = ticks_add(w->s->funcs[f].cumtime, t);
  }
  if (e != HASH_NONE && w->active_edge[e]++ == 0) {
    w->s->edges[e].pcalls += calls;
    w->s->edges[e].cumtime = ticks_add(w->s->edges[e].cumtime, t);
  }
}
static void leave(struct walk *w, uint32_t v) {
  w->active_fn[fn_of(w, v)]--;
  if (w->edge[v] != HASH_NONE)
    w->active_edge[w->edge[v]]--;
}

/* A node on the current path, and where its next child is in kids[]. */
struct step {
  uint32_t node, next;
};

static void walk_tree(struct walk *w) {
  /* Only as much of it as the deepest path is ever touched. */
  struct step *stack = xmalloc((size_t)w->nnodes * sizeof *stack);
  uint32_t sp = 0;

  for (uint32_t root = 0; root < w->nnodes; root++) {
    if (w->nodes[root].parent != CPROF_NO_PARENT)
      continue;
    enter(w, root);
    stack[sp++] = (struct step){root, w->first[root]};
    while (sp) {
      struct step *top = &stack[sp - 1];
      if (top->next < w->first[top->node + 1]) {
        uint32_t child = w->kids[top->next++];
        enter(w, child);
        stack[sp++] = (struct step){child, w->first[child]};
      } else {
        leave(w, top->node);
        sp--;
      }
    }
  }
  free(stack);
}

void cct_add(struct stats *s, const struct prof_file *pf,
             const uint32_t *fmap) {
  struct walk w = {.s = s,
                   .pf = pf,
                   .nodes = pf->nodes,
                   .fmap = fmap,
                   .rate = s->tick_hz / pf->hdr.tick_hz};

  /* Each per-node array lives only as long as it is needed: a million
   * nodes make each of them megabytes. */
  w.nnodes = (uint32_t)pf->nnodes;
  w.edge = xmalloc((size_t)w.nnodes * sizeof *w.edge);
  map_nodes(&w);
  w.incl = xcalloc(w.nnodes, sizeof *w.incl);
  w.self = xcalloc(w.nnodes, sizeof *w.self);
  node_times(&w);
  add_all_nodes(&w);
  if (s->folded)
    add_paths(&w);
  free(w.self);
  w.first = xcalloc((size_t)w.nnodes + 1, sizeof *w.first);
  w.kids = xmalloc((size_t)w.nnodes * sizeof *w.kids);
  group_by_parent(w.nnodes, w.nnodes, node_parent, &w, w.first, w.kids);
  /* Sized after map_nodes: it may have created edges. */
  w.active_fn = xcalloc(s->nfuncs, sizeof *w.active_fn);
  w.active_edge = xcalloc(s->nedges, sizeof *w.active_edge);
  walk_tree(&w);
  free(w.edge);
  free(w.first);
  free(w.kids);
  free(w.incl);
  free(w.active_fn);
  free(w.active_edge);
}
