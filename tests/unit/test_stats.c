/*
 * test_stats.c - cProfile's numbers from hand-built calling-context trees.
 *
 * Each test builds a CCT as the runtime would write it and checks numbers
 * worked out by hand from cProfile's rules (see tools/lib/cct.c).  The model
 * keeps ticks; tick rates are chosen so every expected time is exact in
 * binary floating point once stats_seconds divides.
 */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"
#include "harness.h"
#include "cprof-read/stats.h"

#define NONE CPROF_NO_PARENT

/* Builds, merges and finishes one file. */
static void load_one(struct stats *s, struct fb *b) {
  th_load(s, b, 0);
  fb_free(b);
}

#define assert_time(x, want) assert_true((x) == (want))

static void check_func(const struct stats *s, const char *name, uint64_t nc,
                       uint64_t pc, double tt, double ct) {
  const struct stats_func *f = th_func(s, name);
  assert_int_equal(f->ncalls, nc);
  assert_int_equal(f->pcalls, pc);
  assert_time(stats_seconds(s, f->tottime), tt);
  assert_time(stats_seconds(s, f->cumtime), ct);
}

static void check_edge(const struct stats *s, const char *from, const char *to,
                       uint64_t nc, uint64_t pc, double tt, double ct) {
  const struct stats_edge *e = th_edge(s, from, to);
  assert_int_equal(e->ncalls, nc);
  assert_int_equal(e->pcalls, pc);
  assert_time(stats_seconds(s, e->tottime), tt);
  assert_time(stats_seconds(s, e->cumtime), ct);
}

/* Calls of fib(n) per recursion depth, as the runtime's CCT holds them. */
static void fib_depths(int n, int depth, uint64_t *calls) {
  calls[depth]++;
  if (n >= 2) {
    fib_depths(n - 1, depth + 1, calls);
    fib_depths(n - 2, depth + 1, calls);
  }
}

/*
 * fib(20) from main: one fib node per depth 1..20, each spending one tick
 * per call of its own.  cProfile: fib 21891/1, main -> fib 1/1 and
 * fib -> fib 21890/2 (fib(19) and fib(18) are called by the outermost
 * fib, every deeper call repeats the fib -> fib pair already on the path).
 */
static void test_fib20(void **state) {
  uint64_t calls[22] = {0}, below[23] = {0};
  uint32_t main_fn, fib, node;
  struct fb b;
  struct stats s;

  (void)state;
  fib_depths(20, 1, calls);
  for (int d = 21; d >= 1; d--)
    below[d] = below[d + 1] + calls[d];
  fb_init(&b, 1.0);
  main_fn = fb_func(&b, "main", NULL, 1);
  fib = fb_func(&b, "fib", NULL, 10);
  node = fb_node(&b, NONE, main_fn, 1, 1 + below[1]);
  for (int d = 1; d <= 20; d++)
    node = fb_node(&b, node, fib, calls[d], below[d]);
  assert_int_equal(calls[21], 0); /* the tree is 20 deep */
  load_one(&s, &b);

  check_func(&s, "fib", 21891, 1, 21891, 21891);
  check_func(&s, "main", 1, 1, 1, 21892);
  check_edge(&s, "main", "fib", 1, 1, 1, 21891);
  check_edge(&s, "fib", "fib", 21890, 2, 21890, 21890);
  assert_int_equal(s.total_calls, 21892);
  assert_int_equal(s.prim_calls, 2);
  assert_time(s.total_time, 21892);
  stats_free(&s);
}

/*
 * fib(3) with uneven times, at 10 ticks per second:
 *   main 1 call 100 ticks -> fib 1 call 90 -> fib 2 calls 60 -> fib 2 calls 20
 * fib: 5/1 calls, self 30 + 40 + 20 = 90, cumulative 90 (outermost node).
 * main -> fib: 1/1, self 30, cumulative 90.
 * fib -> fib: 4/2, self 40 + 20 = 60, cumulative 60 (the depth-2 node).
 */
