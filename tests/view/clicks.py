"""clicks.py - the pages of view_test.py used as a user would, through
the DevTools protocol (cdp.py): mouse clicks on a table row and on a
chart's box, a filter typed in, and the diff page's table and colours.
Screenshots are kept in the work directory (page-click.png, diff.png).
"""

import os

import cdp
from cdp import TestError

# The chart's boxes as [function, text shown, background] from the root down.
BOXES = ("Array.from(document.querySelectorAll('#icicle .node')).map(function (e) {"
         " return [e.node.f < 0 ? 'all' : F[e.node.f].name, e.textContent, e.style.background]; })")
ROWS = ("Array.from(document.querySelectorAll('#rows tr')).map(function (r) {"
        " return Array.from(r.cells).map(function (c) { return c.textContent; }); })")

# The paths main>solve>work and worker>work of the chart's tree, and
# solve's self time, before (ROOT) and after (TREE) the filter.
FOLDED = """(function () {
  function kid(n, name) { return n && n.kids.filter(function (k) { return F[k.f].name === name; })[0]; }
  function self(t) { return kid(kid(t, 'main'), 'solve').self; }
  var s = kid(kid(TREE, 'main'), 'solve'), step = kid(kid(kid(ROOT, 'main'), 'solve'), 'step');
  return [kid(s, 'work').calls, !!kid(s, 'step'), kid(kid(TREE, 'worker'), 'work').calls,
          self(TREE) === self(ROOT) + step.self, document.getElementById('folded').textContent];
})()"""


def row(name):
    return ("Array.from(document.querySelectorAll('#rows tr')).filter(function (r) {"
            f" return r.lastChild.textContent.endsWith('({name})'); }})[0]")


def box(name, nth=0):
    return ("Array.from(document.querySelectorAll('#icicle .node')).filter(function (e) {"
            f" return e.node.f >= 0 && F[e.node.f].name === '{name}'; }})[{nth}]")


def hide(b, regex):
    b.eval(f"(function () {{ var h = document.getElementById('hide'); h.value = {regex!r};"
           " h.dispatchEvent(new Event('change')); })()")


def check_page(b, url, workdir, failures):
    b.open(url)
    b.click(row("rec"))
    boxes = b.eval(BOXES)
    if not boxes or boxes[0][0] != "rec" or "function rec" not in b.eval(
            "document.getElementById('crumbs').textContent"):
        failures.append(f"click on rec's row: the chart is not rooted at rec: {boxes[:3]}")
    if not b.eval("document.querySelector('#func h2').textContent.endsWith('(rec)')") or \
            not b.eval("document.querySelectorAll('#func tr[data-line]').length"):
        failures.append("click on rec's row: rec's lines not shown")
    if "f=rec" not in b.eval("location.hash"):
        failures.append(f"click on rec's row: hash {b.eval('location.hash')}")
    b.screenshot(os.path.join(workdir, "page-click.png"))
    b.click("document.querySelector('#crumbs a')")  # "all"
    b.click(box("solve"))
    boxes = b.eval(BOXES)
    if not boxes or boxes[0][0] != "solve" or \
            not b.eval("document.querySelector('#func h2').textContent.endsWith('(solve)')"):
        failures.append(f"click on solve's box: not the root, or not selected: {boxes[:3]}")
    hide(b, r"\(step\)")
    names = {x[0] for x in b.eval(BOXES)} | {r[-1] for r in b.eval(ROWS)}
    if any(n == "step" or n.endswith("(step)") for n in names):
        failures.append("hide (step): still drawn or listed")
    folded = b.eval(FOLDED)
    if folded[:4] != [4, False, 1, True] or "1 functions hidden" not in folded[4]:
        failures.append(f"hide (step): main>solve>work calls, main>solve>step kept, "
                        f"worker>work calls, solve's self grew by step's: {folded}")
    if "hide=%5C(step%5C)" not in b.eval("location.hash"):
        failures.append(f"hide (step): hash {b.eval('location.hash')}")
    b.open(url + "#hide=%5C(step%5C)&f=solve")
    if b.eval("document.getElementById('hide').value") != r"\(step\)" or \
            not b.eval("document.querySelector('#func h2').textContent.endsWith('(solve)')"):
        failures.append("page#hide=...&f=solve: the filter or the selection not taken")


