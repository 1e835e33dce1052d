"""toolchain.py - the profilers compared: how each builds and runs a program.

A Variant is one way of building and running the same source: a compiler
and its flags, objects to link, a command to run the program under, and
environment variables.  `heavy` variants (those that write a trace, or
run the program on a simulated CPU) run the smaller size of each workload
so that a round of the benchmark stays under a minute or two; their
overhead is taken against the plain build run at that same size.

Times are CPU times (of the timing thread, or of the process and its
children for whole-process workloads), which leave out the time other
processes take the CPU away on a busy machine; uftrace's are the CPU times
of the whole process tree, since its recorder is another process whose
work the program's own clock does not see, less those of a run that makes
one call (its start-up and the trace's set-up).
"""
import hashlib
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


class Variant:
    def __init__(self, key, label, cc, flags=(), link=(), wrap=(), env=None,
                 heavy=False, base=None, kind="peer", clock="cpu"):
        self.key = key          # short name, also the work directory's
        self.label = label      # what the tables and the chart call it
        self.cc = cc
        self.flags = list(flags)
        self.link = list(link)  # objects and libraries after the sources
        self.wrap = list(wrap)  # the program runs as wrap + [exe, args]
        self.env = env or {}    # values may use {work}: the work directory
        self.heavy = heavy
        self.base = base or ("plain-clang" if cc == "clang" else "plain-gcc")
        self.kind = kind        # "plain", "peer" or "cprof"
        self.clock = clock      # "cpu" (the program's own), "wall", or
        # "proc": CPU of the process and its children less their start-up

    def run_env(self, work):
        env = dict(os.environ, CPROF_OUT=os.path.join(work, "cprof.out"))
        env.update({k: v.format(work=work) for k, v in self.env.items()})
        return env

    def command(self, exe, args, work):
        return [w.format(work=work) for w in self.wrap] + [exe] + list(args)


def helper_object(src, cc, outdir, flags=()):
    """Compiles a helper source that is linked into some variants."""
    obj = os.path.join(outdir, os.path.basename(src) + ".o")
    subprocess.run([cc, "-O2", "-c", src, "-o", obj] + list(flags), check=True)
    return obj


def accepts(cc, flags):
    """Whether `cc` compiles an empty unit with `flags` (a plugin mode
    another part of the project may not have landed yet)."""
    r = subprocess.run([cc, "-x", "c", "-c", "-o", os.devnull, "-"] + flags,
                       input="int x;\n", capture_output=True, text=True)
    return r.returncode == 0


def cprof_variants(build, notes):
    """cprof's modes with each plugin that is built."""
    rt = os.path.join(build, "rt")
    link = ["-L" + rt, "-Wl,-rpath," + rt, "-lcprof"]
    plugins = [("gcc", "gcc", os.path.join(build, "plugin-gcc", "cprof.so"),
                "cprof"),
               ("clang", "clang",
                os.path.join(build, "plugin-clang", "cprof_clang.so"),
                "cprof_clang")]
    modes = [("full", "default", []), ("timed", "timed lines", ["timed-lines"]),
             ("hits", "line hits", ["line-hits"]),
             ("nolines", "functions only", ["no-lines"]),
             ("counts", "counts only", ["counts-only"])]
    out = []
    for short, cc, plugin, name in plugins:
        if not os.path.exists(plugin):
            notes.append("cprof %s: no plugin at %s, its rows are left out"
                         % (short, plugin))
            continue
        for mkey, mlabel, args in modes:
            flags = ["-fplugin=" + plugin] + \
                ["-fplugin-arg-%s-%s" % (name, a) for a in args]
            if not accepts(cc, flags):
                notes.append("cprof %s %s: %s does not accept %s yet, left out"
                             % (short, mlabel, cc, " ".join(flags[1:])))
                continue
            v = Variant("cprof-%s-%s" % (short, mkey),
                        "cprof %s, %s" % (short, mlabel), cc, flags, link,
                        kind="cprof")
            v.all_flag = "-fplugin-arg-%s-all" % name  # for the Lua build
            out.append(v)
    return out + env_variants(out)


# GCC builds run again with a setting: (build, key, label, environment).
#   the ordered timer read's cost (the accuracy table has both compilers);
#   the default mode without its sampler: the difference is what sampling
#   costs.
ENV_VARIANTS = (
    ("cprof-gcc-nolines", "cprof-gcc-ordered", ", CPROF_TIMER=ordered",
     {"CPROF_TIMER": "ordered"}),
    ("cprof-gcc-full", "cprof-gcc-unsampled", ", CPROF_SAMPLE_HZ=0",
     {"CPROF_SAMPLE_HZ": "0"}),
)


def env_variants(variants):
    by_key = {v.key: v for v in variants}
    out = []
    for build, key, label, env in ENV_VARIANTS:
        v = by_key.get(build)
        if v:
            o = Variant(key, v.label + label, v.cc, v.flags, v.link, env=env,
                        kind="cprof")
            o.all_flag = v.all_flag
            out.append(o)
    return out


def peer_variants(objdir):
    """The uninstrumented builds and the other profilers."""
    minprof = helper_object(os.path.join(HERE, "minprof.c"), "gcc", objdir)
    xray = helper_object(os.path.join(HERE, "xrayfdr.cc"), "clang++", objdir)
    return [
        Variant("plain-gcc", "plain (gcc)", "gcc", kind="plain"),
        Variant("plain-clang", "plain (clang)", "clang", kind="plain"),
        Variant("gcov", "gcov -fprofile-arcs", "gcc", ["-fprofile-arcs"],
                env={"GCOV_PREFIX": "{work}/gcov", "GCOV_PREFIX_STRIP": "64"}),
        Variant("gprof", "gprof -pg", "gcc", ["-pg"]),
        Variant("minprof", "minimal -finstrument-functions (2 rdtsc)", "gcc",
                ["-finstrument-functions"], [minprof]),
        Variant("uftrace", "uftrace record", "gcc", ["-finstrument-functions"],
                wrap=["uftrace", "record", "--no-libcall", "--force",
                      "-d", "{work}/uftrace.data"], heavy=True,
                clock="proc"),
        Variant("xray", "LLVM XRay FDR", "clang",
                ["-fxray-instrument", "-fxray-instruction-threshold=1"], [xray],
                env={"XRAY_OPTIONS": "patch_premain=true xray_mode=xray-fdr "
                     "xray_logfile_base={work}/xray- verbosity=0"},
                heavy=True),
        Variant("callgrind", "valgrind --tool=callgrind", "gcc",
                wrap=["valgrind", "--tool=callgrind", "--quiet",
                      "--callgrind-out-file={work}/callgrind.out"],
                heavy=True, base="plain-gcc"),
    ]


def cache_key(cmd):
    """Changes whenever the command or any file it names changes."""
    h = hashlib.sha1("\0".join(cmd).encode())
    for word in cmd:
        path = word.split("=", 1)[-1] if word.startswith("-fplugin=") else word
        if word.startswith("-L"):
            path = os.path.join(word[2:], "libcprof.so")
        if os.path.isfile(path):
            h.update(str(os.stat(path).st_mtime_ns).encode())
    return h.hexdigest()


def compile_cached(cmd, exe):
    """Runs the compile command `cmd` (which writes `exe`) unless the same
    command over the same inputs made `exe` already.  Returns an error
    text or None."""
    stamp = exe + ".key"
    key = cache_key(cmd)
    if os.path.exists(exe) and os.path.exists(stamp):
        with open(stamp) as f:
            if f.read() == key:
                return None
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return r.stderr.strip()
    with open(stamp, "w") as f:
        f.write(key)
    return None
