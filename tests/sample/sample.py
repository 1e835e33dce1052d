#!/usr/bin/env python3
"""sample.py - the stack sampler (CPROF_SAMPLE=HZ) on a program built without cprof.

    sample.py --cc CC --cxx CXX --runtime LIBCPROF_SO --prstats PRSTATS [--cprof CPROF]
              --src DIR --workdir DIR

shares.c burns CPU 1:2:4 in burn_one, burn_two and burn_four.  Checked:
the sampled shares (within 8% absolute, on hundreds of signals), the
inlined spin as its own row (DWARF's inlined frames, GCC and Clang), the
callers found by the frame-pointer walk, a thread created late, a forked
child's own profile, the leaf functions of a program without frame
pointers, a stripped program, a library loaded with dlopen, C++ names
demangled, a full buffer's dropped samples, wall-clock sampling
(CPROF_SAMPLE_WALL=1) of sleepy.c, half asleep, and `cprof run --sample`.
"""
import argparse
import json
import re
import os
import shutil
import struct
import subprocess
import sys

STACKS = 12  # CPROF_SEC_SAMPLE_STACKS
SAMPLE_THREADS = 14  # CPROF_SEC_SAMPLE_THREADS
SHARES = {"burn_one": 1 / 7, "burn_two": 2 / 7, "burn_four": 4 / 7}
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def build(o, name, flags, src="shares.c"):
    exe = os.path.join(o.workdir, name)
    subprocess.run([o.cc, "-O2", *flags, "-pthread", "-o", exe,
                    os.path.join(o.src, src)], check=True)
    return exe


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


def spin_line(o):
    """The line that declares spin, always inlined into the burn functions."""
    with open(os.path.join(o.src, "shares.c")) as f:
        return next(n for n, text in enumerate(f, 1) if text.startswith("spin("))


