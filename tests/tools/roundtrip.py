#!/usr/bin/env python3
"""Round trip: libcprof writes a profile with known numbers (fixture.c),
prstats must report exactly those numbers, in every output format."""
import os
import re

import cli

FIXTURE_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "fixture.c")


def marker_lines():
    """Line number of each "@name" comment in fixture.c."""
    found = {}
    with open(FIXTURE_SRC) as f:
        for n, text in enumerate(f, 1):
            for m in re.finditer(r"@(\w+)", text):
                found[m.group(1)] = n
    return found


def def_line(name):
    """Line of the definition of fixture function `name`."""
    with open(FIXTURE_SRC) as f:
        for n, text in enumerate(f, 1):
            if re.match(r"static \w+ \*?%s\(" % name, text):
                return n
    raise LookupError(name)


def by_name(items):
    return {i["name"]: i for i in items}


def expected(times):
    """The fixture's numbers (see its header comment), `times` runs merged."""
    funcs = {"fib": (22068, 2), "outer": (1, 1), "worker": (1, 1),
             "spin": (1, 1)}
    edges = {("outer", "fib"): (1, 1), ("worker", "fib"): (1, 1),
             ("fib", "fib"): (22066, 4), ("outer", "spin"): (1, 1)}
    lines = {("fib", "fibtest"): 22068, ("fib", "fibleaf"): 11035,
             ("fib", "fibrec"): 11033, ("spin", "spinadd"): 1000,
             ("spin", "spinsub"): 1000, ("spin", "spindone"): 1}
    scale = lambda d: {k: tuple(x * times for x in v) if isinstance(v, tuple)
                       else v * times for k, v in d.items()}
    return scale(funcs), scale(edges), scale(lines)


def check_json(t, data, times):
    funcs, edges, lines = expected(times)
    marks = marker_lines()
    got = by_name(data["functions"])
    t.check(set(got) == set(funcs), "functions %s" % sorted(got))
    t.check(data["total_calls"] == sum(v[0] for v in funcs.values()),
            "total_calls %d" % data["total_calls"])
    t.check(data["primitive_calls"] == sum(v[1] for v in funcs.values()),
            "primitive_calls %d" % data["primitive_calls"])
    t.check(data["tick_hz"] > 0, "tick_hz")
    cums = [f["cumtime"] for f in data["functions"]]
    t.check(cums == sorted(cums, reverse=True), "sorted by cumtime desc")
    for name, (nc, pc) in funcs.items():
        f = got.get(name, {})
        t.check((f.get("ncalls"), f.get("pcalls")) == (nc, pc),
                "%s calls %s/%s, want %d/%d" % (name, f.get("ncalls"),
                                                 f.get("pcalls"), nc, pc))
        t.check(f.get("tottime", -1) >= 0 and
                f.get("cumtime", -1) >= f.get("tottime", 0) - 1e-12,
                "%s times %s %s" % (name, f.get("tottime"), f.get("cumtime")))
        t.check(f.get("file") == FIXTURE_SRC, "%s file %s" % (name, f.get("file")))
    for (caller, callee), (nc, pc) in edges.items():
        up = by_name(got[callee]["callers"]).get(caller, {})
        down = by_name(got[caller]["callees"]).get(callee, {})
        t.check((up.get("ncalls"), up.get("pcalls")) == (nc, pc),
                "edge %s -> %s: %s" % (caller, callee, up))
        numbers = ("ncalls", "pcalls", "tottime", "cumtime")
        t.check([up.get(k) for k in numbers] == [down.get(k) for k in numbers],
                "edge %s -> %s differs as callee" % (caller, callee))
    for (name, mark), hits in lines.items():
        rows = {l["line"]: l for l in got[name]["lines"]}
        row = rows.get(marks[mark], {})
        t.check(row.get("hits") == hits,
                "%s @%s hits %s, want %d" % (name, mark, row.get("hits"), hits))
    return 10 + 4 * len(funcs) + 2 * len(edges) + len(lines)


def check_text(t, args, path):
    r = cli.run([args.prstats, "-p", "3", path])
    t.check(r.returncode == 0 and r.stderr == "", "text report: " + r.stderr)
    t.check("22071 function calls (5 primitive calls) in" in r.stdout,
            "summary line:\n" + r.stdout)
    row = re.search(r"^  22068/2 +\d+\.\d{3} +\d+\.\d{3} +\d+\.\d{3} +"
                    r"\d+\.\d{3} (\S+):%d\(fib\)$" % def_line("fib"),
                    r.stdout, re.M)
    t.check(row and row.group(1) == FIXTURE_SRC, "fib row:\n" + r.stdout)
    for view in ("--callers", "--callees"):
        r = cli.run([args.prstats, view, path])
        t.check(r.returncode == 0 and re.search(
            r" 22066/4 +\d+\.\d{6} +\d+\.\d{6}  \S+:%d\(fib\)$"
            % def_line("fib"),
            r.stdout, re.M), view + ":\n" + r.stdout)
    r = cli.run([args.prstats, "-n", "2", "-s", "name", path])
    t.check(re.findall(r":\d+\((\w+)\)$", r.stdout, re.M) == ["fib", "outer"],
            "-n 2 -s name:\n" + r.stdout)
    return 6


def check_lines(t, args, path):
    marks = marker_lines()
    r = cli.run([args.prstats, "--lines=spin", path])
    t.check(r.returncode == 0 and
            "Function: spin at line %d" % def_line("spin") in r.stdout,
            "-l spin:\n" + r.stdout + r.stderr)
    row = re.search(r"^ +%d +1000 .* +LINE\(f, desc\); /\* @spinadd \*/$"
                    % marks["spinadd"], r.stdout, re.M)
    t.check(row, "spinadd row with source:\n" + r.stdout)
    r = cli.run([args.prstats, "-l", "-z", path])
    t.check(r.stdout.count("Function: ") == 4, "-l all:\n" + r.stdout)
    return 3


def check_output_file(t, args, path):
    out = os.path.join(args.workdir, "report.json")
    with open(out, "w") as f:
        f.write("old contents")
    r = cli.run([args.prstats, "-f", "json", "-o", out, path])
    same = cli.run([args.prstats, "-f", "json", path]).stdout
    with open(out) as f:
        t.check(r.returncode == 0 and f.read() == same, "-o writes the report")
    left = [n for n in os.listdir(args.workdir) if ".tmp" in n]
    t.check(not left, "temporary files left: %s" % left)
    return 2


def main():
    args = cli.parse_args(__doc__)
    t = cli.Failures()
    path = cli.make_profile(args, "fixture.out")
    n = check_json(t, cli.prstats_json(args, path), 1)
    n += check_json(t, cli.prstats_json(args, path, path), 2)
    n += check_text(t, args, path)
    n += check_lines(t, args, path)
    n += check_output_file(t, args, path)
    t.finish(n)


if __name__ == "__main__":
    main()
