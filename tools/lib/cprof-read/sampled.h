/*
 * sampled.h - the stacks of sampled runs (CPROF_SAMPLE), merged into
 * functions with sampled self and inclusive times (sampled.c).
 *
 * Each file's addresses are resolved when it is added (symbolize.h), so
 * files of different runs and programs merge by function name and module.
 * Times are samples times the file's period: CPU time as the sampler saw
 * it.  A sampler counts no calls.
 */
#ifndef CPROF_READ_SAMPLED_H
#define CPROF_READ_SAMPLED_H

#include <stddef.h>
#include <stdint.h>

#include "cprof-read/hash.h"
#include "cprof-read/profile.h"
#include "cprof-read/strpool.h"

struct sampled_func {
  const char *name;         /* demangled, or "[unknown]"; pool strings */
  const char *module;       /* the mapped file, "" when in no mapping */
  const char *file;         /* source file, or the module's base name */
  uint32_t line;            /* of the function's start; 0: unknown */
  char *label;              /* "file:line(name)", pstats' form */
  uint64_t self_ns, cum_ns; /* samples at the top / anywhere on the stack */
};

/* A stack of the last file added that fell in a profiled call
 * (CPROF_STACK_NODE): that call's node, the interrupted function. */
struct sampled_under {
  uint32_t node, func;
  uint32_t weight; /* the samples its signal carried */
};

/* A stack of the last file added that fell in no profiled call (every
 * stack of a program not built with cprof): frames[first .. + depth) of
 * struct sampled, the interrupted function first (pure.h). */
struct sampled_stack {
  uint64_t weight; /* the samples its signal carried */
  size_t first;
  uint32_t depth;
};

/* One frame of such a stack: its function, and the line of its address
 * (the call, for a return address) in the function's file, 0: unknown. */
struct sampled_frame {
  uint32_t func, line;
};

struct sampled {
  struct sampled_func *funcs;
  size_t nfuncs, funcs_cap;
  struct hash_index index; /* by (name, module) */
  struct strpool strings;
  size_t nfiles;
  uint64_t period_ns; /* of the first file */
  int periods_vary;   /* another file sampled at another period */
  uint64_t signals, samples, total_ns;
  uint64_t dropped_signals, dropped_samples;
  uint64_t cut;     /* stacks whose walk stopped at a bad frame, or at an
                       address outside every mapping, before a thread's entry */
  uint64_t threads; /* summed over the files */
  int lost_handler; /* a program replaced the SIGPROF handler */
  int wall;         /* some file sampled wall time (CPROF_SAMPLE_WALL) */
  int debuginfo;    /* names came from libdw */
  struct sampled_under *under; /* of the last file only (hybrid.h) */
  uint64_t nhybrid;            /* hybrid rows' stacks, over the files */
  size_t nunder, under_cap;
  struct sampled_stack *pure; /* of the last file only (pure.h) */
  size_t npure, pure_cap;
  struct sampled_frame *frames;
  size_t nframes, frames_cap;
};

/* Merges the sampled sections of `pf` into *sp, made on first use. */
void sampled_add(struct sampled **sp, const struct prof_file *pf);

/* Indexes of the functions that were sampled, by self time then
 * inclusive time, largest first; *n gets their number. */
uint32_t *sampled_order(const struct sampled *sm, size_t *n);

void sampled_free(struct sampled *sm);

#endif /* CPROF_READ_SAMPLED_H */
