#!/usr/bin/env python3
"""exports_test.py - the speedscope and pprof exports read by their own tools.

    exports_test.py --src tree.c TOOLCHAIN... [--chromium PATH] [--node-dir DIR]
                    [--go PATH]

Builds and runs tree.c as view_test.py does, then checks against
`prstats --format json`:

  speedscope  valid under the schema npm's speedscope package ships (ajv,
              in --node-dir); every stack follows call edges from a root;
              each function's calls on the stacks it ends equal its ncalls,
              the time weights its tottime and sum to the total; each of
              tree.c's two threads has a time profile of its own, which
              prstats --thread K's numbers check the same way; the file
              loads in speedscope's own app in headless Chromium (profile
              and title shown; a screenshot kept).
  pprof       `go tool pprof -raw` reads the samples: calls per leaf
              function equal ncalls, nanoseconds per leaf tottime, their
              sum the total; `-top` lists every function, calls flat.  Of
              tree.c run with CPROF_MEMORY=1: per allocating line (the
              leaf's location) blocks and bytes allocated and live equal
              prstats --memory=line -f json's sites.

A tool that is missing skips its checks, a failure under CI=true.
"""

import argparse
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading

from cprof_harness import steps, toolchain
from cprof_harness.steps import TestError

import view_test


def missing(what, failures):
    if os.environ.get("CI") == "true":
        failures.append(f"{what} (a failure under CI=true)")
    else:
        print(f"note: {what}")


def ns(seconds):
    return seconds * 1e9


def check_leaf_sums(label, data, calls, times, failures, slack):
    """calls/times: per function name, summed over the stacks it ends
    (calls None: no profile of calls to check)."""
    for fn in data["functions"]:
        name = fn["name"]
        if calls is not None and calls.get(name, 0) != fn["ncalls"]:
            failures.append(f"{label}: {name} ends stacks of {calls.get(name, 0)} calls,"
                            f" want {fn['ncalls']}")
        if abs(times.get(name, 0) - ns(fn["tottime"])) > slack:
            failures.append(f"{label}: {name} self {times.get(name, 0)} ns,"
                            f" want {ns(fn['tottime']):.0f}")
    total = sum(times.values())
    if abs(total - ns(data["total_time"])) > 1:
        failures.append(f"{label}: weights sum to {total} ns, want {ns(data['total_time']):.0f}")


