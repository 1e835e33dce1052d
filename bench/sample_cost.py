#!/usr/bin/env python3
"""sample_cost.py - cprof's stack sampler beside perf, gperftools and gprof:
what each costs and how right its shares are, measured in one run; writes
the section "The sampler beside its peers" of docs/bench.md.

    bench/sample_cost.py [--build DIR] [--runs N] [--reps N] [--out-md FILE]
                         [--no-doc]

Cost: fib, leaf, Lua 5.4 (bench.lua) and zlib (Debian's source, built
into the program so that the samples land in zlib's own code), each built
once at -O2 -g -fno-omit-frame-pointer and run unsampled, under cprof
(LD_PRELOAD=libcprof.so CPROF_SAMPLE=HZ), `perf record -e cpu-clock -F HZ
-g` and gperftools (LD_PRELOAD=libprofiler.so CPUPROFILE_FREQUENCY=HZ) at
100 Hz, 1 kHz and 10 kHz, and built with -pg for gprof; --runs
interleaved rounds (measure.py), medians; a cost is the ratio of a
variant's median to the unsampled run's, in CPU time of the whole process
tree (a recorder's included) and in wall time, the process start to end.

Accuracy: tests/sample/shares.c (1:2:4 in two threads), each tool's
per-function shares against the truth, --reps runs each; and the same
program built with the plugin and run with CPROF_SAMPLE (hybrid): each
function's self time as the probes measure it beside the sampled one.

A peer that is not installed is left out with a line.  Not a test: it
asserts nothing and is never run by ctest.
"""
import argparse
import ctypes.util
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

import measure
from toolchain import HERE, ROOT, Variant, compile_cached
from workloads import LuaWorkload, Workload, debian_source

RATES = (100, 1000, 10000)
FLAGS = ["-g", "-fno-omit-frame-pointer"]
SHARES = {"burn_one": 1 / 7, "burn_two": 2 / 7, "burn_four": 4 / 7}
SHARES_SECONDS = "2"  # CPU seconds of each of shares.c's two threads
BEGIN, END = "<!-- sample_cost.py: begin -->", "<!-- sample_cost.py: end -->"


class ZlibWorkload(Workload):
    """bench/zlib.c with Debian's zlib sources compiled in."""

    def __init__(self, source):
        super().__init__("zlib", "zlib: deflate and inflate 4 MiB, 12 times",
                         {"full": ["12"]}, timing="process")
        self.source = source

    def build(self, variant, outdir):
        exe = os.path.join(outdir, "zlib")
        cmd = [variant.cc, "-O2", "-I" + self.source, "-I" + HERE, self.src,
               *sorted(glob.glob(os.path.join(self.source, "*.c"))), "-o", exe] + \
            variant.flags + variant.link
        return exe, compile_cached(cmd, exe)


def workloads(cache, notes):
    """The cost workloads, sized to about 1.5 s each here; whole-process times."""
    out = [Workload("fib", "recursive fib(43)", {"full": ["43"]}, timing="process"),
           Workload("leaf", "4.5G calls to a leaf", {"full": ["4500000000", "1"]},
                    timing="process")]
    lua = debian_source("lua5.4", "src/lua.c", cache, notes)
    if lua:
        out.append(LuaWorkload("lua", "Lua 5.4 running bench.lua 20",
                               {"full": [os.path.join(HERE, "bench.lua"), "20"]}, lua))
    zlib = debian_source("zlib", "deflate.c", cache, notes)
    if zlib:
        out.append(ZlibWorkload(zlib))
    return out


def works(cmd):
    try:
        return subprocess.run(cmd, capture_output=True).returncode == 0
    except OSError:
        return False


