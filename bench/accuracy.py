"""accuracy.py - does the profile tell a function's true time?

accuracy.c has a leaf that does a fixed amount of work and a parent that
calls it 1,000 times and does work of its own.  The uninstrumented build
of the same compiler times both ("truth"); each cprof build runs with each
timer read (TIMERS), its profile is read with prstats, compensated (the
default) and with --raw, and the self time per call compared with the
truth.  Truth and profile runs are interleaved, and each figure is the
median over the rounds.
"""
import json
import os
import random
import statistics
import subprocess

from toolchain import HERE, compile_cached

FUNCS = ("leaf", "parent")
# (CPROF_TIMER, what the rows add to the variant's label)
TIMERS = (("", ""), ("ordered", ", CPROF_TIMER=ordered"))


def build(variants, outdir):
    """{variant key: exe} of accuracy.c for the plain and cprof variants."""
    exes = {}
    for v in variants:
        if v.kind == "peer" or v.key.endswith("-counts") or v.env:
            continue  # no times to check; timers come from TIMERS below
        work = os.path.join(outdir, v.key)
        os.makedirs(work, exist_ok=True)
        exe = os.path.join(work, "accuracy")
        err = compile_cached([v.cc, "-O2", "-I" + HERE,
                              os.path.join(HERE, "accuracy.c"), "-o", exe] +
                             v.flags + v.link, exe)
        if not err:
            exes[v.key] = exe
    return exes


def self_ns(prstats, profile, raw):
    """{function: self ns per call} as prstats reports it."""
    cmd = [prstats, "--format", "json", profile] + (["--raw"] if raw else [])
    data = json.loads(subprocess.run(cmd, capture_output=True, text=True,
                                     check=True).stdout)
    return {f["name"]: f["tottime"] / f["ncalls"] * 1e9
            for f in data["functions"] if f["name"] in FUNCS}


def clock_line(prstats, profile):
    """prstats' own line on the clock, rate and compensation used."""
    out = subprocess.run([prstats, profile], capture_output=True, text=True,
                         check=True).stdout
    return next((l.strip() for l in out.splitlines()
                 if l.strip().startswith("Clock:")), "")


def profile_path(exe, timer):
    return os.path.join(os.path.dirname(exe), "cprof%s.out" % timer)


def one_run(key, exe, timer, prstats):
    """One run: the truth, or the profile read both ways."""
    if key.startswith("plain"):
        out = subprocess.run([exe, "truth"], capture_output=True, text=True,
                             check=True).stdout.split()
        return {"leaf": float(out[1]), "parent": float(out[2])}
    profile = profile_path(exe, timer)
    env = dict(os.environ, CPROF_OUT=profile)
    env.pop("CPROF_TIMER", None)
    if timer:
        env["CPROF_TIMER"] = timer
    subprocess.run([exe, "profile"], check=True, env=env)
    comp, raw = self_ns(prstats, profile, False), self_ns(prstats, profile, True)
    return {"comp": comp, "raw": raw}


def measure(variants, outdir, prstats, runs):
    """Rows for the report: truth, raw and compensated self ns per call."""
    exes = build(variants, outdir)
    jobs = [(k, t) for k in exes
            for t, _ in (TIMERS[:1] if k.startswith("plain") else TIMERS)]
    results = {j: [] for j in jobs}
    rng = random.Random(2)
    for _ in range(runs):
        rng.shuffle(jobs)
        for key, timer in jobs:
            results[(key, timer)].append(one_run(key, exes[key], timer,
                                                 prstats))
    med = lambda xs: statistics.median(xs)
    rows = []
    for v in variants:
        truth = results.get((v.base, ""))
        if v.key not in exes or v.kind != "cprof" or not truth:
            continue
        for timer, label in TIMERS:
            mine = results[(v.key, timer)]
            row = {"variant": v.label + label,
                   "clock": clock_line(prstats, profile_path(exes[v.key], timer))}
            for f in FUNCS:
                row[f] = {"truth": med([r[f] for r in truth]),
                          "raw": med([r["raw"][f] for r in mine]),
                          "comp": med([r["comp"][f] for r in mine])}
            rows.append(row)
    return rows