static void test_fib3_times(void **state) {
  struct fb b;
  struct stats s;
  uint32_t m, f;

  (void)state;
  fb_init(&b, 10.0);
  m = fb_func(&b, "main", NULL, 1);
  f = fb_func(&b, "fib", NULL, 10);
  fb_node(&b,
          fb_node(&b, fb_node(&b, fb_node(&b, NONE, m, 1, 100), f, 1, 90), f, 2,
                  60),
          f, 2, 20);
  load_one(&s, &b);

  check_func(&s, "main", 1, 1, 1.0, 10.0);
  check_func(&s, "fib", 5, 1, 9.0, 9.0);
  check_edge(&s, "main", "fib", 1, 1, 3.0, 9.0);
  check_edge(&s, "fib", "fib", 4, 2, 6.0, 6.0);
  stats_free(&s);
}

/*
 * Mutual recursion, 1 tick per second:
 *   main 100 -> a 80 -> b 50 -> a 30 -> b 10       (one call each)
 * a: 2/1, self 30 + 20 = 50, cum 80.  b: 2/1, self 20 + 10 = 30, cum 50.
 * a -> b: 2/1 (the second a -> b repeats the pair), self 30, cum 50.
 * b -> a: 1/1 (first b -> a on its path), self 20, cum 30.
 */
static void test_mutual_recursion(void **state) {
  struct fb b;
  struct stats s;
  uint32_t m, fa, fb_, n;

  (void)state;
  fb_init(&b, 1.0);
  m = fb_func(&b, "main", NULL, 1);
  fa = fb_func(&b, "a", NULL, 10);
  fb_ = fb_func(&b, "b", NULL, 20);
  n = fb_node(&b, NONE, m, 1, 100);
  n = fb_node(&b, n, fa, 1, 80);
  n = fb_node(&b, n, fb_, 1, 50);
  n = fb_node(&b, n, fa, 1, 30);
  fb_node(&b, n, fb_, 1, 10);
  load_one(&s, &b);

  check_func(&s, "a", 2, 1, 50, 80);
  check_func(&s, "b", 2, 1, 30, 50);
  check_func(&s, "main", 1, 1, 20, 100);
  check_edge(&s, "main", "a", 1, 1, 30, 80);
  check_edge(&s, "a", "b", 2, 1, 30, 50);
  check_edge(&s, "b", "a", 1, 1, 20, 30);
  stats_free(&s);
}

/*
 * One function, two callers, 1 tick per second:
 *   main 100 -> x 40 -> f (3 calls) 30
 *   main     -> y 50 -> f (2 calls) 20
 * f: 5/5, self 50, cum 50; x -> f 3/3 30/30; y -> f 2/2 20/20.
 * Callers of f are listed x (line 10) before y (line 20), as pstats does.
 */
static void test_two_callers(void **state) {
  struct fb b;
  struct stats s;
  uint32_t m, x, y, f, root;
  const struct stats_func *ff, *fm;

  (void)state;
  fb_init(&b, 1.0);
  m = fb_func(&b, "main", NULL, 1);
  y = fb_func(&b, "y", NULL, 20);
  x = fb_func(&b, "x", NULL, 10);
  f = fb_func(&b, "f", NULL, 30);
  root = fb_node(&b, NONE, m, 1, 100);
  fb_node(&b, fb_node(&b, root, x, 1, 40), f, 3, 30);
  fb_node(&b, fb_node(&b, root, y, 1, 50), f, 2, 20);
  load_one(&s, &b);

  check_func(&s, "f", 5, 5, 50, 50);
  check_func(&s, "main", 1, 1, 10, 100);
  check_edge(&s, "x", "f", 3, 3, 30, 30);
  check_edge(&s, "y", "f", 2, 2, 20, 20);
  ff = th_func(&s, "f");
  assert_int_equal(ff->ncallers, 2);
  assert_string_equal(s.funcs[s.edges[ff->callers[0]].caller].name, "x");
  assert_string_equal(s.funcs[s.edges[ff->callers[1]].caller].name, "y");
  assert_int_equal(ff->ncallees, 0);
  fm = th_func(&s, "main");
  assert_int_equal(fm->ncallers, 0);
  assert_int_equal(fm->ncallees, 2);
  assert_string_equal(s.funcs[s.edges[fm->callees[0]].callee].name, "x");
  stats_free(&s);
}

