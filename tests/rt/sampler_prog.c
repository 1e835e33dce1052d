/* sampler_prog: CPU-bound work whose share per line and per thread is
 * known, for sampler.py.  argv[1] picks the case:
 *
 *   lines     two_lines(): one line of 1 unit, one of 3 units, per pass
 *   recurse   down(): recursion whose leaf line does all the work
 *   threads   two threads, one doing twice the work of the other
 *   fork      a child does the work of `lines` and writes its own profile
 *   signals   our own SIGALRM handler, on a wall-clock interval timer,
 *             interrupts the work and calls a profiled function
 *   sigprof   a SIGPROF handler of the program's own, before main
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define UNIT 20000 /* multiply-adds: a few microseconds */

static volatile unsigned long sink;

/* Unprofiled: its time belongs to the line that calls it. */
__attribute__((noinline)) static void spin(int units) {
  unsigned long x = sink; /* unsigned: wraps, as the sanitizers allow */
  for (long i = 0; i < (long)units * UNIT; i++) {
    x = x * 1103515245 + 12345;
    __asm__ volatile("" : "+r"(x));
  }
  sink = x;
}

static double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

__attribute__((profile)) static void two_lines(int passes) {
  for (int i = 0; i < passes; i++) {
    spin(1);
    spin(3);
  }
}

__attribute__((profile)) static void down(int depth) {
  if (depth == 0) {
    spin(4);
    return;
  }
  down(depth - 1);
}

__attribute__((profile)) static void worker(int units) { spin(units); }

/* Passes of two_lines until `seconds` of this thread's CPU have gone. */
static int run_lines(double seconds) {
  int passes = 0;
  for (double t0 = cpu_seconds(); cpu_seconds() - t0 < seconds; passes += 100)
    two_lines(100);
  return passes;
}

static void *thread_main(void *arg) {
  int units = *(int *)arg;
  for (int i = 0; i < 3000; i++)
    worker(units);
  return NULL;
}

static volatile sig_atomic_t alarms;
__attribute__((profile)) static void on_alarm_work(void) { alarms++; }
static void on_alarm(int sig) {
  (void)sig;
  on_alarm_work();
}

static void own_sigprof(int sig) { (void)sig; }
__attribute__((constructor)) static void early(void) {
  const char *c = getenv("SAMPLER_OWN_SIGPROF");
  if (c && *c == '1')
    signal(SIGPROF, own_sigprof);
}

int main(int argc, char **argv) {
  const char *c = argc > 1 ? argv[1] : "lines";
  if (!strcmp(c, "lines") || !strcmp(c, "sigprof")) {
    printf("passes %d\n", run_lines(0.5));
  } else if (!strcmp(c, "recurse")) {
    for (double t0 = cpu_seconds(); cpu_seconds() - t0 < 0.4;)
      down(20);
  } else if (!strcmp(c, "threads")) {
    pthread_t a, b;
    int one = 1, two = 2;
    pthread_create(&a, NULL, thread_main, &one);
    pthread_create(&b, NULL, thread_main, &two);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
  } else if (!strcmp(c, "fork")) {
    two_lines(1); /* the parent's state exists before the fork */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      printf("passes %d\n", run_lines(0.4));
      return 0;
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
  } else if (!strcmp(c, "signals")) {
    struct itimerval every = {{0, 2000}, {0, 2000}};
    signal(SIGALRM, on_alarm);
    setitimer(ITIMER_REAL, &every, NULL);
    printf("passes %d\n", run_lines(0.4));
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("alarms %d\n", (int)alarms);
  } else {
    return 2;
  }
  return 0;
}
