#!/usr/bin/env python3
"""Per-call overhead of cprof beside its peers, measured in one run.

Builds every benchmark program in every variant, runs the variants
interleaved (so machine noise hits them alike), takes the median of the
runs, and prints a markdown table: ns per call over the uninstrumented
build and the ratio to the minimal -finstrument-functions profiler.

    bench/run.py [--build DIR] [--runs N] [--out FILE.md]

Not a test: it asserts nothing and is never run by ctest.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Program -> (argument, calls made with it, description).
PROGRAMS = {
    "fib": ("32", 7049155, "recursive fib(32)"),
    "leaf": ("50000000", 50000000, "50M calls to a leaf"),
    "lines": ("10000000", None, "line-heavy loop, 10M iterations"),
}


def variants(build):
    gplug = os.path.join(build, "plugin-gcc", "cprof.so")
    cplug = os.path.join(build, "plugin-clang", "cprof_clang.so")
    rt = os.path.join(build, "rt")
    cprof_link = ["-L" + rt, "-Wl,-rpath," + rt, "-lcprof"]
    minprof = [os.path.join(HERE, "minprof.c")]
    v = {
        "plain (gcc)": (["gcc"], []),
        "gprof -pg": (["gcc", "-pg"], []),
        "minimal -finstrument-functions (2 rdtsc)":
            (["gcc", "-finstrument-functions"], minprof),
        "cprof gcc, functions only": (
            ["gcc", "-fplugin=" + gplug, "-fplugin-arg-cprof-no-lines"],
            cprof_link),
        "cprof gcc, full (lines)": (["gcc", "-fplugin=" + gplug], cprof_link),
    }
    if os.path.exists(cplug):
        v["plain (clang)"] = (["clang"], [])
        v["cprof clang, functions only"] = (
            ["clang", "-fplugin=" + cplug, "-fplugin-arg-cprof_clang-no-lines"],
            cprof_link)
        v["cprof clang, full (lines)"] = (["clang", "-fplugin=" + cplug],
                                          cprof_link)
    return v


def build_all(build, outdir):
    exes = {}
    for name, (cc, extra) in variants(build).items():
        for prog in PROGRAMS:
            exe = os.path.join(outdir, "%s-%d" % (prog, len(exes)))
            cmd = cc + ["-O2", "-I" + HERE, os.path.join(HERE, prog + ".c"),
                        "-o", exe] + extra
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                print("skip %s/%s: %s" % (name, prog, r.stderr.strip()[:200]),
                      file=sys.stderr)
                continue
            exes[(name, prog)] = exe
    return exes


def run_once(exe, arg, workdir):
    env = dict(os.environ, CPROF_OUT=os.path.join(workdir, "cprof.out"))
    out = subprocess.run([exe, arg], capture_output=True, text=True, env=env,
                         cwd=workdir, check=True).stdout
    for line in out.splitlines():
        if line.startswith("bench "):
            return float(line.split()[2])
    raise RuntimeError("no timing from " + exe)


def line_hits(build, exe, arg, workdir):
    """Executed line changes, read from the profile itself."""
    run_once(exe, arg, workdir)
    prstats = os.path.join(build, "tools", "prstats")
    out = subprocess.run([prstats, "--format", "json",
                          os.path.join(workdir, "cprof.out")],
                         capture_output=True, text=True, check=True).stdout
    return sum(l["hits"] for f in json.loads(out)["functions"]
               for l in f["lines"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--out")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="cprof-bench-")
    exes = build_all(args.build, work)
    times = {k: [] for k in exes}
    for _ in range(args.runs):
        for key, exe in exes.items():
            times[key].append(run_once(exe, PROGRAMS[key[1]][0], work))
    med = {k: statistics.median(v) for k, v in times.items()}
    lines = report(args.build, exes, med, work)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    shutil.rmtree(work)


def report(build, exes, med, work):
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for l in f:
            if l.startswith("model name"):
                cpu = l.split(":", 1)[1].strip()
                break
    out = ["Machine: %s, %d cores, %s; median of interleaved runs." %
           (cpu, os.cpu_count(), platform.release()), ""]
    for prog in ("fib", "leaf"):
        arg, calls, desc = PROGRAMS[prog]
        out += ["### %s (%s calls)" % (desc, format(calls, ",")), "",
                "| variant | seconds | ns/call over plain | ratio to minimal profiler |",
                "|---|---|---|---|"]
        ref = med.get(("minimal -finstrument-functions (2 rdtsc)", prog))
        for (name, p), t in med.items():
            if p != prog:
                continue
            base = med.get(("plain (clang)" if "clang" in name else "plain (gcc)", p))
            ns = (t - base) * 1e9 / calls
            rns = (ref - med[("plain (gcc)", p)]) * 1e9 / calls if ref else None
            ratio = "%.2f" % (ns / rns) if rns and "plain" not in name else ""
            out.append("| %s | %.4f | %.2f | %s |" % (name, t, ns, ratio))
        out.append("")
    out += line_report(build, exes, med, work)
    return out


def line_report(build, exes, med, work):
    out = ["### %s" % PROGRAMS["lines"][2], "",
           "| compiler | executed line changes | ns per line (full minus functions only) |",
           "|---|---|---|"]
    for cc in ("gcc", "clang"):
        full, fonly = ("cprof %s, full (lines)" % cc, "lines"), \
                      ("cprof %s, functions only" % cc, "lines")
        if full not in med or fonly not in med:
            continue
        hits = line_hits(build, exes[full], PROGRAMS["lines"][0], work)
        ns = (med[full] - med[fonly]) * 1e9 / hits
        out.append("| %s | %s | %.2f |" % (cc, format(hits, ","), ns))
    return out + [""]


if __name__ == "__main__":
    main()
