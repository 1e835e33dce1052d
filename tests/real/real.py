#!/usr/bin/env python3
"""real.py - cprof on real code not written here: Lua 5.4 from Debian.

    real.py TEST --source DIR --scripts DIR --cc CC [--cxx CXX] --plugin PATH
            --plugin-name NAME --rt-dir DIR --prstats PATH --opt -O0|-O2 --workdir DIR

DIR is Debian's lua5.4 source tree (tests/real/get-lua-source puts it
there); without it the test is skipped (exit 77), or fails under CI=true.  TEST is one of:

  outputs    Builds lua and luac twice at --opt, plain and with the plugin's
             `all` argument (every function profiled).  Every script of
             --scripts runs under both lua builds, and once more from
             bytecode compiled by the profiled luac: stdout, stderr and exit
             status are identical, and the two luac builds write identical
             bytecode.  Every profile written is consistent (profcheck.py).
  callgrind  Builds the profiled lua at --opt (-O0: nothing inlined) with
             -gdwarf-4, runs every script under `valgrind --tool=callgrind`,
             and compares, exactly, the call count of every function and of
             every caller->callee edge of Lua's sources in the two tools.
             Every profile is consistent here too.

`--mode line-hits` builds the profiled programs in that mode as well.

A script's expected exit status is 0 unless it says `-- EXIT: N`.
"""
import argparse
import glob
import os
import re
import shutil
import sys

from cprof_harness import steps, toolchain

import callgrind
import luabuild
import profcheck

EXIT = re.compile(rb"^--\s*EXIT:\s*(\d+)\s*$", re.M)


Fail = steps.TestError  # a failed check, as steps.run_test reports it


def profiled_flags(o):
    modes = [o.mode] if o.mode else []
    return [f"-fplugin={o.plugin}"] + \
        [f"-fplugin-arg-{o.plugin_name}-{a}" for a in ["all", *modes]]


def scripts(o):
    found = sorted(glob.glob(os.path.join(o.scripts, "*.lua")))
    if not found:
        raise steps.TestError(f"{o.scripts}: no *.lua scripts")
    return found


def expected_status(script):
    with open(script, "rb") as f:
        m = EXIT.search(f.read())
    return int(m.group(1)) if m else 0


def describe(result):
    status, out, err = result
    tail = (out + err).decode(errors="replace").strip().splitlines()[-3:]
    return f"exit {status}, {len(out)} bytes out, {len(err)} bytes err, ending: {tail}"


class Runner:
    """Runs the programs of one test in the scripts' directory, so chunk
    names are the same relative paths in every build."""

    def __init__(self, o):
        self.o = o
        self.profiles = []

    def run(self, exe, args, profile=None):
        env = dict(os.environ)
        env.pop("CPROF_OUT", None)
        if profile:
            env["CPROF_OUT"] = profile
            self.profiles.append(profile)
            if os.path.exists(profile):
                os.remove(profile)
        result = luabuild.run_program(exe, args, self.o.scripts, env)
        if profile and not os.path.exists(profile):
            raise Fail(f"{os.path.basename(exe)} {' '.join(args)} wrote no profile {profile}")
        return result


def check_profile(path, data):
    """The profile at PATH, read into DATA, is consistent (profcheck.py)."""
    failures, s = profcheck.check(data)
    if failures:
        raise Fail(f"profile {path} is inconsistent:\n  " + "\n  ".join(failures[:20]))
    print(f"  {os.path.basename(path)}: {s['functions']} functions, {s['calls']} calls, "
          f"{s['edges']} edges; tottime sum {s['total']:.6f} s, profiled time "
          f"{s['profiled']:.6f} s ({s['diff']:.4%} apart)")


def same(name, what, want, got):
    if got != want:
        raise Fail(f"{name}: {what} differs from uninstrumented lua:\n"
                   f"  uninstrumented: {describe(want)}\n  {what}: {describe(got)}")


def compile_bytecode(runner, luac, name, path, profile):
    result = runner.run(luac, ["-o", path, name], profile)
    if result[0] != 0:
        raise Fail(f"{name}: {luac} -o {path}: {describe(result)}")
    with open(path, "rb") as f:
        return f.read()


