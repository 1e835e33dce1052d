/*
 * dlmain.c - runs shares.c built as a shared library, loaded with dlopen
 * after the sampler started, for the stack sampler's tests (sample.py):
 * the library's functions must be named too.
 *
 *   dlmain LIBRARY [ARGS...]      calls the library's main(ARGS)
 */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  void *lib = dlopen(argv[1], RTLD_NOW);
  int (*entry)(int, char **) =
      lib ? (int (*)(int, char **))dlsym(lib, "main") : NULL;
  if (!entry) {
    fprintf(stderr, "dlmain: %s\n", dlerror());
    return 1;
  }
  return entry(argc - 1, argv + 1); /* the library's argv[0] is its path */
}
