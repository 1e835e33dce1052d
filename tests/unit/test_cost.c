/*
 * test_cost.c - the probes' cost taken out of hand-built trees.
 *
 * At 1 tick per second, with O = 10 ticks per call as its caller sees
 * it, Oin = 4 of them inside the callee and L = 2 per line change, each
 * node keeps ticks - calls * Oin - (calls below) * O - (line changes
 * at and below) * L, line changes estimated from each function's hits
 * per call (tools/lib/cct.c).  The expected numbers are worked out by hand
 * in the comments.
 */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

#define NONE CPROF_NO_PARENT
#define assert_time(x, want) assert_true((x) == (want))

static void check_func(const struct stats *s, const char *name, uint64_t nc,
                       double tt, double ct) {
  const struct stats_func *f = th_func(s, name);
  assert_int_equal(f->ncalls, nc);
  assert_time(f->tottime, tt);
  assert_time(f->cumtime, ct);
}

static void check_edge(const struct stats *s, const char *from, const char *to,
                       double tt, double ct) {
  const struct stats_edge *e = th_edge(s, from, to);
  assert_time(e->tottime, tt);
  assert_time(e->cumtime, ct);
}

/*
 *   main  1 call  1000 ticks, lines: 1 + 5 hits (6 per call)
 *     a   5 calls  500 ticks, lines: 10 hits (2 per call)
 *       b 20 calls 200 ticks       b's lines: 46 hits in 23 calls,
 *     b   3 calls   50 ticks                  2 per call
 */
static void tree(struct fb *b, uint64_t o, uint64_t oin, uint64_t l) {
  static const uint64_t mh[] = {1, 5}, mt[] = {100, 4};
  static const uint64_t ah[] = {10}, at[] = {300};
  static const uint64_t bh[] = {46}, bt[] = {150};
  uint32_t m, a, f, root;

  fb_init(b, 1.0);
  b->call_cost = o, b->call_inner_cost = oin, b->line_cost = l;
  m = fb_func(b, "main", NULL, 1);
  a = fb_func(b, "a", NULL, 10);
  f = fb_func(b, "b", NULL, 20);
  fb_lines(b, m, 2, 2, mh, mt);
  fb_lines(b, a, 11, 1, ah, at);
  fb_lines(b, f, 21, 1, bh, bt);
  root = fb_node(b, NONE, m, 1, 1000);
  fb_node(b, fb_node(b, root, a, 5, 500), f, 20, 200);
  fb_node(b, root, f, 3, 50);
}

/*
 * b under a: 200 - 20*4 - 0 - 40*2 = 40.
 * a:         500 - 5*4 - 20*10 - (10 + 40)*2 = 180, self 140.
 * b in main: 50 - 3*4 - 0 - 6*2 = 26.
 * main:      1000 - 4 - 28*10 - (6 + 50 + 6)*2 = 592, self 592 - 206 = 386.
 * Lines: 100 - 1*2 = 98, 4 - 5*2 < 0 -> 0, 300 - 20 = 280, 150 - 92 = 58.
 */
static void test_subtracted(void **state) {
  struct fb b;
  struct stats s;
  const struct stats_func *f;

  (void)state;
  tree(&b, 10, 4, 2);
  th_load(&s, &b, 0);
  check_func(&s, "main", 1, 386, 592);
  check_func(&s, "a", 5, 140, 180);
  check_func(&s, "b", 23, 40 + 26, 40 + 26);
  check_edge(&s, "main", "a", 140, 180);
  check_edge(&s, "a", "b", 40, 40);
  check_edge(&s, "main", "b", 26, 26);
  assert_time(s.total_time, 592);
  f = th_func(&s, "main");
  assert_time(f->lines[0].time, 98);
  assert_time(f->lines[1].time, 0);
  assert_time(th_func(&s, "a")->lines[0].time, 280);
  assert_time(th_func(&s, "b")->lines[0].time, 58);
  assert_time(f->rawtime, 1000); /* the percentile table's sum is raw */
  assert_time(s.call_cost, 10);
  assert_time(s.call_inner_cost, 4);
  assert_time(s.line_cost, 2);
  stats_free(&s);
  fb_free(&b);
}

/*
 * b built in the line-hits mode: its 46 hits come from inline counters
 * that read no timer, so nothing is subtracted for them (ticks 0).
 * b under a: 200 - 20*4 = 120.
 * a:         500 - 5*4 - 20*10 - 10*2 = 260, self 140.
 * b in main: 50 - 3*4 = 38.
 * main:      1000 - 4 - 28*10 - (6 + 10)*2 = 684, self 684 - 298 = 386.
 */
