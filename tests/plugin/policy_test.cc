// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * policy_test.cc - plugin-common/ on its own: the messages about bad
 * arguments, `functions=` lists, the line mode, the selection rule, the
 * line-hits cap and the lines a block is known to start on.
 */
#include <cstdio>

#include "cprof-policy.h"

using namespace cprof;

static int failures;

#define CHECK_EQ(got, want) check((got) == (want), #got " == " #want, __LINE__)

static void check(bool ok, const char *what, int line) {
  if (!ok) {
    std::fprintf(stderr, "FAIL: policy_test.cc:%d: %s\n", line, what);
    failures++;
  }
}

static Argument arg(const char *key, const char *value = nullptr) {
  return {"cprof", key, value != nullptr, value ? value : ""};
}

static void test_messages() {
  Options o;
  std::vector<std::string> p =
      parse_options({arg("bogus"), arg("all", "1"), arg("functions", " , "),
                     arg("line-hits"), arg("no-lines")},
                    o);

  CHECK_EQ(p.size(), 4u);
  CHECK_EQ(p[0], "unknown option '-fplugin-arg-cprof-bogus' (the cprof plugin "
                 "takes all, functions=a,b, no-lines, counts-only, line-hits, "
                 "timed-lines, memory and help)");
  CHECK_EQ(p[1], "'-fplugin-arg-cprof-all' takes no value");
  CHECK_EQ(p[2], "'-fplugin-arg-cprof-functions' needs a list: "
                 "'-fplugin-arg-cprof-functions=a,b'");
  CHECK_EQ(p[3], "'-fplugin-arg-cprof-line-hits' and "
                 "'-fplugin-arg-cprof-no-lines' contradict each other");

  /* timed-lines goes with none of the other line modes, each said once. */
  Options t;
  p = parse_options({arg("no-lines"), arg("timed-lines"), arg("line-hits"),
                     arg("counts-only")},
                    t);
  CHECK_EQ(p.size(), 4u);
  CHECK_EQ(p[0], "'-fplugin-arg-cprof-no-lines' and "
                 "'-fplugin-arg-cprof-timed-lines' contradict each other");
  CHECK_EQ(p[1], "'-fplugin-arg-cprof-no-lines' and "
                 "'-fplugin-arg-cprof-line-hits' contradict each other");
  CHECK_EQ(p[2], "'-fplugin-arg-cprof-timed-lines' and "
                 "'-fplugin-arg-cprof-line-hits' contradict each other");
  CHECK_EQ(p[3], "'-fplugin-arg-cprof-timed-lines' and "
                 "'-fplugin-arg-cprof-counts-only' contradict each other");
}

static void test_functions() {
  Options o;

  CHECK_EQ(
      parse_options({arg("functions", "a, b"), arg("functions", " c ,,d\t")}, o)
          .size(),
      0u);
  CHECK_EQ(o.functions, (std::vector<std::string>{"a", "b", "c", "d"}));

  /* Commas inside parameter lists and template arguments join. */
  Options p;
  CHECK_EQ(parse_options({arg("functions", "f(int, int),pair<int, int>::get, "
                                           "operator<(A, A),operator->(),g")},
                         p)
               .size(),
           0u);
  CHECK_EQ(p.functions,
           (std::vector<std::string>{"f(int, int)", "pair<int, int>::get",
                                     "operator<(A, A)", "operator->()", "g"}));
  std::vector<std::string> bad =
      parse_options({arg("functions", "f(int"), arg("functions", "g)")}, p);
  CHECK_EQ(bad.size(), 2u);
  CHECK_EQ(bad[0], "'-fplugin-arg-cprof-functions=f(int': a parenthesis does "
                   "not match");
}

static LineMode mode_with(std::vector<Argument> args) {
  Options o;

  CHECK_EQ(parse_options(args, o).size(), 0u);
  return o.line_mode;
}

/* The descriptor flags of a function on lines 3..7 under `args`. */
static uint32_t flags_with(std::vector<Argument> args) {
  Options o;
  LineRange r;
  cprof_fn desc = {};

  CHECK_EQ(parse_options(args, o).size(), 0u);
  r.add(3);
  r.add(7);
  describe_lines(o, 2, r, desc);
  CHECK_EQ(desc.nlines, 5u);
  return desc.flags;
}

