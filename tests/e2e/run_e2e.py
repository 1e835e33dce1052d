#!/usr/bin/env python3
"""run_e2e.py - one end-to-end cprof test: compile, run, check the profile.

A test program carries its expectations in comments:

    // CHECK: fib ncalls=21891 pcalls=1
    // CHECK-EDGE: main -> fib ncalls=1 pcalls=1
    // CHECK-LINE: fib @loopbody hits=1000
    // CHECK-NOT: helper
    // ARGS: -fplugin-arg-cprof-all
    // CFLAGS: -flto
    // LANG: c++

A function is named by its readable name or its symbol, exactly as
`prstats --format json` prints them.  Keys compare exact integers against
the function's (CHECK), the caller edge's (CHECK-EDGE, checked from both
ends) or the line's (CHECK-LINE) fields.  `@NAME` stands for the line that
carries the marker comment `// @NAME`; a plain number is a line number.
A line absent from "lines" has hits=0.  ARGS are written for the GCC plugin
(-fplugin-arg-cprof-KEY) and renamed for the plugin under test; CFLAGS go
to the compiler as they are, for every toolchain.  `--mode KEY` adds
-fplugin-arg-cprof-KEY to a test's ARGS: the tests of line-hits, which must
count the same hits as the timed probes and leave every line's time null.

The program is built with the plugin at the given -O level, run with
CPROF_OUT in the work directory, and its profile read back with
`prstats --format json`.  Any mismatch prints expected and actual values
and the exit status is 1.
"""

import argparse
import json
import os
import re
import subprocess
import sys

DIRECTIVE = re.compile(r"//\s*(CHECK|CHECK-EDGE|CHECK-LINE|CHECK-NOT|ARGS|CFLAGS|LANG):\s*(.*?)\s*$")
MARKER = re.compile(r"//\s*@([\w.-]+)\s*$")
KEYVAL = re.compile(r"^(\w+)=(-?\d+)$")
TIMEOUT = 120  # seconds for any one step; the whole suite runs in minutes


class TestError(Exception):
    """A problem with the test itself or a step that failed to run."""


class Skip(Exception):
    """The test cannot run here: exit with ctest's SKIP_RETURN_CODE."""


SKIP = 77


def split_keys(text, where):
    """'name words k=1 j=2' -> ('name words', {'k': 1, 'j': 2})."""
    words = text.split()
    keys = {}
    while words and KEYVAL.match(words[-1]):
        key, value = KEYVAL.match(words.pop()).groups()
        keys[key] = int(value)
    if not words:
        raise TestError(f"{where}: no function named in '{text}'")
    return " ".join(words), keys


class Test:
    """The directives and markers of one test source."""

    def __init__(self, path):
        self.path = path
        self.checks = []  # (where, kind, text)
        self.args = []
        self.cflags = []
        self.lang = "c++" if path.endswith((".cpp", ".cc", ".cxx")) else "c"
        self.markers = {}
        try:
            with open(path, encoding="utf-8") as src:
                lines = src.read().splitlines()
        except OSError as err:
            raise TestError(f"{path}: cannot read: {err.strerror}")
        for number, line in enumerate(lines, 1):
            self.parse_line(f"{path}:{number}", number, line)
        if not any(kind.startswith("CHECK") for _, kind, _ in self.checks):
            raise TestError(f"{path}: no CHECK lines: a test that checks nothing cannot fail")

    def parse_line(self, where, number, line):
        marker = MARKER.search(line)
        if marker:
            name = marker.group(1)
            if name in self.markers:
                raise TestError(f"{where}: marker @{name} already on line {self.markers[name]}")
            self.markers[name] = number
        directive = DIRECTIVE.search(line)
        if not directive:
            return
        kind, text = directive.groups()
        if kind == "ARGS":
            self.args += text.split()
        elif kind == "CFLAGS":
            self.cflags += text.split()
        elif kind == "LANG":
            if text not in ("c", "c++"):
                raise TestError(f"{where}: LANG must be c or c++, not '{text}'")
            self.lang = text
        else:
            self.checks.append((where, kind, text))

    def line_number(self, where, token):
        if token.startswith("@"):
            if token[1:] not in self.markers:
                raise TestError(f"{where}: no '// {token}' marker in the source")
            return self.markers[token[1:]]
        if token.isdigit():
            return int(token)
        raise TestError(f"{where}: '{token}' is neither @MARKER nor a line number")


