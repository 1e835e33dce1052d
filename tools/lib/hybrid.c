/*
 * hybrid.c - sampled rows under profiled calls (hybrid.h).
 *
 * Each sampled stack of a profiled program knows the profiled call on top
 * of the thread's shadow stack as the signal came (CPROF_STACK_NODE), and
 * its first address is the interrupted instruction.  When that instruction
 * is not in the profiled function itself, the sample is time the exact
 * counters cannot see inside: it becomes a row named "{module:function}"
 * (file "~", line 0, as pstats names its built-ins), a callee of that
 * profiled function, with no call count and samples x period as its
 * tottime and cumtime (stats_sample_ticks), taken out of the caller's
 * tottime as pstats does for a built-in's (and out of its call path's self time
 * into the row's, for the folded stacks).  Only the interrupted function is
 * named: the C library is built without frame pointers, so the functions
 * between it and the profiled caller cannot be walked reliably.
 *
 * The runtime's own code is left out: the probes' cost is taken out of the
 * exact times already (docs/prstats.md).
 */
#include "cprof-read/hybrid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/util.h"

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* Is the interrupted function `leaf` outside the profiled `ff`? */
static int outside(const struct prof_file *pf, const struct cprof_file_func *ff,
                   const struct sampled_func *leaf) {
  if (strncmp(base_name(leaf->module), "libcprof", 8) == 0)
    return 0;
  return strcmp(leaf->name, prof_string(pf, ff->symbol)) != 0 &&
         strcmp(leaf->name, prof_string(pf, ff->name)) != 0;
}

/* The row of `leaf`, made on first use. */
static uint32_t row_of(struct stats *s, const struct sampled_func *leaf) {
  const char *module = *leaf->module ? base_name(leaf->module) : "?";
  size_t len = strlen(module) + strlen(leaf->name) + 4;
  char *name = xmalloc(len);
  snprintf(name, len, "{%s:%s}", module, leaf->name);
  uint32_t id = stats_func_id(s, name, leaf->name, "~", 0);
  s->funcs[id].sampled = 1;
  free(name);
  return id;
}

/* Each node's call path (as cct.c's, which exist already), when the
 * folded stacks are kept; NULL otherwise. */
static uint32_t *node_paths(struct stats *s, const struct prof_file *pf,
                            const uint32_t *fmap) {
  if (!s->folded)
    return NULL;
  uint32_t *path = xmalloc((pf->nnodes + 1) * sizeof *path);
  for (uint64_t v = 0; v < pf->nnodes; v++) {
    uint32_t parent = pf->nodes[v].parent;
    path[v] =
        stats_path_id(s, parent == CPROF_NO_PARENT ? HASH_NONE : path[parent],
                      fmap[pf->nodes[v].func]);
  }
  return path;
}

/* `t` ticks of self time to *to, out of *from's (never below 0). */
static void move(int64_t *from, int64_t *to, int64_t t) {
  *from -= t < *from ? t : *from;
  *to += t;
}

void hybrid_add(struct stats *s, const struct prof_file *pf,
                const uint32_t *fmap) {
  struct sampled *sm = s->sampled;
  if (!sm || !pf->sample_info || !sm->nunder)
    return;
  uint32_t *path = node_paths(s, pf, fmap);
  for (size_t i = 0; i < sm->nunder; i++) {
    const struct sampled_under *u = &sm->under[i];
    uint32_t fn = pf->nodes[u->node].func;
    const struct sampled_func *leaf = &sm->funcs[u->func];
    if (!outside(pf, &pf->funcs[fn], leaf))
      continue;
    sm->nhybrid++;
    int64_t t = stats_sample_ticks(s, pf->sample_info->period_ns, u->weight);
    uint32_t caller = fmap[fn], row = row_of(s, leaf);
    struct stats_edge *e = &s->edges[stats_edge_id(s, caller, row)];
    e->tottime += t;
    e->cumtime += t;
    s->funcs[row].cumtime += t;
    move(&s->funcs[caller].tottime, &s->funcs[row].tottime, t);
    if (path) { /* the folded stacks: caller;{module:function} */
      uint32_t p = path[u->node], q = stats_path_id(s, p, row);
      move(&s->paths[p].self, &s->paths[q].self, t);
    }
  }
  free(path);
}
