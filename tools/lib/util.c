/*
 * util.c - allocation that cannot fail silently.
 */
#include "cprof-read/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *check(void *p) {
  if (!p) {
    fputs("prstats: out of memory\n", stderr);
    exit(1);
  }
  return p;
}

void *xmalloc(size_t size) { return check(malloc(size ? size : 1)); }

void *xcalloc(size_t count, size_t size) {
  return check(calloc(count ? count : 1, size ? size : 1));
}

void *xrealloc(void *ptr, size_t size) {
  return check(realloc(ptr, size ? size : 1));
}

char *xstrdup(const char *s) { return check(strdup(s)); }

int errorf(char *err, size_t errsize, const char *fmt, ...) {
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(err, errsize, fmt, ap);
  va_end(ap);
  return -1;
}

FILE *xmemstream(char **buf, size_t *size) {
  return check(open_memstream(buf, size));
}

void group_by_parent(size_t n, size_t nparents,
                     uint32_t (*parent)(const void *ctx, size_t i),
                     const void *ctx, uint32_t *first, uint32_t *kids) {
  uint32_t *fill = xcalloc(nparents, sizeof *fill);

  for (size_t i = 0; i < n; i++) {
    uint32_t p = parent(ctx, i);
    if (p != UINT32_MAX)
      first[p + 1]++;
  }
  for (size_t p = 0; p < nparents; p++)
    first[p + 1] += first[p];
  for (size_t i = 0; i < n; i++) {
    uint32_t p = parent(ctx, i);
    if (p != UINT32_MAX)
      kids[first[p] + fill[p]++] = (uint32_t)i;
  }
  free(fill);
}

/* %.15g is enough for most numbers and reads better than %.17g. */
void put_shortest(FILE *out, double x) {
  char buf[32];

  snprintf(buf, sizeof buf, "%.15g", x);
  if (strtod(buf, NULL) != x)
    snprintf(buf, sizeof buf, "%.17g", x);
  fputs(buf, out);
}

int64_t ticks_add(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? (b > 0 ? INT64_MAX : INT64_MIN) : r;
}

int64_t ticks_sub(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_sub_overflow(a, b, &r) ? (b < 0 ? INT64_MAX : INT64_MIN) : r;
}

int64_t ticks_of(double ticks) {
  if (!(ticks > 0)) /* NaN too */
    return 0;
  return ticks < 0x1p63 ? (int64_t)llround(ticks) : INT64_MAX;
}

double ns_carry_next(struct ns_carry *c, double seconds) {
  double ns;

  c->exact += seconds > 0 ? seconds * 1e9 : 0;
  ns = floor(c->exact + 0.5) - c->written;
  ns = ns > 0 ? ns : 0;
  c->written += ns;
  return ns;
}

/* Doubling keeps appends amortised O(1); the size check avoids overflow. */
void *xgrow(void *array, size_t *cap, size_t need, size_t size) {
  size_t n = *cap ? *cap : 16;

  if (need <= *cap)
    return array;
  while (n < need)
    n *= 2;
  if (n > SIZE_MAX / size)
    check(NULL);
  *cap = n;
  return xrealloc(array, n * size);
}
