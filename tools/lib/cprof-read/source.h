/*
 * source.h - the text of a source file, split into lines, for -l.
 */
#ifndef CPROF_READ_SOURCE_H
#define CPROF_READ_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct source {
  char *path;     /* NULL: nothing loaded */
  char error[96]; /* why the text is missing, "" when it is here */
  char *text;     /* the file, each line end replaced by a NUL */
  char **line;    /* line[k] is source line k + 1 */
  size_t nlines;
};

/*
 * Makes `src` hold `path`, reading it unless it is already the one held
 * (the line report visits functions file by file).  On failure src->error
 * says why, and every line reads as "".
 */
void source_load(struct source *src, const char *path);

/* Text of 1-based line `lineno`, "" past the end or without the file. */
const char *source_line(const struct source *src, uint32_t lineno);

void source_free(struct source *src);

#endif /* CPROF_READ_SOURCE_H */
