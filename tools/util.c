/*
 * util.c - allocation that cannot fail silently.
 */
#include "util.h"

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
