/*
 * test_ticks.c - the model keeps whole ticks; seconds only when printed.
 *
 * At a real rate (2.596 GHz) a sum of seconds rounds at every step: a
 * recursive function's self times added up came out one rounding step
 * above its cumulative time, and a line view's total a step away from
 * the function's.  Whole ticks make the invariants exact:
 *
 *   cumtime >= tottime >= 0, sum of tottime = total_time,
 *   a line view's total = the function's cumtime, and so the JSON, which
 *   divides once, agrees.
 *
 * The tick counts below are ones where the old sums of seconds failed.
 */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "cprof-read/line_view.h"

#define NONE CPROF_NO_PARENT
#define HZ 2596000000.0

/* main -> f -> f -> f -> f -> f (ticks below), then main -> g. */
static const uint64_t chain[] = {8853152, 8319349, 7347534, 3720368, 488223};

static void recursion(struct fb *b) {
  static const uint64_t hits[] = {1, 1}, ticks[] = {8057871, 4073500};
  uint32_t m, f, g, v;

  fb_init(b, HZ);
  m = fb_func(b, "main", NULL, 1);
  f = fb_func(b, "f", NULL, 10);
  g = fb_func(b, "g", NULL, 20);
  fb_lines(b, g, 21, 2, hits, ticks);
  v = fb_node(b, NONE, m, 1, 30000000);
  fb_node(b, v, g, 1, ticks[0] + ticks[1]);
  for (size_t k = 0; k < sizeof chain / sizeof chain[0]; k++)
    v = fb_node(b, v, f, 1, chain[k]);
}

/* The invariants, on every function of s. */
static void check_invariants(const struct stats *s) {
  __typeof__(s->total_time + 0) total = 0;

  for (size_t i = 0; i < s->nfuncs; i++) {
    const struct stats_func *f = &s->funcs[i];
    assert_true(f->tottime >= 0);
    assert_true(f->cumtime >= f->tottime);
    total += f->tottime;
  }
  assert_true(total == s->total_time);
}

static double json_number(const char *text, const char *name, const char *key) {
  char pattern[64];
  const char *at;

  snprintf(pattern, sizeof pattern, "{\"name\":\"%s\",", name);
  at = strstr(text, pattern);
  assert_non_null(at);
  at = strstr(at, key);
  assert_non_null(at);
  return strtod(at + strlen(key), NULL);
}

static void test_recursion(void **state) {
  struct fb b;
  struct stats s;
  struct report_opts o = th_opts("cumulative");
  const struct stats_func *f;
  char *text;

  (void)state;
  recursion(&b);
  for (int raw = 1; raw >= 0; raw--) {
    b.call_cost = raw ? 0 : 70, b.call_inner_cost = raw ? 0 : 31;
    th_load(&s, &b, raw);
    check_invariants(&s);
    f = th_func(&s, "f");
    assert_true(f->tottime == f->cumtime); /* f calls nothing else */
    text = th_render(report_json, &s, &o);
    assert_true(json_number(text, "f", "\"cumtime\":") >=
                json_number(text, "f", "\"tottime\":"));
    free(text);
    stats_free(&s);
  }
  fb_free(&b);
}

/* The sum of a line view's parts (line_view.h). */
static int64_t view_sum(const struct stats_func *f) {
  struct line_view v;
  int64_t sum;

  line_view_of(f, &v);
  sum = v.rest;
  for (uint32_t k = 0; k < f->nlines; k++)
    sum += v.time[k];
  line_view_free(&v);
  return sum;
}

/*
 * g's line view adds up to its cumtime exactly, raw or corrected, timed
 * (its lines' ticks scaled) or sampled (cumtime apportioned).
 */
static void test_line_total(void **state) {
  static const uint64_t samples[] = {7, 5};
  struct fb b;
  struct stats s;

  (void)state;
  recursion(&b);
  b.call_cost = 70, b.call_inner_cost = 31, b.line_cost = 23;
  for (int sampled = 0; sampled < 2; sampled++) {
    if (sampled)
      fb_samples(&b, 2, samples, 13);
    for (int raw = 0; raw < 2; raw++) {
      th_load(&s, &b, raw);
      assert_true(view_sum(th_func(&s, "g")) == th_func(&s, "g")->cumtime);
      stats_free(&s);
    }
  }
  fb_free(&b);
}

/* Three runs merged, corrected and raw: still exact. */
static void test_merged(void **state) {
  struct fb b;
  struct stats s;

  (void)state;
  recursion(&b);
  b.call_cost = 70, b.call_inner_cost = 31, b.line_cost = 23;
  for (int raw = 0; raw < 2; raw++) {
    stats_init(&s);
    s.raw = raw;
    for (int run = 0; run < 3; run++)
      th_add(&s, &b);
    stats_finish(&s);
    check_invariants(&s);
    assert_int_equal(th_func(&s, "f")->ncalls, 15);
    if (raw)
      assert_int_equal(th_func(&s, "main")->cumtime, 3 * 30000000);
    stats_free(&s);
  }
  fb_free(&b);
}

/*
 * A damaged file can hold any 64-bit ticks, calls and costs (the fuzz
 * target's first finding): sums saturate instead of overflowing, and the
 * invariants still hold.
 */
static void test_saturated(void **state) {
  static const uint64_t hits[] = {UINT64_MAX}, ticks[] = {UINT64_MAX};
  struct fb b;
  struct stats s;
  uint32_t m, f, v;

  (void)state;
  fb_init(&b, HZ);
  b.call_cost = b.call_inner_cost = UINT64_MAX / 3, b.line_cost = 7;
  m = fb_func(&b, "main", NULL, 1);
  f = fb_func(&b, "f", NULL, 10);
  fb_lines(&b, f, 11, 1, hits, ticks);
  v = fb_node(&b, NONE, m, 1, UINT64_MAX);
  fb_node(&b, v, f, UINT64_MAX, UINT64_MAX);
  fb_node(&b, v, f, 3, UINT64_MAX - 1);
  for (int raw = 0; raw < 2; raw++) {
    stats_init(&s);
    s.raw = raw;
    th_add(&s, &b);
    th_add(&s, &b);
    stats_finish(&s);
    check_invariants(&s);
    if (raw) {
      assert_true(th_func(&s, "main")->cumtime == INT64_MAX);
      assert_true(th_func(&s, "f")->lines[0].time == INT64_MAX);
    }
    stats_free(&s);
  }
  fb_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_recursion),
      cmocka_unit_test(test_line_total),
      cmocka_unit_test(test_merged),
      cmocka_unit_test(test_saturated),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
