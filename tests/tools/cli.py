"""Helpers shared by the prstats command-line tests."""
import argparse
import json
import os
import shutil
import subprocess
import sys


def parse_args(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--prstats", required=True)
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--valgrind", help="run some cases under this valgrind")
    args = ap.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    return args


class Failures:
    """Collects failed checks so one run reports all of them."""

    def __init__(self):
        self.count = 0

    def check(self, ok, what):
        if not ok:
            self.count += 1
            print("FAIL:", what)
        return ok

    def finish(self, checked):
        if self.count:
            print("%d of %d checks failed" % (self.count, checked))
            sys.exit(1)
        print("all %d checks passed" % checked)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                          timeout=300, **kw)


def make_profile(args, name):
    """Runs the fixture; returns the path of the profile it dumped."""
    path = os.path.join(args.workdir, name)
    env = dict(os.environ, CPROF_OUT=os.path.join(args.workdir, "at-exit.out"))
    r = run([args.fixture, path], env=env)
    if r.returncode != 0 or not os.path.isfile(path):
        sys.exit("fixture failed (%d): %s" % (r.returncode, r.stderr))
    return path


def prstats_json(args, *files):
    r = run([args.prstats, "--format", "json", *files])
    if r.returncode != 0:
        sys.exit("prstats --format json failed: " + r.stderr)
    return json.loads(r.stdout)