/* Two threads, each with its own root: both outermost, times add up. */
static void test_roots_per_thread(void **state) {
  struct fb b;
  struct stats s;
  uint32_t m, f;

  (void)state;
  fb_init(&b, 1.0);
  m = fb_func(&b, "worker", NULL, 1);
  f = fb_func(&b, "f", NULL, 10);
  fb_node(&b, fb_node(&b, NONE, m, 1, 100), f, 1, 50);
  fb_node(&b, fb_node(&b, NONE, m, 1, 60), f, 2, 30);
  load_one(&s, &b);

  check_func(&s, "worker", 2, 2, 80, 160);
  check_func(&s, "f", 3, 3, 80, 80);
  check_edge(&s, "worker", "f", 3, 3, 80, 80);
  stats_free(&s);
}

/*
 * Children need not follow their parent directly: only parent < index is
 * promised.  Here x's child f comes after y, and y's child after that.
 */
static void test_any_parent_order(void **state) {
  struct fb b;
  struct stats s;
  uint32_t m, x, y, f, root, nx, ny;

  (void)state;
  fb_init(&b, 1.0);
  m = fb_func(&b, "main", NULL, 1);
  x = fb_func(&b, "x", NULL, 10);
  y = fb_func(&b, "y", NULL, 20);
  f = fb_func(&b, "f", NULL, 30);
  root = fb_node(&b, NONE, m, 1, 100);
  nx = fb_node(&b, root, x, 1, 40);
  ny = fb_node(&b, root, y, 1, 50);
  fb_node(&b, nx, f, 1, 30);
  fb_node(&b, fb_node(&b, ny, m, 1, 20), x, 1, 10); /* main again, below y */
  load_one(&s, &b);

  check_func(&s, "main", 2, 1, 10 + 10, 100);
  check_func(&s, "x", 2, 2, 10 + 10, 40 + 10); /* no x above either */
  check_edge(&s, "y", "main", 1, 1, 10, 20);
  check_edge(&s, "main", "x", 2, 2, 10 + 10, 40 + 10);
  check_func(&s, "f", 1, 1, 30, 30);
  stats_free(&s);
}

/* Two records with the same (name, file, line) are one function. */
static void test_same_key_in_one_file(void **state) {
  struct fb b;
  struct stats s;
  uint32_t f1, f2;

  (void)state;
  fb_init(&b, 1.0);
  f1 = fb_func(&b, "inl", "/src/h.h", 5);
  f2 = fb_func(&b, "inl", "/src/h.h", 5);
  fb_node(&b, fb_node(&b, NONE, f1, 1, 10), f2, 4, 6);
  load_one(&s, &b);

  assert_int_equal(s.nfuncs, 1);
  check_func(&s, "inl", 5, 1, 10, 10);
  check_edge(&s, "inl", "inl", 4, 4, 6, 6); /* first inl -> inl pair */
  stats_free(&s);
}

/*
 * Two files merged: functions by (name, file, line), each file's ticks at
 * its own rate, lines summed by line number over the union of ranges.
 */
