/*
 * test_hist.c - percentiles read off the runtime's duration buckets.
 *
 * Bucket b holds the tick counts lower(b) .. lower(b + 1) - 1; calls are
 * taken as spread evenly over that range (tools/lib/hist.c).
 */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cprof/format.h"
#include "cprof-read/hist.h"

#define assert_close(x, want)                                                  \
  assert_true(fabs((x) - (double)(want)) <= 1e-9 * (1 + fabs((double)(want))))

static void add(uint64_t *count, uint64_t ticks, uint64_t calls) {
  count[cprof_hist_bucket(ticks)] += calls;
}

/* Below 4 ticks every bucket is one value: exact answers. */
static void test_exact(void **state) {
  uint64_t count[CPROF_HIST_BUCKETS] = {0};
  struct hist_summary h;

  (void)state;
  add(count, 2, 10);
  hist_summarize(count, &h);
  assert_int_equal(h.count, 10);
  assert_close(h.min, 2);
  assert_close(h.median, 2);
  assert_close(h.p99, 2);
  assert_close(h.max, 2);
}

/* 100 ticks land in [96, 111]; one call is spread over it. */
static void test_inside_a_bucket(void **state) {
  uint64_t count[CPROF_HIST_BUCKETS] = {0};
  struct hist_summary h;

  (void)state;
  add(count, 100, 1);
  assert_int_equal(cprof_hist_lower(cprof_hist_bucket(100)), 96);
  hist_summarize(count, &h);
  assert_close(h.min, 96);
  assert_close(h.median, 96 + 15 * 0.5);
  assert_close(h.p90, 96 + 15 * 0.9);
  assert_close(h.p99, 96 + 15 * 0.99);
  assert_close(h.max, 111);
}

/* 90 calls of 1 tick, 10 of 1000 ticks (bucket [896, 1023]). */
static void test_two_groups(void **state) {
  uint64_t count[CPROF_HIST_BUCKETS] = {0};
  struct hist_summary h;

  (void)state;
  add(count, 1, 90);
  add(count, 1000, 10);
  hist_summarize(count, &h);
  assert_int_equal(h.count, 100);
  assert_close(h.min, 1);
  assert_close(h.median, 1);
  assert_close(h.p90, 1);
  assert_close(h.p99, 896 + 127 * 0.9);
  assert_close(h.max, 1023);
  assert_close(hist_quantile(count, 0), 1);
  assert_close(hist_quantile(count, 1), 1023);
}

/* Longer than 2^40 ticks: the last bucket, whose top is unknown. */
static void test_last_bucket(void **state) {
  uint64_t count[CPROF_HIST_BUCKETS] = {0};
  struct hist_summary h;
  double last = (double)cprof_hist_lower(CPROF_HIST_BUCKETS - 1);

  (void)state;
  add(count, 1ull << 45, 3);
  hist_summarize(count, &h);
  assert_close(h.min, last);
  assert_close(h.median, last);
  assert_close(h.max, last);
}

static void test_empty(void **state) {
  uint64_t count[CPROF_HIST_BUCKETS] = {0};
  struct hist_summary h;

  (void)state;
  hist_summarize(count, &h);
  assert_int_equal(h.count, 0);
  assert_close(h.max, 0);
}

/* Every bucket's range, as the percentiles read it, is the format's. */
static void test_bucket_edges(void **state) {
  (void)state;
  for (uint32_t b = 0; b + 1 < CPROF_HIST_BUCKETS; b++) {
    uint64_t count[CPROF_HIST_BUCKETS] = {0};
    uint64_t top;
    count[b] = 1;
    top = (uint64_t)hist_quantile(count, 1);
    assert_int_equal(cprof_hist_bucket(cprof_hist_lower(b)), b);
    assert_int_equal(cprof_hist_bucket(top), b);
    assert_int_equal(cprof_hist_bucket(top + 1), b + 1);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exact),      cmocka_unit_test(test_inside_a_bucket),
      cmocka_unit_test(test_two_groups), cmocka_unit_test(test_last_bucket),
      cmocka_unit_test(test_empty),      cmocka_unit_test(test_bucket_edges),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
