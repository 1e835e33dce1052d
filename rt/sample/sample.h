/*
 * sample.h - stack sampling of any program (CPROF_SAMPLE=HZ,
 * docs/sampling.md), a plug-in of the core like memory tracing: the core's
 * SIGPROF handler calls it through rt_hooks.sample_stack, its dump
 * through rt_hooks.sample_write.
 *
 * Every thread, the main one and each one pthread_create makes, gets a
 * timer on its own CPU time (the core's rt_sampler_timer) and a buffer of
 * its own, mapped once, that only its signal handler writes: the handler
 * walks the interrupted stack by frame pointers within the bounds recorded
 * at the thread's start and appends one record, or counts it dropped when
 * the buffer is full.  No allocation, no lock, no call in the handler.
 */
#ifndef CPROF_RT_SAMPLE_H
#define CPROF_RT_SAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base.h"

#define RT_STACK_MAX_DEPTH 256 /* addresses a record keeps at most */

/*
 * A record in a thread's buffer: one word, the rt_node on top of the
 * thread's shadow stack (0: none), then `depth` addresses.  The word holds
 * depth (bits 0-15), CPROF_STACK_* flags (16-31), and the samples the
 * signal carried (32-63).
 */
#define RT_STACK_HEAD 2 /* words before the addresses */
#define RT_STACK_WORD(depth, flags, weight)                                    \
  ((uint64_t)(depth) | (uint64_t)(flags) << 16 | (uint64_t)(weight) << 32)

struct rt_stack {
  struct rt_stack *next; /* every buffer, under rt_lock */
  uint32_t index;        /* the thread number in the file */
  int live;              /* a thread owns it now */
  int timing;            /* `timer` is armed */
  timer_t timer;
  uintptr_t lo, hi;          /* the owner's stack, [lo, hi); 0, 0: unknown */
  uint64_t *words;           /* the records */
  size_t cap;                /* words mapped */
  size_t used;               /* words written: the handler publishes it */
  uint64_t signals, samples; /* recorded */
  uint64_t dropped_signals, dropped_samples, cut;
  size_t snap; /* `used` as the dump began (the dump holds rt_lock) */
  /* Its last thread's kernel id and name, and how many threads used it
   * one after another (the file's cprof_file_sample_thread). */
  uint32_t tid, runs;
  char name[16];
};

/* thread.c */
extern __thread struct rt_stack *rt_stack_self
    __attribute__((tls_model("initial-exec")));
struct rt_stack *rt_stack_list(void); /* caller holds rt_lock */
uint32_t rt_stack_count(void);        /* caller holds rt_lock */
int rt_stack_on(void);                /* sampling started */

/* walk.c: rt_hooks.sample_stack */
struct rt_node;
void rt_stack_sample(void *context, uint64_t due, const struct rt_node *top);

/* dump.c: rt_hooks.sample_write */
int rt_stack_write(struct rt_buffer *out, const struct rt_buffer *nodes,
                   int signal);

/* init: CPROF_SAMPLE, from rt/init.c; 1 when sampling started */
int rt_stack_init(void);

#endif
