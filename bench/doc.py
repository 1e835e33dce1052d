"""doc.py - the text of docs/bench.md around report.py's tables."""
import re
import statistics

import report

METHOD = """\
Every variant builds the same source at `-O2`; every round runs every job once in a fresh
random order, so that whatever else the machine does falls on all variants alike; a job's
figure is the median of its rounds. **ns/call** = (variant's median time - the same
compiler's plain build's median time, same workload and size) / profiled calls, where the
time is that of the timed region the program prints (`bench.h`) or, for Lua, that of the
process less that of `lua -e ''` under the same tool. **Slowdown** = variant time / plain
time. Times are **CPU times** (the timing thread's `CLOCK_THREAD_CPUTIME_ID`; for Lua the
process's and its children's user + system time), which leave out the time other processes
take the CPU away on a busy machine. uftrace alone is compared on the **CPU time of the
whole process tree** (the program's and that of its recorder, another process that writes
the trace while the program runs: on two cores the program's own clock misses that work),
less that of the same command on a run that makes one call (`fib 0`, `leaf 1`: uftrace's
start-up and trace set-up), against the plain build measured the same way.

How each peer runs: gcov `-fprofile-arcs` (counters only; `.gcda` written at exit); gprof
`-pg`; the minimal profiler is `bench/minprof.c` on `-finstrument-functions` (two `rdtsc`,
a thread-local stack and hash: counts, inclusive and self cycles, no edges); uftrace 0.13
`record --no-libcall` on a `-finstrument-functions` build (the trace goes to disk in the
job's directory); LLVM XRay FDR with `-fxray-instrument -fxray-instruction-threshold=1`,
`XRAY_OPTIONS="patch_premain=true xray_mode=xray-fdr"`, and `bench/xrayfdr.cc` linked in
to initialise FDR before `main` and flush its log at exit (without it the mode stays
uninitialised and records nothing); callgrind is `valgrind --tool=callgrind` on the plain
gcc build. Heavy variants (marked "small size") run the small size of each workload
(below) and are compared with the plain build at that size. cprof: "default" = no
plugin argument: calls, times and edges, exact line hits by inline counters and line
times by the CPU-time sampler (`CPROF_SAMPLE_HZ`, 1000 by default); "default,
CPROF_SAMPLE_HZ=0" = the same build without the sampler (what sampling costs is the
difference); "timed lines" = `-fplugin-arg-cprof-timed-lines` (a timer read at every line
change); "line hits" = `-fplugin-arg-cprof-line-hits` (hits, no line time); "functions
only" = `-fplugin-arg-cprof-no-lines`; "counts only" = `-fplugin-arg-cprof-counts-only`
(no timer, no lines). Lua is built with
`-fplugin-arg-cprof-all` (every function of the interpreter profiled)."""


def noise_lines(res, load):
    spreads = res.noise()
    if not spreads:
        return []
    return [
        "Noise: the spread of a job, (slowest - fastest) / median of its rounds, was "
        "%.0f%% in the median job, %.0f%% at the 90th percentile and %.0f%% at worst "
        "(%d jobs). The machine is a 2-vCPU VM that other work shared during the run "
        "(load average %.1f to %.1f): read differences of a few percent between rows "
        "as noise." % (statistics.median(spreads) * 100,
                       spreads[int(len(spreads) * 0.9)] * 100, spreads[-1] * 100,
                       len(spreads), min(load), max(load))]


def lua_note(res, workloads):
    calls = res.calls.get(("lua", "full", None))
    if not calls:
        return []
    return ["Lua's ns/call divides by the %s calls the cprof GCC build counts for "
            "`bench.lua %s` (every function of the interpreter); tools that hook "
            "functions after inlining (gprof, XRay) see fewer calls, so compare Lua by "
            "slowdown first." % (format(calls, ","), workloads["lua"].sizes["full"][1])]


LINES = """\
`lines.c`: a loop whose body spans four source lines, alone and with a compiler barrier
in every iteration (`lines N memory`): alone, an optimiser may keep a profiler's counters
in registers through the loop (GCC and Clang do with the line-hits mode's, as they do with
gcov's), while a barrier, like any call to code it cannot see, forces them to memory each
time. ns per executed line = (variant - plain) / line changes counted by that compiler's
cprof default build (gcov's row divides by the GCC count)."""

THREADS = """\
`leaf.c` with two threads making 50M calls each at once (per-thread time, mean of the
two) against one thread alone; the plain build is timed the same way."""

