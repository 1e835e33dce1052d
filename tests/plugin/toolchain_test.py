"""toolchain_test.py - the entry every script of tests/plugin shares: the
command line that cprof_toolchain_test (tests/CMakeLists.txt) gives a test
for one toolchain, and the harness's way of running and reporting it."""
import argparse

from cprof_harness import steps, toolchain


def main(doc, name, body):
    """Parses the toolchain's options, runs body(options) under
    "NAME (CC OPT, RUNTIME)", and returns the exit status."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    toolchain.add_toolchain_args(ap)
    o = toolchain.parse_toolchain_args(ap)
    return steps.run_test(f"{name} ({toolchain.describe(o)})", body, o)
