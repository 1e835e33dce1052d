/*
 * test_timeit.c - cprof/timeit.h: exact where the result is decided by
 * construction (figures, warnings, output lines, loop counts), bounded
 * where it is measured, with bounds a loaded two-core machine keeps.
 *
 * Built at -O2 (the figures of optimised code are the point), so that the
 * statement the optimiser deletes is deleted.
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
#include <time.h>
#include <unistd.h>

#include "cprof/timeit.h"

/* Quiet and fast: runs of 10 ms, figures returned, nothing printed. */
static const struct cprof_timeit_options fast = {.min_time = 0.01,
                                                 .format = CPROF_TIMEIT_SILENT};

static struct cprof_timeit_result made(int runs, const double *times) {
  struct cprof_timeit_result r;

  memset(&r, 0, sizeof r);
  r.runs = runs;
  r.loops = 1000;
  r.optimized = 1;
  memcpy(r.times, times, (size_t)runs * sizeof *times);
  cprof_timeit_stats(&r);
  return r;
}

static void test_figures(void **state) {
  (void)state;
  const double t[] = {3e-6, 1e-6, 2e-6, 2e-6, 2e-6};
  struct cprof_timeit_result r = made(5, t);

  assert_true(r.best == 1e-6 && r.worst == 3e-6);
  assert_true(r.mean > 1.99999e-6 && r.mean < 2.00001e-6);
  /* population std. dev.: sqrt((1 + 1) / 5) us */
  assert_true(r.stdev > 0.63245e-6 && r.stdev < 0.63246e-6);
  assert_true(r.median == 2e-6 && r.mad == 0);
  assert_int_equal(r.outliers, 0); /* no MAD, no outliers */
}

static void test_no_warning(void **state) {
  (void)state;
  const double t[] = {1.00e-6, 1.01e-6, 0.99e-6, 1.00e-6,
                      1.02e-6, 0.98e-6, 1.00e-6};
  assert_int_equal(made(7, t).warnings, 0);
}

static void test_warn_slowest(void **state) {
  (void)state;
  const double t[] = {1e-6, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6, 5e-6};
  struct cprof_timeit_result r = made(7, t);
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);

  assert_true(r.warnings & CPROF_TIMEIT_WARN_SLOWEST);
  cprof_timeit_print_warnings(&r, f);
  fclose(f);
  assert_non_null(strstr(text, "The slowest run took 5.00 times longer than "
                               "the fastest. This could mean that an "
                               "intermediate result is being cached.\n"));
  free(text);
  /* 4 times is not over 4 */
  const double four[] = {1e-6, 4e-6};
  assert_false(made(2, four).warnings & CPROF_TIMEIT_WARN_SLOWEST);
}

static void test_warn_outliers(void **state) {
  (void)state;
  /* median 100, MAD 1: 115 is 15 MAD out, 109 is not */
  const double t[] = {99, 100, 101, 100, 99, 101, 115};
  struct cprof_timeit_result r = made(7, t);

  assert_true(r.warnings & CPROF_TIMEIT_WARN_OUTLIERS);
  assert_int_equal(r.outliers, 1);
  const double near[] = {99, 100, 101, 100, 99, 101, 109};
  assert_false(made(7, near).warnings & CPROF_TIMEIT_WARN_OUTLIERS);
}

static void test_warn_error(void **state) {
  (void)state;
  /* mean 100, std. dev. 10: 10%, twice 5%: four times the loops */
  const double t[] = {90, 110, 90, 110};
  struct cprof_timeit_result r = made(4, t);

  assert_true(r.warnings & CPROF_TIMEIT_WARN_ERROR);
  assert_true(r.error > 0.0999 && r.error < 0.1001);
  assert_true(r.loops_advised >= 4000 && r.loops_advised <= 4001);
  const double ok[] = {96, 104, 96, 104};
  assert_false(made(4, ok).warnings & CPROF_TIMEIT_WARN_ERROR);
}

