#!/usr/bin/env python3
"""Exports read by their real consumers: Python's pstats loads the .prof
and finds prstats' own numbers; callgrind_annotate reads the callgrind
file and reports the same totals; the folded stacks sum to the profile's
total time and parse the way flamegraph.pl parses them.  Also the probe
cost correction, checked against the raw numbers on a leaf function."""
import os
import re
import subprocess
import sys

import cli

FLAMEGRAPH_LINE = re.compile(r"^(.*)\s+?(\d+(?:\.\d*)?)$")  # flamegraph.pl's


def key(f):
    """pstats' key of a function: (file, line, name)."""
    return (f["file"], f["line"], f["name"])


def check_pstats(t, args, path, data):
    prof = os.path.join(args.workdir, "fixture.prof")
    r = cli.run([args.prstats, "-f", "pstats", "-o", prof, path])
    t.check(r.returncode == 0 and r.stderr == "", "-f pstats: " + r.stderr)
    code = ("import marshal, pstats, sys\n"
            "s = pstats.Stats(sys.argv[1])\n"
            "print(repr((s.total_calls, s.prim_calls, s.total_tt, s.stats)))")
    r = cli.run([sys.executable, "-c", code, prof])
    if not t.check(r.returncode == 0, "pstats.Stats: " + r.stderr):
        return 1
    total_calls, prim_calls, total_tt, stats = eval(r.stdout)
    t.check((total_calls, prim_calls) == (data["total_calls"],
                                          data["primitive_calls"]),
            "pstats totals %d/%d" % (total_calls, prim_calls))
    t.check(abs(total_tt - data["total_time"]) <= 1e-12 * data["total_time"],
            "pstats total_tt %r vs %r" % (total_tt, data["total_time"]))
    t.check(set(stats) == {key(f) for f in data["functions"]},
            "pstats keys %s" % sorted(stats))
    for f in data["functions"]:
        cc, nc, tt, ct, callers = stats.get(key(f), (0, 0, 0, 0, {}))
        t.check((cc, nc, tt, ct) == (f["pcalls"], f["ncalls"], f["tottime"],
                                     f["cumtime"]),
                "%s: pstats %r" % (f["name"], (cc, nc, tt, ct)))
        want = {key(c): (c["ncalls"], c["pcalls"], c["tottime"], c["cumtime"])
                for c in f["callers"]}
        t.check(callers == want, "%s callers: %r" % (f["name"], callers))
    r = subprocess.run([sys.executable, "-m", "pstats", prof], text=True,
                       input="sort cumulative\nstats\nquit\n",
                       capture_output=True, timeout=60)
    t.check("%d function calls (%d primitive calls)" % (
        data["total_calls"], data["primitive_calls"]) in r.stdout,
            "python -m pstats:\n" + r.stdout + r.stderr)
    return 5 + 2 * len(data["functions"])


def annotate_totals(t, args, cg):
    """callgrind_annotate's PROGRAM TOTALS line: {event: value}."""
    r = cli.run([args.callgrind_annotate, cg])
    t.check(r.returncode == 0 and "WARNING" not in r.stderr,
            "callgrind_annotate: " + r.stderr)
    events = re.search(r"^Events recorded:\s+(.*)$", r.stdout, re.M)
    totals = re.search(r"^(.*)PROGRAM TOTALS", r.stdout, re.M)
    if not (events and totals):
        t.check(False, "callgrind_annotate output:\n" + r.stdout)
        return {}
    values = re.findall(r"([\d,]+) \(", totals.group(1))
    return dict(zip(events.group(1).split(),
                    (int(v.replace(",", "")) for v in values)))


def check_callgrind(t, args, path, data):
    if not args.callgrind_annotate:
        print("callgrind_annotate not found: callgrind file not read back")
        return 0
    cg = os.path.join(args.workdir, "callgrind.out.fixture")
    r = cli.run([args.prstats, "-f", "callgrind", "-o", cg, path])
    t.check(r.returncode == 0, "-f callgrind: " + r.stderr)
    totals = annotate_totals(t, args, cg)
    want_ns = round(data["total_time"] * 1e9)
    hits = sum(l["hits"] for f in data["functions"] for l in f["lines"])
    t.check(abs(totals.get("ns", -9) - want_ns) <= 1,
            "callgrind ns total %s, profile %d" % (totals.get("ns"), want_ns))
    t.check(totals.get("Hits") == hits,
            "callgrind Hits total %s, profile %d" % (totals.get("Hits"), hits))
    return 3


