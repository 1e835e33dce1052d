/*
 * tree.c - a program with a known call tree, for the views' tests
 * (view_test.py builds it in the line-hits mode): every call path but
 * one takes a visible share of the time, so all of them are drawn, and
 * tiny() takes almost none, so the flame graph's cut-off leaves it out
 * and says so.
 *
 *   main -> parse -> work              main -> tiny
 *   main -> solve -> work              main -> report -> work
 *   main -> solve -> step -> work      (x3)
 *   main -> solve -> rec -> rec -> rec -> work   (recursion, rec(3))
 *   worker thread: worker -> step -> work
 *
 * Run with an argument it is the "after" of the diff's test: parse()
 * works twice as long, rec recurses once more, report() is not called.
 * For the memory view parse() allocates 4 blocks of 1000 bytes and keeps
 * one (a leak at exit), solve() one of 3000 that it frees.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static volatile long sink;

/* noinline: each call path stays a call at every -O level. */
#define PROFILED __attribute__((profile, noinline))

PROFILED static void work(int n) {
  for (long i = 0; i < n * 400000L; i++)
    sink += i;
}

PROFILED static void step(void) { work(3); }

PROFILED static void rec(int depth) {
  if (depth > 1)
    rec(depth - 1);
  else
    work(4);
}

static int after; /* run with an argument */

static void *volatile kept; /* volatile: each block allocated at -O2 */

PROFILED static void parse(void) {
  for (int i = 0; i < 4; i++) {
    free(kept);
    kept = malloc(1000);
  }
  work(after ? 20 : 10);
}

PROFILED static void solve(void) {
  void *volatile block = malloc(3000); /* volatile: kept at -O2 */

  free(block);
  work(5);
  for (int i = 0; i < 3; i++)
    step();
  rec(after ? 4 : 3);
}

PROFILED static void report(void) { work(2); }

PROFILED static void tiny(void) { sink++; }

PROFILED static void *worker(void *arg) {
  step();
  return arg;
}

PROFILED int main(int argc, char **argv) {
  pthread_t t;

  (void)argv;
  after = argc > 1;
  pthread_create(&t, NULL, worker, NULL);
  pthread_join(t, NULL);
  parse();
  solve();
  tiny();
  if (!after)
    report();
  printf("%ld\n", sink);
  return 0;
}
