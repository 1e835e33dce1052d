// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * options.cc - the plugins' arguments, from the table in cprof/options.def.
 *
 * Every message names the argument as the user wrote it, so the same text
 * serves -fplugin-arg-cprof-KEY and -fplugin-arg-cprof_clang-KEY.
 */
#include "cprof-policy.h"

#include <cstddef>
#include <cstring>
#include <initializer_list>

namespace cprof {
namespace {

enum Id {
#define CPROF_OPTION(id, key, kind, conflicts, help) id,
#include "cprof/options.def"
#undef CPROF_OPTION
  NONE
};

/* The set of `ids`, one bit per Id. */
constexpr unsigned id_set(std::initializer_list<Id> ids) {
  unsigned set = 0;

  for (Id id : ids)
    set |= 1u << id;
  return set;
}
static_assert(NONE < 32, "options.def has more rows than a set holds");

/* A row of options.def; a FLAG sets `flag`, NAMES adds to `names`. */
struct Row {
  const char *key;
  bool Options::*flag;
  std::vector<std::string> Options::*names;
  unsigned conflicts; /* id_set() of the rows it cannot go with */
  const char *help;
};

const Row Table[] = {
#define CPROF_MEMBERS_FLAG(id) &Options::id, nullptr
#define CPROF_MEMBERS_NAMES(id) nullptr, &Options::id
#define CPROF_ID_SET(...) id_set({__VA_ARGS__})
#define CPROF_OPTION(id, key, kind, conflicts, help)                           \
  {key, CPROF_MEMBERS_##kind(id), CPROF_ID_SET conflicts, help},
#include "cprof/options.def"
#undef CPROF_OPTION
#undef CPROF_ID_SET
#undef CPROF_MEMBERS_NAMES
#undef CPROF_MEMBERS_FLAG
};

/* How a row's argument is written: "all", "functions=a,b". */
std::string usage(const Row &row) {
  return std::string(row.key) + (row.names ? "=a,b" : "");
}

std::string spelling(const std::string &plugin, const std::string &key) {
  return "'-fplugin-arg-" + plugin + "-" + key + "'";
}

/* "all, functions=a,b, ... and help", for the unknown-key message. */
std::string every_usage() {
  std::string list;
  const size_t n = sizeof Table / sizeof Table[0];

  for (size_t i = 0; i < n; i++)
    list += (i == 0 ? "" : i + 1 == n ? " and " : ", ") + usage(Table[i]);
  return list;
}

/*
 * Where the name that starts at `start` ends: at the next comma outside
 * parentheses and template arguments (f(int, int), pair<int, int>::get),
 * or at the end.  npos if a parenthesis is left open or was never opened.
 * The '<' and '>' of operator<, operator>> and the like are no brackets.
 */
size_t name_end(const std::string &list, size_t start) {
  int parens = 0, angles = 0;
  bool in_operator = false; /* in the symbol after "operator" */

  for (size_t i = start; i < list.size(); i++) {
    char c = list[i];
    bool after_keyword = i >= 8 && list.compare(i - 8, 8, "operator") == 0;

    in_operator = (after_keyword || in_operator) && c != '\0' &&
                  std::strchr("<>=-", c) != nullptr;
    if (in_operator)
      continue;
    if (c == ',' && !parens && !angles)
      return i;
    parens += (c == '(') - (c == ')');
    angles += (c == '<') - (c == '>');
    if (parens < 0)
      return std::string::npos;
  }
  return parens ? std::string::npos : list.size();
}

/*
 * The names of `functions=a, b`: split at commas between names, trimmed,
 * none empty.  False if a parenthesis does not match.
 */
bool split_names(const std::string &list, std::vector<std::string> &names) {
  static const char space[] = " \t";
  size_t start = 0;

  while (start <= list.size()) {
    size_t end = name_end(list, start);
    if (end == std::string::npos)
      return false;
    size_t first = list.find_first_not_of(space, start);
    if (first < end) {
      size_t last = list.find_last_not_of(space, end - 1);
      names.push_back(list.substr(first, last - first + 1));
    }
    start = end + 1;
  }
  return true;
}

/* An option the arguments set, and how the user wrote it. */
struct Given {
  Id id;
  std::string spelled;
};

/* Sets what `arg` asks for; the problem with it, or "". */
std::string apply(const Argument &arg, Options &opts,
                  std::vector<Given> &given) {
  for (const Row &row : Table) {
    if (arg.key != row.key)
      continue;
    given.push_back({Id(&row - Table), spelling(arg.plugin, arg.key)});
    if (row.flag) {
      opts.*row.flag = true;
      return arg.has_value ? given.back().spelled + " takes no value" : "";
    }
    std::vector<std::string> names;
    if (!split_names(arg.value, names))
      return spelling(arg.plugin, arg.key + "=" + arg.value) +
             ": a parenthesis does not match";
    if (names.empty())
      return given.back().spelled +
             " needs a list: " + spelling(arg.plugin, usage(row));
    std::vector<std::string> &list = opts.*row.names;
    list.insert(list.end(), names.begin(), names.end());
    return "";
  }
  return "unknown option " + spelling(arg.plugin, arg.key) +
         " (the cprof plugin takes " + every_usage() + ")";
}

/*
 * The line mode the flags leave (where two contradict, parse_options()
 * has said so).  Counts-only reads no timer and takes no samples: with
 * line-hits its lines are plain counters, without it it has none.
 */
LineMode line_mode(const Options &opts) {
  if (opts.no_lines || (opts.counts_only && !opts.line_hits))
    return LineMode::none;
  if (opts.timed_lines)
    return LineMode::timed;
  if (opts.line_hits)
    return LineMode::hits;
  return LineMode::sampled;
}

} // namespace

std::vector<std::string> parse_options(const std::vector<Argument> &args,
                                       Options &opts) {
  std::vector<std::string> problems;
  std::vector<Given> given; /* in the order of the arguments */

  for (const Argument &arg : args) {
    std::string problem = apply(arg, opts, given);
    if (!problem.empty())
      problems.push_back(problem);
  }
  /* Each pair once, from the later of the two (both rows name the other). */
  for (size_t i = 0; i < given.size(); i++)
    for (size_t j = 0; j < i; j++)
      if (Table[given[i].id].conflicts & (1u << given[j].id))
        problems.push_back(given[j].spelled + " and " + given[i].spelled +
                           " contradict each other");
  opts.line_mode = line_mode(opts);
  return problems;
}

std::string help_text() {
  static const size_t width = 16;
  std::string text;

  for (const Row &row : Table) {
    std::string name = usage(row);
    size_t pad = name.size() < width ? width - name.size() : 1;
    text += "  " + name + std::string(pad, ' ') + row.help + "\n";
  }
  return text;
}

} // namespace cprof
