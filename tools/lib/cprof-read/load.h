/*
 * load.h - profiles from files into one merged, finished struct stats.
 */
#ifndef CPROF_READ_LOAD_H
#define CPROF_READ_LOAD_H

#include "cprof-read/stats.h"

/*
 * Loads, checks and merges files[0..n) into s (initialised, its settings
 * made), then finishes it.  Stops at the first bad file after printing
 * "prstats: FILE: problem"; returns 0 or -1.
 */
int load_files(struct stats *s, char *const *files, int n);

#endif /* CPROF_READ_LOAD_H */
