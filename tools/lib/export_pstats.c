/*
 * export_pstats.c - the profile as a Python pstats file (`.prof`).
 *
 * pstats' dump_stats() writes marshal.dumps(stats), where stats maps
 *
 *   (file, line, function) -> (pcalls, ncalls, tottime, cumtime, callers)
 *   callers: (file, line, function) of the caller -> (ncalls, pcalls,
 *            tottime, cumtime) of that edge
 *
 * (cProfile's order: primitive calls first outside, all calls first in an
 * edge).  snakeviz sizes its boxes by the edges' cumtime, so every edge
 * carries its four numbers.  Only a few marshal codes are needed; all are
 * read by every Python 3: '{' dict ended by '0', '(' tuple with a 32-bit
 * count, 'u' UTF-8 string with a 32-bit length, 'i' 32-bit int, 'l' a
 * longer int in 15-bit digits, 'g' an 8-byte double.  Everything is
 * little-endian.  Strings that are not UTF-8 get U+FFFD, or Python could
 * not read them.
 */
#include "cprof-read/report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/utf8.h"
#include "cprof-read/util.h"

static void put_u32(FILE *out, uint32_t v) {
  unsigned char b[4] = {v & 0xff, v >> 8 & 0xff, v >> 16 & 0xff, v >> 24};
  fwrite(b, 1, 4, out);
}

static void put_tuple(FILE *out, uint32_t n) {
  fputc('(', out);
  put_u32(out, n);
}

static void put_str(FILE *out, const char *s) {
  char *clean = utf8_clean(s);
  size_t len = strlen(clean);

  fputc('u', out);
  put_u32(out, (uint32_t)len);
  fwrite(clean, 1, len, out);
  free(clean);
}

/* Counts are unsigned 64-bit: 'i' holds 31 bits, 'l' takes the rest. */
static void put_int(FILE *out, uint64_t v) {
  uint32_t ndigits = 0;

  if (v <= INT32_MAX) {
    fputc('i', out);
    put_u32(out, (uint32_t)v);
    return;
  }
  for (uint64_t x = v; x; x >>= 15)
    ndigits++;
  fputc('l', out);
  put_u32(out, ndigits); /* positive: the sign is the count's */
  for (; v; v >>= 15) {
    unsigned char d[2] = {v & 0xff, v >> 8 & 0x7f};
    fwrite(d, 1, 2, out);
  }
}

static void put_float(FILE *out, double x) {
  unsigned char b[8];

  memcpy(b, &x, 8); /* the reader checks the target is little-endian */
  fputc('g', out);
  fwrite(b, 1, 8, out);
}

/* pstats' key of a function: (file, line, name). */
static void put_key(FILE *out, const struct stats_func *f) {
  put_tuple(out, 3);
  put_str(out, f->file);
  put_int(out, f->line);
  put_str(out, f->name);
}

static void put_callers(FILE *out, const struct stats *s,
                        const struct stats_func *f) {
  fputc('{', out);
  for (uint32_t k = 0; k < f->ncallers; k++) {
    const struct stats_edge *e = &s->edges[f->callers[k]];
    put_key(out, &s->funcs[e->caller]);
    put_tuple(out, 4);
    put_int(out, e->ncalls);
    put_int(out, e->pcalls);
    put_float(out, stats_seconds(s, e->tottime));
    put_float(out, stats_seconds(s, e->cumtime));
  }
  fputc('0', out);
}

/* Every function that ran, sampled rows too (0 calls, which pstats prints
 * without a percall): the restrictions are for reading, not data. */
int export_pstats(FILE *out, const struct stats *s,
                  const struct report_opts *o) {
  (void)o;
  fputc('{', out);
  for (size_t i = 0; i < s->nfuncs; i++) {
    const struct stats_func *f = &s->funcs[i];
    if (!f->ncalls && !f->sampled)
      continue;
    put_key(out, f);
    put_tuple(out, 5);
    put_int(out, f->pcalls);
    put_int(out, f->ncalls);
    put_float(out, stats_seconds(s, f->tottime));
    put_float(out, stats_seconds(s, f->cumtime));
    put_callers(out, s, f);
  }
  fputc('0', out);
  return 0;
}
