/*
 * report_threads.c - prstats --threads: which threads each profile tells
 * apart, by the numbers --thread N takes, with each one's calls and time
 * as its own table (prstats --thread N) has them.
 */
#include "cprof-read/report.h"

#include <inttypes.h>

#include "cprof-read/thread_stats.h"

static int put_file(FILE *out, const struct stats *s,
                    const struct report_opts *o, char *file) {
  struct thread_stats *t;
  size_t n;

  if (thread_stats_load(s, file, &t, &n))
    return -1;
  if (n == 0)
    fprintf(out, "%s: no thread records (written by an older cprof)\n", file);
  else
    fprintf(out, "%s: %zu thread%s\n\n%8s %8s %5s %12s %12s  %s\n", file, n,
            n == 1 ? "" : "s", "thread", "tid", "runs", "ncalls", "tottime",
            "name");
  for (size_t k = 0; k < n; k++)
    fprintf(out, "%8zu %8" PRIu32 " %5" PRIu32 " %12" PRIu64 " %12.*f  %s\n",
            k, t[k].tid, t[k].runs, t[k].s.total_calls, o->precision,
            stats_seconds(&t[k].s, t[k].s.total_time), t[k].name);
  thread_stats_free(t, n);
  return 0;
}

int report_threads(FILE *out, const struct stats *s,
                   const struct report_opts *o) {
  int rc = 0;

  for (int i = 0; i < o->nfiles && rc == 0; i++) {
    fputs(i ? "\n" : "", out);
    rc = put_file(out, s, o, o->files[i]);
  }
  fputs("\nruns: threads that used the thread's record one after another (a\n"
        "thread that exits leaves it to the next new one); --thread N shows "
        "one\n",
        out);
  return rc;
}
