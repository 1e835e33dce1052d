/*
 * memory.h - memory tracing (CPROF_MEMORY=1), the runtime's top layer:
 * a plug-in of the core (rt/core/), which calls it only through the
 * struct rt_hooks that rt/init.c fills in; see docs/memory.md.
 *
 * Every block the program allocates while tracing is on gets an entry in
 * an address table (address -> size, site), and its size is added to the
 * counters of its site: the innermost profiled function on the calling
 * thread's shadow stack and the line it is executing.
 *
 * Each thread that allocates owns a state (struct mem_thread) with its
 * own address table and its own sites, so the common case (a block freed
 * by the thread that allocated it) takes no lock and no atomic
 * instruction.  A block freed by another thread is found by searching the
 * other threads' tables and removed with a compare-and-swap; its site's
 * counters then take atomic "freed elsewhere" adds.  The process-wide
 * total is kept per thread too, and summed in batches.
 *
 * All of it lives on anonymous mappings, never on the program's heap.
 */
#ifndef CPROF_RT_MEMORY_H
#define CPROF_RT_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* --- the address table (table.c) --- */

/* Keys that are not addresses (no block lives at 0, 1 or 2). */
#define MEM_EMPTY ((uintptr_t)0) /* never used: ends a probe sequence */
#define MEM_TOMB ((uintptr_t)1)  /* removed */
#define MEM_MOVED ((uintptr_t)2) /* moved to a new array: look there */

struct mem_entry {
  uintptr_t key; /* the block's address, or one of the above */
  uint64_t size; /* bytes requested */
  struct mem_site *site;
};

/* One array of slots; replaced as a whole when it fills up. */
struct mem_slots {
  size_t mask;             /* slots - 1, a power of two minus one */
  struct mem_slots *older; /* retired arrays, not yet unmapped */
  struct mem_entry e[];
};

/* Open addressing, linear probing; written by its owner thread only,
 * except that any thread may turn an entry into MEM_TOMB with a CAS. */
struct mem_table {
  struct mem_slots *slots; /* published with release */
  size_t used;             /* slots not EMPTY: live or TOMB */
  struct mem_slots *retired;
};

int mem_table_make_room(struct mem_table *t); /* -1: cannot */
int mem_table_take_other(struct mem_table *t, uintptr_t key,
                         struct mem_entry *out);
void mem_table_fork_prepare(void);
void mem_table_fork_done(int child);

static inline size_t mem_slot_of(uintptr_t key, size_t mask) {
  return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 24) & mask;
}

/* Owner only: a key known to be absent goes in the first free slot. */
static inline void mem_table_place(struct mem_slots *s, uintptr_t key,
                                   uint64_t size, struct mem_site *site,
                                   size_t *used) {
  size_t i = mem_slot_of(key, s->mask);
  uintptr_t k;
  while ((k = __atomic_load_n(&s->e[i].key, __ATOMIC_RELAXED)) > MEM_TOMB)
    i = (i + 1) & s->mask;
  s->e[i].size = size;
  s->e[i].site = site;
  __atomic_store_n(&s->e[i].key, key, __ATOMIC_RELEASE);
  *used += k == MEM_EMPTY;
}

/* Returns 0, or -1 when the block cannot be traced (no memory). */
static inline int mem_table_put(struct mem_table *t, uintptr_t key,
                                uint64_t size, struct mem_site *site) {
  struct mem_slots *s = t->slots;
  if (unlikely(!s || 2 * (t->used + 1) > s->mask + 1) &&
      mem_table_make_room(t) < 0)
    return -1;
  mem_table_place(t->slots, key, size, site, &t->used);
  return 0;
}

/*
 * The owner's entry for `key`, or NULL when it is not in this table.  The
 * owner reads it and then removes it with mem_table_remove().
 */
static inline struct mem_entry *mem_table_find_own(struct mem_table *t,
                                                   uintptr_t key) {
  struct mem_slots *s = t->slots;
  if (!s)
    return NULL;
  for (size_t i = mem_slot_of(key, s->mask);; i = (i + 1) & s->mask) {
    uintptr_t k = __atomic_load_n(&s->e[i].key, __ATOMIC_RELAXED);
    if (k == key)
      return &s->e[i];
    if (k == MEM_EMPTY)
      return NULL;
  }
}

static inline void mem_table_remove(struct mem_entry *e) {
  __atomic_store_n(&e->key, MEM_TOMB, __ATOMIC_RELAXED);
}