def run(cmd, what, **kwargs):
    """Runs a step; a failure raises TestError with its output."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, **kwargs)
    except subprocess.TimeoutExpired:
        raise TestError(f"{what} timed out after {TIMEOUT} s: {' '.join(cmd)}")
    except OSError as err:
        raise TestError(f"{what}: cannot run {cmd[0]}: {err.strerror}")
    if proc.returncode != 0:
        raise TestError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                        f"{proc.stdout}{proc.stderr}")
    return proc.stdout


INCLUDE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include")


def env_cflags():
    """Flags every test program gets: cprof.h's directory, and e.g.
    -fsanitize=address from a sanitizer build (CPROF_TEST_CFLAGS, set by
    tests/CMakeLists.txt)."""
    return [f"-I{os.path.normpath(INCLUDE_DIR)}"] + os.environ.get("CPROF_TEST_CFLAGS", "").split()


def build(opts, test, exe):
    driver = opts.cxx if test.lang == "c++" else opts.cc
    args = [a.replace("-fplugin-arg-cprof-", f"-fplugin-arg-{opts.plugin_name}-", 1)
            for a in test.args]
    cmd = [driver, f"-fplugin={opts.plugin}", *args, opts.opt, *test.cflags, *env_cflags(),
           "-Wall", "-Werror",
           "-x", test.lang, test.path, "-x", "none", "-o", exe,
           f"-L{opts.rt_dir}", f"-Wl,-rpath,{opts.rt_dir}", "-lcprof"]
    run(cmd, "compile")


def profile(opts, test):
    """Builds and runs the test, returns prstats' JSON."""
    os.makedirs(opts.workdir, exist_ok=True)
    exe = os.path.join(opts.workdir, "test")
    out = os.path.join(opts.workdir, "cprof.out")
    if os.path.exists(out):
        os.remove(out)
    build(opts, test, exe)
    env = dict(os.environ, CPROF_OUT=out)
    env["LD_LIBRARY_PATH"] = os.pathsep.join(filter(None, [opts.rt_dir, env.get("LD_LIBRARY_PATH")]))
    run([exe], "test program", cwd=opts.workdir, env=env)
    if not os.path.exists(out):
        raise TestError(f"test program wrote no profile ({out})")
    text = run([opts.prstats, "--format", "json", out], "prstats")
    try:
        return json.loads(text)
    except ValueError as err:
        raise TestError(f"prstats printed invalid JSON: {err}")


class Checker:
    """Compares the directives with one profile; collects the failures."""

    def __init__(self, test, data):
        self.test = test
        self.functions = data.get("functions", [])
        self.failures = []

    def find(self, where, name):
        """The function named `name` (readable name or symbol), or None."""
        found = [f for f in self.functions if f.get("name") == name]
        found = found or [f for f in self.functions if f.get("symbol") == name]
        if len(found) > 1:
            raise TestError(f"{where}: '{name}' names {len(found)} functions")
        return found[0] if found else None

    def need(self, where, name):
        fn = self.find(where, name)
        if fn is None:
            names = ", ".join(sorted(f.get("name", "?") for f in self.functions))
            self.fail(where, f"function '{name}' not in the profile (it has: {names})")
        return fn

    def fail(self, where, message):
        self.failures.append(f"{where}: {message}")

    def compare(self, where, what, record, keys):
        for key, want in keys.items():
            got = record.get(key)
            if got != want:
                self.fail(where, f"{what}: expected {key}={want}, got {key}={got}")

    def check(self, where, kind, text):
        handlers = {"CHECK": self.check_function, "CHECK-NOT": self.check_absent,
                    "CHECK-EDGE": self.check_edge, "CHECK-LINE": self.check_line}
        handlers[kind](where, text)

    def check_function(self, where, text):
        name, keys = split_keys(text, where)
        fn = self.need(where, name)
        if fn is not None:
            self.compare(where, name, fn, keys)

    def check_absent(self, where, text):
        if self.find(where, text) is not None:
            self.fail(where, f"function '{text}' is in the profile but must not be")

    def check_edge(self, where, text):
        names, keys = split_keys(text, where)
        if " -> " not in names:
            raise TestError(f"{where}: CHECK-EDGE needs 'CALLER -> CALLEE'")
        caller_name, callee_name = (n.strip() for n in names.split(" -> ", 1))
        caller, callee = self.need(where, caller_name), self.need(where, callee_name)
        if caller is None or callee is None:
            return
        what = f"{caller_name} -> {callee_name}"
        for fn, side, other in ((callee, "callers", caller), (caller, "callees", callee)):
            edges = [e for e in fn.get(side, [])
                     if (e.get("name"), e.get("file"), e.get("line")) ==
                     (other.get("name"), other.get("file"), other.get("line"))]
            if not edges:
                self.fail(where, f"{what}: no such edge in {fn.get('name')}'s {side}")
            else:
                self.compare(where, f"{what} (in {fn.get('name')}'s {side})", edges[0], keys)

    def check_line(self, where, text):
        rest, keys = split_keys(text, where)
        if " " not in rest:
            raise TestError(f"{where}: CHECK-LINE needs 'FUNCTION @MARKER|LINE'")
        name, token = rest.rsplit(" ", 1)
        line = self.test.line_number(where, token)
        fn = self.need(where, name)
        if fn is None:
            return
        records = [r for r in fn.get("lines", []) if r.get("line") == line]
        record = records[0] if records else {"line": line, "hits": 0}
        self.compare(where, f"{name} line {line} ({token})", record, keys)


