/*
 * buffer.c - a growable byte buffer on anonymous mappings, so that a dump
 * does not touch the program's heap (and works from a signal handler).
 *
 * A profile can take hundreds of megabytes, and on a large dump fresh
 * pages cost more than the data written to them: growing moves the pages
 * (mremap) instead of copying them into a second mapping, so each page
 * is touched once.
 */
#define _GNU_SOURCE /* mremap */
#include <string.h>
#include <sys/mman.h>

#include "base/base.h"

static int reserve(struct rt_buffer *b, size_t need) {
  size_t cap = b->cap ? b->cap : 1u << 16;
  while (cap < need)
    cap *= 2;
  void *p = b->data ? mremap(b->data, b->cap, cap, MREMAP_MAYMOVE)
                    : mmap(NULL, cap, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return -1;
  b->data = p;
  b->cap = cap;
  return 0;
}

/* The next `size` bytes, not yet cleared; NULL once anything failed. */
static void *append(struct rt_buffer *b, size_t size) {
  if (b->failed)
    return NULL;
  if (b->size + size > b->cap && reserve(b, b->size + size) < 0) {
    b->failed = 1;
    return NULL;
  }
  void *p = b->data + b->size;
  b->size += size;
  return p;
}

void *rt_buffer_extend(struct rt_buffer *b, size_t size) {
  void *p = append(b, size);
  return p ? memset(p, 0, size) : NULL;
}

void rt_buffer_put(struct rt_buffer *b, const void *data, size_t size) {
  void *p = append(b, size);
  if (p && size)
    memcpy(p, data, size);
}

void rt_buffer_free(struct rt_buffer *b) {
  if (b->data)
    munmap(b->data, b->cap);
  b->data = NULL;
  b->size = b->cap = 0;
}
