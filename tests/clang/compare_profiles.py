#!/usr/bin/env python3
"""compare_profiles.py - one program profiled two ways must give the same counts.

Builds SRC with each of two toolchains ("CC|CXX|PLUGIN|NAME", as in
CPROF_E2E_TOOLCHAINS) at the same -O level, with the source's ARGS, CFLAGS
and LANG directives and any --first-cflags/--second-cflags, runs both the
way tests/e2e/run_e2e.py does, and compares what `prstats --format json`
reports:

  - the same functions (readable name, symbol, file, line; the variant
    of a constructor or destructor may differ: C1/C2, D1/D2);
  - for each, the same ncalls and pcalls;
  - the same caller and callee edges, with the same ncalls and pcalls;
  - the same lines with hits, with the same hit counts.

Times are not compared: they are measured, not counted.  The source's
CHECK lines must hold for both builds too (cprof_harness.checks).  Used for the GCC plugin against
the Clang plugin, for Clang without -g against Clang with -g (lines the
plugin recovers against the user's own), and for Clang with and without a
redundant -fpass-plugin=.  Any difference or failed check is printed and the
exit status is 1.
"""

import argparse
import os
import re
import sys

from cprof_harness import checks, steps, toolchain


STRUCTOR_VARIANT = re.compile(r"([CD])[0-5](?=[EI])")


def symbol_key(symbol):
    """The symbol, with a C++ constructor or destructor variant blurred."""
    if symbol and symbol.startswith("_Z"):
        return STRUCTOR_VARIANT.sub(r"\1*", symbol)
    return symbol


def function_key(fn):
    return (fn.get("name"), fn.get("file"), fn.get("line"))


def summary(data):
    """{function key: the facts compared} from prstats' JSON."""
    out = {}
    for fn in data.get("functions", []):
        edges = {}
        for side in ("callers", "callees"):
            for edge in fn.get(side, []):
                edges[(side, function_key(edge))] = (edge.get("ncalls"), edge.get("pcalls"))
        out[function_key(fn)] = {
            "symbol": symbol_key(fn.get("symbol")),
            "calls": (fn.get("ncalls"), fn.get("pcalls")),
            "edges": edges,
            "lines": {r["line"]: r["hits"] for r in fn.get("lines", []) if r.get("hits")},
        }
    return out


def describe(key):
    name, file, line = key
    return f"{name} ({os.path.basename(str(file))}:{line})"


def differences(first, second, names):
    """Readable differences between two summaries."""
    diffs = []
    for key in sorted(set(first) | set(second), key=str):
        if key not in first or key not in second:
            diffs.append(f"{describe(key)}: only in the {names[key in second]} profile")
            continue
        a, b = first[key], second[key]
        for what in ("symbol", "calls"):
            if a[what] != b[what]:
                diffs.append(f"{describe(key)}: {what} {names[0]} {a[what]} {names[1]} {b[what]}")
        for edge in sorted(set(a["edges"]) | set(b["edges"]), key=str):
            ea, eb = a["edges"].get(edge), b["edges"].get(edge)
            if ea != eb:
                diffs.append(f"{describe(key)}: {edge[0]} {describe(edge[1])} (ncalls, pcalls) "
                             f"{names[0]} {ea} {names[1]} {eb}")
        for line in sorted(set(a["lines"]) | set(b["lines"])):
            ha, hb = a["lines"].get(line, 0), b["lines"].get(line, 0)
            if ha != hb:
                diffs.append(f"{describe(key)}: line {line} hits {names[0]} {ha} {names[1]} {hb}")
    return diffs


def checked(test, data, name):
    """The failures of the test's CHECK lines against one profile."""
    return [f"{name}: {failure}" for failure in checks.Checker(test, data).run()]


def side_profile(opts, test, toolchain, cflags, subdir):
    """Builds, runs and reads the test with one toolchain: prstats' JSON."""
    cc, cxx, plugin, name = toolchain.split("|")
    side = argparse.Namespace(cc=cc, cxx=cxx, plugin=plugin, plugin_name=name,
                              rt_dir=os.path.abspath(opts.rt_dir), runtime="shared",
                              prstats=opts.prstats, opt=opts.opt,
                              workdir=os.path.join(opts.workdir, subdir))
    saved = test.cflags
    test.cflags = saved + cflags.split()
    try:
        return checks.profile(side, test)
    finally:
        test.cflags = saved


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", required=True, help="CC|CXX|PLUGIN|NAME")
    parser.add_argument("--second", required=True, help="CC|CXX|PLUGIN|NAME")
    parser.add_argument("--first-cflags", default="", help="extra flags for the first build")
    parser.add_argument("--second-cflags", default="", help="extra flags for the second build")
    parser.add_argument("--rt-dir", required=True, help="directory of libcprof")
    parser.add_argument("--prstats", required=True)
    parser.add_argument("--opt", required=True, choices=toolchain.OPT_LEVELS)
    parser.add_argument("--src", required=True)
    parser.add_argument("--workdir", required=True)
    opts = parser.parse_args(toolchain.glue_opt(sys.argv[1:]))
    names = [f"{os.path.basename(tc.split('|')[0])} {flags}".strip()
             for tc, flags in ((opts.first, opts.first_cflags),
                               (opts.second, opts.second_cflags))]
    return steps.run_test(f"{opts.src} {opts.opt}: {names[0]} and {names[1]} the same",
                          compare, opts, names)


def compare(opts, names):
    test = checks.check_source(opts.src)
    first = side_profile(opts, test, opts.first, opts.first_cflags, "first")
    second = side_profile(opts, test, opts.second, opts.second_cflags, "second")
    failures = checked(test, first, names[0]) + checked(test, second, names[1])
    first, second = summary(first), summary(second)
    if not first:
        raise steps.TestError(f"no function in the {names[0]} profile: nothing compared")
    return failures + differences(first, second, names)


if __name__ == "__main__":
    sys.exit(main())
