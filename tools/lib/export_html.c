/*
 * export_html.c - the whole profile as one self-contained HTML page.
 *
 * The page is view/page.css, the profile as one JSON object in a
 * <script type="application/json"> element, and view/page.js, which
 * draws everything from it: nothing is fetched, so the file works from
 * a CI artifact or a mail attachment.  The object (docs/view.md):
 *
 *   hz, total, total_calls, prim_calls, raw, title, clock
 *   funcs  [name, file, line, ncalls, pcalls, tottime, cumtime, source,
 *           line_times, first_line, nlines, [[lineno, hits, time]...],
 *           sampled] per function: times in ticks (seconds = ticks / hz,
 *          as prstats computes them), source an index into sources or -1,
 *          the lines first_line .. + nlines those of the line report,
 *          listed only when they have data (sampled lines: their share of
 *          cumtime, line_view.h; line_times is then 1), sampled 1 for a
 *          row of sampled time (no calls counted: ncalls 0)
 *   edges  [caller, callee, ncalls, pcalls, tottime, cumtime]
 *   nodes  [parent, func, calls, incl, self]: the exact call tree, every
 *          thread and file merged by path (calltree.h), each after its
 *          parent (-1: a root), without the paths under the cut-off
 *   cut    {min, pruned, nonly, only}: the cut-off and what it left out
 *   sources [{path, lines} or {path, error}]: the text of the files the
 *          functions with line data are in
 *   threads one profile of several threads only (else absent): per thread
 *          {label, clock, hz, total, total_calls, prim_calls, raw,
 *          lines_merged, funcs, edges, nodes, cut}, its own numbers
 *          (prstats --thread K; lines_merged: its functions' lines are of
 *          every thread, as the runtime writes them) with
 *          the functions numbered as in funcs above: funcs [func, ncalls,
 *          pcalls, tottime, cumtime] of those that ran in it
 *   memory  one profile traced with CPROF_MEMORY=1 only (else absent):
 *          {current, peak, at_exit, dropped, untracked_frees, lines, funcs},
 *          lines [file, line, size, count, peak, allocs, alloc_bytes] and
 *          funcs [file, line, name, ...the same] as prstats --memory groups
 *          them (memory_group.c)
 *
 * The page of --diff BEFORE AFTER (export_html_diff) has another object,
 * {diff: true, title, rows, before, after}: put_diff_data says what.
 *
 * '<' is written as \u003c everywhere in the JSON, so no string in it
 * can end the script element.
 */
#include "cprof-read/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/calltree.h"
#include "cprof-read/line_view.h"
#include "cprof-read/markup.h"
#include "cprof-read/memory.h"
#include "cprof-read/source.h"
#include "cprof-read/thread_stats.h"
#include "cprof-read/utf8.h"
#include "cprof-read/util.h"

/* A page of a million call paths stays usable: the smallest path drawn
 * is a millionth of the total (the page's own cut-off hides more). */
#define CUT_SHARE 1e-6

/* The distinct source files of the functions with line data. */
struct sources {
  const char **path;
  size_t n, cap;
  int32_t *of; /* per function: its file's index, -1 without lines */
};

static void find_sources(struct sources *src, const struct stats *s) {
  memset(src, 0, sizeof *src);
  src->of = xmalloc((s->nfuncs + 1) * sizeof *src->of);
  for (size_t i = 0; i < s->nfuncs; i++) {
    const struct stats_func *f = &s->funcs[i];
    size_t k = 0;
    src->of[i] = -1;
    if (!f->nlines || !stats_ran(f))
      continue;
    /* Functions of one file lie together: look at the last ones first. */
    while (k < src->n && strcmp(src->path[src->n - 1 - k], f->source) != 0)
      k++;
    if (k == src->n) {
      src->path = xgrow(src->path, &src->cap, src->n + 1, sizeof *src->path);
      src->path[src->n++] = f->source;
      k = 0;
    }
    src->of[i] = (int32_t)(src->n - 1 - k);
  }
}

