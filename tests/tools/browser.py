#!/usr/bin/env python3
"""pstats' browser (prstats -i): every command through a pipe, then line
editing, history and completion (commands, sort keys, function names)
through a pseudo-terminal."""
import os
import pty
import re
import select
import subprocess
import time

import cli

PROMPT = "prstats% "


def browse(args, commands, *files):
    return subprocess.run([args.prstats, "-i", *files], input=commands,
                          capture_output=True, text=True, timeout=120)


def tables(text):
    """The function names of each stats table in the output, in order."""
    out = []
    for block in text.split("filename:lineno(function)\n")[1:]:
        out.append(re.findall(r"^ +\S+ .*:\d+\((\w+)\)$",
                              block.split("\n\n")[0], re.M))
    return out


def check_pipe(t, args, path):
    cmds = "\n".join([
        "sort", "sort name", "stats 2", "reverse", "stats 1", "sort time",
        "stats fib", "stats [(][fo] 0.5", "callers [(]fib", "callees outer",
        "lines spin", "percentiles 1", "strip", "stats 1", "add " + path,
        "stats 1", "add /nonexistent.out", "stats 1", "read " + path,
        "stats 1", "sort bogus", "stats 1.5", "frobnicate", "help",
        "help lines", "quit", "stats"]) + "\n"
    r = browse(args, cmds, path)
    out, err = r.stdout, r.stderr
    got = tables(out)
    t.check(r.returncode == 0, "exit %d" % r.returncode)
    t.check(out.startswith("Valid sort keys (unique prefixes are "
                           "accepted):\n  calls, ncalls"), "sort lists keys")
    t.check(got[:3] == [["fib", "outer"], ["worker"], ["fib"]],
            "sort name, stats 2, reverse, stats 1, stats fib: %s" % got[:3])
    t.check(got[3:4] == [["fib"]], "stats [(][fo] 0.5: %s" % got[3:4])
    t.check(re.search(r"^\S+:\d+\(fib\) +<- 22066/4 ", out, re.M) and
            re.search(r"^\S+:\d+\(outer\) +-> +1 ", out, re.M),
            "callers, callees")
    t.check(re.search(r"^ +\d+ +1000 .*@spinadd", out, re.M) and
            "Functions with latencies: 1" in out, "lines, percentiles")
    t.check(got[4:] == [["fib"]] * 4, "after strip/add/read: %s" % got[4:])
    t.check(re.search(r" fixture\.c:\d+\(fib\)$", out, re.M) and
            " 44142 function calls" in out and
            out.count(" 22071 function calls") == 6, "strip and add")
    t.check(err.splitlines() == [
        "prstats: /nonexistent.out: cannot open: No such file or directory",
        "prstats: unknown sort key 'bogus' (one of calls, cumtime, "
        "cumulative, filename, line, module, name, ncalls, nfl, pcalls, "
        "stdname, time, tottime)",
        "prstats: restriction '1.5': expected a count of rows, a fraction "
        "between 0 and 1, or a regular expression",
        "prstats: unknown command 'frobnicate' (help lists them)"],
        "stderr: %r" % err)
    t.check(re.search(r"^  strip +drop the directories", out, re.M) and
            out.endswith("lines [FUNC]\n  line_profiler's report, of FUNC "
                         "only when given\n"), "help; nothing after quit")
    r = browse(args, "stats\ncallers\n")
    t.check(r.stdout == "No statistics object is loaded.\n" * 2,
            "no profile: %r" % r.stdout)
    return 12


class Terminal:
    """prstats on a pseudo-terminal: stdin and stdout are a tty."""

    def __init__(self, argv):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(argv[0], argv)

    def read(self, until, timeout=20):
        out, end = b"", time.time() + timeout
        while until.encode() not in out and time.time() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    out += os.read(self.fd, 65536)
                except OSError:
                    break
        return out.decode(errors="replace")

    def type(self, line):
        """Types a line (or control keys); returns what came before the
        next prompt."""
        os.write(self.fd, line.encode())
        return self.read(PROMPT)

    def close(self):
        """Waits for the end (output read to EOF), returns the status."""
        self.read("\0end of output\0", timeout=20)
        status = os.waitpid(self.pid, 0)[1]
        os.close(self.fd)
        return status


def check_terminal(t, args, path):
    term = Terminal([args.prstats, "-i", path])
    t.check("Welcome to the profile statistics browser" in
            term.read(PROMPT), "-i starts the browser on a terminal")
    term.type("sort name\r")
    first = term.type("stats 1\r")
    t.check("restriction <1>" in first, "stats 1 on the terminal")
    # The up arrow brings back "stats 1" from the history.
    again = term.type("\x1b[A\r")
    t.check("restriction <1>" in again and
            re.search(r":\d+\(fib\)", again), "history: up arrow")
    # Tab completes the command and the sort key.
    term.type("rev\t\r")
    term.type("so\tti\t\r")
    done = term.type("stats 1\r")
    t.check("Ordered by: internal time" in done and
            "(reversed)" not in done, "completion: rev<Tab>, so<Tab> ti<Tab>")
    # After "lines", Tab completes a function's name.
    done = term.type("lines sp\t\r")
    t.check("Function: spin at line" in done and
            "Function: fib" not in done, "completion: lines sp<Tab>")
    os.write(term.fd, b"\x04")
    t.check(term.close() == 0, "Ctrl-D ends the browser")
    term = Terminal([args.prstats, "-f", "pstats", path])
    t.check("binary: write it with -o FILE" in term.read("\n"),
            "pstats format refused on a terminal")
    t.check(os.WEXITSTATUS(term.close()) == 2, "exit 2")
    return 7


def check_valgrind(t, args, path):
    """A session under memcheck: no error, no definite leak."""
    if not args.valgrind:
        return 0
    vg = [args.valgrind, "-q", "--error-exitcode=99", "--leak-check=full",
          "--errors-for-leak-kinds=definite"]
    cmds = ("sort time\nstats 2\nstrip\nadd %s\ncallers 1\nlines\n"
            "percentiles fib\nadd /nonexistent\nread %s\nsort x\nstats 2.5\n"
            "quit\n" % (path, path))
    r = subprocess.run(vg + [args.prstats, "-i", path], input=cmds,
                       capture_output=True, text=True, timeout=300)
    t.check(r.returncode == 0, "valgrind: exit %d\n%s" % (r.returncode,
                                                          r.stderr))
    return 1


def main():
    args = cli.parse_args(__doc__)
    t = cli.Failures()
    path = cli.make_profile(args, "fixture.out")
    n = check_pipe(t, args, path)
    n += check_terminal(t, args, path)
    n += check_valgrind(t, args, path)
    t.finish(n)


if __name__ == "__main__":
    main()
