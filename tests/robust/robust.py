#!/usr/bin/env python3
"""robust.py - runtime robustness tests that need more than one profile.

    robust.py TEST --cc CC [--cxx CXX] --plugin PATH --plugin-name NAME --rt-dir DIR
              --prstats PATH --opt -O0|-O2 --workdir DIR

TEST is one of: exec, request, fork, dlopen, many, write-errors, timer.  Programs are
built the way every test builds them (cprof_harness.toolchain); every check compares
exact numbers from `prstats --format json` and the test exits 1 on the first mismatch.
"""
import argparse
import json
import os
import shutil
import stat
import subprocess
import sys

from cprof_harness import steps, toolchain

HERE = os.path.dirname(os.path.abspath(__file__))
Fail = steps.TestError  # a failed check, as steps.run_test reports it


def compile_prog(o, sources, exe, extra=()):
    toolchain.compile_program(o, sources, exe, link=extra)


def execute(o, exe, out, args=(), expect_status=0, env=None, shell_prefix=None):
    e = dict(os.environ, CPROF_OUT=out, **(env or {}))
    cmd = [exe, *args]
    if shell_prefix:
        cmd = ["sh", "-c", shell_prefix + ' exec "$0" "$@"', *cmd]
    p = subprocess.run(cmd, cwd=o.workdir, env=e, capture_output=True, text=True,
                       timeout=steps.TIMEOUT)
    steps.expect(f"exit status of {os.path.basename(exe)}", p.returncode, expect_status)
    return p


def profile(o, path):
    text = steps.run([o.prstats, "--format", "json", path], "prstats")
    return {f["name"]: f for f in json.loads(text)["functions"]}


def calls(funcs, name):
    return funcs[name]["ncalls"] if name in funcs else 0


def test_fork(o):
    exe = os.path.join(o.workdir, "fork")
    compile_prog(o, [os.path.join(HERE, "progs", "fork.c")], exe)
    for pattern, ending in (("prof.out", "exit"), ("prof.%p.out", "exit"),
                            ("prof.out", "_exit")):
        out = os.path.join(o.workdir, pattern)
        p = execute(o, exe, out, [ending])
        child = int(p.stdout.split()[-1])
        files = sorted(f for f in os.listdir(o.workdir) if f.startswith("prof."))
        steps.expect(f"profiles written for {pattern}", len(files), 2)
        if "%p" in pattern:
            child_file = out.replace("%p", str(child))
            parent_file = [os.path.join(o.workdir, f) for f in files
                           if f != os.path.basename(child_file)][0]
        else:
            child_file = f"{out}.{child}"
            parent_file = out
        par, chi = profile(o, parent_file), profile(o, child_file)
        steps.expect("parent: parent_work calls", calls(par, "parent_work"), 4)
        steps.expect("parent: child_work calls", calls(par, "child_work"), 0)
        steps.expect("parent: main calls", calls(par, "main"), 1)
        steps.expect("child: child_work calls", calls(chi, "child_work"), 5)
        steps.expect("child: parent_work calls", calls(chi, "parent_work"), 0)
        steps.expect("child: main calls (open across the fork)", calls(chi, "main"), 1)
        for f in files:
            os.remove(os.path.join(o.workdir, f))


def test_dlopen(o):
    lib = os.path.join(o.workdir, "libwork.so")
    exe = os.path.join(o.workdir, "dlopen")
    compile_prog(o, [os.path.join(HERE, "progs", "dlopen_lib.c")], lib, ["-shared", "-fPIC"])
    compile_prog(o, [os.path.join(HERE, "progs", "dlopen_main.c")], exe, ["-ldl"])
    out = os.path.join(o.workdir, "cprof.out")
    execute(o, exe, out, [lib])
    funcs = profile(o, out)
    steps.expect("lib_work calls over two loads", calls(funcs, "lib_work"), 5)
    steps.expect("lib_work file", funcs["lib_work"]["file"], os.path.join(HERE, "progs", "dlopen_lib.c"))


def test_many(o):
    n = 20000
    src = os.path.join(o.workdir, "many.c")
    with open(src, "w") as f:
        for i in range(n):
            f.write(f"__attribute__((profile)) int f{i}(int x) {{ return x + {i}; }}\n")
        f.write("typedef int (*fn)(int);\nstatic fn table[] = {\n")
        f.write(",\n".join(f"f{i}" for i in range(n)))
        f.write("};\n__attribute__((profile)) int main(void) {\n  int s = 0;\n"
                f"  for (int i = 0; i < {n}; i++)\n    s += table[i](i & 1);\n"
                "  return s == 0;\n}\n")
    exe = os.path.join(o.workdir, "many")
    compile_prog(o, [src], exe)
    out = os.path.join(o.workdir, "cprof.out")
    execute(o, exe, out)
    funcs = profile(o, out)
    steps.expect("profiled functions", len(funcs), n + 1)
    steps.expect("functions called once", sum(1 for k, f in funcs.items()
                                        if k != "main" and f["ncalls"] == 1), n)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def one_cprof_line(what, stderr):
    lines = [l for l in stderr.splitlines() if l.strip()]
    steps.expect(f"{what}: stderr lines", len(lines), 1)
    if not lines[0].startswith("cprof: "):
        raise Fail(f"{what}: stderr line does not start with 'cprof: ': {lines[0]!r}")


