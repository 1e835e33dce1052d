"""CHECK directives against a profile, and the profile of a test program.

    // CHECK: fib ncalls=21891 pcalls=1
    // CHECK-EDGE: main -> fib ncalls=1 pcalls=1
    // CHECK-LINE: fib @loopbody hits=1000
    // CHECK-NOT: helper

A function is named by its readable name or its symbol, exactly as
`prstats --format json` prints them.  Keys compare the function's (CHECK),
the caller edge's (CHECK-EDGE, checked from both ends) or the line's
(CHECK-LINE) fields; a line absent from "lines" has hits=0.
"""

import json
import os

from .source import Source, compare, split_keys
from .steps import TestError, run
from .toolchain import compile_program

KINDS = ("CHECK", "CHECK-EDGE", "CHECK-LINE", "CHECK-NOT")


def check_source(path):
    """The program at PATH with its CHECK directives."""
    return Source(path, KINDS)


def profile(opts, test):
    """Builds and runs the test program, returns prstats' JSON of its profile."""
    os.makedirs(opts.workdir, exist_ok=True)
    exe = os.path.join(opts.workdir, "test")
    out = os.path.join(opts.workdir, "cprof.out")
    if os.path.exists(out):
        os.remove(out)
    compile_program(opts, [test.path], exe, test.args, test.cflags, test.lang)
    run([exe], "test program", cwd=opts.workdir, env={**os.environ, **test.env, "CPROF_OUT": out})
    if not os.path.exists(out):
        raise TestError(f"test program wrote no profile ({out})")
    text = run([opts.prstats, "--format", "json", out], "prstats")
    try:
        return json.loads(text)
    except ValueError as err:
        raise TestError(f"prstats printed invalid JSON: {err}")


class Checker:
    """Compares a test's CHECK directives with one profile."""

    def __init__(self, test, data):
        self.test = test
        self.functions = data.get("functions", [])
        self.failures = []

    def run(self):
        """The failures of every directive."""
        handlers = {"CHECK": self.check_function, "CHECK-NOT": self.check_absent,
                    "CHECK-EDGE": self.check_edge, "CHECK-LINE": self.check_line}
        for where, kind, text in self.test.checks:
            handlers[kind](where, text)
        return self.failures

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
            self.failures.append(f"{where}: function '{name}' not in the profile "
                                 f"(it has: {names})")
        return fn

    def named_keys(self, where, text):
        name, keys = split_keys(text)
        if not name:
            raise TestError(f"{where}: no function named in '{text}'")
        return name, keys

    def check_function(self, where, text):
        name, keys = self.named_keys(where, text)
        fn = self.need(where, name)
        if fn is not None:
            self.failures += compare(where, name, fn, keys)

    def check_absent(self, where, text):
        if self.find(where, text) is not None:
            self.failures.append(f"{where}: function '{text}' is in the profile but must not be")

    def check_edge(self, where, text):
        names, keys = self.named_keys(where, text)
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
                self.failures.append(f"{where}: {what}: no such edge in {fn.get('name')}'s {side}")
            else:
                self.failures += compare(where, f"{what} (in {fn.get('name')}'s {side})",
                                         edges[0], keys)

    def check_line(self, where, text):
        rest, keys = self.named_keys(where, text)
        if " " not in rest:
            raise TestError(f"{where}: CHECK-LINE needs 'FUNCTION @MARKER|LINE'")
        name, token = rest.rsplit(" ", 1)
        line = self.test.line_number(where, token)
        fn = self.need(where, name)
        if fn is None:
            return
        records = [r for r in fn.get("lines", []) if r.get("line") == line]
        record = records[0] if records else {"line": line, "hits": 0}
        self.failures += compare(where, f"{name} line {line} ({token})", record, keys)
