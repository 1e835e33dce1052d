/*
 * memory/site.c - counting blocks at their sites, and the process total.
 *
 * A block's site is (innermost profiled frame's CCT node, the line it is
 * on), as the calling thread's shadow stack says at the allocation; a
 * thread with no profiled frame allocates at <unprofiled> (node NULL).
 *
 * Counting a block costs one look at the last site used, one table
 * insert and a few plain adds: no atomic instruction (one costs as much
 * as all the rest, as it waits for every store before it).
 *
 * The process total (tracemalloc's current and peak) is mem_flushed plus
 * each state's delta.  A state adds its delta to mem_flushed only when it
 * passes +-SLACK bytes, and keeps the largest total it has seen (flushed
 * plus its own delta) as its peak; the process peak is the largest of
 * those.  With one thread allocating that is exact; with several, a
 * thread does not see the others' unflushed deltas, so the peak may be
 * off by up to SLACK bytes per other thread.  The current total at a dump
 * sums every delta and is exact.
 */
#include "memory/memory.h"

#define SLACK 4096

int64_t mem_flushed;
uint64_t mem_untracked;

/* The calling thread's site now. */
static inline struct mem_site *site_here(struct mem_thread *m) {
  struct rt_thread *t = rt_self;
  const struct rt_node *node = NULL;
  uint32_t slot = RT_NO_LINE;
  if (t) {
    struct cprof_frame *f = t->top;
    if (f != t->frames) {
      node = f->node;
      slot = f->head.line;
    }
  }
  struct mem_site *s = m->last;
  if (likely(s && s->key.where == (uintptr_t)node && s->key.at == slot))
    return s;
  return m->last = mem_site_get(m, node, slot);
}

static inline void live_add(struct mem_live *l, uint64_t size) {
  l->bytes += size;
  uint64_t now = l->bytes - __atomic_load_n(&l->gone, __ATOMIC_RELAXED);
  if (now > l->peak)
    l->peak = now;
}

static void flush(struct mem_thread *m) {
  __atomic_add_fetch(&mem_flushed, m->delta, __ATOMIC_RELAXED);
  m->delta = 0;
}

static inline void total_add(struct mem_thread *m, uint64_t size) {
  m->delta += (int64_t)size;
  int64_t seen = __atomic_load_n(&mem_flushed, __ATOMIC_RELAXED) + m->delta;
  if (seen > m->peak)
    m->peak = seen;
  if (m->delta > SLACK)
    flush(m);
}

/* A thread without a state (it never allocated) goes straight to the total. */
static inline void total_sub(struct mem_thread *m, uint64_t size) {
  if (unlikely(!m)) {
    __atomic_sub_fetch(&mem_flushed, (int64_t)size, __ATOMIC_RELAXED);
    return;
  }
  m->delta -= (int64_t)size;
  if (m->delta < -SLACK)
    flush(m);
}

/* Count a block the C library has just handed out. */
static inline void note_alloc(struct mem_thread *m, void *p, uint64_t size) {
  struct mem_site *s = site_here(m);
  if (unlikely(!s || mem_table_put(&m->table, (uintptr_t)p, size, s) < 0)) {
    m->dropped++;
    return;
  }
  s->allocs++;
  s->alloc_bytes += size;
  s->blocks++;
  live_add(&s->live, size);
  live_add(&s->by_line->live, size);
  live_add(&s->by_func->live, size);
  total_add(m, size);
}

/*
 * `p` (NULL: none) of `size` bytes comes from the C library; returns it.
 * A thread's first block gives it a state; allocations made while the
 * tracer itself runs (mem_busy, only ever set without a state) are not
 * traced.
 */
void *mem_traced(void *p, size_t size) {
  struct mem_thread *m = mem_self;
  if (unlikely(!m) && (mem_busy || !(m = mem_thread_attach())))
    return p;
  if (p)
    note_alloc(m, p, size);
  return p;
}

static void gone(struct mem_live *l, uint64_t size) {
  __atomic_add_fetch(&l->gone, size, __ATOMIC_RELAXED);
}

/* Uncount a block taken out of a table; a site's owner needs no atomics. */
static inline void note_free(struct mem_thread *m, struct mem_site *s,
                             uint64_t size) {
  if (likely(s->owner == m)) {
    s->blocks--;
    s->live.bytes -= size;
    s->by_line->live.bytes -= size;
    s->by_func->live.bytes -= size;
  } else {
    __atomic_add_fetch(&s->blocks_gone, 1, __ATOMIC_RELAXED);
    gone(&s->live, size);
    gone(&s->by_line->live, size);
    gone(&s->by_func->live, size);
  }
  total_sub(m, size);
}

/* A block of another table (allocated by another thread), or untraced. */
static int forget_elsewhere(struct mem_thread *m, struct mem_entry *e,
                            uintptr_t key) {
  for (struct mem_thread *o = mem_thread_list(); o; o = o->next)
    if (o != m && mem_table_take_other(&o->table, key, e) > 0)
      return 1;
  __atomic_add_fetch(&mem_untracked, 1, __ATOMIC_RELAXED);
  return 0;
}

/*
 * Take `key` out of whichever table holds it, into *e: the caller's own
 * first.  Returns 0 for a block that was never traced (allocated before
 * tracing started).
 */
int mem_forget(struct mem_entry *e, uintptr_t key) {
  struct mem_thread *m = mem_self;
  struct mem_entry *own = m ? mem_table_find_own(&m->table, key) : NULL;
  if (own) {
    *e = *own;
    mem_table_remove(own);
    return 1;
  }
  return !mem_busy && forget_elsewhere(m, e, key);
}

void mem_note_free(const struct mem_entry *e) {
  note_free(mem_self, e->site, e->size);
}

/*
 * Out of the table before the C library can hand the address out again.
 * The common case, a block of the caller's own table, reads the entry in
 * place.
 */
void mem_free(void *p) {
  struct mem_thread *m = mem_self;
  struct mem_entry *own =
      m ? mem_table_find_own(&m->table, (uintptr_t)p) : NULL;
  if (likely(own)) {
    struct mem_site *s = own->site;
    uint64_t size = own->size;
    mem_table_remove(own);
    note_free(m, s, size);
  } else {
    struct mem_entry e;
    if (!mem_busy && forget_elsewhere(m, &e, (uintptr_t)p))
      note_free(m, e.site, e.size);
  }
  __libc_free(p);
}

/* A realloc that failed: the block is still there, as it was. */
void mem_restore(const struct mem_entry *e, uintptr_t key) {
  struct mem_thread *m = mem_self ? mem_self : mem_thread_attach();
  if (!m || mem_table_put(&m->table, key, e->size, e->site) < 0) {
    mem_note_free(e); /* cannot follow it any more */
    if (m)
      m->dropped++;
  }
}

static void restart_live(struct mem_live *l) {
  l->bytes -= l->gone;
  l->gone = 0;
  l->peak = l->bytes;
}

/*
 * A forked child reports its own allocations, as the call profile does:
 * the blocks it inherited count as allocated at the fork (they are in its
 * heap, and it may free them), and peaks start from there.  Only the
 * forking thread runs, so nothing changes under us.  Safe to repeat on a
 * group shared by several sites.
 */
void mem_sites_restart(struct mem_thread *m) {
  for (struct mem_site *s = m->sites; s; s = s->next) {
    restart_live(&s->live);
    restart_live(&s->by_line->live);
    restart_live(&s->by_func->live);
    s->blocks -= s->blocks_gone;
    s->blocks_gone = 0;
    s->allocs = s->blocks;
    s->alloc_bytes = s->live.bytes;
  }
  m->peak = 0;
}
