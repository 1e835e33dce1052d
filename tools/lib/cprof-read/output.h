/*
 * output.h - where a report goes: stdout, or a file replaced atomically.
 */
#ifndef CPROF_READ_OUTPUT_H
#define CPROF_READ_OUTPUT_H

#include <stdio.h>

/* Writes a report to out; 0, or -1 after printing one "prstats:" line. */
typedef int output_fn(FILE *out, const void *ctx);

/*
 * Runs write(out, ctx) with out stdout (path NULL) or a temporary in
 * path's directory, then checks that every write succeeded and renames
 * the temporary over path.  When write fails the temporary is removed and
 * path is left untouched.  Returns 0, or -1 after printing one "prstats:"
 * line.
 */
int output_write(const char *path, output_fn *write, const void *ctx);

#endif /* CPROF_READ_OUTPUT_H */
