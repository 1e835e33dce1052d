#!/usr/bin/env python3
"""memory_test.py - one memory-tracing test: compile, run, check prstats --memory.

    memory_test.py --src FILE --cc CC --cxx CXX --plugin PATH --plugin-name NAME
                   --rt-dir DIR [--runtime shared|static] --prstats PATH
                   --opt -O0|-O2 --workdir DIR

The program carries its expectations in comments:

    // MEM: @site size=0 count=0 allocs=10 alloc_bytes=1000 peak=100
    // MEM-FUNCTION: work peak=190
    // MEM-PATH: main > work @site allocs=10
    // MEM-ABSENT: @site
    // MEM-TOTAL: current=6 peak>=196
    // MEM-LEAK: @site count=1 size=6
    // MEM-NOLEAK: @site
    // MEM-SNAPSHOT: a.snap @site count=3
    // MEM-DIFF: a.snap b.snap @site size_diff=100 count_diff=1
    // ARGS: -fplugin-arg-cprof-memory      (plugin arguments, as in run_e2e.py)
    // ENV: CPROF_MEMORY=0                  (the program's environment)

MEM, MEM-FUNCTION and MEM-PATH look a group up in `prstats --memory
[=line|function|path] --format json` of the profile written at exit, by
its location (`@NAME`: the line carrying `// @NAME`; `<unprofiled>`), its
function's name, or its call path and location.  MEM-SNAPSHOT does the
same (by line) in a snapshot the program wrote with cprof_snapshot(),
MEM-DIFF in `--memory --diff OLD NEW` (a `*` in a file name matches
one file, e.g. a forked child's NAME.PID), MEM-LEAK in `--leaks`.  MEM-ABSENT
and MEM-NOLEAK say a group has no row by line, or in `--leaks`; MEM-TOTAL
checks the process totals.  `k=N` is exact; `k>=N` and `k<=N` bound
(directives, markers and keys: cprof_harness.source).  The program runs
with CPROF_MEMORY=1 unless its ENV says otherwise.

Every text report read back is also checked against the JSON, row by row,
with the size formatting of Python's own tracemalloc module, so the
layout is tracemalloc's exactly.  Exit status 0, or 1 on a mismatch (a
plugin that rejects one of the test's ARGS fails the compile step).
"""

import argparse
import glob
import json
import os
import sys
import tracemalloc

from cprof_harness import source, steps, toolchain
from cprof_harness.steps import TestError

KINDS = ("MEM", "MEM-FUNCTION", "MEM-PATH", "MEM-ABSENT", "MEM-TOTAL", "MEM-LEAK",
         "MEM-NOLEAK", "MEM-SNAPSHOT", "MEM-DIFF")


def location(src, where, token):
    """`@NAME` -> "FILE:LINE", as prstats keys lines; anything else as it is."""
    if not token.startswith("@"):
        return token
    return f"{src.path}:{src.line_number(where, token)}"


def split_bounds(where, text):
    """source.split_keys(), with at least one key."""
    name, bounds = source.split_keys(text)
    if not bounds:
        raise TestError(f"{where}: nothing to compare in '{text}'")
    return name, bounds