static void test_merge_files(void **state) {
  static const uint64_t h1[] = {1, 2, 3}, t1[] = {2, 4, 6};
  static const uint64_t h2[] = {4, 0, 5, 6}, t2[] = {4, 0, 8, 12};
  static const uint64_t hits[] = {4, 0, 6, 8, 3};
  static const double secs[] = {1, 0, 3, 5, 3};
  struct fb b1, b2;
  struct stats s;
  const struct stats_func *f;
  uint32_t m, g;

  (void)state;
  fb_init(&b1, 2.0);
  m = fb_func(&b1, "main", NULL, 1);
  g = fb_func(&b1, "f", NULL, 9);
  fb_lines(&b1, g, 10, 3, h1, t1);
  fb_node(&b1, fb_node(&b1, NONE, m, 1, 10), g, 3, 6);
  fb_init(&b2, 4.0);
  g = fb_func(&b2, "f", NULL, 9);
  m = fb_func(&b2, "main", NULL, 1);
  fb_lines(&b2, g, 8, 4, h2, t2);
  fb_node(&b2, fb_node(&b2, NONE, m, 1, 16), g, 2, 8);
  fb_func(&b2, "f", "/src/other.c", 9); /* another f: kept apart */

  stats_init(&s);
  th_add(&s, &b1);
  th_add(&s, &b2);
  stats_finish(&s);
  assert_int_equal(s.nfuncs, 3);
  assert_true(s.tick_hz == 2.0);
  assert_int_equal(stats_find(&s, "f", "/src/other.c", 9), 2);
  f = &s.funcs[stats_find(&s, "f", "/src/test.c", 9)];
  assert_int_equal(f->ncalls, 5);
  assert_time(stats_seconds(&s, f->tottime), 3.0 + 2.0);
  check_func(&s, "main", 2, 2, 2.0 + 2.0, 5.0 + 4.0);
  assert_int_equal(f->first_line, 8);
  assert_int_equal(f->nlines, 5);
  for (int k = 0; k < 5; k++) {
    assert_int_equal(f->lines[k].hits, hits[k]);
    assert_time(stats_seconds(&s, f->lines[k].time), secs[k]);
  }
  stats_free(&s);
  fb_free(&b1);
  fb_free(&b2);
}

/* A million-deep recursion: no recursion in the walk, exact counts. */
static void test_deep_chain(void **state) {
  enum { DEPTH = 1000000 };
  struct fb b;
  struct stats s;
  uint32_t f, n = NONE;

  (void)state;
  fb_init(&b, 1.0);
  f = fb_func(&b, "deep", NULL, 1);
  for (uint32_t d = 0; d < DEPTH; d++)
    n = fb_node(&b, n, f, 1, DEPTH - d);
  load_one(&s, &b);

  check_func(&s, "deep", DEPTH, 1, DEPTH, DEPTH);
  check_edge(&s, "deep", "deep", DEPTH - 1, 1, DEPTH - 1, DEPTH - 1);
  stats_free(&s);
}

/* 200k functions called from one root: hashing, not quadratic scans. */
static void test_many_functions(void **state) {
  enum { N = 200000 };
  struct fb b;
  struct stats s;
  uint32_t root, hub;
  char name[32];

  (void)state;
  fb_init(&b, 1.0);
  hub = fb_func(&b, "hub", NULL, 1);
  root = fb_node(&b, NONE, hub, 1, 3ull * N);
  for (uint32_t i = 0; i < N; i++) {
    snprintf(name, sizeof name, "f%u", i);
    fb_node(&b, root, fb_func(&b, name, NULL, i + 2), 2, 3);
  }
  load_one(&s, &b);

  assert_int_equal(s.nfuncs, N + 1);
  assert_int_equal(s.nedges, N);
  assert_int_equal(s.total_calls, 2 * N + 1);
  check_func(&s, "f123456", 2, 2, 3, 3);
  assert_int_equal(th_func(&s, "hub")->ncallees, N);
  stats_free(&s);
}

/* --strip: the same (name, base name, line) is one function, as pstats. */
static void test_strip(void **state) {
  struct fb b;
  struct stats s;
  const struct stats_func *f;

  (void)state;
  fb_init(&b, 1.0);
  fb_node(&b, NONE, fb_func(&b, "f", "/one/x.c", 3), 2, 4);
  fb_node(&b, NONE, fb_func(&b, "f", "/two/x.c", 3), 3, 6);
  fb_node(&b, NONE, fb_func(&b, "g", "y.c", 3), 1, 1);
  stats_init(&s);
  s.strip = 1;
  th_add(&s, &b);
  stats_finish(&s);
  assert_int_equal(s.nfuncs, 2);
  f = th_func(&s, "f");
  assert_int_equal(f->ncalls, 5);
  assert_string_equal(f->file, "x.c");
  assert_string_equal(f->stdname, "x.c:3(f)");
  assert_string_equal(f->source, "/one/x.c"); /* to read the text */
  assert_string_equal(th_func(&s, "g")->file, "y.c");
  stats_free(&s);
  fb_free(&b);
}

