"""profcheck.py - is a whole-program profile consistent with itself?

Reads `prstats --format json` (raw numbers: no probe-cost subtraction,
when prstats has --raw) and checks what must hold for any program whose
functions are all profiled:

  * main is in the profile and ran once;
  * for every function, the calls arriving through recorded caller edges
    do not exceed its call count (the rest came from unprofiled code);
  * every edge reads the same from both ends (the callee's "callers" and
    the caller's "callees");
  * no function has more primitive calls than calls, or more self time
    than inclusive time;
  * the sum of tottime equals the profiled time within 1%.

The profiled time is the inclusive time of the root activations, the
calls made from unprofiled code: self times add up to exactly that,
since each activation's self time is its inclusive time less its
children's.  A function with calls that arrive through no edge (roots)
and no edge at all has every activation a root, so its cumtime is its
root time; a function with both kinds of calls cannot be split from the
JSON and is reported.
"""
import functools
import json
from collections import Counter

from cprof_harness import steps

TOLERANCE = 0.01


def key(record):
    return (record["name"], record["file"], record["line"])


class Function:
    """One function's numbers, summed over records with the same name, file
    and line (a static function of a header, compiled into several units,
    is one function to an edge, which names only those three)."""

    def __init__(self):
        self.ncalls = 0
        self.pcalls = 0
        self.tottime = 0.0
        self.cumtime = 0.0
        self.callers = Counter()  # (key, "ncalls" or "pcalls") -> sum
        self.callees = Counter()


@functools.lru_cache(maxsize=None)
def raw_option(prstats):
    """["--raw"] when prstats has it: the identity holds for raw numbers,
    not for numbers with the probes' cost taken out."""
    return ["--raw"] if "--raw" in steps.run([prstats, "--help"], "prstats --help") else []


def prstats_json(prstats, path):
    """Runs prstats on one profile, for raw numbers."""
    text = steps.run([prstats, "--format", "json", *raw_option(prstats), path], "prstats")
    try:
        return json.loads(text)
    except ValueError as err:
        raise steps.TestError(f"prstats printed invalid JSON for {path}: {err}")


def functions(data):
    table = {}
    for rec in data["functions"]:
        f = table.setdefault(key(rec), Function())
        f.ncalls += rec["ncalls"]
        f.pcalls += rec["pcalls"]
        f.tottime += rec["tottime"]
        f.cumtime += rec["cumtime"]
        for side, edges in (("callers", f.callers), ("callees", f.callees)):
            for edge in rec[side]:
                edges[(key(edge), "ncalls")] += edge["ncalls"]
                edges[(key(edge), "pcalls")] += edge["pcalls"]
    return table


def edge_failures(table):
    """Every caller edge as its callee lists it equals the callee edge as the
    caller lists it, and each side lists no edge the other lacks."""
    failures = []
    from_callers = Counter({(caller, k, field): n for k, f in table.items()
                            for (caller, field), n in f.callers.items()})
    from_callees = Counter({(k, callee, field): n for k, f in table.items()
                            for (callee, field), n in f.callees.items()})
    for edge in sorted(set(from_callers) | set(from_callees), key=str):
        if from_callers[edge] != from_callees[edge]:
            caller, callee, field = edge
            failures.append(f"edge {caller[0]} -> {callee[0]}: {field}={from_callers[edge]} in "
                            f"the callee's callers, {from_callees[edge]} in the caller's callees")
    return failures


def function_failures(table):
    failures = []
    mains = [f for k, f in table.items() if k[0] == "main"]
    if len(mains) != 1 or mains[0].ncalls != 1:
        failures.append(f"main: expected one function 'main' called once, got "
                        f"{[f.ncalls for f in mains]}")
    for k, f in table.items():
        if f.pcalls > f.ncalls or f.tottime > f.cumtime * (1 + 1e-9):
            failures.append(f"{k[0]} ({k[1]}:{k[2]}): ncalls={f.ncalls} pcalls={f.pcalls} "
                            f"tottime={f.tottime} cumtime={f.cumtime}")
    return failures


def check(data):
    """Returns (failures, summary dict) for one profile's JSON."""
    table = functions(data)
    failures = edge_failures(table) + function_failures(table)
    profiled = 0.0
    for k, f in table.items():
        through_edges = sum(n for (_, field), n in f.callers.items() if field == "ncalls")
        if through_edges > f.ncalls:
            failures.append(f"{k[0]} ({k[1]}:{k[2]}): {through_edges} calls through caller "
                            f"edges but ncalls={f.ncalls}")
        elif through_edges < f.ncalls and f.callers:
            failures.append(f"{k[0]}: called both from profiled code ({through_edges}) and "
                            f"from outside ({f.ncalls - through_edges}): root time unknown")
        elif through_edges < f.ncalls:
            profiled += f.cumtime
    total = sum(f.tottime for f in table.values())
    diff = abs(total - profiled) / profiled if profiled > 0 else float("inf")
    if diff > TOLERANCE:
        failures.append(f"sum of tottime {total:.6f} s differs from the profiled time "
                        f"{profiled:.6f} s by {diff:.2%} (more than {TOLERANCE:.0%})")
    summary = {"functions": len(table), "calls": sum(f.ncalls for f in table.values()),
               "edges": sum(len({k for k, _ in f.callers}) for f in table.values()),
               "total": total, "profiled": profiled, "diff": diff}
    return failures, summary
