#!/usr/bin/env python3
"""run_e2e.py - one end-to-end cprof test: compile, run, check the profile.

    run_e2e.py --src FILE [--mode line-hits|timed-lines] --cc CC [--cxx CXX] --plugin PATH
               --plugin-name NAME --rt-dir DIR [--runtime shared|static]
               --prstats PATH --opt -O0|-O1|-O2|-O3|-Os --workdir DIR

The program carries its expectations in CHECK comments (cprof_harness.checks)
and may say how to build it (ARGS, CFLAGS, LANG: cprof_harness.source).  It
is built with the plugin at the -O level, linked with the shared or the
static runtime, run with CPROF_OUT in the work directory, and its profile
read back with `prstats --format json`.  `--mode KEY` adds
-fplugin-arg-cprof-KEY to the test's ARGS: the tests of the other line
modes, which must count the same hits.  Only the timed-lines mode times
its lines: the default mode samples them (prstats shows no line time of
such a function, whatever the samples) and line-hits leaves them
untimed, so there every line's time must be null, and with timed-lines
none.  Any mismatch prints expected and actual values and the exit
status is 1.
"""

import argparse
import sys

from cprof_harness import checks, steps, toolchain


def line_times(data, args):
    """Failures for line times that the mode built should not give: timed
    lines always have a time, hits-only lines never, sampled lines (the
    default) when the sampler caught their function at least once."""
    timed = any(a.endswith("-timed-lines") for a in args)
    hits_only = any(a.endswith(("-line-hits", "-counts-only")) for a in args)
    failures = []
    for f in data["functions"]:
        if not f.get("lines"):
            continue
        if not timed and not hits_only and f["line_mode"] != "sampled":
            failures.append(f"{f['name']}: line mode {f['line_mode']}, expected sampled")
        want = timed or (not hits_only and f["samples"] > 0)
        failures += [f"{f['name']}: line {l['line']} has time {l['time']}, expected "
                     f"{'a time' if want else 'null'} ({f['samples']} samples)"
                     for l in f["lines"] if (l["time"] is None) == want]
    return failures


def check_program(opts):
    test = checks.check_source(opts.src)
    if opts.mode:
        test.args.append(f"-fplugin-arg-cprof-{opts.mode}")
    data = checks.profile(opts, test)
    return checks.Checker(test, data).run() + line_times(data, test.args)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    toolchain.add_toolchain_args(parser)
    parser.add_argument("--src", required=True)
    parser.add_argument("--mode", choices=["line-hits", "timed-lines"],
                        help="build with -fplugin-arg-cprof-MODE as well")
    opts = toolchain.parse_toolchain_args(parser)
    mode = f", {opts.mode}" if opts.mode else ""
    return steps.run_test(f"{opts.src} ({toolchain.describe(opts)}{mode})", check_program, opts)


if __name__ == "__main__":
    sys.exit(main())
