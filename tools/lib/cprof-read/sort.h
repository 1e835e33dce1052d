/*
 * sort.h - pstats' sort keys: parsing and ordering functions by them.
 */
#ifndef CPROF_READ_SORT_H
#define CPROF_READ_SORT_H

#include <stddef.h>

#include "cprof-read/stats.h"

enum sort_key {
  SORT_CALLS,   /* calls, ncalls: call count, descending */
  SORT_CUM,     /* cumtime, cumulative: descending */
  SORT_FILE,    /* filename, module: ascending */
  SORT_LINE,    /* line: ascending */
  SORT_NAME,    /* name: ascending */
  SORT_NFL,     /* nfl: name, then file, then line */
  SORT_PCALLS,  /* pcalls: primitive call count, descending */
  SORT_STDNAME, /* stdname: the "file:line(name)" text, ascending */
  SORT_TIME,    /* time, tottime: descending */
};

#define SORT_MAX_KEYS 16

struct sort_spec {
  enum sort_key key[SORT_MAX_KEYS];
  int nkeys;
};

/*
 * Appends the comma-separated keys in `arg` (full names or unique
 * prefixes).  Returns 0, or -1 with a one-line reason in err.
 */
int sort_parse(struct sort_spec *spec, const char *arg, char *err,
               size_t errsize);

/* pstats' "Ordered by:" text, e.g. "cumulative time, call count". */
void sort_describe(const struct sort_spec *spec, char *buf, size_t size);

/*
 * Fills order[0..nfuncs) with function indexes sorted by the keys, ties
 * broken by name, file, line and symbol so the output is reproducible.
 */
void sort_funcs(const struct stats *s, const struct sort_spec *spec,
                uint32_t *order);

/* The keys and their meanings, one per line, for --help. */
extern const char sort_help[];

/* The i-th key word (for completion), NULL past the last. */
const char *sort_word(size_t i);

#endif /* CPROF_READ_SORT_H */
