/*
 * export_pprof.c - the call tree as a gzipped pprof profile.proto.
 *
 * pprof (github.com/google/pprof, also `go tool pprof`) reads a Profile
 * message: sample types, samples (each a stack of location ids, leaf
 * first, and one value per sample type), locations (here one per
 * function, at its first line), functions and a string table.  Each exact
 * call path is one sample with two values: the calls of its last function
 * on that path and the self time spent there in nanoseconds, so pprof's
 * flat column is ncalls for calls and tottime for cpu, and its cum column
 * of cpu is cumtime.  Nanoseconds are whole, rounding carried from path to
 * path: they add up to the profile's total.
 *
 * The message is small enough to build in memory: each nested message is
 * encoded into a scratch buffer, then copied in behind its length.
 */
#include "cprof-read/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cprof-read/util.h"

/* Field numbers of profile.proto. */
enum {
  PROFILE_SAMPLE_TYPE = 1,
  PROFILE_SAMPLE = 2,
  PROFILE_LOCATION = 4,
  PROFILE_FUNCTION = 5,
  PROFILE_STRING_TABLE = 6,
  PROFILE_PERIOD_TYPE = 11,
  PROFILE_PERIOD = 12,
  PROFILE_DEFAULT_SAMPLE_TYPE = 14,
  VALUE_TYPE_TYPE = 1,
  VALUE_TYPE_UNIT = 2,
  SAMPLE_LOCATION_ID = 1,
  SAMPLE_VALUE = 2,
  LOCATION_ID = 1,
  LOCATION_LINE = 4,
  LINE_FUNCTION_ID = 1,
  LINE_LINE = 2,
  FUNCTION_ID = 1,
  FUNCTION_NAME = 2,
  FUNCTION_SYSTEM_NAME = 3,
  FUNCTION_FILENAME = 4,
  FUNCTION_START_LINE = 5,
};

/* The fixed strings' indexes in the string table ("" must be first);
 * function k's name, symbol and file follow at FIRST_FUNC + 3k. */
enum { STR_CALLS = 1, STR_COUNT, STR_CPU, STR_NANOSECONDS, FIRST_FUNC };
static const char *const fixed_strings[] = {"",    "calls",      "count",
                                            "cpu", "nanoseconds"};

struct pb {
  unsigned char *b;
  size_t n, cap;
};

static void pb_byte(struct pb *p, unsigned char c) {
  p->b = xgrow(p->b, &p->cap, p->n + 1, 1);
  p->b[p->n++] = c;
}

static void pb_varint(struct pb *p, uint64_t v) {
  for (; v >= 0x80; v >>= 7)
    pb_byte(p, (unsigned char)(v | 0x80));
  pb_byte(p, (unsigned char)v);
}

/* Wire types: 0 a varint, 2 bytes behind their length. */
static void pb_uint(struct pb *p, int field, uint64_t v) {
  pb_varint(p, (uint64_t)field << 3);
  pb_varint(p, v);
}

static void pb_bytes(struct pb *p, int field, const void *data, size_t len) {
  pb_varint(p, (uint64_t)field << 3 | 2);
  pb_varint(p, len);
  p->b = xgrow(p->b, &p->cap, p->n + len, 1);
  memcpy(p->b + p->n, data, len);
  p->n += len;
}

/* Moves the scratch message into p as field `field`, emptying it. */
static void pb_message(struct pb *p, int field, struct pb *scratch) {
  pb_bytes(p, field, scratch->b, scratch->n);
  scratch->n = 0;
}

static void put_value_type(struct pb *p, int field, uint64_t type,
                           uint64_t unit, struct pb *scratch) {
  pb_uint(scratch, VALUE_TYPE_TYPE, type);
  pb_uint(scratch, VALUE_TYPE_UNIT, unit);
  pb_message(p, field, scratch);
}

/* One function and its location, both with id k + 1 (0 means none). */
static void put_function(struct pb *p, const struct stats_func *f, uint64_t k,
                         struct pb *scratch) {
  uint64_t str = FIRST_FUNC + 3 * k;
  struct pb line = {NULL, 0, 0};

  pb_uint(scratch, FUNCTION_ID, k + 1);
  pb_uint(scratch, FUNCTION_NAME, str);
  pb_uint(scratch, FUNCTION_SYSTEM_NAME, str + 1);
  pb_uint(scratch, FUNCTION_FILENAME, str + 2);
  pb_uint(scratch, FUNCTION_START_LINE, f->line);
  pb_message(p, PROFILE_FUNCTION, scratch);

  pb_uint(&line, LINE_FUNCTION_ID, k + 1);
  pb_uint(&line, LINE_LINE, f->line);
  pb_uint(scratch, LOCATION_ID, k + 1);
  pb_message(scratch, LOCATION_LINE, &line);
  pb_message(p, PROFILE_LOCATION, scratch);
  free(line.b);
}