def check_folded(t, args, path, data):
    r = cli.run([args.prstats, "-f", "folded", path])
    lines = r.stdout.splitlines()
    parsed = [FLAMEGRAPH_LINE.match(l) for l in lines]
    t.check(r.returncode == 0 and lines and all(parsed),
            "folded lines:\n" + r.stdout)
    total = sum(int(m.group(2)) for m in parsed if m)
    want = round(data["total_time"] * 1e9)
    t.check(abs(total - want) <= 1, "folded sum %d, profile %d" % (total, want))
    names = {f["name"] for f in data["functions"]}
    frames = {fr for m in parsed if m for fr in m.group(1).split(";")}
    t.check(frames <= names and "outer;fib;fib" in r.stdout,
            "folded frames %s" % frames)
    return 3


def by_name(data):
    return {f["name"]: f for f in data["functions"]}


def check_correction(t, args, path, data):
    """spin is a leaf: 1 call, 2001 line changes (its lines' hits)."""
    raw = cli.prstats_json(args, "--raw", path)
    t.check(raw["raw"] is True and data["raw"] is False, "raw flags")
    t.check(raw["total_time"] >= data["total_time"], "raw total is larger")
    spin, raw_spin = by_name(data)["spin"], by_name(raw)["spin"]
    changes = sum(l["hits"] for l in spin["lines"])
    want = max(0.0, raw_spin["cumtime"] - data["call_inner_cost"]
               - changes * data["line_cost"])
    t.check(abs(spin["cumtime"] - want) <= 1e-12 + 1e-9 * want,
            "spin corrected %r, from raw %r" % (spin["cumtime"], want))
    t.check(data["call_cost"] > 0 and data["line_cost"] > 0,
            "the runtime measured its probes")
    r = cli.run([args.prstats, path])
    spread = r"( \(spread [\d.]+ ns(: noisy)?\))?"  # when the calibration varied
    t.check(re.search(r"^         Clock: TSC at [\d.]+ [kMG]?Hz; probe cost "
                      r"subtracted: [\d.]+ ns per call" + spread + r", [\d.]+ ns "
                      r"per line change" + spread + "$", r.stdout, re.M),
            "clock line:\n" + r.stdout)
    r = cli.run([args.prstats, "--raw", "-l", path])
    t.check(re.search(r"^Clock: .*; raw, no compensation$", r.stdout, re.M),
            "line report's clock line:\n" + r.stdout)
    return 6


def check_valgrind(t, args, path):
    """Every view and format under memcheck: no error, no definite leak."""
    if not args.valgrind:
        return 0
    vg = [args.valgrind, "-q", "--error-exitcode=99", "--leak-check=full",
          "--errors-for-leak-kinds=definite"]
    runs = [["--callers", "--callees", "-l", "--percentiles"], ["--raw"],
            ["--strip", "-r", "0.5", "-r", "fib"], ["--diff", path]]
    runs += [["-f", f, "-o", os.path.join(args.workdir, "vg." + f)]
             for f in ("json", "pstats", "callgrind", "folded")]
    for opts in runs:
        r = cli.run(vg + [args.prstats, *opts, path])
        t.check(r.returncode == 0, "valgrind %s: exit %d\n%s"
                % (opts, r.returncode, r.stderr))
    return len(runs)


def main():
    args = cli.parse_args(__doc__)
    t = cli.Failures()
    path = cli.make_profile(args, "fixture.out")
    data = cli.prstats_json(args, path)
    n = check_pstats(t, args, path, data)
    n += check_callgrind(t, args, path, data)
    n += check_folded(t, args, path, data)
    n += check_correction(t, args, path, data)
    n += check_valgrind(t, args, path)
    t.finish(n)


if __name__ == "__main__":
    main()
