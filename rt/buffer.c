/*
 * buffer.c - a growable byte buffer on anonymous mappings, so that a dump
 * does not touch the program's heap (and works from a signal handler).
 */
#include <string.h>
#include <sys/mman.h>

#include "rt.h"

static int reserve(struct rt_buffer *b, size_t need) {
  size_t cap = b->cap ? b->cap : 1u << 16;
  while (cap < need)
    cap *= 2;
  void *p = mmap(NULL, cap, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return -1;
  if (b->data) {
    memcpy(p, b->data, b->size);
    munmap(b->data, b->cap);
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

void *rt_buffer_extend(struct rt_buffer *b, size_t size) {
  if (b->failed)
    return NULL;
  if (b->size + size > b->cap && reserve(b, b->size + size) < 0) {
    b->failed = 1;
    return NULL;
  }
  void *p = b->data + b->size;
  memset(p, 0, size);
  b->size += size;
  return p;
}

void rt_buffer_put(struct rt_buffer *b, const void *data, size_t size) {
  void *p = rt_buffer_extend(b, size);
  if (p && size)
    memcpy(p, data, size);
}

void rt_buffer_free(struct rt_buffer *b) {
  if (b->data)
    munmap(b->data, b->cap);
  b->data = NULL;
  b->size = b->cap = 0;
}
