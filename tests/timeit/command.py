#!/usr/bin/env python3
"""`cprof timeit`, as a user runs it: output lines, JSON, options, ratios
and exit statuses for good and bad statements.

Usage: command.py CPROF WORKDIR CC...   (each CC: a compiler to time with)

Runs last 2 ms (CPROF_TIMEIT_MIN_TIME) so the whole test takes seconds;
figures are checked for their form and for what holds by construction
(loop and run counts given, a chain of 2N multiplies against one of N),
never for a machine's speed.
"""
import json
import os
import re
import shutil
import subprocess
import sys

cprof, workdir, compilers = sys.argv[1], sys.argv[2], sys.argv[3:]
shutil.rmtree(workdir, ignore_errors=True)
tmp = os.path.join(workdir, "tmp")
os.makedirs(tmp)
env = dict(os.environ, CPROF_TIMEIT_MIN_TIME="0.002", TMPDIR=tmp)
failures = []

PYTHON = re.compile(r"^(\d+) loops?, best of (\d+): [\d.]+(e[-+]\d+)? (sec|msec|usec|nsec) per loop$")
IPYTHON = re.compile(r"^[\d.]+(e[-+]\d+)? (s|ms|µs|ns) ± [\d.]+(e[-+]\d+)? (s|ms|µs|ns) per loop "
                     r"\(mean ± std\. dev\. of (\d+) runs?, ([\d,]+) loops? each\)$")


def check(cond, what, detail=""):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
        print(detail[-3000:])


