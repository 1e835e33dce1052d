/*
 * loaded.c LIBRARY SECONDS - burns CPU half in its own main_burn and half
 * in lib_burn of LIBRARY, opened with dlopen once the run has started, so
 * the library is mapped after the sampler recorded nothing of it.  Built
 * with -DLOADED_LIBRARY it is that library (one burn loop for both).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

__attribute__((noinline)) static void keep(unsigned long x) { sink += x; }

#ifdef LOADED_LIBRARY
#define BURN lib_burn
#else
#define BURN main_burn
#endif

__attribute__((noinline)) void BURN(void) {
  unsigned long x = 1;
  for (unsigned long i = 0; i < 10000000; i++)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  keep(x);
  sink++; /* not a tail call: the function keeps its frame */
}

#ifndef LOADED_LIBRARY
static double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: loaded LIBRARY SECONDS\n");
    return 2;
  }
  double half = atof(argv[2]) / 2;
  double until = cpu_seconds() + half;
  while (cpu_seconds() < until)
    main_burn();
  void *lib = dlopen(argv[1], RTLD_NOW);
  void (*lib_burn)(void) = lib ? (void (*)(void))dlsym(lib, "lib_burn") : NULL;
  if (!lib_burn) {
    fprintf(stderr, "loaded: %s\n", dlerror());
    return 1;
  }
  until = cpu_seconds() + half;
  while (cpu_seconds() < until)
    lib_burn();
  return 0;
}
#endif
