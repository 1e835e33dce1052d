/* dlopen, call, dlclose, twice: the profile keeps the library's names. */
#include <dlfcn.h>
#include <stdio.h>

static int use_library(const char *path, int calls) {
  void *h = dlopen(path, RTLD_NOW);
  if (!h) {
    fprintf(stderr, "%s\n", dlerror());
    return -1;
  }
  int (*work)(int) = (int (*)(int))dlsym(h, "lib_work");
  int sum = 0;
  for (int i = 0; i < calls; i++)
    sum += work(i);
  dlclose(h);
  return sum;
}

__attribute__((profile)) int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  int a = use_library(argv[1], 3), b = use_library(argv[1], 2);
  return a == 9 && b == 4 ? 0 : 1;
}
