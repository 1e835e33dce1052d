"""grid.py - ctest's results as a table of the test matrix.

    python3 -m cprof_harness.grid RESULTS.xml

RESULTS.xml is what `ctest --output-junit` writes.  A matrix test is
named LABEL/NAME/CC/OPT, or LABEL/NAME/CC/OPT/static for the static
runtime (tests/CMakeLists.txt): it is a cell of row LABEL/NAME (a program,
or a program in a mode: NAME+line-hits), column CC x OPT x runtime.  The
other tests are counted below the table.  Every failure is named after
it, and the exit status is 1 when a test failed or none ran, so the grid
hides nothing.
"""

import sys
import xml.etree.ElementTree as ET

from .toolchain import C_DRIVER, OPT_LEVELS, RUNTIMES, cxx_driver

CELL = {"pass": "ok", "fail": "XX", "skip": "--"}
SHORT = {"shared": "sh", "static": "st"}


def outcome(case):
    """pass, fail or skip, from a <testcase> of ctest's JUnit file.  A
    skip is a test that said so (SKIP_RETURN_CODE) or is disabled; one not
    run for another reason (its fixture failed) failed, as ctest counts it."""
    status, skipped = case.get("status"), case.find("skipped")
    if status == "run" and case.find("failure") is None:
        return "pass"
    if status == "disabled" or skipped is not None and \
            skipped.get("message", "").startswith("SKIP_"):
        return "skip"
    return "fail"


def matrix_key(name):
    """(row, (cc, opt, runtime)) for a matrix test's name, else None."""
    parts = name.split("/")
    if len(parts) not in (4, 5) or parts[3] not in OPT_LEVELS:
        return None
    if not C_DRIVER.fullmatch(parts[2]) or parts[4:] not in ([], ["static"]):
        return None
    runtime = parts[4] if len(parts) == 5 else "shared"
    return "/".join(parts[:2]), (parts[2], parts[3], runtime)


def read(path):
    """[(test name, outcome)] of the file, in its order."""
    return [(case.get("name"), outcome(case)) for case in ET.parse(path).iter("testcase")]


def header(width, columns, group, text):
    """A header line: text(column) above the first column of each run of
    columns with the same group(column)."""
    out, last = "", None
    for i, col in enumerate(columns):
        if group(col) != last:
            out = out.ljust(width + 3 * i) + text(col) + " "
        last = group(col)
    return out.rstrip()


def table(cells):
    """The grid's lines, from {(row, column): outcome}."""
    rows = list(dict.fromkeys(row for row, _ in cells))
    compilers = list(dict.fromkeys(col[0] for _, col in cells))
    used = {col for _, col in cells}
    columns = [(cc, opt, rt) for cc in compilers for opt in OPT_LEVELS for rt in RUNTIMES
               if (cc, opt, rt) in used]
    width = max(len(r) for r in rows) + 2
    lines = [header(width, columns, lambda c: c[0], lambda c: f"{c[0]}/{cxx_driver(c[0])}"),
             header(width, columns, lambda c: c[:2], lambda c: c[1].lstrip("-")),
             header(width, columns, lambda c: c, lambda c: SHORT[c[2]])]
    for row in rows:
        lines.append((row.ljust(width) + " ".join(
            CELL[cells[(row, col)]] if (row, col) in cells else "  " for col in columns)).rstrip())
    return lines


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    try:
        results = read(argv[1])
    except (OSError, ET.ParseError) as err:
        sys.exit(f"grid: cannot read ctest's results {argv[1]}: {err}")
    cells, others = {}, []
    for name, result in results:
        key = matrix_key(name)
        if key:
            cells[key] = result
        else:
            others.append((name, result))
    if cells:
        print(f"Test matrix: {CELL['pass']} passed, {CELL['fail']} failed, {CELL['skip']} "
              "skipped, blank not in the matrix; O0..Os the -O level; sh shared runtime, "
              "st static runtime (libcprof.a)")
        print("\n".join(table(cells)))
    counts = {k: sum(1 for _, r in results if r == k) for k in CELL}
    print(f"{len(results)} tests ({len(cells)} in the matrix): {counts['pass']} passed, "
          f"{counts['fail']} failed, {counts['skip']} skipped")
    for kind in ("fail", "skip"):
        names = [n for n, r in results if r == kind]
        if names:
            print(f"{'Failed' if kind == 'fail' else 'Skipped'}: {' '.join(names)}")
    return 1 if counts["fail"] or not results else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
