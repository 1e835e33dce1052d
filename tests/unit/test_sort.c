/*
 * test_sort.c - sort keys: words, prefixes, ambiguity, and the orders.
 */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "builder.h"
#include "cprof-read/sort.h"

static char err[256];

static enum sort_key parse1(const char *word) {
  struct sort_spec spec = {0};
  if (sort_parse(&spec, word, err, sizeof err))
    fail_msg("'%s' rejected: %s", word, err);
  assert_int_equal(spec.nkeys, 1);
  return spec.key[0];
}

static void expect_error(const char *arg, const char *needle) {
  struct sort_spec spec = {0};
  assert_int_equal(sort_parse(&spec, arg, err, sizeof err), -1);
  if (!strstr(err, needle))
    fail_msg("error '%s' does not mention '%s'", err, needle);
}

static void test_words(void **state) {
  (void)state;
  assert_int_equal(parse1("calls"), SORT_CALLS);
  assert_int_equal(parse1("ncalls"), SORT_CALLS);
  assert_int_equal(parse1("cumtime"), SORT_CUM);
  assert_int_equal(parse1("cumulative"), SORT_CUM);
  assert_int_equal(parse1("filename"), SORT_FILE);
  assert_int_equal(parse1("module"), SORT_FILE);
  assert_int_equal(parse1("line"), SORT_LINE);
  assert_int_equal(parse1("name"), SORT_NAME);
  assert_int_equal(parse1("nfl"), SORT_NFL);
  assert_int_equal(parse1("pcalls"), SORT_PCALLS);
  assert_int_equal(parse1("stdname"), SORT_STDNAME);
  assert_int_equal(parse1("time"), SORT_TIME);
  assert_int_equal(parse1("tottime"), SORT_TIME);
}

static void test_prefixes(void **state) {
  (void)state;
  assert_int_equal(parse1("ca"), SORT_CALLS);
  assert_int_equal(parse1("cum"), SORT_CUM); /* cumtime = cumulative */
  assert_int_equal(parse1("cumu"), SORT_CUM);
  assert_int_equal(parse1("f"), SORT_FILE);
  assert_int_equal(parse1("l"), SORT_LINE);
  assert_int_equal(parse1("mod"), SORT_FILE);
  assert_int_equal(parse1("na"), SORT_NAME);
  assert_int_equal(parse1("nc"), SORT_CALLS);
  assert_int_equal(parse1("nf"), SORT_NFL);
  assert_int_equal(parse1("p"), SORT_PCALLS);
  assert_int_equal(parse1("s"), SORT_STDNAME);
  assert_int_equal(parse1("t"), SORT_TIME); /* time = tottime */
  assert_int_equal(parse1("tot"), SORT_TIME);
}

static void test_errors(void **state) {
  (void)state;
  expect_error("c", "ambiguous sort key 'c' (could be calls, cumtime, "
                    "cumulative)");
  expect_error("n", "ambiguous sort key 'n'");
  expect_error("cu,n", "ambiguous sort key 'n'");
  expect_error("x", "unknown sort key 'x'");
  expect_error("timex", "unknown sort key 'timex'");
  expect_error("Time", "unknown sort key 'Time'");
  expect_error("", "empty sort key");
  expect_error("time,", "empty sort key");
  expect_error("time,,calls", "empty sort key");
}

static void test_lists(void **state) {
  struct sort_spec spec = {0};
  char text[256];

  (void)state;
  assert_int_equal(sort_parse(&spec, "time,ca", err, sizeof err), 0);
  assert_int_equal(sort_parse(&spec, "nfl", err, sizeof err), 0);
  assert_int_equal(spec.nkeys, 3);
  assert_int_equal(spec.key[0], SORT_TIME);
  assert_int_equal(spec.key[1], SORT_CALLS);
  assert_int_equal(spec.key[2], SORT_NFL);
  sort_describe(&spec, text, sizeof text);
  assert_string_equal(text, "internal time, call count, name/file/line");
  for (int i = 3; i < SORT_MAX_KEYS; i++)
    assert_int_equal(sort_parse(&spec, "line", err, sizeof err), 0);
  assert_int_equal(sort_parse(&spec, "line", err, sizeof err), -1);
  assert_string_equal(err, "more than 16 sort keys");
}

/* Functions with chosen numbers, set directly on the merged model. */
static struct stats_func fn(const char *name, const char *file, uint32_t line,
                            uint64_t nc, uint64_t pc, double tt, double ct) {
  static char labels[8][64];
  static int used;
  struct stats_func f = {0};

  f.name = (char *)name;
  f.symbol = (char *)name;
  f.file = (char *)file;
  f.line = line;
  f.ncalls = nc;
  f.pcalls = pc;
  f.tottime = tt;
  f.cumtime = ct;
  f.stdname = labels[used++ % 8];
  snprintf(f.stdname, 64, "%s:%u(%s)", file, line, name);
  return f;
}

/* The order of names after sorting by `keys`, joined with spaces. */
static void check_order(struct stats *s, const char *keys, const char *want) {
  struct sort_spec spec = {0};
  uint32_t order[8];
  char got[128];
  size_t used = 0;

  assert_int_equal(sort_parse(&spec, keys, err, sizeof err), 0);
  sort_funcs(s, &spec, order);
  got[0] = '\0';
  for (size_t i = 0; i < s->nfuncs; i++)
    used += (size_t)snprintf(got + used, sizeof got - used, "%s%s",
                             i ? " " : "", s->funcs[order[i]].name);
  assert_string_equal(got, want);
}

static void test_orders(void **state) {
  struct stats_func f[] = {
      fn("b", "/a.c", 9, 5, 5, 1.0, 4.0),
      fn("a", "/a.c", 10, 7, 1, 3.0, 3.0),
      fn("c", "/a.c2", 2, 5, 2, 2.0, 9.0),
      fn("d", "/0.c", 50, 1, 1, 3.0, 0.5),
  };
  struct stats s = {.funcs = f, .nfuncs = 4};

  (void)state;
  check_order(&s, "calls", "a b c d"); /* 5 = 5: tie broken by name */
  check_order(&s, "pcalls", "b c a d");
  check_order(&s, "cumulative", "c b a d");
  check_order(&s, "time", "a d c b");
  check_order(&s, "time,name", "a d c b");
  check_order(&s, "time,calls", "a d c b");
  check_order(&s, "filename", "d a b c");
  check_order(&s, "line", "c b a d");
  check_order(&s, "name", "a b c d");
  check_order(&s, "nfl", "a b c d");
  /* stdname compares text: "/a.c2:" < "/a.c:10" < "/a.c:9" (':' > '2') */
  check_order(&s, "stdname", "d c a b");
  check_order(&s, "calls,cum", "a c b d");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_words),  cmocka_unit_test(test_prefixes),
      cmocka_unit_test(test_errors), cmocka_unit_test(test_lists),
      cmocka_unit_test(test_orders),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
