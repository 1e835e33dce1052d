/*
 * fuzz_profile.c - libFuzzer target: the profile reader and all behind it.
 *
 * Every input is read twice: as it is, where the checksum stops most
 * mutations, and with its checksum repaired, so that they reach the
 * checks behind it.  An input must either load or be refused with one
 * line; one that loads is merged with itself (raw, and with the probe
 * costs taken out) and goes through every report and export, written to
 * /dev/null.  Anything else (a sanitizer report, a refusal without a
 * reason, a reason on several lines) is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/profile.h"
#include "cprof-read/report.h"
#include "cprof-read/stats.h"

static FILE *devnull;

/* The checksum a writer would have put in the header. */
static void reseal(unsigned char *data, size_t size) {
  struct cprof_file_header h;

  memcpy(&h, data, sizeof h);
  if (h.header_size > size)
    return;
  h.checksum = cprof_checksum(CPROF_CHECKSUM_INIT, data + h.header_size,
                              size - h.header_size);
  memcpy(data, &h, sizeof h);
}

/* A refusal is one line with a reason: no newline, not empty. */
static void check_reason(const char *err) {
  if (err[0] == '\0' || strchr(err, '\n')) {
    fprintf(stderr, "bad refusal: '%s'\n", err);
    abort();
  }
}

static void run_reports(const struct stats *s, const struct stats *other) {
  struct restriction r[2] = {{.kind = RESTRICT_FRACTION, .fraction = 0.5},
                             {.kind = RESTRICT_COUNT, .count = 3}};
  struct report_opts o = {.precision = 6, .skip_zero = 1}; /* unit: chosen */
  char err[256];

  if (sort_parse(&o.sort, "time,name", err, sizeof err))
    abort();
  for (const struct report_op *op = report_ops; op->name; op++)
    op->fn(devnull, s, &o);
  o.reverse = 1, o.restrictions = r, o.nrestrictions = 2;
  report_stats(devnull, s, &o);
  report_diff(devnull, other, s, &o);
}

/* Merges the file twice (two runs of one program), raw or corrected. */
static int merge(struct stats *s, const struct prof_file *pf, int raw) {
  char err[256];

  s->raw = raw;
  for (int i = 0; i < 2; i++)
    if (stats_add(s, pf, err, sizeof err)) {
      check_reason(err);
      return -1;
    }
  stats_finish(s);
  return 0;
}

static void try_input(const uint8_t *data, size_t size, int fix_checksum) {
  unsigned char *copy = malloc(size ? size : 1);
  struct prof_file pf;
  struct stats s[2];
  char err[256];

  memcpy(copy, data, size);
  if (fix_checksum)
    reseal(copy, size);
  if (prof_parse(&pf, copy, size, err, sizeof err)) { /* takes copy */
    check_reason(err);
    return;
  }
  stats_init(&s[0]);
  stats_init(&s[1]);
  if (merge(&s[0], &pf, 1) == 0 && merge(&s[1], &pf, 0) == 0)
    run_reports(&s[1], &s[0]);
  stats_free(&s[0]); /* a failed merge is freed the same way */
  stats_free(&s[1]);
  prof_free(&pf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!devnull && !(devnull = fopen("/dev/null", "w")))
    abort();
  try_input(data, size, 0);
  if (size >= sizeof(struct cprof_file_header))
    try_input(data, size, 1);
  return 0;
}
