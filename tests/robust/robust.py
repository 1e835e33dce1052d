#!/usr/bin/env python3
"""robust.py - runtime robustness tests that need more than one profile.

    robust.py TEST --cc CC [--cxx CXX] --plugin PATH --plugin-name NAME --rt-dir DIR
              --prstats PATH --opt -O0|-O2 --workdir DIR

TEST is one of: exec, request, fork, dlopen, many, write-errors, timer, signals, env,
report.  Programs are
built the way every test builds them (cprof_harness.toolchain); every check compares
exact numbers from `prstats --format json` and the test exits 1 on the first mismatch.
"""
import argparse
import copy
import json
import os
import re
import resource
import shutil
import signal
import stat
import struct
import subprocess
import sys
import time

from cprof_harness import steps, toolchain

HERE = os.path.dirname(os.path.abspath(__file__))
Fail = steps.TestError  # a failed check, as steps.run_test reports it


def compile_prog(o, sources, exe, extra=()):
    toolchain.compile_program(o, sources, exe, link=extra)


def execute(o, exe, out, args=(), expect_status=0, env=None, shell_prefix=None):
    e = {**os.environ, "CPROF_OUT": out, **(env or {})}
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
    used and subtracts what it measured (a bad value: test_env)."""
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


def cut_short(path):
    """(flags, signal) of a profile's header: the two uint16_t at offset 108
    of struct cprof_file_header (include/cprof/format.h)."""
    flags, sig = struct.unpack_from("<HH", read_bytes(path), 108)
    return flags, sig


def run_to_end(o, exe, out, args=(), env=None, shell_prefix=""):
    """Runs EXE allowed to dump core (as much as the hard limit lets it);
    returns (wait status, stdout, stderr)."""
    # A sanitizer's runtime would take the faults first, and turn off cores.
    own = ":handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_abort=0:disable_coredump=0"
    e = {**os.environ, "CPROF_OUT": out, **(env or {})}
    for options in ("ASAN_OPTIONS", "TSAN_OPTIONS"):
        e[options] = e.get(options, "") + own
    hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    cmd = ["sh", "-c", shell_prefix + ' exec "$0" "$@"', exe, *args]
    with open(os.path.join(o.workdir, "stdout"), "w+") as so, \
            open(os.path.join(o.workdir, "stderr"), "w+") as se:
        p = subprocess.Popen(cmd, cwd=o.workdir, env=e, stdout=so, stderr=se,
                             preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CORE,
                                                                   (hard, hard)))
        end = time.monotonic() + steps.TIMEOUT
        while True:
            pid, status = os.waitpid(p.pid, os.WNOHANG)
            if pid:
                p.returncode = 0  # reaped here
                break
            if time.monotonic() > end:
                p.kill()
                raise Fail(f"{' '.join(args)}: still running after {steps.TIMEOUT} s")
            time.sleep(0.005)
        so.seek(0)
        se.seek(0)
        return status, so.read(), se.read()


def expect_death(what, status, sig):
    got = os.WTERMSIG(status) if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
    steps.expect(f"{what}: ended by", got, sig)


def expect_profile(o, what, out, flags):
    """The calls of killed.c at its end (doomed() open), and the header's
    cut-short flag and signal."""
    if not os.path.exists(out):
        raise Fail(f"{what}: no profile written")
    funcs = profile(o, out)
    for name, want in (("work", 10), ("doomed", 1), ("main", 1)):
        steps.expect(f"{what}: {name} calls", calls(funcs, name), want)
    steps.expect(f"{what}: header (flags, signal)", cut_short(out), flags)
    report = steps.run([o.prstats, out], f"{what}: prstats")
    note = f"(cut short by signal {int(flags[1])}, SIG{signal.Signals(flags[1]).name[3:]}:" \
        if flags[0] else None
    steps.expect(f"{what}: the report says it was cut short",
                 next((l.strip().split(" calls")[0] for l in report.splitlines()
                       if "cut short" in l), None), note)


def test_signals(o):
    """Each signal cprof takes, by default, with the program's own handler
    installed before the runtime's or after it, inherited ignored, with
    CPROF_SIGNALS=0, and while the runtime dumps every 0.1 ms."""
    exe = os.path.join(o.workdir, "killed")
    compile_prog(o, [os.path.join(HERE, "progs", "killed.c")], exe)
    out = os.path.join(o.workdir, "killed.out")
    # Cores are checked where the hard limit allows them; the rest always.
    cores = resource.getrlimit(resource.RLIMIT_CORE)[1] != 0

    def run(what, sig, *args, env=None, shell_prefix=""):
        if os.path.exists(out):
            os.remove(out)
        status, stdout, stderr = run_to_end(o, exe, out, [str(int(sig)), *args], env,
                                            shell_prefix)
        steps.expect(f"{what}: stderr", stderr, "")
        return status, stdout

    dumps_core = (signal.SIGQUIT, signal.SIGXCPU, signal.SIGXFSZ, signal.SIGSEGV,
                  signal.SIGBUS, signal.SIGFPE, signal.SIGILL, signal.SIGTRAP,
                  signal.SIGSYS, signal.SIGABRT)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT,
                signal.SIGPIPE, signal.SIGALRM, signal.SIGVTALRM, signal.SIGUSR1,
                signal.SIGUSR2, signal.SIGXCPU, signal.SIGXFSZ, signal.SIGSEGV,
                signal.SIGBUS, signal.SIGFPE, signal.SIGILL, signal.SIGTRAP,
                signal.SIGSYS, signal.SIGABRT):
        what = sig.name
        status, stdout = run(what, sig)
        expect_death(what, status, sig)
        steps.expect(f"{what}: stdout", stdout, "")
        core = sig in dumps_core
        if cores:
            steps.expect(f"{what}: core dumped", os.WCOREDUMP(status), core)
        expect_profile(o, what, out, (1, sig))
    for f in os.listdir(o.workdir):
        if f.startswith("core"):
            os.remove(os.path.join(o.workdir, f))

    for sig in (signal.SIGINT, signal.SIGSEGV, signal.SIGABRT):
        what = f"{sig.name}, the program's handler installed before"
        status, stdout = run(what, sig, "before")
        steps.expect(f"{what}: stdout", stdout, "handler\n")
        expect_death(what, status, sig)
        expect_profile(o, what, out, (1, sig))
    for f in os.listdir(o.workdir):
        if f.startswith("core"):
            os.remove(os.path.join(o.workdir, f))

    what = "SIGTERM, the program's handler installed after, which exits"
    status, stdout = run(what, signal.SIGTERM, "after")
    steps.expect(f"{what}: stdout", stdout, "handler\n")
    steps.expect(f"{what}: exit status", os.WEXITSTATUS(status) if os.WIFEXITED(status) else status, 3)
    expect_profile(o, what, out, (0, 0))

    what = "SIGINT ignored (trap '' INT)"
    status, stdout = run(what, signal.SIGINT, shell_prefix="trap '' INT;")
    steps.expect(f"{what}: stdout", stdout, "survived\n")
    steps.expect(f"{what}: exit status", os.WEXITSTATUS(status) if os.WIFEXITED(status) else status, 0)
    expect_profile(o, what, out, (0, 0))

    what = "CPROF_SIGNALS=0"
    status, stdout = run(what, signal.SIGINT, env={"CPROF_SIGNALS": "0"})
    expect_death(what, status, signal.SIGINT)
    steps.expect(f"{what}: profile written", os.path.exists(out), False)

    # The periodic dumps hold the lock often; the last file must be the
    # signal's, whole, every time.
    for i in range(20):
        what = f"SIGTERM during dumps every 0.1 ms, run {i + 1}"
        status, stdout = run(what, signal.SIGTERM, env={"CPROF_DUMP_INTERVAL": "0.0001"})
        expect_death(what, status, signal.SIGTERM)
        expect_profile(o, what, out, (1, signal.SIGTERM))
        steps.expect(f"{what}: temporary files left (a dump after the signal's)",
               [f for f in os.listdir(o.workdir) if ".tmp." in f], [])


def readme_variables():
    """The variables of README.md's "Runtime environment" table."""
    with open(os.path.join(HERE, "..", "..", "README.md")) as f:
        text = f.read()
    table = text.split("## Runtime environment", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(CPROF_\w+)` \|", table, re.M)


# A bad value of each variable, and the one line it must print.
BAD_VALUES = (
    ("CPROF_OUT", "prof-%d.out", "a % not followed by p or %, using cprof.out"),
    ("CPROF_START", "2", "expected 0 or 1, using 1"),
    ("CPROF_MAX_DEPTH", "abc", "not an integer from 1 to 1073741824, using 2097152"),
    ("CPROF_MAX_DEPTH", "0", "not an integer from 1 to 1073741824, using 2097152"),
    ("CPROF_DUMP_SIGNAL", "USR3", "not a signal (USR1, USR2 or a number), using none"),
    ("CPROF_DUMP_SIGNAL", "9", "a signal no handler can catch, using none"),
    ("CPROF_MEMORY", "yes", "expected 0 or 1, using 0"),
    ("CPROF_DUMP_INTERVAL", "5abc", "not a positive number of seconds, using none"),
    ("CPROF_DUMP_INTERVAL", "inf", "not a positive number of seconds, using none"),
    ("CPROF_TIMER", "fast", 'not "ordered", using the default timer'),
    ("CPROF_SAMPLE_HZ", "fast", "not an integer from 0 to 100000, using 1000"),
    ("CPROF_SAMPLE_HZ", "200000", "not an integer from 0 to 100000, using 1000"),
    ("CPROF_SIGNALS", "no", "expected 0 or 1, using 1"),
    ("CPROF_REPORT", "stdout", "not stderr or stderr:OPTIONS, using none"),
    ("CPROF_SAMPLE_HZ", "fast", "not an integer from 0 to 100000, using 1000"),
    ("CPROF_SAMPLE", "-1", "not an integer from 0 to 100000, using 0"),
    ("CPROF_SAMPLE_BUFFER", "1", "not an integer from 4096 to 17179869184, using 8388608"),
    ("CPROF_SAMPLE_WALL", "2", "expected 0 or 1, using 0"),
)


def test_env(o):
    """Every variable of the README's table, with a bad value: one line
    that says so, and the program runs as with the default."""
    steps.expect("variables with a bad-value case", sorted({v for v, _, _ in BAD_VALUES}),
           sorted(readme_variables()))
    exe = os.path.join(o.workdir, "write")
    compile_prog(o, [os.path.join(HERE, "progs", "write.c")], exe)
    default_out = os.path.join(o.workdir, "cprof.out")
    for var, value, why in BAD_VALUES:
        what = f"{var}={value}"
        out = os.path.join(o.workdir, "env.out")
        for f in (out, default_out):
            if os.path.exists(f):
                os.remove(f)
        p = execute(o, exe, out, expect_status=3, env={var: value})
        steps.expect(f"{what}: stderr", p.stderr, f"cprof: {what}: {why}\n")
        written = default_out if var == "CPROF_OUT" else out
        steps.expect(f"{what}: work calls", calls(profile(o, written), "work"), 1000)


def test_report(o):
    """CPROF_REPORT=stderr[:OPTIONS]: prstats' report on stderr after the
    exit dump, prstats found beside the runtime, by CPROF_PRSTATS or on
    PATH; none from a forked child."""
    out = os.path.join(o.workdir, "report.out")
    exe = os.path.join(o.workdir, "write")
    compile_prog(o, [os.path.join(HERE, "progs", "write.c")], exe)
    no_prstats = {"PATH": "/usr/bin:/bin"}

    def report(*options):
        return steps.run([o.prstats, *options, out], "prstats")

    p = execute(o, exe, out, expect_status=3, env={"CPROF_REPORT": "stderr", **no_prstats})
    steps.expect("stderr: the report, prstats beside libcprof.so", p.stderr, report())
    steps.expect("stderr: stdout", p.stdout, "")
    p = execute(o, exe, out, expect_status=3,
                env={"CPROF_REPORT": "stderr:-s tottime\t-n 1 ", **no_prstats})
    steps.expect("stderr:OPTIONS: the report", p.stderr, report("-s", "tottime", "-n", "1"))

    fake = os.path.join(o.workdir, "fake-prstats")
    with open(fake, "w") as f:
        f.write('#!/bin/sh\necho "args: $*"; echo "CPROF_REPORT=$CPROF_REPORT"\n')
    os.chmod(fake, 0o755)
    p = execute(o, exe, out, expect_status=3,
                env={"CPROF_REPORT": "stderr:-n 2", "CPROF_PRSTATS": fake})
    steps.expect("CPROF_PRSTATS: its stdout on stderr, without CPROF_REPORT", p.stderr,
           f"args: -n 2 {out}\nCPROF_REPORT=\n")

    static = copy.copy(o)
    static.runtime = "static"
    static_exe = os.path.join(o.workdir, "write-static")
    compile_prog(static, [os.path.join(HERE, "progs", "write.c")], static_exe)
    on_path = {"PATH": os.path.dirname(o.prstats) + ":/usr/bin:/bin"}
    p = execute(o, static_exe, out, expect_status=3, env={"CPROF_REPORT": "stderr", **on_path})
    steps.expect("static runtime: the report, prstats on PATH", p.stderr, report())
    p = execute(o, static_exe, out, expect_status=3, env={"CPROF_REPORT": "stderr", **no_prstats})
    steps.expect("static runtime, no prstats anywhere: stderr", p.stderr,
           "cprof: CPROF_REPORT: cannot run prstats: No such file or directory\n")

    fork = os.path.join(o.workdir, "fork")
    compile_prog(o, [os.path.join(HERE, "progs", "fork.c")], fork)
    p = execute(o, fork, out, ["exit"], env={"CPROF_REPORT": "stderr"})
    steps.expect("fork: the parent's report only", p.stderr, report())


TESTS = {"exec": test_exec, "request": test_request, "fork": test_fork, "dlopen": test_dlopen, "many": test_many,
         "write-errors": test_write_errors, "timer": test_timer, "signals": test_signals,
         "env": test_env, "report": test_report}


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
