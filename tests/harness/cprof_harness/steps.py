"""Running a step of a test, and reporting how the test went."""

import os
import subprocess
import sys

TIMEOUT = 120  # seconds for any one step; the whole suite runs in minutes
SKIP = 77  # ctest's SKIP_RETURN_CODE where a test may be skipped


class TestError(Exception):
    """A failed check, or a step that failed to run."""


class Skip(Exception):
    """The test cannot run here: exit with SKIP."""


def unavailable(reason):
    """What a test raises when something it needs is missing: a skip on a
    developer's machine, a failure under CI (CI=true), where everything
    the tests need must be there."""
    if os.environ.get("CI") == "true":
        return TestError(f"{reason} (a failure under CI=true)")
    return Skip(reason)


def expect(what, got, want):
    """A check of an exact value: a mismatch is a failed test."""
    if got != want:
        raise TestError(f"{what}: expected {want!r}, got {got!r}")


def run(cmd, what, **kwargs):
    """Runs a step, returns its stdout; a failure raises TestError with its output."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, **kwargs)
    except subprocess.TimeoutExpired:
        raise TestError(f"{what} timed out after {TIMEOUT} s: {' '.join(cmd)}")
    except OSError as err:
        raise TestError(f"{what}: cannot run {cmd[0]}: {err.strerror}")
    if proc.returncode != 0:
        raise TestError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                        f"{proc.stdout}{proc.stderr}")
    return proc.stdout


def run_test(label, body, *args):
    """Runs body(*args) and says how it went under `label`; returns the exit status.

    body raises TestError at a failure it cannot go on from, or returns
    the failures of checks that all ran (each is printed), or raises Skip.
    """
    try:
        failures = body(*args) or []
    except Skip as why:
        print(f"SKIP: {label}: {why}")
        return SKIP
    except TestError as err:
        failures = [str(err)]
    for failure in failures:
        print(f"FAIL: {label}: {failure}", file=sys.stderr)
    if failures:
        return 1
    print(f"PASS: {label}")
    return 0
