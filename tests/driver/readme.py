#!/usr/bin/env python3
"""README.md's quick start, run as written.

The C block of the quick start, given a main that calls fib(20), is app.c;
each command of its driver block runs in a fresh directory with the build
tree's bin/ first on PATH (as `cprof` and `prstats` are once installed),
and must succeed.  The reports must show fib's exact 21891 calls (21890
recursive: `21891/1`) and the line report its one line.
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
failures = 0
for cmd in commands:
    p = subprocess.run(cmd, shell=True, cwd=workdir, env=env, capture_output=True, text=True)
    ok = p.returncode == 0
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
