#!/usr/bin/env python3
"""diagnostics.py - what the Clang plugin says about bad input and set-ups.

Each case compiles a small source with the plugin and some flags and
checks the exit status and one piece of stderr (or stdout): bad options
are errors naming the option as written (-fplugin-arg-cprof_clang-KEY or
the GCC plugin's -fplugin-arg-cprof-KEY, which the plugin takes too), set-ups in which the pass cannot run are
refused or warned about, -E does not crash, and __CPROF__ is defined.
"""

import argparse
import os
import subprocess
import sys

PLAIN = "int f(int x) { return x + 1; }\n"
PROFILED = "__attribute__((profile)) int f(int x)\n{\n  return x + 1;\n}\n"

# (name, source, flags, expected exit status is zero, text expected in the output)
CASES = [
    ("unknown option", PLAIN, ["-fplugin-arg-cprof_clang-bogus"], False,
     "unknown option '-fplugin-arg-cprof_clang-bogus'"),
    # The GCC plugin's spelling works too, and messages name what was written.
    ("GCC spelling", PLAIN, ["-fplugin-arg-cprof-help"], True, "  functions=a,b "),
    ("GCC spelling, unknown option", PLAIN, ["-fplugin-arg-cprof-bogus"], False,
     "unknown option '-fplugin-arg-cprof-bogus'"),
    ("both spellings", PLAIN, ["-fplugin-arg-cprof-no-lines", "-fplugin-arg-cprof_clang-line-hits"],
     False, "'-fplugin-arg-cprof-no-lines' and '-fplugin-arg-cprof_clang-line-hits' contradict"),
    ("flag with a value", PLAIN, ["-fplugin-arg-cprof_clang-no-lines=1"], False,
     "'-fplugin-arg-cprof_clang-no-lines' takes no value"),
    ("empty function list", PLAIN, ["-fplugin-arg-cprof_clang-functions="], False,
     "'-fplugin-arg-cprof_clang-functions' needs a list"),
    ("legacy pass manager", PROFILED, ["-flegacy-pass-manager"], False,
     "-flegacy-pass-manager is not supported"),
    ("save-temps", PROFILED, ["-save-temps"], True, "nothing is profiled"),
    ("preprocess only", PROFILED, ["-E"], True, ""),
    ("coverage mapping", PROFILED, ["-fprofile-instr-generate", "-fcoverage-mapping"], True,
     ""),
    ("__CPROF__ defined", "#ifndef __CPROF__\n#error no __CPROF__\n#endif\n" + PLAIN, [],
     True, ""),
    ("attribute on a variable", "__attribute__((profile)) int v;\n" + PLAIN, [], True,
     "'profile' attribute only applies to functions"),
    ("attribute with arguments", "__attribute__((profile(1))) int g(void);\n" + PLAIN, [],
     False, "'profile' attribute takes no arguments"),
    ("naked function", "__attribute__((profile, naked)) void n(void) {}\n" + PLAIN, [], True,
     "'profile' attribute ignored: 'n' is naked"),
]


def run_case(opts, name, source, flags, succeeds, expected):
    """None when the case behaves, else what went wrong."""
    workdir = os.path.join(opts.workdir, name.replace(" ", "_"))
    os.makedirs(workdir, exist_ok=True)
    src = os.path.join(workdir, "case.c")
    with open(src, "w", encoding="utf-8") as out:
        out.write(source)
    cmd = [opts.cc, f"-fplugin={opts.plugin}", "-O2", "-c", src, "-o", "case.o", *flags]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir, timeout=120)
    output = proc.stdout + proc.stderr
    if proc.returncode < 0 or proc.returncode > 1:
        return f"crashed or failed oddly (exit {proc.returncode}):\n{output}"
    if (proc.returncode == 0) != succeeds:
        return f"expected {'success' if succeeds else 'failure'}, got exit " \
               f"{proc.returncode}:\n{output}"
    if expected not in output:
        return f"expected '{expected}' in the output, got:\n{output}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for arg in ("--cc", "--plugin", "--workdir"):
        parser.add_argument(arg, required=True)
    opts = parser.parse_args()
    failures = 0
    for name, source, flags, succeeds, expected in CASES:
        problem = run_case(opts, name, source, flags, succeeds, expected)
        if problem:
            failures += 1
            print(f"FAIL: {name} ({' '.join(flags)}): {problem}", file=sys.stderr)
    if failures:
        return 1
    print(f"PASS: {len(CASES)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
