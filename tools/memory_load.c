/*
 * memory_load.c - a profile with its memory sections, checked.
 *
 * prof_parse() checks the whole file and keeps the sections it knows;
 * the memory sections are kinds it skips, so they are taken here from the
 * same bytes, once that check has made sure every section lies inside the
 * file.  Then each site's function and node indexes are checked.
 */
#include "memory.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errsize,
                                                      const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errsize, fmt, ap);
  va_end(ap);
  return -1;
}

static unsigned char *read_file(const char *path, size_t *size, char *err,
                                size_t errsize) {
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  size_t cap = 0, n = 0, got;
  if (!f) {
    fail(err, errsize, "cannot open: %s", strerror(errno));
    return NULL;
  }
  do {
    buf = xgrow(buf, &cap, n + 65536, 1);
    n += got = fread(buf + n, 1, cap - n, f);
  } while (got);
  if (ferror(f)) {
    fail(err, errsize, "read error: %s", strerror(errno));
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *size = n;
  return buf;
}

/* Copies `count` records of `rsize` bytes, `native` of which we know. */
static void *copy_records(const unsigned char *src, uint64_t count,
                          uint32_t rsize, size_t native) {
  unsigned char *dst = xcalloc(count ? count : 1, native);
  for (uint64_t i = 0; i < count; i++)
    memcpy(dst + i * native, src + i * rsize, native);
  return dst;
}

/* One memory section; returns 1 if `sec` was one, -1 if it is bad. */
static int take_section(struct mem_file *mf, const struct cprof_section *sec,
                        const unsigned char *src, char *err, size_t errsize) {
  if (sec->kind == CPROF_SEC_MEMSITES) {
    if (sec->record_size < sizeof *mf->sites || mf->sites)
      return fail(err, errsize, "bad memory sites section");
    mf->sites =
        copy_records(src, sec->count, sec->record_size, sizeof *mf->sites);
    mf->nsites = sec->count;
    return 1;
  }
  if (sec->kind == CPROF_SEC_MEMORY) {
    if (sec->record_size < sizeof mf->total || sec->count != 1)
      return fail(err, errsize, "bad memory totals section");
    memcpy(&mf->total, src, sizeof mf->total);
    return 1;
  }
  return 0;
}

/* The section table was checked by prof_parse: every section fits. */
static int take_sections(struct mem_file *mf, const unsigned char *data,
                         char *err, size_t errsize) {
  size_t off = mf->pf.hdr.header_size;
  int found = 0, r;
  for (uint32_t i = 0; i < mf->pf.hdr.nsections; i++) {
    struct cprof_section sec;
    memcpy(&sec, data + off, sizeof sec);
    off += sizeof sec;
    if ((r = take_section(mf, &sec, data + off, err, errsize)) < 0)
      return -1;
    found += r;
    off += sec.count * sec.record_size;
  }
  if (found == 0)
    return fail(err, errsize,
                "no memory trace (the program ran without "
                "CPROF_MEMORY=1)");
  if (found != 2 || !mf->sites)
    return fail(err, errsize, "memory sections incomplete");
  return 0;
}

/* A site's function and node are in range and agree. */
static int check_sites(const struct mem_file *mf, char *err, size_t errsize) {
  for (size_t i = 0; i < mf->nsites; i++) {
    const struct cprof_file_memsite *s = &mf->sites[i];
    if (s->func != CPROF_NO_FUNC && s->func >= mf->pf.nfuncs)
      return fail(err, errsize,
                  "memory site %zu: function %" PRIu32 " out of range", i,
                  s->func);
    if (s->node != CPROF_NO_PARENT &&
        (s->node >= mf->pf.nnodes || mf->pf.nodes[s->node].func != s->func))
      return fail(err, errsize,
                  "memory site %zu: node %" PRIu32 " is not one of its "
                  "function's",
                  i, s->node);
    if (s->live_blocks > s->allocs || s->live_bytes > s->alloc_bytes)
      return fail(err, errsize, "memory site %zu: more live than allocated", i);
  }
  return 0;
}

int mem_load(struct mem_file *mf, const char *path, char *err, size_t errsize) {
  size_t size;
  unsigned char *data = read_file(path, &size, err, errsize), *copy;
  memset(mf, 0, sizeof *mf);
  if (!data)
    return -1;
  copy = xmalloc(size ? size : 1);
  memcpy(copy, data, size);
  if (prof_parse(&mf->pf, copy, size, err, errsize) || /* frees copy */
      take_sections(mf, data, err, errsize) || check_sites(mf, err, errsize)) {
    free(data);
    mem_file_free(mf);
    return -1;
  }
  free(data);
  return 0;
}

void mem_file_free(struct mem_file *mf) {
  prof_free(&mf->pf);
  free(mf->sites);
  memset(mf, 0, sizeof *mf);
}