def check_script(o, runner, plain, prof, script):
    """One script: same results from plain lua, profiled lua, and profiled
    lua on the profiled luac's bytecode, which equals plain luac's."""
    name = os.path.basename(script)
    out = os.path.join(o.workdir, "prof", name)
    want = runner.run(plain["lua"], [name])
    if want[0] != expected_status(script):
        raise Fail(f"{name}: uninstrumented lua: {describe(want)}, "
                   f"expected exit {expected_status(script)}")
    same(name, "profiled lua", want, runner.run(prof["lua"], [name], out + ".out"))
    plain_code = compile_bytecode(runner, plain["luac"], name,
                                  os.path.join(o.workdir, "plain", name + "c"), None)
    prof_code = compile_bytecode(runner, prof["luac"], name, out + "c", out + "c.out")
    if prof_code != plain_code:
        raise Fail(f"{name}: the profiled luac wrote other bytecode than the plain one")
    same(name, "profiled lua on bytecode", want,
         runner.run(prof["lua"], [out + "c"], out + "c.run.out"))
    print(f"{name}: identical exit status {want[0]}, stdout ({len(want[1])} bytes), "
          f"stderr ({len(want[2])} bytes) and bytecode ({len(plain_code)} bytes)")


def test_outputs(o):
    plain = luabuild.build(o.source, os.path.join(o.workdir, "plain"), o.cc, [o.opt])
    prof = luabuild.build(o.source, os.path.join(o.workdir, "prof"), o.cc,
                          [o.opt, *profiled_flags(o)], toolchain.runtime_flags(o))
    runner = Runner(o)
    for script in scripts(o):
        check_script(o, runner, plain, prof, script)
    for path in runner.profiles:
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


def test_callgrind(o):
    # Debug information tells callgrind each function's file; version 4,
    # since valgrind 3.19 cannot read clang 14's default DWARF 5.
    prof = luabuild.build(o.source, os.path.join(o.workdir, "prof"), o.cc,
                          [o.opt, "-gdwarf-4", *profiled_flags(o)], toolchain.runtime_flags(o))
    valgrind = shutil.which("valgrind")
    if not valgrind:
        raise steps.TestError("valgrind not found (scripts/install-deps installs it)")
    runner = Runner(o)
    for script in scripts(o):
        name = os.path.basename(script)
        grind_out = os.path.join(o.workdir, name + ".callgrind")
        profile = os.path.join(o.workdir, name + ".out")
        result = runner.run(valgrind, ["--tool=callgrind", f"--callgrind-out-file={grind_out}",
                                       "--compress-strings=no", "--compress-pos=no",
                                       prof["lua"], name], profile)
        if result[0] != expected_status(script):
            raise Fail(f"{name} under callgrind: {describe(result)}")
        grind_calls, grind_edges = callgrind.parse(grind_out, os.path.join(o.source, "src"))
        data = profcheck.prstats_json(o.prstats, profile)
        check_profile(profile, data)
        cprof_calls, cprof_edges = function_counts(data)
        nfunc = compare_counts("functions' call counts", cprof_calls, grind_calls)
        nedge = compare_counts("edges' call counts", cprof_edges, grind_edges)
        print(f"{name}: {nfunc} functions ({sum(cprof_calls.values())} calls) and {nedge} "
              f"edges: call counts equal in cprof and callgrind")


TESTS = {"outputs": test_outputs, "callgrind": test_callgrind}


def run(o):
    """Builds Lua from o.source and runs test o.test on it."""
    if not os.path.isfile(os.path.join(o.source, "src", "lua.c")):
        raise steps.unavailable(f"no Lua source in {o.source}: tests/real/get-lua-source "
                                "could not fetch Debian's lua5.4 (see the real/lua-source test)")
    shutil.rmtree(o.workdir, ignore_errors=True)
    os.makedirs(o.workdir)
    print(f"Lua {luabuild.source_version(o.source)} from {o.source}")
    TESTS[o.test](o)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("test", choices=sorted(TESTS))
    toolchain.add_toolchain_args(ap)
    for a in ("--source", "--scripts"):
        ap.add_argument(a, required=True)
    ap.add_argument("--mode", choices=["line-hits"])
    o = toolchain.parse_toolchain_args(ap)
    o.source, o.scripts = os.path.abspath(o.source), os.path.abspath(o.scripts)
    return steps.run_test(f"{o.test} ({toolchain.describe(o)})", run, o)


if __name__ == "__main__":
    sys.exit(main())
