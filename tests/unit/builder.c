/*
 * builder.c - the test-only cprof file writer.
 */
#include "builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t pow2_above(size_t n) {
  size_t c = 16;
  while (c < n)
    c *= 2;
  return c;
}

/* Room for n elements where `used` are; capacity doubles, so a million
 * appends stay cheap. */
static void *grow(void *p, size_t used, size_t n, size_t size) {
  if (p && pow2_above(used) >= n)
    return p;
  p = realloc(p, pow2_above(n) * size);
  if (!p)
    abort();
  return p;
}

void fb_init(struct fb *b, double tick_hz) {
  static const uint32_t all[] = {CPROF_SEC_STRINGS, CPROF_SEC_FUNCS,
                                 CPROF_SEC_NODES, CPROF_SEC_LINES};
  memset(b, 0, sizeof *b);
  b->tick_hz = tick_hz;
  b->version = CPROF_FORMAT_VERSION;
  memcpy(b->kinds, all, sizeof all);
  b->nkinds = 4;
  fb_string(b, "/bin/test-program"); /* offset 0: the header's program */
}

void fb_free(struct fb *b) {
  free(b->strings);
  free(b->funcs);
  free(b->nodes);
  free(b->lines);
  free(b->hists);
  free(b->threads);
}

uint32_t fb_string(struct fb *b, const char *s) {
  size_t len = strlen(s) + 1, off = b->nstrings;
  b->strings = grow(b->strings, off, off + len, 1);
  memcpy(b->strings + off, s, len);
  b->nstrings += len;
  return (uint32_t)off;
}

uint32_t fb_func(struct fb *b, const char *name, const char *file,
                 uint32_t line) {
  struct cprof_file_func f = {0};
  f.name = fb_string(b, name);
  f.symbol = fb_string(b, name);
  f.file = fb_string(b, file ? file : "/src/test.c");
  f.line = line;
  b->funcs = grow(b->funcs, b->nfuncs, b->nfuncs + 1, sizeof f);
  b->funcs[b->nfuncs] = f;
  return (uint32_t)b->nfuncs++;
}

void fb_lines(struct fb *b, uint32_t f, uint32_t first, uint32_t n,
              const uint64_t *hits, const uint64_t *ticks) {
  b->funcs[f].first_line = first;
  b->funcs[f].nlines = n;
  b->funcs[f].line_base = b->nlines;
  b->lines = grow(b->lines, b->nlines, b->nlines + n, sizeof *b->lines);
  for (uint32_t k = 0; k < n; k++) {
    b->lines[b->nlines + k].hits = hits[k];
    b->lines[b->nlines + k].ticks = ticks[k];
    b->lines[b->nlines + k].samples = 0;
  }
  b->nlines += n;
}

void fb_samples(struct fb *b, uint32_t f, const uint64_t *samples,
                uint64_t total) {
  struct cprof_file_func *fn = &b->funcs[f];

  fn->flags |= CPROF_FUNC_LINE_SAMPLED;
  fn->samples = total;
  for (uint32_t k = 0; k < fn->nlines; k++)
    b->lines[fn->line_base + k].samples = samples[k];
}

uint32_t fb_node(struct fb *b, uint32_t parent, uint32_t func, uint64_t calls,
                 uint64_t ticks) {
  struct cprof_file_node n = {parent, func, calls, ticks, 0};
  b->nodes = grow(b->nodes, b->nnodes, b->nnodes + 1, sizeof n);
  b->nodes[b->nnodes] = n;
  return (uint32_t)b->nnodes++;
}

void fb_hist(struct fb *b, uint32_t f, uint64_t ticks, uint64_t calls) {
  uint32_t bucket = cprof_hist_bucket(ticks);
  size_t i = 0;

  while (i < b->nhists &&
         (b->hists[i].func != f || b->hists[i].bucket != bucket))
    i++;
  if (i == b->nhists) {
    if (b->nhists == 0)
      b->kinds[b->nkinds++] = CPROF_SEC_HIST;
    b->hists = grow(b->hists, b->nhists, b->nhists + 1, sizeof *b->hists);
    memset(&b->hists[i], 0, sizeof *b->hists);
    b->hists[i].func = f;
    b->hists[i].bucket = bucket;
    b->nhists++;
  }
  b->hists[i].count += calls;
}

