#!/usr/bin/env python3
"""fault.py - the runtime when memory runs out: a profiled program whose
Nth anonymous mmap fails (fail_mmap.so), for every N it makes, and with
every map from the Nth on failing.

    fault.py --shim PATH [--memory] --cc CC ... (the toolchain options of cprof_harness.toolchain)

--memory: once more with memory tracing on (CPROF_MEMORY=1).

Each run must end as the program does without cprof (exit 0, its own
output), within the timeout, with at most one `cprof:` line; where a
profile is written, prstats reads it and every call of the program is
either in it or counted as not recorded.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

from cprof_harness import steps, toolchain

HERE = os.path.dirname(os.path.abspath(__file__))

Fail = steps.TestError
DEPTH, FUNCTIONS, LEAF_CALLS = 20000, 640, 100  # as in fault_prog.c
CALLS = FUNCTIONS + (DEPTH + 1) + 2 + 3 * LEAF_CALLS
RUN_TIMEOUT = 20  # seconds: a run takes well under one
MARGIN = 8


def run_prog(o, exe, out, fail=None, memory=False, count_file=None):
    env = dict(os.environ, CPROF_OUT=out, LD_PRELOAD=o.shim,
               CPROF_MEMORY="1" if memory else "0",
               CPROF_TEST_FAIL_MMAP=fail or "", CPROF_TEST_MMAP_COUNT=count_file or "",
               # the shim comes before a sanitizer build's runtime
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0")
    if os.path.exists(out):
        os.remove(out)
    try:
        return subprocess.run([exe], cwd=o.workdir, env=env, capture_output=True, text=True,
                              timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise Fail(f"CPROF_TEST_FAIL_MMAP={fail}: still running after {RUN_TIMEOUT} s")


def check_run(o, exe, out, want_stdout, fail, memory):
    what = f"CPROF_TEST_FAIL_MMAP={fail}{' CPROF_MEMORY=1' if memory else ''}"
    p = run_prog(o, exe, out, fail, memory)
    steps.expect(f"{what}: exit status", p.returncode, 0)
    steps.expect(f"{what}: the program's output", p.stdout, want_stdout)
    lines = [l for l in p.stderr.splitlines() if l.startswith("cprof:")]
    if len(lines) > 1 or len(lines) != len(p.stderr.splitlines()):
        raise Fail(f"{what}: stderr is not at most one cprof: line:\n{p.stderr}")
    if not os.path.exists(out):
        if not lines:
            raise Fail(f"{what}: no profile, and nothing said why")
        return
    data = json.loads(steps.run([o.prstats, "--format", "json", out], f"{what}: prstats"))
    recorded = sum(f["ncalls"] for f in data["functions"])
    steps.expect(f"{what}: calls recorded + not recorded", recorded + data["dropped"], CALLS)
    if data["dropped"] and not lines:
        raise Fail(f"{what}: {data['dropped']} calls lost, and nothing said so")
    if memory:
        steps.run([o.prstats, "--memory", out], f"{what}: prstats --memory")


def test_fault(o):
    exe = os.path.join(o.workdir, "fault_prog")
    out = os.path.join(o.workdir, "prof.out")
    toolchain.compile_program(o, [os.path.join(HERE, "fault_prog.c")], exe, link=["-lpthread"])
    failures = []
    for memory in (False, True) if o.memory else (False,):
        count_file = os.path.join(o.workdir, "count")
        p = run_prog(o, exe, out, memory=memory, count_file=count_file)
        steps.expect("without faults: exit status", p.returncode, 0)
        steps.expect("without faults: stderr", p.stderr, "")
        with open(count_file) as f:
            maps = int(f.read())
        # A run with a failure may map more (retries), or fewer (threads that
        # reuse a state): a few past the count reach the dump's maps.
        for n in range(1, maps + MARGIN + 1):
            for fail in (str(n), f"{n}+"):
                try:
                    check_run(o, exe, out, p.stdout, fail, memory)
                except Fail as err:
                    failures.append(str(err))
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shim", required=True, help="fail_mmap.so")
    ap.add_argument("--memory", action="store_true", help="also with CPROF_MEMORY=1")
    toolchain.add_toolchain_args(ap)
    o = toolchain.parse_toolchain_args(ap)
    shutil.rmtree(o.workdir, ignore_errors=True)
    os.makedirs(o.workdir)
    return steps.run_test(f"fault ({toolchain.describe(o)})", test_fault, o)


if __name__ == "__main__":
    sys.exit(main())
