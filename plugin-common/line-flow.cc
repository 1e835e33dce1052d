// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * line-flow.cc - where a line probe is known to be a no-op.
 *
 * A probe counts a hit only when the frame changes line (docs/lines.md),
 * so one whose line is the line every path into it leaves the frame on
 * can go: no count, no time changes.  Block by block, a forward data flow
 * finds that line: a block leaves the frame on the line of its last site,
 * or on the line it was entered with if it has none; a block is entered on
 * line L if all its predecessors leave the frame on L.  Paths from the
 * function's entry, from an exception or from a longjmp carry no line.
 *
 * Blocks start out as "no path seen yet" and only ever move down to a
 * line and then to "unknown", so the work list empties after each block
 * has changed at most twice.
 */
#include "cprof-policy.h"

namespace cprof {

static const unsigned Unseen = ~0u; /* no path into the block seen yet */
static const unsigned Unknown = 0;  /* paths disagree, or carry no line */

static unsigned meet(unsigned a, unsigned b) {
  return a == Unseen ? b : b == Unseen || a == b ? a : Unknown;
}

std::vector<unsigned> lines_on_entry(const std::vector<ProbeBlock> &blocks) {
  std::vector<std::vector<unsigned>> succs(blocks.size());
  std::vector<unsigned> in(blocks.size(), Unseen);
  std::vector<unsigned> work;
  std::vector<bool> queued(blocks.size(), true);

  for (unsigned b = 0; b < blocks.size(); b++) {
    for (unsigned p : blocks[b].preds)
      succs[p].push_back(b);
    work.push_back(b);
  }
  while (!work.empty()) {
    unsigned b = work.back();
    const ProbeBlock &block = blocks[b];
    unsigned entry = block.entered_elsewhere ? Unknown : Unseen;

    work.pop_back();
    queued[b] = false;
    for (unsigned p : block.preds) {
      const ProbeBlock &pred = blocks[p];
      entry = meet(entry, pred.forgets ? Unknown
                          : pred.last  ? pred.last
                                       : in[p]);
    }
    if (entry == in[b])
      continue;
    in[b] = entry;
    for (unsigned s : succs[b])
      if (!queued[s]) {
        queued[s] = true;
        work.push_back(s);
      }
  }
  for (unsigned &line : in)
    if (line == Unseen)
      line = Unknown;
  return in;
}

} // namespace cprof
