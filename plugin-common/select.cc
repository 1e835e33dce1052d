// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * select.cc - which functions cprof profiles, with either compiler.
 *
 * The `profile` attribute wins over everything but `naked` (no prologue
 * to call the runtime from).  `all` and `functions=` only reach code the
 * user wrote and did not exclude from instrumentation; a name given to
 * `functions=` matches the plain name, the qualified C++ name or any
 * symbol of the function.
 */
#include "cprof-policy.h"

#include <algorithm>

namespace cprof {

static bool named(const std::vector<std::string> &list,
                  const FunctionNames &names) {
  auto listed = [&](const std::string &name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };

  return listed(names.plain) || listed(names.qualified) ||
         std::any_of(names.symbols.begin(), names.symbols.end(), listed);
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
