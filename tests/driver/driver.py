#!/usr/bin/env python3
"""The cprof driver, as a user runs it from the build tree.

For every compiler pair given: compile and link in one step, compile
(-c) then link, preprocess (-E), a profiled shared library (-shared) used
by a program built without cprof, `cprof build` with make and with cmake, and `cprof run`
with its report options and the program's exit status kept.  Then the
driver's errors: each one line starting `cprof:` and a non-zero status.
Counts are exact: work() runs CALLS times, its loop line LOOP times.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

CALLS = 7
LOOP = CALLS * 10

PROG = r"""
#include <stdlib.h>
#include <signal.h>
#include "cprof.h"
CPROF_PROFILE static int work(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += i;
  return s;
}
int main(int argc, char **argv) {
  int s = 0;
  for (int i = 0; i < %d; i++)
    s += work(10);
  if (argc > 1 && argv[1][0] == 'k')
    raise(SIGTERM);
  return argc > 1 ? atoi(argv[1]) : s != 315;
}
""" % CALLS

LIB = r"""
#include "cprof.h"
CPROF_PROFILE int lib_work(int n) { return n + 1; }
"""

LIB_MAIN = r"""
int lib_work(int n);
int main(void) { int s = 0; for (int i = 0; i < %d; i++) s += lib_work(i); return s == 0; }
""" % CALLS

failures = []


def check(cond, what, detail=""):
    if not cond:
        failures.append(what + (": " + detail if detail else ""))
        print("FAIL", what, detail[-2000:])


def run(cmd, cwd, env=None):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env,
                       timeout=120)
    return r.returncode, r.stdout, r.stderr


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def work_row(report):
    """The ncalls column of work()'s row in the pstats table."""
    m = re.search(r"^\s*(\S+)\s+.*\(work\)$", report, re.M)
    return m.group(1) if m else None


def compiler_cases(cprof, cc, cxx, wd):
    os.makedirs(wd, exist_ok=True)
    write(os.path.join(wd, "prog.c"), PROG)
    name = os.path.basename(cc)

    rc, out, err = run([cprof, cc, "-O2", "prog.c", "-o", "prog"], wd)
    check(rc == 0, name + ": compile and link", err)
    rc, out, err = run([cprof, "run", "-s", "calls", "-o", "one.out", "./prog"], wd)
    check(rc == 0, name + ": run exit status 0", err)
    check(work_row(out) == str(CALLS), name + ": work() called %d times" % CALLS, out)
    check(os.path.exists(os.path.join(wd, "one.out")), name + ": -o FILE kept")

    rc, out, err = run([cprof, "run", "-o", "status.out", "--", "./prog", "5"], wd)
    check(rc == 5, name + ": the program's exit status 5 kept", "rc=%d" % rc)
    check(work_row(out) == str(CALLS), name + ": report after exit 5", out)

    rc, out, err = run([cprof, "run", "-o", "sig.out", "./prog", "k"], wd)
    check(rc == 128 + 15, name + ": death by SIGTERM is status 143", "rc=%d" % rc)

    rc, out, err = run([cprof, "run", "-l", "-o", "lines.out", "./prog"], wd)
    loop = re.search(r"^\s*7\s+(\d+)\s.*for \(int i = 0; i < n; i\+\+\)$", out, re.M)
    check(loop and int(loop.group(1)) == LOOP + CALLS,
          name + ": -l line report, loop line hits", out)

    rc, _, err = run([cprof, cc, "-O2", "-c", "prog.c", "-o", "prog.o"], wd)
    check(rc == 0, name + ": -c", err)
    rc, _, err = run([cprof, cc, "prog.o", "-o", "prog2"], wd)
    check(rc == 0, name + ": link objects", err)
    rc, out, err = run([cprof, "run", "-o", "two.out", "./prog2"], wd)
    check(rc == 0 and work_row(out) == str(CALLS), name + ": -c then link", out + err)

    rc, out, err = run([cprof, cc, "-E", "prog.c"], wd)
    check(rc == 0 and "cprof_dump" in out, name + ": -E finds cprof.h", err)

    write(os.path.join(wd, "lib.c"), LIB)
    write(os.path.join(wd, "libmain.c"), LIB_MAIN)
    rc, _, err = run([cprof, cc, "-O2", "-shared", "-fPIC", "lib.c", "-o", "libw.so"], wd)
    check(rc == 0, name + ": -shared", err)
    rc, _, err = run([cc, "libmain.c", "-L.", "-lw", "-Wl,-rpath," + wd, "-o", "libmain"], wd)
    check(rc == 0, name + ": a plain program linked with the profiled library", err)
    rc, out, err = run([cprof, "run", "-o", "lib.out", "./libmain"], wd)
    m = re.search(r"^\s*(\S+)\s+.*\(lib_work\)$", out, re.M)
    check(rc == 0 and m and m.group(1) == str(CALLS), name + ": library calls", out + err)

    write(os.path.join(wd, "Makefile"), "prog_make: prog.c\n\t$(CC) -O2 prog.c -o $@\n")
    kind = "clang" if "clang" in name else "gcc"
    rc, out, err = run([cprof, "build", "--cc=" + kind, "--functions=main", "--",
                        "make", "-s", "-B", "prog_make"], wd)
    check(rc == 0, name + ": cprof build -- make", out + err)
    rc, out, err = run([cprof, "run", "-o", "make.out", "./prog_make"], wd)
    m = re.search(r"^\s*(\S+)\s+.*\(main\)$", out, re.M)
    check(rc == 0 and m and m.group(1) == "1" and work_row(out) == str(CALLS),
          name + ": built by make with --functions=main", out + err)

    # CMake takes CC with leading words at its first configure.
    with open(os.path.join(wd, "CMakeLists.txt"), "w") as f:
        f.write("cmake_minimum_required(VERSION 3.20)\nproject(t C)\n"
                "add_executable(prog_cmake prog.c)\n")
    rc, out, err = run([cprof, "build", "--cc=" + kind, "--", "sh", "-c",
                        "cmake -S . -B cmake-build && cmake --build cmake-build"], wd)
    check(rc == 0, name + ": cprof build -- cmake", out + err)
    rc, out, err = run([cprof, "run", "-o", "cmake.out", "./cmake-build/prog_cmake"], wd)
    check(rc == 0 and work_row(out) == str(CALLS), name + ": built by cmake", out + err)

    rc, out, err = run([cprof, "--bogus", cc, "prog.c"], wd)
    check(rc != 0 and "bogus" in err, name + ": an unknown option is the plugin's error", err)


