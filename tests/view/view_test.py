#!/usr/bin/env python3
"""view_test.py - the flame graph and the page of a real profile.

    view_test.py --src tree.c --cc CC --cxx CXX --plugin PATH --plugin-name NAME
                 --rt-dir DIR [--runtime shared|static] --prstats PATH
                 --opt -O0|-O2 --workdir DIR

Compiles tree.c with the plugin, runs it, and reads its profile back
from `prstats --format json` and from the views:

  svg   well-formed XML with nothing outside the file; the frames form a
        tree (each on its parent, inside it); every function is a frame,
        or is named on the cut-off line; widths are the inclusive times
        (a function's outermost frames add up to its cumtime, their self
        widths to its tottime) and the calls on each path add up to
        ncalls; --icicle draws the same frames upside down.
"""

import argparse
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

from cprof_harness import steps, toolchain
from cprof_harness.steps import TestError

SVG = "{http://www.w3.org/2000/svg}"
WIDTH = 1200 - 2 * 10  # the frames' full width, export_svg.c's
TITLE = re.compile(r"^(.*) \((\d+) calls, .*\)$")


def build_and_run(opts, name, args):
    """The program built with the plugin ARGS and run: its profile."""
    os.makedirs(opts.workdir, exist_ok=True)
    exe = os.path.join(opts.workdir, name)
    out = os.path.join(opts.workdir, name + ".out")
    if os.path.exists(out):
        os.remove(out)
    toolchain.compile_program(opts, [opts.src], exe, args, cflags=["-pthread"])
    steps.run([exe], "tree", cwd=opts.workdir, env=dict(os.environ, CPROF_OUT=out))
    return out


class Frame:
    def __init__(self, g):
        rect = g.find(SVG + "rect")
        m = TITLE.match(g.find(SVG + "title").text)
        if not m:
            raise TestError(f"frame title {g.find(SVG + 'title').text!r}")
        self.name, self.calls = m.group(1), int(m.group(2))
        self.x, self.w = float(rect.get("x")), float(rect.get("width"))
        self.y = float(rect.get("y"))
        self.parent, self.kids = None, []

    def inside(self, other):
        return self.x >= other.x - 0.02 and self.x + self.w <= other.x + other.w + 0.02

    def ancestors(self):
        g = self.parent
        while g:
            yield g
            g = g.parent


def read_svg(path):
    """The frames, linked to their parents: the frame one row nearer the
    root (the 'all' frame) whose span holds them."""
    root = ET.parse(path).getroot()
    if root.tag != SVG + "svg":
        raise TestError(f"{path}: root element {root.tag}")
    frames = [Frame(g) for g in root.iter(SVG + "g") if g.get("class") == "f"]
    cut = "".join(t.text or "" for t in root.iter(SVG + "text") if t.get("id") == "cut")
    if not frames or frames[0].name != "all":
        raise TestError(f"{path}: the first frame is not 'all'")
    return frames, cut


def link(frames, failures, icicle):
    """Each frame's parent; returns the row height's sign (root at the
    bottom: parents below their children)."""
    step = 16 if icicle else -16
    by_row = {}
    for f in frames:
        by_row.setdefault(f.y, []).append(f)
    for f in frames[1:]:
        parents = [p for p in by_row.get(f.y - step, []) if f.inside(p)]
        if len(parents) != 1:
            failures.append(f"frame {f.name} at y={f.y}: {len(parents)} parents")
            continue
        f.parent = parents[0]
        f.parent.kids.append(f)


def check_svg(opts, out, data, failures, icicle):
    path = os.path.join(opts.workdir, "icicle.svg" if icicle else "flame.svg")
    steps.run([opts.prstats, "-f", "svg", *(["--icicle"] if icicle else []), "-o", path, out],
              "prstats -f svg")
    text = open(path, encoding="utf-8").read()
    outside = set(re.findall(r"(?:href|src)\s*=|https?://[^\"]*", text)) - {
        "http://www.w3.org/2000/svg"}
    if outside:
        failures.append(f"svg refers outside itself: {outside}")
    frames, cut = read_svg(path)
    link(frames, failures, icicle)
    root = frames[0]
    if abs(root.w - WIDTH) > 0.01 or root.calls != data["total_calls"]:
        failures.append(f"'all' frame: width {root.w}, {root.calls} calls; want {WIDTH}, "
                        f"{data['total_calls']}")
    if any(f.y <= root.y for f in frames[1:]) != (not icicle):
        failures.append(f"root at y={root.y}: not at the {'top' if icicle else 'bottom'}")
    for f in frames:
        if sum(k.w for k in f.kids) > f.w + 0.01 * (len(f.kids) + 1):
            failures.append(f"{f.name}: children wider than their parent")
    # tiny() takes next to nothing: the cut-off must leave it out, say so,
    # and have cut nothing else.
    if not re.fullmatch(r"1 call paths of less than [\d.]+ [mun]?s \(0\.1 pixel\) not "
                        r"drawn; 1 functions only there: tiny", cut):
        failures.append(f"cut-off line: {cut!r}")
    pruned = 1
    total = data["total_time"]
    for fn in data["functions"]:
        name, mine = fn["name"], [f for f in frames if f.name == fn["name"]]
        if name == "tiny":
            if mine:
                failures.append("tiny is drawn")
            continue
        if not mine:
            failures.append(f"{name}: no frame")
            continue
        outer = [f for f in mine if all(a.name != name for a in f.ancestors())]
        cum = sum(f.w for f in outer)
        self_w = sum(f.w - sum(k.w for k in f.kids) for f in mine)
        tol = 0.01 * (len(mine) + sum(len(f.kids) for f in mine)) + 0.1 * pruned
        for what, got, want in (("cumtime", cum, fn["cumtime"]),
                                ("tottime", self_w, fn["tottime"])):
            if abs(got - want / total * WIDTH) > tol:
                failures.append(f"{name}: {what} width {got:.2f}, want "
                                f"{want / total * WIDTH:.2f} (+-{tol:.2f})")
        calls = sum(f.calls for f in mine)
        if calls != fn["ncalls"]:
            failures.append(f"{name}: {calls} calls on its frames, ncalls {fn['ncalls']}")
    return frames


def check(opts):
    # Line hits without their times: work()'s loop makes a line change per
    # turn, and the time the line probes are estimated to cost is spread
    # over work()'s calls evenly, which would take a short call's time away.
    out = build_and_run(opts, "tree", ["-fplugin-arg-cprof-line-hits"])
    data = json.loads(steps.run([opts.prstats, "-f", "json", out], "prstats -f json"))
    names = {f["name"] for f in data["functions"]}
    want = {"main", "worker", "parse", "solve", "step", "rec", "work", "report", "tiny"}
    if names != want:
        raise TestError(f"functions {sorted(names)}, want {sorted(want)}")
    failures = []
    flame = check_svg(opts, out, data, failures, icicle=False)
    icicle = check_svg(opts, out, data, failures, icicle=True)
    if [(f.name, f.x, f.w, f.calls) for f in flame] != \
            [(f.name, f.x, f.w, f.calls) for f in icicle]:
        failures.append("--icicle: not the same frames")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    toolchain.add_toolchain_args(parser)
    parser.add_argument("--src", required=True)
    opts = toolchain.parse_toolchain_args(parser)
    return steps.run_test(f"views of {opts.src} ({toolchain.describe(opts)})", check, opts)


if __name__ == "__main__":
    sys.exit(main())
