#!/usr/bin/env python3
"""cprof installed, then used only from the install.

1. `cmake --install` into a temporary prefix: every part is there, and a
   program builds and profiles through pkg-config, through a CMake project
   (find_package(cprof), cprof_instrument, both compilers, shared and
   static runtime) and through the installed driver; the programs' RUNPATH
   names the prefix, never the build tree.
2. The Debian package from `cpack -G DEB`: its dependencies name the
   gcc-12 it was built for; unpacked with `dpkg-deb -x`, it is used the
   same way; as root (and when cprof is not installed already), it is
   installed with `dpkg -i`, `gcc -fplugin=cprof` works by the short name,
   and it is purged again.
work() runs CALLS times in every program: counts are exact.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

CALLS = 9
PROG = r"""
#include "cprof.h"
CPROF_PROFILE static int work(int n) { return n * 3; }
int main(void) { int s = 0; for (int i = 0; i < %d; i++) s += work(i); return s != 108; }
""" % CALLS
CMAKE_PROJECT = """cmake_minimum_required(VERSION 3.20)
project(user C)
find_package(cprof 0.1 REQUIRED)
add_executable(app prog.c)
cprof_instrument(app FUNCTIONS work)
add_executable(app_static prog.c)
cprof_instrument(app_static STATIC MODE no-lines)
"""
failures = []


def check(cond, what, detail=""):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
        print(detail[-3000:])
    return cond


def run(cmd, cwd=None, env=None):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    return r.returncode, r.stdout + r.stderr


def calls_of_work(prstats, profile):
    rc, out = run([prstats, profile])
    m = re.search(r"^\s*(\S+)\s+.*\(work\)$", out, re.M)
    return m.group(1) if m else out


def runpath(exe):
    rc, out = run(["readelf", "-d", exe])
    m = re.search(r"\((?:RUNPATH|RPATH)\).*\[(.*)\]", out)
    return m.group(1) if m else ""


def profiled(prefix, exe, what, cwd):
    """Runs exe; its profile has work() CALLS times; its runtime is from prefix."""
    out = os.path.join(cwd, os.path.basename(exe) + ".out")
    rc, text = run([exe], cwd=cwd, env=dict(os.environ, CPROF_OUT=out))
    check(rc == 0, what + ": runs", text)
    prstats = os.path.join(prefix, "bin", "prstats")
    check(calls_of_work(prstats, out) == str(CALLS), what + ": work() %d calls" % CALLS,
          calls_of_work(prstats, out))


def expect_files(prefix, what):
    for rel in ["bin/cprof", "bin/prstats", "lib/libcprof.so", "lib/libcprof.a",
                "lib/cprof/cprof.so", "lib/cprof/cprof_clang.so", "include/cprof.h",
                "include/cprof/abi.h", "include/cprof/format.h",
                "lib/pkgconfig/cprof.pc", "lib/cmake/cprof/cprof-config.cmake",
                "share/man/man1/cprof.1", "share/man/man1/prstats.1",
                "share/doc/cprof/README.md", "share/bash-completion/completions/cprof"]:
        check(os.path.exists(os.path.join(prefix, rel)), "%s: %s installed" % (what, rel))


def use_prefix(prefix, wd, cc, clang, what):
    """Builds and profiles with pkg-config, CMake and the driver from prefix."""
    os.makedirs(wd, exist_ok=True)
    with open(os.path.join(wd, "prog.c"), "w") as f:
        f.write(PROG)
    pc = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, "lib", "pkgconfig"))
    rc, plugin = run(["pkg-config", "--variable=gcc_plugin", "cprof"], env=pc)
    rc2, flags = run(["pkg-config", "--cflags", "--libs", "cprof"], env=pc)
    if check(rc == 0 and rc2 == 0, what + ": pkg-config cprof", plugin + flags):
        rc, out = run([cc, "-fplugin=" + plugin.strip(), "-O2", "prog.c", "-o", "pc_app"]
                      + flags.split(), cwd=wd)
        check(rc == 0, what + ": pkg-config build", out)
        check(runpath(os.path.join(wd, "pc_app")).startswith(os.path.realpath(prefix))
              or runpath(os.path.join(wd, "pc_app")).startswith(prefix),
              what + ": pkg-config RUNPATH in the prefix", runpath(os.path.join(wd, "pc_app")))
        profiled(prefix, os.path.join(wd, "pc_app"), what + ": pkg-config program", wd)

    with open(os.path.join(wd, "CMakeLists.txt"), "w") as f:
        f.write(CMAKE_PROJECT)
    for compiler in (cc, clang):
        bd = os.path.join(wd, "cmake-" + os.path.basename(compiler))
        rc, out = run(["cmake", "-S", wd, "-B", bd, "-DCMAKE_C_COMPILER=" + compiler,
                       "-DCMAKE_PREFIX_PATH=" + prefix])
        if not check(rc == 0, "%s: find_package(cprof) with %s" % (what, compiler), out):
            continue
        rc, out = run(["cmake", "--build", bd])
        check(rc == 0, "%s: cprof_instrument build with %s" % (what, compiler), out)
        for exe in ("app", "app_static"):
            profiled(prefix, os.path.join(bd, exe), "%s: CMake %s, %s" % (what, exe, compiler), bd)

    driver = os.path.join(prefix, "bin", "cprof")
    for compiler in (cc, clang):
        exe = os.path.join(wd, "drv_" + os.path.basename(compiler))
        rc, out = run([driver, compiler, "-O2", "prog.c", "-o", exe], cwd=wd)
        check(rc == 0, "%s: driver with %s" % (what, compiler), out)
        check(runpath(exe).startswith(prefix), "%s: driver RUNPATH in the prefix" % what, runpath(exe))
        profiled(prefix, exe, "%s: driver program, %s" % (what, compiler), wd)


def deb_tests(build, wd, cc, clang):
    rc, out = run(["cpack", "-G", "DEB", "-B", os.path.join(wd, "pkg")], cwd=build)
    debs = glob.glob(os.path.join(wd, "pkg", "*.deb"))
    if not check(rc == 0 and len(debs) == 1, "cpack -G DEB", out):
        return
    deb = debs[0]
    rc, info = run(["dpkg-deb", "-f", deb, "Depends"])
    check(re.search(r"gcc-12 \(= 12\.", info) is not None, "deb depends on its gcc-12", info)
    root = os.path.join(wd, "unpacked")
    rc, out = run(["dpkg-deb", "-x", deb, root])
    check(rc == 0, "dpkg-deb -x", out)
    prefix = os.path.join(root, "usr")
    expect_files(prefix, "deb")
    link = glob.glob(os.path.join(root, "usr/lib/gcc/*/*/plugin/cprof.so"))
    check(len(link) == 1 and os.path.realpath(link[0]) ==
          os.path.realpath(os.path.join(prefix, "lib/cprof/cprof.so")),
          "deb: GCC's plugin directory links to lib/cprof/cprof.so", str(link))
    use_prefix(prefix, os.path.join(wd, "deb-use"), cc, clang, "deb")
    system_install(deb, os.path.join(wd, "dpkg"), cc)


def system_install(deb, wd, cc):
    if os.geteuid() != 0:
        print("skip dpkg -i: not root")
        return
    if run(["dpkg-query", "-W", "-f=${Status}", "cprof"])[1] == "install ok installed":
        print("skip dpkg -i: a cprof package is installed already")
        return
    rc, out = run(["dpkg", "-i", deb])
    if not check(rc == 0, "dpkg -i", out):
        return
    try:
        os.makedirs(wd, exist_ok=True)
        with open(os.path.join(wd, "prog.c"), "w") as f:
            f.write(PROG)
        rc, out = run([cc, "-fplugin=cprof", "-O2", "prog.c", "-lcprof", "-o", "app"], cwd=wd)
        check(rc == 0, "installed: gcc -fplugin=cprof by short name", out)
        profiled("/usr", os.path.join(wd, "app"), "installed: program", wd)
    finally:
        rc, out = run(["dpkg", "--purge", "cprof"])
        check(rc == 0, "dpkg --purge cprof", out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--clang", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    prefix = os.path.join(a.workdir, "prefix")
    rc, out = run(["cmake", "--install", a.build, "--prefix", prefix])
    if check(rc == 0, "cmake --install", out):
        expect_files(prefix, "prefix")
        use_prefix(prefix, os.path.join(a.workdir, "prefix-use"), a.cc, a.clang, "prefix")
    deb_tests(a.build, a.workdir, a.cc, a.clang)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
