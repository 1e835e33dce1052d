/*
 * report_json.c - the --format json schema (docs/prstats.md).
 *
 * One function per output line keeps large profiles diffable.  Strings
 * are escaped per RFC 8259; bytes that are not valid UTF-8 (a file name
 * may hold any bytes) become U+FFFD so the output always parses.  Numbers
 * use the shortest of %.15g / %.17g that reads back to the same double.
 */
#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (a NUL ends it), or 0. */
static size_t utf8_len(const unsigned char *p) {
  unsigned char lo = 0x80, hi = 0xbf;
  size_t n;

  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    n = 2;
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    n = 3, lo = p[0] == 0xe0 ? 0xa0 : lo, hi = p[0] == 0xed ? 0x9f : hi;
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    n = 4, lo = p[0] == 0xf0 ? 0x90 : lo, hi = p[0] == 0xf4 ? 0x8f : hi;
  else
    return 0; /* ASCII is handled by the caller; the rest is invalid */
  if (p[1] < lo || p[1] > hi)
    return 0; /* overlong forms, surrogates, above U+10FFFF */
  for (size_t i = 2; i < n; i++)
    if ((p[i] & 0xc0) != 0x80)
      return 0;
  return n;
}

static void put_string(FILE *out, const char *str) {
  const unsigned char *p = (const unsigned char *)str;

  fputc('"', out);
  while (*p) {
    size_t n = *p < 0x80 ? 1 : utf8_len(p);
    if (*p == '"' || *p == '\\')
      fprintf(out, "\\%c", *p);
    else if (*p == '\n')
      fputs("\\n", out);
    else if (*p == '\t')
      fputs("\\t", out);
    else if (*p < 0x20)
      fprintf(out, "\\u%04x", *p);
    else if (n)
      fwrite(p, 1, n, out);
    else
      fputs("\\ufffd", out);
    p += n ? n : 1;
  }
  fputc('"', out);
}

static void put_number(FILE *out, double x) {
  char buf[32];

  snprintf(buf, sizeof buf, "%.15g", x);
  if (strtod(buf, NULL) != x)
    snprintf(buf, sizeof buf, "%.17g", x);
  fputs(buf, out);
}

/* "KEY":VALUE pairs; `sep` is "," except before the first member. */
static void put_key(FILE *out, const char *sep, const char *key) {
  fprintf(out, "%s\"%s\":", sep, key);
}

static void put_counts(FILE *out, uint64_t ncalls, uint64_t pcalls,
                       double tottime, double cumtime) {
  fprintf(out, ",\"ncalls\":%" PRIu64 ",\"pcalls\":%" PRIu64, ncalls, pcalls);
  put_key(out, ",", "tottime");
  put_number(out, tottime);
  put_key(out, ",", "cumtime");
  put_number(out, cumtime);
}

/* The other end of each edge, with the edge's own numbers. */
static void put_edges(FILE *out, const struct stats *s, const uint32_t *list,
                      uint32_t n, int callers) {
  fputc('[', out);
  for (uint32_t k = 0; k < n; k++) {
    const struct stats_edge *e = &s->edges[list[k]];
    const struct stats_func *g = &s->funcs[callers ? e->caller : e->callee];
    put_key(out, k ? ",{" : "{", "name");
    put_string(out, g->name);
    put_key(out, ",", "file");
    put_string(out, g->file);
    fprintf(out, ",\"line\":%" PRIu32, g->line);
    put_counts(out, e->ncalls, e->pcalls, e->tottime, e->cumtime);
    fputc('}', out);
  }
  fputc(']', out);
}

static void put_lines(FILE *out, const struct stats_func *f) {
  const char *sep = "";

  fputc('[', out);
  for (uint32_t k = 0; k < f->nlines; k++) {
    const struct stats_line *l = &f->lines[k];
    if (!l->hits && l->time == 0)
      continue;
    fprintf(out, "%s{\"line\":%" PRIu32 ",\"hits\":%" PRIu64 ",\"time\":", sep,
            f->first_line + k, l->hits);
    put_number(out, l->time);
    fputc('}', out);
    sep = ",";
  }
  fputc(']', out);
}

static void put_func(FILE *out, const struct stats *s,
                     const struct stats_func *f) {
  put_key(out, "{", "name");
  put_string(out, f->name);
  put_key(out, ",", "symbol");
  put_string(out, f->symbol);
  put_key(out, ",", "file");
  put_string(out, f->file);
  fprintf(out, ",\"line\":%" PRIu32, f->line);
  put_counts(out, f->ncalls, f->pcalls, f->tottime, f->cumtime);
  put_key(out, ",", "callers");
  put_edges(out, s, f->callers, f->ncallers, 1);
  put_key(out, ",", "callees");
  put_edges(out, s, f->callees, f->ncallees, 0);
  put_key(out, ",", "lines");
  put_lines(out, f);
  fputc('}', out);
}

int report_json(FILE *out, const struct stats *s, const struct report_opts *o) {
  size_t ran, n;
  uint32_t *order = report_select(s, o, &ran, &n);

  fputs("{\"version\":1,\"tick_hz\":", out);
  put_number(out, s->tick_hz);
  fprintf(out, ",\"total_calls\":%" PRIu64 ",\"primitive_calls\":%" PRIu64,
          s->total_calls, s->prim_calls);
  put_key(out, ",", "total_time");
  put_number(out, s->total_time);
  fputs(",\"functions\":[", out);
  for (size_t i = 0; i < n; i++) {
    fputs(i ? ",\n" : "\n", out);
    put_func(out, s, &s->funcs[order[i]]);
  }
  fputs("\n]}\n", out);
  free(order);
  return 0;
}
