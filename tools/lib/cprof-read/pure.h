/*
 * pure.h - the sampled stacks that fell in no profiled call (every stack
 * of a program not built with cprof, run with CPROF_SAMPLE) as rows of the
 * merged profile: functions, caller -> callee edges, call paths and line
 * samples, times from the samples, no calls counted (pure.c).
 */
#ifndef CPROF_READ_PURE_H
#define CPROF_READ_PURE_H

#include "cprof-read/profile.h"
#include "cprof-read/stats.h"

/* After sampled_add of the same file (stats_add calls it). */
void pure_add(struct stats *s, const struct prof_file *pf);

#endif
