/*
 * A forked child reports from the fork on, as the call profile does: the
 * blocks it inherited count as allocated at the fork, it may free them,
 * and what it allocates counts as usual; the parent sees none of it.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cprof.h"

static void *volatile sink;
static void *kept[4];

CPROF_PROFILE static void before(void) {
  for (int i = 0; i < 4; i++)
    kept[i] = malloc(25); // @inherited
}

/* A forked child's file gets ".PID" after the name it asks for. */
CPROF_PROFILE static void child(void) {
  free(kept[0]);
  sink = malloc(300); // @child
  cprof_snapshot("child.snap");
}

CPROF_PROFILE int main(void) {
  int status;
  before();
  for (int i = 0; i < 3; i++) {
    sink = malloc(10); // @churn
    free(sink);
  }
  pid_t pid = fork();
  if (pid == 0) {
    child();
    _exit(0);
  }
  if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
    return 1;
  for (int i = 0; i < 4; i++)
    free(kept[i]);
  return 0;
}
// MEM-SNAPSHOT: child.snap.* @inherited allocs=4 count=3 size=75 peak=100
// MEM-SNAPSHOT: child.snap.* @child allocs=1 count=1 size=300
// MEM: @inherited allocs=4 count=0 size=0 peak=100
// MEM: @churn allocs=3 count=0 peak=10
// MEM-ABSENT: @child
// MEM-TOTAL: current=0 peak=110
