#!/usr/bin/env python3
"""sample.py - the stack sampler (CPROF_SAMPLE=HZ) on a program built without cprof.

    sample.py --cc CC --runtime LIBCPROF_SO --prstats PRSTATS [--cprof CPROF]
              --src DIR --workdir DIR

shares.c burns CPU 1:2:4 in burn_one, burn_two and burn_four.  Checked:
the sampled shares (within 8% absolute, on hundreds of signals), the
callers found by the frame-pointer walk, a thread created late, a forked
child's own profile, the leaf functions of a program without frame
pointers, a full buffer's dropped samples, and `cprof run --sample`.
loaded.c burns half its time in a library it opens with dlopen (named
from the library's symbols; its stripped copy's own code one [unknown]
frame of its file), inlined.cpp in C++ functions (demangled, shares 1:2).
"""
import argparse
import json
import os
import struct
import subprocess
import sys

STACKS = 12  # CPROF_SEC_SAMPLE_STACKS
SHARES = {"burn_one": 1 / 7, "burn_two": 2 / 7, "burn_four": 4 / 7}
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def build(o, name, flags, src="shares.c", cc=None):
    exe = os.path.join(o.workdir, name)
    subprocess.run([cc or o.cc, "-O2", *flags, "-pthread", "-o", exe,
                    os.path.join(o.src, src)], check=True)
    return exe


def share(sampled, name, key="tottime"):
    f = by_name(sampled).get(name, {})
    return f.get(key, 0) / sampled["total_time"] if sampled["total_time"] else 0


def check_loaded(o):
    """dlopen after the start, and the same program stripped."""
    fp = ["-fno-omit-frame-pointer", "-g"]
    lib = build(o, "libloaded.so", fp + ["-shared", "-fPIC", "-DLOADED_LIBRARY"], "loaded.c")
    exe = build(o, "loaded", fp, "loaded.c")
    out = os.path.join(o.workdir, "loaded.out")
    run(o, exe, out, [lib, "1"])
    s = report(o, out)["sampled"]
    burn = by_name(s).get("lib_burn", {})
    check(burn.get("module") == lib and abs(share(s, "lib_burn") - 0.5) <= 0.1,
          f"dlopen: lib_burn in {burn.get('module')}, share {share(s, 'lib_burn'):.3f} (0.5 +-0.1)")
    check(share(s, "main", "cumtime") >= 0.95, "dlopen: main above both")
    stripped = exe + "-stripped"
    subprocess.run(["strip", "-o", stripped, exe], check=True)
    out = os.path.join(o.workdir, "stripped.out")
    run(o, stripped, out, [lib, "1"])
    s = report(o, out)["sampled"]
    own = [f for f in s["functions"] if f["module"] == stripped]
    check([f["name"] for f in own] == ["[unknown]"] and own[0]["file"] == "loaded-stripped",
          f"stripped: its own code is one [unknown] frame of its file: {own}")
    check(abs(share(s, "[unknown]") - 0.5) <= 0.1 and abs(share(s, "lib_burn") - 0.5) <= 0.1,
          f"stripped: [unknown] {share(s, '[unknown]'):.3f}, lib_burn {share(s, 'lib_burn'):.3f}")


def check_cxx(o):
    exe = build(o, "inlined", ["-fno-omit-frame-pointer", "-g"], "inlined.cpp", o.cxx)
    out = os.path.join(o.workdir, "inlined.out")
    run(o, exe, out, ["1"])
    s = report(o, out)["sampled"]
    names = [f["name"] for f in s["functions"]]
    check(not [n for n in names if n.startswith("_Z")], f"C++: every name demangled: {names}")
    check(not [n for n in names if "cprof" in n], f"C++: no samples of cprof's exit: {names}")
    run_name = next((n for n in names if n.startswith("work::Burner<unsigned long>::run(")), "")
    twice = share(s, "work::burn_twice(unsigned long)")
    check(run_name and abs(twice - 2 / 3) <= 0.08 and abs(share(s, run_name) - 1 / 3) <= 0.08,
          f"C++: {run_name or 'Burner<unsigned long>::run missing'} {share(s, run_name):.3f},"
          f" burn_twice {twice:.3f} (1:2 +-0.08)")


