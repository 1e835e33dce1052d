#!/usr/bin/env python3
"""diagnostics.py - what the plugin tells the user, for one toolchain.

    diagnostics.py --cc CC --cxx CXX --plugin PATH --plugin-name NAME ...

The attribute on a function compiles clean under -Wall -Werror; on a
variable it warns; with arguments it is an error; an unknown plugin
argument is an error that names it, and so are two line modes that
contradict each other; `functions=a, b` profiles both, spaces
or not; `help` prints every argument of include/cprof/options.def;
__CPROF__ is defined, also for -E; CPROF_PROFILE from cprof.h expands to
nothing without the plugin; linking profiled code without -lcprof fails
with an undefined symbol whose name says to add it, and a unit with
nothing profiled needs no libcprof.  A function over 65536 lines gets
no line data from inline counters (the default mode, line-hits), with a
warning, and keeps it with timed-lines.
"""
import os
import re
import subprocess
import sys
import tempfile

import options_table
import toolchain_test
from cprof_harness import steps, toolchain

HERE = os.path.dirname(os.path.abspath(__file__))

SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))

Fail = steps.TestError  # a failed check, as steps.run_test reports it


def compile_c(o, source, args=(), plugin=True, step="-c"):
    """(exit status, stdout or with step -S the assembly, stderr); step
    "link" links a program, with no library but the C library."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "t.c")
        out = os.path.join(tmp, "t.out")
        with open(src, "w") as f:
            f.write(source)
        cmd = [o.cc, *(["-fplugin=" + o.plugin] if plugin else []), *args,
               *toolchain.env_cflags(), "-Wall", "-Wextra", src]
        cmd += [step] if step == "-E" else ([] if step == "link" else [step]) + ["-o", out]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if step == "-S" and p.returncode == 0:
            with open(out) as f:
                return p.returncode, f.read(), p.stderr
        return p.returncode, p.stdout, p.stderr


def profiled(assembly):
    """The functions that got a descriptor (__cprof_fn.SYMBOL), sorted."""
    return sorted(set(re.findall(r"__cprof_fn\.(\w+)", assembly)))


def expect(what, cond, detail):
    if not cond:
        raise Fail(f"{what}: {detail}")


def arg(o, key):
    return f"-fplugin-arg-{o.plugin_name}-{key}"


def check_all(o):
    rc, _, err = compile_c(o, "__attribute__((profile)) int f(int x) { return x; }\n"
                              "[[gnu::profile]] int g(int x) { return x; }\n", ["-std=c2x", "-Werror"])
    expect("attribute on functions", rc == 0 and not err.strip(), f"rc={rc} stderr={err!r}")

    rc, _, err = compile_c(o, "__attribute__((profile)) int v;\n")
    expect("attribute on a variable warns", rc == 0 and "profile" in err and "warning" in err,
           f"rc={rc} stderr={err!r}")

    rc, _, err = compile_c(o, "__attribute__((profile(1))) int f(int x) { return x; }\n")
    expect("attribute with arguments is an error", rc != 0 and "profile" in err,
           f"rc={rc} stderr={err!r}")

    rc, _, err = compile_c(o, "int f(void) { return 0; }\n", [arg(o, "bogus")])
    expect("unknown plugin argument is an error naming it", rc != 0 and "bogus" in err,
           f"rc={rc} stderr={err!r}")

    for first, second in (("no-lines", "line-hits"), ("timed-lines", "counts-only"),
                          ("line-hits", "timed-lines"), ("no-lines", "timed-lines")):
        rc, _, err = compile_c(o, "int f(void) { return 0; }\n",
                               [arg(o, first), arg(o, second)])
        expect(f"{first} with {second} is an error naming both",
               rc != 0 and "contradict" in err and arg(o, first) in err
               and arg(o, second) in err, f"rc={rc} stderr={err!r}")

    three = "int a(int x) { return x; }\nint b(int x) { return x; }\nint c(int x) { return x; }\n"
    for names in ("a,b", "a, b", " a ,b,", "a,,b"):
        rc, asm, err = compile_c(o, three, [arg(o, "functions=" + names)], step="-S")
        expect(f"functions={names} profiles a and b", rc == 0 and profiled(asm) == ["a", "b"],
               f"rc={rc} profiled={profiled(asm)} stderr={err!r}")

    rc, out, err = compile_c(o, "int f(void) { return 0; }\n", [arg(o, "help")])
    usages = [use for _, use, _, _ in options_table.read_table(SOURCE_DIR)]
    listed = [line.split()[0] for line in out.split("\n") if line.strip()]
    expect("help lists the arguments of options.def", rc == 0 and listed == usages,
           f"rc={rc} listed={listed} stderr={err!r}")

    # Inline counters have CPROF_LINE_HITS_MAX (65536) slots at most.
    long_fn = "__attribute__((profile)) int f(int x) {\n  x++;\n" + "\n" * 65536 + \
              "  return x;\n}\n"
    for mode, warns in ((None, True), ("line-hits", True), ("timed-lines", False)):
        rc, asm, err = compile_c(o, long_fn, [arg(o, mode)] if mode else [], step="-S")
        expect(f"{mode or 'the default mode'} on a function over 65536 lines "
               f"{'warns' if warns else 'does not warn'}",
               rc == 0 and ("spans more than 65536 lines" in err) == warns,
               f"rc={rc} stderr={err!r}")
        expect(f"{mode or 'the default mode'} on a function over 65536 lines: "
               "line probes kept", warns or "__cprof_line" in asm, f"rc={rc} stderr={err!r}")

    probe = "#ifndef __CPROF__\n#error no __CPROF__\n#endif\nint ok;\n"
    rc, _, err = compile_c(o, probe)
    expect("__CPROF__ defined", rc == 0, f"rc={rc} stderr={err!r}")
    rc, out, err = compile_c(o, "#ifdef __CPROF__\nyes_cprof\n#endif\n", step="-E")
    # Clang 14 runs no plugin action for -E: there it must only not fail.
    defined = "yes_cprof" in out or o.plugin_name == "cprof_clang"
    expect("__CPROF__ defined under -E", rc == 0 and defined, f"rc={rc} stderr={err!r}")

    program = "__attribute__((profile)) int main(void) { return 0; }\n"
    rc, _, err = compile_c(o, program, step="link")
    rc_plain, _, err_plain = compile_c(o, "int main(void) { return 0; }\n", step="link")
    expect("a link without -lcprof names what to add",
           rc != 0 and "__cprof_runtime__link_with_lcprof" in err, f"rc={rc} stderr={err!r}")
    expect("nothing profiled needs no -lcprof", rc_plain == 0, f"rc={rc_plain} stderr={err_plain!r}")

    header = '#include "cprof.h"\nCPROF_PROFILE int f(int x) { return x; }\n'
    rc, _, err = compile_c(o, header, ["-Werror"], plugin=False)
    expect("CPROF_PROFILE without the plugin", rc == 0 and not err.strip(), f"rc={rc} stderr={err!r}")


if __name__ == "__main__":
    sys.exit(toolchain_test.main(__doc__, "diagnostics", check_all))
