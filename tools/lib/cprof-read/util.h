/*
 * util.h - allocation and number helpers of the reader library.
 *
 * Its users are short-lived commands: running out of memory ends the
 * command with one line on stderr, so callers never check for NULL.
 */
#ifndef CPROF_READ_UTIL_H
#define CPROF_READ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);

/*
 * Returns `array` (of *cap elements of `size` bytes), reallocated if need
 * be to hold at least `need` elements; *cap is updated.
 */
void *xgrow(void *array, size_t *cap, size_t need, size_t size);

/*
 * Formats a one-line reason into err (the readers' error convention) and
 * returns -1, so a check can `return errorf(...)`.
 */
__attribute__((format(printf, 3, 4))) int errorf(char *err, size_t errsize,
                                                 const char *fmt, ...);

/* open_memstream(), ending the command when memory is short. */
FILE *xmemstream(char **buf, size_t *size);

/*
 * Children lists in one array, by counting sort: item i of n has parent
 * parent(ctx, i) < nparents, or UINT32_MAX (left out).  Fills first[0 ..
 * nparents] (zeroed by the caller) and kids so that the children of p
 * are kids[first[p] .. first[p + 1]), in index order.
 */
void group_by_parent(size_t n, size_t nparents,
                     uint32_t (*parent)(const void *ctx, size_t i),
                     const void *ctx, uint32_t *first, uint32_t *kids);

/* Writes a double in the shortest form that reads back the same. */
void put_shortest(FILE *out, double x);

/*
 * Whole nanoseconds for parts of a sum (folded stacks, callgrind costs):
 * each part is rounded with the error carried on, so the parts add up to
 * the rounded sum.  Negative parts count as 0.  Doubles hold the whole
 * numbers exactly up to 2^53 ns (104 days), and never overflow.
 */
struct ns_carry {
  double exact, written;
};
double ns_carry_next(struct ns_carry *c, double seconds);

/*
 * Tick counts: a damaged file can hold any 64-bit values, so sums of them
 * saturate at INT64_MAX (INT64_MIN) instead of overflowing; real ones are
 * centuries away from it.  ticks_of rounds an estimate, within
 * [0, INT64_MAX].
 */
int64_t ticks_add(int64_t a, int64_t b);
int64_t ticks_sub(int64_t a, int64_t b);
int64_t ticks_of(double ticks);

#endif /* CPROF_READ_UTIL_H */
