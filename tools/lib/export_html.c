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
 *           line_times, first_line, nlines, [[lineno, hits, time]...]] per
 *          function: times in ticks (seconds = ticks / hz, as prstats
 *          computes them), source an index into sources or -1, the lines
 *          first_line .. + nlines those of the line report, listed only
 *          when they have data
 *   edges  [caller, callee, ncalls, pcalls, tottime, cumtime]
 *   nodes  [parent, func, calls, incl, self]: the exact call tree, every
 *          thread and file merged by path (calltree.h), each after its
 *          parent (-1: a root), without the paths under the cut-off
 *   cut    {min, pruned, nonly, only}: the cut-off and what it left out
 *   sources [{path, lines} or {path, error}]: the text of the files the
 *          functions with line data are in
 *
 * '<' is written as \u003c everywhere in the JSON, so no string in it
 * can end the script element.
 */
#include "cprof-read/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/calltree.h"
#include "cprof-read/markup.h"
#include "cprof-read/source.h"
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

  fputs(i ? ",\n[" : "\n[", out);
  utf8_put_json(out, f->name);
  fputc(',', out);
  utf8_put_json(out, f->file);
  fprintf(out,
          ",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRId64 ",%" PRId64
          ",%" PRId32 ",%d,%" PRIu32 ",%" PRIu32 ",[",
          f->line, f->ncalls, f->pcalls, f->tottime, f->cumtime, src->of[i],
          f->line_times, f->first_line, f->nlines);
  for (uint32_t k = 0; k < f->nlines; k++) {
    const struct stats_line *l = &f->lines[k];
    if (!l->hits && !l->time)
      continue;
    fprintf(out, "%s[%" PRIu32 ",%" PRIu64 ",%" PRId64 "]", sep,
            f->first_line + k, l->hits, l->time);
    sep = ",";
  }
  fputs("]]", out);
}

static void put_edges(FILE *out, const struct stats *s) {
  for (size_t i = 0; i < s->nedges; i++) {
    const struct stats_edge *e = &s->edges[i];
    fprintf(out,
            "%s[%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRId64
            ",%" PRId64 "]",
            i ? ",\n" : "\n", e->caller, e->callee, e->ncalls, e->pcalls,
            e->tottime, e->cumtime);
  }
}

/* The kept paths, numbered in order: a parent is kept before its child. */
static void put_nodes(FILE *out, const struct stats *s,
                      const struct calltree *t, const struct calltree_cut *c) {
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
        q->func, q->calls, t->incl[p], q->self);
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

static void put_data(FILE *out, const struct stats *s,
                     const struct report_opts *o) {
  struct calltree t;
  struct calltree_cut c;
  struct sources src;
  double min;
  char *clock;
  size_t size;
  FILE *f = xmemstream(&clock, &size);

  report_clock(f, s, "");
  fclose(f);
  if (size && clock[size - 1] == '\n')
    clock[size - 1] = '\0';
  calltree_build(&t, s);
  min = (double)t.total * CUT_SHARE;
  calltree_cut(&t, s, (int64_t)min, &c);
  find_sources(&src, s);
  fputs("{\"title\":", out);
  report_title_json(out, o);
  fputs(",\"clock\":", out);
  utf8_put_json(out, clock);
  fputs(",\"hz\":", out);
  put_shortest(out, s->tick_hz);
  fprintf(out,
          ",\"total\":%" PRId64 ",\"total_calls\":%" PRIu64
          ",\"prim_calls\":%" PRIu64 ",\"raw\":%s,\n\"funcs\":[",
          s->total_time, s->total_calls, s->prim_calls,
          s->raw ? "true" : "false");
  for (size_t i = 0; i < s->nfuncs; i++)
    put_func(out, s, i, &src);
  fputs("],\n\"edges\":[", out);
  put_edges(out, s);
  fputs("],\n\"nodes\":[", out);
  put_nodes(out, s, &t, &c);
  fputs("],\n\"cut\":", out);
  put_cut(out, s, &c);
  fputs(",\n\"sources\":[", out);
  for (size_t k = 0; k < src.n; k++) {
    fputs(k ? "," : "", out);
    put_source(out, src.path[k]);
  }
  fputs("]}\n", out);
  free(src.path);
  free(src.of);
  free(clock);
  calltree_cut_free(&c);
  calltree_free(&t);
}

int export_html(FILE *out, const struct stats *s, const struct report_opts *o) {
  char *json;
  size_t size;
  FILE *f = xmemstream(&json, &size);

  put_data(f, s, o);
  fclose(f);
  fputs(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>cprof: ",
      out);
  for (int i = 0; i < o->nfiles; i++) {
    fputs(i ? ", " : "", out);
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
  free(json);
  return 0;
}