def timeit(*args):
    p = subprocess.run([cprof, "timeit", *args], env=env, capture_output=True,
                       text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def lines_of(out):
    """(loops, runs) of python's line and of IPython's, which must agree."""
    lines = out.splitlines()
    py, ip = PYTHON.match(lines[0]), IPYTHON.match(lines[1])
    if not py or not ip:
        return None
    same = (int(py.group(1)), int(py.group(2))) == (int(ip.group(6).replace(",", "")), int(ip.group(5)))
    return (int(py.group(1)), int(py.group(2))) if same else None


def chain(n):
    return "x *= m; " * n + "cprof_keep(x);"


CHAIN_SETUP = "double m = 1, x = 1; cprof_keep(m)"
LOOP_STMT = "for (int i = 0; i < 10; i++)\n  if (i % 3 == 0)\n    s += i;\ncprof_keep(s)"
MEMORY_STMT = 'char *p = malloc(100); cprof_keep(p);\nchar *q = strdup("abc"); cprof_keep(q);\nfree(p); free(q)'

for cc in compilers:
    name = os.path.basename(cc)
    rc, out, err = timeit("--cc", cc, "-s", "double x = 1", "x *= x; cprof_keep(x)")
    check(rc == 0 and len(out.splitlines()) == 2 and lines_of(out) is not None,
          "%s: one statement, python's line and IPython's" % name, out + err)
    check("without optimisation" not in err, "%s: -O2 by default: no warning" % name, err)
    check("takes about no time" not in err, "%s: a statement kept: no zero-time warning" % name,
          err)
    rc, out, err = timeit("--cc", cc, "-s", "double m = 1, x = 1", "x *= m")
    check(rc == 0 and "cprof: timeit: the statement takes about no time" in err
          and "cprof_keep(x)" in err,
          "%s: a statement the compiler deletes: the zero-time warning" % name, err)
    # Two chains, interleaved: the second twice as long, so about twice the
    # time (the best runs of 15; test_timeit.c says why).
    rc, out, err = timeit("--cc", cc, "--json", "-r", "15", "-s", CHAIN_SETUP, chain(32), chain(64))
    objs = [json.loads(line) for line in out.splitlines()] if rc == 0 else []
    ratio = objs[2]["best"] if len(objs) == 3 and objs[2].get("ratio") == [2, 1] else 0
    print("  %s: chain of 64 / chain of 32, best runs: %.3f" % (name, ratio))
    check(1.5 < ratio < 2.7, "%s: a chain of 64 multiplies takes about twice one of 32" % name,
          out + err)

    # --lines: exact hits per loop of each line (i = 0, 3, 6, 9 add), the
    # setup's and the loop's own lines in no table; --memory: allocations.
    rc, out, err = timeit("--cc", cc, "--lines", "-n", "20", "-r", "1", "-s", "int s = 0",
                          LOOP_STMT)
    check(rc == 0 and out.split("\n\n", 1)[1:] == [
        "Lines per loop (20 loops, counted by the plugin in line-hits mode):\n"
        "Line #  Hits/loop  Line Contents\n"
        "     1         11  for (int i = 0; i < 10; i++)\n"
        "     2         10    if (i % 3 == 0)\n"
        "     3          4      s += i;\n"
        "     4          1  cprof_keep(s)\n"],
          "%s: --lines: each line's hits per loop" % name, out + err)
    rc, out, err = timeit("--cc", cc, "--memory", "--json", "--include", "string.h",
                          "-n", "10", "-r", "1", MEMORY_STMT)
    objs = [json.loads(line) for line in out.splitlines()] if rc == 0 else []
    check(len(objs) == 2 and objs[1] == {"lines": 1, "loops": 10, "table": [
        {"line": 1, "hits": 1, "allocs": 1, "bytes": 100},
        {"line": 2, "hits": 1, "allocs": 1, "bytes": 4},
        {"line": 3, "hits": 1, "allocs": 0, "bytes": 0}]},
          "%s: --memory --json: allocations and bytes per loop at their lines" % name,
          out + err)

rc, out, err = timeit("-n", "1000", "-r", "3", "-s", "double x = 1", "x *= x; cprof_keep(x)")
check(rc == 0 and lines_of(out) == (1000, 3), "-n 1000 -r 3: 1000 loops, 3 runs", out + err)
check(out.splitlines()[1].endswith("(mean ± std. dev. of 3 runs, 1,000 loops each)"),
      "IPython's line: 1,000 loops each", out)

rc, out, err = timeit("--json", "-n", "500", "-r", "2", 'const char *s = "a\\"b\\\\c"; cprof_keep(s)')
obj = json.loads(out) if rc == 0 else {}
check(obj.get("loops") == 500 and obj.get("runs") == 2 and len(obj.get("times", [])) == 2
      and obj.get("statement") == 'const char *s = "a\\"b\\\\c"; cprof_keep(s)'
      and obj.get("best") <= obj.get("median") <= obj.get("worst"),
      "--json: the counts given, the statement's text, best <= median <= worst", out + err)

rc, out, err = timeit("-s", CHAIN_SETUP, chain(8), chain(16))
text = out.splitlines()
check(rc == 0 and len(text) == 7 and text[0] == "[1] " + chain(8) and text[3] == "[2] " + chain(16)
      and lines_of("\n".join(text[1:3])) and lines_of("\n".join(text[4:6]))
      and re.match(r"^\[2\] / \[1\] = [\d.]+ \([\d.]+% confidence [\d.]+ \.\. [\d.]+ of 7 "
                   r"interleaved pairs; best runs [\d.]+\)$", text[6]),
      "two statements: each named, then [2]'s time over [1]'s", out + err)

rc, out, err = timeit("-O", "0", "-n", "10", "-r", "1", "int y = 1; cprof_keep(y)")
check(rc == 0 and "cprof: timeit: the statement was built without optimisation" in err,
      "-O 0: the unoptimised build's warning", err)

os.makedirs(os.path.join(workdir, "inc"))
with open(os.path.join(workdir, "inc", "twice.h"), "w") as f:
    f.write("static inline double twice(double v) { return 2 * v; }\n")
rc, out, err = timeit("-I", os.path.join(workdir, "inc"), "--include", "twice.h",
                      "--include", "math.h", "-l", "m", "-n", "100", "-r", "1",
                      "-s", "double x = 2, y", "y = sqrt(twice(x)); cprof_keep(y)")
check(rc == 0 and lines_of(out) == (100, 1), "-I, --include (twice), -l m (sqrt)", out + err)

# Bad input: a status and one message, naming the user's text.
rc, out, err = timeit("int y = ")
check(rc == 1 and re.search(r"^<stmt>:\d+:\d+: error:", err, re.M)
      and err.rstrip().endswith("cprof: timeit: the statement does not compile"),
      "a statement that does not compile: status 1, the error at <stmt>", err)
rc, out, err = timeit("int y = 1; (void)y", "undefined_name++")
check(rc == 1 and re.search(r"^<stmt2>:1:\d+: error: .*undefined_name", err, re.M),
      "the second statement's error names <stmt2>", err)
rc, out, err = timeit("-s", "int x = ", "(void)0")
check(rc == 1 and re.search(r"^<setup>:\d+:\d+: error:", err, re.M), "a setup error names <setup>", err)
rc, out, err = timeit("-n", "10", "-r", "1", "-s", "int *volatile p = 0", "*p = 1")
check(rc == 128 + 11 and "cprof: timeit: the statement crashed (Segmentation fault)" in err,
      "a crash in the statement: 139 and the signal named", "%d %s" % (rc, err))
for empty in ("", "  ;\n"):
    rc, out, err = timeit(empty)
    check(rc == 2 and err == "cprof: timeit: statement 1 is empty\n" and out == "",
          "an empty statement %r: status 2" % empty, err)
rc, out, err = timeit("-n", "5")
check(rc == 2 and "no statement given" in err, "no statement: status 2", err)
rc, out, err = timeit("-x", "1")
check(rc == 2 and "unknown option '-x'" in err, "an unknown option: status 2", err)
for bad in (["-n", "0"], ["-r", "x"], ["-n", "-5"]):
    rc, out, err = timeit(*bad, "1")
    check(rc == 2 and "-n and -r take a whole number from 1" in err, "%s: status 2" % " ".join(bad), err)
rc, out, err = timeit("--include", "stdlib.h", "-n", "1", "-r", "1", "exit(3)")
check(rc == 3 and "cprof: timeit: the program exited with status 3" in err,
      "a statement that exits: its status", "%d %s" % (rc, err))
rc, out, err = timeit("--cc", "/nonexistent/cc", "1")
check(rc == 127 and "cannot run /nonexistent/cc" in err and "does not compile" not in err,
      "a compiler that does not run: 127", err)
rc, out, err = timeit("-r")
check(rc == 2 and "-r needs a value" in err, "an option without its value: status 2", err)

p = subprocess.run([cprof, "help", "timeit"], capture_output=True, text=True)
check(p.returncode == 0 and p.stdout.startswith("Usage: cprof timeit"), "cprof help timeit")
check(os.listdir(tmp) == [], "the generated files are removed", str(os.listdir(tmp)))

print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
