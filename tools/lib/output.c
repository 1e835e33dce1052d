/*
 * output.c - write a report to stdout or, atomically, to a file.
 *
 * A reader of the -o file (a test runner, an editor) sees the old file or
 * the complete new one, never a half-written report: the report goes to
 * a temporary in the same directory, which is renamed over the target.
 */
#include "cprof-read/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cprof-read/util.h"

static int fail(const char *what, const char *path, int err) {
  fprintf(stderr, "prstats: %s: %s: %s\n", path, what, strerror(err));
  return -1;
}

struct output {
  FILE *fp;
  const char *path; /* NULL: stdout */
  char *tmp;        /* the temporary file renamed over path at the end */
};

static int output_open(struct output *out, const char *path) {
  size_t len;
  mode_t mask;
  int fd;

  out->path = path;
  out->tmp = NULL;
  out->fp = stdout;
  if (!path)
    return 0;
  len = strlen(path);
  out->tmp = xmalloc(len + sizeof ".tmpXXXXXX");
  memcpy(out->tmp, path, len);
  memcpy(out->tmp + len, ".tmpXXXXXX", sizeof ".tmpXXXXXX");
  fd = mkstemp(out->tmp);
  if (fd < 0) {
    fail("cannot create", path, errno);
    free(out->tmp);
    return -1;
  }
  /* mkstemp makes the file 0600; give it the usual 0666 & ~umask. */
  mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  out->fp = fdopen(fd, "w");
  if (!out->fp) {
    fail("cannot create", path, errno);
    close(fd);
    unlink(out->tmp);
    free(out->tmp);
    return -1;
  }
  return 0;
}

static int output_close(struct output *out, int ok) {
  int err = 0;

  if (ferror(out->fp) || fflush(out->fp) != 0)
    err = errno ? errno : EIO;
  if (!out->path)
    return err ? fail("write error", "<stdout>", err) : 0;
  if (fclose(out->fp) != 0 && !err)
    err = errno;
  if (ok && !err && rename(out->tmp, out->path) != 0)
    err = errno;
  if (!ok || err)
    unlink(out->tmp);
  free(out->tmp);
  return err ? fail("cannot write", out->path, err) : 0;
}

int output_write(const char *path, output_fn *write, const void *ctx) {
  struct output out;
  int rc = output_open(&out, path);

  if (rc == 0) {
    rc = write(out.fp, ctx);
    rc = output_close(&out, rc == 0) || rc;
  }
  return rc ? -1 : 0;
}
