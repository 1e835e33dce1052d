"""projects.py - the real projects tests/real builds and runs, one
description each: the Debian source package, how to compile it (plain
compiler commands, not the package's build system), and the runs that
make its workload.

A project's tree is unpacked by get-debian-source PACKAGE DEST CHECK.
real.py runs a project's steps in a plain and a profiled build and
compares them; bench/real_cost.py times them.
"""
import glob
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

from cprof_harness import steps

JOBS = 2  # the machine has two cores


class Step:
    """One run of one of the project's programs.  ARGS may hold {out}, the
    build's directory; WRITES are files (relative to {out}) the run writes,
    which must be the same in both builds.  STATUS is the exit status the
    plain build must have; GRIND: the run is one of the callgrind test's."""

    def __init__(self, name, prog, args, status=0, writes=(), grind=False):
        self.name, self.prog, self.args = name, prog, args
        self.status, self.writes, self.grind = status, list(writes), grind

    def argv(self, outdir):
        return [a.replace("{out}", outdir) for a in self.args]


def compile_and_link(outdir, sources, programs, flags, link_flags, libs):
    """Compiles every SOURCE (path -> driver) into OUTDIR, two at a time,
    then links each program of PROGRAMS {name: (driver, [its own
    sources])} from its own objects and every object no program owns."""
    own = {src for _, srcs in programs.values() for src in srcs}

    def compile_one(src):
        obj = os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + ".o")
        steps.run([sources[src], *flags, "-c", src, "-o", obj],
                  f"compile {os.path.basename(src)}")
        return obj

    os.makedirs(outdir, exist_ok=True)
    with ThreadPoolExecutor(JOBS) as pool:
        objects = dict(zip(sources, pool.map(compile_one, sources)))
    library = [objects[s] for s in sources if s not in own]
    exes = {}
    for prog, (driver, srcs) in programs.items():
        exes[prog] = os.path.join(outdir, prog)
        steps.run([driver, *flags, *[objects[s] for s in srcs], *library, "-o", exes[prog],
                   *link_flags, *libs], f"link {prog}")
    return exes


def debian_version(source):
    """'5.4.4-3+deb12u1': the Debian version from debian/changelog."""
    try:
        with open(os.path.join(source, "debian", "changelog")) as log:
            first = log.readline()
    except OSError:
        return "unknown version"
    return first[first.find("(") + 1:first.find(")")] if "(" in first else first.strip()


def run_program(exe, args, cwd, env):
    """Runs EXE under the name of its basename (lua and bzip2 print argv[0]
    in their messages, and both builds must print the same); returns
    (status, stdout, stderr) as bytes, whatever the status."""
    try:
        proc = subprocess.run([os.path.basename(exe), *args], executable=exe, cwd=cwd,
                              env=env, capture_output=True, timeout=steps.TIMEOUT)
    except subprocess.TimeoutExpired:
        raise steps.TestError(f"{exe} {' '.join(args)} timed out after {steps.TIMEOUT} s")
    return proc.returncode, proc.stdout, proc.stderr


class Project:
    """What every project has; the subclasses fill in the rest:

    package, check   the Debian source package and a file its tree has
    code             the directory under the tree of the project's own
                     code (callgrind compares functions of files there)
    mask             a regex of stdout that depends on the run (a time),
                     blanked in both builds before they are compared
    implicit         a regex of the symbols of functions the compiler
                     writes, which `all` does not profile and callgrind
                     counts (C1/C2, D1/D2 folded to C*, D*): left out
                     of the callgrind comparison
    build()          compiles the programs, returns {name: path}
    steps()          the workload, a list of Step
    cwd()            the directory the steps run in, made ready for one build
    """
    mask = implicit = None
    code = ""

    def __init__(self, source, data=None):
        self.source, self.data = source, data

    def present(self):
        return os.path.isfile(os.path.join(self.source, self.check))

    def cwd(self, outdir):
        return self.source

    def clean(self, stdout):
        return re.sub(self.mask, b"", stdout) if self.mask else stdout


# Lua's luaconf.h (Debian's) includes lua5.4-deb-multiarch.h, which the
# package's debian/rules writes at build time: written here the same way.
def multiarch_header(cc, include_dir):
    arch = steps.run([cc, "-print-multiarch"], "cc -print-multiarch").strip()
    os.makedirs(include_dir, exist_ok=True)
    with open(os.path.join(include_dir, "lua5.4-deb-multiarch.h"), "w") as out:
        out.write(f'#define DEB_HOST_MULTIARCH "{arch}"\n')


