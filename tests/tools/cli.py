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
    ap.add_argument("--reseal", required=True,
                    help="reseal.c: repairs a damaged profile's checksum")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--valgrind", help="run some cases under this valgrind")
    ap.add_argument("--sanitized", action="store_true",
                    help="a sanitizer build: it has no memory tracing")
    ap.add_argument("--callgrind-annotate",
                    help="valgrind's callgrind_annotate, to read exports")
    args = ap.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    if args.valgrind and not valgrind_usable(args):
        args.valgrind = None
    return args


def valgrind_usable(args):
    """valgrind gives up (exit 1) on debug info it cannot read, such as
    clang 14's DWARF 5 for valgrind 3.19: then it checks nothing."""
    r = run([args.valgrind, "-q", "--error-exitcode=99", args.prstats,
             "--version"])
    if r.returncode != 0:
        print("valgrind cannot run prstats here, memcheck runs skipped:\n"
              + r.stderr[-300:])
    return r.returncode == 0


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


def make_profile(args, name, *extra):
    """Runs the fixture; returns the path of the profile it dumped."""
    path = os.path.join(args.workdir, name)
    env = dict(os.environ, CPROF_OUT=os.path.join(args.workdir, "at-exit.out"))
    r = run([args.fixture, path, *extra], env=env)
    if r.returncode != 0 or not os.path.isfile(path):
        sys.exit("fixture failed (%d): %s" % (r.returncode, r.stderr))
    return path


def prstats_json(args, *files):
    """prstats' JSON of the files; options may come first."""
    r = run([args.prstats, "--format", "json", *files])
    if r.returncode != 0:
        sys.exit("prstats --format json failed: " + r.stderr)
    return json.loads(r.stdout)
