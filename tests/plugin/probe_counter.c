/*
 * probe_counter.c - a stand-in for libcprof that counts __cprof_line
 * calls, and the driver that runs each loop of probe_loops.c for 0, 1 and
 * 1001 iterations and prints "NAME N CALLS" for tests/plugin/probes.py.
 */
#include <stdio.h>

#include "cprof/abi.h"

static struct cprof_frame_head frame; /* only line-hits code reads it */
const char __cprof_runtime__link_with_lcprof[] = "probe_counter.c";
static unsigned long line_calls;

struct cprof_frame *__cprof_enter(struct cprof_fn *fn) {
  (void)fn;
  return (struct cprof_frame *)&frame;
}

void __cprof_line(struct cprof_frame *f, uint32_t line) {
  (void)f;
  (void)line;
  line_calls++;
}

void __cprof_exit(struct cprof_frame *f) { (void)f; }
void __cprof_resume(struct cprof_frame *f) { (void)f; }

long one_line(long n);
long two_lines(long n);

static void count(const char *name, long (*loop)(long)) {
  static const long iterations[] = {0, 1, 1001};

  for (unsigned i = 0; i < sizeof iterations / sizeof iterations[0]; i++) {
    line_calls = 0;
    loop(iterations[i]);
    printf("%s %ld %lu\n", name, iterations[i], line_calls);
  }
}

int main(void) {
  count("one_line", one_line);
  count("two_lines", two_lines);
  return 0;
}
