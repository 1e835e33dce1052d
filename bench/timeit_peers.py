#!/usr/bin/env python3
"""timeit_peers.py - `cprof timeit` beside Google Benchmark and hyperfine on
the same C statements; writes the table into docs/timeit.md.

    bench/timeit_peers.py [--build DIR] [--doc docs/timeit.md] [--no-doc]

Each statement is timed three ways, each with its own tool's defaults:

- `cprof timeit -s SETUP STMT` (7 runs, autorange to 0.2 s, the empty loop
  subtracted): its mean and std. dev. a loop, and its best run;
- Google Benchmark (Debian's libbenchmark-dev): a BENCHMARK whose loop is
  `for (auto _ : state) { STMT; }`, cprof_keep/cprof_clobber spelled
  DoNotOptimize/ClobberMemory, with --benchmark_repetitions=7
  --benchmark_min_time=0.2: the mean and std. dev. of the repetitions'
  real time (wall, as the others), and of their CPU time;
- hyperfine: a program that runs SETUP, then STMT N times (N from
  argv, chosen so that a run lasts 0.2 s or more), timed at N and at 0
  with --shell=none (3 warm-ups, 10 runs); the difference of the means
  over N is the time a loop, its error the two std. devs. added in
  quadrature, over N.

and how long each took to give its figures, building included.  A
benchmark, never a test: one run, on whatever machine it is run on.
"""

import argparse
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (name, setup, statement): KEEP(x) and CLOBBER() are each tool's spelling
# of cprof_keep and cprof_clobber.  Valid C and C++.
STATEMENTS = [
    ("16 dependent multiplies", "double m = 1, x = 1; KEEP(m)", "x *= m; " * 16 + "KEEP(x)"),
    ("memcpy of 4 KiB", "static char a[4096], b[4096]; char *pa = a, *pb = b; KEEP(pa); "
     "KEEP(pb)", "memcpy(pb, pa, 4096); CLOBBER()"),
    # b is never read: the compiler deletes the copy, and each tool shows
    # what it then measures.
    ("memcpy never read (deleted)", "static char a[4096], b[4096]; KEEP(a)",
     "memcpy(b, a, sizeof b); CLOBBER()"),
    ("malloc and free of 64 B", "(void)0", "void *p = malloc(64); KEEP(p); free(p)"),
    ("sum of 1,000 ints", "static int v[1000]; long s = 0; KEEP(v)",
     "for (int i = 0; i < 1000; i++) s += v[i]; KEEP(s)"),
]

BEGIN, END = "<!-- timeit_peers.py: begin -->", "<!-- timeit_peers.py: end -->"


def spell(text, keep, clobber):
    return text.replace("KEEP(", keep + "(").replace("CLOBBER()", clobber + "()")


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode:
        sys.exit(f"timeit_peers.py: {' '.join(cmd)} failed ({p.returncode}):\n"
                 f"{p.stdout}{p.stderr}")
    return p.stdout


def timed(fn):
    t0 = time.monotonic()
    out = fn()
    return out, time.monotonic() - t0


def with_cprof(cprof, setup, stmt):
    setup, stmt = (spell(t, "cprof_keep", "cprof_clobber") for t in (setup, stmt))
    out, seconds = timed(lambda: run([cprof, "timeit", "--json", "--include", "stdlib.h",
                                      "--include", "string.h", "-s", setup, stmt]))
    r = json.loads(out.splitlines()[0])
    return {"mean": r["mean"], "err": r["stdev"], "best": r["best"], "seconds": seconds,
            "build": None}


GB_HEAD = """#include <benchmark/benchmark.h>
#include <cstdlib>
#include <cstring>
"""


def with_benchmark(work, k, setup, stmt):
    setup, stmt = (spell(t, "benchmark::DoNotOptimize", "benchmark::ClobberMemory")
                   for t in (setup, stmt))
    src, exe = os.path.join(work, f"gb{k}.cc"), os.path.join(work, f"gb{k}")
    with open(src, "w") as f:
        f.write(GB_HEAD + f"static void BM_{k}(benchmark::State &state) {{\n  {setup};\n"
                f"  for (auto _ : state) {{\n    {stmt};\n  }}\n}}\nBENCHMARK(BM_{k});\n"
                "BENCHMARK_MAIN();\n")
    _, build_s = timed(lambda: run(["g++", "-O2", src, "-o", exe, "-lbenchmark",
                                    "-lpthread"]))
    out, seconds = timed(lambda: run([exe, "--benchmark_repetitions=7",
                                      "--benchmark_min_time=0.2",
                                      "--benchmark_format=json"]))
    agg = {b["aggregate_name"]: b for b in json.loads(out)["benchmarks"]
           if b.get("run_type") == "aggregate"}
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1}[agg["mean"]["time_unit"]]
    return {"mean": agg["mean"]["real_time"] * scale,
            "err": agg["stddev"]["real_time"] * scale, "best": None,
            "cpu": agg["mean"]["cpu_time"] * scale,
            "seconds": seconds + build_s, "build": build_s}