def variants(build, work, notes):
    """The unsampled build, each tool at each rate, gprof's -pg build.
    Each has `tool` and `hz` (None: gprof's own rate)."""
    def v(key, label, tool, hz, **kw):
        out = Variant(key, label, "gcc", FLAGS + kw.pop("flags", []), kind="peer", **kw)
        out.tool, out.hz = tool, hz
        return out

    cprof = os.path.join(build, "rt", "libcprof.so")
    out = [v("plain", "unsampled", "plain", None),
           v("cprof-preload", "cprof preloaded, not sampling", "cprof", 0,
             env={"LD_PRELOAD": cprof})]
    out += [v("cprof-%d" % hz, "cprof", "cprof", hz,
              env={"LD_PRELOAD": cprof, "CPROF_SAMPLE": str(hz)}) for hz in RATES]
    probe = os.path.join(work, "perf-probe.data")
    if works(["perf", "record", "-q", "-e", "cpu-clock", "-o", probe, "--", "true"]):
        out += [v("perf-%d" % hz, "perf record", "perf", hz,
                  wrap=["perf", "record", "-q", "-e", "cpu-clock", "-F", str(hz), "-g",
                        "-o", "{work}/perf.data", "--"]) for hz in RATES]
    else:
        notes.append("perf left out: `perf record -e cpu-clock` fails here "
                     "(apt-get install linux-perf; kernel.perf_event_paranoid)")
    profiler = ctypes.util.find_library("profiler")
    if profiler:
        out += [v("gperf-%d" % hz, "gperftools", "gperftools", hz,
                  env={"LD_PRELOAD": profiler, "CPUPROFILE": "{work}/gperf.prof",
                       "CPUPROFILE_FREQUENCY": str(hz)}) for hz in RATES]
    else:
        notes.append("gperftools left out: no libprofiler.so "
                     "(apt-get install libgoogle-perftools-dev google-perftools)")
    if shutil.which("gprof"):
        out.append(v("gprof", "gprof -pg", "gprof", None, flags=["-pg"]))
    else:
        notes.append("gprof left out: no gprof (apt-get install binutils)")
    return out


def make_jobs(variants, workloads, work, notes):
    """One build per set of flags (the samplers run the unsampled binary)."""
    jobs, exes = [], {}
    for w in workloads:
        for v in variants:
            flags = tuple(v.flags)
            if (w.key, flags) not in exes:
                outdir = os.path.join(work, "pg" if "-pg" in flags else "plain", w.key)
                os.makedirs(outdir, exist_ok=True)
                exe, err = w.build(v, outdir)
                exes[w.key, flags] = None if err else exe
                if err:
                    notes.append("%s / %s: build failed: %s" % (v.label, w.key,
                                                                err.splitlines()[-1]))
            if exes[w.key, flags]:
                jwork = os.path.join(work, v.key, w.key)
                os.makedirs(jwork, exist_ok=True)
                jobs.append(measure.Job(v, w, "full", exes[w.key, flags], jwork))
    return jobs


# ---- accuracy: each tool's shares of shares.c's three functions ----

