/*
 * arena.c - memory for profile data, taken straight from the kernel.
 *
 * The runtime never uses the program's heap: a profile must not change
 * what it measures (malloc statistics, heap layout), and it must be safe
 * to grow from inside a malloc hook or a signal handler.
 */
#include <sys/mman.h>

#include "rt.h"

#define FIRST_CHUNK (1u << 20)
#define MAX_CHUNK (64u << 20)

/* NORESERVE: a large shadow stack costs only the pages it touches. */
void *rt_map_zeroed(size_t size) {
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

void *rt_arena_alloc(struct rt_arena *a, size_t size) {
  size = (size + 15) & ~(size_t)15;
  if ((size_t)(a->end - a->next) < size) {
    size_t chunk = a->chunk ? a->chunk * 2 : FIRST_CHUNK;
    if (chunk > MAX_CHUNK)
      chunk = MAX_CHUNK;
    while (chunk < size)
      chunk *= 2;
    char *p = rt_map_zeroed(chunk);
    if (!p)
      return NULL;
    a->next = p;
    a->end = p + chunk;
    a->chunk = chunk;
  }
  void *p = a->next;
  a->next += size;
  return p;
}
