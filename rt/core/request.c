/*
 * request.c - profiles of a running process, on a signal or a timer.
 *
 *   CPROF_DUMP_SIGNAL=USR2   dump when the process gets SIGUSR2 (or USR1,
 *                            or a signal number)
 *   CPROF_DUMP_INTERVAL=S    dump every S seconds (a decimal number)
 *
 * A signal handler cannot take the runtime's lock (the thread it
 * interrupts may hold it), so it only posts a semaphore; a dump thread,
 * started only when one of these is set, does the work.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "cprof.h"

static sem_t wake;
static double interval;

static void on_signal(int sig) {
  int saved = errno;
  (void)sig;
  sem_post(&wake);
  errno = saved;
}

static int wait_for_request(void) {
  if (interval <= 0)
    return sem_wait(&wake);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  double end = (double)ts.tv_nsec * 1e-9 + interval;
  ts.tv_sec += (time_t)end;
  ts.tv_nsec = (long)((end - (double)(time_t)end) * 1e9);
  int r = sem_timedwait(&wake, &ts);
  return r < 0 && errno == ETIMEDOUT ? 0 : r;
}

static void *dump_thread(void *arg) {
  (void)arg;
  for (;;) {
    if (wait_for_request() < 0 && errno != EINTR)
      return NULL;
    cprof_dump(NULL);
  }
}

static int parse_signal(const char *s) {
  if (strcmp(s, "USR1") == 0 || strcmp(s, "SIGUSR1") == 0)
    return SIGUSR1;
  if (strcmp(s, "USR2") == 0 || strcmp(s, "SIGUSR2") == 0)
    return SIGUSR2;
  char *end;
  long n = strtol(s, &end, 10);
  return *end == 0 && n > 0 && n < NSIG ? (int)n : -1;
}

/* The signal of CPROF_DUMP_SIGNAL, or -1 (after saying why). */
static int request_signal(const char *name) {
  int sig = parse_signal(name);
  if (sig < 0) {
    rt_env_bad("CPROF_DUMP_SIGNAL", name,
               "not a signal (USR1, USR2 or a number)", "none");
    return -1;
  }
  struct sigaction sa;
  if (sigaction(sig, NULL, &sa) < 0 || sig == SIGKILL || sig == SIGSTOP) {
    rt_env_bad("CPROF_DUMP_SIGNAL", name, "a signal no handler can catch",
               "none");
    return -1;
  }
  return sig;
}

static void install_handler(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

void rt_request_init(void) {
  const char *name = rt_env("CPROF_DUMP_SIGNAL");
  int sig = name ? request_signal(name) : -1;
  interval = rt_env_seconds("CPROF_DUMP_INTERVAL");
  if (sig < 0 && interval <= 0)
    return;
  sem_init(&wake, 0, 0);
  /* The thread must exist before the signal can arrive. */
  pthread_t th;
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old); /* requests go to other threads */
  int r = pthread_create(&th, NULL, dump_thread, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (r != 0) {
    rt_warn("cannot start the dump thread: %s", strerror(r));
    return;
  }
  pthread_detach(th);
  if (sig > 0)
    install_handler(sig);
}
