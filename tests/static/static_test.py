#!/usr/bin/env python3
"""static_test.py - a fully static program (-static), linked two ways.

    static_test.py --src FILE --cprof DRIVER --cc CC ... (cprof_matrix_test's
                   toolchain arguments, --runtime static)

1. By hand, `CC -fplugin=... -static FILE libcprof.a`: it links (libc.a's
   malloc and the runtime's hooks do not clash), runs, and its calls and
   lines are exactly the CHECK comments'; memory tracing says plainly that
   it is not available (CPROF_MEMORY=1), and there is no memory trace.
   Run with an argument, the program execs sh: the profile is written
   before, and sh's exit status is the program's.
2. Through the driver, `cprof CC -static FILE`: the same calls and lines,
   and each allocation exactly as its MEM comment says (key=N: prstats
   --memory's row for the line), with no warning.
"""

import argparse
import copy
import json
import os
import subprocess
import sys

from cprof_harness import checks, source, steps, toolchain
from cprof_harness.steps import TestError

UNAVAILABLE = "memory tracing is not available"


def is_static(exe):
    """No program interpreter: the kernel runs it without ld.so."""
    return "INTERP" not in steps.run(["readelf", "-lW", exe], "readelf")


def run(exe, workdir, *args):
    """Runs EXE with memory tracing asked for; (exit status, stderr)."""
    out = os.path.join(workdir, "cprof.out")
    if os.path.exists(out):
        os.remove(out)
    env = dict(os.environ, CPROF_OUT=out, CPROF_MEMORY="1")
    proc = subprocess.run([exe, *args], cwd=workdir, env=env, capture_output=True,
                          text=True, timeout=steps.TIMEOUT)
    if not os.path.exists(out):
        raise TestError(f"{exe} {' '.join(args)} wrote no profile (exit {proc.returncode})"
                        f"\n{proc.stderr}")
    return proc.returncode, proc.stderr


def prstats(opts, *args):
    return json.loads(steps.run([opts.prstats, *args, "--format", "json",
                                 os.path.join(opts.workdir, "cprof.out")], "prstats"))


def calls_and_lines(opts, calls, what):
    return [f"{what}: {f}" for f in checks.Checker(calls, prstats(opts)).run()]


def memory_rows(opts, src, mem):
    data = prstats(opts, "--memory")
    rows = {s["key"]: s for s in data["sites"]}
    failures = []
    for where, _, text in mem:
        name, keys = source.split_keys(text)
        key = f"{src.path}:{src.line_number(where, name)}"
        if key not in rows:
            failures.append(f"{where}: no memory row for {key} (rows: {', '.join(rows)})")
        else:
            failures += source.compare(where, key, rows[key], keys)
    return failures


def check(opts):
    src = source.Source(opts.src, (*checks.KINDS, "MEM"))
    calls = copy.copy(src)
    calls.checks = [c for c in src.checks if c[1] != "MEM"]
    mem = [c for c in src.checks if c[1] == "MEM"]
    os.makedirs(opts.workdir, exist_ok=True)
    failures = []

    exe = os.path.join(opts.workdir, "by-hand")
    toolchain.compile_program(opts, [src.path], exe, src.args, ["-static"])
    if not is_static(exe):
        raise TestError(f"{exe} is not a static executable")
    status, err = run(exe, opts.workdir)
    steps.expect("by hand: exit status", status, 0)
    if UNAVAILABLE not in err or "cprof gcc -static" not in err:
        failures.append(f"by hand: CPROF_MEMORY=1 should say '{UNAVAILABLE}' and how to "
                        f"link, stderr was {err!r}")
    failures += calls_and_lines(opts, calls, "by hand")
    proc = subprocess.run([opts.prstats, "--memory", os.path.join(opts.workdir, "cprof.out")],
                          capture_output=True, text=True, timeout=steps.TIMEOUT)
    if proc.returncode == 0 or "no memory trace" not in proc.stderr:
        failures.append("by hand: prstats --memory should find no memory trace, it said "
                        f"{proc.stdout + proc.stderr!r}")
    status, err = run(exe, opts.workdir, "exec")
    steps.expect("by hand, exec: exit status (sh's)", status, 3)
    failures += calls_and_lines(opts, calls, "by hand, exec")

    exe = os.path.join(opts.workdir, "driver")
    steps.run([opts.cprof, opts.cc, opts.opt, *toolchain.env_cflags(), "-Wall", "-Werror",
               "-static", src.path, "-o", exe], "cprof compile")
    if not is_static(exe):
        raise TestError(f"{exe} is not a static executable")
    status, err = run(exe, opts.workdir)
    steps.expect("driver: exit status", status, 0)
    if err:
        failures.append(f"driver: the program should say nothing, it said {err!r}")
    failures += calls_and_lines(opts, calls, "driver")
    failures += memory_rows(opts, src, mem)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    toolchain.add_toolchain_args(parser)
    parser.add_argument("--src", required=True)
    parser.add_argument("--cprof", required=True, help="the cprof driver")
    opts = toolchain.parse_toolchain_args(parser)
    return steps.run_test(f"{opts.src} (-static, {toolchain.describe(opts)})", check, opts)


if __name__ == "__main__":
    sys.exit(main())
