/*
 * childmap.c - a thread's index of (parent node, function) -> child node.
 *
 * A node's children are a list, which the dump walks without a lock; a
 * parent that calls thousands of different functions would make every
 * new call path a walk of that list.  This open-addressing table finds a
 * child in O(1) instead.  It belongs to the thread; a signal handler that
 * needs a child while the table is being changed walks the list, and the
 * table is rebuilt from the tree before its next use.
 */
#include "core/core.h"

static uint32_t slot_of(const struct rt_node *parent, uint32_t fn,
                        uint32_t mask) {
  uint64_t h = ((uintptr_t)parent >> 4) * 0x9e3779b97f4a7c15ull;
  return (uint32_t)((h >> 32) ^ (fn * 0x85ebca6bu)) & mask;
}

static struct rt_node *map_find(const struct rt_thread *t,
                                const struct rt_node *parent, uint32_t fn) {
  if (!t->map)
    return NULL;
  for (uint32_t i = slot_of(parent, fn, t->map_mask);;
       i = (i + 1) & t->map_mask) {
    struct rt_node *n = t->map[i];
    if (!n || (n->parent == parent && n->fn == fn))
      return n;
  }
}

static void map_put(struct rt_thread *t, struct rt_node *n) {
  uint32_t i = slot_of(n->parent, n->fn, t->map_mask);
  while (t->map[i])
    i = (i + 1) & t->map_mask;
  t->map[i] = n;
  t->map_used++;
}

/*
 * A new table holding every node of the tree, at least `size` slots and
 * under half full; old tables stay in the arena.
 */
static int map_rebuild(struct rt_thread *t, uint32_t size) {
  struct rt_node **map = rt_arena_alloc(&t->arena, size * sizeof *map);
  if (!map)
    return -1;
  t->map = map;
  t->map_mask = size - 1;
  t->map_used = 0;
  for (struct rt_node *n = t->root.child; n;) {
    if (2 * (t->map_used + 1) > size)
      return map_rebuild(t, size * 2);
    map_put(t, n);
    if (n->child) {
      n = n->child;
      continue;
    }
    while (n != &t->root && !n->sibling)
      n = n->parent;
    n = n == &t->root ? NULL : n->sibling;
  }
  t->map_stale = 0;
  return 0;
}

/* Keep the table under half full (and whole) before looking up or adding. */
static int map_ready(struct rt_thread *t) {
  uint32_t size = t->map ? t->map_mask + 1 : 1024;
  if (2 * (t->map_used + 1) > size)
    return map_rebuild(t, size * 2);
  return t->map_stale || !t->map ? map_rebuild(t, size) : 0;
}

static struct rt_node *list_find(struct rt_node *parent, uint32_t fn) {
  struct rt_node *n;
  for (n = parent->child; n && n->fn != fn; n = n->sibling)
    ;
  return n;
}

/*
 * The child of `parent` for function `fn`, or NULL; `make` builds and
 * links a new one.  Re-entered from a signal handler, it uses the list.
 */
struct rt_node *
rt_child(struct rt_thread *t, struct rt_node *parent, uint32_t fn,
         struct rt_node *(*make)(struct rt_thread *, struct rt_node *, void *),
         void *arg) {
  struct rt_node *n;
  if (t->map_busy) {
    if (!(n = list_find(parent, fn)) && (n = make(t, parent, arg)))
      t->map_stale = 1;
    return n;
  }
  t->map_busy = 1;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  if (map_ready(t) == 0) {
    n = map_find(t, parent, fn);
    if (!n && (n = make(t, parent, arg)))
      map_put(t, n);
  } else if (!(n = list_find(parent, fn))) { /* no memory for the table */
    n = make(t, parent, arg);
    t->map_stale = 1;
  }
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  t->map_busy = 0;
  return n;
}
