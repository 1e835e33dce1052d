#!/usr/bin/env python3
"""sampler.py - the line sampler (rt/core/sampler.c) on sampler_prog.c.

    sampler.py --cc CC ... (the toolchain options of cprof_harness.toolchain)

Samples are random, so their checks have bounds several standard errors
wide; hits and calls are exact.  Every case reads the profile through
`prstats --format json`.
"""
import argparse
import json
import os
import re
import subprocess
import sys

from cprof_harness import steps, toolchain

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "sampler_prog.c")
Fail = steps.TestError


def line_of(text):
    """The line number of the first source line that is `text`."""
    with open(SOURCE) as f:
        for number, line in enumerate(f, 1):
            if line.strip() == text:
                return number
    raise Fail(f"{text!r} is not in {SOURCE}")


def run(o, exe, case, out, env=None):
    e = {**os.environ, "CPROF_OUT": out, **(env or {})}
    p = subprocess.run([exe, case], cwd=o.workdir, env=e, capture_output=True, text=True,
                       timeout=steps.TIMEOUT)
    steps.expect(f"exit status of case {case}", p.returncode, 0)
    return p


def load(o, path):
    return json.loads(steps.run([o.prstats, "--format", "json", path], "prstats"))


def func(data, name):
    for f in data["functions"]:
        if f["name"] == name:
            return f
    raise Fail(f"{name} is not in the profile")


def line_samples(f):
    return {l["line"]: l.get("samples", 0) for l in f.get("lines", [])}


def printed(p, key):
    m = re.search(rf"^{key} (\d+)$", p.stdout, re.M)
    if not m:
        raise Fail(f"the program did not print {key!r}: {p.stdout!r}")
    return int(m.group(1))


def check_two_lines(data, passes, failures, what):
    """two_lines(): exact hits, and the 1:3 split of its time."""
    f = func(data, "two_lines")
    one, three = line_of("spin(1);"), line_of("spin(3);")
    hits = {l["line"]: l["hits"] for l in f["lines"]}
    if hits.get(one) != passes or hits.get(three) != passes:
        failures.append(f"{what}: hits {hits.get(one)}, {hits.get(three)}, want {passes}")
    s = line_samples(f)
    if sum(s.values()) > f["samples"]:
        failures.append(f"{what}: lines have {sum(s.values())} samples, "
                        f"the function {f['samples']}")
    both = s.get(one, 0) + s.get(three, 0)
    if data["sample_signals"] < 40 or both < 40:
        failures.append(f"{what}: {data['sample_signals']} signals, {both} samples on the "
                        f"two lines, for 0.4 s or more of CPU")
        return
    share = s.get(three, 0) / both
    if not 0.6 <= share <= 0.9:
        failures.append(f"{what}: the 3-unit line has {share:.2f} of the samples, want 0.75")


def test_lines(o, exe, failures):
    out = os.path.join(o.workdir, "lines.out")
    p = run(o, exe, "lines", out)
    data = load(o, out)
    steps.expect("sample_hz by default", data["sample_hz"], 1000)
    if data["samples"] < data["sample_signals"]:
        failures.append(f"lines: {data['samples']} samples in {data['sample_signals']} signals")
    check_two_lines(data, printed(p, "passes"), failures, "lines")


def test_recursion(o, exe, failures):
    out = os.path.join(o.workdir, "recurse.out")
    run(o, exe, "recurse", out)
    data = load(o, out)
    f = func(data, "down")
    if f["samples"] > data["samples"]:
        failures.append(f"recurse: down has {f['samples']} samples of {data['samples']}: "
                        "a recursive function counts once per sample")
    s = line_samples(f)
    work = s.get(line_of("spin(4);"), 0)
    if f["samples"] < 40 or work < 0.8 * sum(s.values()):
        failures.append(f"recurse: the working line has {work} of {s} ({f['samples']} in all)")


def test_threads(o, exe, failures):
    """Each thread is sampled on its own CPU clock: the samples add up to
    the CPU time of both workers, not to the main thread's, which waits."""
    out = os.path.join(o.workdir, "threads.out")
    before = os.times()
    run(o, exe, "threads", out)
    after = os.times()
    cpu = after.children_user - before.children_user
    data = load(o, out)
    worker = func(data, "worker")
    steps.expect("threads: worker calls", worker["ncalls"], 6000)
    expected = cpu * data["sample_hz"]
    if not 0.5 * expected <= worker["samples"] <= 1.3 * expected:
        failures.append(f"threads: worker has {worker['samples']} samples for {cpu:.2f} s "
                        f"of CPU (about {expected:.0f} expected)")


def test_fork(o, exe, failures):
    out = os.path.join(o.workdir, "fork.%p.out")
    for old in os.listdir(o.workdir):  # an earlier run's
        if old.startswith("fork."):
            os.remove(os.path.join(o.workdir, old))
    p = run(o, exe, "fork", out)
    children = [n for n in os.listdir(o.workdir) if n.startswith("fork.")]
    profiles = [load(o, os.path.join(o.workdir, n)) for n in children]
    child = [d for d in profiles if func(d, "two_lines")["ncalls"] > 1]
    if len(child) != 1:
        raise Fail(f"fork: expected one child profile, got {len(child)} of {children}")
    check_two_lines(child[0], printed(p, "passes"), failures, "fork (child)")


def test_signals(o, exe, failures):
    """The program's own handler on its own timer runs as it would
    without cprof, and the sampler goes on beside it."""
    out = os.path.join(o.workdir, "signals.out")
    p = run(o, exe, "signals", out)
    data = load(o, out)
    alarms = printed(p, "alarms")
    if alarms == 0:
        failures.append("signals: the program's SIGALRM handler never ran")
    steps.expect("signals: calls from the program's handler",
                 func(data, "on_alarm_work")["ncalls"], alarms)
    check_two_lines(data, printed(p, "passes"), failures, "signals")


def test_off(o, exe, failures):
    """No sampling: asked off, or SIGPROF is the program's."""
    for case, env, warns in (("lines", {"CPROF_SAMPLE_HZ": "0"}, False),
                             ("sigprof", {"SAMPLER_OWN_SIGPROF": "1"}, True)):
        out = os.path.join(o.workdir, f"off-{case}.out")
        p = run(o, exe, case, out, env)
        data = load(o, out)
        steps.expect(f"{case} {env}: sample_hz", data["sample_hz"], 0)
        steps.expect(f"{case} {env}: samples", data["samples"], 0)
        said = "SIGPROF has a handler already" in p.stderr
        steps.expect(f"{case} {env}: the warning on stderr", said, warns)
        f = func(data, "two_lines")
        steps.expect(f"{case} {env}: two_lines calls", f["ncalls"],
                     printed(p, "passes") // 100)


def test_sampler(o):
    os.makedirs(o.workdir, exist_ok=True)
    exe = os.path.join(o.workdir, "sampler_prog")
    toolchain.compile_program(o, [SOURCE], exe, link=["-lpthread"])
    failures = []
    for case in (test_lines, test_recursion, test_threads, test_fork, test_signals, test_off):
        case(o, exe, failures)
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    toolchain.add_toolchain_args(ap)
    o = toolchain.parse_toolchain_args(ap)
    return steps.run_test(f"sampler ({toolchain.describe(o)})", test_sampler, o)


if __name__ == "__main__":
    sys.exit(main())
