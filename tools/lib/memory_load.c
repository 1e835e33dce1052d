/*
 * memory_load.c - a profile with its memory sections, checked.
 *
 * prof_load() checks the whole file, memory sections included; what is
 * left is what only the memory reports need: that the file has a trace,
 * and that each site's function and node are in range and agree.
 */
#include "cprof-read/memory.h"

#include <inttypes.h>

#include "cprof-read/util.h"

/* A site's function and node are in range and agree. */
static int check_sites(const struct prof_file *pf, char *err, size_t errsize) {
  for (size_t i = 0; i < pf->nmemsites; i++) {
    const struct cprof_file_memsite *s = &pf->memsites[i];
    if (s->func != CPROF_NO_FUNC && s->func >= pf->nfuncs)
      return errorf(err, errsize,
                    "memory site %zu: function %" PRIu32 " out of range", i,
                    s->func);
    if (s->node != CPROF_NO_PARENT &&
        (s->node >= pf->nnodes || pf->nodes[s->node].func != s->func))
      return errorf(err, errsize,
                    "memory site %zu: node %" PRIu32 " is not one of its "
                    "function's",
                    i, s->node);
    if (s->live_blocks > s->allocs || s->live_bytes > s->alloc_bytes)
      return errorf(err, errsize, "memory site %zu: more live than allocated",
                    i);
  }
  return 0;
}

int mem_load(struct prof_file *pf, const char *path, char *err,
             size_t errsize) {
  int rc;
  if (prof_load(pf, path, err, errsize))
    return -1;
  if (!pf->memory)
    rc = errorf(err, errsize,
                "no memory trace (the program ran without CPROF_MEMORY=1)");
  else
    rc = check_sites(pf, err, errsize);
  if (rc)
    prof_free(pf);
  return rc;
}
