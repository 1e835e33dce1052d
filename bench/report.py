"""report.py - docs/bench.md: the tables, the targets, the machine."""
import os
import platform
import subprocess

from results import LINE_WORKLOADS


def version(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
        return (r.stdout or r.stderr).splitlines()[0].strip()
    except (OSError, IndexError):
        return "not found"


def machine(date, runs, load):
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        cpu = next((l.split(":", 1)[1].strip() for l in f
                    if l.startswith("model name")), cpu)
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return [
        "- Date: %s" % date,
        "- CPU: %s, %d cores, %.0f GiB; Linux %s" %
        (cpu, os.cpu_count(), mem, platform.release()),
        "- Compilers: %s; %s" % (version(["gcc", "--version"]),
                                 version(["clang", "--version"])),
        "- Peers: %s; %s; LLVM XRay of clang 14 (compiler-rt)" %
        (version(["uftrace", "--version"]), version(["valgrind", "--version"])),
        "- Runs: %d rounds, every job once per round in a random order; medians."
        % runs,
        "- Load average (1 min) over the rounds: %.1f to %.1f." %
        (min(load), max(load)),
    ]


def fmt_cell(o, ratio=True):
    if not o:
        return "-"
    ns, slow, spread = o
    ns = ns if round(ns, 1) else 0.0  # no "-0.0"
    text = "%.1f" % ns if abs(ns) < 100 else "%.0f" % ns
    return text + (" (%.1fx)" % slow if ratio else "")


def overhead_table(res, variants, workloads):
    present = [w for w in ("fib", "leaf", "lua") if w in workloads]
    head = ["variant"] + ["%s: ns/call (slowdown)" % workloads[w].label
                          for w in present] + ["spread"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for v in variants:
        if v.kind == "plain":
            continue
        cells = [res.overhead(v, w) for w in present]
        if not any(cells):
            continue
        spread = max(c[2] for c in cells if c)
        small = " (small size)" if v.heavy else ""
        rows.append("| %s%s | %s | %.0f%% |" % (
            v.label, small, " | ".join(fmt_cell(c) for c in cells), spread * 100))
    return rows


def plain_table(res, workloads):
    rows = ["| workload | size | plain gcc s (CPU / wall) | plain clang s (CPU / wall) "
            "| profiled calls |", "|---|---|---|---|---|"]
    for wkey in ("fib", "leaf", "threads") + LINE_WORKLOADS + ("lua",):
        if wkey not in workloads:
            continue
        w = workloads[wkey]
        for size in (s for s in w.sizes if s != "start"):
            g = res.seconds("plain-gcc", wkey, size)
            c = res.seconds("plain-clang", wkey, size)
            if g is None:
                continue
            g = "%.4f / %.4f" % (g, res.seconds("plain-gcc", wkey, size, "wall"))
            if c is not None:
                c = "%.4f / %.4f" % (c, res.seconds("plain-clang", wkey, size, "wall"))
            gv = next(v for v in res.variants if v.key == "plain-gcc")
            calls = res.ncalls(gv, wkey, size) if res.job("plain-gcc", wkey, size) else None
            rows.append("| %s | %s (`%s`) | %s | %s | %s |" % (
                w.label, size, " ".join(os.path.basename(a) for a in w.sizes[size]),
                g, c or "-",
                format(calls, ",") if calls else "-"))
    return rows


def line_cost(res, v):
    """ns per executed line over plain in each line workload, or None."""
    out = [res.overhead(v, wkey) for wkey in LINE_WORKLOADS]
    return [o[0] if round(o[0], 2) else 0.0 for o in out] \
        if all(out) and v.kind != "plain" else None


def lines_table(res, variants):
    rows = ["| variant | ns per executed line: loop alone | with a barrier per "
            "iteration | line changes counted |", "|---|---|---|---|"]
    for v in variants:
        cost = line_cost(res, v)
        if cost:
            rows.append("| %s | %.2f | %.2f | %s |" % (
                v.label, cost[0], cost[1],
                format(res.ncalls(v, "lines", "full"), ",")))
    return rows


def threads_table(res, variants):
    rows = ["| variant | 1 thread ns/call | 2 threads ns/call (each) | ratio |",
            "|---|---|---|---|"]
    for v in variants:
        one, two = res.overhead(v, "leaf"), res.overhead(v, "threads")
        if v.kind == "cprof" and one and two:
            rows.append("| %s | %.2f | %.2f | %.2f |" % (v.label, one[0], two[0],
                                                      two[0] / one[0]))
    return rows


def accuracy_error(m):
    """Compensated error of one accuracy measure, or None."""
    if m["comp"] is None or not m["truth"]:
        return None
    return (m["comp"] - m["truth"]) / m["truth"]


def accuracy_table(rows):
    """Variants by measures: compensated error (raw error), and the worst
    spread of a compensated figure over the runs."""
    if not rows:
        return []
    keys = list(rows[0]["measures"])
    truth = rows[0]["measures"]
    out = ["| true ns | " + " | ".join("`%s`" % k for k in keys) + " |",
           "|---|" + "---|" * len(keys),
           "| (plain build) | " + " | ".join(
               "%.0f" % truth[k]["truth"] if truth[k]["truth"] else "?" for k in keys) + " |",
           "", "| variant | " + " | ".join("`%s`" % k for k in keys) + " | worst spread |",
           "|---|" + "---|" * (len(keys) + 1)]
    for r in rows:
        cells = []
        for k in keys:
            m, e = r["measures"][k], accuracy_error(r["measures"][k])
            raw = (m["raw"] - m["truth"]) / m["truth"] if m["raw"] is not None else None
            cells.append("—" if e is None else "%+.1f%% (%+.0f%%)" % (e * 100, raw * 100))
        spreads = [m["spread"] for m in r["measures"].values() if m["spread"] is not None]
        out.append("| %s | %s | %s |" % (r["variant"], " | ".join(cells),
                                         "%.0f%%" % (max(spreads) * 100) if spreads else "—"))
    return out


def scale_table(s):
    if "error" in s:
        return ["Not measured: " + s["error"]]
    return [
        "| what | figure |", "|---|---|",
        "| functions / edges / CCT nodes | %s / %s / %s |" % (
            format(s["functions"], ","), format(s["edges"], ","), format(s["nodes"], ",")),
        "| profile file | %.1f MB |" % (s["file_bytes"] / 1e6),
        "| of which duration histograms (`struct cprof_file_hist` per non-empty bucket) | %s |"
        % ("%.1f MB" % (s["hist_bytes"] / 1e6) if s["hist_bytes"] else "?"),
        "| `cprof_dump` wall time (median; all runs) | %.0f ms (%s) |" % (
            s["dump_s"] * 1e3, ", ".join("%.0f" % (x * 1e3) for x in s["dump_all"])),
        "| `cprof_dump` CPU time (median) | %.0f ms |" % (s["dump_cpu_s"] * 1e3),
    ] + ([
        "| the floor: as many bytes written to a new file the same way, just after "
        "(median; all runs) | %.0f ms (%s) |" % (
            s["floor_s"] * 1e3, ", ".join("%.0f" % (x * 1e3) for x in s["floor_all"]))
    ] if "floor_s" in s else []) + [
        "| recording program's peak RSS | %.0f MiB |" % s["program_rss_mib"],
        "| `prstats FILE` (load, sort, print the table) | %.2f s (%s) |" % (
            s["prstats_s"], ", ".join("%.2f" % x for x in s["prstats_all"])),
        "| prstats peak RSS | %.0f MiB |" % s["prstats_rss_mib"],
    ]


def page_table(s):
    ms = s.get("page_ms_all")
    return [
        "| what | figure |", "|---|---|",
        "| page (`prstats -f html`) | %.1f MB |" % (s["page_bytes"] / 1e6),
        "| `prstats -f html` wall time (median; all runs) | %.2f s (%s) |" % (
            s["page_s"], ", ".join("%.2f" % x for x in s["page_all"])),
        "| `prstats -f html` peak RSS | %.0f MiB |" % s["page_rss_mib"],
        "| the page ready in Chromium (median; all loads) | %s |" % (
            "%.2f s (%s)" % (s["page_ms"] / 1e3, ", ".join("%.2f" % (x / 1e3) for x in ms))
            if ms else "not measured: no chromium"),
    ]


def verdict(value, limit, margin=True):
    """'met', or 'missed' (with how far over the limit `value` is)."""
    if value is None:
        return "n/a"
    if value <= limit:
        return "met"
    over = (value / limit - 1) * 100
    return "**missed** (by %.*f%%)" % (1 if over < 10 else 0, over) \
        if margin else "**missed**"


def ratio_rows(res, variants, mode, peers):
    """Target rows: cprof `mode` per-call overhead over each peer's."""
    by_key = {v.key: v for v in variants}
    rows = []
    for v in variants:
        if not v.key.endswith("-" + mode):
            continue
        for peer, limit in peers:
            p = by_key.get(peer)
            for w in ("fib", "leaf"):
                mine, theirs = res.overhead(v, w), p and res.overhead(p, w)
                if not mine or not theirs:
                    continue
                r = mine[0] / theirs[0]
                rows.append(("%s: %s per call <= %.2f x %s" % (w, v.label, limit, p.label),
                             "%.1f vs %.1f ns: %.3f" % (mine[0], theirs[0], r),
                             r, limit))
    return rows


def targets(res, variants, acc, scale):
    """Rows of (target, measured, value, limit[, margin]): met when
    value <= limit; a miss shows by how much unless margin is False."""
    rows = ratio_rows(res, variants, "nolines", [
        ("minprof", 1.0), ("uftrace", 0.25), ("xray", 0.15)])
    rows += ratio_rows(res, variants, "full", [("minprof", 1.1)])
    rows += ratio_rows(res, variants, "hits", [("minprof", 1.0)])
    rows += ratio_rows(res, variants, "counts", [("gprof", 1.0)])
    for v in variants:
        cost = line_cost(res, v)
        for suffix, what, limit in (("-hits", "hits only", 1),
                                    ("-full", "hits and sampled time", 1),
                                    ("-timed", "hits and timed lines", 12)):
            if v.key.endswith(suffix) and cost:
                rows.append(("per executed line, %s <= %d ns (%s)" % (what, limit, v.label),
                             "%.2f ns (%.2f with a barrier)" % tuple(cost),
                             max(cost), limit))
    by_key = {v.key: v for v in variants}
    sampled, unsampled = by_key.get("cprof-gcc-full"), by_key.get("cprof-gcc-unsampled")
    for w in ("fib", "leaf", "lua"):
        size = sampled and res.size_of(sampled, w)
        a = size and res.seconds(sampled.key, w, size)
        b = size and unsampled and res.seconds(unsampled.key, w, size)
        if a and b:
            rows.append(("sampling <= 2%% of the run time (%s, %s)" % (sampled.label, w),
                         "%.4f vs %.4f s: %+.1f%%" % (a, b, (a / b - 1) * 100),
                         a / b - 1, 0.02, False))
    for v in variants:
        one, two = res.overhead(v, "leaf"), res.overhead(v, "threads")
        if v.kind == "cprof" and one and two:
            r = two[0] / one[0]
            rows.append(("two threads within 10%% of one (%s)" % v.label,
                         "%.2f vs %.2f ns: %+.0f%%" % (two[0], one[0], (r - 1) * 100),
                         abs(r - 1), 0.10, False))
    for r in acc:
        errs = [(abs(e) / m["goal"], k, e, m["goal"]) for k, m in r["measures"].items()
                for e in [accuracy_error(m)] if e is not None]
        if errs:
            _, k, e, goal = max(errs)
            rows.append(("every measure within its goal (%s, compensated)" % r["variant"],
                         "worst: %s %+.1f%% (goal %.0f%%)" % (k, e * 100, goal * 100),
                         abs(e) / goal, 1.0, False))
        spreads = [(m["spread"], k) for k, m in r["measures"].items() if m["spread"] is not None]
        if spreads:
            sp, k = max(spreads)
            rows.append(("identical runs within 10%% of each other (%s)" % r["variant"],
                         "worst: %s %.0f%%" % (k, sp * 100), sp, 0.10, False))
    if "error" not in scale:
        rows += [("dump of 100,000 functions x 10 edges < 100 ms",
                  "%.0f ms" % (scale["dump_s"] * 1e3), scale["dump_s"], 0.1),
                 ("prstats loads and sorts it < 1 s",
                  "%.2f s" % scale["prstats_s"], scale["prstats_s"], 1),
                 ("prstats < 200 MB", "%.0f MiB" % scale["prstats_rss_mib"],
                  scale["prstats_rss_mib"], 200)]
    out = ["| target | measured | |", "|---|---|---|"]
    out += ["| %s | %s | %s |" % (r[0], r[1], verdict(*r[2:])) for r in rows]
    return out