def check_thread(b, url, workdir, failures):
    """Thread 1 (worker's) picked from the menu: its table and tree only."""
    b.open(url)
    b.eval("(function () { var t = document.getElementById('thread'); t.value = '1';"
           " t.dispatchEvent(new Event('change')); })()")
    rows = sorted(r[-1].split("(")[-1] for r in b.eval(ROWS))
    if rows != ["step)", "work)", "worker)"]:
        failures.append(f"thread 1 picked: rows {rows}, want worker, step, work")
    names = {x[0] for x in b.eval(BOXES)}
    if names != {"all", "worker", "step", "work"}:
        failures.append(f"thread 1 picked: boxes {sorted(names)}")
    if "thread=1" not in b.eval("location.hash") or "thread 1 " not in b.eval(
            "document.getElementById('summary').textContent"):
        failures.append(f"thread 1 picked: hash {b.eval('location.hash')}, or not in the summary")
    b.screenshot(os.path.join(workdir, "page-thread.png"))
    b.open(url + "#thread=1&f=step")
    callers = b.eval("Array.from(document.querySelectorAll('#func table')[0].querySelectorAll("
                     "'a')).map(function (a) { return a.textContent; })")
    callers = [c.split("(")[-1].rstrip(")") for c in callers or []]
    if b.eval("document.getElementById('thread').value") != "1" or callers != ["worker"]:
        failures.append(f"page#thread=1&f=step: step's callers {callers}, want worker only")


def check_diff(b, url, want, workdir, failures):
    b.open(url)
    got = [[r[9], r[1], r[2], r[4], r[5], r[7], r[8]] for r in b.eval(ROWS)]
    if got != want:
        failures.append(f"diff page table:\n  got  {got}\n  want {want}")
    colours = {x[0]: x[2] for x in b.eval(BOXES)}
    # report() ran before only: all blue; the 4th rec only after: all red.
    if colours.get("report") != "rgb(0, 128, 255)":
        failures.append(f"diff page: report's box {colours.get('report')}, want blue")
    recs = [x for x in b.eval(BOXES) if x[0] == "rec"]
    if len(recs) != 4 or recs[-1][2] != "rgb(255, 0, 0)":
        failures.append(f"diff page: rec's boxes {recs}, the deepest all red")
    b.screenshot(os.path.join(workdir, "diff.png"))
    b.click(box("parse"))
    boxes = b.eval(BOXES)
    if not boxes or boxes[0][0] != "parse" or "calls=1 (+0)" not in b.eval(
            "document.getElementById('func').textContent"):
        failures.append(f"diff page: click on parse: {boxes[:2]}")
    b.click("document.querySelector('#crumbs a')")
    hide(b, r"\(rec\)")
    names = {x[0] for x in b.eval(BOXES)} | {r[-1] for r in b.eval(ROWS)}
    if any(n == "rec" or n.endswith("(rec)") for n in names) or \
            "1 functions hidden" not in b.eval("document.getElementById('folded').textContent"):
        failures.append("diff page: hide (rec): still drawn or listed")


def check(opts, page, diff, want, failures):
    b = cdp.Browser(opts.chromium)
    try:
        check_page(b, "file://" + os.path.abspath(page), opts.workdir, failures)
        check_thread(b, "file://" + os.path.abspath(page), opts.workdir, failures)
        check_diff(b, "file://" + os.path.abspath(diff), want, opts.workdir, failures)
    except TestError as e:
        failures.append(f"clicks: {e}")
    finally:
        b.close()


def check_memory(opts, mem_page, sites, failures):
    """The memory tab lists the trace's sites; parse()'s line table shows
    the allocations of its malloc line."""
    b = cdp.Browser(opts.chromium)
    try:
        b.open("file://" + os.path.abspath(mem_page))
        rows = b.eval("Array.from(document.querySelectorAll('#memrows tr')).map(function (r) {"
                      " return r.lastChild.textContent; })")
        if sorted(rows) != sorted(f"{s['file']}:{s['line']}" for s in sites):
            failures.append(f"memory tab rows {rows}, sites {[s['key'] for s in sites]}")
        b.click(row("parse"))
        line = next((s["line"] for s in sites if s["allocs"] == 4), 0)
        cells = b.eval(f"Array.from(document.querySelectorAll('#func tr[data-line=\"{line}\"] td'))"
                       ".map(function (c) {{ return c.textContent; }})")
        if not cells or cells[5:8] != ["4", "4000 B", "1000 B"]:
            failures.append(f"parse's line {line}: {cells}, want 4 allocs, 4000 B, 1000 B")
        b.screenshot(os.path.join(opts.workdir, "memory.png"))
    except TestError as e:
        failures.append(f"memory clicks: {e}")
    finally:
        b.close()
