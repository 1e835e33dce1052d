/*
 * cct.h - cProfile's numbers from one file's calling-context tree.
 */
#ifndef CPROF_READ_CCT_H
#define CPROF_READ_CCT_H

#include "cprof-read/profile.h"
#include "cprof-read/stats.h"

/*
 * Adds the nodes of `pf` to the functions and edges of `s`; fmap maps the
 * file's function indexes to merged ones.  O(nodes), no recursion.
 */
void cct_add(struct stats *s, const struct prof_file *pf, const uint32_t *fmap);

#endif /* CPROF_READ_CCT_H */