static void put_func(FILE *out, const struct stats *s, size_t i,
                     const struct sources *src) {
  const struct stats_func *f = &s->funcs[i];
  const char *sep = "";
  struct line_view v;

  /* Sampled lines show their share of cumtime, as the line report. */
  line_view_of(f, &v);
  int shares = v.mode == LINES_SAMPLED && v.has_times;
  fputs(i ? ",\n[" : "\n[", out);
  utf8_put_json(out, f->name);
  fputc(',', out);
  utf8_put_json(out, f->file);
  fprintf(out,
          ",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRId64 ",%" PRId64
          ",%" PRId32 ",%d,%" PRIu32 ",%" PRIu32 ",[",
          f->line, f->ncalls, f->pcalls, f->tottime, f->cumtime, src->of[i],
          f->line_times || shares, f->first_line, f->nlines);
  for (uint32_t k = 0; k < f->nlines; k++) {
    const struct stats_line *l = &f->lines[k];
    int64_t time = shares ? v.time[k] : l->time;
    if (!l->hits && !time)
      continue;
    fprintf(out, "%s[%" PRIu32 ",%" PRIu64 ",%" PRId64 "]", sep,
            f->first_line + k, l->hits, time);
    sep = ",";
  }
  fprintf(out, "],%d]", f->sampled);
  line_view_free(&v);
}

/* Each edge, its ends named as map[] of them (a thread's), or as is. */
static void put_edges(FILE *out, const struct stats *s, const uint32_t *map) {
  for (size_t i = 0; i < s->nedges; i++) {
    const struct stats_edge *e = &s->edges[i];
    fprintf(out,
            "%s[%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRId64
            ",%" PRId64 "]",
            i ? ",\n" : "\n", map ? map[e->caller] : e->caller,
            map ? map[e->callee] : e->callee, e->ncalls, e->pcalls, e->tottime,
            e->cumtime);
  }
}

/* The kept paths, numbered in order: a parent is kept before its child.
 * Each names its function as map[func] (the diff's rows), or func. */
static void put_nodes(FILE *out, const struct stats *s,
                      const struct calltree *t, const struct calltree_cut *c,
                      const uint32_t *map) {
  int64_t *index = xmalloc((t->n + 1) * sizeof *index);
  int64_t next = 0;

  for (size_t p = 0; p < t->n; p++) {
    const struct stats_path *q = &s->paths[p];
    if (!c->keep[p])
      continue;
    index[p] = next;
    fprintf(
        out, "%s[%" PRId64 ",%" PRIu32 ",%" PRIu64 ",%" PRId64 ",%" PRId64 "]",
        next++ ? ",\n" : "\n", q->parent == HASH_NONE ? -1 : index[q->parent],
        map ? map[q->func] : q->func, q->calls, t->incl[p], q->self);
  }
  free(index);
}

static void put_cut(FILE *out, const struct stats *s,
                    const struct calltree_cut *c) {
  fprintf(out, "{\"min\":%" PRId64 ",\"pruned\":%zu,\"nonly\":%zu,\"only\":[",
          c->min, c->pruned, c->nonly);
  for (size_t k = 0; k < c->nonly && k < CALLTREE_NAMES; k++) {
    fputs(k ? "," : "", out);
    utf8_put_json(out, s->funcs[c->only[k]].name);
  }
  fputs("]}", out);
}

static void put_source(FILE *out, const char *path) {
  struct source text = {0};

  fputs("\n{\"path\":", out);
  utf8_put_json(out, path);
  source_load(&text, path);
  if (text.error[0]) {
    fputs(",\"error\":", out);
    utf8_put_json(out, text.error);
  } else {
    fputs(",\"lines\":[", out);
    for (size_t k = 0; k < text.nlines; k++) {
      fputs(k ? "," : "", out);
      utf8_put_json(out, text.line[k]);
    }
    fputc(']', out);
  }
  fputc('}', out);
  source_free(&text);
}

/* The clock, rate and totals of a profile: `"clock":...,"raw":...`. */
static void put_totals(FILE *out, const struct stats *s) {
  char *clock;
  size_t size;
  FILE *f = xmemstream(&clock, &size);

  report_clock(f, s, "");
  fclose(f);
  if (size && clock[size - 1] == '\n')
    clock[size - 1] = '\0';
  fputs("\"clock\":", out);
  utf8_put_json(out, clock);
  fputs(",\"hz\":", out);
  put_shortest(out, s->tick_hz);
  fprintf(out,
          ",\"total\":%" PRId64 ",\"total_calls\":%" PRIu64
          ",\"prim_calls\":%" PRIu64 ",\"raw\":%s",
          s->total_time, s->total_calls, s->prim_calls,
          s->raw ? "true" : "false");
  free(clock);
}

