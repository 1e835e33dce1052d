"""scaling.py - a profile of 100,000 functions with 10 edges each.

scale.c records it through the runtime's ABI and times cprof_dump; then
prstats reads and sorts it (its default table, written to /dev/null)
under /usr/bin/time for the wall time and the peak resident memory.  The
load average before each run goes with the figures: other work on the
machine shows in wall times.  The profile's page (prstats -f html) is
written the same way, then loaded in headless Chromium when there is one:
its load time is the `data-ms` page.js sets on <body> when it is done.
"""
import os
import shutil
import statistics
import struct
import subprocess
import sys

from toolchain import HERE, ROOT, compile_cached

sys.path.insert(0, os.path.join(ROOT, "tests", "view"))
import cdp  # noqa: E402  (tests/view/cdp.py: Chromium through the DevTools protocol)

FUNCTIONS = 100000


def hist_bytes(profile):
    """Bytes of the duration histogram section (kind 5 in format.h) of a
    profile: its sections follow the header (whose size is the word after
    the magic and the version) to the end of the file."""
    with open(profile, "rb") as f:
        data = f.read()
    header_size, = struct.unpack_from("<I", data, 12)
    off, total = header_size, 0
    while off < len(data):
        kind, size, count = struct.unpack_from("<IIQ", data, off)
        off += 16 + size * count
        total += size * count if kind == 5 else 0
    return total


def timed(cmd, env=None, keep=True):
    """(stdout or None, elapsed seconds, max RSS in MiB) of cmd, by
    /usr/bin/time; with keep=False its output goes to /dev/null."""
    r = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M"] + cmd, text=True,
                       stdout=subprocess.PIPE if keep else subprocess.DEVNULL,
                       stderr=subprocess.PIPE, env=env, check=True)
    last = [l for l in r.stderr.splitlines() if l.startswith("TIME ")][-1]
    _, secs, kib = last.split()
    return r.stdout, float(secs), int(kib) / 1024


def measure_page(prstats, profile, runs):
    """The page of the profile: its bytes, prstats' wall time and peak RSS,
    and its load times in Chromium (ms; None without a chromium)."""
    page = profile + ".html"
    secs, rss, ms = [], [], []
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    for _ in range(runs):
        _, s, r = timed([prstats, "-f", "html", "-o", page, profile])
        secs.append(s)
        rss.append(r)
        if chromium:
            b = cdp.Browser(chromium)
            try:
                b.open("file://" + os.path.abspath(page))
                ms.append(b.eval("+document.body.getAttribute('data-ms')"))
            finally:
                b.close()
    return {"page_bytes": os.path.getsize(page), "page_s": statistics.median(secs),
            "page_all": secs, "page_rss_mib": max(rss),
            "page_ms": statistics.median(ms) if ms else None, "page_ms_all": ms}


def measure(build, outdir, prstats, runs):
    rt = os.path.join(build, "rt")
    work = os.path.join(outdir, "scale")
    os.makedirs(work, exist_ok=True)
    exe = os.path.join(work, "scale")
    err = compile_cached(["gcc", "-O2", "-I" + HERE,
                          "-I" + os.path.join(ROOT, "include"),
                          os.path.join(HERE, "scale.c"), "-o", exe,
                          "-L" + rt, "-Wl,-rpath," + rt, "-lcprof"], exe)
    if err:
        return {"error": err}
    profile = os.path.join(work, "scale.out")
    env = dict(os.environ, CPROF_OUT=os.path.join(work, "exit.out"))
    dump, dump_cpu, floor, prog_rss, read, read_rss, load = \
        [], [], [], [], [], [], []
    for _ in range(runs):
        load.append(os.getloadavg()[0])
        out, _, rss = timed([exe, profile, str(FUNCTIONS)], env)
        fields = next(l for l in out.splitlines()
                      if l.startswith("bench dump")).split()
        dump.append(float(fields[2]))
        dump_cpu.append(float(fields[3]))
        floor.append(float(next(l for l in out.splitlines()
                                if l.startswith("bench floor")).split()[2]))
        nodes = int(fields[4])
        prog_rss.append(rss)
        _, secs, rss = timed([prstats, profile], keep=False)
        read.append(secs)
        read_rss.append(rss)
    page = measure_page(prstats, profile, runs)
    return {**page, "functions": FUNCTIONS, "edges": FUNCTIONS * 10, "nodes": nodes,
            "file_bytes": os.path.getsize(profile),
            "hist_bytes": hist_bytes(profile),
            "dump_s": statistics.median(dump), "dump_all": dump,
            "dump_cpu_s": statistics.median(dump_cpu),
            "floor_s": statistics.median(floor), "floor_all": floor,
            "program_rss_mib": max(prog_rss),
            "prstats_s": statistics.median(read), "prstats_all": read,
            "prstats_rss_mib": max(read_rss), "load": load}
