#!/usr/bin/env python3
"""real.py - cprof on real code not written here: Debian source packages.

    real.py TEST --project lua|bzip2|tinyxml2 --source DIR [--data DIR]
            --cc CC [--cxx CXX] --plugin PATH --plugin-name NAME --rt-dir DIR
            --prstats PATH --opt -O0|-O2 --workdir DIR [--mode line-hits]

DIR is the project's Debian source tree (tests/real/get-debian-source puts
it there); without it the test is skipped (exit 77), or fails under
CI=true.  projects.py describes each project: its build and its workload,
a list of steps (runs of its programs).  TEST is one of:

  outputs    Builds the programs twice at --opt, plain and with the
             plugin's `all` argument (every function profiled).  Every step
             runs in both builds: exit status, stdout, stderr and the files
             the step writes are identical (stdout after the project's mask
             of times).  Every profile written is consistent (profcheck.py).
  callgrind  Builds the profiled programs at --opt (-O0: nothing inlined)
             with -gdwarf-4, runs the project's callgrind steps under
             `valgrind --tool=callgrind`, and compares, exactly, the call
             count of every function and of every caller->callee edge of
             the project's sources in the two tools.  Every profile is
             consistent here too.

`--mode line-hits` builds the profiled programs in that mode as well.
"""
import argparse
import os
import re
import shutil
import sys

from cprof_harness import steps, toolchain

import callgrind
import profcheck
import projects

Fail = steps.TestError  # a failed check, as steps.run_test reports it


def profiled_flags(o):
    modes = [o.mode] if o.mode else []
    return [f"-fplugin={o.plugin}"] + \
        [f"-fplugin-arg-{o.plugin_name}-{a}" for a in ["all", *modes]]


def describe(result):
    status, out, err = result
    tail = (out + err).decode(errors="replace").strip().splitlines()[-3:]
    return f"exit {status}, {len(out)} bytes out, {len(err)} bytes err, ending: {tail}"


class Build:
    """One build of the project's programs, and its runs: in the directory
    project.cwd() made ready for it, each profiled run with its own
    CPROF_OUT, every profile remembered for the consistency check."""

    def __init__(self, o, project, name, flags, link_flags=()):
        self.o, self.project = o, project
        self.outdir = os.path.join(o.workdir, name)
        self.exes = project.build(self.outdir, o.cc, o.cxx, flags, link_flags)
        self.cwd = project.cwd(self.outdir)
        self.profiled = bool(link_flags)
        self.profiles = []

    def run(self, i, step, wrap=()):
        """Runs step number I (under WRAP, e.g. valgrind); returns (status,
        masked stdout, stderr) and the profile's path, if profiled."""
        env = dict(os.environ)
        env.pop("CPROF_OUT", None)
        profile = None
        if self.profiled:
            profile = os.path.join(self.outdir, f"step{i}.out")
            env["CPROF_OUT"] = profile
            self.profiles.append(profile)
            if os.path.exists(profile):
                os.remove(profile)
        exe = self.exes[step.prog]
        argv = step.argv(self.outdir)
        if wrap:
            exe, argv = wrap[0], [*wrap[1:], exe, *argv]
        status, out, err = projects.run_program(exe, argv, self.cwd, env)
        if profile and not os.path.exists(profile):
            raise Fail(f"{step.name}: wrote no profile {profile}")
        return (status, self.project.clean(out), err), profile

    def written(self, step):
        files = {}
        for name in step.writes:
            try:
                with open(os.path.join(self.outdir, name), "rb") as f:
                    files[name] = f.read()
            except OSError as err:
                raise Fail(f"{step.name}: did not write {name}: {err.strerror}")
        return files


