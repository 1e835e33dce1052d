/*
 * report_sampled.h - the sampled functions in the text and JSON reports
 * (report_sampled.c); both print nothing when no file was sampled.
 */
#ifndef CPROF_READ_REPORT_SAMPLED_H
#define CPROF_READ_REPORT_SAMPLED_H

#include <stdio.h>

#include "cprof-read/report.h"

/* The table after pstats' (report_stats calls it). */
void report_sampled(FILE *out, const struct stats *s,
                    const struct report_opts *o);

/* A ",\"sampled\":{...}" member for report_json's top-level object. */
void report_sampled_json(FILE *out, const struct stats *s);

#endif
