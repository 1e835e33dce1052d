/*
 * rt.h - internals of libcprof shared by its files (not installed).
 *
 * Per thread the runtime keeps a shadow stack of frames and a
 * calling-context tree (CCT) of nodes; per thread and function an array
 * of line counters.  Only the owning thread writes them, so the hot path
 * needs no lock and no atomic instruction; the dump reads them from
 * another thread, which at worst sees a count one behind.
 */
#ifndef CPROF_RT_H
#define CPROF_RT_H

#include <stddef.h>
#include <stdint.h>

#include "cprof/abi.h"
#include "cprof/format.h"

#define RT_API __attribute__((visibility("default")))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define RT_NO_LINE CPROF_NO_LINE_SLOT
#define RT_REJECTED UINT32_MAX /* cprof_fn.id of a descriptor we refuse */
#define RT_NO_TIME UINT64_MAX  /* t_enter of a counts-only frame */

/* One distinct call path, as seen from one thread. */
struct rt_node {
  uint64_t calls;
  uint64_t ticks;                /* inclusive */
  struct rt_node *parent;
  struct rt_node *child;         /* newest child first */
  struct rt_node *sibling;
  struct rt_node *hot;           /* the child entered last: tried first */
  struct rt_fnstat *stat;        /* this thread's counters of fn */
  uint32_t fn;                   /* registry id */
};

/* What a thread keeps per function besides the tree. */
struct rt_fnstat {
  uint64_t hist[CPROF_HIST_BUCKETS]; /* completed calls by inclusive ticks */
  uint32_t nlines;
  struct cprof_file_line lines[];
};

/* One activation of a profiled function. */
struct cprof_frame {
  struct cprof_frame_head head;  /* .lines: this thread's counters of fn */
  struct rt_node *node;          /* NULL: a frame that records nothing */
  uintptr_t sp;                  /* stack pointer at entry, to spot longjmp */
  uint64_t t_enter;
  uint64_t t_line;               /* when the current line started */
  uint32_t cur_line;             /* RT_NO_LINE before the first probe */
  uint32_t nlines;
};

/* Bump allocator over anonymous mappings; memory comes zeroed. */
struct chunk_head {
  struct chunk_head *prev;
  size_t size;
};

struct rt_arena {
  char *next, *end;
  size_t chunk;
  struct chunk_head *last;
  int refilling;
};

#define RT_STATDIR_SHIFT 12
#define RT_STATDIR_SIZE 4096 /* second-level tables: 4096 x 4096 functions */

struct rt_thread {
  struct cprof_frame *top;   /* current frame; frames[0] is the root */
  struct cprof_frame *limit; /* one past the last usable frame */
  struct rt_node root;       /* parent of the thread's outermost calls */
  struct rt_arena arena;
  struct rt_fnstat **statdir[RT_STATDIR_SIZE];
  struct rt_thread *next;    /* all states, under rt_lock */
  int live;                  /* a thread owns this state now */
  uint64_t dropped;          /* calls not recorded: stack too deep, no memory */
  uint64_t *pending_hist;    /* the last exit's histogram, not yet counted */
  uint64_t pending_ticks;    /* and its duration (see rt_close_frame) */
  uint64_t scratch_hist[CPROF_HIST_BUCKETS]; /* pending_hist before any exit */
  struct cprof_frame *frames;
  /*
   * Returned instead of a frame when a call is not recorded (recording
   * off, stack too deep).  Its own scratch line counters keep threads
   * that run line-hits code from sharing cache lines meanwhile.
   */
  struct cprof_frame idle;
  struct rt_node **map;      /* (parent, fn) -> child: see childmap.c */
  uint32_t map_mask, map_used;
  int map_busy, map_stale;
};

extern int rt_enabled; /* recording new calls: cprof_enable/disable */
static inline int rt_recording(void) {
  return __atomic_load_n(&rt_enabled, __ATOMIC_RELAXED); /* a plain load */
}
/* This thread's state.  initial-exec: one %fs-relative load, no call. */
extern __thread struct rt_thread *rt_self
    __attribute__((tls_model("initial-exec")));

