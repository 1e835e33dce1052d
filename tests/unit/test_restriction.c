/*
 * test_restriction.c - pstats' print restrictions, alone and in order.
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

static char err[256];

/* alpha .. epsilon: roots of 50, 40, 30, 20 and 10 ticks. */
static void five(struct stats *s) {
  static const char *const names[] = {"alpha", "beta", "gamma", "delta",
                                      "epsilon"};
  struct fb b;

  fb_init(&b, 1.0);
  for (uint32_t i = 0; i < 5; i++)
    fb_node(&b, CPROF_NO_PARENT, fb_func(&b, names[i], "/src/x.c", i + 1), 1,
            50 - 10 * i);
  th_load(s, &b, 0);
  fb_free(&b);
}

static void parse(struct restriction *r, const char *arg) {
  if (restriction_parse(r, arg, err, sizeof err))
    fail_msg("'%s' rejected: %s", arg, err);
}

static void test_kinds(void **state) {
  struct restriction r;

  (void)state;
  parse(&r, "3");
  assert_int_equal(r.kind, RESTRICT_COUNT);
  assert_int_equal(r.count, 3);
  parse(&r, "0");
  assert_int_equal(r.kind, RESTRICT_COUNT);
  assert_int_equal(r.count, 0);
  parse(&r, "0.25");
  assert_int_equal(r.kind, RESTRICT_FRACTION);
  assert_true(r.fraction == 0.25);
  parse(&r, ".5");
  assert_int_equal(r.kind, RESTRICT_FRACTION);
  parse(&r, "fib|main");
  assert_int_equal(r.kind, RESTRICT_REGEX);
  restriction_free(&r);
  parse(&r, "inf"); /* a name, though strtod would read a number */
  assert_int_equal(r.kind, RESTRICT_REGEX);
  restriction_free(&r);
}

static void expect_error(const char *arg, const char *needle) {
  struct restriction r;

  assert_int_equal(restriction_parse(&r, arg, err, sizeof err), -1);
  if (!strstr(err, needle))
    fail_msg("error '%s' does not mention '%s'", err, needle);
}

static void test_errors(void **state) {
  (void)state;
  expect_error("1.5", "restriction '1.5': expected a count of rows, a "
                      "fraction between 0 and 1");
  expect_error("1.0", "fraction between 0 and 1");
  expect_error("0.0", "fraction between 0 and 1");
  expect_error("-1", "restriction '-1'");
  expect_error("2x", "restriction '2x'");
  expect_error("", "empty restriction");
  expect_error("fib(", "restriction 'fib(': ");
}

/* The names a selection keeps, and its notes, after `args` in order. */
static void expect(const struct stats *s, const char *const *args, int n,
                   const char *names, const char *notes) {
  struct restriction r[4];
  struct report_opts o = th_opts("cumulative");
  struct selection sel;
  char got[128] = "";

  for (int i = 0; i < n; i++)
    parse(&r[i], args[i]);
  o.restrictions = r;
  o.nrestrictions = n;
  report_select(s, &o, &sel);
  for (size_t i = 0; i < sel.n; i++)
    snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " " : "",
             s->funcs[sel.func[i]].name);
  assert_string_equal(got, names);
  assert_string_equal(sel.notes, notes);
  assert_int_equal(sel.ran, 5);
  selection_free(&sel);
  for (int i = 0; i < n; i++)
    restriction_free(&r[i]);
}

#define ARGS(...)                                                              \
  (const char *const[]){__VA_ARGS__},                                          \
      sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)

static void test_apply(void **state) {
  struct stats s;

  (void)state;
  five(&s);
  expect(&s, NULL, 0, "alpha beta gamma delta epsilon", "");
  expect(&s, ARGS("2"), "alpha beta",
         "   List reduced from 5 to 2 due to restriction <2>\n");
  expect(&s, ARGS("10"), "alpha beta gamma delta epsilon", "");
  expect(&s, ARGS("0"), "",
         "   List reduced from 5 to 0 due to restriction <0>\n");
  /* pstats rounds: int(5 * 0.5 + .5) = 3 */
  expect(&s, ARGS("0.5"), "alpha beta gamma",
         "   List reduced from 5 to 3 due to restriction <0.5>\n");
  expect(&s, ARGS("0.1"), "alpha",
         "   List reduced from 5 to 1 due to restriction <0.1>\n");
  expect(&s, ARGS("ta\\)"), "beta delta",
         "   List reduced from 5 to 2 due to restriction <'ta\\\\)'>\n");
  expect(&s, ARGS(":[35]\\("), "gamma epsilon",
         "   List reduced from 5 to 2 due to restriction <':[35]\\\\('>\n");
  expect(&s, ARGS("x.c"), "alpha beta gamma delta epsilon", "");
  stats_free(&s);
}

/* Each restriction works on what the previous ones left. */
static void test_in_order(void **state) {
  struct stats s;

  (void)state;
  five(&s);
  expect(&s, ARGS("l", "2"), "alpha delta",
         "   List reduced from 5 to 3 due to restriction <'l'>\n"
         "   List reduced from 3 to 2 due to restriction <2>\n");
  expect(&s, ARGS("2", "l"), "alpha",
         "   List reduced from 5 to 2 due to restriction <2>\n"
         "   List reduced from 2 to 1 due to restriction <'l'>\n");
  expect(&s, ARGS("0.8", "ta\\)$", "1"), "beta",
         "   List reduced from 5 to 4 due to restriction <0.8>\n"
         "   List reduced from 4 to 2 due to restriction <'ta\\\\)$'>\n"
         "   List reduced from 2 to 1 due to restriction <1>\n");
  stats_free(&s);
}

/* Python's repr(): double quotes when the text holds a single one. */
static void test_repr(void **state) {
  struct stats s;

  (void)state;
  five(&s);
  expect(&s, ARGS("it's"), "",
         "   List reduced from 5 to 0 due to restriction <\"it's\">\n");
  expect(&s, ARGS("'\""), "",
         "   List reduced from 5 to 0 due to restriction <'\\'\"'>\n");
  stats_free(&s);
}

/* pstats prints neither the order nor the heading when no row is left. */
static void test_nothing_left(void **state) {
  struct stats s;
  struct restriction r;
  struct report_opts o = th_opts("cumulative");
  char *text;

  (void)state;
  five(&s);
  parse(&r, "nomatch");
  o.restrictions = &r;
  o.nrestrictions = 1;
  text = th_render(report_stats, &s, &o);
  assert_null(strstr(text, "Ordered by"));
  assert_null(strstr(text, "ncalls"));
  assert_non_null(strstr(text, "5 function calls in 150.000000 seconds"));
  free(text);
  text = th_render(report_callers, &s, &o);
  assert_string_equal(text, "");
  free(text);
  restriction_free(&r);
  stats_free(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_kinds), cmocka_unit_test(test_errors),
      cmocka_unit_test(test_apply), cmocka_unit_test(test_in_order),
      cmocka_unit_test(test_repr),  cmocka_unit_test(test_nothing_left),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
