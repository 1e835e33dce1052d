/*
 * arena.c - memory for profile data, taken straight from the kernel.
 *
 * The runtime never uses the program's heap: a profile must not change
 * what it measures (malloc statistics, heap layout), and it must be safe
 * to grow from inside a malloc hook or a signal handler.
 */
#include <string.h>
#include <sys/mman.h>

#include "base/base.h"

#define FIRST_CHUNK (1u << 20)
#define MAX_CHUNK (64u << 20)

/* NORESERVE: a large shadow stack costs only the pages it touches. */
void *rt_map_zeroed(size_t size) {
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

static int refill(struct rt_arena *a, size_t size) {
  size_t chunk = a->chunk ? a->chunk * 2 : FIRST_CHUNK;
  if (chunk > MAX_CHUNK)
    chunk = MAX_CHUNK;
  while (chunk < size)
    chunk *= 2;
  char *p = rt_map_zeroed(chunk);
  if (!p)
    return -1;
  /* Each chunk starts with a link to the previous one, for rt_arena_free. */
  struct chunk_head *h = (struct chunk_head *)p;
  h->prev = a->last;
  h->size = chunk;
  a->last = h;
  a->end = p + chunk;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  a->next = p + sizeof *h;
  a->chunk = chunk;
  return 0;
}

void rt_arena_free(struct rt_arena *a) {
  for (struct chunk_head *h = a->last, *prev; h; h = prev) {
    prev = h->prev;
    munmap(h, h->size);
  }
  memset(a, 0, sizeof *a);
}

/*
 * Allocation is lock-free against a signal handler of the same thread
 * (the CAS); a handler that lands inside a refill gets NULL, and its call
 * is counted as dropped rather than corrupting the arena.
 */
void *rt_arena_alloc(struct rt_arena *a, size_t size) {
  size = (size + 15) & ~(size_t)15;
  for (;;) {
    char *p = a->next;
    if (a->refilling)
      return NULL;
    if (!p || (size_t)(a->end - p) < size) {
      a->refilling = 1;
      __atomic_signal_fence(__ATOMIC_SEQ_CST);
      int r = refill(a, size);
      __atomic_signal_fence(__ATOMIC_SEQ_CST);
      a->refilling = 0;
      if (r < 0)
        return NULL;
      continue;
    }
    if (__atomic_compare_exchange_n(&a->next, &p, p + size, 0, __ATOMIC_RELAXED,
                                    __ATOMIC_RELAXED))
      return p;
  }
}
