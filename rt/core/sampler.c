/*
 * sampler.c - where each thread spends its CPU time, line by line
 * (CPROF_SAMPLE_HZ, docs/lines.md).
 *
 * Exact line hits come from the inline counters; their time comes from
 * here.  Every thread that makes a profiled call gets a timer on its own
 * CPU-time clock that sends SIGPROF to that thread, so each thread is
 * sampled in proportion to the CPU it uses, and a thread that sleeps
 * costs nothing.  The handler walks the thread's shadow stack and charges
 * the sample to each profiled function on the stack and to the line it
 * is on in its innermost frame that is on a line (line_profiler's
 * meaning: a line's time includes the calls it makes), once per function
 * however deep it recurses, and to the call path on top.  The instrumented code
 * keeps the line visible with one store per line change (cprof/abi.h, struct
 * cprof_frame_head).
 *
 * Linux fires CPU-time timers from its scheduler tick, so a period
 * shorter than the tick arrives as one signal carrying several due
 * samples (si_overrun): each counts, and the profile says how many
 * signals carried them, which is what a sampling error depends on.
 *
 * The same handler serves the stack sampler (rt/sample/, CPROF_SAMPLE)
 * through rt_hooks.sample_stack; with it, that sampler arms every
 * thread's timer from the thread's start, at its rate (rt_sampler_take).
 *
 * The handler runs on the interrupted thread, which alone writes these
 * counters, and never while that thread holds the runtime's lock
 * (signals are blocked then).  It calls nothing, so errno is safe.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"

#define DEFAULT_HZ 1000
#define MAX_HZ 100000

/*
 * Frames a sample looks at, from the top.  The handler's time counts on
 * the thread's CPU clock like any other: a walk of a million-frame
 * recursion at every sample would leave the program no time of its own.
 * Deeper frames miss the sample, which only matters to a function that
 * is on the stack solely below that many frames of recursion.
 */
#define WALK_FRAMES 4096

/* The line sampler's part of a signal: `t`'s shadow stack. */
static void sample_lines(struct rt_thread *t, uint64_t due) {
  uint64_t seq = ++t->sample_seq;
  struct cprof_frame *f = t->top, *end = t->frames;
  t->samples_due += due;
  if (f != t->frames)
    f->node->samples += due;
  if (f - end > WALK_FRAMES)
    end = f - WALK_FRAMES;
  for (; f != end; f--) {
    struct rt_fnstat *st = f->node->stat;
    uint32_t line = f->head.line;
    if (st->sampled_at != seq) { /* the function's innermost frame */
      st->sampled_at = seq;
      st->samples += due;
    }
    /* A frame still in its enter has no line yet: the one it was called
     * from, of the same function, has (the line of a recursive call). */
    if (line < st->nlines && st->line_sampled_at != seq) {
      st->line_sampled_at = seq;
      st->lines[line].samples += due;
    }
  }
}

/* The one SIGPROF handler: the lines, then the stack sampler's hook. */
static void on_sample(int sig, siginfo_t *info, void *context) {
  (void)sig;
  if (info->si_code != SI_TIMER)
    return; /* someone else's SIGPROF */
  uint64_t due = 1 + (uint64_t)(info->si_overrun > 0 ? info->si_overrun : 0);
  struct rt_thread *t = rt_self;
  if (t)
    sample_lines(t, due);
  if (rt_hooks.sample_stack) /* the profiled frame the stack ran under */
    rt_hooks.sample_stack(context, due,
                          t && t->top != t->frames ? t->top->node : NULL);
}

static long asked_ns;  /* CPROF_SAMPLE_HZ's period; 0: off */
static long period_ns; /* the period sampled at, once the handler is ours */
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int timers_taken; /* rt_sampler_take: the stack sampler arms them */
/* What a timer counts: the thread's CPU time, or with CPROF_SAMPLE_WALL
 * the wall clock, so that time a thread spends blocked is sampled too. */
static clockid_t timer_clock = CLOCK_THREAD_CPUTIME_ID;

void rt_sampler_init(void) {
  long hz = rt_env_long("CPROF_SAMPLE_HZ", 0, MAX_HZ, DEFAULT_HZ);
  asked_ns = hz ? 1000000000 / hz : 0;
}

/*
 * Our SIGPROF handler, unless the program has one: taken at the first
 * profiled call, not at start-up, so that a handler a constructor of the
 * program installs is seen (ours run first).
 */
static void install(void) {
  struct sigaction sa, old;
  if (!asked_ns || sigaction(SIGPROF, NULL, &old) != 0)
    return;
  if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) {
    rt_warn("SIGPROF has a handler already: line times are not sampled "
            "(CPROF_SAMPLE_HZ=0 says so without this warning)");
    return;
  }
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sample;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGPROF, &sa, NULL) == 0)
    period_ns = asked_ns;
}

uint64_t rt_sample_period_ns(void) { return (uint64_t)period_ns; }

/*
 * The stack sampler (CPROF_SAMPLE) samples every thread from its start,
 * and the lines share its signals: the handler is installed now, at its
 * period, and the threads' first profiled calls arm no timer of their own.
 * Returns 0 when the handler is ours.
 */
int rt_sampler_take(long ns, int wall) {
  asked_ns = ns;
  if (wall)
    timer_clock = CLOCK_MONOTONIC;
  timers_taken = 1;
  pthread_once(&install_once, install);
  return period_ns ? 0 : -1;
}

/* Is SIGPROF still ours (the program may have replaced the handler)? */
int rt_sampler_owned(void) {
  struct sigaction now;
  return period_ns && sigaction(SIGPROF, NULL, &now) == 0 &&
         (now.sa_flags & SA_SIGINFO) && now.sa_sigaction == on_sample;
}

int rt_sampler_wall(void) { return timer_clock == CLOCK_MONOTONIC; }

/* A timer on the calling thread's CPU time (or the wall clock), sending
 * the thread its signal, armed at the period. */
int rt_sampler_timer(timer_t *timer) {
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_THREAD_ID;
  ev.sigev_signo = SIGPROF;
  ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
  if (!period_ns || timer_create(timer_clock, &ev, timer) != 0)
    return -1;
  struct timespec every = {period_ns / 1000000000, period_ns % 1000000000};
  struct itimerspec its = {every, every};
  if (timer_settime(*timer, 0, &its, NULL) != 0) {
    timer_delete(*timer);
    return -1;
  }
  return 0;
}

/* The calling thread's timer, in its state `t` (on its first call). */
void rt_sampler_start(struct rt_thread *t) {
  pthread_once(&install_once, install);
  if (timers_taken || t->sampling)
    return;
  if (rt_sampler_timer(&t->sample_timer) != 0)
    return; /* the thread goes unsampled; its counts stay exact */
  t->sampling = 1;
}

/* As the thread that owns `t` exits. */
void rt_sampler_stop(struct rt_thread *t) {
  if (t->sampling)
    timer_delete(t->sample_timer);
  t->sampling = 0;
}

/* In a forked child: no timer came along, the forking thread needs one. */
void rt_sampler_forked(struct rt_thread *self) {
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next)
    t->sampling = 0;
  if (self)
    rt_sampler_start(self);
}

/* The exit's calibration and dump are cprof's work, not the program's:
 * blocking SIGPROF keeps them out of every sample, and the process is
 * ending, so the thread never needs it back. */
void rt_sampler_quiet(void) {
  sigset_t prof;
  sigemptyset(&prof);
  sigaddset(&prof, SIGPROF);
  pthread_sigmask(SIG_BLOCK, &prof, NULL);
}
