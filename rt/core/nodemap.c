/*
 * nodemap.c - a dumped CCT node's pointer to its index in the file, for
 * the plug-ins that refer to nodes (memory sites, sampled stacks).
 *
 * Built in a dump from the pointers rt_serialize collected in file order;
 * open addressing on a private mapping, so no allocator is called.
 */
#include <sys/mman.h>

#include "core/core.h"

static size_t map_hash(const struct rt_node *n, size_t mask) {
  return (size_t)(((uintptr_t)n * 0x9e3779b97f4a7c15ull) >> 24) & mask;
}

int rt_node_map_build(struct rt_node_map *m, const struct rt_buffer *nodes) {
  const struct rt_node *const *node =
      (const struct rt_node *const *)(void *)nodes->data;
  size_t n = nodes->size / sizeof *node, cap = 64;
  while (cap < 2 * n)
    cap *= 2;
  m->mask = cap - 1;
  if (!(m->slot = rt_map_zeroed(cap * sizeof *m->slot)))
    return -1;
  for (size_t i = 0; i < n; i++) {
    size_t h = map_hash(node[i], m->mask);
    while (m->slot[h].node)
      h = (h + 1) & m->mask;
    m->slot[h].node = node[i];
    m->slot[h].index = (uint32_t)i;
  }
  return 0;
}

uint32_t rt_node_map_find(const struct rt_node_map *m,
                          const struct rt_node *n) {
  for (size_t h = map_hash(n, m->mask); n && m->slot[h].node;
       h = (h + 1) & m->mask)
    if (m->slot[h].node == n)
      return m->slot[h].index;
  return CPROF_NO_PARENT; /* not written: no calls since a reset */
}

void rt_node_map_free(struct rt_node_map *m) {
  munmap(m->slot, (m->mask + 1) * sizeof *m->slot);
}
