/*
 * test_export.c - the export formats, percentiles, diff and clock line,
 * byte for byte on small hand-built profiles.  (tests/tools checks the
 * same formats with their real readers: Python's pstats and
 * callgrind_annotate.)
 */
#define _GNU_SOURCE /* memmem */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define NONE CPROF_NO_PARENT

/* fib(3) from main at 10 Hz, as in test_report.c. */
static void fib3(struct stats *s) {
  static const uint64_t hits[] = {1, 0, 5, 4}, ticks[] = {1, 0, 70, 18};
  struct fb b;
  uint32_t m, f;

  fb_init(&b, 10.0);
  m = fb_func(&b, "main", "/src/fib.c", 1);
  f = fb_func(&b, "fib", "/src/fib.c", 3);
  fb_lines(&b, f, 4, 4, hits, ticks);
  fb_node(&b,
          fb_node(&b, fb_node(&b, fb_node(&b, NONE, m, 1, 100), f, 1, 90), f, 2,
                  60),
          f, 2, 20);
  th_load(s, &b, 0);
  fb_free(&b);
}

static void expect(report_fn *fn, const struct stats *s, const char *want) {
  struct report_opts o = th_opts("cumulative");
  char *text = th_render(fn, s, &o);

  assert_string_equal(text, want);
  free(text);
}

/* One line per call path, self time in ns; the sum is the total. */
static void test_folded(void **state) {
  struct stats s;

  (void)state;
  fib3(&s);
  expect(export_folded, &s,
         "main 1000000000\n"
         "main;fib 3000000000\n"
         "main;fib;fib 4000000000\n"
         "main;fib;fib;fib 2000000000\n");
  stats_free(&s);
}

/* fib calls a profiled function: its time stays on its definition. */
static void test_callgrind(void **state) {
  struct stats s;

  (void)state;
  fib3(&s);
  expect(export_callgrind, &s,
         "# callgrind format\nversion: 1\ncreator: prstats (cprof)\n"
         "positions: line\nevent: ns : Self time (nanoseconds)\n"
         "event: Hits : Line hits\nevents: ns Hits\n\n"
         "fl=(1) /src/fib.c\nfn=(1) fib\n3 9000000000\n4 0 1\n6 0 5\n7 0 4\n"
         "cfi=(1)\ncfn=(1)\ncalls=4 3\n3 6000000000\n\n"
         "fl=(1)\nfn=(2) main\n1 1000000000\n"
         "cfi=(1)\ncfn=(1)\ncalls=1 3\n1 9000000000\n\n");
  stats_free(&s);
}

/*
 * A leaf's lines carry its self time.  Lines of 8 and 4 s in a call of
 * 10 s are scaled to 10 s, rounding carried: 6666666667 + 3333333333.
 */
static void test_callgrind_leaf(void **state) {
  static const uint64_t hits[] = {5, 1}, fits[] = {6, 3}, over[] = {8, 4};
  const uint64_t *ticks[] = {fits, over};
  const char *want[] = {"1 1000000000\n2 6000000000 5\n3 3000000000 1\n",
                        "1 0\n2 6666666667 5\n3 3333333333 1\n"};
  struct report_opts o = th_opts("cumulative");

  (void)state;
  for (int i = 0; i < 2; i++) {
    struct fb b;
    struct stats s;
    uint32_t f;
    char *text;
    fb_init(&b, 1.0);
    f = fb_func(&b, "leaf", "/src/l.c", 1);
    fb_lines(&b, f, 2, 2, hits, ticks[i]);
    fb_node(&b, NONE, f, 1, 10);
    th_load(&s, &b, 0);
    text = th_render(export_callgrind, &s, &o);
    assert_non_null(strstr(text, "fn=(1) leaf\n"));
    assert_non_null(strstr(text, want[i]));
    free(text);
    stats_free(&s);
    fb_free(&b);
  }
}

