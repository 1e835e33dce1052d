/*
 * test_lines.c - the line view (line_view.c): times that add up to the
 * function's cumtime exactly in every line mode, sampled lines with their
 * error, and the percentiles clamped to the exact extremes.
 */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "cprof-read/line_view.h"

#define NONE CPROF_NO_PARENT

#define assert_close(x, want)                                                  \
  assert_true(fabs((x) - (double)(want)) <= 1e-9 * (1 + fabs((double)(want))))

/* Largest remainder: exact sums, ties to the lower index. */
static void test_apportion(void **state) {
  static const uint64_t thirds[] = {1, 1, 1}, none[] = {0, 0};
  static const uint64_t huge[] = {UINT64_MAX, 1, UINT64_MAX / 3};
  int64_t part[3], sum = 0;

  (void)state;
  apportion(1001, thirds, 3, part);
  assert_int_equal(part[0], 334);
  assert_int_equal(part[1], 334);
  assert_int_equal(part[2], 333);
  apportion(10, thirds, 3, part);
  assert_int_equal(part[0], 4);
  assert_int_equal(part[1], 3);
  assert_int_equal(part[2], 3);
  apportion(5, none, 2, part);
  assert_int_equal(part[0], 0);
  assert_int_equal(part[1], 0);
  /* Products past 64 bits (a damaged file's counts) stay exact. */
  apportion(INT64_MAX, huge, 3, part);
  for (int k = 0; k < 3; k++)
    sum += part[k];
  assert_true(sum == INT64_MAX);
}

/* One standard error: total * sqrt(p (1 - p) / signals). */
static void test_share_error(void **state) {
  (void)state;
  assert_close(share_error(1000, 5, 10, 5), 1000 * sqrt(0.25 / 5));
  assert_close(share_error(1000, 3, 10, 5), 1000 * sqrt(0.21 / 5));
  assert_close(share_error(1000, 0, 10, 5), 0);
  assert_close(share_error(1000, 10, 10, 5), 0);
  assert_close(share_error(1000, 3, 10, 0), 1000 * sqrt(0.21 / 10));
  assert_close(share_error(1000, 0, 0, 0), 0);
}

/*
 * work(), lines 2-4, sampled: 5 and 3 of its 10 samples on lines 2 and 3,
 * 2 before its first line; the file's 10 samples came in 5 signals.  At
 * 1 MHz a tick is a microsecond, the report's unit.
 */
static void sampled_work(struct fb *b, uint64_t func_samples) {
  static const uint64_t hits[] = {1, 4, 0}, ticks[] = {0, 0, 0};
  static const uint64_t samples[] = {5, 3, 0}, none[] = {0, 0, 0};
  uint32_t f;

  fb_init(b, 1e6);
  b->sample_period_ns = 1000000;
  b->samples = 10, b->sample_signals = 5;
  f = fb_func(b, "work", "/nonexistent/w.c", 1);
  fb_lines(b, f, 2, 3, hits, ticks);
  fb_samples(b, f, func_samples ? samples : none, func_samples);
}

static void test_sampled_view(void **state) {
  struct fb b;
  struct stats s;
  struct line_view v;
  const struct stats_func *f;

  (void)state;
  sampled_work(&b, 10);
  fb_node(&b, NONE, 0, 1, 1000);
  th_load(&s, &b, 1);
  f = th_func(&s, "work");
  line_view_of(f, &v);
  assert_int_equal(v.mode, LINES_SAMPLED);
  assert_true(v.total == 1000 && v.total == f->cumtime);
  assert_int_equal(v.time[0], 500);
  assert_int_equal(v.time[1], 300);
  assert_int_equal(v.time[2], 0);
  assert_int_equal(v.rest, 200);
  assert_int_equal(v.samples, 10);
  assert_int_equal(v.rest_samples, 2);
  assert_close(v.signals, 5);
  assert_close(v.error[0], 1000 * sqrt(0.25 / 5));
  assert_close(v.error[1], 1000 * sqrt(0.21 / 5));
  assert_close(v.rest_error, 1000 * sqrt(0.16 / 5));
  line_view_free(&v);
  stats_free(&s);
  fb_free(&b);
}

