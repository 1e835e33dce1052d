/*
 * profile.h - one cprof.out file, loaded and checked.
 *
 * The reader trusts nothing in the file: after prof_load() succeeds every
 * offset, index and range in the arrays below is known to be in bounds,
 * so every reader of struct prof_file indexes them without further checks.
 */
#ifndef CPROF_READ_PROFILE_H
#define CPROF_READ_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "cprof/format.h"

struct prof_file {
  struct cprof_file_header hdr;
  /* Sections copied out to their native layout (newer writers may use
   * longer records, and a section need not be aligned in the file). */
  const char *strings; /* ends with a NUL; every offset is < nstrings */
  uint64_t nstrings;
  struct cprof_file_func *funcs;
  uint64_t nfuncs;
  struct cprof_file_node *nodes;
  uint64_t nnodes;
  struct cprof_file_line *lines;
  uint64_t nlines;
  struct cprof_file_hist *hists; /* optional: NULL from an older runtime */
  uint64_t nhists;
  /* Memory tracing (CPROF_MEMORY=1): both NULL when it never started. */
  struct cprof_file_memsite *memsites;
  uint64_t nmemsites;
  struct cprof_file_memory *memory; /* then exactly one record */
  uint64_t nmemory;
  /* Stack sampling (CPROF_SAMPLE): all NULL, or all there with one info
   * record, every map string offset and stack range checked. */
  struct cprof_file_sample_info *sample_info;
  uint64_t nsample_info;
  const char *map_strings; /* ends with a NUL */
  uint64_t nmap_strings;
  struct cprof_file_map *maps;
  uint64_t nmaps;
  uint64_t *pcs;
  uint64_t npcs;
  struct cprof_file_stack *stacks;
  uint64_t nstacks;
  /* Which nodes are which thread's: NULL from an older runtime. */
  struct cprof_file_thread *threads;
  uint64_t nthreads;
  /* Who the stacks' thread numbers are: NULL from an older runtime;
   * checked to be sample_info->nthreads records. */
  struct cprof_file_sample_thread *sample_threads;
  uint64_t nsample_threads;
};

/*
 * Reads and checks `path`.  Returns 0, or -1 with a one-line reason (no
 * file name, no newline) in err; *pf is then empty.
 */
int prof_load(struct prof_file *pf, const char *path, char *err,
              size_t errsize);

/* The same checks on bytes already in memory; takes ownership of data. */
int prof_parse(struct prof_file *pf, unsigned char *data, size_t size,
               char *err, size_t errsize);

/* The NUL-terminated string at a checked offset. */
static inline const char *prof_string(const struct prof_file *pf,
                                      uint32_t off) {
  return pf->strings + off;
}

void prof_free(struct prof_file *pf);

#endif /* CPROF_READ_PROFILE_H */
