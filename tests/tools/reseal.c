/*
 * reseal.c - repairs the checksum of damaged profiles, for bad_input.py.
 *
 *   reseal FILE...
 *
 * Writes into each file's header the checksum a writer would have put
 * there for the bytes as they are now (cprof_checksum() of format.h over
 * [header_size, end of file)), so that damage behind the header reaches
 * the reader's checks behind the checksum.  A file too short for the
 * header, or whose header_size the reader refuses before the checksum
 * (less than the header, past the end), is left as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof/format.h"

/* 0, or 1 with a message on stderr. */
static int reseal(const char *path) {
  struct cprof_file_header h;
  unsigned char *data = NULL;
  long size;
  int status = 1;
  FILE *f = fopen(path, "r+b");

  if (!f)
    goto out;
  if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
    goto out;
  if (size > 0 && !(data = malloc((size_t)size)))
    goto out;
  if (fread(data, 1, (size_t)size, f) != (size_t)size)
    goto out;
  status = 0;
  if ((size_t)size < sizeof h)
    goto out;
  memcpy(&h, data, sizeof h);
  if (h.header_size < sizeof h || h.header_size > (size_t)size)
    goto out;
  h.checksum = cprof_checksum(CPROF_CHECKSUM_INIT, data + h.header_size,
                              (size_t)size - h.header_size);
  memcpy(data, &h, sizeof h);
  status = fseek(f, 0, SEEK_SET) || fwrite(data, 1, sizeof h, f) != sizeof h;
out:
  if (f && fclose(f))
    status = 1;
  if (status)
    perror(path);
  free(data);
  return status;
}

int main(int argc, char **argv) {
  int status = 0;

  if (argc < 2) {
    fprintf(stderr, "usage: reseal FILE...\n");
    return 2;
  }
  for (int i = 1; i < argc; i++)
    status |= reseal(argv[i]);
  return status;
}
