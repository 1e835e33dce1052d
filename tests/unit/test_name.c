/*
 * test_name.c - functions named as people type them (func_name.h): the
 * parameter list cut off C++ signatures, then the kinds of match in
 * order, and ambiguity between overloads.
 */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cprof-read/func_name.h"
#include "harness.h"

static void expect_base(const char *name, const char *base) {
  assert_int_equal(func_base_len(name), strlen(base));
  assert_memory_equal(name, base, strlen(base));
}

static void test_base(void **state) {
  (void)state;
  expect_base("fib", "fib");
  expect_base("main", "main");
  expect_base("geo::checked_sqrt(double)", "geo::checked_sqrt");
  expect_base("ns::Shape::area() const", "ns::Shape::area");
  expect_base("S::get() const &&", "S::get");
  expect_base("operator()(int)", "operator()");
  expect_base("std::function<void (int)>::operator()(int) const",
              "std::function<void (int)>::operator()");
  expect_base("(anonymous namespace)::f(int (*)(int))",
              "(anonymous namespace)::f");
  expect_base("main::{lambda(int)#1}::operator()(int) const",
              "main::{lambda(int)#1}::operator()");
}

/* geo::area twice (overloads), a geoarea, and f in two files. */
static void names(struct stats *s, struct fb *b) {
  static const char *const fn[] = {
      "geo::area(geo::Circle const&)", "geo::area(geo::Square const&)",
      "geoarea(int)", "geo::checked_sqrt(double)", "f"};
  for (size_t i = 0; i < sizeof fn / sizeof fn[0]; i++)
    fb_node(b, CPROF_NO_PARENT, fb_func(b, fn[i], NULL, (uint32_t)i + 1), 1, 1);
  fb_node(b, CPROF_NO_PARENT, fb_func(b, "f", "/src/other.c", 1), 1, 1);
  th_load(s, b, 1);
}

/* The names func_lookup picks for query, joined by '|'; its return. */
static size_t lookup(const struct stats *s, const char *query, char *out) {
  char picked[8];
  size_t n = func_lookup(s, query, picked);

  out[0] = '\0';
  for (size_t i = 0; i < s->nfuncs; i++)
    if (picked[i])
      strcat(strcat(out, *out ? "|" : ""), s->funcs[i].name);
  return n;
}

static void test_lookup(void **state) {
  struct fb b;
  struct stats s;
  char got[512];

  (void)state;
  fb_init(&b, 1.0);
  names(&s, &b);
  assert_int_equal(lookup(&s, "geo::checked_sqrt", got), 1);
  assert_string_equal(got, "geo::checked_sqrt(double)");
  assert_int_equal(lookup(&s, "checked_sqrt", got), 1);
  assert_int_equal(lookup(&s, "area", got), 2); /* not geoarea */
  assert_string_equal(got, "geo::area(geo::Circle const&)|"
                           "geo::area(geo::Square const&)");
  assert_int_equal(lookup(&s, "geo::area(geo::Square const&)", got), 1);
  assert_int_equal(lookup(&s, "f", got), 2); /* one name, two files */
  assert_int_equal(lookup(&s, "rea", got), 0);
  assert_int_equal(lookup(&s, "", got), 0);
  stats_free(&s);
  fb_free(&b);
}

static void test_unique(void **state) {
  struct fb b;
  struct stats s;
  char picked[8], *text = NULL;
  size_t size = 0;
  FILE *err = open_memstream(&text, &size);

  (void)state;
  fb_init(&b, 1.0);
  names(&s, &b);
  func_lookup(&s, "f", picked);
  assert_int_equal(func_unique(&s, "f", picked, err), 0);
  func_lookup(&s, "geo::area", picked);
  assert_int_equal(func_unique(&s, "geo::area", picked, err), -1);
  fclose(err);
  assert_string_equal(text, "prstats: 'geo::area' is ambiguous: "
                            "/src/test.c:1(geo::area(geo::Circle const&)), "
                            "/src/test.c:2(geo::area(geo::Square const&))\n");
  free(text);
  stats_free(&s);
  fb_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_base),
      cmocka_unit_test(test_lookup),
      cmocka_unit_test(test_unique),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
