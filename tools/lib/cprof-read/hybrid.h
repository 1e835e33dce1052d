/*
 * hybrid.h - a program built with cprof and sampled too (CPROF_SAMPLE):
 * the sampled time that fell outside its profiled functions (the C
 * library, libm, code built without the plugin) becomes rows of the
 * merged profile under the profiled call it ran in (hybrid.c).
 */
#ifndef CPROF_READ_HYBRID_H
#define CPROF_READ_HYBRID_H

#include "cprof-read/profile.h"
#include "cprof-read/stats.h"

/* After cct_add of the same file; fmap as cct_add's. */
void hybrid_add(struct stats *s, const struct prof_file *pf,
                const uint32_t *fmap);

#endif
