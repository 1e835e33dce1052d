/*
 * harness.h - test helpers: builder profiles through the real reader.
 */
#ifndef TEST_HARNESS_H
#define TEST_HARNESS_H

#include <stdio.h>

#include "builder.h"
#include "cprof-read/report.h"
#include "cprof-read/stats.h"

/* Builds b's bytes, reads them with prof_parse and merges them into s. */
void th_add(struct stats *s, const struct fb *b);

/* A fresh s holding b alone (raw: no probe-cost correction), finished. */
void th_load(struct stats *s, const struct fb *b, int raw);

/* The function named `name`; fails unless exactly one has it. */
const struct stats_func *th_func(const struct stats *s, const char *name);

/* The edge caller -> callee, found through the callee's callers list. */
const struct stats_edge *th_edge(const struct stats *s, const char *caller,
                                 const char *callee);

/* Runs a report into a malloc'ed string. */
char *th_render(report_fn *fn, const struct stats *s,
                const struct report_opts *o);

/* Report options: sorted by `keys`, precision 6, unit 1e-6, no files. */
struct report_opts th_opts(const char *keys);

#endif /* TEST_HARNESS_H */
