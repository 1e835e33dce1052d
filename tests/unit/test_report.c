/*
 * test_report.c - the output layouts, character for character.
 *
 * The expected pstats texts were checked against Python 3.11's pstats
 * printing the same numbers (print_stats, print_callers, print_callees):
 * with -p 3 the layouts are identical but for trailing blanks.
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
#include <unistd.h>

#include "builder.h"
#include "harness.h"
#include "cprof-read/report.h"

static char *const files[] = {"fib3.out"};

/* pstats' integer restriction: the first row only. */
static const struct restriction first_one = {.kind = RESTRICT_COUNT,
                                             .count = 1};

/*
 * fib(3) from main at 10 ticks per second (see test_stats.c); the header
 * says `dropped` calls were not recorded.
 */
static void fib3_dropped(struct stats *s, const char *src, uint64_t dropped) {
  static const uint64_t hits[] = {1, 0, 5, 4}, ticks[] = {1, 0, 70, 18};
  struct fb b;
  struct fb_out o;
  struct prof_file pf;
  char err[256];
  uint32_t m, f;

  fb_init(&b, 10.0);
  b.dropped = dropped;
  m = fb_func(&b, "main", src, 1);
  f = fb_func(&b, "fib", src, 3);
  fb_lines(&b, f, 4, 4, hits, ticks);
  fb_node(
      &b,
      fb_node(&b,
              fb_node(&b, fb_node(&b, CPROF_NO_PARENT, m, 1, 100), f, 1, 90), f,
              2, 60),
      f, 2, 20);
  fb_build(&b, &o);
  assert_int_equal(prof_parse(&pf, o.data, o.size, err, sizeof err), 0);
  stats_init(s);
  assert_int_equal(stats_add(s, &pf, err, sizeof err), 0);
  stats_finish(s);
  prof_free(&pf);
  fb_free(&b);
}

static void fib3(struct stats *s, const char *src) { fib3_dropped(s, src, 0); }

static struct report_opts opts(int precision) {
  struct report_opts o = {.precision = precision, .unit = 1e-6};
  char err[64];

  o.files = files;
  o.nfiles = 1;
  assert_int_equal(sort_parse(&o.sort, "cumulative", err, sizeof err), 0);
  return o;
}

/* Runs a report into a malloc'ed string. */
static char *render(report_fn *fn, const struct stats *s,
                    const struct report_opts *o) {
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);

  assert_int_equal(fn(out, s, o), 0);
  fclose(out);
  return text;
}

/* Runs a report into memory and compares the whole text. */
static void expect_text(report_fn *fn, const struct stats *s,
                        const struct report_opts *o, const char *want) {
  char *text = render(fn, s, o);

  assert_string_equal(text, want);
  free(text);
}

static void test_print_stats(void **state) {
  struct stats s;
  struct report_opts o = opts(3);

  (void)state;
  fib3(&s, "/src/fib.c");
  expect_text(report_stats, &s, &o,
              "fib3.out\n"
              "\n"
              "         6 function calls (2 primitive calls) in 10.000 "
              "seconds\n"
              "         Clock: TSC at 10 Hz; probe cost not measured, nothing "
              "subtracted\n"
              "\n"
              "   Ordered by: cumulative time\n"
              "\n"
              "   ncalls  tottime  percall  cumtime  percall "
              "filename:lineno(function)\n"
              "        1    1.000    1.000   10.000   10.000 "
              "/src/fib.c:1(main)\n"
              "      5/1    9.000    1.800    9.000    9.000 "
              "/src/fib.c:3(fib)\n"
              "\n\n");
  o = opts(6);
  o.nfiles = 0;
  o.restrictions = &first_one;
  o.nrestrictions = 1;
  assert_int_equal(sort_parse(&o.sort, "calls", NULL, 0), 0);
  expect_text(report_stats, &s, &o,
              "         6 function calls (2 primitive calls) in 10.000000 "
              "seconds\n"
              "         Clock: TSC at 10 Hz; probe cost not measured, nothing "
              "subtracted\n"
              "\n"
              "   Ordered by: cumulative time, call count\n"
              "   List reduced from 2 to 1 due to restriction <1>\n"
              "\n"
              "   ncalls     tottime     percall     cumtime     percall "
              "filename:lineno(function)\n"
              "        1    1.000000    1.000000   10.000000   10.000000 "
              "/src/fib.c:1(main)\n"
              "\n\n");
  stats_free(&s);
}