class Lua(Project):
    """Lua 5.4 (lua5.4): lua and luac, with upstream's `make linux` flags;
    the workload is tests/real/scripts/*.lua (DATA), each run from source,
    compiled by luac, and run from that bytecode."""
    package, check, code = "lua5.4", "src/lua.c", "src"
    # Upstream's src/Makefile: CORE_O and LIB_O, then each program's own file.
    LIBRARY = ("lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes "
               "lparser lstate lstring ltable ltm lundump lvm lzio "
               "lauxlib lbaselib lcorolib ldblib liolib lmathlib loadlib loslib lstrlib "
               "ltablib lutf8lib linit").split()
    EXIT = re.compile(rb"^--\s*EXIT:\s*(\d+)\s*$", re.M)

    def build(self, outdir, cc, cxx, flags, link_flags=()):
        include = os.path.join(outdir, "include")
        multiarch_header(cc, include)
        src = os.path.join(self.source, "src")
        files = {os.path.join(src, n + ".c"): cc for n in self.LIBRARY + ["lua", "luac"]}
        progs = {p: (cc, [os.path.join(src, p + ".c")]) for p in ("lua", "luac")}
        return compile_and_link(outdir, files, progs,
                                ["-std=gnu99", "-DLUA_COMPAT_5_3", "-DLUA_USE_LINUX",
                                 *flags, "-I", include],
                                link_flags, ["-Wl,-E", "-lm", "-ldl"])

    def cwd(self, outdir):
        return self.data  # chunk names are the same relative paths in every build

    def steps(self):
        found = sorted(glob.glob(os.path.join(self.data, "*.lua")))
        if not found:
            raise steps.TestError(f"{self.data}: no *.lua scripts")
        out = []
        for script in found:
            name = os.path.basename(script)
            with open(script, "rb") as f:
                m = self.EXIT.search(f.read())
            status = int(m.group(1)) if m else 0
            out += [Step(name, "lua", [name], status, grind=True),
                    Step(name + " (luac)", "luac", ["-o", "{out}/" + name + "c", name],
                         writes=[name + "c"]),
                    Step(name + " (bytecode)", "lua", ["{out}/" + name + "c"], status)]
        return out


class Bzip2(Project):
    """bzip2 1.0.8 (bzip2): libbz2's files and bzip2.c, with the flags of
    its Makefile; the workload is the Makefile's `make test`: the three
    sample files compressed at -1, -2, -3 and the samples' .bz2
    decompressed (-s: the small-memory decoder for the third), and more."""
    package, check = "bzip2", "bzip2.c"
    LIBRARY = "blocksort huffman crctable randtable compress decompress bzlib".split()

    def build(self, outdir, cc, cxx, flags, link_flags=()):
        files = {os.path.join(self.source, n + ".c"): cc for n in self.LIBRARY + ["bzip2"]}
        progs = {"bzip2": (cc, [os.path.join(self.source, "bzip2.c")])}
        return compile_and_link(outdir, files, progs,
                                ["-Wall", "-Winline", "-D_FILE_OFFSET_BITS=64", *flags],
                                link_flags, [])

    def steps(self):
        out = []
        for n, level in (("1", "-1"), ("2", "-2"), ("3", "-3")):
            out.append(Step(f"compress sample{n} {level}", "bzip2",
                            [level, "-c", f"sample{n}.ref"], grind=n == "3"))
        for n, flag in (("1", "-d"), ("2", "-d"), ("3", "-ds")):
            out.append(Step(f"decompress sample{n}.bz2 {flag}", "bzip2",
                            [flag, "-c", f"sample{n}.bz2"], grind=n != "2"))
        # -t tests an archive; a file that is not one fails with status 2.
        out.append(Step("test sample1.bz2", "bzip2", ["-tv", "sample1.bz2"], grind=True))
        out.append(Step("not bzip2 data", "bzip2", ["-dc", "sample1.ref"], status=2,
                        grind=True))
        return out


class Tinyxml2(Project):
    """TinyXML-2 9.0.0 (tinyxml2): tinyxml2.cpp and its test program
    xmltest.cpp, built as the package's CMake build does (no
    TINYXML2_DEBUG); the workload is xmltest, which reads resources/ and
    writes resources/out/.  It prints the time it took to parse dream.xml,
    which is masked."""
    package, check = "tinyxml2", "tinyxml2.cpp"
    mask = rb"\): [0-9.]+ milli-seconds"
    # Deleting destructors (D0), XMLVisitor's implicit constructor and the
    # implicit destructor of xmltest's local struct TestUtil.
    implicit = r"D0Ev$|^_ZN8tinyxml210XMLVisitorC\*Ev$|^_ZZ4mainEN8TestUtilD\*Ev$"
    WRITES = ("bomtest.xml compact.xml dreamout.xml pretty.xml printer.xml printer_1.xml "
              "readme.txt test7.xml textfile.txt utf8testout.xml").split()

    def build(self, outdir, cc, cxx, flags, link_flags=()):
        files = {os.path.join(self.source, n): cxx for n in ("tinyxml2.cpp", "xmltest.cpp")}
        progs = {"xmltest": (cxx, [os.path.join(self.source, "xmltest.cpp")])}
        return compile_and_link(outdir, files, progs, flags, link_flags, [])

    def cwd(self, outdir):
        run = os.path.join(outdir, "run")
        shutil.rmtree(run, ignore_errors=True)
        shutil.copytree(os.path.join(self.source, "resources"),
                        os.path.join(run, "resources"))
        return run

    def steps(self):
        return [Step("xmltest", "xmltest", [], grind=True,
                     writes=["run/resources/out/" + f for f in self.WRITES])]


PROJECTS = {"lua": Lua, "bzip2": Bzip2, "tinyxml2": Tinyxml2}
