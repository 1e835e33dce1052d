/*
 * stats.h - the merged profile: pstats numbers per function and per edge.
 *
 * Files are added one at a time, the way pstats' add() merges: functions
 * with the same (name, file, line) become one, their line data are summed
 * by line number, and call edges are keyed by (caller, callee).  Times are
 * whole ticks of the first file's tick_hz (a file at another rate is
 * converted), with the probes' measured cost taken out unless `raw` is set
 * (docs/prstats.md); sums of them are exact, and only stats_seconds(), as
 * a report prints a number, divides.
 */
#ifndef CPROF_READ_STATS_H
#define CPROF_READ_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "cprof-read/hash.h"
#include "cprof-read/profile.h"
#include "cprof-read/sampled.h"
#include "cprof-read/strpool.h"

struct stats_line {
  uint64_t hits;
  int64_t time;     /* timed lines: ticks, callees included (line_profiler's
                       meaning), less the line probes' cost */
  uint64_t samples; /* sampled lines: samples that found it on this line */
};

struct stats_func {
  const char *name, *symbol, *file; /* in struct stats' strings */
  const char *source; /* the path as compiled, to read the text (file may
                         be stripped of its directories) */
  char *stdname;      /* "file:line(name)": pstats' label and stdname key */
  uint32_t line;
  uint64_t ncalls, pcalls;
  int64_t tottime, cumtime; /* ticks */
  /* Sampled time in it: a row of a hybrid profile, "{module:function}"
   * (hybrid.h), or a function of sampled stacks outside profiled calls
   * (pure.h); without calls (ncalls 0) its times are samples only. */
  int sampled;
  int64_t rawtime;  /* raw inclusive ticks summed over every call, recursive
                       ones included */
  int64_t calltime; /* the same corrected (unless raw): the percentile
                       table's sum */
  /* The shortest and longest completed call, raw inclusive ticks, exact
   * (format.h); has_extremes is 0 when no input recorded one. */
  int64_t min_ticks, max_ticks;
  int has_extremes;
  uint32_t first_line, nlines; /* lines[k] is source line first_line + k */
  struct stats_line *lines;
  int line_times;   /* some input timed its lines (the timed-lines mode) */
  int line_sampled; /* some input sampled them (the default line mode);
                       the line view then goes by the samples */
  uint64_t samples; /* samples with the function on the stack */
  double signals;   /* the independent observations among them: each
                       file's samples scaled by its signals per sample */
  /* Its duration histogram buckets, buckets[hist_first .. + nhist) of
   * struct stats after stats_finish (none: not recorded); stats_hist()
   * adds them up. */
  size_t hist_first, nhist;
  /* After stats_finish: indexes into edges[], ordered by the other end's
   * (file, line, name) as pstats prints them. */
  uint32_t *callers, ncallers;
  uint32_t *callees, ncallees;
};

/* Edges and paths begin with the pair of indexes they are keyed by. */
struct stats_edge {
  uint32_t caller, callee; /* indexes into funcs[] */
  uint64_t ncalls, pcalls;
  int64_t tottime, cumtime; /* ticks */
};

/*
 * One non-empty bucket of a function's duration histogram, as one file
 * had it.  Most of a function's 160 buckets are empty: a dense array per
 * function would be most of the memory a large profile takes.
 */
struct stats_bucket {
  uint32_t func, bucket; /* funcs[]; format.h's bucket */
  uint64_t count;
};

/* One distinct call path of every thread and file: the folded stacks. */
struct stats_path {
  uint32_t parent, func; /* parent path (HASH_NONE at a root), funcs[] */
  int64_t self;          /* ticks spent in func itself on this path */
  uint64_t calls;        /* calls of func on this path */
};

struct stats {
  /* Settings, fixed before the first stats_add: */
  int raw;    /* keep the probes' cost in the times (no compensation) */
  int strip;  /* file names without their directories (pstats strip_dirs) */
  int folded; /* keep paths[] (the folded stacks, the flame graph and the
                 page read them) */
  int64_t thread; /* -1 (stats_init): every thread; k: each file's thread k
                     only (threads.h), by load_files */

