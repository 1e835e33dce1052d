#!/usr/bin/env python3
"""memory_test.py - one memory-tracing test: compile, run, check prstats --memory.

    memory_test.py --src FILE --cc CC --cxx CXX --plugin PATH --plugin-name NAME
                   --rt-dir DIR --prstats PATH --opt -O0|-O2 --workdir DIR

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
checks the process totals.  `k=N` is exact; `k>=N` and `k<=N` bound.

Every text report read back is also checked against the JSON, row by row,
with the size formatting of Python's own tracemalloc module, so the
layout is tracemalloc's exactly.  Exit status 0, 1 on a mismatch, 77 when
the plugin under test lacks an argument the test needs (skipped).
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tracemalloc
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))
import run_e2e  # noqa: E402  (compiler settings and the step runner)
from run_e2e import TestError  # noqa: E402

DIRECTIVE = re.compile(r"//\s*(MEM(?:-[A-Z]+)?|ARGS|ENV):\s*(.*?)\s*$")
MARKER = run_e2e.MARKER  # the same "// @NAME" line markers
BOUND = re.compile(r"^(\w+)(=|>=|<=)(-?\d+)$")


class Source:
    """The directives and markers of one test program."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.lang = "c++" if path.endswith(".cpp") else "c"
        self.checks, self.args, self.env, self.markers = [], [], {"CPROF_MEMORY": "1"}, {}
        with open(path, encoding="utf-8") as src:
            for number, line in enumerate(src.read().splitlines(), 1):
                self.parse(f"{path}:{number}", number, line)
        if not self.checks:
            raise TestError(f"{path}: no MEM lines: a test that checks nothing cannot fail")

    def parse(self, where, number, line):
        marker = MARKER.search(line)
        if marker:
            self.markers[marker.group(1)] = number
        directive = DIRECTIVE.search(line)
        if not directive:
            return
        kind, text = directive.groups()
        if kind == "ARGS":
            self.args += text.split()
        elif kind == "ENV":
            self.env.update(item.split("=", 1) for item in text.split())
        else:
            self.checks.append((where, kind, text))

    def key(self, where, token):
        """`@NAME` -> "FILE:LINE", as prstats keys lines."""
        if not token.startswith("@"):
            return token
        if token[1:] not in self.markers:
            raise TestError(f"{where}: no '// {token}' marker in the source")
        return f"{self.path}:{self.markers[token[1:]]}"


def split_bounds(where, text):
    """'a b @c k=1 j>=2' -> ('a b @c', [('k', '=', 1), ('j', '>=', 2)])."""
    words, bounds = text.split(), []
    while words and BOUND.match(words[-1]):
        name, op, value = BOUND.match(words.pop()).groups()
        bounds.insert(0, (name, op, int(value)))
    if not bounds:
        raise TestError(f"{where}: nothing to compare in '{text}'")
    return " ".join(words), bounds


def holds(got, op, want):
    return got is not None and (got == want if op == "=" else
                                got >= want if op == ">=" else got <= want)


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
        run_e2e.build(self.opts, types.SimpleNamespace(
            path=self.src.path, lang=self.src.lang, args=self.src.args, cflags=["-pthread"]),
            exe)
        env = dict(os.environ, CPROF_OUT=self.path("cprof.out"), **self.src.env)
        run_e2e.run([exe], "test program", cwd=self.opts.workdir, env=env)

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
        data = json.loads(run_e2e.run([self.opts.prstats, *flags, "-f", "json", *files],
                                      "prstats"))
        text = run_e2e.run([self.opts.prstats, *flags, *files], "prstats")
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

    def compare(self, where, what, record, bounds):
        for name, op, want in bounds:
            got = record.get(name)
            if not holds(got, op, want):
                self.failures.append(f"{where}: {what}: expected {name}{op}{want}, "
                                     f"got {name}={got}")

    def check(self, where, kind, text):
        if kind == "MEM-TOTAL":
            bounds = split_bounds(where, text)[1]
            return self.compare(where, "totals", self.prstats("--memory", "cprof.out"), bounds)
        absent = kind in ("MEM-ABSENT", "MEM-NOLEAK")
        name, bounds = (text, []) if absent else split_bounds(where, text)
        words = name.split()
        if kind in ("MEM-SNAPSHOT", "MEM-DIFF"):
            nfiles = 1 if kind == "MEM-SNAPSHOT" else 2
            files, words = words[:nfiles], words[nfiles:]
            flags = ("--memory",) if nfiles == 1 else ("--memory", "--diff")
            data = self.prstats(*flags, *files)
            key = self.src.key(where, " ".join(words))
        elif kind == "MEM-FUNCTION":
            data = self.prstats("--memory=function", "cprof.out")
            found = [s for s in data["sites"] if s.get("function") == name]
            key = found[0]["key"] if len(found) == 1 else name
        elif kind == "MEM-PATH":
            data = self.prstats("--memory=path", "cprof.out")
            path = " ".join(words[:-1])
            key = f"{self.src.key(where, words[-1])} ({path})"
        elif kind in ("MEM-LEAK", "MEM-NOLEAK"):
            data = self.prstats("--leaks", "cprof.out")
            key = self.src.key(where, name)
        else:  # MEM, MEM-ABSENT
            data = self.prstats("--memory", "cprof.out")
            key = self.src.key(where, name)
        if absent:
            if any(s["key"] == key for s in data["sites"]):
                self.failures.append(f"{where}: '{key}' should have no row")
            return None
        row = self.site(where, data, key)
        if row is not None:
            self.compare(where, key, row, bounds)
        return None


def plugin_lacks(opts, src):
    """True when the plugin under test rejects one of the test's arguments."""
    if not src.args:
        return False
    probe = os.path.join(opts.workdir, "probe.c")
    with open(probe, "w", encoding="utf-8") as f:
        f.write("int probe;\n")
    args = [a.replace("-fplugin-arg-cprof-", f"-fplugin-arg-{opts.plugin_name}-", 1)
            for a in src.args]
    proc = subprocess.run([opts.cc, f"-fplugin={opts.plugin}", *args, "-c", probe,
                           "-o", os.devnull], capture_output=True, text=True,
                          timeout=run_e2e.TIMEOUT)
    return proc.returncode != 0 and "unknown" in proc.stderr


def check_source(opts):
    src = Source(opts.src)
    os.makedirs(opts.workdir, exist_ok=True)
    if plugin_lacks(opts, src):
        raise run_e2e.Skip(f"{opts.plugin_name} does not take {' '.join(src.args)}")
    r = Run(opts, src)
    r.build_and_run()
    for where, kind, text in src.checks:
        r.check(where, kind, text)
    return r.failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    run_e2e.add_toolchain_args(parser)
    parser.add_argument("--src", required=True)
    opts = run_e2e.parse_toolchain_args(parser)
    return run_e2e.run_test(f"{opts.src} ({opts.cc} {opts.opt})", check_source, opts)


if __name__ == "__main__":
    sys.exit(main())
