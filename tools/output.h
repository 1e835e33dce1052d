/*
 * output.h - where a report goes: stdout, or a file replaced atomically.
 */
#ifndef PRSTATS_OUTPUT_H
#define PRSTATS_OUTPUT_H

#include <stdio.h>

struct output {
  FILE *fp;
  const char *path; /* NULL: stdout */
  char *tmp;        /* the temporary file renamed over path at the end */
};

/* Returns 0, or -1 after printing one "prstats:" line. */
int output_open(struct output *out, const char *path);

/*
 * Finishes the report: checks that every write succeeded and, for a file,
 * renames the temporary over `path`.  With ok == 0 (the report failed)
 * the temporary is removed and `path` is left untouched.  Returns 0 or -1
 * after printing one "prstats:" line.
 */
int output_close(struct output *out, int ok);

#endif /* PRSTATS_OUTPUT_H */
