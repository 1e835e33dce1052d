/*
 * A signal handler makes the first call of profiled functions (which
 * registers them, under the runtime's lock) while the interrupted thread
 * holds that lock, writing profiles: it must not deadlock.
 */
#include <signal.h>
#include <string.h>
#include <sys/time.h>

#include "cprof.h"

#define FIRST(n)                                                               \
  __attribute__((profile)) static void first##n(void) { handled++; }
#define EIGHT(n)                                                               \
  FIRST(n##0) FIRST(n##1) FIRST(n##2) FIRST(n##3)                              \
  FIRST(n##4) FIRST(n##5) FIRST(n##6) FIRST(n##7)

static volatile sig_atomic_t handled, raised;

EIGHT(1) EIGHT(2) EIGHT(3) EIGHT(4)

#define REF(n) first##n,
#define REF8(n) REF(n##0) REF(n##1) REF(n##2) REF(n##3) \
                REF(n##4) REF(n##5) REF(n##6) REF(n##7)
static void (*const firsts[])(void) = {REF8(1) REF8(2) REF8(3) REF8(4)};
#define NFIRST (int)(sizeof firsts / sizeof firsts[0])

static void handler(int sig) {
  (void)sig;
  if (raised < NFIRST)
    firsts[raised++]();
}

__attribute__((profile)) static long work(long x) { return x * 7; }

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval every = {{0, 200}, {0, 200}}, off = {{0, 0}, {0, 0}};
  long s = 0;
  for (long i = 0; i < 1000; i++)
    s += work(i);
  setitimer(ITIMER_REAL, &every, NULL);
  while (raised < NFIRST)
    if (cprof_dump(NULL) != 0)
      return 1;
  setitimer(ITIMER_REAL, &off, NULL);
  return handled == NFIRST && s > 0 ? 0 : 1;
}
// CHECK: work ncalls=1000 pcalls=1000
// CHECK: first10 ncalls=1 pcalls=1
// CHECK: first47 ncalls=1 pcalls=1