/* Two static functions of one name in one file: callgrind needs two. */
static void test_callgrind_same_name(void **state) {
  struct fb b;
  struct stats s;
  struct report_opts o = th_opts("cumulative");
  char *text;

  (void)state;
  fb_init(&b, 1.0);
  fb_node(&b, NONE, fb_func(&b, "h", "/src/a.c", 5), 1, 1);
  fb_node(&b, NONE, fb_func(&b, "h", "/src/a.c", 9), 1, 1);
  th_load(&s, &b, 0);
  text = th_render(export_callgrind, &s, &o);
  assert_non_null(strstr(text, "fn=(1) h'5\n"));
  assert_non_null(strstr(text, "fn=(2) h'9\n"));
  free(text);
  stats_free(&s);
  fb_free(&b);
}

/*
 * pstats' marshal: {(file, line, name): (pcalls, ncalls, tottime,
 * cumtime, {caller: (ncalls, pcalls, tottime, cumtime)})}.  2^31 calls
 * need marshal's long form: 15-bit digits 0, 0, 2.
 */
static void test_pstats_bytes(void **state) {
  static const unsigned char want[] = {
      '{', '(', 3,   0, 0, 0,   'u', 4,    0,    0,   0,   '/',
      'a', '.', 'c',                                       /* key */
      'i', 7,   0,   0, 0, 'u', 1,   0,    0,    0,   'f', /* */
      '(', 5,   0,   0, 0, 'l', 3,   0,    0,    0,   0,   0,
      0,   0,   2,   0,                                  /* pc */
      'l', 3,   0,   0, 0, 0,   0,   0,    0,    2,   0, /* nc */
      'g', 0,   0,   0, 0, 0,   0,   0xe0, 0x3f,         /* 0.5 */
      'g', 0,   0,   0, 0, 0,   0,   0xe0, 0x3f, '{', '0', '0'};
  struct fb b;
  struct stats s;
  struct report_opts o = th_opts("cumulative");
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);

  (void)state;
  fb_init(&b, 4.0);
  fb_node(&b, NONE, fb_func(&b, "f", "/a.c", 7), 1ull << 31, 2);
  th_load(&s, &b, 0);
  assert_int_equal(export_pstats(out, &s, &o), 0);
  fclose(out);
  assert_int_equal(size, sizeof want);
  assert_memory_equal(text, want, sizeof want);
  free(text);
  stats_free(&s);
  fb_free(&b);
}

/* Edges carry their four numbers in cProfile's inner order. */
static void test_pstats_edges(void **state) {
  struct stats s;
  struct report_opts o = th_opts("cumulative");
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  /* fib's callers: main (1, 1, 3.0, 9.0) and fib (4, 2, 6.0, 6.0) */
  static const unsigned char edge[] = {'(', 4, 0,   0, 0, 'i', 4,    0,
                                       0,   0, 'i', 2, 0, 0,   0,    'g',
                                       0,   0, 0,   0, 0, 0,   0x18, 0x40};

  (void)state;
  fib3(&s);
  assert_int_equal(export_pstats(out, &s, &o), 0);
  fclose(out);
  assert_non_null(memmem(text, size, edge, sizeof edge));
  free(text);
  stats_free(&s);
}

/* XRay account's table; 1 GHz, so ticks read as nanoseconds. */
static void test_percentiles(void **state) {
  struct fb b;
  struct stats s;
  uint32_t f, g;

  (void)state;
  fb_init(&b, 1e9);
  f = fb_func(&b, "f", "/src/p.c", 2);
  g = fb_func(&b, "old", "/src/p.c", 9);
  fb_node(&b, fb_node(&b, NONE, g, 1, 40), f, 10, 20);
  fb_hist(&b, f, 2, 10);
  th_load(&s, &b, 0);
  expect(report_percentiles, &s,
         "Time per completed call less its function's average probe cost "
         "per call;\nmin and max exact, percentiles good to their bucket's "
         "width (25%); sum: every\ncall, recursive ones included\n"
         "Functions with latencies: 1\n"
         "   Ordered by: cumulative time\n\n"
         "     count [       min,        med,        90p,        99p,"
         "        max]        sum  function\n"
         "        10 [    2.0 ns,     2.0 ns,     2.0 ns,     2.0 ns,"
         "     2.0 ns]    20.0 ns  /src/p.c:2(f)\n\n");
  stats_free(&s);
  fb_free(&b);
}

/*
 * The same functions twice in one merge: histograms add up, each
 * function's buckets only, and a function without any has none.
 */
