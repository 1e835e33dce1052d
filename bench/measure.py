"""measure.py - running the jobs interleaved, and their statistics.

A job is one (variant, workload, size).  Every round runs every job once,
in a fresh random order, so that whatever else the machine is doing falls
on all variants alike; a job's figure is the median of its rounds.
"""
import os
import random
import resource
import statistics
import subprocess
import sys
import time

TIMEOUT = 600  # seconds for one run of one job


class Job:
    def __init__(self, variant, workload, size, exe, work):
        self.variant = variant
        self.workload = workload
        self.size = size
        self.args = workload.sizes[size]
        self.exe = exe
        self.work = work  # the job's own directory: profiles, traces
        self.times = {"wall": [], "cpu": [], "proc": []}
        self.error = None

    @property
    def key(self):
        return (self.variant.key, self.workload.key, self.size)

    def run_once(self):
        """Runs the program once; returns {"wall": s, "cpu": s} of the timed
        region it reports, or of the whole process (CPU time of it and its
        children), and always "proc": the CPU time of the whole process and
        its children (a tracer's recorder included)."""
        cmd = self.variant.command(self.exe, self.args, self.work)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        r = subprocess.run(cmd, cwd=self.work, env=self.variant.run_env(self.work),
                           capture_output=True, text=True, timeout=TIMEOUT)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r.returncode != 0:
            raise RuntimeError("%s exited with %d: %s" % (" ".join(cmd), r.returncode,
                                                         r.stderr.strip()[-300:]))
        proc = (after.ru_utime + after.ru_stime) - \
            (before.ru_utime + before.ru_stime)
        if self.workload.timing == "process":
            return {"wall": wall, "cpu": proc, "proc": proc}
        for line in r.stdout.splitlines():
            if line.startswith("bench "):
                fields = line.split()
                return {"wall": float(fields[2]), "cpu": float(fields[3]),
                        "proc": proc}
        raise RuntimeError("no \"bench\" line from " + " ".join(cmd))

    def median(self, clock=None):
        return statistics.median(self.times[clock or self.variant.clock])

    def spread(self, clock=None):
        """(max - min) / median of the rounds: how noisy this job was."""
        t = self.times[clock or self.variant.clock]
        return (max(t) - min(t)) / statistics.median(t)


def run_rounds(jobs, runs, load, seed=1):
    """Runs every job `runs` times, interleaved; drops jobs that fail.
    Appends the load average after each round to `load`."""
    rng = random.Random(seed)
    for r in range(runs):
        order = [j for j in jobs if not j.error]
        rng.shuffle(order)
        t = time.time()
        for job in order:
            try:
                for clock, secs in job.run_once().items():
                    job.times[clock].append(secs)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                job.error = str(e)
                print("bench: dropped %s: %s" % ("/".join(job.key), e),
                      file=sys.stderr)
        load.append(os.getloadavg()[0])
        print("bench: round %d of %d took %.0f s (load %.1f)"
              % (r + 1, runs, time.time() - t, load[-1]), file=sys.stderr)
    return [j for j in jobs if not j.error]
