/* fork: parent and child each write their own profile, child's covers the
 * child only; the child ends with exit, or with _exit when argv[1] says
 * so.  Checked by robust.py (test "fork"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((profile)) static void parent_work(void) {}
__attribute__((profile)) static void child_work(void) {}

__attribute__((profile)) int main(int argc, char **argv) {
  for (int i = 0; i < 3; i++)
    parent_work();
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 5; i++)
      child_work();
    if (argc > 1 && strcmp(argv[1], "_exit") == 0)
      _exit(0);
    exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  parent_work();
  printf("child %d\n", (int)pid);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
