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
 */
#include "cct.h"

#include <stdlib.h>

#include "util.h"

struct walk {
  struct stats *s;
  const struct prof_file *pf;
  const struct cprof_file_node *nodes;
  uint32_t nnodes;
  double hz;
  uint32_t *fn;   /* per node: merged function */
  uint32_t *edge; /* per node: edge from its parent, HASH_NONE at a root */
  uint32_t *first, *kids; /* children of v: kids[first[v] .. first[v+1]) */
  uint32_t *active_fn, *active_edge; /* their nodes on the current path */
  double *incl, *self; /* per node: ticks, corrected unless s->raw */
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

/*
 * Line changes per call of each of the file's functions: 0 without lines,
 * and without line probes that read the timer (line-hits mode).
 */
static double *line_rates(const struct prof_file *pf) {
  double *rate = xcalloc(pf->nfuncs, sizeof *rate);
  double *calls = xcalloc(pf->nfuncs, sizeof *calls);

  for (uint64_t i = 0; i < pf->nfuncs; i++) {
    const struct cprof_file_func *ff = &pf->funcs[i];
    if (ff->flags & CPROF_FUNC_LINE_HITS)
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

/*
 * incl[] and self[] of every node, corrected as the header comment says.
 * A child's index is above its parent's, so walking from the last node
 * down finishes every child before its parent.  Raw self times keep
 * their sign: a negative one can only come from inconsistent data.
 */
static void node_times(struct walk *w) {
  const struct cprof_file_header *h = &w->pf->hdr;
  double o = (double)h->call_cost, oin = (double)h->call_inner_cost;
  double l = (double)h->line_cost, *rate = line_rates(w->pf);
  double *below = xcalloc(w->nnodes, sizeof *below); /* D(n) */
  double *lsum = xcalloc(w->nnodes, sizeof *lsum);   /* Lsum(n) */
  double *kids = xcalloc(w->nnodes, sizeof *kids);   /* children's incl */

  for (uint32_t v = w->nnodes; v-- > 0;) {
    const struct cprof_file_node *n = &w->nodes[v];
    double calls = (double)n->calls, incl = (double)n->ticks;
    lsum[v] += calls * rate[n->func];
    if (!w->s->raw) {
      incl -= calls * oin + below[v] * o + lsum[v] * l;
      incl = incl > kids[v] ? incl : kids[v];
    }
    w->incl[v] = incl;
    w->self[v] = incl - kids[v];
    if (n->parent != CPROF_NO_PARENT) {
      below[n->parent] += calls + below[v];
      lsum[n->parent] += lsum[v];
      kids[n->parent] += incl;
    }
  }
  free(rate);
  free(below);
  free(lsum);
  free(kids);
}

/* What every node adds, outermost or not; its path gets its self time. */
static void add_all_nodes(struct walk *w) {
  uint32_t *path = xmalloc((size_t)w->nnodes * sizeof *path);

  for (uint32_t v = 0; v < w->nnodes; v++) {
    struct stats_func *f = &w->s->funcs[w->fn[v]];
    uint32_t parent = w->nodes[v].parent;
    uint64_t calls = w->nodes[v].calls;
    double self = w->self[v] / w->hz;

    f->ncalls += calls;
    f->tottime += self;
    f->rawtime += (double)w->nodes[v].ticks / w->hz;
    if (w->edge[v] != HASH_NONE) {
      struct stats_edge *e = &w->s->edges[w->edge[v]];
      e->ncalls += calls;
      e->tottime += self;
    }
    path[v] = stats_path_id(
        w->s, parent == CPROF_NO_PARENT ? HASH_NONE : path[parent], w->fn[v]);
    w->s->paths[path[v]].self += self;
  }
  free(path);
}

/* Entering v: it is primitive when nothing above it is a node of its own. */
static void enter(struct walk *w, uint32_t v) {
  uint64_t calls = w->nodes[v].calls;
  double t = w->incl[v] / w->hz;
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
  struct walk w = {.s = s, .pf = pf, .nodes = pf->nodes,
                   .hz = pf->hdr.tick_hz};

  w.nnodes = (uint32_t)pf->nnodes;
  w.fn = xmalloc((size_t)w.nnodes * sizeof *w.fn);
  w.edge = xmalloc((size_t)w.nnodes * sizeof *w.edge);
  w.first = xcalloc((size_t)w.nnodes + 1, sizeof *w.first);
  w.kids = xmalloc((size_t)w.nnodes * sizeof *w.kids);
  w.incl = xmalloc((size_t)w.nnodes * sizeof *w.incl);
  w.self = xmalloc((size_t)w.nnodes * sizeof *w.self);
  map_nodes(&w, fmap);
  link_children(&w);
  node_times(&w);
  add_all_nodes(&w);
  /* Sized after map_nodes: it may have created edges. */
  w.active_fn = xcalloc(s->nfuncs, sizeof *w.active_fn);
  w.active_edge = xcalloc(s->nedges, sizeof *w.active_edge);
  walk_tree(&w);
  free(w.fn);
  free(w.edge);
  free(w.first);
  free(w.kids);
  free(w.incl);
  free(w.self);
  free(w.active_fn);
  free(w.active_edge);
}
