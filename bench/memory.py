#!/usr/bin/env python3
"""Cost of cprof's memory tracing per malloc/free pair, beside its peers.

Builds bench/memory.c plain, linked with libcprof (tracing off, then on:
CPROF_MEMORY=1), and with the GCC plugin (line probes on, tracing off and
on); runs them interleaved --runs times and takes medians; then runs the
plain program under valgrind --tool=massif and heaptrack when installed.
Prints a markdown table of ns per pair over the plain program.

    bench/memory.py [--build DIR] [--runs N] [--pairs N]

Not a test: it asserts nothing and is never run by ctest.
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def build(cc, out, build_dir, plugin=False, cprof=False):
    cmd = [cc, "-O2", f"-I{ROOT}/include", os.path.join(HERE, "memory.c"), "-o", out]
    if plugin:
        cmd[1:1] = [f"-fplugin={build_dir}/plugin-gcc/cprof.so"]
    if cprof or plugin:
        rt = os.path.join(build_dir, "rt")
        cmd += [f"-L{rt}", f"-Wl,-rpath,{rt}", "-lcprof"]
    subprocess.run(cmd, check=True)
    return out


def seconds(cmd, env, work):
    """The loop's own seconds, from the program's "bench memory S N" line."""
    out = subprocess.run(cmd, env=env, cwd=work, check=True, capture_output=True,
                         text=True).stdout
    return float(next(l for l in out.splitlines() if l.startswith("bench ")).split()[2])


def wall(cmd, work):
    """Whole-run seconds, for tools that slow the whole process."""
    t = time.monotonic()
    subprocess.run(cmd, cwd=work, check=True, capture_output=True)
    return time.monotonic() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--pairs", type=int, default=20_000_000)
    o = ap.parse_args()
    o.build = os.path.abspath(o.build)
    work = tempfile.mkdtemp(prefix="cprof-bench-memory-")
    exe = {
        "plain": build("gcc", f"{work}/plain", o.build),
        "linked": build("gcc", f"{work}/linked", o.build, cprof=True),
        "plugin": build("gcc", f"{work}/plugin", o.build, plugin=True),
    }
    off = dict(os.environ, CPROF_OUT=f"{work}/cprof.out", CPROF_MEMORY="0")
    on = dict(off, CPROF_MEMORY="1")
    variants = [  # (label, program, environment, baseline label)
        ("plain malloc/free", "plain", off, None),
        ("libcprof linked, tracing off", "linked", off, "plain malloc/free"),
        ("libcprof, CPROF_MEMORY=1 (<unprofiled> site)", "linked", on, "plain malloc/free"),
        ("plugin with line probes, tracing off", "plugin", off, None),
        ("plugin with line probes, CPROF_MEMORY=1 (site with line)", "plugin", on,
         "plugin with line probes, tracing off"),
    ]
    times = {label: [] for label, *_ in variants}
    for _ in range(o.runs):
        for label, key, env, _ in variants:
            times[label].append(seconds([exe[key], str(o.pairs)], env, work))
    med = {k: statistics.median(v) for k, v in times.items()}
    rows = []
    for label, _, _, base in variants:
        ns = med[label] / o.pairs * 1e9
        over = "" if base is None else "%+.1f" % ((med[label] - med[base]) / o.pairs * 1e9)
        rows.append((label, "%.1f" % ns, over))
    small = o.pairs // 20
    plain_small = statistics.median(wall([exe["plain"], str(small)], work) for _ in range(3))
    for tool, cmd in (("valgrind --tool=massif", ["valgrind", "--tool=massif",
                                                   f"--massif-out-file={work}/massif.out"]),
                      ("heaptrack", ["heaptrack", "-o", f"{work}/heaptrack"])):
        if not shutil.which(cmd[0]):
            rows.append((tool, "not installed", ""))
            continue
        t = wall(cmd + [exe["plain"], str(small)], work)
        rows.append((tool + " (whole run)", "%.1f" % (t / small * 1e9),
                     "%+.1f" % ((t - plain_small) / small * 1e9)))
    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, "
          f"{platform.platform()}; {o.pairs} pairs (tools: {small}), "
          f"median of {o.runs} interleaved runs\n")
    print("| variant | ns per pair | over its baseline |")
    print("|---|---:|---:|")
    for r in rows:
        print("| %s | %s | %s |" % r)
    shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main())
