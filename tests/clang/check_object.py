#!/usr/bin/env python3
"""check_object.py - the Clang plugin's lines cost no debug sections.

Compiles SRC to an object with the plugin at the given -O level and checks
that it is instrumented with line probes although the user did not ask
for -g, and that it has no debug section (.debug_*, .zdebug_*), in the
default line mode and in timed-lines.  The default mode's probes are
inline, so the timed-lines object shows that lines were found: it
references __cprof_enter, __cprof_line and __cprof_exit.  The same source
built with -g must have .debug_info, which shows the check can see one.
"""

import argparse
import os
import sys

from cprof_harness import steps

RUNTIME = ("__cprof_enter", "__cprof_line", "__cprof_exit")


def run(cmd):
    return steps.run(cmd, os.path.basename(cmd[0]))


def compile_object(opts, extra, name):
    driver = opts.cxx if opts.src.endswith(".cpp") else opts.cc
    obj = os.path.join(opts.workdir, name)
    run([driver, f"-fplugin={opts.plugin}", opts.opt, *extra, "-Werror", "-c", opts.src,
         "-o", obj])
    return obj


def sections(opts, obj):
    """Section names, from `readelf -S -W` lines like '[ 3] .text PROGBITS ...'."""
    names = []
    for line in run([opts.readelf, "-S", "-W", obj]).splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 1 and fields[0].startswith("[") and fields[0][1:-1].isdigit():
            names.append(fields[1])
    if ".text" not in names:
        raise steps.TestError(f"{obj}: no .text in `{opts.readelf} -S` output: cannot read sections")
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for arg in ("--cc", "--cxx", "--plugin", "--readelf", "--nm", "--src", "--workdir"):
        parser.add_argument(arg, required=True)
    parser.add_argument("--opt", required=True, choices=["-O0", "-O2"],
                        help="written --opt=-O2 (argparse takes -O2 for an option)")
    opts = parser.parse_args()
    os.makedirs(opts.workdir, exist_ok=True)
    return steps.run_test(f"{opts.src} {opts.opt}: instrumented with lines, no debug sections",
                          check, opts)


def check(opts):
    timed = compile_object(opts, ["-fplugin-arg-cprof_clang-timed-lines"], "timed.o")
    undefined = run([opts.nm, "-u", timed]).split()
    failures = [f"{timed}: no reference to {s}: not instrumented with lines"
                for s in RUNTIME if s not in undefined]
    for obj in (compile_object(opts, [], "plain.o"), timed):
        failures += [f"{obj}: debug section {s} without -g"
                     for s in sections(opts, obj) if s.startswith((".debug", ".zdebug"))]
    debug = compile_object(opts, ["-g"], "debug.o")
    if ".debug_info" not in sections(opts, debug):
        failures.append(f"{debug}: built with -g but no .debug_info seen")
    return failures


if __name__ == "__main__":
    sys.exit(main())
