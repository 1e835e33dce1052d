/*
 * Profiled code called from signal handlers that interrupt profiled code:
 * synchronous (raise) with exact edges, and asynchronous (a 20 kHz timer)
 * where the interrupted function's numbers must stay exact.
 */
#include <signal.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t handled;

__attribute__((profile)) static void in_handler(void) { handled++; }

static void handler(int sig) {
  (void)sig;
  in_handler();
}

__attribute__((profile)) static long leaf(long x) { return x * 7 + 1; }

__attribute__((profile)) static long raiser(int n) {
  long sum = 0;
  for (int i = 0; i < n; i++) {
    sum += leaf(i);
    raise(SIGUSR1);
  }
  return sum;
}

__attribute__((profile)) static long busy(long n) {
  long sum = 0;
  for (long i = 0; i < n; i++)
    sum += leaf(i);  // @loop
  return sum;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGALRM, &sa, NULL);
  raiser(100);

  struct itimerval every = {{0, 50}, {0, 50}}, off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &every, NULL);
  long sum = busy(3000000);
  setitimer(ITIMER_REAL, &off, NULL);
  return sum != 0 && handled >= 100 ? 0 : 1;
}
// CHECK: raiser ncalls=1 pcalls=1
// CHECK-EDGE: raiser -> in_handler ncalls=100 pcalls=100
// CHECK-EDGE: raiser -> leaf ncalls=100 pcalls=100
// CHECK: busy ncalls=1 pcalls=1
// CHECK-EDGE: busy -> leaf ncalls=3000000 pcalls=3000000
// CHECK-LINE: busy @loop hits=3000000
