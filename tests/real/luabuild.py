"""luabuild.py - builds Lua's interpreter and compiler from a source tree.

Debian's lua5.4 source package, unpacked by get-lua-source, is compiled
here with plain compiler commands (its Makefile builds a libtool shared
library we do not need): every file of src/ into one object, then `lua`
from the library objects and lua.o, `luac` from them and luac.o.  The
flags are those of upstream's `make linux`.
"""
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

from cprof_harness import steps

# Upstream's src/Makefile: CORE_O and LIB_O, then each program's own file.
LIBRARY = ("lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes "
           "lparser lstate lstring ltable ltm lundump lvm lzio "
           "lauxlib lbaselib lcorolib ldblib liolib lmathlib loadlib loslib lstrlib "
           "ltablib lutf8lib linit").split()
PROGRAMS = ("lua", "luac")
CFLAGS = ["-std=gnu99", "-DLUA_COMPAT_5_3", "-DLUA_USE_LINUX"]
LIBS = ["-Wl,-E", "-lm", "-ldl"]
JOBS = 2  # the machine has two cores


def multiarch_header(cc, include_dir):
    """Debian's luaconf.h includes lua5.4-deb-multiarch.h, which the
    package's debian/rules writes at build time: write it the same way."""
    arch = steps.run([cc, "-print-multiarch"], "cc -print-multiarch").strip()
    os.makedirs(include_dir, exist_ok=True)
    with open(os.path.join(include_dir, "lua5.4-deb-multiarch.h"), "w") as out:
        out.write(f'#define DEB_HOST_MULTIARCH "{arch}"\n')


def build(source, outdir, cc, flags, link_flags=()):
    """Compiles lua and luac from SOURCE/src into OUTDIR with CC and FLAGS
    (optimisation, plugin); returns {"lua": path, "luac": path}."""
    src = os.path.join(source, "src")
    include = os.path.join(outdir, "include")
    multiarch_header(cc, include)

    def compile_one(name):
        obj = os.path.join(outdir, name + ".o")
        steps.run([cc, *CFLAGS, *flags, "-I", include, "-c",
                     os.path.join(src, name + ".c"), "-o", obj], f"compile {name}.c")
        return obj

    with ThreadPoolExecutor(JOBS) as pool:
        objects = dict(zip(LIBRARY + list(PROGRAMS),
                           pool.map(compile_one, LIBRARY + list(PROGRAMS))))
    library = [objects[name] for name in LIBRARY]
    exes = {}
    for prog in PROGRAMS:
        exes[prog] = os.path.join(outdir, prog)
        steps.run([cc, *flags, objects[prog], *library, "-o", exes[prog],
                     *link_flags, *LIBS], f"link {prog}")
    return exes


def source_version(source):
    """'5.4.4-3+deb12u1': the Debian version from debian/changelog."""
    try:
        with open(os.path.join(source, "debian", "changelog")) as log:
            first = log.readline()
    except OSError:
        return "unknown version"
    return first[first.find("(") + 1:first.find(")")] if "(" in first else first.strip()


def run_program(exe, args, cwd, env, stdin=None):
    """Runs EXE under the name of its basename (lua prints argv[0] in its
    error messages, and both builds must print the same); returns
    (status, stdout, stderr) as bytes, whatever the status."""
    try:
        proc = subprocess.run([os.path.basename(exe), *args], executable=exe, cwd=cwd,
                              env=env, input=stdin, capture_output=True,
                              timeout=steps.TIMEOUT)
    except subprocess.TimeoutExpired:
        raise steps.TestError(f"{exe} {' '.join(args)} timed out after {steps.TIMEOUT} s")
    return proc.returncode, proc.stdout, proc.stderr
