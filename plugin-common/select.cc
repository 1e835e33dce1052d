// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * select.cc - which functions cprof profiles, with either compiler.
 *
 * The `profile` attribute wins over everything but `naked` (no prologue
 * to call the runtime from).  `all` and `functions=` only reach code the
 * user wrote and did not exclude from instrumentation; a name given to
 * `functions=` matches the plain name, the qualified C++ name or any
 * symbol of the function, or, written with its parameters, the name the
 * profile prints (checked_sqrt(double), geo::Shape::area() const), where
 * spaces do not count.  A C function's profile name has no parameters:
 * there the name before them must match, C having one function a name.
 */
#include "cprof-policy.h"

#include <algorithm>

namespace cprof {

static std::string without_spaces(std::string text) {
  text.erase(std::remove_if(text.begin(), text.end(),
                            [](char c) { return c == ' ' || c == '\t'; }),
             text.end());
  return text;
}

static bool matches(const std::string &name, const FunctionNames &names) {
  size_t params = name.find('(');

  if (params == std::string::npos)
    return name == names.plain || name == names.qualified ||
           std::find(names.symbols.begin(), names.symbols.end(), name) !=
               names.symbols.end();
  if (names.readable.find('(') == std::string::npos)
    return without_spaces(name.substr(0, params)) == names.qualified;
  return without_spaces(name) == without_spaces(names.readable);
}

static bool named(const std::vector<std::string> &list,
                  const FunctionNames &names) {
  return std::any_of(list.begin(), list.end(), [&](const std::string &name) {
    return matches(name, names);
  });
}

bool selected(const Options &opts, const Candidate &c) {
  if (c.naked)
    return false;
  if (c.marked)
    return true;
  if (!c.user_code)
    return false;
  return opts.all ||
         (!opts.functions.empty() && named(opts.functions, c.names()));
}

} // namespace cprof