/* Every path with calls or time of its own: stack leaf first, values
 * (calls, nanoseconds) packed. */
static void put_samples(struct pb *p, const struct stats *s,
                        struct pb *scratch) {
  struct ns_carry carry = {0, 0};
  struct pb packed = {NULL, 0, 0};
  uint32_t *chain = NULL;
  size_t cap = 0;

  for (size_t k = 0; k < s->npaths; k++) {
    const struct stats_path *path = &s->paths[k];
    double ns = ns_carry_next(&carry, stats_seconds(s, path->self));
    if (path->calls == 0 && ns <= 0)
      continue;
    size_t depth = stats_path_chain(s, (uint32_t)k, &chain, &cap);
    for (size_t d = 0; d < depth; d++)
      pb_varint(&packed, (uint64_t)s->paths[chain[d]].func + 1);
    pb_message(scratch, SAMPLE_LOCATION_ID, &packed);
    pb_varint(&packed, path->calls);
    pb_varint(&packed, ns > 0 ? (uint64_t)ns : 0);
    pb_message(scratch, SAMPLE_VALUE, &packed);
    pb_message(p, PROFILE_SAMPLE, scratch);
  }
  free(chain);
  free(packed.b);
}

static void put_profile(struct pb *p, const struct stats *s) {
  struct pb scratch = {NULL, 0, 0};

  put_value_type(p, PROFILE_SAMPLE_TYPE, STR_CALLS, STR_COUNT, &scratch);
  put_value_type(p, PROFILE_SAMPLE_TYPE, STR_CPU, STR_NANOSECONDS, &scratch);
  put_samples(p, s, &scratch);
  for (size_t k = 0; k < s->nfuncs; k++)
    put_function(p, &s->funcs[k], k, &scratch);
  for (size_t k = 0; k < sizeof fixed_strings / sizeof *fixed_strings; k++)
    pb_bytes(p, PROFILE_STRING_TABLE, fixed_strings[k],
             strlen(fixed_strings[k]));
  for (size_t k = 0; k < s->nfuncs; k++) {
    const struct stats_func *f = &s->funcs[k];
    pb_bytes(p, PROFILE_STRING_TABLE, f->name, strlen(f->name));
    pb_bytes(p, PROFILE_STRING_TABLE, f->symbol, strlen(f->symbol));
    pb_bytes(p, PROFILE_STRING_TABLE, f->file, strlen(f->file));
  }
  put_value_type(p, PROFILE_PERIOD_TYPE, STR_CPU, STR_NANOSECONDS, &scratch);
  pb_uint(p, PROFILE_PERIOD, 1);
  pb_uint(p, PROFILE_DEFAULT_SAMPLE_TYPE, STR_CPU);
  free(scratch.b);
}

/* The message through zlib's gzip wrapper (pprof reads either). */
static int put_gzip(FILE *out, const struct pb *p) {
  unsigned char buf[1 << 16];
  z_stream z;
  int rc;

  if (p->n > UINT32_MAX) {
    fprintf(stderr, "prstats: the pprof message is over 4 GiB\n");
    return -1;
  }
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    fprintf(stderr, "prstats: cannot start zlib's compression\n");
    return -1;
  }
  z.next_in = p->b;
  z.avail_in = (uInt)p->n;
  do {
    z.next_out = buf;
    z.avail_out = sizeof buf;
    rc = deflate(&z, Z_FINISH);
    fwrite(buf, 1, sizeof buf - z.avail_out, out);
  } while (rc == Z_OK);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    fprintf(stderr, "prstats: zlib failed to compress the profile\n");
    return -1;
  }
  return 0;
}

int export_pprof(FILE *out, const struct stats *s,
                 const struct report_opts *o) {
  struct pb p = {NULL, 0, 0};
  int rc;

  (void)o; /* every path: the restrictions are for reading */
  put_profile(&p, s);
  rc = put_gzip(out, &p);
  free(p.b);
  return rc;
}