def check_profile(path, data):
    """The profile at PATH, read into DATA, is consistent (profcheck.py)."""
    failures, s = profcheck.check(data)
    if failures:
        raise Fail(f"profile {path} is inconsistent:\n  " + "\n  ".join(failures[:20]))
    print(f"  {os.path.basename(path)}: {s['functions']} functions, {s['calls']} calls, "
          f"{s['edges']} edges; tottime sum {s['total']:.6f} s, profiled time "
          f"{s['profiled']:.6f} s ({s['diff']:.4%} apart)")


def test_outputs(o, project):
    """Every step gives the same exit status, stdout, stderr and written
    files in the plain and the profiled build."""
    plain = Build(o, project, "plain", [o.opt])
    prof = Build(o, project, "prof", [o.opt, *profiled_flags(o)], toolchain.runtime_flags(o))
    for i, step in enumerate(project.steps()):
        want, _ = plain.run(i, step)
        if want[0] != step.status:
            raise Fail(f"{step.name}: uninstrumented: {describe(want)}, "
                       f"expected exit {step.status}")
        got, _ = prof.run(i, step)
        if got != want:
            raise Fail(f"{step.name}: the profiled build differs from the uninstrumented one:\n"
                       f"  uninstrumented: {describe(want)}\n  profiled: {describe(got)}")
        files = plain.written(step)
        for name, data in prof.written(step).items():
            if data != files[name]:
                raise Fail(f"{step.name}: the profiled build wrote another {name}")
        sizes = "".join(f", {n} ({len(d)} bytes)" for n, d in files.items())
        print(f"{step.name}: identical exit status {want[0]}, stdout ({len(want[1])} bytes), "
              f"stderr ({len(want[2])} bytes){sizes}")
    for path in prof.profiles:
        check_profile(path, profcheck.prstats_json(o.prstats, path))


def function_counts(data):
    """cprof's calls per (symbol, file) and per (caller, callee) edge."""
    real = os.path.realpath
    symbol = {(f["name"], f["file"], f["line"]): f["symbol"] for f in data["functions"]}
    calls, edges = {}, {}
    for f in data["functions"]:
        callee = (f["symbol"], real(f["file"]))
        calls[callee] = calls.get(callee, 0) + f["ncalls"]
        for c in f["callers"]:
            if (c["name"], c["file"], c["line"]) not in symbol:
                raise Fail(f"{f['name']}'s caller {c['name']} ({c['file']}:{c['line']}) "
                           "is not among the profile's functions")
            caller = (symbol[(c["name"], c["file"], c["line"])], real(c["file"]))
            edges[(caller, callee)] = edges.get((caller, callee), 0) + c["ncalls"]
    return calls, edges


def compare_counts(what, cprof, grind):
    keys = sorted(set(cprof) | set(grind), key=str)
    bad = [f"{k}: cprof {cprof.get(k, 0)}, callgrind {grind.get(k, 0)}"
           for k in keys if cprof.get(k, 0) != grind.get(k, 0)]
    if bad:
        raise Fail(f"{len(bad)} of {len(keys)} {what} differ:\n  " + "\n  ".join(bad[:30]))
    return len(keys)


# A C++ constructor or destructor has two symbols, the complete object's
# (C1, D1) and the base object's (C2, D2); when their code is the same the
# compiler makes one an alias of the other, and callgrind may name either.
STRUCTOR = re.compile(r"(?<=[A-Za-z0-9_])([CD])[12](?=E)")


def comparable(project, grind, cprof):
    """The two tools' (calls, edges) with constructors' and destructors'
    variants made one, and the functions the compiler writes (which cprof
    does not profile: project.implicit) left out of callgrind's counts.
    What such a function calls reaches cprof as a call from the nearest
    profiled caller, so the edges into its callees are left out of both,
    and so are its own.
    Returns the two pairs and the names left out."""
    def fold(counts):
        out = {}
        for key, n in counts.items():
            key = (STRUCTOR.sub(r"\1*", key[0]), key[1]) if isinstance(key[0], str) else \
                tuple((STRUCTOR.sub(r"\1*", k[0]), k[1]) for k in key)
            out[key] = out.get(key, 0) + n
        return out

    grind, cprof = (fold(grind[0]), fold(grind[1])), (fold(cprof[0]), fold(cprof[1]))
    implicit = {f for f in grind[0]
                if project.implicit and re.search(project.implicit, f[0])}
    reached = {callee for caller, callee in grind[1] if caller in implicit}

    def keep(pair, drop_calls):
        calls = {f: n for f, n in pair[0].items() if f not in drop_calls}
        edges = {e: n for e, n in pair[1].items()
                 if e[1] not in reached and implicit.isdisjoint(e)}
        return calls, edges

    return keep(grind, implicit), keep(cprof, ()), sorted(f[0] for f in implicit)


