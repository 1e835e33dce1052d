/*
 * source.c - read a source file once and index its lines.
 */
#include "cprof-read/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cprof-read/util.h"

#define SOURCE_MAX_SIZE (256 << 20) /* no source file is larger */

/* Returns 0, or an errno. */
static int read_text(struct source *src, FILE *fp) {
  size_t cap = 0, lines_cap = 0, len = 0, n;

  do { /* st_size may say 0 (a /proc file): the cap holds while reading */
    src->text = xgrow(src->text, &cap, len + 65536, 1);
    n = fread(src->text + len, 1, cap - len - 1, fp);
    len += n;
  } while (n > 0 && len <= SOURCE_MAX_SIZE);
  if (ferror(fp))
    return errno ? errno : EIO;
  if (len > SOURCE_MAX_SIZE)
    return EFBIG;
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

/*
 * Only a regular file of sensible size is read: the path comes from the
 * profile, and a device or a FIFO there must not hang the report.
 */
void source_load(struct source *src, const char *path) {
  struct stat st;
  FILE *fp;
  int fd, err = 0;

  if (src->path && strcmp(src->path, path) == 0)
    return;
  source_free(src);
  src->path = xstrdup(path);
  fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC); /* a FIFO: no wait */
  fp = fd < 0 ? NULL : fdopen(fd, "rb");
  if (!fp) {
    snprintf(src->error, sizeof src->error, "%s", strerror(errno));
    if (fd >= 0)
      close(fd);
    return;
  }
  if (fstat(fd, &st) != 0)
    err = errno;
  else if (!S_ISREG(st.st_mode))
    snprintf(src->error, sizeof src->error, "not a regular file");
  else if (st.st_size > SOURCE_MAX_SIZE || (err = read_text(src, fp)) == EFBIG)
    snprintf(src->error, sizeof src->error, "larger than %d MiB",
             SOURCE_MAX_SIZE >> 20);
  if (err && !src->error[0])
    snprintf(src->error, sizeof src->error, "%s", strerror(err));
  fclose(fp);
}

const char *source_line(const struct source *src, uint32_t lineno) {
  if (src->error[0] || lineno == 0 || lineno > src->nlines)
    return "";
  return src->line[lineno - 1];
}

void source_free(struct source *src) {
  free(src->path);
  free(src->text);
  free(src->line);
  memset(src, 0, sizeof *src);
}
