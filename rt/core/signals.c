/*
 * signals.c - a profile when a signal ends the program (CPROF_SIGNALS=1,
 * the default).
 *
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT ask a program to stop; SIGPIPE ends
 * the writer of a pipeline whose reader left (`prog | head`); SIGALRM,
 * SIGVTALRM, SIGUSR1, SIGUSR2, SIGXCPU and SIGXFSZ end a program that did
 * not expect them; SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS and
 * SIGABRT say it crashed.  Their default action ends the process without
 * atexit handlers, so without this, without a profile.  (SIGPROF is the
 * sampler's, SIGKILL and SIGSTOP cannot be caught.)
 * At start-up we take each of them unless it is ignored (an inherited
 * SIG_IGN, as nohup's, stays).  When one arrives and the program had no
 * handler for it, ours writes the profile, marked cut short by it
 * (CPROF_FILE_CUT_SHORT), then lets the default action happen: the same
 * signal ends the process, with its core dump, at the instruction it
 * interrupted.
 *
 * A handler the program installed before us is called as the kernel
 * would have called it (with its own flags and mask, which are ours
 * too), and the program goes on as it decides; we write only when that
 * handler leaves the default action to end the process (the "clean up,
 * reset to SIG_DFL, raise again" idiom).  A handler installed after us
 * replaces ours, and the program is on its own: an exit() there writes
 * the profile as any exit does.
 *
 * From a handler, the dump must not wait for ever.  The runtime's lock is
 * never held by the thread the handler runs on (signals are blocked
 * while it is held), so its holder is another thread in a dump or a rare
 * path: we wait up to a second for it.  Building and writing the profile
 * uses no heap (the buffers are mappings), only system calls and string
 * functions.  After a crash the runtime's own memory may be what was hit:
 * the dump is best effort, and a fault inside it ends the process by
 * the same signal (it is blocked in the handler), as it would have.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "core/core.h"

static const int taken[] = {
    SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,   SIGPIPE, SIGALRM, SIGVTALRM,
    SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ,   SIGSEGV, SIGBUS,  SIGFPE,
    SIGILL,  SIGTRAP, SIGSYS,  SIGABRT};

/* What each taken signal did before us: SIG_DFL or the program's handler. */
static struct sigaction prior[NSIG];

static int is_default(const struct sigaction *sa) {
  return !(sa->sa_flags & SA_SIGINFO) && sa->sa_handler == SIG_DFL;
}

static void call_prior(int sig, siginfo_t *info, void *context) {
  struct sigaction was = prior[sig];
  /* One-shot (SA_RESETHAND): later ones get the default, which is us. */
  if (was.sa_flags & SA_RESETHAND) {
    prior[sig].sa_handler = SIG_DFL;
    prior[sig].sa_flags = 0;
  }
  if (was.sa_flags & SA_SIGINFO)
    was.sa_sigaction(sig, info, context);
  else
    was.sa_handler(sig);
}

/*
 * After the program's handler: will the process end once we return?
 * For SIGABRT, abort() sets the default action and raises it again.
 * Otherwise when the handler set the default back and raised the signal
 * again (pending, blocked until we return), or for a fault, whose
 * instruction runs again.
 */
static int left_to_die(int sig) {
  struct sigaction now;
  sigset_t pending;
  if (sig == SIGABRT)
    return 1;
  if (sigaction(sig, NULL, &now) < 0 || !is_default(&now))
    return 0;
  if (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL)
    return 1;
  return sigpending(&pending) == 0 && sigismember(&pending, sig);
}

/* 0 with rt_lock held when the profile was written (or failed to be). */
static int write_profile(int sig) {
  char written[RT_PATH_MAX];
  if (rt_lock_briefly() < 0) {
    rt_warn("signal %d: the runtime stayed busy; profile not written", sig);
    return -1;
  }
  rt_dump(NULL, sig, written);
  return 0;
}

/*
 * The default action, once we return: the signal is blocked in here, so
 * raising it leaves it pending until the interrupted context is back.
 */
static void die_by(int sig) {
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigaction(sig, &dfl, NULL);
  raise(sig);
}

static void on_signal(int sig, siginfo_t *info, void *context) {
  int saved = errno;
  if (!is_default(&prior[sig])) {
    call_prior(sig, info, context);
    /* The program may go on (a fault that does not recur): unlock. */
    if (left_to_die(sig) && write_profile(sig) == 0)
      rt_unlock();
  } else {
    /* Kept locked: no other dump may replace this one before the end. */
    write_profile(sig);
    die_by(sig);
  }
  errno = saved;
}

static void take(int sig) {
  struct sigaction old, sa;
  if (sigaction(sig, NULL, &old) < 0 ||
      (!(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN))
    return;
  prior[sig] = old;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_mask = old.sa_mask;
  /* SA_ONSTACK by default: a stack overflow's SIGSEGV can be handled
   * where the program set up an alternate stack. */
  sa.sa_flags = SA_SIGINFO |
                (is_default(&old)
                     ? SA_ONSTACK
                     : old.sa_flags & (SA_ONSTACK | SA_RESTART | SA_NODEFER));
  sigaction(sig, &sa, NULL);
}

void rt_signals_init(void) {
  if (!rt_env_flag("CPROF_SIGNALS", 1))
    return;
  for (size_t i = 0; i < sizeof taken / sizeof *taken; i++)
    take(taken[i]);
}
