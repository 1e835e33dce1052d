"""accuracy.py - does the profile tell a function's true time?

accuracy.c has functions of known cost (a leaf, a parent of 1,000 leaves,
a recursive function, one called once, a time-bounded loop, a parent whose
lines cost known amounts).  The uninstrumented build of the same compiler
times each ("truth"); each cprof build runs with each timer read (TIMERS),
its profile is read with prstats, compensated (the default) and with
--raw, and each measure compared with its truth.  Truth and profile runs
are interleaved; each figure is the median over the rounds, and the spread
of the compensated figure over the rounds is kept too.
"""
import json
import os
import random
import re
import statistics
import subprocess

from toolchain import HERE, compile_cached

# measure: (function, what is read, the goal of the issue "true times")
#   self: tottime per call; cum: cumtime per primitive call;
#   a line's name: that line's time per call of the function.
MEASURES = {
    "leaf.self": ("leaf", "self", 0.05),
    "parent.self": ("parent", "self", 0.05),
    "parent.cum": ("parent", "cum", 0.05),
    "recursive.self": ("recursive", "self", 0.05),
    "recursive.cum": ("recursive", "cum", 0.05),
    "once.cum": ("once", "cum", 0.05),
    "bounded.cum": ("bounded", "cum", 0.03),
    "line_parent.a": ("line_parent", "spin(LINE_A_WORK);", 0.10),
    "line_parent.b": ("line_parent", "spin(LINE_B_WORK);", 0.10),
    "line_parent.leaf": ("line_parent", "leaf();", 0.10),
}
SPREAD_GOAL = 0.10  # identical runs within 10% of each other
# (CPROF_TIMER, what the rows add to the variant's label)
TIMERS = (("", ""), ("ordered", ", CPROF_TIMER=ordered"))


def source_lines():
    """{line text: line number} of line_parent's body in accuracy.c."""
    with open(os.path.join(HERE, "accuracy.c")) as f:
        text = f.read().split("\n")
    start = next(i for i, l in enumerate(text) if "void line_parent(void)" in l)
    found = {}
    for i in range(start, len(text)):
        found.setdefault(text[i].strip(), i + 1)
        if text[i] == "}":
            return found
    return found


def build(variants, outdir):
    """{variant key: exe} of accuracy.c for the plain and cprof variants."""
    exes = {}
    for v in variants:
        if v.kind == "peer" or v.key.endswith(("-counts", "-hits")) or v.env:
            continue  # no times to check, or the default's function times
                      # less its line stores; timers come from TIMERS below
        work = os.path.join(outdir, v.key)
        os.makedirs(work, exist_ok=True)
        exe = os.path.join(work, "accuracy")
        err = compile_cached([v.cc, "-O2", "-I" + HERE,
                              os.path.join(HERE, "accuracy.c"), "-o", exe] +
                             v.flags + v.link, exe)
        if not err:
            exes[v.key] = exe
    return exes


def read_measures(prstats, profile, raw, lines):
    """{measure: ns} as prstats reports it (None: not in the profile)."""
    cmd = [prstats, "--format", "json", profile] + (["--raw"] if raw else [])
    data = json.loads(subprocess.run(cmd, capture_output=True, text=True,
                                     check=True).stdout)
    funcs = {f["name"]: f for f in data["functions"]}
    out = {}
    for key, (name, what, _) in MEASURES.items():
        f = funcs.get(name)
        if f is None:
            out[key] = None
        elif what == "self":
            out[key] = f["tottime"] / f["ncalls"] * 1e9
        elif what == "cum":
            out[key] = f["cumtime"] / f["pcalls"] * 1e9
        else:
            rec = [l for l in f.get("lines", []) if l["line"] == lines.get(what)]
            t = rec[0]["time"] if rec else None
            out[key] = t / f["ncalls"] * 1e9 if t is not None else None
    return out


def clock_line(prstats, profile):
    """prstats' own line on the clock, rate and compensation used."""
    out = subprocess.run([prstats, profile], capture_output=True, text=True,
                         check=True).stdout
    return next((l.strip() for l in out.splitlines()
                 if l.strip().startswith("Clock:")), "")


# line_parent calls of a run whose line times are sampled: about 3 s of it,
# some 750 signals at a 250 Hz kernel tick, a few percent of error on the
# lines that matter.
SAMPLED_LINE_PARENT_CALLS = 20000


def profile_args(key):
    return [str(SAMPLED_LINE_PARENT_CALLS)] if key.endswith("-full") else []


def profile_path(exe, timer):
    return os.path.join(os.path.dirname(exe), "cprof%s.out" % timer)


def one_run(key, exe, timer, prstats, lines):
    """One run: the truth, or the profile read both ways."""
    if key.startswith("plain"):
        out = subprocess.run([exe, "truth"], capture_output=True, text=True,
                             check=True).stdout
        return {k: float(v) for k, v in re.findall(r"(\S+)=(\S+)", out)}
    profile = profile_path(exe, timer)
    env = dict(os.environ, CPROF_OUT=profile)
    env.pop("CPROF_TIMER", None)
    if timer:
        env["CPROF_TIMER"] = timer
    subprocess.run([exe, "profile"] + profile_args(key), check=True, env=env,
                   capture_output=True)
    return {"comp": read_measures(prstats, profile, False, lines),
            "raw": read_measures(prstats, profile, True, lines)}


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def spread(xs):
    xs = [x for x in xs if x is not None]
    return (max(xs) - min(xs)) / statistics.median(xs) if len(xs) > 1 else None


def measure(variants, outdir, prstats, runs):
    """Rows for the report: per variant and measure, the truth, raw and
    compensated ns, and the compensated figure's spread over the runs."""
    exes = build(variants, outdir)
    lines = source_lines()
    jobs = [(k, t) for k in exes
            for t, _ in (TIMERS[:1] if k.startswith("plain") else TIMERS)]
    results = {j: [] for j in jobs}
    rng = random.Random(2)
    for _ in range(runs):
        rng.shuffle(jobs)
        for key, timer in jobs:
            results[(key, timer)].append(one_run(key, exes[key], timer,
                                                 prstats, lines))
    rows = []
    for v in variants:
        truth = results.get((v.base, ""))
        if v.key not in exes or v.kind != "cprof" or not truth:
            continue
        for timer, label in TIMERS:
            mine = results[(v.key, timer)]
            row = {"variant": v.label + label, "measures": {},
                   "clock": clock_line(prstats, profile_path(exes[v.key], timer))}
            for key, (_, _, goal) in MEASURES.items():
                comp = [r["comp"][key] for r in mine]
                row["measures"][key] = {
                    "truth": median([r[key] for r in truth]),
                    "raw": median([r["raw"][key] for r in mine]),
                    "comp": median(comp), "spread": spread(comp), "goal": goal}
            rows.append(row)
    return rows
