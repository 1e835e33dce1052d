/*
 * memory.h - the memory sections of a profile (CPROF_MEMORY=1): sites
 * grouped into rows, and reports on them in the layouts of Python's
 * tracemalloc (docs/memory.md; `prstats --memory`, `--leaks`).
 */
#ifndef CPROF_READ_MEMORY_H
#define CPROF_READ_MEMORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cprof-read/profile.h"

/*
 * memory_load.c: a profile with a memory trace, its sites checked against
 * the call tree; free it with prof_free().
 */
int mem_load(struct prof_file *pf, const char *path, char *err, size_t errsize);

/* memory_group.c: sites added up by what the report groups them by. */
enum mem_group { GROUP_LINE, GROUP_FUNCTION, GROUP_PATH };

struct mem_row {
  char *key;     /* "file:LINE", "file:LINE(name)", "file:LINE (a > b)" */
  char *file;    /* NULL for <unprofiled> */
  char *name;    /* function, GROUP_FUNCTION only */
  char *path;    /* "a > b", GROUP_PATH only */
  uint32_t line; /* source line; the definition's for GROUP_FUNCTION */
  uint64_t size, count; /* live bytes and blocks: tracemalloc's numbers */
  uint64_t peak;        /* most bytes live at once (see docs/memory.md) */
  uint64_t allocs, alloc_bytes;
  int64_t size_diff, count_diff; /* --diff: NEW minus OLD */
};

struct mem_rows {
  struct mem_row *row;
  size_t n;
};

void mem_group(struct mem_rows *out, const struct prof_file *mf,
               enum mem_group by);
void mem_diff(struct mem_rows *out, struct mem_rows *old,
              struct mem_rows *new_);
void mem_sort(struct mem_rows *r, int diff);
void mem_rows_free(struct mem_rows *r);

/* report_memory.c */
struct mem_report {
  enum mem_group by;
  int json, leaks;
  size_t limit; /* rows to show, 0: all */
};

int report_memory(FILE *out, const struct mem_report *o,
                  const struct prof_file *mf, const struct mem_rows *rows);
int report_memory_diff(FILE *out, const struct mem_report *o,
                       const struct prof_file *old,
                       const struct prof_file *new_,
                       const struct mem_rows *rows);

#endif /* CPROF_READ_MEMORY_H */