def test_write_errors(o):
    exe = os.path.join(o.workdir, "write")
    compile_prog(o, [os.path.join(HERE, "progs", "write.c")], exe)
    good = os.path.join(o.workdir, "good.out")
    execute(o, exe, good, expect_status=3)
    steps.expect("work calls", calls(profile(o, good), "work"), 1000)

    p = execute(o, exe, os.path.join(o.workdir, "missing", "dir", "x.out"), expect_status=3)
    one_cprof_line("missing directory", p.stderr)

    # A write that fails half-way (file size limit) leaves the old profile.
    old = read_bytes(good)
    p = execute(o, exe, good, expect_status=3,
                shell_prefix="trap '' XFSZ; ulimit -f 0;")
    one_cprof_line("file size limit", p.stderr)
    steps.expect("old profile intact", read_bytes(good) == old, True)
    leftovers = [f for f in os.listdir(o.workdir) if ".tmp." in f]
    steps.expect("temporary files left", leftovers, [])

    # A device is written, never replaced by a regular file.
    execute(o, exe, "/dev/null", expect_status=3)
    steps.expect("/dev/null is still a character device",
           stat.S_ISCHR(os.stat("/dev/null").st_mode), True)
    p = execute(o, exe, o.workdir, expect_status=3)
    one_cprof_line("output path is a directory", p.stderr)

    # Two processes, one path pattern, at the same time: both complete.
    env = dict(os.environ, CPROF_OUT=os.path.join(o.workdir, "both.%p.out"))
    procs = [subprocess.Popen([exe], cwd=o.workdir, env=env) for _ in range(2)]
    steps.expect("both exit 3", [p.wait() for p in procs], [3, 3])
    both = [f for f in os.listdir(o.workdir) if f.startswith("both.")]
    steps.expect("profiles from two processes", len(both), 2)
    for f in both:
        steps.expect(f"{f} work calls", calls(profile(o, os.path.join(o.workdir, f)), "work"), 1000)


def test_exec(o):
    exe = os.path.join(o.workdir, "exec")
    compile_prog(o, [os.path.join(HERE, "progs", "exec.c")], exe)
    out = os.path.join(o.workdir, "cprof.out")
    execute(o, exe, out, ["/bin/true"])
    funcs = profile(o, out)
    steps.expect("work calls before the exec", calls(funcs, "work"), 7)
    steps.expect("main calls (open at the exec)", calls(funcs, "main"), 1)


def test_request(o):
    exe = os.path.join(o.workdir, "request")
    compile_prog(o, [os.path.join(HERE, "progs", "request.c")], exe)
    out = os.path.join(o.workdir, "cprof.out")
    snapshot = os.path.join(o.workdir, "snapshot.out")
    for how, env in (("signal", {"CPROF_DUMP_SIGNAL": "USR2"}),
                     ("interval", {"CPROF_DUMP_INTERVAL": "0.05"})):
        for f in (out, snapshot):
            if os.path.exists(f):
                os.remove(f)
        execute(o, exe, out, [how], env=env)
        steps.expect(f"{how}: work calls in the profile taken while running",
               calls(profile(o, snapshot), "work"), 5)
        steps.expect(f"{how}: work calls at exit", calls(profile(o, out), "work"), 10)


def test_timer(o):
    """CPROF_TIMER=ordered records the same calls, says which timer read it
    used and subtracts what it measured; any other value warns once."""
    exe = os.path.join(o.workdir, "timer")
    compile_prog(o, [os.path.join(HERE, "progs", "write.c")], exe)
    out = os.path.join(o.workdir, "timer.out")
    for timer, clock in (("ordered", "Clock: TSC (ordered) at "), ("", "Clock: TSC at ")):
        p = execute(o, exe, out, expect_status=3, env={"CPROF_TIMER": timer})
        steps.expect(f"CPROF_TIMER={timer}: stderr", p.stderr, "")
        steps.expect(f"CPROF_TIMER={timer}: work calls", calls(profile(o, out), "work"), 1000)
        text = steps.run([o.prstats, out], "prstats")
        line = next((l.strip() for l in text.splitlines() if "Clock:" in l), "")
        if not line.startswith(clock) or "probe cost subtracted" not in line:
            raise Fail(f"CPROF_TIMER={timer}: clock line {line!r}")
    p = execute(o, exe, out, expect_status=3, env={"CPROF_TIMER": "fast"})
    one_cprof_line("CPROF_TIMER=fast", p.stderr)
    steps.expect("CPROF_TIMER=fast: work calls", calls(profile(o, out), "work"), 1000)


TESTS = {"exec": test_exec, "request": test_request, "fork": test_fork, "dlopen": test_dlopen, "many": test_many,
         "write-errors": test_write_errors, "timer": test_timer}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("test", choices=sorted(TESTS))
    toolchain.add_toolchain_args(ap)
    o = toolchain.parse_toolchain_args(ap)
    shutil.rmtree(o.workdir, ignore_errors=True)
    os.makedirs(o.workdir)
    return steps.run_test(f"{o.test} ({toolchain.describe(o)})", TESTS[o.test], o)


if __name__ == "__main__":
    sys.exit(main())