HF_PROGRAM = """#include <cprof/timeit.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
  unsigned long n = strtoul(argv[1], NULL, 10);
  %s;
  for (unsigned long i = 0; i < n; i++) {
    %s;
    __asm__ __volatile__("");
  }
  return 0;
}
"""


def with_hyperfine(work, k, setup, stmt):
    setup, stmt = (spell(t, "cprof_keep", "cprof_clobber") for t in (setup, stmt))
    src, exe = os.path.join(work, f"hf{k}.c"), os.path.join(work, f"hf{k}")
    with open(src, "w") as f:
        f.write(HF_PROGRAM % (setup, stmt))
    t0 = time.monotonic()
    run(["gcc", "-O2", f"-I{ROOT}/include", src, "-o", exe])
    build_s = time.monotonic() - t0
    n = 1000  # autorange, as cprof and Python's timeit: 0.2 s a run at least
    while True:
        _, s = timed(lambda: run([exe, str(n)]))
        if s >= 0.2:
            break
        n *= 2 if s < 0.1 else 3
    out = os.path.join(work, f"hf{k}.json")
    run(["hyperfine", "--shell=none", "--warmup", "3", "--runs", "10", "--export-json", out,
         f"{exe} 0", f"{exe} {n}"])
    seconds = time.monotonic() - t0
    with open(out) as f:
        zero, many = json.load(f)["results"]
    return {"mean": (many["mean"] - zero["mean"]) / n,
            "err": math.hypot(many["stddev"], zero["stddev"]) / n, "best": None,
            "seconds": seconds, "build": build_s, "n": n}


def fmt_time(s):
    """IPython's 3 significant digits in s, ms, µs or ns."""
    if s is None:
        return "-"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if abs(s) >= scale or unit == "ns":
            return f"{s / scale:.3g} {unit}"


def table(rows):
    out = ["| statement | cprof timeit: mean ± std. dev. (best) | Google Benchmark: mean ± "
           "std. dev. (CPU time) | hyperfine: (t(N) − t(0)) / N | time to the figures: cprof / GB / "
           "hyperfine |", "|---|---|---|---|---|"]
    for name, c, g, h in rows:
        out.append(f"| {name} | {fmt_time(c['mean'])} ± {fmt_time(c['err'])} "
                   f"({fmt_time(c['best'])}) | {fmt_time(g['mean'])} ± {fmt_time(g['err'])} "
                   f"({fmt_time(g['cpu'])}) | "
                   f"{fmt_time(h['mean'])} ± {fmt_time(h['err'])} (N = {h['n']:,}) | "
                   f"{c['seconds']:.1f} s / {g['seconds']:.1f} s / {h['seconds']:.1f} s |")
    return "\n".join(out)


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    gb = "libbenchmark " + run(["dpkg-query", "-W", "-f=${Version}", "libbenchmark-dev"])
    hf = run(["hyperfine", "--version"]).strip()
    load = os.getloadavg()[0]
    return (f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {cpu}, "
            f"{os.cpu_count()} CPUs, Linux {platform.release()}, load average {load:.1f}; "
            f"gcc -O2, {gb}, {hf}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "timeit.md"))
    ap.add_argument("--no-doc", action="store_true", help="print the table only")
    opts = ap.parse_args()
    cprof = os.path.join(opts.build, "bin", "cprof")
    for need in (cprof, shutil.which("hyperfine"), "/usr/include/benchmark/benchmark.h"):
        if not need or not os.path.exists(need):
            sys.exit(f"timeit_peers.py: needs {need or 'hyperfine'} (apt-get install hyperfine "
                     "libbenchmark-dev; scripts/build)")
    rows = []
    with tempfile.TemporaryDirectory(prefix="timeit-peers-") as work:
        for k, (name, setup, stmt) in enumerate(STATEMENTS):
            c = with_cprof(cprof, setup, stmt)
            g = with_benchmark(work, k, setup, stmt)
            h = with_hyperfine(work, k, setup, stmt)
            rows.append((name, c, g, h))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    text = (f"{BEGIN}\nMeasured {machine()}:\n\n{table(rows)}\n{END}")
    print(text)
    if opts.no_doc:
        return
    with open(opts.doc) as f:
        doc = f.read()
    if BEGIN not in doc or END not in doc:
        sys.exit(f"timeit_peers.py: {opts.doc} has no {BEGIN} ... {END} section")
    head, rest = doc.split(BEGIN, 1)
    with open(opts.doc, "w") as f:
        f.write(head + text + rest.split(END, 1)[1])


if __name__ == "__main__":
    main()
