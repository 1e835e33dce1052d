#!/usr/bin/env python3
"""layers.py - the runtime's layers call downwards only.

    layers.py --objects LIST --nm NM

LIST names libcprof's object files, one a line (rt/CMakeLists.txt's
cprof_objects).  An object's layer is its source folder under rt/: base,
then core, then memory, then sample, then init.c, which wires them.  A symbol an
object needs (nm: undefined) that an object of a higher layer defines is
a call upwards, and fails the test.
"""
import argparse
import os
import subprocess
import sys

LAYERS = ["base", "core", "memory", "sample", "init"]
# C library functions a layer interposes for the whole process: a lower
# layer's call of one is a call of the C library, which the interposer
# passes on (sample/thread.c's pthread_create starts the sampler's timer
# in every new thread, the runtime's own included).
INTERPOSED = {"pthread_create"}


def layer_of(obj):
    """base/arena.c.o -> base; init.c.o -> init."""
    parts = os.path.normpath(obj).split(os.sep)
    folder = parts[-2] if len(parts) > 1 else ""
    if folder in LAYERS:
        return folder
    if parts[-1].startswith("init."):
        return "init"
    raise SystemExit(f"layers.py: {obj}: in no layer ({', '.join(LAYERS)})")


def symbols(nm, obj):
    """(defined globals, undefined) of one object, from nm's portable format."""
    out = subprocess.run([nm, "-P", obj], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        name, kind = fields[0], fields[1]
        if kind == "U":
            undefined.add(name)
        elif kind.isupper():
            defined.add(name)
    return defined, undefined


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objects", required=True)
    ap.add_argument("--nm", default="nm")
    o = ap.parse_args()
    with open(o.objects) as f:
        objects = [l.strip() for l in f if l.strip()]
    rank = {l: i for i, l in enumerate(LAYERS)}
    owner, needs = {}, {}
    for obj in objects:
        defined, undefined = symbols(o.nm, obj)
        for name in defined:
            owner[name] = obj
        needs[obj] = undefined
    seen = {layer_of(obj) for obj in objects}
    if seen != set(LAYERS):
        print(f"FAIL: layers missing from the objects: {sorted(set(LAYERS) - seen)}")
        return 1
    failures = []
    for obj, undefined in sorted(needs.items()):
        for name in sorted(undefined - INTERPOSED):
            if name in owner and rank[layer_of(owner[name])] > rank[layer_of(obj)]:
                failures.append(f"{os.path.basename(os.path.dirname(obj))}/"
                                f"{os.path.basename(obj)} ({layer_of(obj)}) uses {name} of "
                                f"{layer_of(owner[name])} ({os.path.basename(owner[name])})")
    for failure in failures:
        print(f"FAIL: a lower layer calls a higher one: {failure}")
    if failures:
        return 1
    print(f"PASS: {len(objects)} objects in {len(LAYERS)} layers, every call downwards")
    return 0


if __name__ == "__main__":
    sys.exit(main())
