/*
 * export_speedscope.c - the call tree in speedscope's file format.
 *
 * speedscope (https://www.speedscope.app) draws "sampled" profiles: a
 * list of stacks, each with a weight.  cprof's stacks are not samples but
 * the exact call paths (every thread and file merged by path, as the
 * folded stacks are), so each path is one "sample" of its own: its
 * functions from the root down, weighted by its self time in whole
 * nanoseconds.  The weights add up to the profile's total (rounding
 * carried from path to path), the way the pstats total reads.  A second
 * profile weighs the same paths by their calls (unit "none"), so the
 * chart can show where calls, not time, go.  Of a single profile with
 * several threads, each thread's paths follow as a time profile of its
 * own (thread_stats.h): speedscope's profile menu picks one.
 */
#include "cprof-read/report.h"

#include <inttypes.h>
#include <stdlib.h>

#include "cprof-read/thread_stats.h"
#include "cprof-read/utf8.h"
#include "cprof-read/util.h"

#define SCHEMA "https://www.speedscope.app/file-format-schema.json"

/* Frames are the functions seen on some path, numbered as first seen. */
struct frames {
  int64_t *of; /* per function: its frame, -1 while unseen */
  uint32_t *func;
  size_t n;
};

static void number_frames(struct frames *fr, const struct stats *s) {
  fr->of = xmalloc((s->nfuncs + 1) * sizeof *fr->of);
  fr->func = xmalloc((s->nfuncs + 1) * sizeof *fr->func);
  fr->n = 0;
  for (size_t i = 0; i < s->nfuncs; i++)
    fr->of[i] = -1;
  for (size_t p = 0; p < s->npaths; p++) {
    uint32_t f = s->paths[p].func;
    if (fr->of[f] < 0) {
      fr->of[f] = (int64_t)fr->n;
      fr->func[fr->n++] = f;
    }
  }
}

static void put_frames(FILE *out, const struct stats *s,
                       const struct frames *fr) {
  for (size_t k = 0; k < fr->n; k++) {
    const struct stats_func *f = &s->funcs[fr->func[k]];
    fputs(k ? ",\n{\"name\":" : "\n{\"name\":", out);
    utf8_put_json(out, f->name);
    fputs(",\"file\":", out);
    utf8_put_json(out, f->file);
    if (f->line)
      fprintf(out, ",\"line\":%" PRIu32, f->line);
    fputc('}', out);
  }
}

/* What one profile weighs a path by: its self time, or its calls. */
enum weight { BY_TIME, BY_CALLS };

static double path_weight(const struct stats *s, size_t p, enum weight w,
                          struct ns_carry *carry) {
  if (w == BY_CALLS)
    return (double)s->paths[p].calls;
  return ns_carry_next(carry, stats_seconds(s, s->paths[p].self));
}

/*
 * One sampled profile: every path of s of non-zero weight, root first.
 * Its functions are the frames' functions, or map[] of them (a thread's
 * profile read on its own).
 */
static void put_profile(FILE *out, const struct stats *s, const uint32_t *map,
                        const char *name, const struct frames *fr,
                        enum weight w) {
  struct ns_carry carry = {0, 0};
  uint32_t *chain = NULL;
  size_t cap = 0, n = 0;
  double end = 0;

  fputs("{\"type\":\"sampled\",\"name\":", out);
  utf8_put_json(out, name);
  fprintf(out, ",\"unit\":\"%s\",", w == BY_TIME ? "nanoseconds" : "none");
  fputs("\"startValue\":0,\n\"samples\":[", out);
  for (size_t p = 0; p < s->npaths; p++) {
    if (path_weight(s, p, w, &carry) <= 0)
      continue;
    size_t depth = stats_path_chain(s, (uint32_t)p, &chain, &cap);
    fputs(n++ ? ",\n[" : "\n[", out);
    while (depth-- > 0) {
      uint32_t f = s->paths[chain[depth]].func;
      fprintf(out, "%" PRId64 "%s", fr->of[map ? map[f] : f], depth ? "," : "");
    }
    fputc(']', out);
  }
  /* The weights in a second pass, in the same order, from a fresh carry. */
  fputs("],\n\"weights\":[", out);
  carry = (struct ns_carry){0, 0};
  n = 0;
  for (size_t p = 0; p < s->npaths; p++) {
    double v = path_weight(s, p, w, &carry);
    if (v <= 0)
      continue;
    fprintf(out, "%s%.0f", n++ ? "," : "", v);
    end += v;
  }
  fprintf(out, "],\n\"endValue\":%.0f}", end);
  free(chain);
}

/* Each thread's time profile, of a single profile with several. */
static int put_threads(FILE *out, const struct stats *s,
                       const struct report_opts *o, const struct frames *fr) {
  struct thread_stats *t;
  size_t n;
  char name[160];

  if (o->nfiles != 1 || s->file_threads < 2)
    return 0;
  if (thread_stats_load(s, o->files[0], &t, &n))
    return -1;
  for (size_t k = 0; n > 1 && k < n; k++) {
    snprintf(name, sizeof name, "time, %s", t[k].label);
    fputs(",\n", out);
    put_profile(out, &t[k].s, t[k].func, name, fr, BY_TIME);
  }
  thread_stats_free(t, n);
  return 0;
}

int export_speedscope(FILE *out, const struct stats *s,
                      const struct report_opts *o) {
  struct frames fr;
  char name[160];
  int rc;

  number_frames(&fr, s);
  fprintf(out, "{\"$schema\":\"%s\",\n\"exporter\":\"cprof %s\",\n\"name\":",
          SCHEMA, CPROF_VERSION);
  report_title_json(out, o, 0, o->nfiles);
  fputs(",\n\"activeProfileIndex\":0,\n\"shared\":{\"frames\":[", out);
  put_frames(out, s, &fr);
  fputs("]},\n\"profiles\":[", out);
  snprintf(name, sizeof name, "time, %s",
           s->thread_label ? s->thread_label : "all threads");
  put_profile(out, s, NULL, name, &fr, BY_TIME);
  fputs(",\n", out);
  snprintf(name, sizeof name, "calls, %s",
           s->thread_label ? s->thread_label : "all threads");
  put_profile(out, s, NULL, name, &fr, BY_CALLS);
  rc = put_threads(out, s, o, &fr);
  fputs("]}\n", out);
  free(fr.of);
  free(fr.func);
  return rc;
}