/* Calls the runtime could not record are told, not silently lost. */
static void test_dropped(void **state) {
  struct stats s;
  struct report_opts o = opts(3);

  (void)state;
  fib3_dropped(&s, "/src/fib.c", 7);
  o.nfiles = 0;
  o.restrictions = &first_one;
  o.nrestrictions = 1;
  expect_text(report_stats, &s, &o,
              "         6 function calls (2 primitive calls) in 10.000 "
              "seconds\n"
              "         Clock: TSC at 10 Hz; probe cost not measured, nothing "
              "subtracted\n"
              "         (7 more calls were not recorded: deeper than "
              "CPROF_MAX_DEPTH, or out of memory)\n"
              "\n"
              "   Ordered by: cumulative time\n"
              "   List reduced from 2 to 1 due to restriction <1>\n"
              "\n"
              "   ncalls  tottime  percall  cumtime  percall "
              "filename:lineno(function)\n"
              "        1    1.000    1.000   10.000   10.000 "
              "/src/fib.c:1(main)\n"
              "\n\n");
  stats_free(&s);
}

static void test_print_callers_callees(void **state) {
  struct stats s;
  struct report_opts o = opts(3);

  (void)state;
  fib3(&s, "/src/fib.c");
  expect_text(report_callers, &s, &o,
              "   Ordered by: cumulative time\n"
              "\n"
              "Function            was called by...\n"
              "                        ncalls  tottime  cumtime\n"
              "/src/fib.c:1(main)  <-\n"
              "/src/fib.c:3(fib)   <-       1    3.000    9.000  "
              "/src/fib.c:1(main)\n"
              "                           4/2    6.000    6.000  "
              "/src/fib.c:3(fib)\n"
              "\n\n");
  expect_text(report_callees, &s, &o,
              "   Ordered by: cumulative time\n"
              "\n"
              "Function            called...\n"
              "                        ncalls  tottime  cumtime\n"
              "/src/fib.c:1(main)  ->       1    3.000    9.000  "
              "/src/fib.c:3(fib)\n"
              "/src/fib.c:3(fib)   ->     4/2    6.000    6.000  "
              "/src/fib.c:3(fib)\n"
              "\n\n");
  stats_free(&s);
}

static const char fib_source[] = "#include <stdio.h>\n"
                                 "\n"
                                 "int fib(int n)\n"
                                 "{\n"
                                 "  if (n < 2)\n"
                                 "    return n;\n"
                                 "  return fib(n - 1) + fib(n - 2);\n"
                                 "}\n";

/*
 * Line times 1, 0, 70 and 18 ticks at 10 Hz, scaled to fib's cumtime of
 * 90 ticks by largest remainder (1.01, 70.79, 18.20: line 6 gets the
 * tick left); unit 0.1 s keeps them whole.
 */
static void test_lines(void **state) {
  char *path = fb_write_temp(fib_source, sizeof fib_source - 1);
  char want[2048];
  struct stats s;
  struct report_opts o = opts(3);

  (void)state;
  fib3(&s, path);
  o.unit = 0.1;
  o.lines_func = "fib";
  snprintf(want, sizeof want,
           "Timer unit: 0.1 s\n"
           "Clock: TSC at 10 Hz; probe cost not measured, nothing "
           "subtracted\n"
           "\n"
           "Total time: 9 s\n"
           "File: %s\n"
           "Function: fib at line 3\n"
           "Line times: measured at each line change, approximate: scaled to "
           "add up to\nthe total (the function's cumtime)\n"
           "\n"
           "Line #      Hits         Time  Per Hit   %% Time  Line Contents\n"
           "==============================================================\n"
           "     3                                           int fib(int n)\n"
           "     4         1          1.0      1.0      1.1  {\n"
           "     5                                             if (n < 2)\n"
           "     6         5         71.0     14.2     78.9      return n;\n"
           "     7         4         18.0      4.5     20.0    return fib(n "
           "- 1) + fib(n - 2);\n"
           "\n",
           path);
  expect_text(report_lines, &s, &o, want);
  unlink(path);
  snprintf(want, sizeof want,
           "Timer unit: 0.1 s\n"
           "Clock: TSC at 10 Hz; probe cost not measured, nothing "
           "subtracted\n"
           "\n"
           "Total time: 9 s\n"
           "File: %s\n"
           "Function: fib at line 3\n"
           "Line times: measured at each line change, approximate: scaled to "
           "add up to\nthe total (the function's cumtime)\n"
           "(source not available: %s: No such file or directory)\n"
           "\n"
           "Line #      Hits         Time  Per Hit   %% Time  Line Contents\n"
           "==============================================================\n"
           "     3\n"
           "     4         1          1.0      1.0      1.1\n"
           "     5\n"
           "     6         5         71.0     14.2     78.9\n"
           "     7         4         18.0      4.5     20.0\n"
           "\n",
           path, path);
  expect_text(report_lines, &s, &o, want);
  free(path);
  stats_free(&s);
}

