"""workloads.py - the programs every variant builds and runs.

Each workload has a full size and a small one (for the heavy variants),
knows how many profiled calls a size makes when that is fixed by the
source, and says how its time is read: from the "bench NAME WALL CPU"
line the program prints about its timed region, or as the time of the
whole process (Lua, whose start-up is taken off with a second workload
that runs an empty chunk).
"""
import os
import subprocess
import sys

from toolchain import HERE, ROOT, cache_key, compile_cached


def fib_calls(n):
    a, b = 0, 1  # fib(n + 1), by iteration
    for _ in range(n + 1):
        a, b = b, a + b
    return 2 * a - 1


class Workload:
    def __init__(self, key, label, sizes, calls=None, timing="program",
                 kinds=("plain", "peer", "cprof"), also=(), src=None):
        self.key = key
        self.build_key = key    # workloads with the same one share a build
        self.label = label
        self.sizes = sizes      # {"full": args, "small": args}
        self.calls = calls      # args -> profiled calls, or None
        self.timing = timing    # "program" (its own report) or "process"
        self.kinds = kinds      # which kinds of variant run it
        self.also = also        # and which other variants, by key
        self.src = src or os.path.join(HERE, key + ".c")
        if src:
            self.build_key = os.path.splitext(os.path.basename(src))[0]

    def wants(self, variant):
        return variant.kind in self.kinds or variant.key in self.also

    def build(self, variant, outdir):
        """Builds this workload for `variant`; returns (exe, error)."""
        exe = os.path.join(outdir, self.build_key)
        cmd = [variant.cc, "-O2", "-I" + HERE, self.src, "-o", exe] + \
            variant.flags + variant.link + ["-lpthread"]
        return exe, compile_cached(cmd, exe)


class LuaWorkload(Workload):
    """Debian's Lua 5.4 interpreter, every function of it profiled."""

    def __init__(self, key, label, sizes, source):
        super().__init__(key, label, sizes, timing="process")
        self.build_key = "lua"
        self.source = source

    def build(self, variant, outdir):
        sys.path[:0] = [os.path.join(ROOT, "tests", "real"),
                        os.path.join(ROOT, "tests", "harness")]
        import projects  # tests/real: how the project builds Lua
        flags = ["-O2"] + variant.flags
        if variant.kind == "cprof":
            flags.append(variant.all_flag)
        lua = os.path.join(outdir, "lua")
        stamp = lua + ".key"
        key = cache_key([variant.cc, self.source] + flags + variant.link)
        if os.path.exists(stamp) and open(stamp).read() == key:
            return lua, None
        try:
            projects.Lua(self.source).build(outdir, variant.cc, None, flags, variant.link)
        except Exception as e:  # a failed compile step: skip this variant
            return lua, str(e)[:300]
        with open(stamp, "w") as f:
            f.write(key)
        return lua, None


def debian_source(package, check, cache, notes):
    """Debian's source of PACKAGE in CACHE/PACKAGE, fetched once by
    tests/real/get-debian-source (CHECK: a file its tree has), or None
    with a line in `notes`."""
    dest = os.path.join(cache, package)
    r = subprocess.run(["sh", os.path.join(ROOT, "tests", "real", "get-debian-source"),
                        package, dest, check], capture_output=True, text=True)
    if r.returncode != 0:
        notes.append("%s left out: %s" % (package, (r.stderr.strip().splitlines()
                                                    or ["?"])[-1]))
        return None
    return dest


def all_workloads(lua_source):
    """The workloads; the Lua ones only when its source could be had."""
    cprof_only = ("plain", "cprof")
    out = [
        Workload("fib", "recursive fib(32)",
                 {"full": ["32"], "small": ["28"], "start": ["0"]},
                 calls=lambda a: fib_calls(int(a[0]))),
        Workload("leaf", "50M calls to a leaf",
                 {"full": ["50000000", "1"], "small": ["5000000", "1"],
                  "start": ["1", "1"]},
                 calls=lambda a: int(a[0])),
        Workload("threads", "two threads, 50M leaf calls each",
                 {"full": ["50000000", "2"]}, calls=lambda a: int(a[0]),
                 kinds=cprof_only, src=os.path.join(HERE, "leaf.c")),
        Workload("lines", "line-heavy loop, 10M iterations",
                 {"full": ["10000000"]}, kinds=cprof_only, also=("gcov",)),
        Workload("linesmem", "the same with a compiler barrier per iteration",
                 {"full": ["10000000", "memory"]}, kinds=cprof_only,
                 also=("gcov",), src=os.path.join(HERE, "lines.c")),
    ]
    if lua_source:
        script = os.path.join(HERE, "bench.lua")
        out += [LuaWorkload("lua", "Lua 5.4 running bench/bench.lua",
                            {"full": [script, "2"], "small": [script, "0.5"]},
                            lua_source),
                LuaWorkload("lua-start", "Lua 5.4 running an empty chunk",
                            {"full": ["-e", ""], "small": ["-e", ""]},
                            lua_source)]
    return out