static void test_hist_merge(void **state) {
  uint64_t count[CPROF_HIST_BUCKETS];
  struct fb b;
  struct stats s;
  uint32_t f, g;

  (void)state;
  fb_init(&b, 1.0);
  f = fb_func(&b, "f", NULL, 2);
  g = fb_func(&b, "g", NULL, 3);
  fb_func(&b, "h", NULL, 4);
  fb_node(&b, NONE, f, 3, 9);
  fb_node(&b, 0, g, 2, 6);
  fb_hist(&b, f, 3, 3);
  fb_hist(&b, g, 5, 2);
  fb_hist(&b, f, 40, 1);
  stats_init(&s);
  th_add(&s, &b);
  th_add(&s, &b);
  stats_finish(&s);
  assert_true(stats_hist(&s, th_func(&s, "f"), count));
  assert_int_equal(count[3], 6);
  assert_int_equal(count[cprof_hist_bucket(40)], 2);
  assert_int_equal(count[cprof_hist_bucket(5)], 0);
  assert_true(stats_hist(&s, th_func(&s, "g"), count));
  assert_int_equal(count[cprof_hist_bucket(5)], 4);
  assert_int_equal(count[3], 0);
  assert_false(stats_hist(&s, th_func(&s, "h"), count));
  stats_free(&s);
  fb_free(&b);
}

/*
 * The costs, their spread (noisy past 10% of the cost), the line cost
 * only where lines read the timer, and the sampler's line.
 */
static void test_clock_line(void **state) {
  struct stats s;
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);

  (void)state;
  memset(&s, 0, sizeof s);
  s.tick_hz = 2596000000.0;
  s.clock = CPROF_CLOCK_TSC;
  report_clock(out, &s, "");
  s.call_cost = 18.1e-9, s.line_cost = 9.2e-9, s.timed_funcs = 1;
  report_clock(out, &s, "");
  s.costs_vary = 1;
  report_clock(out, &s, "");
  s.costs_vary = 0;
  s.call_cost_spread = 0.4e-9, s.line_cost_spread = 2.1e-9;
  s.sample_period_ns = 1000000, s.samples = 1210, s.sample_signals = 1187;
  report_clock(out, &s, "");
  s.timed_funcs = 0;
  report_clock(out, &s, "  ");
  s.raw = 1, s.tick_hz = 1e6, s.sample_period_ns = 0;
  report_clock(out, &s, "");
  fclose(out);
  assert_string_equal(
      text, "Clock: TSC at 2.596 GHz; probe cost not measured, nothing "
            "subtracted\n"
            "Clock: TSC at 2.596 GHz; probe cost subtracted: 18.1 ns per "
            "call, 9.2 ns per line change\n"
            "Clock: TSC at 2.596 GHz; probe cost subtracted: 18.1 ns per "
            "call, 9.2 ns per line change (first file's; each file with its "
            "own)\n"
            "Clock: TSC at 2.596 GHz; probe cost subtracted: 18.1 ns per "
            "call (spread 0.4 ns), 9.2 ns per line change (spread 2.1 ns: "
            "noisy)\n"
            "Sampler: 1210 samples (1187 signals) at 1.000 kHz of each "
            "thread's CPU time\n"
            "  Clock: TSC at 2.596 GHz; probe cost subtracted: 18.1 ns per "
            "call (spread 0.4 ns)\n"
            "  Sampler: 1210 samples (1187 signals) at 1.000 kHz of each "
            "thread's CPU time\n"
            "Clock: TSC at 1.000 MHz; raw, no compensation\n");
  free(text);
}

