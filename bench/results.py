"""results.py - the figures derived from the measured jobs.

Per-call overhead is (median time of a variant - median time of the plain
build of the same compiler, same workload and size, on the variant's
clock) / profiled calls.  For Lua the process's time less that of an
empty chunk is the time.
"""
import json
import os
import subprocess

from measure import Job

# Workloads whose unit is an executed line, counted by cprof's full builds.
LINE_WORKLOADS = ("lines", "linesmem")


class Results:
    def __init__(self, jobs, variants, prstats):
        self.jobs = {j.key: j for j in jobs}
        self.variants = variants
        self.prstats = prstats
        self.calls = {}  # (workload, size, compiler) -> counted calls or hits

    def job(self, vkey, wkey, size=None):
        if size is None:
            return self.job(vkey, wkey, "full") or self.job(vkey, wkey, "small")
        return self.jobs.get((vkey, wkey, size))

    def seconds(self, vkey, wkey, size, clock="cpu"):
        """The median time of a job on `clock`, net of start-up for Lua
        and on the "proc" clock (a job of size "start" makes one call)."""
        j = self.job(vkey, wkey, size)
        if not j:
            return None
        if wkey == "lua":
            start = self.job(vkey, "lua-start", size)
        elif clock == "proc":
            start = self.job(vkey, wkey, "start")
        else:
            return j.median(clock)
        return j.median(clock) - start.median(clock) if start else None

    def profile_json(self, vkey, wkey, size):
        j = self.job(vkey, wkey, size)
        path = j and os.path.join(j.work, "cprof.out")
        if not path or not os.path.exists(path):
            return None
        out = subprocess.run([self.prstats, "--format", "json", path],
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)

    def count_from_profiles(self):
        """Calls and line hits that only a profile can count: executed line
        changes of lines.c (each compiler's full mode) and Lua's calls
        (the GCC functions-only build, all of Lua profiled)."""
        for wkey in LINE_WORKLOADS:
            for cc in ("gcc", "clang"):
                data = self.profile_json("cprof-%s-full" % cc, wkey, "full")
                if data:
                    self.calls[(wkey, "full", cc)] = sum(
                        l["hits"] for f in data["functions"] for l in f["lines"])
        full = self.job("cprof-gcc-nolines", "lua", "full")
        if full:  # the heavy variants' size is not among cprof's jobs: run it
            small = Job(full.variant, full.workload, "small", full.exe,
                        full.work + "-small")
            os.makedirs(small.work, exist_ok=True)
            small.run_once()
            self.jobs[small.key] = small
        for size in ("full", "small"):
            data = self.profile_json("cprof-gcc-nolines", "lua", size)
            if data:
                self.calls[("lua", size, None)] = data["total_calls"]

    def ncalls(self, v, wkey, size):
        w = self.job(v.key, wkey, size).workload
        if w.calls:
            return w.calls(w.sizes[size])
        if wkey in LINE_WORKLOADS:
            return self.calls.get((wkey, size, v.cc))
        return self.calls.get((wkey, size, None))

    def size_of(self, v, wkey):
        j = self.job(v.key, wkey)
        return j.size if j else None

    def overhead(self, v, wkey):
        """(ns per call over plain, slowdown ratio, spread) or None."""
        size = self.size_of(v, wkey)
        if not size:
            return None
        t = self.seconds(v.key, wkey, size, v.clock)
        base = self.seconds(v.base, wkey, size, v.clock)
        calls = self.ncalls(v, wkey, size)
        if t is None or base is None or not calls:
            return None
        return ((t - base) * 1e9 / calls, t / base,
                self.job(v.key, wkey, size).spread())

    def noise(self):
        """Spread of every job, (max - min) / median of its rounds."""
        return sorted(j.spread() for j in self.jobs.values()
                      if len(j.times[j.variant.clock]) > 1)
