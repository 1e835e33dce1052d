"""The toolchain under test and the commands it implies.

tests/CMakeLists.txt gives every test driver the same options: the C and
C++ drivers, the plugin and its name, the runtime's directory and how to
link it (shared with an rpath, or libcprof.a), prstats, the -O level and
a work directory.  add_toolchain_args() declares them,
parse_toolchain_args() reads them.
"""

import os
import re
import sys

from .steps import run

OPT_LEVELS = ("-O0", "-O1", "-O2", "-O3", "-Os")
RUNTIMES = ("shared", "static")
INCLUDE_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                            "..", "..", "..", "include"))


def add_toolchain_args(parser):
    parser.add_argument("--cc", required=True, help="C driver")
    parser.add_argument("--cxx", help="C++ driver (default: derived from --cc)")
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--plugin-name", required=True, choices=["cprof", "cprof_clang"])
    parser.add_argument("--rt-dir", required=True, help="directory of libcprof")
    parser.add_argument("--runtime", choices=RUNTIMES, default="shared",
                        help="link libcprof.so (with an rpath) or libcprof.a")
    parser.add_argument("--prstats", required=True)
    parser.add_argument("--opt", required=True, choices=OPT_LEVELS,
                        help="written --opt=-O2 (or --opt -O2)")
    parser.add_argument("--workdir", required=True)


def glue_opt(argv):
    """argparse takes the '-O2' of '--opt -O2' for an option: make it --opt=-O2."""
    out = []
    for arg in argv:
        if out and out[-1] == "--opt":
            out[-1] = "--opt=" + arg
        else:
            out.append(arg)
    return out


# A C driver's name: gcc, clang, cc, perhaps with a target before it and a
# version after it (x86_64-linux-gnu-gcc-12).
C_DRIVER = re.compile(r"(?P<target>[\w.-]*-)?(?P<cc>gcc|clang|cc)(?P<version>-[\d.]+)?")
CXX_OF = {"gcc": "g++", "clang": "clang++", "cc": "c++"}


def cxx_driver(cc):
    """The C++ driver that goes with the C driver CC (a name or a path)."""
    head, name = os.path.split(cc)
    m = C_DRIVER.fullmatch(name)
    if not m:
        return cc
    return os.path.join(head, (m["target"] or "") + CXX_OF[m["cc"]] + (m["version"] or ""))


def parse_toolchain_args(parser):
    """The command line, with --opt glued, --cxx derived when not given and
    --rt-dir absolute (an rpath relative to the work directory finds nothing)."""
    opts = parser.parse_args(glue_opt(sys.argv[1:]))
    opts.rt_dir = os.path.abspath(opts.rt_dir)
    if opts.cxx is None:
        opts.cxx = cxx_driver(opts.cc)
    return opts


def describe(opts):
    """'gcc -O2, shared runtime': the toolchain in a test's report."""
    return f"{os.path.basename(opts.cc)} {opts.opt}, {opts.runtime} runtime"


def env_cflags():
    """Flags every test program gets: cprof.h's directory, and e.g.
    -fsanitize=address from a sanitizer build (CPROF_TEST_CFLAGS, set by
    tests/CMakeLists.txt)."""
    return [f"-I{INCLUDE_DIR}"] + os.environ.get("CPROF_TEST_CFLAGS", "").split()


def plugin_args(opts, args):
    """Plugin arguments written for the GCC plugin (-fplugin-arg-cprof-KEY),
    renamed for the plugin under test."""
    return [a.replace("-fplugin-arg-cprof-", f"-fplugin-arg-{opts.plugin_name}-", 1)
            for a in args]


def runtime_flags(opts):
    """Linker arguments for the runtime.  The static one has no rpath, so a
    program that linked libcprof.so by mistake fails to start."""
    if opts.runtime == "static":
        return [os.path.join(opts.rt_dir, "libcprof.a"), "-pthread"]
    return [f"-L{opts.rt_dir}", f"-Wl,-rpath,{opts.rt_dir}", "-lcprof"]


def compile_program(opts, sources, exe, args=(), cflags=(), lang=None, link=()):
    """Compiles and links SOURCES into EXE with the plugin and ARGS (its
    arguments, GCC spelling), at the -O level, with -Wall -Werror and the
    runtime.  LANG ("c" or "c++") picks the driver and is passed as -x;
    without it the driver is the C one and the suffixes decide."""
    driver = opts.cxx if lang == "c++" else opts.cc
    inputs = ["-x", lang, *sources, "-x", "none"] if lang else list(sources)
    run([driver, f"-fplugin={opts.plugin}", *plugin_args(opts, args), opts.opt, *cflags,
         *env_cflags(), "-Wall", "-Werror", *inputs, "-o", exe, *runtime_flags(opts), *link],
        "compile")
