// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * cprof-policy.h - what both compiler plugins decide alike.
 *
 * Plain C++17, no GCC or LLVM header: the GCC plugin and the Clang plugin
 * compile these files and only adapt them to their compiler (its way of
 * reporting, its names for a function).  options.cc parses and checks the
 * arguments of include/cprof/options.def; select.cc is the rule for which
 * functions are profiled; line-range.cc the lines a descriptor covers and
 * the limit of the inline counters; line-flow.cc which probes would find
 * the frame on their line already.  (Apache-2.0 like the Clang plugin, a
 * licence the GCC plugin's GPL-3.0 can take in.)
 */
#ifndef CPROF_POLICY_H
#define CPROF_POLICY_H

#include <functional>
#include <string>
#include <vector>

#include "cprof/abi.h"

namespace cprof {

constexpr char LinkSymbol[] = CPROF_LINK_NAME; /* abi.h */

/* How a function's lines are measured (docs/lines.md). */
enum class LineMode {
  none,    /* no line data: no-lines, or counts-only alone */
  sampled, /* the default: inline hit counters, and a store of the line
              into the frame's head for the runtime's sampler */
  hits,    /* line-hits: the inline hit counters alone */
  timed,   /* timed-lines: a __cprof_line call (a timer read) per line */
};

/* What the arguments asked for, one field per row of options.def. */
struct Options {
#define CPROF_FIELD_FLAG(id) bool id = false;
#define CPROF_FIELD_NAMES(id) std::vector<std::string> id;
#define CPROF_OPTION(id, key, kind, conflicts, help) CPROF_FIELD_##kind(id)
#include "cprof/options.def"
#undef CPROF_OPTION
#undef CPROF_FIELD_NAMES
#undef CPROF_FIELD_FLAG

  /* Derived from the flags by parse_options(). */
  LineMode line_mode = LineMode::sampled;

  bool lines() const { return line_mode != LineMode::none; }
  /* Whether the probes are inline counters rather than calls. */
  bool line_counters() const {
    return line_mode == LineMode::sampled || line_mode == LineMode::hits;
  }
};

/* One -fplugin-arg-NAME-KEY[=VALUE], with how the user spelled NAME. */
struct Argument {
  std::string plugin; /* NAME */
  std::string key;
  bool has_value = false; /* an '=' was given, even with nothing after it */
  std::string value;
};

/*
 * Fills `opts` from `args` and decides the line mode.  Returns one message
 * per problem (unknown key, value where none belongs, a missing list,
 * options that conflict), in the order of the arguments; empty: all is well.
 */
std::vector<std::string> parse_options(const std::vector<Argument> &args,
                                       Options &opts);

/* The help the `help` argument prints: a line per row of options.def. */
std::string help_text();

/*
 * The names a function goes by, any of which `functions=` may give; a
 * name with a parameter list is compared with `readable`, spaces aside.
 */
struct FunctionNames {
  std::string plain;                /* area */
  std::string qualified;            /* geo::Shape::area */
  std::vector<std::string> symbols; /* _ZNK3geo5Shape4areaEv (ctors: several) */
  std::string readable; /* geo::Shape::area() const, as the profile has it */
};

/* What a plugin knows about one function definition. */
struct Candidate {
  bool marked;    /* __attribute__((profile)) or [[gnu::profile]] */
  bool naked;     /* no prologue to call the runtime from */
  bool user_code; /* not compiler-generated, not in a system header, not
                     no_instrument_function: what `all` and `functions=` see */
  std::function<FunctionNames()> names; /* computed only if needed */
};

/* Whether `c` is profiled (select.cc has the rule). */
bool selected(const Options &opts, const Candidate &c);

/* The source lines a function's probes are on. */
struct LineRange {
  unsigned first = ~0u;
  unsigned last = 0;

  void add(unsigned line);
  bool empty() const { return last < first; }
  unsigned count() const { return empty() ? 0 : last - first + 1; }
};

/*
 * Whether a function on `lines` gets line data; if not, `why` is the
 * warning to give (without the plugin's prefix).  `name` is how the
 * compiler names the function to the user.
 */
bool lines_fit(const Options &opts, const LineRange &lines,
               const std::string &name, std::string &why);

/*
 * The descriptor fields that depend on the options and the lines:
 * abi_version, flags, line, first_line, nlines.  `line` is the line of
 * the function's name; an empty range means no line data.
 */
void describe_lines(const Options &opts, unsigned line, const LineRange &lines,
                    struct cprof_fn &desc);

/*
 * A basic block as line probes see it.  Its sites are the places where a
 * line starts, each on another line than the one before it in the block.
 */
struct ProbeBlock {
  std::vector<unsigned> preds;    /* blocks that reach it by an ordinary jump */
  bool entered_elsewhere = false; /* the function's entry, or reached by
                                     an exception or a longjmp too */
  unsigned last = 0;    /* the line of its last site; 0: it has none */
  bool forgets = false; /* a setjmp-like call: after it, any line */
};

/*
 * For each block, the line the frame is certainly on when the block
 * starts, or 0.  A first site on that line would count nothing: the
 * plugins leave it out (a one-line loop then runs without probes).
 */
std::vector<unsigned> lines_on_entry(const std::vector<ProbeBlock> &blocks);

} // namespace cprof

#endif /* CPROF_POLICY_H */
