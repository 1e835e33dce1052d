/*
 * memory/index.c - a thread state's sites and groups, found by key.
 *
 * A site is (CCT node, line slot) of one state; each site belongs to the
 * state's group of its (function, line) and to that of its function.
 * They are made on first use and never freed.  Only the owner thread uses
 * the index; the dump walks the list of sites instead.
 */
#include <sys/mman.h>

#include "memory/memory.h"

static size_t hash_key(const struct mem_key *k, size_t mask) {
  uint64_t h =
      (k->where ^ ((uint64_t)k->at << 32) ^ k->kind) * 0x9e3779b97f4a7c15ull;
  return (size_t)(h >> 32) & mask;
}

static int same_key(const struct mem_key *a, const struct mem_key *b) {
  return a->where == b->where && a->at == b->at && a->kind == b->kind;
}

static struct mem_key *index_find(const struct mem_thread *m,
                                  const struct mem_key *k) {
  if (!m->index)
    return NULL;
  for (size_t i = hash_key(k, m->index_mask);; i = (i + 1) & m->index_mask)
    if (!m->index[i] || same_key(m->index[i], k))
      return m->index[i];
}

static void index_put(struct mem_key **index, size_t mask, struct mem_key *k) {
  size_t i = hash_key(k, mask);
  while (index[i])
    i = (i + 1) & mask;
  index[i] = k;
}

/* Twice as many slots (at least 256); the owner is the only reader. */
static int index_grow(struct mem_thread *m) {
  size_t old = m->index ? m->index_mask + 1 : 0, n = old ? 2 * old : 256;
  struct mem_key **index = rt_map_zeroed(n * sizeof *index);
  if (!index)
    return -1;
  for (size_t i = 0; i < old; i++)
    if (m->index[i])
      index_put(index, n - 1, m->index[i]);
  if (m->index)
    munmap(m->index, old * sizeof *index);
  m->index = index;
  m->index_mask = n - 1;
  return 0;
}

/* Kept at most half full. */
static int index_add(struct mem_thread *m, struct mem_key *k) {
  if (2 * (m->nindexed + 1) > (m->index ? m->index_mask + 1 : 0) &&
      index_grow(m) < 0)
    return -1;
  index_put(m->index, m->index_mask, k);
  m->nindexed++;
  return 0;
}

/* A new zeroed object of `size` bytes under key `k`, indexed. */
static void *add_keyed(struct mem_thread *m, const struct mem_key *k,
                       size_t size) {
  struct mem_key *obj = rt_arena_alloc(&m->arena, size);
  if (!obj)
    return NULL;
  *obj = *k;
  return index_add(m, obj) < 0 ? NULL : obj;
}

static struct mem_group *group(struct mem_thread *m, uint32_t fn, uint32_t line,
                               enum mem_kind kind) {
  struct mem_key k = {fn, line, kind};
  struct mem_key *g = index_find(m, &k);
  return (struct mem_group *)(g ? g
                                : add_keyed(m, &k, sizeof(struct mem_group)));
}

/* The source line a frame's line slot stands for. */
static uint32_t source_line(const struct rt_node *node, uint32_t slot) {
  if (!node)
    return 0;
  const struct rt_fn *fn = rt_fn_get(node->fn);
  return slot == RT_NO_LINE ? fn->line : fn->first_line + slot;
}

static struct mem_site *site_new(struct mem_thread *m, const struct mem_key *k,
                                 const struct rt_node *node) {
  uint32_t fn = node ? node->fn : 0, line = source_line(node, k->at);
  struct mem_group *by_line = group(m, fn, line, MEM_LINE);
  struct mem_group *by_func = group(m, fn, 0, MEM_FUNC);
  struct mem_site *s;
  if (!by_line || !by_func || !(s = add_keyed(m, k, sizeof *s)))
    return NULL;
  s->fn = fn;
  s->line = line;
  s->owner = m;
  s->by_line = by_line;
  s->by_func = by_func;
  s->next = m->sites;
  __atomic_store_n(&m->sites, s, __ATOMIC_RELEASE); /* the dump reads it */
  return s;
}

/* The site of `node` (NULL: <unprofiled>) at line slot `slot`, or NULL. */
struct mem_site *mem_site_get(struct mem_thread *m, const struct rt_node *node,
                              uint32_t slot) {
  struct mem_key k = {(uintptr_t)node, slot, MEM_SITE};
  struct mem_key *s = index_find(m, &k);
  return s ? (struct mem_site *)s : site_new(m, &k, node);
}

/*
 * In a forked child, a state whose thread is gone may have had its index
 * half rebuilt; every site and group is reachable from the site list,
 * which is always whole, so the index is made again from it.
 */
void mem_index_rebuild(struct mem_thread *m) {
  m->index = NULL;
  m->index_mask = m->nindexed = 0;
  m->last = NULL;
  for (struct mem_site *s = m->sites; s; s = s->next) {
    struct mem_key *keys[] = {&s->key, &s->by_line->key, &s->by_func->key};
    for (size_t i = 0; i < 3; i++)
      if (!index_find(m, keys[i]) && index_add(m, keys[i]) < 0)
        return;
  }
}