static void test_line_hits_cost_nothing(void **state) {
  struct fb b;
  struct stats s;

  (void)state;
  tree(&b, 10, 4, 2);
  b.lines[b.funcs[2].line_base].ticks = 0;
  b.funcs[2].flags = CPROF_FUNC_LINE_HITS;
  th_load(&s, &b, 0);
  check_func(&s, "main", 1, 386, 684);
  check_func(&s, "a", 5, 140, 260);
  check_func(&s, "b", 23, 120 + 38, 120 + 38);
  assert_int_equal(th_func(&s, "b")->lines[0].hits, 46);
  assert_time(th_func(&s, "b")->lines[0].time, 0);
  assert_false(th_func(&s, "b")->line_times);
  assert_true(th_func(&s, "a")->line_times);
  stats_free(&s);
  fb_free(&b);
}

/* --raw: the same file keeps every tick. */
static void test_raw(void **state) {
  struct fb b;
  struct stats s;

  (void)state;
  tree(&b, 10, 4, 2);
  th_load(&s, &b, 1);
  check_func(&s, "main", 1, 1000 - 550, 1000);
  check_func(&s, "a", 5, 300, 500);
  check_func(&s, "b", 23, 250, 250);
  assert_time(th_func(&s, "main")->lines[1].time, 4);
  assert_time(s.total_time, 1000);
  stats_free(&s);
  fb_free(&b);
}

/* Costs not measured (0) change nothing. */
static void test_unmeasured(void **state) {
  struct fb b;
  struct stats s;

  (void)state;
  tree(&b, 0, 0, 0);
  th_load(&s, &b, 0);
  check_func(&s, "main", 1, 450, 1000);
  check_func(&s, "b", 23, 250, 250);
  stats_free(&s);
  fb_free(&b);
}

/*
 * Costs larger than what a node measured: p 25 -> q 20 -> r 2 ticks, one
 * call each, O = 10, Oin = 4.  r: 2 - 4 < 0 -> 0.  q: 20 - 4 - 10 = 6.
 * p: 25 - 4 - 20 = 1, less than its child's 6 -> 6, so its self time is
 * 0, not -5.
 */
static void test_clamped(void **state) {
  struct fb b;
  struct stats s;
  uint32_t p, q, r;

  (void)state;
  fb_init(&b, 1.0);
  b.call_cost = 10, b.call_inner_cost = 4;
  p = fb_func(&b, "p", NULL, 1);
  q = fb_func(&b, "q", NULL, 2);
  r = fb_func(&b, "r", NULL, 3);
  fb_node(&b, fb_node(&b, fb_node(&b, NONE, p, 1, 25), q, 1, 20), r, 1, 2);
  th_load(&s, &b, 0);
  check_func(&s, "r", 1, 0, 0);
  check_func(&s, "q", 1, 6, 6);
  check_func(&s, "p", 1, 0, 6);
  assert_time(s.total_time, 6);
  stats_free(&s);
  fb_free(&b);
}

/* Recursion: fib 3 deep, Oin only.  Each level loses its own calls. */
static void test_recursive(void **state) {
  struct fb b;
  struct stats s;
  uint32_t f;

  (void)state;
  fb_init(&b, 1.0);
  b.call_cost = 3, b.call_inner_cost = 1;
  f = fb_func(&b, "fib", NULL, 1);
  /* 1 call 100 ticks -> 2 calls 60 -> 2 calls 20:
   *   deepest 20 - 2 = 18; middle 60 - 2 - 2*3 = 52; top 100 - 1 - 4*3 = 87 */
  fb_node(&b, fb_node(&b, fb_node(&b, NONE, f, 1, 100), f, 2, 60), f, 2, 20);
  th_load(&s, &b, 0);
  check_func(&s, "fib", 5, 87, 87);
  check_edge(&s, "fib", "fib", 52, 52);
  stats_free(&s);
  fb_free(&b);
}

/* Merged files: each is corrected with its own costs. */
static void test_each_file_its_own(void **state) {
  struct fb b1, b2;
  struct stats s;

  (void)state;
  fb_init(&b1, 1.0);
  b1.call_inner_cost = 5;
  fb_node(&b1, NONE, fb_func(&b1, "x", NULL, 1), 2, 30);
  fb_init(&b2, 2.0);
  fb_node(&b2, NONE, fb_func(&b2, "x", NULL, 1), 2, 30);
  stats_init(&s);
  th_add(&s, &b1);
  th_add(&s, &b2);
  stats_finish(&s);
  check_func(&s, "x", 4, 20 + 15, 20 + 15);
  assert_true(s.costs_vary);
  assert_time(s.call_inner_cost, 5);
  stats_free(&s);
  fb_free(&b1);
  fb_free(&b2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_subtracted),
      cmocka_unit_test(test_raw),
      cmocka_unit_test(test_unmeasured),
      cmocka_unit_test(test_clamped),
      cmocka_unit_test(test_recursive),
      cmocka_unit_test(test_each_file_its_own),
      cmocka_unit_test(test_line_hits_cost_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
