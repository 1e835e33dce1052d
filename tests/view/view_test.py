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
  html  one file that refers to nothing outside it; its JSON has the
        numbers of prstats' JSON, the call tree's calls add up to each
        function's ncalls, the source is the program's text.  Loaded in
        headless Chromium (--chromium): no script error, the table's rows
        are prstats' rows in prstats' order and numbers, and page#f=rec
        re-roots the chart at rec and shows its callers and line hits, and
        with &chart=sunburst draws it as rings (rec, rec, rec, work); a
        screenshot is kept in the work directory.  Without Chromium the
        browser checks are skipped, a failure under CI=true.
  diff  tree.c run again with an argument: prstats --diff -f html's rows
        are prstats --diff's, each side's numbers its profile's JSON;
        -n, -p and another format are refused.
  memory tree.c run with CPROF_MEMORY=1: the page's rows equal prstats
        --memory -f json's, by line and by function.
  threads tree.c's two threads (main's and worker's): the page's
        threads are prstats --thread K -f json's numbers, they add up to
        the merged ones exactly, prstats --threads lists them; in the
        browser the thread menu shows worker's table and tree alone.
  clicks the three pages driven through the DevTools protocol (clicks.py).
"""

import argparse
import json
import os
import html
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import clicks
from cprof_harness import steps, toolchain
from cprof_harness.steps import TestError

SVG = "{http://www.w3.org/2000/svg}"
WIDTH = 1200 - 2 * 10  # the frames' full width, export_svg.c's
TITLE = re.compile(r"^(.*) \((\d+) calls, .*\)$")


def build(opts, name, args):
    """The program built with the plugin ARGS."""
    os.makedirs(opts.workdir, exist_ok=True)
    exe = os.path.join(opts.workdir, name)
    toolchain.compile_program(opts, [opts.src], exe, args, cflags=["-pthread"])
    return exe


def run(opts, exe, name, *argv, env=None):
    """The program run with argv (and env added): its profile NAME.out."""
    out = os.path.join(opts.workdir, name + ".out")
    if os.path.exists(out):
        os.remove(out)
    # No sampler: a signal handled inside tiny() would count in its window
    # and could lift it above the cut-off that the test expects it under.
    steps.run([exe, *argv], "tree", cwd=opts.workdir,
              env=dict(os.environ, CPROF_OUT=out, CPROF_SAMPLE_HZ="0", **(env or {})))
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


def page_data(text):
    m = re.search(r'<script type="application/json" id="profile">(.*?)</script>', text, re.S)
    if not m:
        raise TestError("the page has no profile data")
    return json.loads(m.group(1))


def check_page_data(opts, page, data, failures):
    text = open(page, encoding="utf-8").read()
    outside = [u for u in re.findall(r"\b(?:src|href)\s*=\s*[\"'][^#\"']|https?://[^\"]*|@import|url\(",
                                     text) if u != "http://www.w3.org/2000/svg"]
    if outside:
        failures.append(f"page refers outside itself: {outside[:5]}")
    d = page_data(text)
    if (d["total_calls"], d["prim_calls"], d["total"] / d["hz"]) != \
            (data["total_calls"], data["primitive_calls"], data["total_time"]):
        failures.append("page totals differ from prstats' JSON")
    funcs = {f[0]: f for f in d["funcs"]}
    calls = {}
    for n in d["nodes"]:
        calls[n[1]] = calls.get(n[1], 0) + n[2]
    names = [f[0] for f in d["funcs"]]
    for fn in data["functions"]:
        f = funcs.get(fn["name"])
        if not f:
            failures.append(f"page: no function {fn['name']}")
            continue
        got = (f[1], f[2], f[3], f[4], f[5] / d["hz"], f[6] / d["hz"])
        want = (fn["file"], fn["line"], fn["ncalls"], fn["pcalls"], fn["tottime"], fn["cumtime"])
        if got != want:
            failures.append(f"page: {fn['name']} is {got}, prstats says {want}")
        tree = calls.get(names.index(fn["name"]), 0)
        if tree != fn["ncalls"] and fn["name"] not in d["cut"]["only"]:
            failures.append(f"page: {fn['name']} has {tree} calls in the tree, "
                            f"ncalls {fn['ncalls']}")
        hits = {l[0]: l[1] for l in f[11]}
        want_hits = {l["line"]: l["hits"] for l in fn["lines"] if l["hits"]}
        if hits != want_hits:
            failures.append(f"page: {fn['name']} line hits {hits}, want {want_hits}")
    src = open(opts.src, encoding="utf-8").read().split("\n")
    if len(d["sources"]) != 1 or d["sources"][0].get("lines") != src[:len(d["sources"][0].get("lines", []))] \
            or abs(len(d["sources"][0]["lines"]) - len(src)) > 1:
        failures.append(f"page sources: {[s.get('path') for s in d['sources']]}")
    return d


def check_threads(opts, out, d, data, failures):
    """The page's threads against prstats --thread K, and their sums."""
    threads = d.get("threads", [])
    if [t["label"].split(" '")[0] for t in threads] != ["thread 0", "thread 1"]:
        failures.append(f"page threads: {[t['label'] for t in threads]}, want 2")
        return
    names = [f[0] for f in d["funcs"]]
    merged = {f["name"]: f for f in data["functions"]}
    sums = {}
    for k, t in enumerate(threads):
        one = json.loads(steps.run([opts.prstats, "--thread", str(k), "-f", "json", out],
                                   f"prstats --thread {k}"))
        if (t["total_calls"], t["prim_calls"], t["total"] / t["hz"]) != \
                (one["total_calls"], one["primitive_calls"], one["total_time"]) or \
                one.get("thread_label") != t["label"]:
            failures.append(f"page {t['label']}: totals differ from prstats --thread {k}")
        got = {names[f[0]]: (f[1], f[2], f[3] / t["hz"], f[4] / t["hz"]) for f in t["funcs"]}
        want = {f["name"]: (f["ncalls"], f["pcalls"], f["tottime"], f["cumtime"])
                for f in one["functions"] if f["ncalls"]}
        if got != want:
            failures.append(f"page {t['label']}: {got}, prstats --thread {k}: {want}")
        for f in t["funcs"]:
            s = sums.setdefault(names[f[0]], [0, 0])
            s[0] += f[1]
            s[1] += f[3]
        roots = sorted(names[n[1]] for n in t["nodes"] if n[0] < 0)
        if roots != (["worker"] if k else ["main"]):
            failures.append(f"page {t['label']}: roots {roots}")
    if set(names[f[0]] for f in threads[1]["funcs"]) != {"worker", "step", "work"}:
        failures.append(f"thread 1: {[names[f[0]] for f in threads[1]['funcs']]}, "
                        "want worker, step, work")
    page = {f[0]: f for f in d["funcs"]}
    for name, (calls, self) in sums.items():
        if (calls, self) != (merged[name]["ncalls"], page[name][5]):
            failures.append(f"{name}: threads add up to {calls} calls, {self} ticks; merged "
                            f"{merged[name]['ncalls']}, {page[name][5]}")
    listed = steps.run([opts.prstats, "--threads", out], "prstats --threads").splitlines()
    rows = [l.split() for l in listed if re.match(r"^\s+\d+\s+\d+\s+\d+\s+\d+\s", l)]
    if [(int(r[0]), int(r[3])) for r in rows] != \
            [(k, t["total_calls"]) for k, t in enumerate(threads)]:
        failures.append(f"prstats --threads: {rows}")
    r = subprocess.run([opts.prstats, "--thread", "2", out], capture_output=True, text=True)
    if r.returncode != 1 or r.stderr.strip() != f"prstats: {out}: no thread 2 (its threads: 0 to 1)":
        failures.append(f"prstats --thread 2: exit {r.returncode}, {r.stderr.strip()!r}")