def check_speedscope(opts, out, data, failures):
    path = os.path.join(opts.workdir, "tree.speedscope.json")
    steps.run([opts.prstats, "-f", "speedscope", "-o", path, out], "prstats -f speedscope")
    doc = json.load(open(path, encoding="utf-8"))
    frames = [f["name"] for f in doc["shared"]["frames"]]
    edges = {(c["name"], fn["name"]) for fn in data["functions"] for c in fn["callers"]}
    by_name = {"time, all threads": {}, "calls, all threads": {}}
    for prof in doc["profiles"]:
        sums = by_name.setdefault(prof["name"], {})
        if len(prof["samples"]) != len(prof["weights"]):
            failures.append(f"speedscope {prof['name']}: samples and weights differ in number")
        for stack, w in zip(prof["samples"], prof["weights"]):
            names = [frames[i] for i in stack]
            if names[0] not in ("main", "worker"):
                failures.append(f"speedscope: stack {names} starts below a root")
            if not set(zip(names, names[1:])) <= edges:
                failures.append(f"speedscope: stack {names} is no call path")
            sums[names[-1]] = sums.get(names[-1], 0) + w
        if prof["endValue"] != sum(prof["weights"]):
            failures.append(f"speedscope {prof['name']}: endValue {prof['endValue']}")
    # Rounding carries from path to path: each function is within 1 ns a path.
    check_leaf_sums("speedscope", data, by_name["calls, all threads"],
                    by_name["time, all threads"], failures, slack=len(frames) * 2)
    threads = sorted(n for n in by_name if n.startswith("time, thread "))
    if [n.split(" '")[0] for n in threads] != ["time, thread 0", "time, thread 1"]:
        failures.append(f"speedscope: thread profiles {threads}, want threads 0 and 1")
    for k, name in enumerate(threads):
        one = json.loads(steps.run([opts.prstats, "--thread", str(k), "-f", "json", out],
                                   f"prstats --thread {k}"))
        ran = dict(one, functions=[f for f in one["functions"] if f["ncalls"]])
        check_leaf_sums(f"speedscope {name}", ran, None, by_name[name], failures,
                        slack=len(frames) * 2)

    if not opts.node_dir:
        missing("no npm's speedscope: the file was not validated or opened", failures)
        return
    r = subprocess.run(["node", os.path.join(os.path.dirname(__file__), "validate_speedscope.js"),
                        opts.node_dir, path], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        failures.append(f"speedscope schema: {r.stdout[:2000]}{r.stderr[:500]}")
    if not opts.chromium:
        missing("no chromium: speedscope's app did not open the file", failures)
        return
    app = os.path.join(opts.node_dir, "node_modules/speedscope/dist/release")
    served = os.path.join(opts.workdir, "speedscope-app")
    shutil.rmtree(served, ignore_errors=True)
    shutil.copytree(app, served)
    shutil.copy(path, os.path.join(served, "profile.json"))
    handler = functools.partial(QuietHandler, directory=served)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        url = base + "index.html#profileURL=" + base + "profile.json"
        dom = view_test.chromium(opts, url, "--dump-dom")
        view_test.chromium(opts, url, "--screenshot=" + os.path.join(opts.workdir,
                                                                     "speedscope.png"))
    finally:
        server.shutdown()
    if f"<title>{html.escape(doc['name'], quote=False)} - speedscope</title>" not in dom:
        failures.append("speedscope's app: the file's name is not its title")
    if "time, all threads" not in dom or "calls, all threads" not in dom:
        failures.append("speedscope's app: the profiles are not listed")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


RAW_SAMPLE = re.compile(r"^\s+(\d+(?:\s+\d+)*): ([\d ]+?)\s*$")  # values: locations
RAW_LOCATION = re.compile(r"^\s+(\d+): 0x0 M=\d+ (\S+) (\S+):(\d+) ")


def raw_samples(raw):
    """go tool pprof -raw's samples as ([values], [location ids], leaf first)."""
    return [([int(v) for v in m.group(1).split()], m.group(2).split())
            for m in filter(None, map(RAW_SAMPLE.match, raw))]


def check_pprof(opts, out, data, failures):
    path = os.path.join(opts.workdir, "tree.pb.gz")
    steps.run([opts.prstats, "-f", "pprof", "-o", path, out], "prstats -f pprof")
    if not opts.go:
        missing("no go: go tool pprof did not read the export", failures)
        return
    pprof = [opts.go, "tool", "pprof", "-symbolize=none"]
    raw = steps.run(pprof + ["-raw", path], "go tool pprof -raw").split("\n")
    loc = {m.group(1): m.group(2) for m in map(RAW_LOCATION.match, raw) if m}
    calls, times = {}, {}
    for values, stack in raw_samples(raw):
        leaf = loc.get(stack[0], "?")
        calls[leaf] = calls.get(leaf, 0) + values[0]
        times[leaf] = times.get(leaf, 0) + values[1]
    if not calls:
        failures.append(f"go tool pprof -raw: no samples read:\n{''.join(raw)[:1000]}")
        return
    check_leaf_sums("pprof", data, calls, times, failures, slack=len(loc) * 2)
    top = steps.run(pprof + ["-top", "-sample_index=calls", path], "go tool pprof -top")
    flat = {m.group(2): int(m.group(1))
            for m in re.finditer(r"^\s*(\d+)\s+\S+%\s+\S+%\s+\d+\s+\S+%\s+(\S+)$", top, re.M)}
    want = {fn["name"]: fn["ncalls"] for fn in data["functions"]}
    if flat != want:
        failures.append(f"go tool pprof -top: calls {flat}, want {want}")


def check_pprof_memory(opts, exe, failures):
    out = view_test.run(opts, exe, "memory", env={"CPROF_MEMORY": "1"})
    path = os.path.join(opts.workdir, "memory.pb.gz")
    steps.run([opts.prstats, "-f", "pprof", "-o", path, out], "prstats -f pprof (memory)")
    if not opts.go:
        return
    raw = steps.run([opts.go, "tool", "pprof", "-symbolize=none", "-raw", path],
                    "go tool pprof -raw (memory)").split("\n")
    types = next((l.split() for l in raw if l.startswith("calls/count")), [])
    if types[2:] != ["alloc_objects/count", "alloc_space/bytes", "inuse_objects/count",
                     "inuse_space/bytes"]:
        failures.append(f"pprof memory: sample types {types}")
        return
    loc = {m.group(1): (m.group(3), int(m.group(4))) for m in map(RAW_LOCATION.match, raw) if m}
    got = {}
    for values, stack in raw_samples(raw):
        if any(values[2:]):
            row = got.setdefault(loc[stack[0]], [0, 0, 0, 0])
            got[loc[stack[0]]] = [a + b for a, b in zip(row, values[2:])]
    sites = json.loads(steps.run([opts.prstats, "--memory=line", "-f", "json", out],
                                 "prstats --memory=line -f json"))["sites"]
    want = {(x["file"], x["line"]): [x["allocs"], x["alloc_bytes"], x["count"], x["size"]]
            for x in sites}
    if got != want:
        failures.append(f"pprof memory by line: {got}, prstats --memory=line: {want}")


def check(opts):
    exe = view_test.build(opts, "tree", ["-fplugin-arg-cprof-line-hits"])
    out = view_test.run(opts, exe, "tree")
    data = json.loads(steps.run([opts.prstats, "-f", "json", out], "prstats -f json"))
    failures = []
    check_speedscope(opts, out, data, failures)
    check_pprof(opts, out, data, failures)
    if not opts.no_memory:
        check_pprof_memory(opts, exe, failures)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    toolchain.add_toolchain_args(parser)
    parser.add_argument("--src", required=True)
    parser.add_argument("--chromium", help="headless Chromium, to open speedscope's app")
    parser.add_argument("--node-dir", help="where get-speedscope installed npm's packages")
    parser.add_argument("--go", help="the go command, for go tool pprof")
    parser.add_argument("--no-memory", action="store_true",
                        help="no memory trace: a sanitizer's malloc is not traced")
    opts = toolchain.parse_toolchain_args(parser)
    if opts.node_dir and not os.path.isdir(os.path.join(opts.node_dir, "node_modules")):
        opts.node_dir = None
    return steps.run_test(f"exports of {opts.src} ({toolchain.describe(opts)})", check, opts)


if __name__ == "__main__":
    sys.exit(main())