def run_checked(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def cprof_times(prstats, work):
    s = json.loads(run_checked([prstats, "-f", "json", os.path.join(work, "cprof.out")]))
    s = s["sampled"]
    # cumtime: a burn function's own code and what was inlined into it, as
    # the other tools' self time (which names no inlined function) counts it
    times = {f["name"]: f["cumtime"] for f in s["functions"]}
    return times, s["samples"], s["signals"]


def perf_times(exe, work):
    out = run_checked(["perf", "report", "-i", os.path.join(work, "perf.data"), "--stdio",
                       "--no-children", "--sort", "sym", "-g", "none",
                       "-F", "overhead,sample,sym"])
    rows = re.findall(r"^\s*[\d.]+%\s+(\d+)\s+\[\S+\]\s+(\S+)", out, re.M)
    n = sum(int(count) for count, _ in rows)
    return {name: int(count) for count, name in rows}, n, n


def gperf_times(exe, work):
    pprof = shutil.which("google-pprof") or shutil.which("pprof")
    out = run_checked([pprof, "--text", exe, os.path.join(work, "gperf.prof")])
    # cumulative: pprof names the inlined code (spin) in the flat column
    times = {m.group(2): int(m.group(1)) for m in
             re.finditer(r"^\s*\d+\s+[\d.]+%\s+[\d.]+%\s+(\d+)\s+[\d.]+%\s+(\S+)", out, re.M)}
    n = int(re.search(r"Total: (\d+) samples", out).group(1))
    return times, n, n


def gprof_times(exe, work):
    out = run_checked(["gprof", "-b", "-p", exe, os.path.join(work, "gmon.out")])
    times = {m.group(2): float(m.group(1)) for m in
             re.finditer(r"^\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s.*?(\S+)$", out, re.M)}
    n = round(sum(times.values()) / 0.01)  # "Each sample counts as 0.01 seconds."
    return times, n, n


def shares_of(times):
    total = sum(times.get(f, 0) for f in SHARES)
    return {f: times.get(f, 0) / total if total else 0 for f in SHARES}


def accuracy(vs, build, work, reps, notes):
    """[{variant, shares: {f: [share per rep]}, samples, signals, cpu}]."""
    prstats = os.path.join(build, "bin", "prstats")
    src = os.path.join(ROOT, "tests", "sample", "shares.c")
    readers = {"cprof": lambda exe, w: cprof_times(prstats, w), "perf": perf_times,
               "gperftools": gperf_times, "gprof": gprof_times}
    if not (shutil.which("google-pprof") or shutil.which("pprof")):
        notes.append("gperftools' shares left out: no pprof (apt-get install google-perftools)")
        readers.pop("gperftools")
    rows = []
    for v in vs:
        if v.tool not in readers or v.hz == 0:
            continue
        exe = os.path.join(work, "shares-pg" if "-pg" in v.flags else "shares", "shares")
        os.makedirs(os.path.dirname(exe), exist_ok=True)
        err = compile_cached([v.cc, "-O2", *v.flags, "-pthread", src, "-o", exe], exe)
        if err:
            notes.append("shares.c for %s: build failed: %s" % (v.label, err))
            continue
        jwork = os.path.join(work, v.key, "shares")
        os.makedirs(jwork, exist_ok=True)
        row = {"variant": v, "shares": {f: [] for f in SHARES}, "samples": [],
               "signals": [], "cpu": []}
        for _ in range(reps):
            before = os.times()
            subprocess.run(v.command(exe, [SHARES_SECONDS], jwork), cwd=jwork, check=True,
                           env=v.run_env(jwork), capture_output=True)
            after = os.times()
            times, samples, signals = readers[v.tool](exe, jwork)
            for f, s in shares_of(times).items():
                row["shares"][f].append(s)
            row["samples"].append(samples)
            row["signals"].append(signals)
            row["cpu"].append(after.children_user + after.children_system -
                              before.children_user - before.children_system)
        rows.append(row)
    return rows


def hybrid(build, work, reps, notes):
    """shares.c built with the GCC plugin (its burn functions and worker
    profiled) run with CPROF_SAMPLE=1000: per rep, {f: (probes' self time,
    sampled self time)}."""
    plugin = os.path.join(build, "plugin-gcc", "cprof.so")
    if not os.path.exists(plugin):
        notes.append("hybrid left out: no GCC plugin at " + plugin)
        return []
    rt = os.path.join(build, "rt")
    exe = os.path.join(work, "shares-cprof", "shares")
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    err = compile_cached(["gcc", "-O2", *FLAGS, "-fplugin=" + plugin,
                          "-fplugin-arg-cprof-functions=" + ",".join([*SHARES, "worker"]),
                          "-pthread", os.path.join(ROOT, "tests", "sample", "shares.c"),
                          "-o", exe, "-L" + rt, "-Wl,-rpath," + rt, "-lcprof"], exe)
    if err:
        notes.append("hybrid: build failed: " + err)
        return []
    out_file = os.path.join(os.path.dirname(exe), "cprof.out")
    env = dict(os.environ, CPROF_OUT=out_file, CPROF_SAMPLE="1000")
    runs = []
    for _ in range(reps):
        subprocess.run([exe, SHARES_SECONDS], check=True, env=env, capture_output=True)
        p = json.loads(run_checked([os.path.join(build, "bin", "prstats"), "-f", "json",
                                    out_file]))
        probes = {f["name"]: f["tottime"] for f in p["functions"]}
        # cumtime: the burn function's own code with spin, inlined into it
        # and so within its probes, which the sampled rows show apart
        sampled = {f["name"]: f["cumtime"] for f in p["sampled"]["functions"]}
        runs.append({f: (probes.get(f, 0), sampled.get(f, 0)) for f in SHARES})
    return runs


# ---- the report ----

def ratios(job, base, clock):
    """The variant's time over the unsampled run's in each round: pairs of
    the same round, which saw the same neighbours (measure.py keeps a job's
    rounds in order, and drops a job that failed once)."""
    return [a / b for a, b in zip(job.times[clock], base.times[clock])]


def iqr(xs):
    if len(xs) < 2:
        return 0.0
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[2] - q[0]


def cost_table(jobs, workloads):
    by = {(j.variant.key, j.workload.key): j for j in jobs}
    keys = [w.key for w in workloads]
    head = ["| sampler | rate |"] + [" %s: CPU / wall |" % w.label for w in workloads] + \
        [" noise |"]
    out = ["".join(head), "|---|---|" + "---|" * (len(keys) + 1)]
    seen = []
    for j in jobs:
        if j.variant not in seen and j.variant.tool != "plain":
            seen.append(j.variant)
    seen.sort(key=lambda v: (v.hz if v.hz is not None else 150, v.tool))
    for v in seen:
        cells, noise = [], []
        for k in keys:
            j, base = by.get((v.key, k)), by.get(("plain", k))
            if not j or not base:
                cells.append("—")
                continue
            cpu = ratios(j, base, "cpu")
            cells.append("%.3f / %.3f" % (statistics.median(cpu),
                                          statistics.median(ratios(j, base, "wall"))))
            noise.append(iqr(cpu))
        rate = {None: "100 Hz (its own) + mcount", 0: "—"}.get(v.hz) or "%g Hz" % v.hz
        out.append("| %s | %s | %s | %.1f%% |" % (v.label, rate, " | ".join(cells),
                                                 100 * statistics.median(noise)))
    return out


def target_line(jobs):
    """Met where every median is within 1%; where one is not but is within
    its own noise, this run shows neither way."""
    by = {(j.variant.key, j.workload.key): j for j in jobs}
    out, over = [], []
    for (vkey, wkey), j in sorted(by.items()):
        if vkey == "cprof-1000" and ("plain", wkey) in by:
            cpu = ratios(j, by["plain", wkey], "cpu")
            r, noise = statistics.median(cpu) - 1, iqr(cpu)
            out.append("%s %+.1f%% (noise %.1f%%)" % (wkey, 100 * r, 100 * noise))
            if r > 0.01:
                over.append(r - 0.01 > noise)
    verdict = "met" if out and not over else "**missed**" if any(over) else \
        "not shown either way: over 1% only within the noise"
    return ("Target: the sampler at its default rate (1 kHz) costs at most 1%% of the run "
            "time (median CPU ratio): %s: %s." % (", ".join(out), verdict))


def accuracy_table(rows):
    out = ["| sampler | rate | samples a run (signals), median | CPU s a run | "
           "burn_one | burn_two | burn_four | worst error |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        v = r["variant"]
        med = {f: statistics.median(s) for f, s in r["shares"].items()}
        worst = max(abs(s - SHARES[f]) for f, ss in r["shares"].items() for s in ss)
        samples, signals = statistics.median(r["samples"]), statistics.median(r["signals"])
        count = "%d" % samples + (" (%d)" % signals if signals != samples else "")
        rate = "%g Hz" % v.hz if v.hz else "100 Hz (its own)"
        out.append("| %s | %s | %s | %.2f | %s | %.1f pp |" % (
            v.label, rate, count, statistics.median(r["cpu"]),
            " | ".join("%.1f%%" % (100 * med[f]) for f in SHARES), 100 * worst))
    out.append("| truth | | | | %s | |" % " | ".join("%.1f%%" % (100 * s)
                                                    for s in SHARES.values()))
    return out


def hybrid_table(runs):
    out = ["| function | probes' self time, s | sampled self time, s | sampled / probes | "
           "share by the probes | share sampled | difference |", "|---|---|---|---|---|---|---|"]
    probes = {f: statistics.median(r[f][0] for r in runs) for f in SHARES}
    sampled = {f: statistics.median(r[f][1] for r in runs) for f in SHARES}
    ps, ss = shares_of(probes), shares_of(sampled)
    for f in SHARES:
        out.append("| %s | %.3f | %.3f | %.3f | %.1f%% | %.1f%% | %+.1f pp |" % (
            f, probes[f], sampled[f], sampled[f] / probes[f] if probes[f] else 0,
            100 * ps[f], 100 * ss[f], 100 * (ss[f] - ps[f])))
    worst = max(abs(r[f][1] / sum(x[1] for x in r.values()) -
                    r[f][0] / sum(x[0] for x in r.values())) for r in runs for f in SHARES)
    return out, worst


def versions():
    def first(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
        except (OSError, IndexError):
            return None
    gperf = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libgoogle-perftools-dev"],
                           capture_output=True, text=True).stdout
    parts = [first(["gcc", "--version"]), first(["perf", "--version"]),
             gperf and "gperftools " + gperf, first(["gprof", "--version"])]
    return "; ".join(p for p in parts if p)


INTRO = """\
`bench/sample_cost.py`: cprof's stack sampler (`LD_PRELOAD=libcprof.so CPROF_SAMPLE=HZ`,
docs/sampling.md) beside `perf record -e cpu-clock -F HZ -g` (a software clock event,
frame-pointer call chains), gperftools' CPU profiler (`LD_PRELOAD=libprofiler.so
CPUPROFILE=FILE CPUPROFILE_FREQUENCY=HZ`) and gprof (`-pg`: mcount in every function, and
glibc's `profil` histogram at 100 Hz). Every sampler runs the same binary, built once at
`-O2 -g -fno-omit-frame-pointer` with gcc; gprof runs its own `-pg` build of the same source.
zlib is Debian's source compiled into `bench/zlib.c`, so that the samples land in zlib's
own functions (`longest_match`, `deflate_slow`, `inflate_fast`), named by their symbols.
Each cost is the ratio of the variant's median to the unsampled run's, in **CPU time of
the whole process tree** (perf's recorder included; user + system) and in **wall time**
from the process's start to its end (start-up, the profile written at exit, perf's
build-id pass). Every round runs every job once in a fresh random order (`measure.py`)."""

COST = """\
Run time over the unsampled run's (CPU / wall; 1.000 = free): in each round, the variant's
time over the unsampled run's of the same round, median of the rounds. Noise: the
interquartile range of those CPU ratios, median over the workloads. Each workload runs about
1.5 to 2.5 s of CPU unsampled, so a fixed cost (start-up, the profile written at exit) counts
for little. Wall time on this shared machine moves with the neighbours' load far more than
any sampler costs: read the CPU ratios."""

NOTES = """\
Linux fires CPU-time timers on its scheduler tick (250 Hz here): cprof's per-thread timers
(`timer_create(CLOCK_THREAD_CPUTIME_ID)`) deliver at most about 250 signals a second a
thread and weigh each by the samples it carries (`si_overrun`), so above 250 Hz its cost
stops growing and its estimates stay right in seconds; gperftools' `setitimer(ITIMER_PROF)`
is bound to the same tick but counts one sample a signal, so its sample counts (and
times, samples / frequency) fall short above 250 Hz while its shares stay right. perf's
`cpu-clock` event is a high-resolution timer in the kernel: at 10 kHz it does take 10,000
samples a second, each an interrupt, a kernel stack walk and a record that the `perf`
process writes out."""


def section(data):
    out = [BEGIN, "## The sampler beside its peers", "", INTRO, "",
           "Measured %s, %s rounds, medians; %s. Load at the start: `%s`; at the end: `%s`; "
           "load average (1 min) over the rounds %.1f to %.1f. The machine is a 2-core VM "
           "that other agents were building on: read a cost of a few percent as noise."
           % (data["date"], data["runs"], data["versions"], data["uptime"][0],
              data["uptime"][1], min(data["load"]), max(data["load"])), "",
           "### Cost", "", COST, ""]
    out += data["cost"] + ["", data["target"], "", NOTES, ""]
    if data["accuracy"]:
        out += ["### Accuracy: shares of known work", "",
                "`tests/sample/shares.c %s`: two threads each running burn_one, burn_two "
                "and burn_four, one, two and four times the same work, for %s s of CPU "
                "time; each function's share of the three's time as each tool reports it "
                "(cprof: sampled cumtime, which holds what was inlined into it; perf: "
                "`perf report --no-children --sort sym`; gperftools: `pprof --text`, cumulative, pprof naming the inlined `spin` in the flat column; "
                "gprof: `gprof -p`, self seconds), median of %d runs, and the worst error "
                "of any function in any run, in percentage points:"
                % (SHARES_SECONDS, SHARES_SECONDS, data["reps"]), ""]
        out += data["accuracy"] + [""]
    if data["hybrid"]:
        out += ["### Hybrid: sampled self time beside the probes'", "",
                "The same program built with the GCC plugin "
                "(`-fplugin-arg-cprof-functions=burn_one,burn_two,burn_four,worker`) and "
                "run with `CPROF_SAMPLE=1000`: in each run, every burn function's self time "
                "from its probes (pstats' tottime: TSC, wall time, the probes' cost taken "
                "out) and from the stack samples of the same run (CPU time; the sampled cumtime, "
                "which holds the inlined `spin` that the probes count in it); medians of "
                "%d runs. The two clocks differ when other processes take the CPU away "
                "(wall time grows, CPU time does not), so the shares are the comparison; "
                "the worst share difference in any run was %.1f pp."
                % (data["reps"], 100 * data["hybrid_worst"]), ""]
        out += data["hybrid"] + [""]
    if data["notes"]:
        out += ["Left out: " + "; ".join(data["notes"]) + ".", ""]
    out.append(END)
    return "\n".join(out)


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def measure_all(args, build, work):
    """Everything measured, as JSON: the rounds' times, accuracy, hybrid."""
    notes, start = [], uptime()
    vs = variants(build, work, notes)
    ws = workloads(os.path.join(build, "bench", "cache"), notes)
    jobs = make_jobs(vs, ws, work, notes)
    load = [os.getloadavg()[0]]
    jobs = measure.run_rounds(jobs, args.runs, load)
    acc = accuracy(vs, build, work, args.reps, notes)
    for row in acc:
        row["variant"] = row["variant"].key
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "runs": args.runs,
            "reps": args.reps, "versions": versions(), "load": load, "notes": notes,
            "jobs": [[j.variant.key, j.workload.key, j.times] for j in jobs],
            "accuracy": acc, "hybrid": hybrid(build, work, args.reps, notes),
            "uptime": [start, uptime()]}


def render(raw, build, work):
    """The section's parts from what measure_all saved."""
    notes = []  # the saved ones are the run's
    by_key = {v.key: v for v in variants(build, work, notes)}
    ws = {w.key: w for w in workloads(os.path.join(build, "bench", "cache"), notes)}
    jobs = []
    for vkey, wkey, times in raw["jobs"]:
        job = measure.Job(by_key[vkey], ws[wkey], "full", None, None)
        job.times = times
        jobs.append(job)
    acc = [dict(row, variant=by_key[row["variant"]]) for row in raw["accuracy"]]
    hyb_table, hyb_worst = hybrid_table(raw["hybrid"]) if raw["hybrid"] else ([], 0)
    present = [w for w in ws.values() if any(j.workload is w for j in jobs)]
    return dict(raw, cost=cost_table(jobs, present), target=target_line(jobs),
                accuracy=accuracy_table(acc) if acc else [], hybrid=hyb_table,
                hybrid_worst=hyb_worst)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=7, help="cost rounds (default 7)")
    ap.add_argument("--reps", type=int, default=3, help="accuracy runs (default 3)")
    ap.add_argument("--out-md", default=os.path.join(ROOT, "docs", "bench.md"))
    ap.add_argument("--no-doc", action="store_true", help="print the section only")
    ap.add_argument("--report-only", action="store_true",
                    help="measure nothing: the section again from BUILD/bench/sample/results.json")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    work = os.path.join(build, "bench", "sample")
    os.makedirs(work, exist_ok=True)
    saved = os.path.join(work, "results.json")
    if args.report_only:
        with open(saved) as f:
            raw = json.load(f)
    else:
        raw = measure_all(args, build, work)
        with open(saved, "w") as f:
            json.dump(raw, f)
    data = render(raw, build, work)
    text = section(data)
    print(text)
    if args.no_doc:
        return
    with open(args.out_md) as f:
        doc = f.read()
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        doc = head + text + rest.split(END, 1)[1]
    else:
        doc = doc.replace("\n## Targets\n", "\n" + text + "\n\n## Targets\n", 1)
    with open(args.out_md, "w") as f:
        f.write(doc)


if __name__ == "__main__":
    sys.exit(main())