def check_inlined(o, sampled, what):
    """spin, inlined into each burn function, is its own row: nearly all the
    self time, at its declaration; the burn functions keep only their own."""
    funcs = by_name(sampled)
    total = sampled["total_time"]
    spin = funcs.get("spin", {})
    check(spin.get("tottime", 0) >= 0.9 * total,
          f"{what}: inlined spin has {spin.get('tottime', 0):.3f} of {total:.3f} s")
    check(spin.get("file", "").endswith("shares.c") and spin.get("line") == spin_line(o),
          f"{what}: spin at {spin.get('file')}:{spin.get('line')} (line {spin_line(o)})")
    own = sum(funcs[n]["tottime"] for n in SHARES if n in funcs)
    check(own <= 0.05 * total, f"{what}: the burn functions' own time {own:.3f} s")


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
    threads = next(s for s in secs if s[0] == SAMPLE_THREADS)
    check_rejected(o, bad, seal(header, [s if s[0] != SAMPLE_THREADS else
                                         [s[0], s[1], s[2] - 1, s[3][:-s[1]]] for s in secs]),
                   f"{threads[2] - 1} sampled thread records for {threads[2]} threads")


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
    check_shares(s, "cumtime", "two threads")
    funcs = by_name(s)
    total = s["total_time"]
    check_inlined(o, s, "two threads")
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
    # One thread at a time: the sampler's threads, the late one named.
    listed = subprocess.run([o.prstats, "--threads", out], check=True, capture_output=True,
                            text=True).stdout
    names = re.findall(r"^\s+(\d+)\s+\d+\s+1\s+0\s+[\d.]+\s+(\S+)$", listed, re.M)
    check([n for n in names] == [("0", "shares_fp"), ("1", "late")],
          f"late: prstats --threads lists main's and the late thread: {names}")
    one = [json.loads(subprocess.run([o.prstats, "--thread", str(k), "-f", "json", out],
                                     check=True, capture_output=True, text=True).stdout)
           for k in (0, 1)]
    check(abs(one[0]["total_time"] + one[1]["total_time"] - report(o, out)["total_time"]) < 1e-9,
          "late: the two threads' times add up to the profile's")
    ran = [{f["name"] for f in t["functions"] if f["cumtime"] > 0} & set(SHARES) for t in one]
    check(ran == [{"burn_one"}, {"burn_four"}],
          f"late: thread 0 burns in burn_one, thread 1 in burn_four only: {ran}")
    check(one[1]["thread_label"].startswith("thread 1 'late' (tid "),
          f"late: --thread 1 is {one[1]['thread_label']}")

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
    check_shares(s, "tottime", "no frame pointers (no DWARF: spin in its callers)")
    print(f"     no frame pointers: {s['cut']} of {s['signals']} stacks cut")

    # Stripped: the names .dynsym keeps (-rdynamic), else [unknown] in the
    # program's file; every sample is kept either way.
    for name, flags in (("shares_stripped", []), ("shares_dynsym", ["-rdynamic"])):
        exe = build(o, name, ["-fno-omit-frame-pointer", *flags])
        subprocess.run(["strip", exe], check=True)
        out = os.path.join(o.workdir, name + ".out")
        run(o, exe, out, ["0.5"])
        s = report(o, out)["sampled"]
        funcs = by_name(s)
        check(0.6 <= s["total_time"] <= 1.6, f"{name}: {s['total_time']:.3f} s of 1 s CPU")
        if flags:
            check_shares(s, "tottime", name)
        else:
            unknown = [f for f in s["functions"] if f["name"] == "[unknown]"
                       and f["module"] == exe]
            t = unknown[0]["tottime"] if unknown else 0
            check(t >= 0.8 * s["total_time"] and "burn_four" not in funcs,
                  f"{name}: [unknown] in {name} has {t:.3f} s")

    # A library loaded with dlopen: its functions named, in its file.
    lib = os.path.join(o.workdir, "libshares.so")
    subprocess.run([o.cc, "-O2", "-g", "-fno-omit-frame-pointer", "-shared", "-fPIC", "-pthread",
                    "-o", lib, os.path.join(o.src, "shares.c")], check=True)
    loader = os.path.join(o.workdir, "dlmain")
    subprocess.run([o.cc, "-O2", "-o", loader, os.path.join(o.src, "dlmain.c")], check=True)
    out = os.path.join(o.workdir, "dlopen.out")
    run(o, loader, out, [lib, "0.5"])
    s = report(o, out)["sampled"]
    check_shares(s, "cumtime", "dlopen")
    burn = by_name(s).get("burn_four", {})
    check(burn.get("module") == lib and burn.get("file", "").endswith("shares.c"),
          f"dlopen: burn_four in {burn.get('module')}")

    # Clang's DWARF names the inlined spin as GCC's does (without
    # .debug_aranges).  No shares: Clang folds eight of spin's steps into
    # one, so burn_one lasts about one 4 ms tick, and the three alias with it.
    if shutil.which("clang"):
        exe = os.path.join(o.workdir, "shares_clang")
        subprocess.run(["clang", "-O2", "-g", "-fno-omit-frame-pointer", "-pthread", "-o", exe,
                        os.path.join(o.src, "shares.c")], check=True)
        out = os.path.join(o.workdir, "clang.out")
        run(o, exe, out, ["0.5"])
        s = report(o, out)["sampled"]
        check_inlined(o, s, "clang")
    else:
        print("skip clang: not installed")

    # C++: a class template's member function in a namespace, demangled,
    # and the member function inlined into it.
    exe = os.path.join(o.workdir, "burner")
    subprocess.run([o.cxx, "-O2", "-g", "-fno-omit-frame-pointer", "-o", exe,
                    os.path.join(o.src, "burner.cc")], check=True)
    out = os.path.join(o.workdir, "burner.out")
    run(o, exe, out, ["0.5"])
    s = report(o, out)["sampled"]
    funcs = by_name(s)
    burn = next((f for n, f in funcs.items()  # GCC's clone: burn(double) [clone .isra.0]
                 if n.startswith("shapes::Burner<unsigned long>::burn(double)")), {})
    add = funcs.get("shapes::Burner<unsigned long>::add(unsigned long)", {})
    names = [f["name"] for f in s["functions"]]
    check(not [n for n in names if "cprof" in n or n == "callee"],
          f"C++: no sample of cprof's exit calibration and dump: {names}")
    check(add.get("tottime", 0) >= 0.8 * s["total_time"] and s["total_time"] >= 0.3,
          f"C++: inlined Burner::add has {add.get('tottime', 0):.3f} of "
          f"{s['total_time']:.3f} s: {names}")
    check(burn.get("cumtime", 0) >= add.get("tottime", 1),
          f"C++: Burner::burn's cumtime {burn.get('cumtime', 0):.3f} holds it")

    # A buffer of one page fills: what did not fit is counted.
    out = os.path.join(o.workdir, "small.out")
    run(o, fp, out, ["1"], CPROF_SAMPLE_BUFFER="4096")
    s = report(o, out)["sampled"]
    check(s["dropped_signals"] > 0 and s["dropped_samples"] >= s["dropped_signals"],
          f"small buffer: {s['dropped_signals']} signals dropped, {s['signals']} kept")
    check(s["signals"] > 0, "small buffer: some kept")

    # Half asleep: wall sampling sees the sleep, CPU sampling does not.
    sleepy = build(o, "sleepy", ["-fno-omit-frame-pointer", "-g"], "sleepy.c")
    for wall in ("1", "0"):
        out = os.path.join(o.workdir, f"sleepy{wall}.out")
        run(o, sleepy, out, [], CPROF_SAMPLE_WALL=wall)
        s = report(o, out)["sampled"]
        total = s["total_time"]
        asleep = sum(f["tottime"] for f in s["functions"] if "nanosleep" in f["name"])
        share = asleep / total if total else 0
        what = "wall" if wall == "1" else "CPU"
        check(s["wall"] == (wall == "1"), f"{what} sampling: the file says which clock")
        if wall == "1":
            check(0.9 <= total <= 1.6, f"wall sampling: {total:.3f} s sampled of 1.2 s")
            check(0.35 <= share <= 0.65, f"wall sampling: {share:.2f} of it asleep (0.5)")
        else:
            check(share <= 0.05, f"CPU sampling: {share:.2f} of it asleep (0)")

    # Not asked: the file has no sampled sections, and reads as before.
    out = os.path.join(o.workdir, "off.out")
    run(o, fp, out, ["0.1"], hz=None)
    check("sampled" not in report(o, out), "without CPROF_SAMPLE: no sampled sections")

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
