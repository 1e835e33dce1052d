#!/usr/bin/env python3
"""README.md's quick start, run as written.

The C block of the quick start, given a main that calls fib(20), is app.c;
each command of its driver block runs in a fresh directory with the build
tree's bin/ first on PATH (as `cprof` and `prstats` are once installed),
and must succeed.  The reports must show fib's exact 21891 calls (21890
recursive: `21891/1`) and the line report its one line.  `cprof view`
runs as on a desktop: DISPLAY set and an xdg-open on PATH that records the
page it was given (without one it would serve the page until Ctrl-C).
"""
import os
import re
import shutil
import subprocess
import sys

readme, bindir, workdir = sys.argv[1:4]
with open(readme) as f:
    quick = f.read().split("## Quick start", 1)[1].split("\n## ", 1)[0]
blocks = re.findall(r"```(\w+)\n(.*?)```", quick, re.S)
commands = [line.split("#", 1)[0].strip() for lang, text in blocks if lang == "sh"
            for line in text.splitlines() if line.startswith(("cprof", "prstats"))]
source = next(text for lang, text in blocks if lang == "c")

shutil.rmtree(workdir, ignore_errors=True)
os.makedirs(workdir)
with open(os.path.join(workdir, "app.c"), "w") as f:
    f.write(source + "int main(void) { return fib(20) != 6765; }\n")
with open(os.path.join(workdir, "Makefile"), "w") as f:
    f.write("app: app.c\n\t$(CC) -O2 app.c -o app\n")
env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"])
desk = os.path.join(workdir, "desktop")
os.makedirs(desk)
with open(os.path.join(desk, "xdg-open"), "w") as f:
    f.write(f'#!/bin/sh\necho "$1" > "{desk}/opened"\n')
os.chmod(os.path.join(desk, "xdg-open"), 0o755)
failures = 0
for cmd in commands:
    view = cmd.startswith("cprof view")
    p = subprocess.run(cmd, shell=True, cwd=workdir, capture_output=True, text=True, timeout=60,
                       env=dict(env, DISPLAY=":0", PATH=desk + os.pathsep + env["PATH"])
                       if view else env)
    ok = p.returncode == 0
    if ok and view:
        opened = os.path.join(desk, "opened")
        ok = os.path.exists(opened) and open(opened).read().strip().endswith(".html")
    if ok and (cmd.startswith("cprof run -s") or cmd.startswith("prstats")):
        ok = re.search(r"^\s*21891/1\s.*\(fib\)$", p.stdout, re.M) is not None
    if ok and cmd.startswith("cprof run -l"):
        ok = re.search(r"^\s*2\s+21891\s.*static long fib", p.stdout, re.M) is not None
    print(("ok   " if ok else "FAIL ") + cmd)
    if not ok:
        failures += 1
        print(p.stdout + p.stderr)
if len(commands) < 5:
    print("FAIL the quick start has %d driver commands, expected 5 or more" % len(commands))
    failures += 1
sys.exit(1 if failures else 0)
