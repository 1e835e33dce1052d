// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * line-range.cc - the lines a function's descriptor covers.
 *
 * Slots run from the first to the last line that has a probe.  With
 * inline counters (the default and the line-hits mode) a frame that
 * records nothing points at a scratch array of CPROF_LINE_HITS_MAX slots
 * (cprof/abi.h), so a longer function gets no line data there, and the
 * compiler says so.
 */
#include "cprof-policy.h"

#include <algorithm>

namespace cprof {

void LineRange::add(unsigned line) {
  first = std::min(first, line);
  last = std::max(last, line);
}

bool lines_fit(const Options &opts, const LineRange &lines,
               const std::string &name, std::string &why) {
  if (!opts.line_counters() || lines.count() <= CPROF_LINE_HITS_MAX)
    return true;
  why = "'" + name + "' spans more than " +
        std::to_string(CPROF_LINE_HITS_MAX) +
        " lines: profiled without per-line data";
  return false;
}

/* The descriptor flags that say how the lines are measured. */
static uint32_t line_flags(LineMode mode) {
  switch (mode) {
  case LineMode::none:
    return 0;
  case LineMode::sampled:
    return CPROF_FN_LINES | CPROF_FN_LINE_HITS | CPROF_FN_LINE_SAMPLED;
  case LineMode::hits:
    return CPROF_FN_LINES | CPROF_FN_LINE_HITS;
  case LineMode::timed:
    return CPROF_FN_LINES;
  }
  return 0;
}

void describe_lines(const Options &opts, unsigned line, const LineRange &lines,
                    struct cprof_fn &desc) {
  unsigned nlines = lines.count();

  desc.abi_version = CPROF_ABI_VERSION;
  desc.flags = (nlines ? line_flags(opts.line_mode) : 0) |
               (opts.memory ? CPROF_FN_MEMORY : 0);
  desc.line = line;
  desc.first_line = nlines ? lines.first : line;
  desc.nlines = nlines;
}

} // namespace cprof
