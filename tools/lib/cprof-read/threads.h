/*
 * threads.h - one thread's part of a profile (threads.c).
 *
 * The file says which nodes are which thread's tree (format.h,
 * cprof_file_thread).  Per function the runtime merges the rest over its
 * threads (line counters, durations, samples): a function that ran in the
 * thread keeps those of every thread, the others lose them.  A file with
 * no call tree (a program sampled, not built with cprof) tells apart the
 * threads of its sampled stacks (cprof_file_sample_thread) instead.
 */
#ifndef CPROF_READ_THREADS_H
#define CPROF_READ_THREADS_H

#include <stddef.h>
#include <stdint.h>

#include "cprof-read/profile.h"

/* Who thread k is: its kernel name (in pf), id, and how many threads
 * used its record one after another. */
struct prof_thread {
  const char *name;
  uint32_t tid, runs;
};
struct prof_thread prof_thread_info(const struct prof_file *pf, uint32_t k);

/* How many threads the file tells apart: 0 when it has no thread records
 * (an older runtime's file). */
uint64_t prof_thread_count(const struct prof_file *pf);

/*
 * Keeps thread k's nodes only, and what refers to them: the sampled
 * stacks that fell in its profiled calls (of a sampled run: its stacks).  Returns 0, or -1 with a
 * one-line reason in err (no such thread) and pf unchanged.
 */
int prof_only_thread(struct prof_file *pf, uint32_t k, char *err,
                     size_t errsize);

/* "thread 1 'worker' (tid 4242)", or "(tid 4242; 3 threads in turn)"
 * when the record served several; into buf. */
void prof_thread_label(const struct prof_file *pf, uint32_t k, char *buf,
                       size_t size);

#endif /* CPROF_READ_THREADS_H */
