#!/usr/bin/env python3
"""cprof_view.py - `cprof view FILE...` from the build tree.

    cprof_view.py --cprof PATH --fixture PATH --workdir DIR

On a profile the prstats fixture writes: without a desktop the page is
written (FILE.html here, or -o PAGE), its path printed and the page
served on 127.0.0.1 (GET / is the page byte for byte, another path 404,
SIGINT ends it with status 0), or with --no-serve only the path printed;
with DISPLAY set it is given to xdg-open (a stand-in on PATH records its
argument), and when xdg-open fails the path is printed instead; the usage
errors exit 2 with one `cprof: view:` line, an unreadable profile exits 1
and leaves no page.
"""

import argparse
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import urllib.error
import urllib.request

from cprof_harness import steps
from cprof_harness.steps import TestError


def run(cmd, cwd, env):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=steps.TIMEOUT)


def page_calls(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r'<script type="application/json" id="profile">(.*?)</script>', text, re.S)
    return json.loads(m.group(1))["total_calls"] if m else None


def fake_xdg_open(bindir, status):
    """An xdg-open that appends its argument to opened.txt and exits STATUS."""
    os.makedirs(bindir, exist_ok=True)
    path = os.path.join(bindir, "xdg-open")
    with open(path, "w") as f:
        f.write(f'#!/bin/sh\necho "$1" >> "{bindir}/opened.txt"\nexit {status}\n')
    os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC)
    return bindir


def check_served(opts, wd, env, failures):
    """No desktop: the path printed, then the page served until SIGINT."""
    p = subprocess.Popen([opts.cprof, "view", "--port=0", "prof.out"], cwd=wd, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        path, serving = p.stdout.readline(), p.stdout.readline()
        m = re.match(r"^serving it on (http://127\.0\.0\.1:\d+/) \(Ctrl-C stops\)$", serving)
        if path != "prof.out.html\n" or not m:
            failures.append(f"no desktop: printed {path!r} {serving!r}")
            return
        page = urllib.request.urlopen(m.group(1), timeout=30).read()
        if page != open(os.path.join(wd, "prof.out.html"), "rb").read():
            failures.append("served: GET / is not the page")
        try:
            urllib.request.urlopen(m.group(1) + "elsewhere", timeout=30)
            failures.append("served: GET /elsewhere answered")
        except urllib.error.HTTPError as e:
            if e.code != 404:
                failures.append(f"served: GET /elsewhere: {e.code}, want 404")
    finally:
        p.send_signal(signal.SIGINT)
        try:
            status = p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            status = "none (killed)"
        p.stdout.close()
        p.stderr.close()
    if status != 0:
        failures.append(f"served: SIGINT ended it with status {status}, want 0")


def check(opts):
    failures = []
    wd = opts.workdir
    shutil.rmtree(wd, ignore_errors=True)
    os.makedirs(wd)
    steps.run([opts.fixture, os.path.join(wd, "prof.out")], "fixture")
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}

    def expect(what, ok, r):
        if not ok:
            failures.append(f"{what}: exit {r.returncode}, stdout {r.stdout!r}, "
                            f"stderr {r.stderr!r}")

    r = run([opts.cprof, "view", "--no-serve", "prof.out"], wd, base)
    expect("no desktop, --no-serve: the path printed", r.returncode == 0 and
           r.stdout == "prof.out.html\n" and r.stderr == "", r)
    if page_calls(os.path.join(wd, "prof.out.html")) != 22071:
        failures.append("prof.out.html: not the fixture's page (22071 calls)")
    check_served(opts, wd, base, failures)
    r = run([opts.cprof, "view", "-o", "sub.html", "--no-serve", "prof.out", "prof.out"], wd,
            base)
    expect("-o PAGE, two profiles", r.returncode == 0 and r.stdout == "sub.html\n", r)
    if page_calls(os.path.join(wd, "sub.html")) != 2 * 22071:
        failures.append("sub.html: not the two profiles merged")

    bindir = fake_xdg_open(os.path.join(wd, "bin"), 0)
    desk = dict(base, DISPLAY=":99", PATH=bindir + os.pathsep + base.get("PATH", ""))
    r = run([opts.cprof, "view", "prof.out"], wd, desk)
    opened = open(os.path.join(bindir, "opened.txt")).read() if os.path.exists(
        os.path.join(bindir, "opened.txt")) else ""
    expect("DISPLAY set: xdg-open, nothing printed", r.returncode == 0 and r.stdout == "", r)
    if opened != "prof.out.html\n":
        failures.append(f"xdg-open was given {opened!r}")
    fake_xdg_open(bindir, 3)
    r = run([opts.cprof, "view", "--no-serve", "prof.out"], wd,
            dict(desk, DISPLAY="", WAYLAND_DISPLAY="w-0"))
    expect("xdg-open fails: the path printed", r.returncode == 0 and
           r.stdout == "prof.out.html\n", r)

    for args, status, words in ((["view"], 2, "cprof: view: no profile given"),
                                (["view", "--bogus", "prof.out"], 2,
                                 "cprof: view: unknown option '--bogus'"),
                                (["view", "--port=70000", "prof.out"], 2,
                                 "cprof: view: unknown option '--port=70000'"),
                                (["view", "missing.out"], 1, "missing.out")):
        r = run([opts.cprof, *args], wd, base)
        expect(" ".join(args), r.returncode == status and words in r.stderr and
               r.stdout == "", r)
    if os.path.exists(os.path.join(wd, "missing.out.html")):
        failures.append("a page was left for a missing profile")
    r = run([opts.cprof, "help", "view"], wd, base)
    expect("cprof help view", r.returncode == 0 and r.stdout.startswith("Usage: cprof view"), r)
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cprof", required=True)
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--workdir", required=True)
    opts = ap.parse_args()
    return steps.run_test("cprof view", check, opts)


if __name__ == "__main__":
    sys.exit(main())
