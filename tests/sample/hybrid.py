#!/usr/bin/env python3
"""hybrid.py - a plugin-built program sampled too (CPROF_SAMPLE): time in
the C library and libm as rows under the profiled call it ran in.

    hybrid.py --cc CC ... (the toolchain options of cprof_harness.toolchain)

hybrid.c's fill() spends its time in memset, calc() in exp.  Checked: each
shows as a "{module:function}" row (file "~", line 0, no calls: ncalls "-"
in the table) that is a callee of its own caller only, its time a large
part of the caller's CPU time as the line sampler saw it (both are samples
of the same signals; bounds wide for a loaded 2-core machine), taken out of
the caller's tottime (and out of its call path's, in the folded stacks);
calls stay exact.  The header's Sampler line names the clock: CPU time, or wall time
when run again with CPROF_SAMPLE_WALL=1 (the line sampler shares those
signals).  shares.c built so too, its profiled spin() always inlined into
the burn functions: spin keeps its samples (no "{...}" row under it, its
tottime most of the run).
"""
import argparse
import json
import os
import re
import sys

from cprof_harness import steps, toolchain

HERE = os.path.dirname(os.path.abspath(__file__))


def rows(f, pattern):
    """The sampled rows among f's callees whose name matches."""
    return [c for c in f["callees"]
            if c["file"] == "~" and re.match(r"\{lib(c|m)\.so\.6:.*" + pattern, c["name"])]


def test_hybrid(o):
    os.makedirs(o.workdir, exist_ok=True)
    exe = os.path.join(o.workdir, "hybrid")
    toolchain.compile_program(o, [os.path.join(HERE, "hybrid.c")], exe,
                              args=["-fplugin-arg-cprof-all"],
                              cflags=["-fno-omit-frame-pointer"], link=["-lm"])
    out = os.path.join(o.workdir, "hybrid.out")
    if os.path.exists(out):
        os.remove(out)
    steps.run([exe], "hybrid", env={**os.environ, "CPROF_OUT": out, "CPROF_SAMPLE": "1000"})
    data = json.loads(steps.run([o.prstats, "--format", "json", out], "prstats"))
    funcs = {f["name"]: f for f in data["functions"]}
    failures = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failures.append(what)

    period = data["sampled"]["period_ns"] / 1e9
    for caller, other, pattern, low in (("fill", "calc", "memset", 0.6),
                                        ("calc", "fill", "exp", 0.4)):
        f = funcs[caller]
        check(f["ncalls"] == 1, f"{caller}: 1 call, exact")
        mine = rows(f, pattern)
        check(len(mine) >= 1, f"{caller}: a {pattern} row among its callees: "
              f"{[c['name'] for c in f['callees']]}")
        check(not rows(funcs[other], pattern), f"{other}: no {pattern} row")
        t = sum(c["tottime"] for c in mine)
        cpu = f["samples"] * period
        check(cpu > 0 and low <= t / cpu <= 1.01,  # tick rounding
              f"{caller}: {pattern} rows {t:.3f} s of its {cpu:.3f} s CPU time "
              f"(expected {low}..1.01)")
        check(all(c["ncalls"] == 0 and c["tottime"] == c["cumtime"] for c in mine),
              f"{caller}: the rows have no calls, tottime = cumtime")
        for c in mine:
            row = funcs[c["name"]]
            check(row["ncalls"] == 0 and [r["name"] for r in row["callers"]] == [caller],
                  f"{c['name']}: called by {caller} only, no calls")
        check(f["tottime"] <= f["cumtime"] - t + 1e-6,
              f"{caller}: tottime {f['tottime']:.3f} without the rows' {t:.3f}")
    text = steps.run([o.prstats, out], "prstats")
    check(re.search(r"^\s+-\s+\d+\.\d+\s+\d+\.\d+\s+~:0\(\{libc\.so\.6:[^}]*memset[^}]*\}\)$",
                    text, re.M) is not None, "the table's memset row: ncalls -, ~:0({...})")
    check("No call counts in the sampled rows" in text and "Rows ~:0({module:function})" in text,
          "the report says the rows have no call count")
    folded = steps.run([o.prstats, "-f", "folded", out], "prstats -f folded")
    check(re.search(r"^main;fill;\{libc\.so\.6:[^}]*memset[^}]*\} [1-9]\d*$", folded, re.M)
          is not None, "the folded stacks: main;fill;{libc.so.6:...memset...}")
    check(re.search(r"^\s+Sampler: .* of each thread's CPU time$", text, re.M) is not None,
          "the Sampler line says CPU time")
    steps.run([exe], "hybrid", env={**os.environ, "CPROF_OUT": out, "CPROF_SAMPLE": "1000",
                                    "CPROF_SAMPLE_WALL": "1"})
    text = steps.run([o.prstats, out], "prstats")
    check(re.search(r"^\s+Sampler: .* of wall time$", text, re.M) is not None,
          "CPROF_SAMPLE_WALL=1: the Sampler line says wall time")

    shares = os.path.join(o.workdir, "shares")
    toolchain.compile_program(o, [os.path.join(HERE, "shares.c")], shares,
                              args=["-fplugin-arg-cprof-all"],
                              cflags=["-fno-omit-frame-pointer", "-g", "-pthread"])
    steps.run([shares, "0.5"], "shares", env={**os.environ, "CPROF_OUT": out,
                                              "CPROF_SAMPLE": "1000"})
    funcs = {f["name"]: f for f in json.loads(
        steps.run([o.prstats, "--format", "json", out], "prstats"))["functions"]}
    spin = funcs.get("spin", {"callees": [], "tottime": 0})
    under = [c["name"] for c in spin["callees"] if c["file"] == "~"]
    check(not under, f"shares: spin, profiled and inlined, has no sampled rows under it: {under}")
    check(spin["tottime"] >= 0.8 * data_total(funcs),
          f"shares: spin keeps its time: {spin['tottime']:.3f} s")
    return failures


def data_total(funcs):
    return sum(f["tottime"] for f in funcs.values())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    toolchain.add_toolchain_args(ap)
    o = toolchain.parse_toolchain_args(ap)
    return steps.run_test(f"hybrid ({toolchain.describe(o)})", test_hybrid, o)


if __name__ == "__main__":
    sys.exit(main())