/*
 * Without -u the unit follows the lines: 1e-6 while every busy line takes
 * 1 us per hit or more, else 1e-9.  At 1 GHz: 3 ticks in 1 hit and 1 tick
 * in 40 hits, which 1e-6 showed as 0.0.
 */
static void test_lines_unit(void **state) {
  static const uint64_t hits[] = {1, 40}, fast[] = {3, 1};
  static const uint64_t slow[] = {2000, 40000};
  struct fb b;
  struct stats s;
  struct report_opts o = opts(3);
  char *text;

  (void)state;
  fb_init(&b, 1e9);
  fb_lines(&b, fb_func(&b, "f", "/nonexistent/f.c", 1), 2, 2, hits, fast);
  fb_node(&b, CPROF_NO_PARENT, 0, 1, 4);
  th_load(&s, &b, 1);
  o.unit = 0;
  text = render(report_lines, &s, &o);
  assert_true(strncmp(text, "Timer unit: 1e-09 s\n", 20) == 0);
  assert_non_null(strstr(text, "\n     2         1          3.0      3.0"
                               "     75.0\n     3        40          1.0"
                               "    0.025     25.0\n"));
  free(text);
  o.unit = 1e-6; /* given: kept, small amounts with two digits */
  text = render(report_lines, &s, &o);
  assert_true(strncmp(text, "Timer unit: 1e-06 s\n", 20) == 0);
  assert_non_null(strstr(text, "\n     2         1        0.003    0.003"
                               "     75.0\n     3        40        0.001"
                               "  2.5e-05     25.0\n"));
  free(text);
  stats_free(&s);
  fb_free(&b);
  fb_init(&b, 1e9);
  fb_lines(&b, fb_func(&b, "f", "/nonexistent/f.c", 1), 2, 2, hits, slow);
  fb_node(&b, CPROF_NO_PARENT, 0, 1, 42000);
  th_load(&s, &b, 1);
  o.unit = 0;
  text = render(report_lines, &s, &o);
  assert_true(strncmp(text, "Timer unit: 1e-06 s\n", 20) == 0);
  assert_non_null(strstr(text, "\n     2         1          2.0      2.0"));
  free(text);
  stats_free(&s);
  fb_free(&b);
}

static void expect_only_used(report_fn *fn, const struct stats *s,
                             const struct report_opts *o) {
  char *text = render(fn, s, o);

  assert_non_null(strstr(text, "used"));
  assert_null(strstr(text, "unused"));
  free(text);
}

/*
 * A function recorded but never called (left by a reset or a fork) is
 * not in the pstats views or the JSON, as cProfile would not know it; the
 * line report lists it, as line_profiler does, unless -z.
 */
