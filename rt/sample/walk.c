/*
 * walk.c - one signal's stack, walked by frame pointers.
 *
 * With frame pointers every frame begins with the caller's frame pointer
 * and the return address above it, so the chain from the interrupted
 * frame pointer leads outwards to the thread's first frame, whose saved
 * frame pointer is 0.  Code built without them uses the register for
 * anything: each address read is checked first to lie within the
 * thread's stack, between the interrupted stack pointer and its top
 * (mapped memory, recorded at the thread's start), aligned, and above
 * the frame before, so a bad chain ends the walk (the record is marked
 * cut) and never faults.  The interrupted instruction comes from the
 * signal's context, and is there even when nothing else is.
 *
 * Runs in the SIGPROF handler on the interrupted thread, which alone
 * writes its buffer: it calls nothing and takes no lock.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <ucontext.h>

#include "cprof/format.h"
#include "sample/sample.h"

/* The interrupted instruction, frame pointer and stack pointer. */
static int registers(void *context, uintptr_t *pc, uintptr_t *fp,
                     uintptr_t *sp) {
  const ucontext_t *uc = context;
#if defined(__x86_64__)
  *pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
  *fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
  *sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
  return 0;
#elif defined(__aarch64__)
  *pc = (uintptr_t)uc->uc_mcontext.pc;
  *fp = (uintptr_t)uc->uc_mcontext.regs[29];
  *sp = (uintptr_t)uc->uc_mcontext.sp;
  return 0;
#else
  (void)uc, (void)pc, (void)fp, (void)sp;
  return -1; /* no walk: the sampler stays off (thread.c) */
#endif
}

/* Return addresses from frame pointer `fp` into out[1..]; the depth. */
static uint32_t walk(const struct rt_stack *s, uintptr_t fp, uintptr_t sp,
                     uint64_t *out, uint32_t *flags) {
  uint32_t depth = 1;
  uintptr_t low = sp;
  for (;;) {
    if (fp == 0)
      return depth; /* the outermost frame */
    if (depth == RT_STACK_MAX_DEPTH || fp < low || fp % sizeof fp ||
        fp > s->hi - 2 * sizeof fp) {
      *flags |= CPROF_STACK_CUT;
      return depth;
    }
    const uintptr_t *frame = (const uintptr_t *)fp;
    uintptr_t ret = frame[1];
    if (ret == 0)
      return depth;
    out[depth++] = ret;
    low = fp + 2 * sizeof fp; /* the next frame lies above this one */
    fp = frame[0];
  }
}

void rt_stack_sample(void *context, uint64_t due, const struct rt_node *top) {
  struct rt_stack *s = rt_stack_self;
  uintptr_t pc, fp, sp;
  if (!s || registers(context, &pc, &fp, &sp) != 0)
    return;
  uint32_t weight = due > UINT32_MAX ? UINT32_MAX : (uint32_t)due;
  size_t used = s->used;
  if (s->cap - used < RT_STACK_HEAD + RT_STACK_MAX_DEPTH) {
    s->dropped_signals++;
    s->dropped_samples += due;
    return;
  }
  uint64_t *rec = s->words + used;
  uint32_t flags = 0, depth = 1;
  rec[1] = (uint64_t)(uintptr_t)top;
  rec[2] = pc;
  if (s->hi && sp >= s->lo && sp < s->hi)
    depth = walk(s, fp, sp, rec + 2, &flags);
  else
    flags |= CPROF_STACK_CUT; /* on another stack (sigaltstack), unknown */
  rec[0] = RT_STACK_WORD(depth, flags, weight);
  s->signals++;
  s->samples += due;
  s->cut += flags & CPROF_STACK_CUT;
  /* Published after the record: a dump on another thread reads up to it. */
  __atomic_store_n(&s->used, used + RT_STACK_HEAD + depth, __ATOMIC_RELEASE);
}
