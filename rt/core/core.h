/*
 * core.h - the runtime's core (rt/core/): the probes, per-thread state,
 * the registry of functions, calibration, the profile writer and the
 * user API.  Built on rt/base/; memory tracing plugs in through struct
 * rt_hooks, filled in by rt/init.c, and the core never calls it by name.
 *
 * Per thread the runtime keeps a shadow stack of frames and a
 * calling-context tree (CCT) of nodes; per thread and function an array
 * of line counters.  Only the owning thread writes them, so the hot path
 * needs no lock and no atomic instruction; the dump reads them from
 * another thread, which at worst sees a count one behind.
 */
#ifndef CPROF_RT_CORE_H
#define CPROF_RT_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base.h"
#include "cprof/abi.h"
#include "cprof/format.h"

#define RT_NO_LINE CPROF_NO_LINE_SLOT
#define RT_REJECTED UINT32_MAX /* cprof_fn.id of a descriptor we refuse */
#define RT_NO_TIME UINT64_MAX  /* t_enter of a counts-only frame */

/* One distinct call path, as seen from one thread. */
struct rt_node {
  uint64_t calls;
  uint64_t ticks;   /* inclusive */
  uint64_t samples; /* the sampler found this path on top */
  struct rt_node *parent;
  struct rt_node *child; /* newest child first */
  struct rt_node *sibling;
  struct rt_node *hot;    /* the child entered last: tried first */
  struct rt_fnstat *stat; /* this thread's counters of fn */
  uint32_t fn;            /* registry id */
};

/* What a thread keeps per function besides the tree. */
struct rt_fnstat {
  uint64_t hist[CPROF_HIST_BUCKETS]; /* completed calls by inclusive ticks */
  uint64_t min_ticks, max_ticks;     /* of those calls (min: UINT64_MAX) */
  uint64_t samples;                  /* with the function on the stack */
  uint64_t sampled_at;      /* the sample that counted it last, */
  uint64_t line_sampled_at; /* and one of its lines (sampler.c) */
  uint32_t nlines;
  struct cprof_file_line lines[];
};

/* One activation of a profiled function. */
struct cprof_frame {
  struct cprof_frame_head head; /* .lines: this thread's counters of fn */
  struct rt_node *node;         /* NULL: a frame that records nothing */
  uintptr_t sp;                 /* stack pointer at entry, to spot longjmp */
  uint64_t t_enter;
  uint64_t t_line; /* when the current line (head.line) started */
  uint32_t nlines; /* of timed lines (__cprof_line's); 0: none */
};

#define RT_STATDIR_SHIFT 12
#define RT_STATDIR_SIZE 4096 /* second-level tables: 4096 x 4096 functions */

struct rt_thread {
  struct cprof_frame *top;   /* current frame; frames[0] is the root */
  struct cprof_frame *limit; /* one past the last usable frame */
  struct rt_node root;       /* parent of the thread's outermost calls */
  struct rt_arena arena;
  struct rt_fnstat **statdir[RT_STATDIR_SIZE];
  struct rt_thread *next; /* all states, oldest first, under rt_lock */
  int live;               /* a thread owns this state now */
  /* Who used it, for the file's thread records: the kernel's id and name
   * of its last thread (the name kept as that thread exits), and how
   * many threads used it one after another. */
  uint32_t tid, runs;
  char name[16];
  uint64_t dropped;       /* calls not recorded: stack too deep, no memory */
  struct rt_fnstat *pending; /* the last exit's function, not yet counted */
  uint64_t pending_ticks;     /* and its duration (see rt_close_frame) */
  struct cprof_frame *frames;
  /*
   * Returned instead of a frame when a call is not recorded (recording
   * off, stack too deep).  Its own scratch line counters keep threads
   * that run line-hits code from sharing cache lines meanwhile.
   */
  struct cprof_frame idle;
  struct rt_node **map; /* (parent, fn) -> child: see childmap.c */
  uint32_t map_mask, map_used;
  int map_busy, map_stale;
  timer_t sample_timer; /* sampler.c, when `sampling` */
  int sampling;
  uint64_t sample_seq;  /* signals taken on this thread */
  uint64_t samples_due; /* the samples they carried */
  struct rt_fnstat scratch;   /* pending before any exit (no lines: last) */
};

extern int rt_enabled; /* recording new calls: cprof_enable/disable */
static inline int rt_recording(void) {
  return __atomic_load_n(&rt_enabled, __ATOMIC_RELAXED); /* a plain load */
}
/* This thread's state.  initial-exec: one %fs-relative load, no call. */
extern __thread struct rt_thread *rt_self
    __attribute__((tls_model("initial-exec")));

/* probe.c: calls of threads that could get no state (no memory), which
 * have nowhere else to count them; atomic, off the hot path */
extern uint64_t rt_stateless_calls;

/* thread.c */
void rt_thread_init(void); /* CPROF_MAX_DEPTH */
struct rt_thread *rt_thread_attach(void);
struct rt_thread *rt_thread_map(void); /* a state of no thread, not listed */
void rt_thread_unmap(struct rt_thread *t);
struct rt_thread *rt_thread_list(void); /* caller holds rt_lock */
void rt_thread_forked(struct rt_thread *self); /* fork child: who is who */
struct rt_fnstat *rt_thread_stat(struct rt_thread *t, uint32_t fn);
struct rt_fnstat *rt_thread_stat_make(struct rt_thread *t, uint32_t fn,
                                      uint32_t nlines);

