"""toolchain_test.py - what every script of tests/plugin shares: run_e2e
(from tests/e2e) and the command line tests/CMakeLists.txt gives a test
that runs for one toolchain (cprof_toolchain_test)."""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))
import run_e2e  # noqa: E402


def main(doc, name, body):
    """Parses the toolchain's options, runs body(options) as run_e2e.run_test
    does under "NAME (CC OPT)", and returns the exit status."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    run_e2e.add_toolchain_args(ap)
    o = run_e2e.parse_toolchain_args(ap)
    return run_e2e.run_test(f"{name} ({o.cc} {o.opt})", body, o)
