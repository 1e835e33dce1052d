/* exec after profiled calls: the calls before the exec are written. */
#include <stdio.h>
#include <unistd.h>

__attribute__((profile)) static int work(int x) { return x + 1; }

__attribute__((profile)) int main(int argc, char **argv) {
  int s = 0;
  for (int i = 0; i < 7; i++)
    s += work(i);
  if (argc > 1)
    execl(argv[1], argv[1], (char *)NULL);
  perror("execl");
  return s;
}