static void test_line_mode() {
  CHECK_EQ(mode_with({}) == LineMode::sampled, true);
  CHECK_EQ(mode_with({arg("no-lines")}) == LineMode::none, true);
  CHECK_EQ(mode_with({arg("counts-only")}) == LineMode::none, true);
  CHECK_EQ(mode_with({arg("line-hits")}) == LineMode::hits, true);
  CHECK_EQ(mode_with({arg("counts-only"), arg("line-hits")}) == LineMode::hits,
           true);
  CHECK_EQ(mode_with({arg("timed-lines")}) == LineMode::timed, true);

  CHECK_EQ(flags_with({}),
           CPROF_FN_LINES | CPROF_FN_LINE_HITS | CPROF_FN_LINE_SAMPLED);
  CHECK_EQ(flags_with({arg("line-hits")}), CPROF_FN_LINES | CPROF_FN_LINE_HITS);
  CHECK_EQ(flags_with({arg("counts-only"), arg("line-hits")}),
           CPROF_FN_LINES | CPROF_FN_LINE_HITS);
  CHECK_EQ(flags_with({arg("timed-lines")}), CPROF_FN_LINES);
  CHECK_EQ(flags_with({arg("no-lines"), arg("memory")}), CPROF_FN_MEMORY);
}

static void test_selection() {
  Options o;
  auto names = [] {
    return FunctionNames{"area",
                         "geo::Shape::area",
                         {"_ZNK3geo5Shape4areaEv"},
                         "geo::Shape::area() const"};
  };

  o.functions = {"_ZNK3geo5Shape4areaEv"};
  CHECK_EQ(selected(o, {true, true, true, names}), false);  /* naked */
  CHECK_EQ(selected(o, {true, false, false, names}), true); /* marked */
  CHECK_EQ(selected(o, {false, false, false, names}), false);
  CHECK_EQ(selected(o, {false, false, true, names}), true); /* its symbol */
  o.functions = {"Shape::area"};
  CHECK_EQ(selected(o, {false, false, true, names}), false);
  o.functions = {"geo::Shape::area()const"}; /* spaces aside */
  CHECK_EQ(selected(o, {false, false, true, names}), true);
  o.functions = {"geo::Shape::area(int) const"};
  CHECK_EQ(selected(o, {false, false, true, names}), false);
  auto c_names = [] { return FunctionNames{"root", "root", {"root"}, "root"}; };
  o.functions = {"root(double)"}; /* C: the name before the parameters */
  CHECK_EQ(selected(o, {false, false, true, c_names}), true);
  o.all = true;
  CHECK_EQ(selected(o, {false, false, true, names}), true);
}

static void test_line_cap() {
  Options o;
  LineRange r;
  std::string why;

  r.add(10);
  r.add(10 + CPROF_LINE_HITS_MAX - 1);
  CHECK_EQ(lines_fit(o, r, "f", why), true);
  r.add(10 + CPROF_LINE_HITS_MAX);
  /* The default mode's counters and line-hits' have the cap... */
  CHECK_EQ(lines_fit(o, r, "f", why), false);
  CHECK_EQ(why,
           "'f' spans more than 65536 lines: profiled without per-line data");
  o.line_mode = LineMode::hits;
  CHECK_EQ(lines_fit(o, r, "f", why), false);
  /* ... the calls of timed-lines do not. */
  o.line_mode = LineMode::timed;
  CHECK_EQ(lines_fit(o, r, "f", why), true);
}

static ProbeBlock block(std::vector<unsigned> preds, unsigned last,
                        bool elsewhere = false, bool forgets = false) {
  ProbeBlock b;

  b.preds = preds;
  b.last = last;
  b.entered_elsewhere = elsewhere;
  b.forgets = forgets;
  return b;
}

static void test_line_flow() {
  /* for (...) s += i; all on line 5, after line 4: 0 entry, 1 header,
     2 body, 3 after the loop. */
  CHECK_EQ(lines_on_entry({block({}, 5, true), block({0, 2}, 5), block({1}, 5),
                           block({1}, 6)}),
           (std::vector<unsigned>{0, 5, 5, 5}));
  /* The body on line 6: the header's ways in disagree. */
  CHECK_EQ(lines_on_entry({block({}, 5, true), block({0, 2}, 5), block({1}, 6),
                           block({1}, 7)}),
           (std::vector<unsigned>{0, 0, 5, 5}));
  /* A block without sites passes its line on; unreachable ones know none. */
  CHECK_EQ(lines_on_entry({block({}, 5, true), block({0}, 0), block({1}, 6),
                           block({}, 7)}),
           (std::vector<unsigned>{0, 5, 5, 0}));
  /* An exception or a setjmp-like call: any line. */
  CHECK_EQ(lines_on_entry({block({}, 5, true), block({0}, 5, true),
                           block({0}, 5, false, true), block({2}, 5)}),
           (std::vector<unsigned>{0, 0, 5, 0}));
}

int main() {
  test_messages();
  test_functions();
  test_line_mode();
  test_selection();
  test_line_cap();
  test_line_flow();
  if (failures)
    return 1;
  std::puts("PASS: policy_test");
  return 0;
}
