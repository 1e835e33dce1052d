/*
 * calltree.h - the merged calling-context tree as the views draw it.
 *
 * struct stats' paths (loaded with `folded` set) are the exact call tree
 * of every thread and file, merged by path; each has its self time and
 * calls.  This adds what a picture of it needs: each path's inclusive
 * time, its children in order, where it starts along its parent and how
 * deep it is, and a cut-off below which paths are not drawn.
 */
#ifndef CPROF_READ_CALLTREE_H
#define CPROF_READ_CALLTREE_H

#include <stddef.h>
#include <stdint.h>

#include "cprof-read/stats.h"

struct calltree {
  size_t n;        /* the paths, s->npaths; index n is the root above them */
  int64_t *incl;   /* per path: ticks of its self time and its subtree's */
  int64_t *start;  /* per path: ticks from the left edge, for the layout */
  uint32_t *depth; /* per path: 1 at a root path (0 is the root above) */
  uint32_t *first, *kids; /* children of p: kids[first[p] .. first[p+1]),
                             by function name; p = n: the root paths */
  uint32_t max_depth;
  int64_t total; /* sum of the root paths' incl: the profile's total */
};

/* Builds the tree of s's paths in O(paths log paths). */
void calltree_build(struct calltree *t, const struct stats *s);
void calltree_free(struct calltree *t);

/*
 * What a cut-off leaves out: the paths of fewer than `min` inclusive
 * ticks (a child is never wider than its parent, so they are whole
 * subtrees), how many there are, and the functions seen only there.
 * keep[p] says whether path p is drawn; `only` lists up to CALLTREE_NAMES
 * of those functions by index, `nonly` counts all of them.
 */
#define CALLTREE_NAMES 10
struct calltree_cut {
  int64_t min;
  char *keep;
  size_t pruned, nonly;
  uint32_t only[CALLTREE_NAMES];
};

void calltree_cut(const struct calltree *t, const struct stats *s, int64_t min,
                  struct calltree_cut *c);
void calltree_cut_free(struct calltree_cut *c);

#endif /* CPROF_READ_CALLTREE_H */