/* The call tree above the cut-off: `"nodes":[...],"cut":{...}`. */
static void put_tree(FILE *out, const struct stats *s, const uint32_t *map) {
  struct calltree t;
  struct calltree_cut c;

  calltree_build(&t, s);
  calltree_cut(&t, s, (int64_t)((double)t.total * CUT_SHARE), &c);
  fputs("\"nodes\":[", out);
  put_nodes(out, s, &t, &c, map);
  fputs("],\n\"cut\":", out);
  put_cut(out, s, &c);
  calltree_cut_free(&c);
  calltree_free(&t);
}

static void put_mem_rows(FILE *out, const struct prof_file *pf,
                         enum mem_group by) {
  struct mem_rows rows;

  mem_group(&rows, pf, by);
  mem_sort(&rows, 0);
  for (size_t i = 0; i < rows.n; i++) {
    const struct mem_row *r = &rows.row[i];
    fputs(i ? ",\n[" : "\n[", out);
    utf8_put_json(out, r->file);
    fprintf(out, ",%" PRIu32 ",", r->line);
    if (by == GROUP_FUNCTION) {
      utf8_put_json(out, r->name);
      fputc(',', out);
    }
    fprintf(out, "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "]",
            r->size, r->count, r->peak, r->allocs, r->alloc_bytes);
  }
  mem_rows_free(&rows);
}

/* The memory trace of a single profile, when it has one:
 * `,"memory":{...}`.  Several profiles' traces are not merged (nor are
 * they by prstats --memory). */
static void put_memory(FILE *out, const struct report_opts *o) {
  struct prof_file pf;
  char err[512];
  const struct cprof_file_memory *m;

  if (o->nfiles != 1 || mem_load(&pf, o->files[0], err, sizeof err))
    return;
  m = pf.memory;
  fprintf(out,
          ",\n\"memory\":{\"current\":%" PRIu64 ",\"peak\":%" PRIu64
          ",\"at_exit\":%s,\"dropped\":%" PRIu64 ",\"untracked_frees\":%" PRIu64
          ",\"lines\":[",
          m->current, m->peak, m->at_exit ? "true" : "false", m->dropped,
          m->untracked_frees);
  put_mem_rows(out, &pf, GROUP_LINE);
  fputs("],\"funcs\":[", out);
  put_mem_rows(out, &pf, GROUP_FUNCTION);
  fputs("]}", out);
  prof_free(&pf);
}

/* One thread's part of the object: its own numbers, s's functions. */
static void put_thread(FILE *out, const struct thread_stats *t) {
  const struct stats *s = &t->s;
  const char *sep = "";

  fputs("\n{\"label\":", out);
  utf8_put_json(out, t->label);
  fputc(',', out);
  put_totals(out, s);
  /* Lines merged over the threads by the runtime, or a sampled run's own. */
  fprintf(out, ",\"lines_merged\":%s,\"funcs\":[",
          s->sampled_clock ? "false" : "true");
  for (size_t i = 0; i < s->nfuncs; i++) {
    const struct stats_func *f = &s->funcs[i];
    if (!stats_ran(f))
      continue;
    fprintf(out,
            "%s[%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRId64 ",%" PRId64 "]",
            sep, t->func[i], f->ncalls, f->pcalls, f->tottime, f->cumtime);
    sep = ",";
  }
  fputs("],\n\"edges\":[", out);
  put_edges(out, s, t->func);
  fputs("],\n", out);
  put_tree(out, s, t->func);
  fputc('}', out);
}

/* `,"threads":[...]` of a single profile of several threads. */
static void put_threads(FILE *out, const struct stats *s,
                        const struct report_opts *o) {
  struct thread_stats *t;
  size_t n;

  if (o->nfiles != 1 || s->file_threads < 2 ||
      thread_stats_load(s, o->files[0], &t, &n))
    return;
  for (size_t k = 0; n > 1 && k < n; k++) {
    fputs(k ? "," : ",\n\"threads\":[", out);
    put_thread(out, &t[k]);
  }
  fputs(n > 1 ? "]" : "", out);
  thread_stats_free(t, n);
}

static void put_data(FILE *out, const struct stats *s,
                     const struct report_opts *o) {
  struct sources src;

  find_sources(&src, s);
  fputs("{\"title\":", out);
  report_title_json(out, o, 0, o->nfiles);
  fputc(',', out);
  put_totals(out, s);
  fputs(",\n\"funcs\":[", out);
  for (size_t i = 0; i < s->nfuncs; i++)
    put_func(out, s, i, &src);
  fputs("],\n\"edges\":[", out);
  put_edges(out, s, NULL);
  fputs("],\n", out);
  put_tree(out, s, NULL);
  put_threads(out, s, o);
  fputs(",\n\"sources\":[", out);
  for (size_t k = 0; k < src.n; k++) {
    fputs(k ? "," : "", out);
    put_source(out, src.path[k]);
  }
  fputc(']', out);
  put_memory(out, o);
  fputs("}\n", out);
  free(src.path);
  free(src.of);
}

