/*
 * thread_stats.h - every thread of one profile, each read on its own
 * (thread_stats.c): the per-thread views of prstats --threads, the page
 * and speedscope.
 */
#ifndef CPROF_READ_THREAD_STATS_H
#define CPROF_READ_THREAD_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "cprof-read/stats.h"

struct thread_stats {
  struct stats s;  /* the thread's profile: prstats --thread k */
  char label[128]; /* "thread 1 'worker' (tid 4242)" (threads.h) */
  const char *name; /* in s: the thread's name */
  uint32_t tid, runs;
  uint32_t *func; /* s.funcs[i] is like->funcs[func[i]] (HASH_NONE: none) */
};

/*
 * The threads of `file`, each read as `like` was (its raw, strip and
 * folded settings) and matched to like's functions by name, file and
 * line.  Returns their number (0: the file has no thread records) into
 * *n, or -1 after printing "prstats: FILE: problem".
 */
int thread_stats_load(const struct stats *like, char *file,
                      struct thread_stats **out, size_t *n);

void thread_stats_free(struct thread_stats *t, size_t n);

#endif /* CPROF_READ_THREAD_STATS_H */