/* New fields of the JSON: how the times were corrected, percentiles. */
static void test_json_fields(void **state) {
  struct fb b;
  struct stats s;
  struct report_opts o = th_opts("cumulative");
  char *text;
  uint32_t f;

  (void)state;
  fb_init(&b, 2.0);
  b.call_cost = 4, b.call_inner_cost = 2, b.line_cost = 1, b.dropped = 3;
  f = fb_func(&b, "f", NULL, 2);
  b.call_cost_spread = 1, b.line_cost_spread = 3;
  b.sample_period_ns = 250000000, b.samples = 9, b.sample_signals = 6;
  fb_node(&b, NONE, f, 1, 10);
  fb_hist(&b, f, 10, 1);
  b.funcs[f].samples = 3;
  th_load(&s, &b, 0);
  text = th_render(report_json, &s, &o);
  assert_non_null(strstr(text, ",\"total_time\":4,\"raw\":false,"
                               "\"call_cost\":2,\"call_inner_cost\":1,"
                               "\"line_cost\":0.5,\"call_cost_spread\":0.5,"
                               "\"line_cost_spread\":1.5,\"sample_hz\":4,"
                               "\"samples\":9,\"sample_signals\":6,"
                               "\"dropped\":3,"
                               "\"cut_short_signal\":0,\"functions\":["));
  /* No exact extremes: the bucket [10, 11], less 2 ticks of probe cost per
   * call (10 raw, 8 corrected), at most cumtime (8). */
  assert_non_null(strstr(text, "\"cumtime\":4,\"min\":null,\"max\":null,"
                               "\"samples\":3,"));
  assert_non_null(strstr(text, "\"line_mode\":null,\"lines\":[],"
                               "\"no_line\":{\"samples\":0,\"time\":null,"
                               "\"time_error\":null},\"percentiles\":{"
                               "\"count\":1,\"min\":4,\"median\":4,"
                               "\"p90\":4,"));
  free(text);
  stats_free(&s);
  /* The exact extremes: one call shows its corrected time everywhere. */
  b.funcs[f].min_ticks = b.funcs[f].max_ticks = 10;
  th_load(&s, &b, 0);
  text = th_render(report_json, &s, &o);
  assert_non_null(strstr(text, "\"cumtime\":4,\"min\":4,\"max\":4,"));
  assert_non_null(strstr(text, "\"percentiles\":{\"count\":1,\"min\":4,"
                               "\"median\":4,\"p90\":4,\"p99\":4,"
                               "\"max\":4}"));
  free(text);
  stats_free(&s);
  fb_free(&b);
}

static void load_two(struct stats *s, uint64_t calls, uint64_t ticks,
                     int with_g) {
  struct fb b;

  fb_init(&b, 10.0);
  fb_node(&b, NONE, fb_func(&b, "main", "/src/m.c", 1), calls, ticks);
  if (with_g)
    fb_node(&b, NONE, fb_func(&b, "g", "/src/m.c", 9), 1, 5);
  th_load(s, &b, 0);
  fb_free(&b);
}

/* tracemalloc's compare_to layout; largest change first. */
static void test_diff(void **state) {
  static char *const files[] = {"a.out", "b.out"};
  struct stats before, after;
  struct report_opts o = th_opts("cumulative");
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);

  (void)state;
  load_two(&before, 1, 100, 0);
  load_two(&after, 2, 150, 1);
  o.files = files;
  o.nfiles = 2;
  o.precision = 3;
  assert_int_equal(report_diff(out, &before, &after, &o), 0);
  fclose(out);
  assert_string_equal(
      text, "Before: a.out\n"
            "Clock: TSC at 10 Hz; probe cost not measured, nothing subtracted\n"
            "After:  b.out\n"
            "Clock: TSC at 10 Hz; probe cost not measured, nothing subtracted\n"
            "\n"
            "Total: calls=3 (+2), time=15.500s (+5.500s)\n\n"
            "   Ordered by: largest change (cumtime, tottime, calls)\n\n"
            "/src/m.c:1(main): calls=2 (+1), tottime=15.000s (+5.000s), "
            "cumtime=15.000s (+5.000s)\n"
            "/src/m.c:9(g): calls=1 (+1), tottime=0.500s (+0.500s), "
            "cumtime=0.500s (+0.500s)\n");
  free(text);
  stats_free(&before);
  stats_free(&after);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_folded),
      cmocka_unit_test(test_callgrind),
      cmocka_unit_test(test_callgrind_leaf),
      cmocka_unit_test(test_callgrind_same_name),
      cmocka_unit_test(test_pstats_bytes),
      cmocka_unit_test(test_pstats_edges),
      cmocka_unit_test(test_percentiles),
      cmocka_unit_test(test_hist_merge),
      cmocka_unit_test(test_clock_line),
      cmocka_unit_test(test_json_fields),
      cmocka_unit_test(test_diff),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
