#!/usr/bin/env python3
"""warnings.py - the plugin leaves the compiler's diagnostics as they were.

    warnings.py --cc CC --plugin PATH --plugin-name NAME --opt -O2 ...

Compiles warnings.c with -Wall -Wextra at the given -O level without the
plugin, then with it under `all` in every line mode (the default,
timed-lines, no-lines, line-hits, counts-only, counts-only with
line-hits): each must print exactly the warnings of the build without the plugin.  That build
must warn about something, or the comparison would prove nothing.
"""
import os
import subprocess
import sys

import toolchain_test
from cprof_harness import steps, toolchain

HERE = os.path.dirname(os.path.abspath(__file__))

SOURCE = os.path.join(HERE, "warnings.c")
MODES = [[], ["timed-lines"], ["no-lines"], ["line-hits"], ["counts-only"],
         ["counts-only", "line-hits"]]


def diagnostics(o, plugin_args):
    cmd = [o.cc, *plugin_args, o.opt, "-Wall", "-Wextra", *toolchain.env_cflags(),
           "-c", SOURCE, "-o", os.devnull]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise steps.TestError(f"compile failed: {' '.join(cmd)}\n{p.stderr}")
    return p.stderr


def check(o):
    plain = diagnostics(o, [])
    if plain.count("warning:") < 4:
        raise steps.TestError(f"warnings.c drew too few warnings without the plugin:\n{plain}")
    failures = []
    for mode in MODES:
        keys = ["all", *mode]
        args = [f"-fplugin={o.plugin}"] + [f"-fplugin-arg-{o.plugin_name}-{k}" for k in keys]
        got = diagnostics(o, args)
        if got != plain:
            failures.append(f"with {' '.join(keys)} the diagnostics differ:\n--- without the plugin\n"
                            f"{plain}--- with it\n{got}")
    return failures


if __name__ == "__main__":
    sys.exit(toolchain_test.main(__doc__, "warnings", check))