class Run:
    """The program built, run, and its reports read back."""

    def __init__(self, opts, src):
        self.opts, self.src = opts, src
        self.failures = []
        self.reports = {}

    def build_and_run(self):
        os.makedirs(self.opts.workdir, exist_ok=True)
        for name in os.listdir(self.opts.workdir):
            if ".out" in name or ".snap" in name:
                os.remove(os.path.join(self.opts.workdir, name))
        exe = os.path.join(self.opts.workdir, "test")
        toolchain.compile_program(self.opts, [self.src.path], exe, self.src.args,
                                  [*self.src.cflags, "-pthread"], self.src.lang)
        env = dict(os.environ, CPROF_OUT=self.path("cprof.out"), CPROF_MEMORY="1")
        env.update(self.src.env)
        steps.run([exe], "test program", cwd=self.opts.workdir, env=env)

    def path(self, name):
        return os.path.join(self.opts.workdir, name)

    def find(self, pattern):
        """The one file of the work directory that `pattern` names."""
        found = glob.glob(self.path(pattern))
        if len(found) != 1:
            raise TestError(f"{len(found)} files match {pattern} in {self.opts.workdir}")
        return found[0]

    def prstats(self, *args):
        """JSON and text of one report, the text checked against the JSON."""
        if args in self.reports:
            return self.reports[args]
        files = [self.find(a) for a in args if not a.startswith("-")]
        flags = [a for a in args if a.startswith("-")]
        data = json.loads(steps.run([self.opts.prstats, *flags, "-f", "json", *files],
                                      "prstats"))
        text = steps.run([self.opts.prstats, *flags, *files], "prstats")
        self.check_text(args, data, text)
        self.reports[args] = data
        return data

    def check_text(self, args, data, text):
        """Each row as tracemalloc's Statistic / StatisticDiff would print it."""
        fmt = tracemalloc._format_size
        rows = text.split("\n\n", 1)[1].splitlines() if "\n\n" in text else []
        want = []
        for s in data["sites"]:
            line = f"{s['key']}: size={fmt(s['size'], False)}"
            if "--diff" in args:
                line += f" ({fmt(s['size_diff'], True)}), count={s['count']} ({s['count_diff']:+d})"
            else:
                line += f", count={s['count']}"
            if s["count"]:
                line += f", average={fmt(s['size'] / s['count'], False)}"
            if "--diff" not in args:
                line += f", peak={fmt(s['peak'], False)}, allocs={s['allocs']}" \
                        f" ({fmt(s['alloc_bytes'], False)})"
            want.append(line)
        if "--diff" not in args and "--leaks" not in args:
            head = f"Traced memory: current={fmt(data['current'], False)}, " \
                   f"peak={fmt(data['peak'], False)}"
            if text.splitlines()[0] != head:
                self.failures.append(f"prstats {' '.join(args)}: first line "
                                     f"{text.splitlines()[0]!r}, want {head!r}")
        if rows != want:
            self.failures.append(f"prstats {' '.join(args)}: text rows differ from the "
                                 f"JSON in tracemalloc's layout:\n  got  {rows}\n  want {want}")

    def site(self, where, data, key):
        found = [s for s in data["sites"] if s["key"] == key or s.get("path") == key]
        if len(found) != 1:
            keys = ", ".join(s["key"] for s in data["sites"])
            self.failures.append(f"{where}: {len(found)} rows for '{key}' (rows: {keys})")
            return None
        return found[0]

    def check(self, where, kind, text):
        if kind == "MEM-TOTAL":
            totals = self.prstats("--memory", "cprof.out")
            self.failures += source.compare(where, "totals", totals, split_bounds(where, text)[1])
            return
        absent = kind in ("MEM-ABSENT", "MEM-NOLEAK")
        name, bounds = (text, []) if absent else split_bounds(where, text)
        words = name.split()
        if kind in ("MEM-SNAPSHOT", "MEM-DIFF"):
            nfiles = 1 if kind == "MEM-SNAPSHOT" else 2
            files, words = words[:nfiles], words[nfiles:]
            flags = ("--memory",) if nfiles == 1 else ("--memory", "--diff")
            data = self.prstats(*flags, *files)
            key = location(self.src, where, " ".join(words))
        elif kind == "MEM-FUNCTION":
            data = self.prstats("--memory=function", "cprof.out")
            found = [s for s in data["sites"] if s.get("function") == name]
            key = found[0]["key"] if len(found) == 1 else name
        elif kind == "MEM-PATH":
            data = self.prstats("--memory=path", "cprof.out")
            path = " ".join(words[:-1])
            key = f"{location(self.src, where, words[-1])} ({path})"
        elif kind in ("MEM-LEAK", "MEM-NOLEAK"):
            data = self.prstats("--leaks", "cprof.out")
            key = location(self.src, where, name)
        else:  # MEM, MEM-ABSENT
            data = self.prstats("--memory", "cprof.out")
            key = location(self.src, where, name)
        if absent:
            if any(s["key"] == key for s in data["sites"]):
                self.failures.append(f"{where}: '{key}' should have no row")
            return
        row = self.site(where, data, key)
        if row is not None:
            self.failures += source.compare(where, key, row, bounds)


def check_source(opts):
    src = source.Source(opts.src, KINDS)
    r = Run(opts, src)
    r.build_and_run()
    for where, kind, text in src.checks:
        r.check(where, kind, text)
    return r.failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    toolchain.add_toolchain_args(parser)
    parser.add_argument("--src", required=True)
    opts = toolchain.parse_toolchain_args(parser)
    return steps.run_test(f"{opts.src} ({toolchain.describe(opts)})", check_source, opts)


if __name__ == "__main__":
    sys.exit(main())
