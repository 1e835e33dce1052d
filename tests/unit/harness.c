/*
 * harness.c - test helpers shared by the unit tests of prstats.
 */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "harness.h"

void th_add(struct stats *s, const struct fb *b) {
  struct fb_out o;
  struct prof_file pf;
  char err[256];

  fb_build(b, &o);
  if (prof_parse(&pf, o.data, o.size, err, sizeof err))
    fail_msg("unexpected error: %s", err);
  if (stats_add(s, &pf, err, sizeof err))
    fail_msg("unexpected merge error: %s", err);
  prof_free(&pf);
}

void th_load(struct stats *s, const struct fb *b, int raw) {
  stats_init(s);
  s->raw = raw;
  s->folded = 1; /* every report can run, the folded export too */
  th_add(s, b);
  stats_finish(s);
}

const struct stats_func *th_func(const struct stats *s, const char *name) {
  const struct stats_func *found = NULL;

  for (size_t i = 0; i < s->nfuncs; i++)
    if (strcmp(s->funcs[i].name, name) == 0) {
      assert_null(found); /* a second one would make the lookup ambiguous */
      found = &s->funcs[i];
    }
  if (!found)
    fail_msg("no function %s", name);
  return found;
}

const struct stats_edge *th_edge(const struct stats *s, const char *caller,
                                 const char *callee) {
  const struct stats_func *f = th_func(s, callee);

  for (uint32_t k = 0; k < f->ncallers; k++) {
    const struct stats_edge *e = &s->edges[f->callers[k]];
    if (strcmp(s->funcs[e->caller].name, caller) == 0)
      return e;
  }
  fail_msg("no edge %s -> %s", caller, callee);
  return NULL;
}

char *th_render(report_fn *fn, const struct stats *s,
                const struct report_opts *o) {
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);

  assert_non_null(out);
  assert_int_equal(fn(out, s, o), 0);
  fclose(out);
  return text;
}

struct report_opts th_opts(const char *keys) {
  struct report_opts o = {.precision = 6, .unit = 1e-6};
  char err[128];

  if (sort_parse(&o.sort, keys, err, sizeof err))
    fail_msg("sort keys %s: %s", keys, err);
  return o;
}
