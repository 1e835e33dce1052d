#!/usr/bin/env python3
"""prstats as a compiler tool: `prstats FILE` prints the report even on a
terminal, `prstats` alone reads ./cprof.out, options that a mode or format
does not read are errors, a profile where nothing ran says what to check,
C++ names in -l and in the browser, and the line report's units."""
import os
import re
import shutil

import cli
from browser import Terminal


def check_terminal_report(t, args, path):
    """On a terminal, FILE alone prints the report: no browser, no prompt."""
    term = Terminal([args.prstats, path])
    out = term.read("seconds\n", timeout=20)
    os.write(term.fd, b"quit\n\x04")  # would end a browser waiting for input
    out += term.read("\0end of output\0", timeout=5)
    status = term.close()
    t.check("function calls" in out and "Welcome" not in out and
            os.WEXITSTATUS(status) == 0,
            "prstats FILE on a terminal: %r" % out[:300])
    return 1


def check_default_file(t, args, path):
    """No FILE: ./cprof.out, and a missing one is named."""
    here = os.path.join(args.workdir, "default")
    os.makedirs(here)
    r = cli.run([args.prstats], cwd=here)
    t.check(r.returncode == 1 and r.stdout == "" and r.stderr ==
            "prstats: cprof.out: cannot open: No such file or directory\n",
            "no cprof.out: exit %d, %r" % (r.returncode, r.stderr))
    shutil.copy(path, os.path.join(here, "cprof.out"))
    r = cli.run([args.prstats], cwd=here)
    t.check(r.returncode == 0 and r.stdout.startswith("cprof.out\n") and
            " 22071 function calls" in r.stdout,
            "prstats alone: exit %d, %r" % (r.returncode, r.stdout[:200]))
    r = cli.run([args.prstats, "-n", "1"], cwd=here)
    t.check(r.returncode == 0 and "due to restriction <1>" in r.stdout,
            "prstats -n 1 alone: %r" % r.stderr)
    return 3


def check_not_applying(t, args, path):
    """One line naming the option and what it does not apply to, exit 2."""
    cases = [
        (["-f", "callgrind", "-s", "time"], "-s does not apply to -f callgrind"),
        (["-f", "folded", "--reverse"], "--reverse does not apply to -f folded"),
        (["-f", "pstats", "-o", os.path.join(args.workdir, "x.prof"), "-n", "3"],
         "-n does not apply to -f pstats"),
        (["-f", "json", "--callers"], "--callers does not apply to -f json"),
        (["-f", "json", "--lines=fib"], "--lines=fib does not apply to -f json"),
        (["-f", "json", "-p", "3"], "-p does not apply to -f json"),
        (["-f", "json", "-u", "1e-3"], "-u does not apply to -f json"),
        (["--format=json", "-z"], "-z does not apply to -f json"),
        (["--diff", "-s", "time", path], "-s does not apply to --diff"),
        (["--diff", "-u", "1", path], "-u does not apply to --diff"),
        (["-i", "-r", "fib"], "-r does not apply to the browser (-i)"),
        (["-i", "--percentiles"],
         "--percentiles does not apply to the browser (-i)"),
    ]
    for opts, line in cases:
        r = cli.run([args.prstats, *opts, path])
        t.check(r.returncode == 2 and r.stdout == "" and
                r.stderr.splitlines()[:1] == ["prstats: " + line],
                "%s: exit %d, %r" % (opts, r.returncode, r.stderr))
    # What does apply still works.
    for opts in (["-f", "json", "-s", "time", "-n", "1", "-r", "fib"],
                 ["-l", "-u", "1e-3", "-z", "-s", "name", "-p", "3"],
                 ["--diff", "-p", "3", "-n", "1", path]):
        r = cli.run([args.prstats, *opts, path])
        t.check(r.returncode == 0 and r.stderr == "",
                "%s: exit %d, %r" % (opts, r.returncode, r.stderr))
    return len(cases) + 3


def check_nothing_ran(t, args):
    empty = cli.make_profile(args, "empty.out", "empty")
    want = ("prstats: %s: no profiled function ran: was the program built "
            "with -fplugin=cprof.so (GCC), -fplugin=cprof_clang.so (Clang) "
            "or `cprof gcc`, and are functions marked CPROF_PROFILE (or "
            "-fplugin-arg-cprof-all)?\n" % empty)
    for opts in ([], ["-f", "json"], ["-l"]):
        r = cli.run([args.prstats, *opts, empty])
        t.check(r.returncode == 0 and r.stderr == want,
                "%s empty profile: %r" % (opts, r.stderr))
    r = cli.run([args.prstats, "-i", empty], input="quit\n")
    t.check(r.stderr == want, "browser, empty profile: %r" % r.stderr)
    return 4


