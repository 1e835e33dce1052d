/*
 * registry.c - the process-wide table of profiled functions.
 *
 * A descriptor registers on its function's first call (under the lock),
 * which gives it a small dense id for the per-thread tables.  The registry
 * keeps its own copies of the strings, so a shared object can be unloaded
 * before the dump; when it is loaded again its fresh descriptors find
 * their old ids through the hash, and the numbers add up.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

#define CHUNK_SHIFT 12
#define CHUNK_SIZE (1u << CHUNK_SHIFT)
#define MAX_CHUNKS 4096 /* 16M functions */

static struct rt_fn *chunks[MAX_CHUNKS];
static uint32_t count;  /* ids 1..count are in use */
static uint32_t *table; /* open addressing: ids, 0 = empty */
static uint32_t table_size;
static struct rt_arena arena;

static uint64_t hash_str(uint64_t h, const char *s) {
  return cprof_checksum(h, s, strlen(s) + 1);
}

static uint64_t hash_fn(const char *symbol, const char *file, uint32_t line) {
  uint64_t h = hash_str(CPROF_CHECKSUM_INIT, symbol);
  h = hash_str(h, file);
  return cprof_checksum(h, &line, sizeof line);
}

const struct rt_fn *rt_fn_get(uint32_t id) {
  RT_ASSERT(id >= 1 && id <= count);
  return &chunks[(id - 1) >> CHUNK_SHIFT][(id - 1) & (CHUNK_SIZE - 1)];
}

uint32_t rt_fn_count(void) { return count; }

static int same_fn(const struct rt_fn *f, const struct cprof_fn *d) {
  return f->line == d->line && f->first_line == d->first_line &&
         f->nlines == d->nlines && strcmp(f->symbol, d->symbol) == 0 &&
         strcmp(f->file, d->file) == 0;
}

static uint32_t *slot_of(const struct cprof_fn *d) {
  uint32_t mask = table_size - 1;
  uint32_t i = (uint32_t)hash_fn(d->symbol, d->file, d->line) & mask;
  while (table[i] && !same_fn(rt_fn_get(table[i]), d))
    i = (i + 1) & mask;
  return &table[i];
}

/*
 * Keep the table at most half full; old tables stay in the arena.  Size
 * and table change together, and only once the new table exists.
 */
static RT_COLD int grow_table(void) {
  uint32_t size = table_size ? table_size * 2 : 1024;
  uint32_t *fresh = rt_arena_alloc(&arena, size * sizeof *fresh);
  if (!fresh)
    return -1;
  for (uint32_t i = 0; i < table_size; i++) {
    if (table[i]) {
      const struct rt_fn *f = rt_fn_get(table[i]);
      uint32_t j = (uint32_t)hash_fn(f->symbol, f->file, f->line);
      while (fresh[j & (size - 1)])
        j++;
      fresh[j & (size - 1)] = table[i];
    }
  }
  table = fresh;
  table_size = size;
  return 0;
}

static char *copy_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = rt_arena_alloc(&arena, n);
  return p ? memcpy(p, s, n) : NULL;
}

static uint32_t add_fn(const struct cprof_fn *d) {
  uint32_t id = count + 1;
  if (id >= MAX_CHUNKS * CHUNK_SIZE)
    return 0;
  struct rt_fn **chunk = &chunks[(id - 1) >> CHUNK_SHIFT];
  if (!*chunk &&
      !(*chunk = rt_arena_alloc(&arena, CHUNK_SIZE * sizeof **chunk)))
    return 0;
  struct rt_fn *f = &(*chunk)[(id - 1) & (CHUNK_SIZE - 1)];
  f->name = copy_str(d->name);
  f->symbol = copy_str(d->symbol);
  f->file = copy_str(d->file);
  if (!f->name || !f->symbol || !f->file)
    return 0;
  f->line = d->line;
  f->first_line = d->first_line;
  f->nlines = (d->flags & CPROF_FN_LINES) ? d->nlines : 0;
  f->flags =
      f->nlines ? d->flags & (CPROF_FN_LINE_HITS | CPROF_FN_LINE_SAMPLED) : 0;
  count = id;
  return id;
}

static uint32_t register_locked(struct cprof_fn *d) {
  if (d->abi_version != CPROF_ABI_VERSION) {
    rt_warn("%s: built for cprof ABI %u, this runtime is ABI %u; not profiled",
            d->name ? d->name : "?", d->abi_version, CPROF_ABI_VERSION);
    return RT_REJECTED;
  }
  if (2 * (count + 1) > table_size && grow_table() < 0)
    return 0;
  uint32_t *slot = slot_of(d);
  if (!*slot)
    *slot = add_fn(d);
  return *slot;
}

/* Returns the id, RT_REJECTED, or 0 when out of memory (try again later). */
uint32_t rt_register(struct cprof_fn *d) {
  rt_lock();
  uint32_t id = d->id;
  if ((d->flags & CPROF_FN_MEMORY) && rt_hooks.memory_function)
    rt_hooks.memory_function();
  if (id == 0) {
    id = register_locked(d);
    if (id)
      __atomic_store_n(&d->id, id, __ATOMIC_RELEASE);
  }
  rt_unlock();
  return id;
}