/* Line ranges of one function far apart would need a huge array. */
static void test_lines_too_far(void **state) {
  static const uint64_t hits[] = {1, 2, 3}, ticks[] = {1, 1, 1};
  struct fb b1, b2;
  struct fb_out o;
  struct prof_file pf;
  struct stats s;
  char err[256];

  (void)state;
  fb_init(&b1, 1.0);
  fb_lines(&b1, fb_func(&b1, "f", NULL, 9), 10, 3, hits, ticks);
  fb_init(&b2, 1.0);
  fb_lines(&b2, fb_func(&b2, "f", NULL, 9), 4000000, 2, hits, ticks);
  stats_init(&s);
  th_add(&s, &b1);
  fb_build(&b2, &o);
  assert_int_equal(prof_parse(&pf, o.data, o.size, err, sizeof err), 0);
  assert_int_equal(stats_add(&s, &pf, err, sizeof err), -1);
  assert_string_equal(err, "function f: lines 10-12 and 4000000-4000001 are "
                           "too far apart to merge");
  prof_free(&pf);
  stats_free(&s);
  fb_free(&b1);
  fb_free(&b2);
}

/*
 * Without line records, line_base means nothing: pointing there was
 * undefined (found by fuzzing; UBSan catches it in a CPROF_SANITIZE build).
 */
static void test_no_lines_any_base(void **state) {
  struct fb b;
  struct stats s;
  uint32_t f;

  (void)state;
  fb_init(&b, 1.0);
  f = fb_func(&b, "f", NULL, 2);
  b.funcs[f].line_base = UINT64_MAX - 5;
  fb_node(&b, NONE, f, 1, 3);
  th_load(&s, &b, 0);
  assert_int_equal(th_func(&s, "f")->nlines, 0);
  stats_free(&s);
  fb_free(&b);
}

/*
 * Call paths merge over threads and files; a path keeps its self time.
 * They are kept only for the folded export: without it, none, and the
 * functions come out the same.
 */
static void test_paths(void **state) {
  struct fb b;
  struct stats s, plain;
  uint32_t m, f;

  (void)state;
  fb_init(&b, 1.0);
  m = fb_func(&b, "main", NULL, 1);
  f = fb_func(&b, "f", NULL, 5);
  fb_node(&b, fb_node(&b, NONE, m, 1, 10), f, 1, 4);
  fb_node(&b, fb_node(&b, NONE, m, 1, 20), f, 2, 5); /* another thread */
  stats_init(&s);
  s.folded = 1;
  th_add(&s, &b);
  th_add(&s, &b);
  stats_finish(&s);
  assert_int_equal(s.npaths, 2);
  assert_int_equal(s.paths[0].parent, HASH_NONE);
  assert_int_equal(s.paths[1].parent, 0);
  assert_time(s.paths[0].self, 2 * (6 + 15));
  assert_time(s.paths[1].self, 2 * (4 + 5));
  stats_init(&plain);
  th_add(&plain, &b);
  th_add(&plain, &b);
  stats_finish(&plain);
  assert_int_equal(plain.npaths, 0);
  assert_int_equal(th_func(&plain, "f")->ncalls, th_func(&s, "f")->ncalls);
  assert_time(th_func(&plain, "f")->tottime, th_func(&s, "f")->tottime);
  assert_time(th_func(&plain, "main")->cumtime, th_func(&s, "main")->cumtime);
  stats_free(&plain);
  stats_free(&s);
  fb_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fib20),
      cmocka_unit_test(test_fib3_times),
      cmocka_unit_test(test_mutual_recursion),
      cmocka_unit_test(test_two_callers),
      cmocka_unit_test(test_roots_per_thread),
      cmocka_unit_test(test_any_parent_order),
      cmocka_unit_test(test_same_key_in_one_file),
      cmocka_unit_test(test_merge_files),
      cmocka_unit_test(test_deep_chain),
      cmocka_unit_test(test_many_functions),
      cmocka_unit_test(test_strip),
      cmocka_unit_test(test_lines_too_far),
      cmocka_unit_test(test_paths),
      cmocka_unit_test(test_no_lines_any_base),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
