#!/usr/bin/env python3
"""Per-call overhead of cprof beside its peers, measured in one run.

Builds every workload (fib, a leaf loop, two threads, a line-heavy loop,
Debian's Lua 5.4 running bench.lua) with every variant (plain gcc and
clang, gcov, gprof, a minimal -finstrument-functions profiler, uftrace,
LLVM XRay FDR, callgrind, and cprof's modes with each plugin built), runs
them interleaved for --runs rounds, then checks cprof's accuracy and a
100,000-function profile, and writes docs/bench.md and docs/bench.svg.

    bench/run.py [--build DIR] [--runs N] [--out-md FILE] [--out-svg FILE]
                 [--only PARTS] [--report-only]

Not a test: it asserts nothing and is never run by ctest.
"""
import argparse
import json
import os
import sys
import time

import accuracy
import chart
import doc
import measure
import scaling
from results import Results
from toolchain import ROOT, cprof_variants, peer_variants
from workloads import all_workloads, debian_source


def lua_source(cache, notes):
    """Debian's lua5.4 source, fetched once by tests/real/get-debian-source."""
    return debian_source("lua5.4", "src/lua.c", cache, notes)


def make_jobs(variants, workloads, work, notes):
    """Builds what each variant runs; one job per (variant, workload, size):
    heavy variants run the small size, plain builds every size."""
    jobs = []
    for v in variants:
        for w in workloads:
            if not w.wants(v):
                continue
            outdir = os.path.join(work, v.key, w.build_key)
            os.makedirs(outdir, exist_ok=True)
            exe, err = w.build(v, outdir)
            if err:
                notes.append("%s / %s: build failed: %s" % (v.label, w.key,
                                                            err.splitlines()[-1]))
                continue
            sizes = list(w.sizes) if v.kind == "plain" else \
                ["small" if v.heavy and "small" in w.sizes else "full"]
            if v.clock == "proc" and "start" in w.sizes:
                sizes.append("start")
            for size in sizes:
                jwork = os.path.join(work, v.key, "%s-%s" % (w.key, size))
                os.makedirs(jwork, exist_ok=True)
                jobs.append(measure.Job(v, w, size, exe, jwork))
    return jobs


def write_chart(res, variants, workloads, path):
    present = [w for w in ("fib", "leaf") if w in workloads]
    shown = [v for v in variants if v.kind != "plain"
             and any(res.overhead(v, w) for w in present)]
    series = []
    for w in present:
        vals = [res.overhead(v, w) for v in shown]
        series.append((workloads[w].label + ": ns per call",
                       [o[0] if o else None for o in vals]))
    rows = [(v.label + (" *" if v.heavy else ""), v.kind) for v in shown]
    with open(path, "w") as f:
        f.write(chart.svg(rows, series, "Per-call overhead over the uninstrumented "
                          "build (ns, median; lower is better)",
                          "* run at the small size (%s). Machine and method: "
                          "docs/bench.md." % ", ".join(
                              "%s %s" % (w, " ".join(workloads[w].sizes["small"]))
                              for w in present)))


def measure_all(args, build, work, variants, workloads, notes):
    """Runs every part asked for; returns what the report is made from."""
    prstats = os.path.join(build, "bin", "prstats")
    jobs = make_jobs(variants, workloads.values(), work, notes)
    load = [os.getloadavg()[0]]
    jobs = measure.run_rounds(jobs, args.runs, load)
    res = Results(jobs, variants, prstats)
    res.count_from_profiles()
    wanted = args.only.split(",") if args.only else None
    acc, scale = [], {"error": "not run (--only)"}
    if not wanted or "accuracy" in wanted:
        acc = accuracy.measure(variants, os.path.join(work, "accuracy"), prstats,
                               args.runs)
    if not wanted or "scale" in wanted:
        scale = scaling.measure(build, work, prstats, 5)
    return {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "runs": args.runs,
            "load": load, "notes": notes, "accuracy": acc, "scale": scale,
            "calls": [[list(k), n] for k, n in res.calls.items()],
            "jobs": [{"key": list(j.key), "exe": j.exe, "work": j.work,
                      "times": j.times} for j in jobs]}


def render(data, args, build, variants, workloads):
    """Writes the markdown page and the chart from measured `data`."""
    by_variant = {v.key: v for v in variants}
    jobs = []
    for j in data["jobs"]:
        (vkey, wkey, size), v = j["key"], by_variant.get(j["key"][0])
        if v and wkey in workloads:
            job = measure.Job(v, workloads[wkey], size, j["exe"], j["work"])
            job.times = j["times"]
            jobs.append(job)
    res = Results(jobs, variants, os.path.join(build, "bin", "prstats"))
    res.calls = {tuple(k): n for k, n in data["calls"]}
    text = doc.markdown(res, variants, workloads, data, doc.kept_sections(args.out_md))
    with open(args.out_md, "w") as f:
        f.write(text)
    write_chart(res, variants, workloads, args.out_svg)
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="cprof's CMake build directory (default: build)")
    ap.add_argument("--runs", type=int, default=7, help="rounds (default 7)")
    ap.add_argument("--out-md", default=os.path.join(ROOT, "docs", "bench.md"))
    ap.add_argument("--out-svg", default=os.path.join(ROOT, "docs", "bench.svg"))
    ap.add_argument("--only", help="comma-separated parts to run: workloads "
                    "(fib,leaf,threads,lines,linesmem,lua), accuracy, scale")
    ap.add_argument("--report-only", action="store_true",
                    help="measure nothing: write the report and chart again "
                    "from the last run's BUILD/bench/results.json")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    work = os.path.join(build, "bench")
    saved = os.path.join(work, "results.json")
    os.makedirs(work, exist_ok=True)
    notes = []
    variants = peer_variants(work) + cprof_variants(build, notes)
    wanted = set(args.only.split(",")) if args.only else None
    if wanted and "lua" in wanted:
        wanted.add("lua-start")
    source = lua_source(os.path.join(work, "cache"), notes) \
        if not wanted or "lua" in wanted else None
    workloads = {w.key: w for w in all_workloads(source)
                 if not wanted or w.key in wanted}
    if args.report_only:
        with open(saved) as f:
            data = json.load(f)
    else:
        data = measure_all(args, build, work, variants, workloads, notes)
        with open(saved, "w") as f:
            json.dump(data, f)
    print(render(data, args, build, variants, workloads))
    for n in data["notes"]:
        print("bench: note: " + n, file=sys.stderr)


if __name__ == "__main__":
    main()