static void test_never_called(void **state) {
  static const uint64_t zero[2] = {0, 0};
  struct fb b;
  struct fb_out fo;
  struct prof_file pf;
  struct stats s;
  struct report_opts o = opts(3);
  char err[256], *text;
  uint32_t used;

  (void)state;
  fb_init(&b, 1.0);
  used = fb_func(&b, "used", NULL, 1);
  fb_lines(&b, used, 2, 2, zero, zero);
  fb_node(&b, CPROF_NO_PARENT, used, 1, 1);
  fb_lines(&b, fb_func(&b, "unused", NULL, 5), 6, 2, zero, zero);
  fb_build(&b, &fo);
  assert_int_equal(prof_parse(&pf, fo.data, fo.size, err, sizeof err), 0);
  stats_init(&s);
  assert_int_equal(stats_add(&s, &pf, err, sizeof err), 0);
  stats_finish(&s);
  expect_only_used(report_stats, &s, &o);
  expect_only_used(report_callers, &s, &o);
  expect_only_used(report_callees, &s, &o);
  expect_only_used(report_json, &s, &o);
  text = render(report_lines, &s, &o);
  assert_non_null(strstr(text, "Function: unused at line 5"));
  free(text);
  o.skip_zero = 1;
  text = render(report_lines, &s, &o);
  assert_non_null(strstr(text, "Function: used at line 1"));
  assert_null(strstr(text, "unused"));
  free(text);
  prof_free(&pf);
  stats_free(&s);
  fb_free(&b);
}

/* Lines counted in the line-hits mode show their hits, and no time. */
static void test_lines_hits_only(void **state) {
  static const uint64_t hits[] = {1, 0, 5}, ticks[] = {0, 0, 0};
  struct fb b;
  struct stats s;
  struct report_opts o = opts(3);
  char *text;
  uint32_t f;

  (void)state;
  fb_init(&b, 1.0);
  f = fb_func(&b, "counted", "/nonexistent/counted.c", 1);
  fb_lines(&b, f, 2, 3, hits, ticks);
  b.funcs[f].flags = CPROF_FUNC_LINE_HITS;
  fb_node(&b, CPROF_NO_PARENT, f, 1, 7);
  th_load(&s, &b, 0);
  o.lines_func = "counted";
  text = render(report_lines, &s, &o);
  assert_non_null(strstr(text, "Total time: not measured"));
  assert_non_null(
      strstr(text, "\n     2         1\n     3\n     4         5\n"));
  free(text);
  text = render(report_json, &s, &o);
  assert_non_null(strstr(text, "\"line_mode\":\"hits\",\"lines\":[{"
                               "\"line\":2,\"hits\":1,\"samples\":0,"
                               "\"time\":null,\"time_error\":null},{"
                               "\"line\":4,\"hits\":5,\"samples\":0,"
                               "\"time\":null,\"time_error\":null}]"));
  free(text);
  stats_free(&s);
  fb_free(&b);
}

/* Names with quotes, controls and bytes that are not UTF-8. */
static void test_json_strings(void **state) {
  struct fb b;
  struct fb_out fo;
  struct prof_file pf;
  struct stats s;
  struct report_opts o = opts(3);
  char err[256], *text;

  (void)state;
  fb_init(&b, 3.0);
  fb_node(&b, CPROF_NO_PARENT,
          fb_func(&b, "a\"b\\c\nd\te\x01 \xc3\xa9 \xff \xe2\x82 \xed\xa0\x80",
                  NULL, 7),
          1, 1);
  fb_build(&b, &fo);
  assert_int_equal(prof_parse(&pf, fo.data, fo.size, err, sizeof err), 0);
  stats_init(&s);
  assert_int_equal(stats_add(&s, &pf, err, sizeof err), 0);
  stats_finish(&s);
  text = render(report_json, &s, &o);
  assert_non_null(strstr(text, "{\"name\":\"a\\\"b\\\\c\\nd\\te\\u0001 "
                               "\xc3\xa9 \\ufffd \\ufffd\\ufffd "
                               "\\ufffd\\ufffd\\ufffd\",\"symbol\":"));
  /* 1/3 s needs 17 digits to read back; 3 Hz needs 1. */
  assert_non_null(strstr(text, "\"tottime\":0.33333333333333331,"));
  assert_non_null(strstr(text, "{\"version\":1,\"tick_hz\":3,"));
  free(text);
  prof_free(&pf);
  stats_free(&s);
  fb_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_print_stats),
      cmocka_unit_test(test_dropped),
      cmocka_unit_test(test_print_callers_callees),
      cmocka_unit_test(test_lines),
      cmocka_unit_test(test_lines_unit),
      cmocka_unit_test(test_never_called),
      cmocka_unit_test(test_lines_hits_only),
      cmocka_unit_test(test_json_strings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
