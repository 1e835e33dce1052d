/*
 * util.h - allocation helpers shared by the prstats files.
 *
 * prstats is a short-lived command: running out of memory ends it with one
 * line on stderr, so callers never check for NULL.
 */
#ifndef PRSTATS_UTIL_H
#define PRSTATS_UTIL_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);

/*
 * Returns `array` (of *cap elements of `size` bytes), reallocated if need
 * be to hold at least `need` elements; *cap is updated.
 */
void *xgrow(void *array, size_t *cap, size_t need, size_t size);

#endif /* PRSTATS_UTIL_H */