def run(o, exe, out, args, hz="1000", **extra):
    env = dict(os.environ, LD_PRELOAD=o.runtime, CPROF_OUT=out, **extra)
    if hz:
        env["CPROF_SAMPLE"] = hz
    subprocess.run([exe, *args], env=env, check=True, stdout=subprocess.DEVNULL)


def report(o, path):
    out = subprocess.run([o.prstats, "-f", "json", path], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def by_name(sampled):
    funcs = {}
    for f in sampled["functions"]:
        funcs.setdefault(f["name"], f)
    return funcs


def check_shares(sampled, key, what):
    funcs = by_name(sampled)
    times = {n: funcs[n][key] if n in funcs else 0.0 for n in SHARES}
    total = sum(times.values())
    for name, share in SHARES.items():
        got = times[name] / total if total else 0
        check(abs(got - share) <= 0.08,
              f"{what}: {name} {key} share {got:.3f} (expected {share:.3f} +-0.08)")


def sections(data):
    """The header's bytes and [kind, record_size, count, body] of each section."""
    header_size = struct.unpack_from("<I", data, 12)[0]
    out, off = [], header_size
    while off < len(data):
        kind, size, count = struct.unpack_from("<IIQ", data, off)
        out.append([kind, size, count, data[off + 16:off + 16 + size * count]])
        off += 16 + size * count
    return data[:header_size], out


def seal(header, secs):
    """The file again, with its section count, size and checksum."""
    body = b"".join(struct.pack("<IIQ", k, s, c) + b for k, s, c, b in secs)
    h = 0xcbf29ce484222325
    tail = len(body) - len(body) % 8
    for (w,) in struct.iter_unpack("<Q", body[:tail]):
        h = ((h ^ w) * 0x100000001b3) & 0xffffffffffffffff
    for byte in body[tail:]:
        h = ((h ^ byte) * 0x100000001b3) & 0xffffffffffffffff
    header = bytearray(header)
    struct.pack_into("<QQ", header, 16, len(header) + len(body), h)
    struct.pack_into("<I", header, 100, len(secs))
    return bytes(header) + body


def check_rejected(o, path, data, reason):
    with open(path, "wb") as f:
        f.write(data)
    r = subprocess.run([o.prstats, path], capture_output=True, text=True)
    check(r.returncode != 0 and reason in r.stderr, f"rejected: {reason} ({r.stderr.strip()})")


def check_reader(o, good):
    """The reader checks the sampled sections as it checks the others."""
    with open(good, "rb") as f:
        header, secs = sections(f.read())
    bad = os.path.join(o.workdir, "bad.out")
    check_rejected(o, bad, seal(header, [s for s in secs if s[0] != STACKS]),
                   "sampled sections incomplete")
    stacks = next(s for s in secs if s[0] == STACKS)
    body = bytearray(stacks[3])
    struct.pack_into("<Q", body, 16, 1 << 40)  # the first record's `first`
    check_rejected(o, bad, seal(header, [s if s[0] != STACKS else s[:3] + [bytes(body)]
                                         for s in secs]),
                   "stack 0: addresses out of range")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for arg in ("--cc", "--cxx", "--runtime", "--prstats", "--src", "--workdir"):
        ap.add_argument(arg, required=True)
    ap.add_argument("--cprof")
    o = ap.parse_args()
    os.makedirs(o.workdir, exist_ok=True)
    for f in os.listdir(o.workdir):
        os.unlink(os.path.join(o.workdir, f))
    fp = build(o, "shares_fp", ["-fno-omit-frame-pointer", "-g"])

    # Two threads, 2 s of CPU each: ~250 signals a second a thread here.
    out = os.path.join(o.workdir, "shares.out")
    run(o, fp, out, ["2"])
    s = report(o, out)["sampled"]
    check(s["signals"] >= 300, f"{s['signals']} signals (>= 300)")
    check(s["threads"] == 2, f"{s['threads']} threads sampled (2)")
    check(s["period_ns"] == 1000000, "period 1 ms")
    check(3.0 <= s["total_time"] <= 5.0, f"sampled {s['total_time']:.3f} s of 4 s CPU")
    check_shares(s, "tottime", "two threads")
    check_shares(s, "cumtime", "two threads")
    funcs = by_name(s)
    total = s["total_time"]
    # worker is the second thread's start; the first runs it inlined in main.
    for caller in ("main", "worker"):
        cum = funcs.get(caller, {}).get("cumtime", 0)
        check(cum >= 0.35 * total, f"caller {caller} found by the walk: cumtime {cum:.3f}")
    check(funcs["burn_one"]["file"].endswith("shares.c") and funcs["burn_one"]["line"] > 0,
          f"burn_one at {funcs['burn_one']['file']}:{funcs['burn_one']['line']}")
    text = subprocess.run([o.prstats, out], check=True, capture_output=True, text=True).stdout
    check("No call counts" in text and "burn_four" in text, "the text table says no call counts")
    check_reader(o, out)

    # A thread created after half the run.
    out = os.path.join(o.workdir, "late.out")
    run(o, fp, out, ["1", "late"])
    s = report(o, out)["sampled"]
    funcs = by_name(s)
    late = funcs.get("late_worker", {}).get("cumtime", 0)
    check(s["threads"] == 2, f"late: {s['threads']} threads sampled (2)")
    check(0.3 <= late / s["total_time"] <= 0.7,
          f"late: late_worker has {late:.3f} of {s['total_time']:.3f} s")

    # fork: parent and child each write their own samples.
    out = os.path.join(o.workdir, "fork.out")
    run(o, fp, out, ["1", "fork"])
    children = [f for f in os.listdir(o.workdir) if f.startswith("fork.out.")]
    check(len(children) == 1, f"fork: the child wrote {children}")
    for path in [out] + [os.path.join(o.workdir, c) for c in children]:
        s = report(o, path)["sampled"]
        check(0.6 <= s["total_time"] <= 1.5 and s["threads"] >= 1,
              f"fork: {os.path.basename(path)} has its own {s['total_time']:.3f} s")

    # Without frame pointers the leaves are still right.
    nofp = build(o, "shares_nofp", ["-fomit-frame-pointer"])
    out = os.path.join(o.workdir, "nofp.out")
    run(o, nofp, out, ["1"])
    s = report(o, out)["sampled"]
    check_shares(s, "tottime", "no frame pointers")
    print(f"     no frame pointers: {s['cut']} of {s['signals']} stacks cut")

    # A buffer of one page fills: what did not fit is counted.
    out = os.path.join(o.workdir, "small.out")
    run(o, fp, out, ["1"], CPROF_SAMPLE_BUFFER="4096")
    s = report(o, out)["sampled"]
    check(s["dropped_signals"] > 0 and s["dropped_samples"] >= s["dropped_signals"],
          f"small buffer: {s['dropped_signals']} signals dropped, {s['signals']} kept")
    check(s["signals"] > 0, "small buffer: some kept")

    # Not asked: the file has no sampled sections, and reads as before.
    out = os.path.join(o.workdir, "off.out")
    run(o, fp, out, ["0.1"], hz=None)
    check("sampled" not in report(o, out), "without CPROF_SAMPLE: no sampled sections")

    check_loaded(o)
    check_cxx(o)

    if o.cprof:
        out = os.path.join(o.workdir, "run.out")
        r = subprocess.run([o.cprof, "run", "--sample=500", "-o", out, "--", fp, "0.3"],
                           capture_output=True, text=True)
        check(r.returncode == 0 and "Sampled stacks" in r.stdout and "burn_four" in r.stdout,
              f"cprof run --sample: rc {r.returncode}")
        s = report(o, out)["sampled"]
        check(s["period_ns"] == 2000000, "cprof run --sample=500: period 2 ms")
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")


if __name__ == "__main__":
    main()