/* Corrected: the cumtime the table shows is what is apportioned. */
static void test_sampled_corrected(void **state) {
  struct fb b;
  struct stats s;
  struct line_view v;
  const struct stats_func *f;
  uint32_t m;

  (void)state;
  sampled_work(&b, 10);
  b.call_cost = 100, b.call_inner_cost = 40;
  m = fb_func(&b, "main", NULL, 9);
  fb_node(&b, fb_node(&b, NONE, m, 1, 2000), 0, 1, 1000);
  th_load(&s, &b, 0);
  f = th_func(&s, "work");
  assert_int_equal(f->cumtime, 960);
  assert_int_equal(th_func(&s, "main")->cumtime, 1860);
  line_view_of(f, &v);
  assert_int_equal(v.time[0], 480);
  assert_int_equal(v.time[1], 288);
  assert_int_equal(v.rest, 192);
  line_view_free(&v);
  stats_free(&s);
  fb_free(&b);
}

static void test_sampled_text(void **state) {
  struct fb b;
  struct stats s;
  struct report_opts o = th_opts("cumulative");
  char *text;

  (void)state;
  sampled_work(&b, 10);
  fb_node(&b, NONE, 0, 1, 1000);
  th_load(&s, &b, 1);
  text = th_render(report_lines, &s, &o);
  assert_string_equal(
      text,
      "Timer unit: 1e-06 s\n"
      "Clock: TSC at 1.000 MHz; raw, no compensation\n"
      "Sampler: 10 samples (5 signals) at 1.000 kHz of each thread's CPU "
      "time\n"
      "\n"
      "Total time: 0.001 s\n"
      "File: /nonexistent/w.c\n"
      "Function: work at line 1\n"
      "Line times: 10 samples (5 signals) at 1000 Hz: the total (the "
      "function's\ncumtime) split by the lines' samples, +- one standard "
      "error (Error)\n"
      "(source not available: /nonexistent/w.c: No such file or directory)\n"
      "\n"
      "Line #      Hits         Time    Error  Per Hit   % Time  Line "
      "Contents\n"
      "======================================================================="
      "\n"
      "     1\n"
      "     2         1        500.0    223.6    500.0     50.0\n"
      "     3         4        300.0    204.9     75.0     30.0\n"
      "     4\n"
      "                        200.0    178.9              20.0  (no line: "
      "samples before its first line)\n"
      "\n");
  free(text);
  text = th_render(report_json, &s, &o);
  assert_non_null(strstr(text, "\"samples\":10,\"callers\":[]"));
  assert_non_null(strstr(text, "\"line_mode\":\"sampled\",\"lines\":[{"
                               "\"line\":2,\"hits\":1,\"samples\":5,"
                               "\"time\":0.0005,\"time_error\":0.000223606"));
  assert_non_null(strstr(text, "{\"line\":3,\"hits\":4,\"samples\":3,"
                               "\"time\":0.0003,\"time_error\":0.000204939"));
  assert_non_null(strstr(text, "\"no_line\":{\"samples\":2,\"time\":0.0002,"
                               "\"time_error\":0.000178885"));
  free(text);
  stats_free(&s);
  fb_free(&b);
}

/* A sampled leaf's lines carry their share of its self time in callgrind;
 * the samples before its first line stay on the definition line. */
static void test_sampled_callgrind(void **state) {
  struct fb b;
  struct stats s;
  struct report_opts o = th_opts("cumulative");
  char *text;

  (void)state;
  sampled_work(&b, 10);
  fb_node(&b, NONE, 0, 1, 1000);
  th_load(&s, &b, 1);
  text = th_render(export_callgrind, &s, &o);
  assert_non_null(strstr(text, "fn=(1) work\n1 200000\n2 500000 1\n"
                               "3 300000 4\n\n"));
  free(text);
  stats_free(&s);
  fb_free(&b);
}

