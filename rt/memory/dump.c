/*
 * memory/dump.c - the memory sections of a profile, and cprof_snapshot().
 *
 * Runs inside rt_serialize (under rt_lock, as rt_hooks.dump_write) after
 * the core's sections, while threads go on
 * allocating: each counter is read once, so a site may be one block
 * behind, never torn.  Sites are written one per thread state; a site
 * keeps its CCT node, which becomes the index of that node in the file.
 */
#include <stdlib.h>

#include "cprof.h"
#include "memory/memory.h"

static int at_exit;

/* Blocks freed by other threads first: each was counted live before. */
static struct cprof_file_memsite site_record(const struct mem_site *s,
                                             const struct rt_node_map *m) {
  const struct rt_node *node = (const struct rt_node *)s->key.where;
  uint64_t gone_blocks = __atomic_load_n(&s->blocks_gone, __ATOMIC_ACQUIRE);
  uint64_t gone_bytes = __atomic_load_n(&s->live.gone, __ATOMIC_ACQUIRE);
  struct cprof_file_memsite r = {
      .func = node ? s->fn - 1 : CPROF_NO_FUNC,
      .node = node ? rt_node_map_find(m, node) : CPROF_NO_PARENT,
      .line = s->line,
      .thread = s->owner->id,
      .allocs = s->allocs,
      .alloc_bytes = s->alloc_bytes,
      .live_blocks = s->blocks - gone_blocks,
      .live_bytes = s->live.bytes - gone_bytes,
      .peak_bytes = s->live.peak,
      .line_peak = s->by_line->live.peak,
      .func_peak = s->by_func->live.peak,
  };
  return r;
}

/* Every state's sites, and the process totals (see site.c). */
static void put_sites(struct rt_buffer *out, const struct rt_node_map *m,
                      struct cprof_file_memory *total) {
  int64_t current = __atomic_load_n(&mem_flushed, __ATOMIC_RELAXED), peak = 0;
  for (struct mem_thread *t = mem_thread_list(); t; t = t->next) {
    total->dropped += t->dropped;
    current += t->delta;
    peak = t->peak > peak ? t->peak : peak;
    for (const struct mem_site *s =
             __atomic_load_n(&t->sites, __ATOMIC_ACQUIRE);
         s; s = s->next) {
      struct cprof_file_memsite r = site_record(s, m);
      if (r.allocs)
        rt_buffer_put(out, &r, sizeof r);
    }
  }
  total->current = current > 0 ? (uint64_t)current : 0;
  total->peak = peak > current ? (uint64_t)peak : total->current;
}

int rt_memory_tracing(void) {
  return __atomic_load_n(&mem_tracing, __ATOMIC_ACQUIRE) == MEM_ON;
}

/*
 * The two memory sections, appended to the profile `out`; `nodes` holds
 * the rt_node of each node record, in file order.
 */
int rt_memory_write(struct rt_buffer *out, const struct rt_buffer *nodes) {
  struct rt_node_map map;
  if (rt_node_map_build(&map, nodes) < 0)
    return -1;
  struct cprof_file_memory total = {
      .untracked_frees = __atomic_load_n(&mem_untracked, __ATOMIC_RELAXED),
      .at_exit = (uint32_t)at_exit,
  };
  size_t at = rt_section_begin(out, CPROF_SEC_MEMSITES,
                               sizeof(struct cprof_file_memsite));
  put_sites(out, &map, &total);
  rt_section_end(out, at);
  at = rt_section_begin(out, CPROF_SEC_MEMORY, sizeof total);
  rt_buffer_put(out, &total, sizeof total);
  rt_section_end(out, at);
  rt_node_map_free(&map);
  return 0;
}

/* Registered after the exit dump's handler, so it runs just before it. */
static void mark_exit(void) { at_exit = 1; }

void mem_dump_init(void) { atexit(mark_exit); }

RT_API int cprof_snapshot(const char *path) {
  if (!rt_memory_tracing())
    rt_warn("memory tracing is off (CPROF_MEMORY=1 turns it on); the "
            "snapshot has no memory data");
  return cprof_dump(path);
}
