/*
 * browse.h - pstats' interactive profile browser (`prstats -i`).
 */
#ifndef PRSTATS_BROWSE_H
#define PRSTATS_BROWSE_H

#include "cli.h"

/*
 * Reads commands from stdin until quit or end of input: with GNU readline
 * (line editing, history, completion) on a terminal, line by line from a
 * pipe.  Returns 0.
 */
int browse(const struct cli *c);

#endif /* PRSTATS_BROWSE_H */