static void test_warn_unoptimized(void **state) {
  (void)state;
  const double t[] = {1, 1};
  struct cprof_timeit_result r = made(2, t);

  r.optimized = 0;
  cprof_timeit_stats(&r);
  assert_int_equal(r.warnings, CPROF_TIMEIT_WARN_UNOPTIMIZED);
}

static void governor_from(const char *content, struct cprof_timeit_result *r) {
  char path[] = "/tmp/cprof-governor-XXXXXX";
  int fd = mkstemp(path);

  assert_true(fd >= 0);
  assert_int_equal(write(fd, content, strlen(content)), (int)strlen(content));
  close(fd);
  cprof_timeit_read_governor(r, path);
  unlink(path);
  cprof_timeit_stats(r);
}

static void test_warn_governor(void **state) {
  (void)state;
  const double t[] = {1, 1};
  struct cprof_timeit_result r = made(2, t);

  governor_from("powersave\n", &r);
  assert_string_equal(r.governor, "powersave");
  assert_int_equal(r.warnings, CPROF_TIMEIT_WARN_GOVERNOR);
  governor_from("performance\n", &r);
  assert_int_equal(r.warnings, 0);
  cprof_timeit_read_governor(&r, "/nonexistent/scaling_governor");
  cprof_timeit_stats(&r);
  assert_string_equal(r.governor, "");
  assert_int_equal(r.warnings, 0);
}

static char *printed(void (*print)(const struct cprof_timeit_result *, FILE *),
                     const struct cprof_timeit_result *r) {
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);

  print(r, f);
  fclose(f);
  return text;
}

/* A quarter of the empty loop's run, or the clock's step if more: a run
 * of 1,000 loops that adds 0.24 ms to an empty loop of 1 ms is about
 * nothing, 0.26 ms is not; with no overhead, the step of 1 µs decides. */
static void test_warn_zero(void **state) {
  (void)state;
  const double none[] = {0.24e-6, 0.24e-6}, some[] = {0.26e-6, 0.26e-6};
  struct cprof_timeit_result r = made(2, none);

  r.overhead = 1e-3;
  cprof_timeit_stats(&r);
  assert_int_equal(r.warnings, CPROF_TIMEIT_WARN_ZERO);
  char *text = printed(cprof_timeit_print_warnings, &r);
  assert_string_equal(
      text, "cprof: timeit: the statement takes about no time: 240 ns a "
            "loop, under 250 ns (a quarter of the empty loop's time, or the "
            "clock's resolution), so the compiler has probably removed it. "
            "Keep its result with cprof_keep(x), and an input that does not "
            "change from loop to loop too; or it is too cheap to time alone: "
            "time several in one statement (docs/timeit.md).\n");
  free(text);
  r = made(2, some);
  r.overhead = 1e-3;
  cprof_timeit_stats(&r);
  assert_int_equal(r.warnings, 0);
  const double below[] = {0.9e-9, 0.9e-9}, above[] = {1.1e-9, 1.1e-9};
  r = made(2, below);
  r.resolution = 1e-6;
  cprof_timeit_stats(&r);
  assert_int_equal(r.warnings, CPROF_TIMEIT_WARN_ZERO);
  r = made(2, above);
  r.resolution = 1e-6;
  cprof_timeit_stats(&r);
  assert_int_equal(r.warnings, 0);
}

static void test_lines(void **state) {
  (void)state;
  struct cprof_timeit_result r;
  char *text;

  memset(&r, 0, sizeof r);
  r.runs = 7;
  r.loops = 100000;
  r.mean = 1.23e-6;
  r.stdev = 4.5e-9;
  r.best = 1.234e-6;
  text = printed(cprof_timeit_print_ipython, &r);
  assert_string_equal(text, "1.23 \xc2\xb5s \xc2\xb1 4.5 ns per loop (mean "
                            "\xc2\xb1 std. dev. of 7 runs, 100,000 loops "
                            "each)\n");
  free(text);
  text = printed(cprof_timeit_print_python, &r);
  assert_string_equal(text, "100000 loops, best of 7: 1.23 usec per loop\n");
  free(text);
  r.runs = 1;
  r.loops = 1;
  r.mean = r.best = 2.5;
  r.stdev = 0;
  text = printed(cprof_timeit_print_ipython, &r);
  assert_string_equal(text, "2.5 s \xc2\xb1 0 ns per loop (mean \xc2\xb1 "
                            "std. dev. of 1 run, 1 loop each)\n");
  free(text);
  text = printed(cprof_timeit_print_python, &r);
  assert_string_equal(text, "1 loop, best of 1: 2.5 sec per loop\n");
  free(text);
}

