// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * line-range.cc - the lines a function's descriptor covers.
 *
 * Slots run from the first to the last line that has a probe.  In the
 * line-hits mode a frame that records nothing points at a scratch array
 * of CPROF_LINE_HITS_MAX slots (cprof/abi.h), so a longer function gets
 * no line data there, and the compiler says so.
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
  if (!opts.line_hits || lines.count() <= CPROF_LINE_HITS_MAX)
    return true;
  why = "'" + name + "' spans more than " +
        std::to_string(CPROF_LINE_HITS_MAX) +
        " lines: profiled without per-line data";
  return false;
}

void describe_lines(const Options &opts, unsigned line, const LineRange &lines,
                    struct cprof_fn &desc) {
  unsigned nlines = lines.count();

  desc.abi_version = CPROF_ABI_VERSION;
  desc.flags = (nlines ? CPROF_FN_LINES : 0) |
               (nlines && opts.line_hits ? CPROF_FN_LINE_HITS : 0) |
               (opts.memory ? CPROF_FN_MEMORY : 0);
  desc.line = line;
  desc.first_line = nlines ? lines.first : line;
  desc.nlines = nlines;
}

} // namespace cprof