ACCURACY = """\
`accuracy.c` has functions whose true cost is known: `leaf` does a fixed amount of work;
`parent` calls it 1,000 times and does work of its own in between; `recursive` runs ten
levels of itself with the same work at each; `once` is called once (about 30 ms);
`bounded` loops until 20 ms of wall time have passed, so whatever the probes cost its true
time is the bound; `line_parent` runs, 1,000 times, two lines of different work and a line
that calls `leaf` (line_profiler counts the callee's time in the line); the default mode's
run calls it 20,000 times (about 3 s), since its line times are sampled and their error
shrinks with the square root of the samples, the others 300 times. Measures: `.self`
is tottime per call, `.cum` cumtime per primitive call, a line's measure its time per call
of the function. The truth is timed in the plain build of the same compiler (fastest of
100 rounds). Each cprof build (default, timed lines, functions only; line hits has the
default's function times) runs with the default timer and with `CPROF_TIMER=ordered`;
its profile is read with `prstats` (compensated, the default) and `prstats --raw`. Each
cell is the compensated error (the raw error in brackets), median of %d runs; "worst
spread" is the largest (slowest - fastest) / median of a compensated figure over the runs.
Goals (issue "true times"): 5%% for self and cumulative times, 3%% for `bounded`, 10%% for
lines, 10%% spread.

The truth is a fair yardstick: each call of `leaf` reads and writes one `volatile`
variable, so back-to-back calls form a single dependency chain and their throughput is one
call's latency, and in the plain build a leaf costs the same from `main`'s loop as from
`parent` (whose time less 1,000 leaves' is its own work). It is the fastest round, while
a profile averages every call, slower moments and interruptions included, so profiles
read a little high against it.

The work is a chain of dependent multiplies, which an out-of-order core is still working
through while the instructions after it, up to a reorder buffer's worth, already run. The
default timer, a bare `rdtsc`, does not wait for them: a timestamp lands early by the part
of the chain still in flight, more at the leaf's exit than at its entry, so the leaf loses
time to its caller, how much depending on the code around the call (more from `main`'s
empty loop than from `parent`). The probes themselves cost next to nothing here, hidden
under the chain, so no cost subtracted afterwards undoes that shift; the default's
compensation is the probes' cost in tight code, where they do cost. `CPROF_TIMER=ordered`
reads `lfence; rdtsc`: every timestamp waits for the work before it, so each window is
exact, and the probes' cost becomes a constant the runtime measures at start-up (with work
on both sides of a call, and line changes back to back, as most lines are short) and
prstats subtracts. It costs one more read latency per timestamp in tight code such as
`fib` (the row "functions only, CPROF_TIMER=ordered" of the overhead table), which is why
it is not the default: a `lfence` at the exit alone costs 8 ns more per call (1.4 times
the minimal profiler), `rdtscp` at both ends 20 ns (measured with `fib` and `leaf` on this
machine), neither near the 1.1 times a default call may cost.

The default mode's line times are not timed: the runtime samples each thread's CPU time
and divides the function's measured cumtime among its lines in proportion to the samples
that found it on each (prstats shows each line's sampling error), so no line probe adds
to any time, and `bounded`, which calls nothing, is not compensated at all."""

SCALE = """\
`scale.c` records, through the runtime's ABI with hand-made descriptors, 100,000 functions
each calling 10 others (a complete 10-ary calling-context tree), then times `cprof_dump`
(building the file, writing it beside its name and renaming it into place); `prstats` then
reads it and prints its default table to /dev/null under `/usr/bin/time`."""


PAGE = """\
The page of the same profile, `prstats -f html -o FILE` under `/usr/bin/time`, then opened in
headless Chromium (a new browser each time, through the DevTools protocol,
`tests/view/cdp.py`): the load time is the `data-ms` that `page.js` sets on `<body>`,
`performance.now()` when its script is done (the JSON parsed, the chart and the table drawn).
The page keeps the call paths of at least a millionth of the total time."""


def page_section(scale):
    if "error" in scale or "page_s" not in scale:
        return []
    return ["## The page at scale", "", PAGE, ""] + report.page_table(scale) + [""]


def scale_section(scale):
    text = SCALE
    if "error" not in scale:
        text += " %d runs, each a new process" % len(scale["dump_all"])
        load = scale.get("load")  # not in results saved before it was recorded
        text += (", with a load average of %.1f to %.1f before them." %
                 (min(load), max(load)) if load else ".")
    return (["## Scale", "", text, ""] + report.scale_table(scale) + [""] +
            page_section(scale))


def accuracy_section(acc, runs):
    if not acc:
        return []
    clocks = sorted({r["clock"] for r in acc if r["clock"]})
    return (["## Accuracy", "", ACCURACY % runs, ""] + report.accuracy_table(acc) +
            ["", "What prstats says it used: " +
             "; ".join("`%s`" % c for c in clocks), ""])


def kept_sections(path):
    """The sections another script writes into the page between its
    markers (sample_cost.py's), kept as they are when this page is written
    again."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return []
    return [m.group(0) + "\n" for m in re.finditer(
        r"<!-- (\S+): begin -->.*?<!-- \1: end -->", text, re.S)]


def markdown(res, variants, workloads, data, kept=()):
    """The page, from the Results and the rest of the run's `data`;
    `kept`: sections of another script, before the targets."""
    acc, scale, load = data["accuracy"], data["scale"], data["load"]
    out = ["# Benchmarks", "",
           "Written by `bench/run.py` (see `bench/README.md`); the chart is "
           "`docs/bench.svg`.", "", "## Machine and run", ""]
    out += report.machine(data["date"], data["runs"], load) + [""]
    out += noise_lines(res, load) + [""]
    out += ["## Per-call overhead", "", "![per-call overhead](bench.svg)", ""]
    out += report.overhead_table(res, variants, workloads) + [""]
    out += lua_note(res, workloads) + ["", METHOD, "",
                                       "Uninstrumented times (seconds, median):", ""]
    out += report.plain_table(res, workloads) + [""]
    if "lines" in workloads and "linesmem" in workloads:
        out += ["## Per executed line", "", LINES, ""]
        out += report.lines_table(res, variants) + [""]
    if "threads" in workloads:
        out += ["## Two threads", "", THREADS, ""]
        out += report.threads_table(res, variants) + [""]
    out += accuracy_section(acc, data["runs"])
    out += scale_section(scale)
    out += list(kept)
    out += ["## Targets", ""] + report.targets(res, variants, acc, scale) + [""]
    if data["notes"]:
        out += ["## Left out", ""] + ["- " + n for n in data["notes"]] + [""]
    return "\n".join(out)