  struct stats_func *funcs;
  size_t nfuncs, funcs_cap;
  struct stats_edge *edges;
  size_t nedges, edges_cap;
  struct stats_bucket *buckets; /* grouped by function by stats_finish */
  size_t nbuckets, buckets_cap;
  struct stats_path *paths; /* only when `folded` is set */
  size_t npaths, paths_cap;
  struct hash_index func_index, edge_index, path_index;
  struct strpool strings; /* every function's names */
  uint32_t *edge_lists;   /* storage behind every callers/callees */
  size_t nfiles;
  double tick_hz;      /* of the first file added: the ticks of every time */
  uint32_t clock;      /* its enum cprof_clock */
  int sampled_clock;   /* the first file timed no call, only sampled stacks:
                          ticks are nanoseconds (tick_hz 1e9) */
  uint64_t dropped;    /* calls the runtimes could not record (too deep) */
  uint32_t cut_short;  /* files written as a signal ended their program */
  uint32_t cut_signal; /* the first such file's signal */
  /* The first file's probe costs in seconds (0: not measured), and
   * whether a later file measured others (each file is corrected with
   * its own). */
  double call_cost, call_inner_cost, line_cost;
  int costs_vary;
  /* How far the first file's calibration repeats spread above those
   * costs, in seconds: the Clock line calls the costs noisy beyond 10%. */
  double call_cost_spread, line_cost_spread;
  size_t timed_funcs; /* functions with timed lines: line_cost applies */
  /* The line sampler: the first sampled file's period (0: none sampled),
   * whether another file sampled at another rate, and the samples due
   * and signals that carried them, summed over the files. */
  uint64_t sample_period_ns;
  int sample_rate_varies;
  uint64_t samples, sample_signals;
  /* After stats_finish: pstats' totals. */
  uint64_t total_calls, prim_calls;
  int64_t total_time; /* sum of tottime, ticks */
  struct sampled *sampled; /* sampled stacks (sampled.h); NULL: none */
  /* With `thread`: "thread 1 'worker' (tid 42)" of the first file, for
   * the reports' headers; NULL otherwise. */
  char *thread_label;
  uint64_t file_threads; /* the files' thread records, summed (threads.h) */
};

/* Ticks of s as seconds: what the reports print. */
double stats_seconds(const struct stats *s, int64_t ticks);

void stats_init(struct stats *s);

/*
 * Merges one checked file in O(nodes + functions + line records).
 * Returns 0, or -1 with a one-line reason in err when its line records
 * cannot be merged with those already there (s is then unusable).
 */
int stats_add(struct stats *s, const struct prof_file *pf, char *err,
              size_t errsize);

/* Totals, labels, caller/callee lists and each function's histogram
 * buckets together; call once after the last add. */
void stats_finish(struct stats *s);

/* The function of (name, file, line), created empty on first use; `path`
 * is the file as compiled (shortened when s->strip). */
uint32_t stats_func_id(struct stats *s, const char *name, const char *symbol,
                       const char *path, uint32_t line);

/* The function's index by name, file and line, or HASH_NONE. */
uint32_t stats_find(const struct stats *s, const char *name, const char *file,
                    uint32_t line);

/* Its duration histogram: CPROF_HIST_BUCKETS counts of completed calls
 * by inclusive ticks (format.h).  Returns 0 when none was recorded. */
int stats_hist(const struct stats *s, const struct stats_func *f,
               uint64_t *count);

/*
 * Its completed calls (the return value; 0 when no histogram was
 * recorded), and in seconds per call: min, median, 90th and 99th
 * percentiles, max.  Min and max are the exact ones the runtime kept,
 * the percentiles are read off the histogram (hist.h) and clamped to
 * them; unless s->raw, each loses the function's average probe cost per
 * call (stats_call_cost), as the table's times do.  None exceeds cumtime.
 */
#define STATS_POINTS 5
uint64_t stats_percentiles(const struct stats *s, const struct stats_func *f,
                           double seconds[STATS_POINTS]);

/* The probe cost taken out of its calls, on average per call, in ticks
 * (0 when raw): what the percentiles subtract. */
int64_t stats_call_cost(const struct stats *s, const struct stats_func *f);

/* Was the function called at all (or did any of its lines run)? */
int stats_ran(const struct stats_func *f);

/* The record of source line `line` of f, its line array widened to it;
 * NULL when that is too far from its other lines (as files merge). */
struct stats_line *stats_line_at(struct stats_func *f, uint32_t line);

/* `samples` samples of period_ns in s's ticks: samples x (period x
 * tick_hz, rounded once to whole ticks, exact when tick_hz is a whole
 * number of Hz), so that sums of sampled times are exact; saturating at
 * INT64_MAX. */
int64_t stats_sample_ticks(const struct stats *s, uint64_t period_ns,
                           uint64_t samples);

/* The edge caller -> callee, created empty on first use. */
uint32_t stats_edge_id(struct stats *s, uint32_t caller, uint32_t callee);

/* The path `parent` (HASH_NONE: none) then func, created on first use. */
uint32_t stats_path_id(struct stats *s, uint32_t parent, uint32_t func);

/* Path p and its ancestors into *chain (grown as needed), p first and its
 * root last; returns how many.  The exports write a path from this. */
size_t stats_path_chain(const struct stats *s, uint32_t p, uint32_t **chain,
                        size_t *cap);

void stats_free(struct stats *s);

#endif /* CPROF_READ_STATS_H */
