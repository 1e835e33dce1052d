/*
 * source.c - read a source file once and index its lines.
 */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int read_text(struct source *src, FILE *fp) {
  size_t cap = 0, lines_cap = 0, len = 0, n;

  do {
    src->text = xgrow(src->text, &cap, len + 65536, 1);
    n = fread(src->text + len, 1, cap - len - 1, fp);
    len += n;
  } while (n > 0);
  if (ferror(fp))
    return errno ? errno : EIO;
  src->text[len] = '\0';
  /* One entry per line; a final line without "\n" counts too. */
  for (size_t i = 0; i < len;) {
    size_t end = i + strcspn(src->text + i, "\n");
    src->line =
        xgrow(src->line, &lines_cap, src->nlines + 1, sizeof *src->line);
    src->line[src->nlines++] = src->text + i;
    if (end > i && src->text[end - 1] == '\r')
      src->text[end - 1] = '\0';
    src->text[end] = '\0';
    i = end + 1;
  }
  return 0;
}

void source_load(struct source *src, const char *path) {
  FILE *fp;

  if (src->path && strcmp(src->path, path) == 0)
    return;
  source_free(src);
  src->path = xstrdup(path);
  fp = fopen(path, "rb");
  if (!fp) {
    src->error = errno;
    return;
  }
  src->error = read_text(src, fp);
  fclose(fp);
}

const char *source_line(const struct source *src, uint32_t lineno) {
  if (src->error || lineno == 0 || lineno > src->nlines)
    return "";
  return src->line[lineno - 1];
}

void source_free(struct source *src) {
  free(src->path);
  free(src->text);
  free(src->line);
  memset(src, 0, sizeof *src);
}
