#!/usr/bin/env python3
"""options_table.py - README.md's "Plugin arguments" table says what
include/cprof/options.def says.

    options_table.py SOURCE_DIR

The .def file is the one list of the plugins' arguments; the README's table
must have its rows in its order: the argument as written (`functions=a,b`
for a list), its help as the meaning (backticks are the README's own), and
what it conflicts with (the arguments, comma-separated, in options.def's
order).  Conflicts must name rows of the table and go both ways.  diagnostics.py reads the table through read_table() as well.
"""
import os
import re
import sys

ROW = re.compile(r'^CPROF_OPTION\((\w+),\s*"([^"\\]*)",\s*(\w+),\s*\(([\w,\s]*)\),\s*'
                 r'((?:"[^"\\]*"\s*)+)\)', re.M)
KINDS = {"FLAG": "", "NAMES": "=a,b"}


def read_table(source_dir):
    """[(id, usage, [conflicting ids], help)] in the order of options.def."""
    with open(os.path.join(source_dir, "include", "cprof", "options.def"), encoding="utf-8") as f:
        text = f.read()
    rows = []
    for ident, key, kind, conflicts, help_parts in ROW.findall(text):
        if kind not in KINDS:
            raise ValueError(f"options.def: {ident}: unknown kind {kind}")
        rows.append((ident, key + KINDS[kind], re.findall(r"\w+", conflicts),
                     "".join(re.findall(r'"([^"]*)"', help_parts))))
    if len(rows) != text.count("\nCPROF_OPTION("):
        raise ValueError("options.def: a CPROF_OPTION row this script cannot read")
    return rows


def readme_rows(source_dir):
    """[(argument, meaning, conflicts with)] of README.md's Plugin arguments table."""
    with open(os.path.join(source_dir, "README.md"), encoding="utf-8") as f:
        section = f.read().split("\n## Plugin arguments\n", 1)[1].split("\n## ", 1)[0]
    cells = [[c.strip() for c in line.strip().strip("|").split("|")]
             for line in section.split("\n") if line.startswith("|")]
    return [tuple(c.replace("`", "") for c in row) for row in cells[2:]]  # header, rule


def problems(source_dir):
    rows = read_table(source_dir)
    usage = {ident: use.split("=")[0] for ident, use, _, _ in rows}
    conflicts_of = {ident: conflicts for ident, _, conflicts, _ in rows}
    found = []
    for ident, _, conflicts, _ in rows:
        for other in conflicts:
            if other not in usage:
                found.append(f"options.def: {ident} conflicts with {other}, which is no row")
            elif ident not in conflicts_of[other]:
                found.append(f"options.def: {ident} conflicts with {other}, "
                             "but not the other way")
    order = list(usage)
    want = [(use, help_text, ", ".join(usage[c] for c in sorted(conflicts, key=order.index)
                                       if c in usage))
            for _, use, conflicts, help_text in rows]
    got = readme_rows(source_dir)
    for i in range(max(len(want), len(got))):
        w = want[i] if i < len(want) else "(no row)"
        g = got[i] if i < len(got) else "(no row)"
        if w != g:
            found.append(f"README.md, Plugin arguments, row {i + 1}: expected {w}, got {g}")
    return found


def main():
    found = problems(sys.argv[1])
    for problem in found:
        print(f"FAIL: {problem}", file=sys.stderr)
    if found:
        return 1
    print("PASS: README.md's plugin arguments are those of include/cprof/options.def")
    return 0


if __name__ == "__main__":
    sys.exit(main())
