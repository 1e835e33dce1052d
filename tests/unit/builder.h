/*
 * builder.h - test fixture: writes cprof files from format.h records.
 *
 * Unit tests describe a profile (functions, CCT nodes, line records) and
 * get the bytes a writer would produce, checksum included.  Knobs make
 * the variations a reader must accept (longer header and records, unknown
 * sections) or reject (missing and repeated sections); any other damage
 * is done to the bytes afterwards, then fb_seal() fixes the checksum so
 * the deeper checks are reached.
 */
#ifndef TEST_BUILDER_H
#define TEST_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "cprof/format.h"

#define FB_MAX_SECTIONS 8

struct fb {
  double tick_hz;
  uint32_t version;
  uint32_t header_pad; /* extra bytes after the header (a newer writer) */
  uint32_t record_pad; /* extra bytes after every func/node/line record */
  uint64_t dropped;    /* the header's count of calls not recorded */
  uint64_t call_cost, call_inner_cost, line_cost;     /* the header's, ticks */
  uint64_t call_cost_spread, line_cost_spread;        /* ... and their spread */
  uint64_t sample_period_ns, samples, sample_signals; /* the sampler's */
  uint32_t kinds[FB_MAX_SECTIONS]; /* sections to write, in order */
  int nkinds;
  char *strings;
  size_t nstrings;
  struct cprof_file_func *funcs;
  size_t nfuncs;
  struct cprof_file_node *nodes;
  size_t nnodes;
  struct cprof_file_line *lines;
  size_t nlines;
  struct cprof_file_hist *hists;
  size_t nhists;
  struct cprof_file_thread *threads;
  size_t nthreads;
};

/* Serialized bytes; sec[k] is where the k-th section's header starts. */
struct fb_out {
  unsigned char *data; /* malloc'ed */
  size_t size;
  size_t sec[FB_MAX_SECTIONS];
};

void fb_init(struct fb *b, double tick_hz);
void fb_free(struct fb *b);
uint32_t fb_string(struct fb *b, const char *s);

/* A function in file "/src/test.c" unless `file` is given. */
uint32_t fb_func(struct fb *b, const char *name, const char *file,
                 uint32_t line);

/* Line records for function f: hits/ticks of lines first .. first+n-1. */
void fb_lines(struct fb *b, uint32_t f, uint32_t first, uint32_t n,
              const uint64_t *hits, const uint64_t *ticks);

/* f's lines (fb_lines first) sampled: `samples[k]` found it on line k,
 * `total` had it on the stack; flags it CPROF_FUNC_LINE_SAMPLED. */
void fb_samples(struct fb *b, uint32_t f, const uint64_t *samples,
                uint64_t total);

uint32_t fb_node(struct fb *b, uint32_t parent, uint32_t func, uint64_t calls,
                 uint64_t ticks);

/* A duration histogram for f: `calls` more calls of `ticks` each; the
 * first one adds a histogram section to the file. */
void fb_hist(struct fb *b, uint32_t f, uint64_t ticks, uint64_t calls);

/* A thread record of the next n nodes made (fb_node after it); the first
 * adds a threads section to the file. */
void fb_thread(struct fb *b, uint32_t n, const char *name, uint32_t tid,
               uint32_t runs);

void fb_build(const struct fb *b, struct fb_out *out);

/* Recomputes the checksum after the bytes were changed. */
void fb_seal(unsigned char *data, size_t size);

/* Writes bytes to a fresh temporary file; returns its malloc'ed path. */
char *fb_write_temp(const void *data, size_t size);

#endif /* TEST_BUILDER_H */