def chromium(opts, url, *flags):
    cmd = [opts.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--window-size=1400,1000", "--virtual-time-budget=5000", *flags, url]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise TestError(f"chromium failed (exit {r.returncode}): {r.stderr[-2000:]}")
    # The document as the script left it, without the scripts' own text.
    return re.sub(r"<script\b.*?</script>", "", r.stdout, flags=re.S)


def cells(row):
    return [html.unescape(re.sub(r"<[^>]*>", "", c))
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def pstats_row(fn):
    """The table's row as prstats prints it (-p 6)."""
    n, p = fn["ncalls"], fn["pcalls"]
    return [str(n) if n == p else f"{n}/{p}", "%.6f" % fn["tottime"],
            "%.6f" % (fn["tottime"] / n if n else 0), "%.6f" % fn["cumtime"],
            "%.6f" % (fn["cumtime"] / p if p else 0),
            f"{fn['file']}:{fn['line']}({fn['name']})"]


DIFF_ROW = re.compile(r"^(.*): calls=(\d+) \(([+-]\d+)\), tottime=([\d.]+)s \(([+-][\d.]+)s\), "
                      r"cumtime=([\d.]+)s \(([+-][\d.]+)s\)$")


def diff_rows(text):
    """prstats --diff's rows: [stdname, calls, change, tottime, change,
    cumtime, change], as printed."""
    return [list(m.groups()) for m in map(DIFF_ROW.match, text.splitlines()) if m]


def check_diff_data(opts, diff, data, after, want, failures):
    """The diff page's rows are prstats --diff's, in its order, their
    numbers each profile's JSON numbers; its trees' calls add up to ncalls."""
    d = page_data(open(diff, encoding="utf-8").read())
    sides = {"before": data, "after": json.loads(
        steps.run([opts.prstats, "-f", "json", after], "prstats -f json"))}
    names = [f"{r[1]}:{r[2]}({r[0]})" for r in d["rows"]]
    if names != [w[0] for w in want]:
        failures.append(f"diff page rows {names}, prstats --diff {[w[0] for w in want]}")
    for side, prof in sides.items():
        hz, funcs = d[side]["hz"], {f["name"]: f for f in prof["functions"]}
        calls = {}
        for n in d[side]["nodes"]:
            calls[n[1]] = calls.get(n[1], 0) + n[2]
        for i, r in enumerate(d["rows"]):
            # A side that lacks the function, or never called it, counts 0.
            fn, got = funcs.get(r[0]), r[3 if side == "before" else 4] or [0, 0, 0, 0]
            want_side = [fn["ncalls"], fn["pcalls"], fn["tottime"], fn["cumtime"]] \
                if fn else [0, 0, 0, 0]
            if [got[0], got[1], got[2] / hz, got[3] / hz] != want_side:
                failures.append(f"diff page {side}: {r[0]} is {got}, prstats says {want_side}")
            if calls.get(i, 0) != want_side[0] and \
                    r[0] not in d[side]["cut"]["only"]:
                failures.append(f"diff page {side}: {r[0]} has {calls.get(i, 0)} calls in the "
                                f"tree, ncalls {want_side[0]}")


MEM_FIELDS = ("size", "count", "peak", "allocs", "alloc_bytes")


def check_memory_data(opts, mem, mem_page, failures):
    """The memory page's rows are prstats --memory's (by line and by
    function), its totals the trace's; the page without a trace has none."""
    d = page_data(open(mem_page, encoding="utf-8").read())
    m = d.get("memory")
    if not m:
        failures.append("memory page: no memory data")
        return []
    for by, key in (("line", "lines"), ("function", "funcs")):
        j = json.loads(steps.run([opts.prstats, f"--memory={by}", "-f", "json", mem],
                                 "prstats --memory -f json"))
        want = [[s["file"], s["line"], *([s["function"]] if by == "function" else []), *(s[k] for k in MEM_FIELDS)]
                for s in j["sites"]]
        if m[key] != want:
            failures.append(f"memory page {key}: {m[key]}, prstats --memory says {want}")
        if by == "line":
            sites = j["sites"]
            if (m["current"], m["peak"], m["at_exit"]) != (j["current"], j["peak"], j["at_exit"]):
                failures.append(f"memory page totals {m}, prstats says {j}")
    # parse() allocated 4 blocks of 1000 bytes and kept 1.
    if not any(s["allocs"] == 4 and s["alloc_bytes"] == 4000 and s["size"] == 1000
               for s in sites):
        failures.append(f"memory: no site of parse()'s 4 blocks: {sites}")
    return sites


def check_browser(opts, page, data, failures):
    """Returns whether there is a browser to check the pages with."""
    if not opts.chromium:
        if os.environ.get("CI") == "true":
            failures.append("no chromium to load the page (a failure under CI=true)")
        else:
            print("note: no chromium, the page was not loaded in a browser")
        return False
    url = "file://" + os.path.abspath(page)
    dom = chromium(opts, url, "--dump-dom")
    if not re.search(r'<body[^>]*\bdata-ready="1"', dom):
        failures.append("page: the script did not finish")
    errors = re.search(r'<p id="errors">(.*?)</p>', dom, re.S)
    if not errors or errors.group(1).strip():
        failures.append(f"page script errors: {errors.group(1) if errors else 'no #errors'}")
    rows = [cells(r) for r in re.findall(r"<tr data-func=[^>]*>.*?</tr>", dom, re.S)]
    want = [pstats_row(fn) for fn in data["functions"]]
    if rows != want:
        failures.append(f"page table:\n  got  {rows}\n  want {want}")
    dom = chromium(opts, url + "#f=rec", "--dump-dom")
    func = re.search(r'<section id="func">(.*?)</section>', dom, re.S)
    func = func.group(1) if func else ""
    rec = next(fn for fn in data["functions"] if fn["name"] == "rec")
    if f"<h2>{rec['file']}:{rec['line']}(rec)</h2>" not in func:
        failures.append(f"page#f=rec: rec not selected: {func[:300]}")
    if not re.search(r"Called by.*\(solve\)</a>.*Calls.*\(rec\)</a>", func, re.S):
        failures.append("page#f=rec: solve not among its callers, rec not among its callees")
    shown = {int(n): cells(r)[1] for n, r in re.findall(r'<tr data-line="(\d+)"[^>]*>(.*?)</tr>',
                                                         func, re.S)}
    want_hits = {l["line"]: str(l["hits"]) for l in rec["lines"] if l["hits"]}
    if {n: h for n, h in shown.items() if h} != want_hits:
        failures.append(f"page#f=rec: line hits {shown}, want {want_hits}")
    first = re.search(r'<div class="node"[^>]*>([^<]*)</div>', dom)
    if not first or first.group(1) != "rec" or "function rec" not in dom:
        failures.append("page#f=rec: the chart is not rooted at rec")
    dom = chromium(opts, url + "#f=rec&chart=sunburst", "--dump-dom")
    sun = re.search(r'<svg[^>]*id="sunburst".*?</svg>', dom, re.S)
    shapes = re.findall(r"<(circle|path)\b[^>]*><title>([^<:]*?)(?: at |:)", sun.group(0)) \
        if sun else []
    if shapes != [("circle", "rec"), ("path", "rec"), ("path", "rec"), ("path", "work")]:
        failures.append(f"page#f=rec&chart=sunburst: {shapes}")
    chromium(opts, url, "--screenshot=" + os.path.join(opts.workdir, "page.png"))
    return True


def check(opts):
    # Line hits without their times: work()'s loop makes a line change per
    # turn, and the time the line probes are estimated to cost is spread
    # over work()'s calls evenly, which would take a short call's time away.
    exe = build(opts, "tree", ["-fplugin-arg-cprof-line-hits"])
    out = run(opts, exe, "tree")
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
    page = os.path.join(opts.workdir, "page.html")
    steps.run([opts.prstats, "-f", "html", "-o", page, out], "prstats -f html")
    d = check_page_data(opts, page, data, failures)
    if "memory" in d:
        failures.append("page: memory data from a profile without a trace")
    check_threads(opts, out, d, data, failures)
    have = check_browser(opts, page, data, failures)
    after = run(opts, exe, "after", "after")
    diff = os.path.join(opts.workdir, "diff.html")
    steps.run([opts.prstats, "--diff", "-f", "html", "-o", diff, out, after],
              "prstats --diff -f html")
    want = diff_rows(steps.run([opts.prstats, "--diff", out, after], "prstats --diff"))
    for bad in (["-n", "3"], ["-p", "3"], ["-f", "svg"]):
        r = subprocess.run([opts.prstats, "--diff", "-f", "html", *bad, out, after],
                           capture_output=True, text=True)
        if r.returncode != 2:
            failures.append(f"prstats --diff -f html {' '.join(bad)}: exit {r.returncode}, want 2")
    check_diff_data(opts, diff, data, after, want, failures)
    if have:
        clicks.check(opts, page, diff, want, failures)
    if opts.no_memory:
        return failures
    mem = run(opts, exe, "memory", env={"CPROF_MEMORY": "1"})
    mem_page = os.path.join(opts.workdir, "memory.html")
    steps.run([opts.prstats, "-f", "html", "-o", mem_page, mem], "prstats -f html")
    sites = check_memory_data(opts, mem, mem_page, failures)
    if have:
        clicks.check_memory(opts, mem_page, sites, failures)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    toolchain.add_toolchain_args(parser)
    parser.add_argument("--src", required=True)
    parser.add_argument("--chromium", help="headless Chromium, to load the page")
    parser.add_argument("--no-memory", action="store_true",
                        help="no memory tab: a sanitizer's malloc is not traced")
    opts = toolchain.parse_toolchain_args(parser)
    return steps.run_test(f"views of {opts.src} ({toolchain.describe(opts)})", check, opts)


if __name__ == "__main__":
    sys.exit(main())
