/*
 * strpool.h - each distinct string stored once.
 *
 * Function names, symbols and file names repeat: every function of a
 * source file names that file, a C function's symbol is its name, and
 * merged files name the same functions again.  A pool keeps one copy of
 * each in large blocks, so 100,000 functions do not take half a million
 * small allocations.
 */
#ifndef CPROF_READ_STRPOOL_H
#define CPROF_READ_STRPOOL_H

#include <stddef.h>

#include "cprof-read/hash.h"

struct strpool_block;

struct strpool {
  const char **strings; /* by entry number of the index */
  size_t nstrings, strings_cap;
  struct hash_index index;
  struct strpool_block *blocks; /* the newest first */
  size_t left;                  /* free bytes at the end of the newest */
};

void strpool_init(struct strpool *p);

/* The pool's copy of s, valid until strpool_free. */
const char *strpool_add(struct strpool *p, const char *s);

void strpool_free(struct strpool *p);

#endif /* CPROF_READ_STRPOOL_H */
