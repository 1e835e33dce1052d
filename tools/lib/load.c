/*
 * load.c - read every file before any report is printed.
 */
#include "cprof-read/load.h"

#include <stdio.h>

#include "cprof-read/threads.h"
#include "cprof-read/util.h"

/* pf cut down to the thread s asks for, the first file's named. */
static int only_thread(struct stats *s, struct prof_file *pf, char *err,
                       size_t errsize) {
  char label[128] = "";
  uint32_t k = (uint32_t)s->thread;

  if (s->thread < 0)
    return 0;
  if (k < prof_thread_count(pf))
    prof_thread_label(pf, k, label, sizeof label);
  if (prof_only_thread(pf, k, err, errsize))
    return -1;
  if (!s->thread_label)
    s->thread_label = xstrdup(label);
  return 0;
}

int load_files(struct stats *s, char *const *files, int n) {
  for (int i = 0; i < n; i++) {
    struct prof_file pf;
    char err[256];
    int rc = prof_load(&pf, files[i], err, sizeof err);
    if (rc == 0 && (rc = only_thread(s, &pf, err, sizeof err)) != 0)
      prof_free(&pf);
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