/* thread.c */
struct rt_thread *rt_thread_attach(void);
struct rt_thread *rt_thread_map(void); /* a state of no thread, not listed */
void rt_thread_unmap(struct rt_thread *t);
struct rt_thread *rt_thread_list(void); /* caller holds rt_lock */
struct rt_fnstat *rt_thread_stat(struct rt_thread *t, uint32_t fn);
struct rt_fnstat *rt_thread_stat_make(struct rt_thread *t, uint32_t fn,
                                      uint32_t nlines);
void rt_thread_zero(struct rt_thread *t);

/* End an activation at `now`: its node, its duration bucket, its line. */
static inline void rt_close_frame(struct rt_thread *t, struct cprof_frame *f,
                                  uint64_t now) {
  if (f->t_enter == RT_NO_TIME) /* a counts-only frame */
    return;
  uint64_t elapsed = now - f->t_enter;
  f->node->ticks += elapsed;
  /*
   * The histogram slot depends on the timer just read; a store to it would
   * stall the next probe (~5 ns).  So the previous exit's duration, long
   * known by now, is counted instead, and this one waits its turn.
   */
  t->pending_hist[cprof_hist_bucket(t->pending_ticks)]++;
  t->pending_hist = f->node->stat->hist;
  t->pending_ticks = elapsed;
  if (f->cur_line != RT_NO_LINE)
    f->head.lines[f->cur_line].ticks += now - f->t_line;
}

/* registry.c: copies of the descriptors, by id (1-based) */
struct rt_fn {
  char *name, *symbol, *file;
  uint32_t line, first_line, nlines;
  uint32_t flags; /* CPROF_FUNC_* of the file */
};
uint32_t rt_register(struct cprof_fn *fn);
uint32_t rt_fn_count(void); /* caller holds rt_lock */
const struct rt_fn *rt_fn_get(uint32_t id);

/* arena.c */
void *rt_map_zeroed(size_t size);
void *rt_arena_alloc(struct rt_arena *a, size_t size);
void rt_arena_free(struct rt_arena *a);

/* lock.c: one process-wide lock for the rare paths */
void rt_lock(void);
void rt_unlock(void);
int rt_trylock(void); /* 0 when taken */

/* buffer.c: a growable byte buffer outside the program's heap */
struct rt_buffer {
  char *data;
  size_t size, cap;
  int failed;
};
void *rt_buffer_extend(struct rt_buffer *b, size_t size); /* zeroed */
void rt_buffer_put(struct rt_buffer *b, const void *data, size_t size);
void rt_buffer_free(struct rt_buffer *b);

/* dump.c */
int rt_serialize(struct rt_buffer *out, uint64_t now);

/* reset.c */
extern int rt_forked_child;

/* output.c */
int rt_write_file(const char *pattern, const struct rt_buffer *b);
const char *rt_default_output(void);

/* childmap.c */
struct rt_node *rt_child(struct rt_thread *t, struct rt_node *parent,
                         uint32_t fn,
                         struct rt_node *(*make)(struct rt_thread *,
                                                 struct rt_node *, void *),
                         void *arg);

/* calibrate.c */
struct rt_costs {
  uint64_t call, call_inner, line;
};
extern struct rt_costs rt_costs;
void rt_calibrate(void);

/* request.c */
void rt_request_init(void);

/* api.c */
const char *rt_program_name(void);
int rt_dump(const char *path, int wait);
void rt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* memory_*.c: memory tracing, CPROF_MEMORY=1 (docs/memory.md) */
void rt_memory_init(void);  /* at start-up, after the exit dump's atexit */
void rt_memory_start(void); /* idempotent; from a CPROF_FN_MEMORY function */
struct rt_memory_sections {
  struct rt_buffer sites, totals;
};
/* `nodes` holds the rt_node of each node record, in file order; returns
 * 0 when tracing never started (no sections), else 1. */
int rt_memory_collect(struct rt_memory_sections *ms,
                      const struct rt_buffer *nodes);

#endif
