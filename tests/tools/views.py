#!/usr/bin/env python3
"""The command line's views and orders on a genuine profile: every sort
key, every kind of restriction and their order, --reverse, --strip,
--percentiles, --diff, and the usage errors of the new options."""
import re

import cli

# Each sort word and how its order reads off the JSON (pstats' directions).
SORT_KEYS = {
    "calls": lambda f: -f["ncalls"], "ncalls": lambda f: -f["ncalls"],
    "pcalls": lambda f: -f["pcalls"],
    "cumtime": lambda f: -f["cumtime"], "cumulative": lambda f: -f["cumtime"],
    "time": lambda f: -f["tottime"], "tottime": lambda f: -f["tottime"],
    "filename": lambda f: f["file"], "module": lambda f: f["file"],
    "line": lambda f: f["line"], "name": lambda f: f["name"],
    "nfl": lambda f: (f["name"], f["file"], f["line"]),
    "stdname": lambda f: "%s:%d(%s)" % (f["file"], f["line"], f["name"]),
}


def names(data):
    return [f["name"] for f in data["functions"]]


def check_sort_keys(t, args, path):
    """Each key orders the JSON by its number, ties by name."""
    for word, order in SORT_KEYS.items():
        data = cli.prstats_json(args, "-s", word, path)
        want = sorted(data["functions"], key=lambda f: (order(f), f["name"]))
        t.check(names(data) == [f["name"] for f in want],
                "-s %s: %s" % (word, names(data)))
    return len(SORT_KEYS)


def table_names(text):
    return re.findall(r":\d+\((\w+)\)$", text, re.M)


def check_restrictions(t, args, path):
    """-n, -r N, -r FRACTION, -r REGEX, in the order given."""
    cases = [
        (["-s", "name", "-n", "2"], ["fib", "outer"], ["<2>"]),
        (["-s", "name", "-r", "3"], ["fib", "outer", "spin"], ["<3>"]),
        (["-s", "name", "-r", "0.5"], ["fib", "outer"], ["<0.5>"]),
        (["-s", "name", "-r", "(spin|fib)\\)"], ["fib", "spin"],
         ["<'(spin|fib)\\\\)'>"]),
        # a regex is searched in all of file:line(function)
        (["-s", "name", "-r", "fixture", "-r", "[(][fo]", "-r", "1"],
         ["fib"], ["<'[(][fo]'>", "<1>"]),
        (["-s", "name", "-r", "1", "-r", "[(]o"], [], ["<1>", "<'[(]o'>"]),
        (["-s", "name", "-r", "[(][os]", "-r", "1"], ["outer"],
         ["<'[(][os]'>", "<1>"]),
        (["-s", "name", "--reverse", "-n", "1"], ["worker"], ["<1>"]),
    ]
    for opts, want, notes in cases:
        r = cli.run([args.prstats, "-p", "3", *opts, path])
        reduced = re.findall(r"due to restriction (<.*>)$", r.stdout, re.M)
        t.check(r.returncode == 0 and table_names(r.stdout) == want and
                (reduced == notes or not want), "%s:\n%s" % (opts, r.stdout))
    data = cli.prstats_json(args, "-r", "[(][fw]", "-r", "1", path)
    t.check(names(data) == ["fib"], "-r in JSON: %s" % names(data))
    return len(cases) + 1


def check_strip(t, args, path):
    r = cli.run([args.prstats, "--strip", "--callers", path])
    t.check(r.returncode == 0 and "fixture.c:" in r.stdout and
            "/fixture.c" not in r.stdout, "--strip:\n" + r.stdout)
    data = cli.prstats_json(args, "--strip", path, path)
    t.check({f["file"] for f in data["functions"]} == {"fixture.c"} and
            data["total_calls"] == 2 * 22071, "--strip JSON merged")
    return 2


def check_percentiles(t, args, path):
    r = cli.run([args.prstats, "--percentiles", path])
    row = re.search(r"^ +22068 \[([^]]*)\] +[\d.]+ [mun]?s  \S+:\d+\(fib\)$",
                    r.stdout, re.M)
    t.check(r.returncode == 0 and "Functions with latencies: 4" in r.stdout
            and row, "--percentiles:\n" + r.stdout)
    # Raw, every call takes time; corrected, a call that is almost only
    # probes may come out at 0.  Where the runtime kept the exact extremes
    # they are the table's min and max, and one call is one value.
    n = 0
    for raw in (True, False):
        data = cli.prstats_json(args, *(["--raw"] if raw else []), path)
        for f in data["functions"]:
            p = f.get("percentiles", {})
            ordered = [p.get(k, -1)
                       for k in ("min", "median", "p90", "p99", "max")]
            ok = (p.get("count") == f["ncalls"] and ordered == sorted(ordered)
                  and (ordered[0] > 0 if raw else ordered[0] >= 0))
            if f["min"] is not None:
                ok = ok and p["min"] == f["min"] and p["max"] == f["max"]
                if f["ncalls"] == 1:
                    ok = ok and len(set(ordered)) == 1
            t.check(ok, "%s percentiles %s (min %s, max %s)%s" %
                    (f["name"], p, f["min"], f["max"], " raw" if raw else ""))
            n += 1
    return 1 + n


def check_diff(t, args, path):
    other = cli.make_profile(args, "small.out", "small")
    r = cli.run([args.prstats, "--diff", path, other])
    worker = re.search(r"^\S+:\d+\(worker\): calls=0 \(-1\), "
                       r"tottime=0\.000000s \([-+][\d.]+s\), "
                       r"cumtime=0\.000000s \([-+][\d.]+s\)$", r.stdout, re.M)
    fib = re.search(r"^\S+:\d+\(fib\): calls=21891 \(-177\), ", r.stdout,
                    re.M)
    t.check(r.returncode == 0 and worker and fib and
            "Total: calls=21893 (-178), time=" in r.stdout,
            "--diff:\n" + r.stdout)
    rows = re.findall(r"cumtime=[\d.]+s \(([-+][\d.]+)s\)$", r.stdout, re.M)
    t.check([abs(float(x)) for x in rows] ==
            sorted((abs(float(x)) for x in rows), reverse=True),
            "--diff order: %s" % rows)
    return 2


def check_usage(t, args, path):
    """Usage errors: exit 2, the problem on stderr, nothing on stdout."""
    cases = [
        (["--diff", path], "--diff takes two profiles"),
        (["--diff", "--callers", path, path], "--diff prints its own"),
        (["-i", "-o", "x", path], "the browser prints to the terminal"),
        (["-r", "1.5", path], "restriction '1.5'"),
        (["-r", "fib(", path], "restriction 'fib('"),
        (["-f", "xml", path], "expected text, json, pstats, callgrind, "
         "folded, speedscope, pprof, svg or html"),
    ]
    for opts, words in cases:
        r = cli.run([args.prstats, *opts])
        t.check(r.returncode == 2 and r.stdout == "" and words in r.stderr,
                "%s: exit %d, %r" % (opts, r.returncode, r.stderr))
    return len(cases)


def main():
    args = cli.parse_args(__doc__)
    t = cli.Failures()
    path = cli.make_profile(args, "fixture.out")
    n = check_sort_keys(t, args, path)
    n += check_restrictions(t, args, path)
    n += check_strip(t, args, path)
    n += check_percentiles(t, args, path)
    n += check_diff(t, args, path)
    n += check_usage(t, args, path)
    t.finish(n)


if __name__ == "__main__":
    main()