/* No sample fell in it, or the sampler was off: said, hits only. */
static void test_sampled_none(void **state) {
  struct fb b;
  struct stats s;
  struct report_opts o = th_opts("cumulative");
  char *text;

  (void)state;
  for (int off = 0; off < 2; off++) {
    sampled_work(&b, 0);
    if (off)
      b.sample_period_ns = b.samples = b.sample_signals = 0;
    fb_node(&b, NONE, 0, 1, 1000);
    th_load(&s, &b, 1);
    text = th_render(report_lines, &s, &o);
    assert_non_null(
        strstr(text, off ? "\nLine times: not sampled (the sampler was off): "
                           "hits only\n"
                         : "\nLine times: no sample fell in this function "
                           "(one per 1 ms of CPU time): hits only\n"));
    assert_non_null(strstr(text, "\nLine #      Hits         Time  Per Hit"));
    assert_non_null(strstr(text, "\n     1\n     2         1\n     3         "
                                 "4\n     4\n\n"));
    assert_null(strstr(text, "(no line"));
    free(text);
    text = th_render(report_json, &s, &o);
    assert_non_null(strstr(text, "{\"line\":3,\"hits\":4,\"samples\":0,"
                                 "\"time\":null,\"time_error\":null}"));
    free(text);
    stats_free(&s);
    fb_free(&b);
  }
}

/*
 * Timed lines, corrected: 600 - 10 and 300 - 3 x 10 ticks scaled to the
 * cumtime of 1000 - 40 - 4 x 10 = 920: 631.16 and 288.84, so 631 and 289.
 */
static void test_timed_total(void **state) {
  static const uint64_t hits[] = {1, 3}, ticks[] = {600, 300};
  struct fb b;
  struct stats s;
  struct line_view v;
  struct report_opts o = th_opts("cumulative");
  char *text;

  (void)state;
  fb_init(&b, 1e6);
  b.call_inner_cost = 40, b.line_cost = 10;
  fb_lines(&b, fb_func(&b, "f", "/nonexistent/f.c", 2), 2, 2, hits, ticks);
  fb_node(&b, NONE, 0, 1, 1000);
  th_load(&s, &b, 0);
  assert_int_equal(th_func(&s, "f")->cumtime, 920);
  line_view_of(th_func(&s, "f"), &v);
  assert_int_equal(v.mode, LINES_TIMED);
  assert_int_equal(v.time[0], 631);
  assert_int_equal(v.time[1], 289);
  assert_int_equal(v.rest, 0);
  assert_null(v.error);
  line_view_free(&v);
  text = th_render(report_lines, &s, &o);
  assert_non_null(strstr(text, "Total time: 0.00092 s\n"));
  assert_non_null(strstr(text, "\nLine times: measured at each line change, "
                               "approximate"));
  assert_non_null(strstr(text, "\n     2         1        631.0    631.0     "
                               "68.6\n     3         3        289.0     96.3"
                               "     31.4\n\n"));
  free(text);
  stats_free(&s);
  fb_free(&b);
}

/* Timed lines that recorded no time: the whole cumtime on no line. */
static void test_timed_no_line_time(void **state) {
  static const uint64_t hits[] = {1, 1}, ticks[] = {0, 0};
  struct fb b;
  struct stats s;
  struct report_opts o = th_opts("cumulative");
  char *text;

  (void)state;
  fb_init(&b, 1e6);
  fb_lines(&b, fb_func(&b, "f", "/nonexistent/f.c", 2), 2, 2, hits, ticks);
  fb_node(&b, NONE, 0, 1, 50);
  th_load(&s, &b, 1);
  text = th_render(report_lines, &s, &o);
  assert_non_null(strstr(text, "\n     2         1          0.0      0.0"
                               "      0.0\n     3         1          0.0"
                               "      0.0      0.0\n                       "
                               "  50.0             100.0  (no line: no "
                               "line time recorded)\n"));
  free(text);
  stats_free(&s);
  fb_free(&b);
}

/* One call of 30 ms: one value everywhere, raw or corrected. */
static void test_single_call(void **state) {
  struct fb b;
  struct stats s;
  struct report_opts o = th_opts("cumulative");
  char *text;
  uint32_t f;

  (void)state;
  fb_init(&b, 1e9);
  b.call_inner_cost = 1000000; /* 1 ms */
  f = fb_func(&b, "f", NULL, 2);
  fb_node(&b, NONE, f, 1, 30000000);
  fb_hist(&b, f, 30000000, 1);
  b.funcs[f].min_ticks = b.funcs[f].max_ticks = 30000000;
  for (int raw = 1; raw >= 0; raw--) {
    th_load(&s, &b, raw);
    text = th_render(report_percentiles, &s, &o);
    assert_non_null(strstr(
        text, raw ? "\n         1 [ 30.000 ms,  30.000 ms,  30.000 ms,  30.000 "
                    "ms,  30.000 ms]  30.000 ms  /src/test.c:2(f)\n"
                  : "\n         1 [ 29.000 ms,  29.000 ms,  29.000 ms,  29.000 "
                    "ms,  29.000 ms]  29.000 ms  /src/test.c:2(f)\n"));
    assert_non_null(strstr(text, raw ? "raw (probe cost included)"
                                     : "less its function's average probe "
                                       "cost per call"));
    free(text);
    stats_free(&s);
  }
  fb_free(&b);
}

