/*
 * report_sampled.h - the sampled stacks in the text and JSON reports
 * (report_sampled.c); both print nothing when no file was sampled.
 */
#ifndef CPROF_READ_REPORT_SAMPLED_H
#define CPROF_READ_REPORT_SAMPLED_H

#include <stdio.h>

#include "cprof-read/report.h"

/* Lines under pstats' summary, each after `indent`: the samples, that the
 * sampled rows count no calls, what was cut or lost. */
void report_sampled_notes(FILE *out, const struct stats *s, const char *indent);

/* A ",\"sampled\":{...}" member for report_json's top-level object. */
void report_sampled_json(FILE *out, const struct stats *s);

#endif
