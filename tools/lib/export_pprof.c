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
 * Of a single profile with a memory trace (CPROF_MEMORY=1) each site is a
 * sample too, with four more values: blocks and bytes allocated there and
 * still live (pprof's alloc_objects, alloc_space, inuse_objects,
 * inuse_space, as Go's heap profiles name them); its stack is its call
 * path, leaf first at the site's own line (a location of its own, so
 * `pprof -list` shows the allocating line), and <unprofiled> for what
 * was allocated outside any profiled function.
 *
 * The message is small enough to build in memory: each nested message is
 * encoded into a scratch buffer, then copied in behind its length.
 */
#include "cprof-read/report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cprof-read/memory.h"
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
enum {
  STR_CALLS = 1,
  STR_COUNT,
  STR_CPU,
  STR_NANOSECONDS,
  STR_ALLOC_OBJECTS,
  STR_ALLOC_SPACE,
  STR_INUSE_OBJECTS,
  STR_INUSE_SPACE,
  STR_BYTES,
  STR_UNPROFILED,
  FIRST_FUNC
};
static const char *const fixed_strings[] = {
    "",           "calls",         "count",         "cpu",
    "nanoseconds", "alloc_objects", "alloc_space",  "inuse_objects",
    "inuse_space", "bytes",         "<unprofiled>"};

/* Values per sample: calls and cpu, and with a memory trace four more. */
#define MEM_VALUES 4

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
 * (calls, nanoseconds, and zero bytes when `memory`) packed. */
static void put_samples(struct pb *p, const struct stats *s, int memory,
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
    for (int v = 0; memory && v < MEM_VALUES; v++)
      pb_varint(&packed, 0);
    pb_message(scratch, SAMPLE_VALUE, &packed);
    pb_message(p, PROFILE_SAMPLE, scratch);
  }
  free(chain);
  free(packed.b);
}

/*
 * The memory trace's samples.  Location ids: function k's is k + 1 (its
 * first line), then <unprofiled>'s, then one per (function, line) a site
 * is at, made as sites need them; `lines` keeps those pairs.
 */
struct mem_locs {
  const struct stats *s;
  const struct prof_file *mf;
  uint32_t *func; /* the trace's function i as s's (HASH_NONE: none) */
  uint64_t (*line)[2]; /* (function id, line) of location unprofiled + 1 + j */
  size_t nlines, cap;
};

/* The trace file's function i among s's; names match as s shows them. */
static uint32_t stats_func_of(const struct stats *s, const struct prof_file *mf,
                              uint32_t i) {
  const struct cprof_file_func *f = &mf->funcs[i];
  const char *file = prof_string(mf, f->file), *base = strrchr(file, '/');
  uint32_t k = stats_find(s, prof_string(mf, f->name), file, f->line);
  if (k == HASH_NONE && s->strip && base)
    k = stats_find(s, prof_string(mf, f->name), base + 1, f->line);
  return k;
}

static uint64_t line_location(struct mem_locs *m, uint64_t func_id,
                              uint64_t line) {
  uint64_t first = m->s->nfuncs + 2; /* after <unprofiled>'s */
  for (size_t j = 0; j < m->nlines; j++)
    if (m->line[j][0] == func_id && m->line[j][1] == line)
      return first + j;
  m->line = xgrow(m->line, &m->cap, m->nlines + 1, sizeof *m->line);
  m->line[m->nlines][0] = func_id;
  m->line[m->nlines][1] = line;
  return first + m->nlines++;
}

static void put_mem_sample(struct pb *p, struct mem_locs *m,
                           const struct cprof_file_memsite *site,
                           struct pb *packed, struct pb *scratch) {
  uint32_t f = site->func == CPROF_NO_FUNC ? HASH_NONE : m->func[site->func];
  if (f == HASH_NONE) {
    pb_varint(packed, m->s->nfuncs + 1); /* <unprofiled> */
  } else {
    pb_varint(packed, line_location(m, (uint64_t)f + 1, site->line));
    for (uint32_t v = site->node; v != CPROF_NO_PARENT;) {
      v = m->mf->nodes[v].parent;
      uint32_t g = v == CPROF_NO_PARENT ? HASH_NONE : m->func[m->mf->nodes[v].func];
      if (g != HASH_NONE)
        pb_varint(packed, (uint64_t)g + 1);
    }
  }
  pb_message(scratch, SAMPLE_LOCATION_ID, packed);
  pb_varint(packed, 0); /* calls */
  pb_varint(packed, 0); /* cpu */
  pb_varint(packed, site->allocs);
  pb_varint(packed, site->alloc_bytes);
  pb_varint(packed, site->live_blocks);
  pb_varint(packed, site->live_bytes);
  pb_message(scratch, SAMPLE_VALUE, packed);
  pb_message(p, PROFILE_SAMPLE, scratch);
}

