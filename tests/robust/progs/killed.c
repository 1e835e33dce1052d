/*
 * killed.c - a program that a signal ends, in profiled code: argv[1] says
 * how it dies, argv[2] (before, after) whether it installs its own
 * handler before the runtime takes the signal or after.  work() runs 10
 * times first, and doomed(), still open, ends the program.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile int sink;
static int how;          /* the signal */
static const char *when; /* "before", "after" or NULL */

__attribute__((profile)) static void work(int i) { sink += i; }

static void say(const char *s) {
  if (write(1, s, strlen(s)) < 0)
    _exit(9);
}

/* Its "before" handler lets the signal end the program: abort() goes
 * on when it returns, a fault recurs once the default is back, and the
 * others are raised again.  Its "after" one exits. */
static void handler(int sig) {
  say("handler\n");
  if (strcmp(when, "after") == 0)
    exit(3);
  if (sig == SIGABRT)
    return;
  signal(sig, SIG_DFL);
  if (sig != SIGSEGV && sig != SIGBUS && sig != SIGFPE)
    raise(sig);
}

static void install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigaction(how, &sa, NULL);
}

/* Each as it happens for real: a fault by the kernel, the others sent.
 * The faults are meant: not for UBSan to report. */
__attribute__((profile, no_sanitize("undefined"))) static void doomed(void) {
  volatile int zero = 0;
  switch (how) {
  case SIGSEGV:
    *(volatile int *)(long)zero = 1;
    break;
  case SIGFPE:
    sink = sink / zero;
    break;
  case SIGILL:
    __builtin_trap();
  case SIGBUS: {
    FILE *f = tmpfile(); /* empty: its first page is past the end */
    char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fileno(f), 0);
    sink = p[0];
    break;
  }
  case SIGABRT:
    abort();
  default:
    kill(getpid(), how); /* to the process, as kill(1) sends it */
  }
  say("survived\n");
}

static void setup(int argc, char **argv) {
  how = argc > 1 ? atoi(argv[1]) : 0;
  when = argc > 2 ? argv[2] : "";
  if (strcmp(when, "before") == 0)
    install();
}

/* Before any constructor, the runtime's included. */
__attribute__((section(".preinit_array"), used)) static void (*early)(
    int, char **) = setup;

__attribute__((profile)) int main(void) {
  if (strcmp(when, "after") == 0)
    install();
  for (int i = 0; i < 10; i++)
    work(i);
  doomed();
  return 0;
}