def glue_opt(argv):
    """argparse takes the '-O2' of '--opt -O2' for an option: make it --opt=-O2."""
    out = []
    for arg in argv:
        if out and out[-1] == "--opt":
            out[-1] = "--opt=" + arg
        else:
            out.append(arg)
    return out


def add_toolchain_args(parser):
    """The options naming the toolchain under test, which tests/CMakeLists.txt
    gives every test driver; parse them with parse_toolchain_args()."""
    parser.add_argument("--cc", required=True, help="C driver")
    parser.add_argument("--cxx", help="C++ driver (default: derived from --cc)")
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--plugin-name", required=True, choices=["cprof", "cprof_clang"])
    parser.add_argument("--rt-dir", required=True, help="directory of libcprof")
    parser.add_argument("--prstats", required=True)
    parser.add_argument("--opt", required=True, choices=["-O0", "-O2"])
    parser.add_argument("--workdir", required=True)


def parse_toolchain_args(parser):
    """The command line, with --opt glued and --cxx derived when not given."""
    opts = parser.parse_args(glue_opt(sys.argv[1:]))
    if opts.cxx is None:
        opts.cxx = re.sub(r"(gcc|clang|cc)(-[\d.]+)?$",
                          lambda m: {"gcc": "g++", "clang": "clang++", "cc": "c++"}[m.group(1)]
                          + (m.group(2) or ""), opts.cc)
    return opts


def run_test(label, body, *args):
    """Runs body(*args) and says how it went under `label`; returns the exit status.

    body raises TestError at a failure it cannot go on from, or returns
    the failures of checks that all ran (each is printed), or raises Skip.
    """
    try:
        failures = body(*args) or []
    except Skip as why:
        print(f"SKIP: {label}: {why}")
        return SKIP
    except TestError as err:
        failures = [str(err)]
    for failure in failures:
        print(f"FAIL: {label}: {failure}", file=sys.stderr)
    if failures:
        return 1
    print(f"PASS: {label}")
    return 0


def untimed_lines(data, timed):
    """Failures for line times present in line-hits mode, or absent without it."""
    return [f"{f['name']}: line {l['line']} has time {l['time']}"
            f"{'' if timed else ' in line-hits mode (expected null)'}"
            for f in data["functions"] for l in f.get("lines", [])
            if (l["time"] is None) == timed]


def check_source(opts):
    test = Test(opts.src)
    if opts.mode:
        test.args.append(f"-fplugin-arg-cprof-{opts.mode}")
    data = profile(opts, test)
    checker = Checker(test, data)
    for where, kind, text in test.checks:
        checker.check(where, kind, text)
    timed = not any(a.endswith("-line-hits") for a in test.args)
    return checker.failures + untimed_lines(data, timed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_toolchain_args(parser)
    parser.add_argument("--src", required=True)
    parser.add_argument("--mode", choices=["line-hits"],
                        help="build with -fplugin-arg-cprof-MODE as well")
    opts = parse_toolchain_args(parser)
    mode = f" {opts.mode}" if opts.mode else ""
    return run_test(f"{opts.src} ({opts.cc} {opts.opt}{mode})", check_source, opts)


if __name__ == "__main__":
    sys.exit(main())