static void test_format_time(void **state) {
  (void)state;
  static const struct {
    double seconds;
    const char *text;
  } cases[] = {{1.5, "1.5 s"},          {0.0123, "12.3 ms"},
               {999e-9, "999 ns"},      {1e-6, "1 \xc2\xb5s"},
               {4.56e-11, "0.0456 ns"}, {0, "0 ns"}};
  char out[32];

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cprof_timeit_format_time(out, sizeof out, cases[i].seconds);
    assert_string_equal(out, cases[i].text);
  }
}

static void test_autorange_sequence(void **state) {
  (void)state;
  const uint64_t want[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
  uint64_t n = 1;

  for (size_t i = 1; i < sizeof want / sizeof want[0]; i++)
    assert_int_equal(n = cprof__next_loops(n), want[i]);
}

/* Fixed loops: one warm-up run and RUNS timed ones, LOOPS each. */
static void test_iterations_exact(void **state) {
  (void)state;
  struct cprof_timeit_options o = fast;
  struct cprof_timeit_result r;
  uint64_t count = 0;

  o.loops = 1000;
  o.runs = 5;
  CPROF_TIMEIT_TO(&r, &o, (void)0, count++; cprof_keep(count));
  assert_int_equal(count, 6 * 1000);
  assert_int_equal(r.loops, 1000);
  assert_int_equal(r.runs, 5);
}

/* The timer's reads and the loop are subtracted.  Runs of 10 loops of an
 * empty statement: a run's raw time includes one read at least, a tenth of
 * a read per loop; once subtracted the best run is under half that.  The
 * clock steps by 20 ns on some virtual machines and a loaded machine spoils
 * many runs: hence as many runs as a result holds, each only 10 loops. */
static void test_overhead_subtracted(void **state) {
  (void)state;
  struct cprof_timeit_options o = fast;
  struct cprof_timeit_result r;
  double read = cprof_perf_counter_info().cost_ns * 1e-9;

  o.loops = 10;
  o.runs = CPROF_TIMEIT_MAX_RUNS;
  CPROF_TIMEIT_TO(&r, &o, (void)0, (void)0);
  printf("empty statement: %.3g ns a loop, a read %.3g ns, overhead %.3g ns\n",
         r.best * 1e9, read * 1e9, r.overhead * 1e9);
  assert_true(r.overhead > 0);
  assert_true(r.best < read / 10 / 2);
}

static long counted_calls;
static void count_call(void *ctx) { *(long *)ctx += 1; }

/* Autorange: loops 1, 2, 5, ... until a run lasts min_time (that run is
 * the warm-up), then 3 runs of that count; the function form. */
static void test_autorange(void **state) {
  (void)state;
  struct cprof_timeit_options o = fast;
  long expect = 0;

  o.runs = 3;
  struct cprof_timeit_result r =
      cprof_timeit("call", count_call, &counted_calls, &o);
  for (uint64_t n = 1; n <= r.loops; n = cprof__next_loops(n))
    expect += (long)n;
  expect += 3 * (long)r.loops;
  assert_int_equal(counted_calls, expect);
  uint64_t n = 1;
  while (n < r.loops)
    n = cprof__next_loops(n);
  assert_int_equal(n, r.loops); /* one of the sequence */
  assert_true(r.loops > 1);
}

static void test_perf_counter(void **state) {
  (void)state;
  struct cprof_perf_counter_info info = cprof_perf_counter_info();
  struct timespec nap = {0, 20000000}, a, b;

  assert_true(info.resolution_ns > 0 && info.resolution_ns < 1000);
  assert_true(info.cost_ns > 0 && info.cost_ns < 10000);
  /* The calibrated counter agrees with CLOCK_MONOTONIC_RAW over 20 ms to
   * 0.5% (plus 50 us for the reads between them), in one of 5 tries (a
   * try fails when another program's turn falls between two reads). */
  int agreed = 0;
  for (int try = 0; try < 5 && !agreed; try++) {
    clock_gettime(CLOCK_MONOTONIC_RAW, &a);
    uint64_t t0 = cprof_perf_counter_ns();
    nanosleep(&nap, NULL);
    uint64_t t1 = cprof_perf_counter_ns();
    clock_gettime(CLOCK_MONOTONIC_RAW, &b);
    double raw =
        (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
    double ours = (double)(t1 - t0);
    agreed = ours <= raw + 1000 && ours >= raw * 0.995 - 50000;
  }
  assert_true(agreed);
  double s0 = cprof_perf_counter();
  assert_true(cprof_perf_counter() >= s0);
}

/* A statement bounded below by the clock: nanosleep(200 us) lasts at least
 * that; well under 20 ms a loop even on a loaded machine. */
static void test_nanosleep(void **state) {
  (void)state;
  struct cprof_timeit_options o = fast;
  struct cprof_timeit_result r;
  struct timespec nap = {0, 200000};

  o.runs = 3;
  CPROF_TIMEIT_TO(&r, &o, (void)0, nanosleep(&nap, NULL));
  assert_true(r.best >= 200e-6);
  assert_true(r.best < 20e-3);
}

/* 64 dependent multiplies by an opaque 1.0: 64 times the latency of a
 * multiply, at least 3 cycles, so at least 0.5 ns each below 6 GHz. */
#define MUL8                                                                   \
  x *= m;                                                                      \
  x *= m;                                                                      \
  x *= m;                                                                      \
  x *= m;                                                                      \
  x *= m;                                                                      \
  x *= m;                                                                      \
  x *= m;                                                                      \
  x *= m;
#define MUL64 MUL8 MUL8 MUL8 MUL8 MUL8 MUL8 MUL8 MUL8

static double opaque_one(void) {
  volatile double one = 1.0;
  return one;
}

/* The chain of 2N against the chain of N: twice as long, up to the noise
 * of the machine and the loop around it.  On this shared two-core machine
 * timing one after the other gave ratios from 1.1 to 2.7 (the clock rate
 * changed in between), the median of interleaved pairs 1.55 to 2.69
 * (other programs' turns fall inside runs of 10 ms); the best runs of
 * 15 short interleaved ones each, 1.9 to 2.0. */
static void test_chain_ratio(void **state) {
  (void)state;
  struct cprof_timeit_options o = fast;
  struct cprof_compare_result c;

  o.runs = 15;
  o.min_time = 0.002;
  CPROF_COMPARE_TO(&c, &o, double m = opaque_one(); double x = m,
                                                    MUL64 cprof_keep(x),
                                                    MUL64 MUL64 cprof_keep(x));
  printf("chain of 128 / chain of 64: best %.3f, median %.3f (%.3f .. %.3f, "
         "%.1f%%)\n",
         c.best, c.ratio, c.low, c.high, 100 * c.confidence);
  assert_int_equal(c.pairs, 15);
  assert_true(c.low <= c.ratio && c.ratio <= c.high);
  assert_true(c.best > 1.5 && c.best < 2.7);
}

/* The order statistics' interval, for pairs whose ratios are known. */
static void test_compare_interval(void **state) {
  (void)state;
  struct cprof_timeit_result a, b;
  struct cprof_compare_result c;

  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  a.runs = b.runs = 10;
  for (int i = 0; i < 10; i++) {
    a.times[i] = 1;
    b.times[i] = 1 + 0.1 * ((i * 7) % 10); /* 1.0, 1.7, 1.4, ... 1.3 */
  }
  c = cprof_compare_ratio(&a, &b);
  /* 10 pairs: the 2nd smallest to the 2nd largest, 97.9% (the 3rd: 89%) */
  assert_int_equal(c.pairs, 10);
  assert_true(c.ratio > 1.449 && c.ratio < 1.451);
  assert_true(c.low > 1.099 && c.low < 1.101);
  assert_true(c.high > 1.799 && c.high < 1.801);
  assert_true(c.confidence > 0.978 && c.confidence < 0.979);
  a.runs = b.runs = 7; /* 7 pairs: min to max, 98.4% */
  c = cprof_compare_ratio(&a, &b);
  assert_true(c.low == 1.0 && c.high > 1.799 && c.high < 1.801);
  assert_true(c.confidence > 0.984 && c.confidence < 0.985);
  a.runs = b.runs = 5; /* 5 pairs: min to max, only 93.75% */
  c = cprof_compare_ratio(&a, &b);
  assert_true(c.confidence == 0.9375);
}

/* The chain of test_keep without cprof_keep(x), timed in a function of
 * its own, as the test's first version was: the loop around the tries
 * must not change how the statement compiles.  Returns its warnings. */
static __attribute__((noinline)) unsigned time_dropped(
    struct cprof_timeit_result *dropped) {
  CPROF_TIMEIT_TO(dropped, &fast, double m = opaque_one(), cprof_keep(m);
                  double x = m; MUL64(void) x);
  return dropped->warnings;
}

/* Each loop starts a fresh chain from m (which cprof_keep(m) makes the
 * compiler assume changed, so the chain is not hoisted out of the loop)
 * and drops it: without cprof_keep(x) the optimiser deletes the chain and
 * the loop costs what the empty loop does; with it the chain is computed. */
static void test_keep(void **state) {
  (void)state;
  struct cprof_timeit_result kept, dropped;

  CPROF_TIMEIT_TO(&kept, &fast, double m = opaque_one(), cprof_keep(m);
                  double x = m; MUL64 cprof_keep(x));
  /* A busy machine can lift the dropped statement's best run above the
   * floor (a quarter of the empty loop's): the best of five tries. */
  for (int try = 0; try < 5; try++)
    if (time_dropped(&dropped) & CPROF_TIMEIT_WARN_ZERO)
      break;
  printf("kept: %.3g ns, dropped: %.3g ns\n", kept.best * 1e9,
         dropped.best * 1e9);
  /* Chains of successive loops overlap: at least 64 multiplies at two a
   * cycle at 6 GHz. */
  assert_true(kept.best > 64 / 12e9);
  assert_true(dropped.best < 2e-9);
  /* and the statement deleted is said to be, where the compiler deletes
   * all of it: under ASan or TSan what is left of it per loop (0.13 ns
   * measured) is above a quarter of the empty loop's */
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  assert_true(dropped.warnings & CPROF_TIMEIT_WARN_ZERO);
#endif
  assert_false(kept.warnings & CPROF_TIMEIT_WARN_ZERO);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_figures),
      cmocka_unit_test(test_no_warning),
      cmocka_unit_test(test_warn_slowest),
      cmocka_unit_test(test_warn_outliers),
      cmocka_unit_test(test_warn_error),
      cmocka_unit_test(test_warn_unoptimized),
      cmocka_unit_test(test_warn_governor),
      cmocka_unit_test(test_warn_zero),
      cmocka_unit_test(test_lines),
      cmocka_unit_test(test_format_time),
      cmocka_unit_test(test_autorange_sequence),
      cmocka_unit_test(test_iterations_exact),
      cmocka_unit_test(test_autorange),
      cmocka_unit_test(test_overhead_subtracted),
      cmocka_unit_test(test_perf_counter),
      cmocka_unit_test(test_nanosleep),
      cmocka_unit_test(test_chain_ratio),
      cmocka_unit_test(test_compare_interval),
      cmocka_unit_test(test_keep),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
