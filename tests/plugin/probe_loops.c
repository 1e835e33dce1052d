/*
 * probe_loops.c - loops whose line probes tests/plugin/probes.py counts
 * (built with the plugin; probe_counter.c stands in for the runtime).
 */
#include "cprof.h"

/* The line never changes while the loop runs: no probe is needed in it. */
CPROF_PROFILE long one_line(long n)
{
  long s = 0;
  for (long i = 0; i < n; i++) s += i * i;
  return s;
}

/* Each iteration moves to the body and back to the header: two probes.
   The body has no closed form, so the loop stays a loop at -O2. */
CPROF_PROFILE long two_lines(long n)
{
  unsigned long s = 0; /* wraps: no overflow for the sanitizers */
  for (long i = 0; i < n; i++)
    s = s * 31 + ((unsigned long)i ^ s);
  return (long)s;
}