static void put_mem_samples(struct pb *p, struct mem_locs *m,
                            struct pb *scratch) {
  struct pb packed = {NULL, 0, 0};

  m->func = xmalloc((m->mf->nfuncs + 1) * sizeof *m->func);
  for (uint32_t i = 0; i < m->mf->nfuncs; i++)
    m->func[i] = stats_func_of(m->s, m->mf, i);
  for (size_t i = 0; i < m->mf->nmemsites; i++)
    put_mem_sample(p, m, &m->mf->memsites[i], &packed, scratch);
  free(packed.b);
}

/* The locations the memory samples use besides the functions'. */
static void put_mem_locations(struct pb *p, const struct mem_locs *m,
                              struct pb *scratch) {
  struct pb line = {NULL, 0, 0};
  uint64_t id = m->s->nfuncs + 1;

  pb_uint(scratch, FUNCTION_ID, id);
  pb_uint(scratch, FUNCTION_NAME, STR_UNPROFILED);
  pb_uint(scratch, FUNCTION_SYSTEM_NAME, STR_UNPROFILED);
  pb_message(p, PROFILE_FUNCTION, scratch);
  pb_uint(&line, LINE_FUNCTION_ID, id);
  pb_uint(scratch, LOCATION_ID, id);
  pb_message(scratch, LOCATION_LINE, &line);
  pb_message(p, PROFILE_LOCATION, scratch);
  for (size_t j = 0; j < m->nlines; j++) {
    pb_uint(&line, LINE_FUNCTION_ID, m->line[j][0]);
    pb_uint(&line, LINE_LINE, m->line[j][1]);
    pb_uint(scratch, LOCATION_ID, id + 1 + j);
    pb_message(scratch, LOCATION_LINE, &line);
    pb_message(p, PROFILE_LOCATION, scratch);
  }
  free(line.b);
}

/* mf: the profile's memory trace, or NULL. */
static void put_profile(struct pb *p, const struct stats *s,
                        const struct prof_file *mf) {
  struct pb scratch = {NULL, 0, 0};
  struct mem_locs m = {s, mf, NULL, NULL, 0, 0};

  put_value_type(p, PROFILE_SAMPLE_TYPE, STR_CALLS, STR_COUNT, &scratch);
  put_value_type(p, PROFILE_SAMPLE_TYPE, STR_CPU, STR_NANOSECONDS, &scratch);
  if (mf) {
    put_value_type(p, PROFILE_SAMPLE_TYPE, STR_ALLOC_OBJECTS, STR_COUNT,
                   &scratch);
    put_value_type(p, PROFILE_SAMPLE_TYPE, STR_ALLOC_SPACE, STR_BYTES,
                   &scratch);
    put_value_type(p, PROFILE_SAMPLE_TYPE, STR_INUSE_OBJECTS, STR_COUNT,
                   &scratch);
    put_value_type(p, PROFILE_SAMPLE_TYPE, STR_INUSE_SPACE, STR_BYTES,
                   &scratch);
  }
  put_samples(p, s, mf != NULL, &scratch);
  if (mf)
    put_mem_samples(p, &m, &scratch);
  for (size_t k = 0; k < s->nfuncs; k++)
    put_function(p, &s->funcs[k], k, &scratch);
  if (mf)
    put_mem_locations(p, &m, &scratch);
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
  free(m.func);
  free(m.line);
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
  struct prof_file mf;
  char err[256];
  /* Every path (the restrictions are for reading); the trace of a single
   * profile (several are not merged, nor are they by prstats --memory). */
  int memory = o->nfiles == 1 && s->thread < 0 &&
               mem_load(&mf, o->files[0], err, sizeof err) == 0;
  int rc;

  put_profile(&p, s, memory ? &mf : NULL);
  rc = put_gzip(out, &p);
  free(p.b);
  if (memory)
    prof_free(&mf);
  return rc;
}