void fb_thread(struct fb *b, uint32_t n, const char *name, uint32_t tid,
               uint32_t runs) {
  struct cprof_file_thread t = {(uint32_t)b->nnodes, n, fb_string(b, name),
                                tid, runs, 0};
  if (b->nthreads == 0)
    b->kinds[b->nkinds++] = CPROF_SEC_THREADS;
  b->threads = grow(b->threads, b->nthreads, b->nthreads + 1, sizeof t);
  b->threads[b->nthreads++] = t;
}

/* Records of one section kind: where they are, how many, how big. */
static const void *records(const struct fb *b, uint32_t kind, size_t *count,
                           size_t *size) {
  switch (kind) {
  case CPROF_SEC_STRINGS:
    *count = b->nstrings, *size = 1;
    return b->strings;
  case CPROF_SEC_FUNCS:
    *count = b->nfuncs, *size = sizeof *b->funcs;
    return b->funcs;
  case CPROF_SEC_NODES:
    *count = b->nnodes, *size = sizeof *b->nodes;
    return b->nodes;
  case CPROF_SEC_LINES:
    *count = b->nlines, *size = sizeof *b->lines;
    return b->lines;
  case CPROF_SEC_HIST:
    *count = b->nhists, *size = sizeof *b->hists;
    return b->hists;
  case CPROF_SEC_THREADS:
    *count = b->nthreads, *size = sizeof *b->threads;
    return b->threads;
  }
  *count = 3, *size = 1; /* an unknown kind: three junk bytes */
  return "xyz";
}

/* Appends one section; known multi-byte records get record_pad extra. */
static void put_section(const struct fb *b, uint32_t kind, struct fb_out *o) {
  size_t count, size;
  const unsigned char *src = records(b, kind, &count, &size);
  uint32_t pad = size > 1 ? b->record_pad : 0;
  struct cprof_section sec = {kind, (uint32_t)(size + pad), count};

  o->data =
      grow(o->data, o->size, o->size + sizeof sec + count * (size + pad), 1);
  memcpy(o->data + o->size, &sec, sizeof sec);
  o->size += sizeof sec;
  for (size_t r = 0; r < count; r++) {
    memcpy(o->data + o->size, src + r * size, size);
    memset(o->data + o->size + size, 0xee, pad);
    o->size += size + pad;
  }
}

void fb_build(const struct fb *b, struct fb_out *o) {
  struct cprof_file_header h = {0};

  memcpy(h.magic, CPROF_MAGIC, CPROF_MAGIC_SIZE);
  h.version = b->version;
  h.header_size = (uint32_t)(sizeof h + b->header_pad);
  h.tick_hz = b->tick_hz;
  h.clock = CPROF_CLOCK_TSC;
  h.run_ticks = 1000;
  h.nthreads = 1;
  h.dropped = b->dropped;
  h.call_cost = b->call_cost;
  h.call_inner_cost = b->call_inner_cost;
  h.line_cost = b->line_cost;
  h.call_cost_spread = b->call_cost_spread;
  h.line_cost_spread = b->line_cost_spread;
  h.sample_period_ns = b->sample_period_ns;
  h.samples = b->samples;
  h.sample_signals = b->sample_signals;
  h.program = 0;
  h.nsections = (uint32_t)b->nkinds;
  o->size = h.header_size;
  o->data = memset(grow(NULL, 0, o->size, 1), 0, o->size);
  for (int k = 0; k < b->nkinds; k++) {
    o->sec[k] = o->size;
    put_section(b, b->kinds[k], o);
  }
  h.file_size = o->size;
  memcpy(o->data, &h, sizeof h);
  fb_seal(o->data, o->size);
}

void fb_seal(unsigned char *data, size_t size) {
  struct cprof_file_header h;
  memcpy(&h, data, sizeof h);
  h.checksum = cprof_checksum(CPROF_CHECKSUM_INIT, data + h.header_size,
                              size - h.header_size);
  memcpy(data, &h, sizeof h);
}

char *fb_write_temp(const void *data, size_t size) {
  char *path = strdup("/tmp/prstats-test-XXXXXX");
  int fd = mkstemp(path);
  if (fd < 0 || write(fd, data, size) != (ssize_t)size)
    abort();
  close(fd);
  return path;
}