/* One side of the diff: its totals and its tree, functions named by
 * their rows (row[i]: the row of s->funcs[i]). */
static void put_side(FILE *out, const struct stats *s,
                     const struct report_opts *o, int file,
                     const uint32_t *row) {
  fputs("{\"title\":", out);
  report_title_json(out, o, file, file + 1);
  fputc(',', out);
  put_totals(out, s);
  fputs(",\n", out);
  put_tree(out, s, row);
  fputc('}', out);
}

static void put_diff_func(FILE *out, const struct stats_func *f) {
  if (!f) {
    fputs("null", out);
    return;
  }
  fprintf(out, "[%" PRIu64 ",%" PRIu64 ",%" PRId64 ",%" PRId64 "]", f->ncalls,
          f->pcalls, f->tottime, f->cumtime);
}

/*
 * The diff's object: rows [name, file, line, before, after], each side
 * [ncalls, pcalls, tottime, cumtime] in its own profile's ticks or null,
 * in report_diff's order, and before and after: each profile's totals
 * and call tree, the nodes' functions being rows, so that a path of
 * rows is a path of functions matched the way report_diff matches them.
 */
static void put_diff_data(FILE *out, const struct stats *before,
                          const struct stats *after,
                          const struct report_opts *o) {
  size_t n;
  struct diff_row *rows = diff_pair(before, after, &n);
  uint32_t *row[2];

  row[0] = xmalloc((before->nfuncs + 1) * sizeof *row[0]);
  row[1] = xmalloc((after->nfuncs + 1) * sizeof *row[1]);
  /* A path's function always ran, so it always has a row. */
  fputs("{\"diff\":true,\"title\":", out);
  report_title_json(out, o, 0, o->nfiles);
  fputs(",\n\"rows\":[", out);
  for (size_t i = 0; i < n; i++) {
    const struct stats_func *f = rows[i].after ? rows[i].after : rows[i].before;
    if (rows[i].before)
      row[0][rows[i].before - before->funcs] = (uint32_t)i;
    if (rows[i].after)
      row[1][rows[i].after - after->funcs] = (uint32_t)i;
    fputs(i ? ",\n[" : "\n[", out);
    utf8_put_json(out, f->name);
    fputc(',', out);
    utf8_put_json(out, f->file);
    fprintf(out, ",%" PRIu32 ",", f->line);
    put_diff_func(out, rows[i].before);
    fputc(',', out);
    put_diff_func(out, rows[i].after);
    fputc(']', out);
  }
  fputs("],\n\"before\":", out);
  put_side(out, before, o, 0, row[0]);
  fputs(",\n\"after\":", out);
  put_side(out, after, o, 1, row[1]);
  fputs("}\n", out);
  free(row[0]);
  free(row[1]);
  free(rows);
}

/* The page around the JSON object in `json`. */
static void put_page(FILE *out, const char *json, const struct report_opts *o,
                     const char *sep) {
  fputs(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>cprof: ",
      out);
  for (int i = 0; i < o->nfiles; i++) {
    fputs(i ? sep : "", out);
    markup_put(out, o->files[i]);
  }
  fprintf(out,
          "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
          "<noscript>This page draws the profile with JavaScript.</noscript>\n"
          "<script type=\"application/json\" id=\"profile\">",
          view_page_css);
  for (const char *p = json; *p; p++)
    if (*p == '<')
      fputs("\\u003c", out);
    else
      fputc(*p, out);
  fprintf(out, "</script>\n<script>\n%s</script>\n</body>\n</html>\n",
          view_page_js);
}

int export_html(FILE *out, const struct stats *s, const struct report_opts *o) {
  char *json;
  size_t size;
  FILE *f = xmemstream(&json, &size);

  put_data(f, s, o);
  fclose(f);
  put_page(out, json, o, ", ");
  free(json);
  return 0;
}

int export_html_diff(FILE *out, const struct stats *before,
                     const struct stats *after, const struct report_opts *o) {
  char *json;
  size_t size;
  FILE *f = xmemstream(&json, &size);

  put_diff_data(f, before, after, o);
  fclose(f);
  put_page(out, json, o, " vs ");
  free(json);
  return 0;
}