/* --- sites and per-thread states (site.c) --- */

/*
 * Bytes live from one site or group of sites, and the most at once.  The
 * owner state writes bytes and peak; another thread freeing one of the
 * blocks adds to `gone` atomically.  Live bytes = bytes - gone.
 */
struct mem_live {
  uint64_t bytes, peak;
  uint64_t gone;
};

/* What the index of a state finds a site or a group by. */
enum mem_kind { MEM_SITE, MEM_LINE, MEM_FUNC };
struct mem_key {
  uintptr_t where; /* MEM_SITE: the rt_node (0: <unprofiled>); else fn id */
  uint32_t at;     /* MEM_SITE: the frame's line slot; MEM_LINE: line */
  uint32_t kind;   /* enum mem_kind */
};

/* All sites of one function and line, or of one function, in a state. */
struct mem_group {
  struct mem_key key;
  struct mem_live live;
};

/*
 * One allocation site of one state: (CCT node, line slot), so it knows
 * its call path.  Its blocks count in its own mem_live and in those of
 * its (function, line) and (function) groups, so that each level has its
 * own exact peak.
 */
struct mem_site {
  struct mem_key key;
  uint32_t fn;   /* registry id, 0: <unprofiled> */
  uint32_t line; /* source line (0: none) */
  struct mem_thread *owner;
  struct mem_site *next; /* the owner's list, newest first, for dumps */
  uint64_t allocs, alloc_bytes;
  uint64_t blocks;      /* allocated, counted by the owner */
  uint64_t blocks_gone; /* of those, freed by other threads (atomic) */
  struct mem_live live;
  struct mem_group *by_line, *by_func;
};

struct mem_thread {
  struct mem_table table;
  struct rt_arena arena;  /* sites and groups */
  struct mem_site *sites; /* published with release */
  struct mem_key **index; /* sites and groups by key, open addressing */
  size_t index_mask, nindexed;
  struct mem_site *last;   /* the site used last: tried first */
  struct mem_thread *next; /* every state, for frees and dumps */
  uint32_t id;             /* 0, 1, ... in order of creation */
  int live;                /* a thread owns this state now */
  int64_t delta;           /* traced bytes not yet in mem_flushed */
  int64_t peak;            /* the largest process total seen here */
  uint64_t dropped;        /* blocks not traced: tracer out of memory */
};

/* The calling thread's state, or NULL (never allocated while tracing). */
extern __thread struct mem_thread *mem_self
    __attribute__((tls_model("initial-exec")));
/* Set while the tracer itself runs: allocations then go untraced. */
extern __thread int mem_busy __attribute__((tls_model("initial-exec")));

struct mem_thread *mem_thread_attach(void);
struct mem_thread *mem_thread_list(void);
void mem_thread_init(void);                   /* fork handlers */
void mem_index_rebuild(struct mem_thread *m); /* in a forked child */
struct mem_site *mem_site_get(struct mem_thread *m, const struct rt_node *node,
                              uint32_t slot);

void *mem_traced(void *p, size_t size);
void mem_free(void *p);
int mem_forget(struct mem_entry *e, uintptr_t key); /* 0: never traced */
void mem_note_free(const struct mem_entry *e);
void mem_restore(const struct mem_entry *e, uintptr_t key);
void mem_sites_restart(struct mem_thread *m); /* in a forked child */

/* The C library's own allocator, which the hooks call. */
void *__libc_malloc(size_t size);
void __libc_free(void *p);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void *__libc_memalign(size_t align, size_t size);
void *__libc_valloc(size_t size);
void *__libc_pvalloc(size_t size);

/* Process-wide traced bytes, but for the states' deltas (site.c). */
extern int64_t mem_flushed;
extern uint64_t mem_untracked; /* frees of blocks found in no table */

/* --- switching on (hooks.c) and dumps (dump.c) --- */
/* Tracing has started (it never stops); MEM_PROBE: start-up's check. */
enum { MEM_OFF, MEM_ON, MEM_PROBE };
extern int mem_tracing;
void mem_dump_init(void);

/* --- what rt/init.c wires into the core --- */
void rt_memory_init(void);   /* at start-up, after the exit dump's atexit */
void rt_memory_start(void);  /* idempotent; rt_hooks.memory_function */
int rt_memory_tracing(void); /* rt_hooks.dump_active */
int rt_memory_write(struct rt_buffer *out, /* rt_hooks.dump_write */
                    const struct rt_buffer *nodes);

#endif
