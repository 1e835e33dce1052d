/*
 * A profile asked for while the program runs: with CPROF_DUMP_SIGNAL the
 * program signals itself, with CPROF_DUMP_INTERVAL it waits for the timer;
 * either way it waits for the file, moves it aside as "snapshot.out", and
 * goes on.  Checked by robust.py (test "request").
 */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((profile)) static int work(int x) { return x * 3; }

/* Wait up to 5 s for the runtime's dump thread to write `path`. */
static int wait_for(const char *path) {
  for (int i = 0; i < 500; i++) {
    if (access(path, F_OK) == 0)
      return 0;
    usleep(10000);
  }
  return -1;
}

int main(int argc, char **argv) {
  const char *out = getenv("CPROF_OUT");
  int s = 0;
  if (argc < 2 || !out)
    return 2;
  for (int i = 0; i < 5; i++)
    s += work(i);
  if (strcmp(argv[1], "signal") == 0)
    raise(SIGUSR2);
  else
    unlink(out); /* a timed dump may have come before the calls */
  if (wait_for(out) != 0 || rename(out, "snapshot.out") != 0)
    return 1;
  for (int i = 0; i < 5; i++)
    s += work(i);
  return s == 60 ? 0 : 1;
}
