/*
 * loaded_lib.c - a shared library that loaded.c opens with dlopen after
 * the sampler started: its function must still be named.
 */
static volatile unsigned long sink;

__attribute__((noinline)) static void keep(unsigned long x) { sink += x; }

__attribute__((noinline)) void lib_burn(void) {
  unsigned long x = 1;
  for (unsigned long i = 0; i < 10000000; i++)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  keep(x);
  sink++; /* not a tail call: the function keeps its frame */
}