def check_help(t, args):
    r = cli.run([args.prstats, "--help"])
    t.check(r.returncode == 0 and
            re.search(r"^      --memory\[=GROUP\] ", r.stdout, re.M) and
            re.search(r"^      --leaks ", r.stdout, re.M) and
            "[FILE]..." in r.stdout, "--help: " + r.stdout[:400])
    return 1


def functions(text):
    return re.findall(r"^Function: (.*) at line \d+$", text, re.M)


def check_cxx_names(t, args):
    cxx = cli.make_profile(args, "cxx.out", "cxx")
    for query, want in [("geo::checked_sqrt", "geo::checked_sqrt(double)"),
                        ("checked_sqrt", "geo::checked_sqrt(double)"),
                        ("try_roots", "try_roots(int)"),
                        ("try_roots(int)", "try_roots(int)"),
                        ("_Z9try_rootsi", "try_roots(int)")]:
        r = cli.run([args.prstats, "-l" + query, cxx])
        t.check(r.returncode == 0 and functions(r.stdout) == [want],
                "-l%s: %r %r" % (query, functions(r.stdout), r.stderr))
    ambiguous = ("prstats: '%s' is ambiguous: "
                 "geo.cpp:20(geo::area(geo::Circle const&)), "
                 "geo.cpp:30(geo::area(geo::Square const&))\n")
    for query in ("geo::area", "area"):
        r = cli.run([args.prstats, "--lines=" + query, cxx])
        t.check(r.returncode == 1 and r.stdout == "" and
                r.stderr == ambiguous % query,
                "--lines=%s: exit %d, %r" % (query, r.returncode, r.stderr))
    for query, want in [("geo::checked_sqrt", "checked_sqrt(double)"),
                        ("try_roots", "try_roots(int)")]:
        r = cli.run([args.prstats, "-r", query, cxx])
        rows = re.findall(r"geo\.cpp:\d+\((.*)\)$", r.stdout, re.M)
        t.check(r.returncode == 0 and len(rows) == 1 and
                rows[0].endswith(want), "-r %s: %s" % (query, rows))
    r = cli.run([args.prstats, "-i", cxx],
                input="lines geo::checked_sqrt\nlines area\n")
    t.check(functions(r.stdout) == ["geo::checked_sqrt(double)"] and
            r.stderr == ambiguous % "area",
            "browser lines: %r %r" % (functions(r.stdout), r.stderr))
    return 10


def check_memory_command(t, args):
    """The browser's memory command prints --memory's report."""
    env = dict(os.environ, CPROF_MEMORY="1")
    path = os.path.join(args.workdir, "memory.out")
    r = cli.run([args.fixture, path], env=env)
    want = cli.run([args.prstats, "--memory=function", path]).stdout
    got = cli.run([args.prstats, "-i", path], input="memory function\n")
    t.check(r.returncode == 0 and want.startswith("Traced memory:") and
            got.stdout == want and got.stderr == "",
            "memory command: %r, %r" % (got.stdout, got.stderr))
    return 1


def line_rows(text):
    """(hits, time, per hit) of every row with numbers."""
    return re.findall(r"^ +\d+ +(\d+) +(\S+) +(\S+) +\S+", text, re.M)


def check_units(t, args, path):
    """No busy line's Per Hit reads 0.0: the unit follows the report."""
    r = cli.run([args.prstats, "-l", path])
    rows = line_rows(r.stdout)
    t.check(r.stdout.startswith("Timer unit: 1e-09 s\n") and rows and
            all(per != "0.0" for _, time, per in rows if time != "0.0"),
            "-l, automatic unit:\n" + r.stdout)
    r = cli.run([args.prstats, "-l", "-u", "1e-6", path])
    rows = line_rows(r.stdout)
    t.check(r.stdout.startswith("Timer unit: 1e-06 s\n") and rows and
            all(float(per) > 0 for _, time, per in rows if time != "0.0") and
            any(re.fullmatch(r"0\.0\d+|\d\.\de-\d+", per)
                for _, _, per in rows),
            "-l -u 1e-6: two significant digits:\n" + r.stdout)
    return 2


def main():
    args = cli.parse_args(__doc__)
    t = cli.Failures()
    path = cli.make_profile(args, "fixture.out")
    n = check_terminal_report(t, args, path)
    n += check_default_file(t, args, path)
    n += check_not_applying(t, args, path)
    n += check_nothing_ran(t, args)
    n += check_help(t, args)
    n += check_cxx_names(t, args)
    if not args.sanitized:  # a sanitizer's allocator replaces cprof's tracing
        n += check_memory_command(t, args)
    n += check_units(t, args, path)
    t.finish(n)


if __name__ == "__main__":
    main()
