/*
 * load.c - read every file before any report is printed.
 */
#include "cprof-read/load.h"

#include <stdio.h>

int load_files(struct stats *s, char *const *files, int n) {
  for (int i = 0; i < n; i++) {
    struct prof_file pf;
    char err[256];
    int rc = prof_load(&pf, files[i], err, sizeof err);
    if (rc == 0) {
      rc = stats_add(s, &pf, err, sizeof err);
      prof_free(&pf);
    }
    if (rc) {
      fprintf(stderr, "prstats: %s: %s\n", files[i], err);
      return -1;
    }
  }
  stats_finish(s);
  return 0;
}