def error_cases(cprof, wd):
    os.makedirs(wd, exist_ok=True)
    plain = os.path.join(wd, "plain")
    shutil.copy("/bin/true", plain)
    cases = [  # argv, status, what stderr says
        ([], 2, "Usage"),
        (["frobnicate"], 2, "neither a command nor a compiler"),
        (["run"], 2, "no program given"),
        (["run", "-x", "./plain"], 2, "unknown option '-x'"),
        (["run", "./missing"], 127, "./missing: no such program"),
        (["run", "./plain"], 1, "wrote no profile to cprof.out"),
        (["run", "-o", "x.%p", "./plain"], 2, "pattern"),
        (["build"], 2, "no command given"),
        (["build", "--functions=a b", "--", "true"], 2, "no spaces"),
        (["help", "nope"], 2, "no command 'nope'"),
    ]
    for argv, status, text in cases:
        rc, out, err = run([cprof] + argv, wd)
        what = "cprof " + " ".join(argv)
        check(rc == status, what + ": status %d" % status, "rc=%d %s" % (rc, err))
        check(text in err, what + ": says " + text, err)
        if status and text != "Usage":
            check(len(err.splitlines()) == 1 and err.startswith("cprof: "),
                  what + ": one cprof: line", err)
    for argv, text in [(["help"], "Commands:"), (["run", "--help"], "Usage: cprof run"),
                       (["help", "build"], "Usage: cprof build"), (["--version"], "cprof ")]:
        rc, out, err = run([cprof] + argv, wd)
        check(rc == 0 and text in out, "cprof " + " ".join(argv), out + err)


def options_listed(cprof, options_def):
    """`cprof help options` lists the plugin arguments of options.def, in order."""
    with open(options_def) as f:
        keys = re.findall(r'^CPROF_OPTION\(\w+, "([^"]+)", (\w+)', f.read(), re.M)
    want = ["--" + k + ("=a,b" if kind == "NAMES" else "") for k, kind in keys if k != "help"]
    rc, out, err = run([cprof, "help", "options"], ".")
    got = [line.split()[0] for line in out.splitlines() if line.startswith("  --")]
    check(rc == 0 and got == want, "cprof help options lists options.def", "%r != %r" % (got, want))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cprof", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--cc", action="append", default=[])
    ap.add_argument("--cxx", action="append", default=[])
    ap.add_argument("--options-def", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    for cc, cxx in zip(a.cc, a.cxx):
        compiler_cases(a.cprof, cc, cxx, os.path.join(a.workdir, os.path.basename(cc)))
    error_cases(a.cprof, os.path.join(a.workdir, "errors"))
    options_listed(a.cprof, a.options_def)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
