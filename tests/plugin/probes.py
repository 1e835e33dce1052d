#!/usr/bin/env python3
"""probes.py - how many line probes the plugin's code runs, per call and
per loop iteration, for one toolchain at one -O level.

    probes.py --cc CC --plugin PATH --plugin-name NAME --opt=-O2 ...

probe_loops.c is built with the plugin and linked with probe_counter.c, a
stand-in runtime that counts __cprof_line calls.  A probe for the line
the frame is on counts nothing, so the plugins leave such probes out: a
loop on one line runs none, a loop over two lines two per iteration, and
each function runs one probe per line on its way in and out (its first
statement, the loop, the return), with no repeat at the return.
"""
import os
import subprocess
import sys

import toolchain_test
from cprof_harness import steps, toolchain

HERE = os.path.dirname(os.path.abspath(__file__))

# function: (probes of a call that runs the loop 0 times, probes per iteration)
EXPECTED = {"one_line": (3, 0), "two_lines": (3, 2)}


def measure(o):
    """{function: {iterations: probes}} from running the program."""
    os.makedirs(o.workdir, exist_ok=True)
    exe = os.path.join(o.workdir, "probes")
    cmd = [o.cc, f"-fplugin={o.plugin}", o.opt, *toolchain.env_cflags(), "-Wall", "-Werror",
           os.path.join(HERE, "probe_loops.c"), os.path.join(HERE, "probe_counter.c"),
           "-o", exe]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise steps.TestError(f"compile failed:\n{p.stderr}")
    p = subprocess.run([exe], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise steps.TestError(f"{exe} exited {p.returncode}:\n{p.stderr}")
    counts = {}
    for line in p.stdout.split("\n"):
        if line:
            name, iterations, probes = line.split()
            counts.setdefault(name, {})[int(iterations)] = int(probes)
    return counts


def check(o):
    counts = measure(o)
    failures = []
    for name, (fixed, per_iteration) in EXPECTED.items():
        got = counts.get(name, {})
        want = {0: fixed, 1: fixed + per_iteration, 1001: fixed + 1001 * per_iteration}
        if got != want:
            failures.append(f"{name}: probes for 0, 1 and 1001 iterations: expected "
                            f"{sorted(want.items())}, got {sorted(got.items())}")
    return failures


if __name__ == "__main__":
    sys.exit(toolchain_test.main(__doc__, "probes", check))
