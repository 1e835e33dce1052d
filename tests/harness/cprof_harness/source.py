"""The directives and markers of a test program: the one parser.

A test program carries its expectations in comments, `// KIND: text`.
Every driver knows these:

    // ARGS: -fplugin-arg-cprof-all     plugin arguments, GCC spelling
    // CFLAGS: -flto                    compiler flags, for every toolchain
    // LANG: c++                        the language (default: by suffix)
    // ENV: CPROF_MEMORY=0              the program's environment

and each names the kinds it checks (CHECK, CHECK-EDGE... for run_e2e.py;
MEM, MEM-LEAK... for memory_test.py); their text is kept, in order, for
the driver.  `// @NAME` at the end of a line marks that line: `@NAME` in
a directive stands for its number.  Keys at the end of a directive's
text compare integers: `k=N` exactly, `k>=N` and `k<=N` as bounds.
"""

import os
import re

from .steps import TestError

MARKER = re.compile(r"//\s*@([\w.-]+)\s*$")
KEY = re.compile(r"^(\w+)(=|>=|<=)(-?\d+)$")
COMMON = ("ARGS", "CFLAGS", "LANG", "ENV")


class Source:
    """One test program: path (absolute), lang, args, cflags, env,
    markers {name: line}, and checks [(where, kind, text)] of KINDS."""

    def __init__(self, path, kinds):
        self.path = os.path.abspath(path)
        self.lang = "c++" if path.endswith((".cpp", ".cc", ".cxx")) else "c"
        self.args, self.cflags, self.env = [], [], {}
        self.markers, self.checks = {}, []
        names = "|".join(re.escape(k) for k in sorted((*COMMON, *kinds), key=len, reverse=True))
        self.directive = re.compile(rf"//\s*({names}):\s*(.*?)\s*$")
        try:
            with open(path, encoding="utf-8") as src:
                lines = src.read().splitlines()
        except OSError as err:
            raise TestError(f"{path}: cannot read: {err.strerror}")
        for number, line in enumerate(lines, 1):
            self.parse_line(f"{path}:{number}", number, line)
        if not self.checks:
            raise TestError(f"{path}: no {' or '.join(kinds)} lines: "
                            "a test that checks nothing cannot fail")

    def parse_line(self, where, number, line):
        marker = MARKER.search(line)
        if marker:
            name = marker.group(1)
            if name in self.markers:
                raise TestError(f"{where}: marker @{name} already on line {self.markers[name]}")
            self.markers[name] = number
        directive = self.directive.search(line)
        if not directive:
            return
        kind, text = directive.groups()
        if kind == "ARGS":
            self.args += text.split()
        elif kind == "CFLAGS":
            self.cflags += text.split()
        elif kind == "ENV":
            self.env.update(item.split("=", 1) for item in text.split())
        elif kind == "LANG":
            if text not in ("c", "c++"):
                raise TestError(f"{where}: LANG must be c or c++, not '{text}'")
            self.lang = text
        else:
            self.checks.append((where, kind, text))

    def line_number(self, where, token):
        """`@NAME` or a plain number -> the line number."""
        if token.startswith("@"):
            if token[1:] not in self.markers:
                raise TestError(f"{where}: no '// {token}' marker in the source")
            return self.markers[token[1:]]
        if token.isdigit():
            return int(token)
        raise TestError(f"{where}: '{token}' is neither @MARKER nor a line number")


def split_keys(text):
    """'a b @c k=1 j>=2' -> ('a b @c', [('k', '=', 1), ('j', '>=', 2)])."""
    words, keys = text.split(), []
    while words and KEY.match(words[-1]):
        name, op, value = KEY.match(words.pop()).groups()
        keys.insert(0, (name, op, int(value)))
    return " ".join(words), keys


def holds(got, op, want):
    """Whether the value GOT meets `OP WANT` (None never does)."""
    if got is None:
        return False
    return got == want if op == "=" else got >= want if op == ">=" else got <= want


def compare(where, what, record, keys):
    """Failures of RECORD's fields against KEYS, from split_keys()."""
    return [f"{where}: {what}: expected {name}{op}{want}, got {name}={record.get(name)}"
            for name, op, want in keys if not holds(record.get(name), op, want)]
