/*
 * thread_stats.c - every thread of one profile, each read on its own
 * (thread_stats.h).  Each thread reads the file again, cut to its part
 * (load.c): what prstats --thread k shows, number for number.
 */
#include "cprof-read/thread_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/load.h"
#include "cprof-read/threads.h"
#include "cprof-read/util.h"

static int load_thread(const struct stats *like, char *file,
                       const struct prof_file *pf, uint32_t k,
                       struct thread_stats *t) {
  struct prof_thread who = prof_thread_info(pf, k);

  stats_init(&t->s);
  t->s.raw = like->raw;
  t->s.strip = like->strip;
  t->s.folded = like->folded;
  t->s.thread = k;
  prof_thread_label(pf, k, t->label, sizeof t->label);
  t->tid = who.tid;
  t->runs = who.runs;
  t->name = strpool_add(&t->s.strings, who.name);
  if (load_files(&t->s, &file, 1))
    return -1;
  t->func = xmalloc((t->s.nfuncs + 1) * sizeof *t->func);
  for (size_t i = 0; i < t->s.nfuncs; i++) {
    const struct stats_func *f = &t->s.funcs[i];
    t->func[i] = stats_find(like, f->name, f->file, f->line);
  }
  return 0;
}

int thread_stats_load(const struct stats *like, char *file,
                      struct thread_stats **out, size_t *n) {
  struct prof_file pf;
  char err[256];
  size_t k = 0;

  *out = NULL;
  *n = 0;
  if (prof_load(&pf, file, err, sizeof err)) {
    fprintf(stderr, "prstats: %s: %s\n", file, err);
    return -1;
  }
  size_t count = prof_thread_count(&pf);
  struct thread_stats *t = xcalloc(count + 1, sizeof *t);
  for (; k < count; k++)
    if (load_thread(like, file, &pf, (uint32_t)k, &t[k])) {
      thread_stats_free(t, k + 1);
      prof_free(&pf);
      return -1;
    }
  prof_free(&pf);
  *out = t;
  *n = count;
  return 0;
}

void thread_stats_free(struct thread_stats *t, size_t n) {
  for (size_t k = 0; k < n; k++) {
    stats_free(&t[k].s);
    free(t[k].func);
  }
  free(t);
}
