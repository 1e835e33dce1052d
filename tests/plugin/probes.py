#!/usr/bin/env python3
"""probes.py - the line probes the plugin's code runs, per call and per
loop iteration, in each line mode, for one toolchain at one -O level.

    probes.py --cc CC --plugin PATH --plugin-name NAME --opt=-O2 ...

probe_loops.c is built with the plugin and linked with probe_counter.c, a
stand-in runtime that counts __cprof_line calls, adds up the inline
counters and reads the line left in the frame's head.  A probe for the
line the frame is on counts nothing, so the plugins leave such probes
out: a loop on one line runs none, a loop over two lines two per
iteration, and each function runs one probe per line on its way in and
out (its first statement, the loop, the return), with no repeat at the
return.  The timed-lines mode makes them calls; the default mode and
line-hits count them inline, the same hits, and the default mode also
leaves the last line in the frame's head, for the sampler.

Then the machine code (objdump, x86-64): in the default mode the loop of
two_lines must hold one store to the head's line per line change, two per
iteration, and at -O1 and up nothing else beside line-hits' loop (whose
counters the optimiser keeps out of the loop).  Loops are built with
-fno-unroll-loops there, so that one pass through the code is one
iteration.
"""
import os
import platform
import re
import shutil
import subprocess
import sys

import toolchain_test
from cprof_harness import steps, toolchain

HERE = os.path.dirname(os.path.abspath(__file__))

# function: (probes of a call that runs the loop 0 times, probes per
# iteration, the slot of its last line: the return)
EXPECTED = {"one_line": (3, 0, 2), "two_lines": (3, 2, 3)}
ITERATIONS = (0, 1, 1001)

# Plugin argument (None: the default mode): (mode the flags must say,
# whether probes are calls, whether the line is stored)
MODES = {None: ("sampled", False, True), "line-hits": ("line-hits", False, False),
         "timed-lines": ("timed-lines", True, False)}

# offsetof(struct cprof_frame_head, line) on x86-64 (cprof/abi.h)
LINE_OFFSET = 8
INSN = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*?)\s*$")
# A constant stored at that offset from a register, or (Clang at -O0)
# through a pointer to the field kept aside; not a local of the stack frame.
LINE_STORE = re.compile(rf"^\$0x([0-9a-f]+),(?:0x{LINE_OFFSET:x})?\(%(?!rbp|rsp)\w+\)$")


def compile_with(o, mode, sources, out, extra=()):
    args = [f"-fplugin-arg-{o.plugin_name}-{mode}"] if mode else []
    cmd = [o.cc, f"-fplugin={o.plugin}", *args, o.opt, *extra, *toolchain.env_cflags(),
           "-Wall", "-Werror", *sources, "-o", out]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise steps.TestError(f"compile failed: {' '.join(cmd)}\n{p.stderr}")


def measure(o, mode):
    """{function: {iterations: (calls, hits, line, mode)}} from running the program."""
    exe = os.path.join(o.workdir, f"probes-{mode or 'default'}")
    compile_with(o, mode, [os.path.join(HERE, "probe_loops.c"),
                           os.path.join(HERE, "probe_counter.c")], exe)
    p = subprocess.run([exe], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise steps.TestError(f"{exe} exited {p.returncode}:\n{p.stderr}")
    counts = {}
    for line in p.stdout.split("\n"):
        if line:
            name, iterations, calls, hits, last, flags = line.split()
            counts.setdefault(name, {})[int(iterations)] = (int(calls), int(hits), last, flags)
    return counts


def check_counts(o, mode):
    counts = measure(o, mode)
    flags, calls, stores = MODES[mode]
    failures = []
    for name, (fixed, per_iteration, last) in EXPECTED.items():
        want = {}
        for n in ITERATIONS:
            probes = fixed + n * per_iteration
            want[n] = (probes if calls else 0, 0 if calls else probes,
                       str(last) if stores else "none", flags)
        got = counts.get(name, {})
        if got != want:
            failures.append(f"{mode or 'default mode'}: {name}: (line calls, hits, line left "
                            f"in the frame, mode) for 0, 1 and 1001 iterations: expected "
                            f"{sorted(want.items())}, got {sorted(got.items())}")
    return failures


def loop_code(o, mode):
    """[(mnemonic, operands)] of the one loop of two_lines, from objdump."""
    obj = os.path.join(o.workdir, f"loops-{mode or 'default'}.o")
    compile_with(o, mode, [os.path.join(HERE, "probe_loops.c")], obj,
                 ["-c", "-fno-unroll-loops"])
    text = steps.run([shutil.which("objdump"), "-d", "--no-show-raw-insn", obj], "objdump")
    code = text.split("<two_lines>:\n", 1)[-1].split("\n\n", 1)[0]
    insns = [(int(m[1], 16), m[2], m[3]) for m in map(INSN.match, code.split("\n")) if m]
    back = [(addr, int(ops.split()[0], 16)) for addr, op, ops in insns
            if op.startswith("j") and re.match(r"^[0-9a-f]+ <two_lines", ops)
            and int(ops.split()[0], 16) <= addr]
    # A jump back over a return is to a shared tail, not round a loop.
    back = [(end, start) for end, start in back
            if not any(op == "ret" and start <= addr <= end for addr, op, _ in insns)]
    if len(back) != 1:
        raise steps.TestError(f"{mode or 'default mode'}: two_lines has {len(back)} backward "
                              f"jumps, not the one of its loop:\n{code}")
    end, start = back[0]
    return [(op, ops) for addr, op, ops in insns if start <= addr <= end]


def check_stores(o):
    loop = loop_code(o, None)
    stored = sorted(int(m[1], 16) for m in (LINE_STORE.match(ops) for op, ops in loop
                                            if op == "movl") if m)
    listing = "\n".join(f"  {op} {ops}" for op, ops in loop)
    # slots: 0 `long s = 0;`, 1 the loop's header, 2 its body, 3 the return
    if stored != [1, 2]:
        return [f"default mode: the loop of two_lines stores lines {stored} in the frame's "
                f"head, expected [1, 2] (one per line change):\n{listing}"]
    plain = loop_code(o, "line-hits")
    if o.opt != "-O0" and len(loop) != len(plain) + 2:
        return [f"default mode: the loop of two_lines has {len(loop)} instructions, "
                f"line-hits' {len(plain)}: expected its own and the two stores:\n{listing}\n"
                "line-hits:\n" + "\n".join(f"  {op} {ops}" for op, ops in plain)]
    return []


def check(o):
    os.makedirs(o.workdir, exist_ok=True)
    failures = [f for mode in MODES for f in check_counts(o, mode)]
    if platform.machine() != "x86_64":
        print(f"probes: {platform.machine()}: the machine-code check is for x86-64 only")
    elif not shutil.which("objdump"):
        raise steps.unavailable("no objdump on PATH for the machine-code check")
    else:
        failures += check_stores(o)
    return failures


if __name__ == "__main__":
    sys.exit(toolchain_test.main(__doc__, "probes", check))
