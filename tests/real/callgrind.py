"""callgrind.py - call counts per function and per edge from a callgrind file.

Reads the file `valgrind --tool=callgrind --compress-strings=no
--compress-pos=no` writes (names spelled out on every line).  The lines
that matter:

    fl=FILE      the file of the functions that follow
    fi=/fe=FILE  inlined code of another file, inside the current function
    fn=NAME      a function (of the current fl) whose costs follow
    cfi=/cfl=F   the file of the next call's target, when it is not the
                 current file
    cfn=NAME     the target of the next call
    calls=N POS  that call happened N times

Callgrind names recursion levels NAME'2, NAME'3...: they are the same
function and are added up.  A function is (name, file), since static
functions of different files may share a name; only functions of files
under one directory (the program's sources) are kept, and so only the
edges between two of them.
"""
import os
import re
from collections import Counter

from cprof_harness import steps

RECURSION = re.compile(r"'\d+$")


class Sources:
    """The program's own files: real paths under one directory."""

    def __init__(self, under):
        self.top = os.path.realpath(under) + os.sep
        self.known = {}  # file name as written -> real path, or None

    def function(self, name, file):
        """(name, real path) when FILE is one of ours, else None."""
        if file not in self.known:
            path = os.path.realpath(file) if file else ""
            self.known[file] = path if path.startswith(self.top) else None
        return (RECURSION.sub("", name), self.known[file]) if self.known[file] else None


def records(path):
    """The (tag, value) pairs of the file's "tag=value" lines."""
    try:
        with open(path, errors="replace") as data:
            for line in data:
                tag, sep, value = line.rstrip("\n").partition("=")
                if sep:
                    yield tag, value.strip()
    except OSError as err:
        raise steps.TestError(f"{path}: cannot read: {err.strerror}")


def parse(path, under):
    """Returns (calls, edges): Counter {(name, file): calls into it} and
    Counter {(caller, callee): calls}, over every call callgrind saw into
    functions of files under directory UNDER (file names as real paths);
    edges only between two such functions."""
    sources = Sources(under)
    calls, edges = Counter(), Counter()
    file = current = caller = callee = callee_file = None
    for tag, value in records(path):
        if tag == "fl":
            file = current = value
        elif tag in ("fi", "fe"):
            current = value
        elif tag == "fn":
            caller, current = sources.function(value, file), file
        elif tag in ("cfi", "cfl"):
            callee_file = value
        elif tag == "cfn":
            callee = value
        elif tag == "calls":
            target = sources.function(callee, callee_file or current)
            fields = value.split()
            if not fields or not fields[0].isdigit():
                raise steps.TestError(f"{path}: not a callgrind file: calls={value}")
            count = int(fields[0])
            if target:
                calls[target] += count
            if target and caller:
                edges[(caller, target)] += count
            callee_file = None
    return calls, edges