/*
 * 9 calls of 100 ticks (bucket 96-111) and one of 120 (bucket 112-127):
 * min and max are the exact ones, the 99th percentile (125.5 in its
 * bucket) is clamped to the max; corrected, each loses the 2 ticks per
 * call taken out of the calls.
 */
static void test_clamped(void **state) {
  struct fb b;
  struct stats s;
  double at[STATS_POINTS];
  uint32_t f;

  (void)state;
  fb_init(&b, 1e9);
  b.call_inner_cost = 2;
  f = fb_func(&b, "f", NULL, 2);
  fb_node(&b, NONE, f, 10, 1020);
  fb_hist(&b, f, 100, 9);
  fb_hist(&b, f, 120, 1);
  b.funcs[f].min_ticks = 100, b.funcs[f].max_ticks = 120;
  for (int raw = 1; raw >= 0; raw--) {
    double cost = raw ? 0 : 2;
    th_load(&s, &b, raw);
    assert_int_equal(stats_call_cost(&s, th_func(&s, "f")), cost);
    assert_int_equal(stats_percentiles(&s, th_func(&s, "f"), at), 10);
    assert_close(at[0] * 1e9, 100 - cost);
    assert_close(at[1] * 1e9, 96 + 15 * 5 / 9.0 - cost);
    assert_close(at[2] * 1e9, 111 - cost);
    assert_close(at[3] * 1e9, 120 - cost);
    assert_close(at[4] * 1e9, 120 - cost);
    stats_free(&s);
  }
  fb_free(&b);
}

/*
 * f (100 ticks) calls itself (50): corrected 75 and 45 (5 ticks inside
 * each call, 20 more of the inner call's around it), 15 per call on
 * average.  The outer call less 15 would be 85, above cumtime: capped.
 */
static void test_recursive_max(void **state) {
  struct fb b;
  struct stats s;
  struct report_opts o = th_opts("cumulative");
  double at[STATS_POINTS];
  char *text;
  uint32_t f;

  (void)state;
  fb_init(&b, 1e9);
  b.call_cost = 20, b.call_inner_cost = 5;
  f = fb_func(&b, "f", NULL, 2);
  fb_node(&b, fb_node(&b, NONE, f, 1, 100), f, 1, 50);
  fb_hist(&b, f, 100, 1);
  fb_hist(&b, f, 50, 1);
  b.funcs[f].min_ticks = 50, b.funcs[f].max_ticks = 100;
  th_load(&s, &b, 0);
  assert_int_equal(th_func(&s, "f")->cumtime, 75);
  assert_int_equal(stats_call_cost(&s, th_func(&s, "f")), 15);
  stats_percentiles(&s, th_func(&s, "f"), at);
  assert_close(at[0] * 1e9, 35);
  assert_close(at[4] * 1e9, 75);
  text = th_render(report_json, &s, &o);
  assert_non_null(strstr(text, "\"cumtime\":7.5e-08,\"min\":3.5e-08,"
                               "\"max\":7.5e-08,"));
  free(text);
  stats_free(&s);
  fb_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_apportion),
      cmocka_unit_test(test_share_error),
      cmocka_unit_test(test_sampled_view),
      cmocka_unit_test(test_sampled_corrected),
      cmocka_unit_test(test_sampled_text),
      cmocka_unit_test(test_sampled_callgrind),
      cmocka_unit_test(test_sampled_none),
      cmocka_unit_test(test_timed_total),
      cmocka_unit_test(test_timed_no_line_time),
      cmocka_unit_test(test_single_call),
      cmocka_unit_test(test_clamped),
      cmocka_unit_test(test_recursive_max),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