def test_callgrind(o, project):
    # Debug information tells callgrind each function's file; version 4,
    # since valgrind 3.19 cannot read clang 14's default DWARF 5.
    # --demangle=no: callgrind names functions by their symbols, as
    # cprof's "symbol" does (C++ names then match without demangling).
    valgrind = shutil.which("valgrind")
    if not valgrind:
        raise steps.TestError("valgrind not found (scripts/install-deps installs it)")
    prof = Build(o, project, "prof", [o.opt, "-gdwarf-4", *profiled_flags(o)],
                 toolchain.runtime_flags(o))
    code = os.path.join(project.source, project.code)
    for i, step in enumerate(s for s in project.steps() if s.grind):
        grind_out = os.path.join(o.workdir, f"step{i}.callgrind")
        result, profile = prof.run(i, step, [valgrind, "--tool=callgrind",
                                             f"--callgrind-out-file={grind_out}",
                                             "--compress-strings=no", "--compress-pos=no",
                                             "--demangle=no"])
        if result[0] != step.status:
            raise Fail(f"{step.name} under callgrind: {describe(result)}")
        grind_calls, grind_edges = callgrind.parse(grind_out, code)
        data = profcheck.prstats_json(o.prstats, profile)
        check_profile(profile, data)
        cprof_calls, cprof_edges = function_counts(data)
        (grind_calls, grind_edges), (cprof_calls, cprof_edges), left = comparable(
            project, (grind_calls, grind_edges), (cprof_calls, cprof_edges))
        if left:
            print(f"{step.name}: left out, written by the compiler: {', '.join(left)}")
        nfunc = compare_counts("functions' call counts", cprof_calls, grind_calls)
        nedge = compare_counts("edges' call counts", cprof_edges, grind_edges)
        print(f"{step.name}: {nfunc} functions ({sum(cprof_calls.values())} calls) and {nedge} "
              f"edges: call counts equal in cprof and callgrind")


TESTS = {"outputs": test_outputs, "callgrind": test_callgrind}


def run(o):
    """Builds the project from o.source and runs test o.test on it."""
    project = projects.PROJECTS[o.project](o.source, o.data)
    if not project.present():
        raise steps.unavailable(f"no {project.package} source in {o.source}: "
                                "tests/real/get-debian-source could not fetch it "
                                f"(see the real/{o.project}-source test)")
    shutil.rmtree(o.workdir, ignore_errors=True)
    os.makedirs(o.workdir)
    print(f"{project.package} {projects.debian_version(o.source)} from {o.source}")
    TESTS[o.test](o, project)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("test", choices=sorted(TESTS))
    toolchain.add_toolchain_args(ap)
    ap.add_argument("--project", required=True, choices=sorted(projects.PROJECTS))
    ap.add_argument("--source", required=True)
    ap.add_argument("--data", help="the project's own data (Lua: the scripts' directory)")
    ap.add_argument("--mode", choices=["line-hits"])
    o = toolchain.parse_toolchain_args(ap)
    o.source = os.path.abspath(o.source)
    o.data = o.data and os.path.abspath(o.data)
    return steps.run_test(f"{o.project} {o.test} ({toolchain.describe(o)})", run, o)


if __name__ == "__main__":
    sys.exit(main())
