/*
 * probe_counter.c - a stand-in for libcprof, and the driver that runs each
 * loop of probe_loops.c for 0, 1 and 1001 iterations and prints, for
 * tests/plugin/probes.py,
 *
 *     NAME ITERATIONS CALLS HITS LINE MODE
 *
 * CALLS: __cprof_line calls (the timed-lines mode's probes); HITS: what
 * the inline counters (the default and line-hits modes) added up; LINE:
 * the slot left in the frame head's line (the default mode stores each
 * line there), or "none"; MODE: the line mode the descriptor's flags say.
 */
#include <stdio.h>
#include <string.h>

#include "cprof/abi.h"

/* The one frame: every loop runs in a fresh copy of it. */
static struct cprof_frame_head frame;
static struct cprof_file_line lines[16];
static const struct cprof_fn *entered;
const char __cprof_runtime__link_with_lcprof[] = "probe_counter.c";
static unsigned long line_calls;

struct cprof_frame *__cprof_enter(struct cprof_fn *fn) {
  entered = fn;
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

static const char *mode_of(uint32_t flags) {
  switch (flags &
          (CPROF_FN_LINES | CPROF_FN_LINE_HITS | CPROF_FN_LINE_SAMPLED)) {
  case 0:
    return "no-lines";
  case CPROF_FN_LINES:
    return "timed-lines";
  case CPROF_FN_LINES | CPROF_FN_LINE_HITS:
    return "line-hits";
  case CPROF_FN_LINES | CPROF_FN_LINE_HITS | CPROF_FN_LINE_SAMPLED:
    return "sampled";
  }
  return "bad-flags";
}

static void count(const char *name, long (*loop)(long)) {
  static const long iterations[] = {0, 1, 1001};

  for (unsigned i = 0; i < sizeof iterations / sizeof iterations[0]; i++) {
    unsigned long hits = 0;
    char line[16] = "none";

    memset(lines, 0, sizeof lines);
    frame.lines = lines;
    frame.line = CPROF_NO_LINE_SLOT;
    line_calls = 0;
    loop(iterations[i]);
    for (unsigned k = 0; k < sizeof lines / sizeof lines[0]; k++)
      hits += lines[k].hits;
    if (frame.line != CPROF_NO_LINE_SLOT)
      snprintf(line, sizeof line, "%u", (unsigned)frame.line);
    printf("%s %ld %lu %lu %s %s\n", name, iterations[i], line_calls, hits,
           line, mode_of(entered->flags));
  }
}

int main(void) {
  count("one_line", one_line);
  count("two_lines", two_lines);
  return 0;
}