/* One completed call of `st` that took `ticks`. */
static inline void rt_count_duration(struct rt_fnstat *st, uint64_t ticks) {
  st->hist[cprof_hist_bucket(ticks)]++;
  if (ticks < st->min_ticks)
    st->min_ticks = ticks;
  if (ticks > st->max_ticks)
    st->max_ticks = ticks;
}

/* End an activation at `now`: its node, its duration bucket, its line. */
static inline void rt_close_frame(struct rt_thread *t, struct cprof_frame *f,
                                  uint64_t now) {
  if (f->t_enter == RT_NO_TIME) /* a counts-only frame */
    return;
  uint64_t elapsed = now - f->t_enter;
  f->node->ticks += elapsed;
  /*
   * The histogram slot and the extremes depend on the timer just read;
   * stores that wait for it would stall the next probe (~5 ns).  So the
   * previous exit's duration, long known by now, is counted instead, and
   * this one waits its turn.
   */
  rt_count_duration(t->pending, t->pending_ticks);
  t->pending = f->node->stat;
  t->pending_ticks = elapsed;
  if (f->nlines && f->head.line != RT_NO_LINE)
    f->head.lines[f->head.line].ticks += now - f->t_line;
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

/* profile_write.c: the profile in the file format of cprof/format.h */
int rt_serialize(struct rt_buffer *out, uint64_t now,
                 int signal); /* signal: the run was cut short by it, or 0 */
size_t rt_section_begin(struct rt_buffer *out, uint32_t kind,
                        uint32_t record_size); /* returns its offset */
void rt_section_end(struct rt_buffer *out, size_t at);

/* reset.c */
void rt_reset_init(void); /* the fork handlers */

/* childmap.c */
struct rt_node *
rt_child(struct rt_thread *t, struct rt_node *parent, uint32_t fn,
         struct rt_node *(*make)(struct rt_thread *, struct rt_node *, void *),
         void *arg);

/* calibrate.c */
struct rt_costs {
  uint64_t call, call_inner, line;
  uint64_t call_spread, line_spread; /* over the trials, see calibrate.c */
};
extern struct rt_costs rt_costs;
void rt_calibrate(void); /* at start-up, and again at exit */

/* request.c */
void rt_request_init(void);

/* api.c: build the profile and write it to `pattern` (NULL: CPROF_OUT),
 * cut short by `signal` (0: not); `path` gets the file's name.  The
 * caller holds rt_lock: two dumps never write at once. */
int rt_dump(const char *pattern, int signal, char path[RT_PATH_MAX]);
void rt_exit_dump(void); /* the dump at exit, and CPROF_REPORT's report */

/* sampler.c: CPROF_SAMPLE_HZ */
void rt_sampler_init(void);
uint64_t rt_sample_period_ns(void); /* 0: not sampling */
void rt_sampler_start(struct rt_thread *t);
void rt_sampler_stop(struct rt_thread *t);
void rt_sampler_forked(struct rt_thread *self);
int rt_sampler_take(long period_ns, int wall); /* CPROF_SAMPLE: 0 when
                                                  installed; wall: on the
                                                  wall clock */
int rt_sampler_wall(void); /* the timers count wall time */
int rt_sampler_owned(void);          /* SIGPROF's handler is still ours */
void rt_sampler_quiet(void); /* no more samples of the calling thread */
int rt_sampler_timer(timer_t *timer); /* the calling thread's, armed */

/* signals.c: CPROF_SIGNALS */
void rt_signals_init(void);

/* report.c: CPROF_REPORT */
void rt_report(const char *path);

/*
 * What a plug-in (memory tracing) adds to the core, set by rt/init.c
 * before any profiled call; a hook left NULL does nothing.
 */
struct rt_hooks {
  /* A function flagged CPROF_FN_MEMORY registers (under rt_lock). */
  void (*memory_function)(void);
  /* Sections after the core's.  `dump_active` is read once as a dump
   * begins; when true, `nodes` holds the rt_node of each node record, in
   * file order, and `dump_write` appends its sections to `out` (0, or -1
   * when it could not). */
  int (*dump_active)(void);
  int (*dump_write)(struct rt_buffer *out, const struct rt_buffer *nodes);
  /* Stack sampling (rt/sample/): called by the SIGPROF handler on the
   * interrupted thread with its ucontext, the samples due and the node on
   * top of the thread's shadow stack (NULL: none), and at each dump to
   * append its sections (0, or -1 when it could not), with `nodes` as for
   * dump_write and `signal` as for rt_serialize. */
  void (*sample_stack)(void *context, uint64_t due, const struct rt_node *top);
  int (*sample_write)(struct rt_buffer *out, const struct rt_buffer *nodes,
                      int signal);
};
extern struct rt_hooks rt_hooks;

/* nodemap.c: the file index of each rt_node of a dump's `nodes` buffer
 * (rt_hooks), CPROF_NO_PARENT for one not written (or NULL). */
struct rt_node_map {
  struct {
    const struct rt_node *node;
    uint32_t index;
  } * slot;
  size_t mask;
};
int rt_node_map_build(struct rt_node_map *m, const struct rt_buffer *nodes);
uint32_t rt_node_map_find(const struct rt_node_map *m, const struct rt_node *n);
void rt_node_map_free(struct rt_node_map *m);

#endif
