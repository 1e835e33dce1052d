#!/usr/bin/env python3
"""Bad input: prstats must answer every damaged or wrong file with exit
status 1 and one stderr line "prstats: FILE: problem", and never crash.

The damaged files derive from a genuine profile written by libcprof
(fixture.c).  Besides the named cases, random single-byte changes with a
checksum repaired by reseal.c (format.h's own checksum) reach the checks
behind the checksum: at least PAST_CHECKSUM of them must meet another
answer than "checksum mismatch".  Under --valgrind a sample also runs
under memcheck."""
import os
import random
import struct
import sys

import cli

# Offsets in struct cprof_file_header (include/cprof/format.h).
VERSION_AT = 8
# The share of resealed mutations that must get past the checksum.
PAST_CHECKSUM = 0.8


def write(args, name, data):
    path = os.path.join(args.workdir, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def named_cases(args, good):
    """(name, path, words the message must hold) for each kind of damage."""
    body = len(good) // 2
    newer = bytearray(good)
    (version,) = struct.unpack_from("<I", good, VERSION_AT)
    struct.pack_into("<I", newer, VERSION_AT, version + 1)
    flipped = bytearray(good)
    flipped[body] ^= 0x40
    adir = os.path.join(args.workdir, "a-directory")
    os.mkdir(adir)
    return [
        ("missing", os.path.join(args.workdir, "missing.out"),
         "cannot open: No such file or directory"),
        ("empty", write(args, "empty.out", b""), "empty file"),
        ("directory", adir, "is a directory"),
        ("text", write(args, "text.out", b"int main(void) { return 0; }\n"),
         "not a cprof profile"),
        ("short", write(args, "short.out", good[:20]), "truncated"),
        ("truncated", write(args, "truncated.out", good[:body]), "truncated"),
        ("trailing", write(args, "trailing.out", good + b"\0" * 8),
         "data after the end"),
        ("corrupted", write(args, "corrupted.out", bytes(flipped)),
         "corrupted: checksum mismatch"),
        ("newer", write(args, "newer.out", bytes(newer)),
         "format version %d is newer than this prstats understands (%d)"
         % (version + 1, version)),
    ]


def check_failure(t, r, path, words):
    """Exit 1, stdout empty, exactly one stderr line naming the file."""
    lines = r.stderr.splitlines()
    ok = (r.returncode == 1 and r.stdout == "" and len(lines) == 1 and
          lines[0].startswith("prstats: %s: " % path) and words in lines[0])
    return t.check(ok, "%s: exit %d, stderr %r" % (path, r.returncode,
                                                    r.stderr))


def check_named(t, args, cases, good_path):
    for _, path, words in cases:
        for fmt in ("text", "json"):
            check_failure(t, cli.run([args.prstats, "-f", fmt, path]), path,
                          words)
        # A bad file among good ones still stops the run, named.
        check_failure(t, cli.run([args.prstats, good_path, path]), path, words)
    return 3 * len(cases)


def mutations(args, good, rng, count, name):
    """Files with one byte past the magic changed and the checksum
    repaired: (offset changed, path), the i-th written to NAME.format(i)."""
    for i in range(count):
        data = bytearray(good)
        at = rng.randrange(8, len(data))
        data[at] = rng.choice([0, 0xff, data[at] ^ (1 << rng.randrange(8))])
        path = write(args, name.format(i), bytes(data))
        r = cli.run([args.reseal, path])
        if r.returncode != 0:
            sys.exit("reseal failed (%d): %s" % (r.returncode, r.stderr))
        yield at, path


def check_mutations(t, args, good, count):
    """Any answer but a crash: exit 0, or exit 1 with one stderr line; and
    most answers come from behind the checksum."""
    past = 0
    for at, path in mutations(args, good, random.Random(1234), count,
                              "mutated.out"):
        r = cli.run([args.prstats, "-f", "json", path])
        lines = r.stderr.splitlines()
        t.check(r.returncode == 0 and not lines or
                r.returncode == 1 and len(lines) == 1,
                "byte %d changed: exit %d, stderr %r" % (at, r.returncode,
                                                          r.stderr))
        past += "checksum mismatch" not in r.stderr
    print("%d of %d resealed mutations got past the checksum" % (past, count))
    t.check(past >= PAST_CHECKSUM * count,
            "only %d of %d resealed mutations got past the checksum "
            "(at least %d%% must)" % (past, count, PAST_CHECKSUM * 100))
    for size in range(0, len(good), 7):  # every 7th truncation length
        write(args, "mutated.out", good[:size])
        check_failure(t, cli.run([args.prstats, path]), path,
                      "empty" if size == 0 else "truncated")
    return count + 1 + len(range(0, len(good), 7))


def check_valgrind(t, args, cases, good):
    """Memory errors are exit status 99; bad input must stay a clean 1."""
    vg = [args.valgrind, "-q", "--error-exitcode=99", "--leak-check=full",
          "--errors-for-leak-kinds=definite"]
    paths = [p for _, p, _ in cases]
    paths += [path for _, path in mutations(args, good, random.Random(99), 20,
                                            "vg-{}.out")]
    for path in paths:
        r = cli.run(vg + [args.prstats, "-f", "json", path])
        t.check(r.returncode in (0, 1), "valgrind on %s: exit %d\n%s"
                % (path, r.returncode, r.stderr))
    return len(paths)


def main():
    args = cli.parse_args(__doc__)
    t = cli.Failures()
    good_path = cli.make_profile(args, "good.out")
    with open(good_path, "rb") as f:
        good = f.read()
    ok = cli.run([args.prstats, good_path])
    t.check(ok.returncode == 0, "the genuine profile reads: " + ok.stderr)
    cases = named_cases(args, good)
    n = 1 + check_named(t, args, cases, good_path)
    n += check_mutations(t, args, good, 300)
    if args.valgrind:
        n += check_valgrind(t, args, cases, good)
    t.finish(n)


if __name__ == "__main__":
    main()
