#!/usr/bin/env python3
"""real_cost.py - compile time and run time of tests/real's projects per
cprof mode: a benchmark, not a test (docs/real-code.md has its figures).

    real_cost.py --project bzip2 --source DIR [--data DIR] --cc gcc
                 --plugin PATH --plugin-name NAME --rt-dir DIR [--runs 3]
                 --workdir DIR

Builds the project at -O2 plain and with the plugin's `all` in each mode,
and prints per mode the build's CPU time (user + system of the compiler
processes; wall time on a shared machine says more about the neighbours)
and, of the whole workload (every step of projects.py, the profile
written to the work directory), the best of --runs CPU times and the best
of --runs wall times.
"""
import argparse
import os
import shutil
import sys
import time


def child_cpu():
    """User + system seconds of the children waited for so far."""
    t = os.times()
    return t.children_user + t.children_system

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "tests", "real"),
                os.path.join(HERE, "..", "tests", "harness")]
import projects  # noqa: E402

MODES = {"plain": None, "counts-only": ["counts-only"], "no-lines": ["no-lines"],
         "default": [], "line-hits": ["line-hits"], "timed-lines": ["timed-lines"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for a in ("--project", "--source", "--cc", "--plugin", "--plugin-name", "--rt-dir",
              "--workdir"):
        ap.add_argument(a, required=True)
    ap.add_argument("--cxx")
    ap.add_argument("--data")
    ap.add_argument("--runs", type=int, default=3)
    o = ap.parse_args()
    cxx = o.cxx or o.cc.replace("gcc", "g++").replace("clang", "clang++")
    project = projects.PROJECTS[o.project](os.path.abspath(o.source),
                                           o.data and os.path.abspath(o.data))
    link = [f"-L{o.rt_dir}", f"-Wl,-rpath,{os.path.abspath(o.rt_dir)}", "-lcprof"]
    print(f"{o.project} {os.path.basename(o.cc)} -O2: mode, build CPU s, "
          f"workload CPU s and wall s (best of {o.runs})")
    for mode, args in MODES.items():
        outdir = os.path.join(o.workdir, mode)
        shutil.rmtree(outdir, ignore_errors=True)
        flags = ["-O2"]
        if args is not None:
            flags += [f"-fplugin={o.plugin}"] + \
                [f"-fplugin-arg-{o.plugin_name}-{a}" for a in ["all", *args]]
        start = child_cpu()
        exes = project.build(outdir, o.cc, cxx, flags, link if args is not None else [])
        built = child_cpu() - start
        env = dict(os.environ, CPROF_OUT=os.path.join(outdir, "prof.out"))
        cpu = wall = float("inf")
        for _ in range(o.runs):
            cwd = project.cwd(outdir)
            start, start_cpu = time.perf_counter(), child_cpu()
            for step in project.steps():
                projects.run_program(exes[step.prog], step.argv(outdir), cwd, env)
            wall = min(wall, time.perf_counter() - start)
            cpu = min(cpu, child_cpu() - start_cpu)
        print(f"{mode:12} {built:7.2f} {cpu:8.3f} {wall:8.3f}")


if __name__ == "__main__":
    sys.exit(main())
