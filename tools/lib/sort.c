/*
 * sort.c - pstats' sort keys.
 *
 * Same words and directions as pstats: counts and times descending, names
 * ascending.  pstats accepts a prefix only when it is unique in its word
 * list; here a prefix is also accepted when every word it matches means
 * the same order ("cum" = cumtime = cumulative, "t" = time = tottime).
 */
#define _GNU_SOURCE /* qsort_r */
#include "cprof-read/sort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char *word;
  enum sort_key key;
} words[] = {
    {"calls", SORT_CALLS},     {"cumtime", SORT_CUM},
    {"cumulative", SORT_CUM},  {"filename", SORT_FILE},
    {"line", SORT_LINE},       {"module", SORT_FILE},
    {"name", SORT_NAME},       {"ncalls", SORT_CALLS},
    {"nfl", SORT_NFL},         {"pcalls", SORT_PCALLS},
    {"stdname", SORT_STDNAME}, {"time", SORT_TIME},
    {"tottime", SORT_TIME},
};
#define NWORDS (sizeof words / sizeof words[0])

static const char *const meaning[] = {
    [SORT_CALLS] = "call count",
    [SORT_CUM] = "cumulative time",
    [SORT_FILE] = "file name",
    [SORT_LINE] = "line number",
    [SORT_NAME] = "function name",
    [SORT_NFL] = "name/file/line",
    [SORT_PCALLS] = "primitive call count",
    [SORT_STDNAME] = "standard name",
    [SORT_TIME] = "internal time",
};

const char sort_help[] =
    "  calls, ncalls        call count (descending)\n"
    "  cumtime, cumulative  cumulative time (descending)\n"
    "  filename, module     file name\n"
    "  line                 line number\n"
    "  name                 function name\n"
    "  nfl                  name/file/line\n"
    "  pcalls               primitive call count (descending)\n"
    "  stdname              standard name, file:line(function) as text\n"
    "  time, tottime        internal time (descending)\n";

const char *sort_word(size_t i) { return i < NWORDS ? words[i].word : NULL; }

/* Lists the words starting with word[0..len) into buf. */
static void list_matches(const char *word, size_t len, char *buf, size_t size) {
  size_t used = 0;

  buf[0] = '\0';
  for (size_t i = 0; i < NWORDS && used < size; i++)
    if (strncmp(words[i].word, word, len) == 0)
      used += (size_t)snprintf(buf + used, size - used, "%s%s",
                               used ? ", " : "", words[i].word);
}

static int parse_word(const char *word, size_t len, enum sort_key *key,
                      char *err, size_t errsize) {
  int found = -1, clash = 0;
  char list[160];

  for (size_t i = 0; i < NWORDS; i++) {
    if (strncmp(words[i].word, word, len) != 0)
      continue;
    if (words[i].word[len] == '\0') { /* an exact word wins */
      *key = words[i].key;
      return 0;
    }
    if (found >= 0 && words[found].key != words[i].key)
      clash = 1;
    found = (int)i;
  }
  if (found >= 0 && !clash) {
    *key = words[found].key;
    return 0;
  }
  list_matches(found >= 0 ? word : "", found >= 0 ? len : 0, list, sizeof list);
  snprintf(err, errsize, "%s sort key '%.*s' (%s%s)",
           found >= 0 ? "ambiguous" : "unknown", (int)len, word,
           found >= 0 ? "could be " : "one of ", list);
  return -1;
}

int sort_parse(struct sort_spec *spec, const char *arg, char *err,
               size_t errsize) {
  for (const char *p = arg;; p++) {
    size_t len = strcspn(p, ",");
    if (len == 0) {
      snprintf(err, errsize, "empty sort key in '%s'", arg);
      return -1;
    }
    if (spec->nkeys == SORT_MAX_KEYS) {
      snprintf(err, errsize, "more than %d sort keys", SORT_MAX_KEYS);
      return -1;
    }
    if (parse_word(p, len, &spec->key[spec->nkeys], err, errsize))
      return -1;
    spec->nkeys++;
    p += len;
    if (*p == '\0')
      return 0;
  }
}

void sort_describe(const struct sort_spec *spec, char *buf, size_t size) {
  size_t used = 0;

  buf[0] = '\0';
  for (int i = 0; i < spec->nkeys && used < size; i++)
    used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                             meaning[spec->key[i]]);
}

static int up(int64_t a, int64_t b) { return (a > b) - (a < b); }
static int up_u64(uint64_t a, uint64_t b) { return (a > b) - (a < b); }

static int by_nfl(const struct stats_func *f, const struct stats_func *g) {
  int c = strcmp(f->name, g->name);
  if (!c)
    c = strcmp(f->file, g->file);
  return c ? c : up_u64(f->line, g->line);
}

static int by_key(const struct stats_func *f, const struct stats_func *g,
                  enum sort_key key) {
  switch (key) {
  case SORT_CALLS:
    return up_u64(g->ncalls, f->ncalls);
  case SORT_CUM:
    return up(g->cumtime, f->cumtime);
  case SORT_FILE:
    return strcmp(f->file, g->file);
  case SORT_LINE:
    return up_u64(f->line, g->line);
  case SORT_NAME:
    return strcmp(f->name, g->name);
  case SORT_NFL:
    return by_nfl(f, g);
  case SORT_PCALLS:
    return up_u64(g->pcalls, f->pcalls);
  case SORT_STDNAME:
    return strcmp(f->stdname, g->stdname);
  case SORT_TIME:
    return up(g->tottime, f->tottime);
  }
  return 0;
}

struct sort_ctx {
  const struct stats *s;
  const struct sort_spec *spec;
};

static int cmp_funcs(const void *a, const void *b, void *arg) {
  const struct sort_ctx *ctx = arg;
  const struct stats_func *f = &ctx->s->funcs[*(const uint32_t *)a];
  const struct stats_func *g = &ctx->s->funcs[*(const uint32_t *)b];
  int c = 0;

  for (int i = 0; i < ctx->spec->nkeys && !c; i++)
    c = by_key(f, g, ctx->spec->key[i]);
  if (!c)
    c = by_nfl(f, g);
  return c ? c : strcmp(f->symbol, g->symbol);
}

void sort_funcs(const struct stats *s, const struct sort_spec *spec,
                uint32_t *order) {
  struct sort_ctx ctx = {s, spec};

  for (size_t i = 0; i < s->nfuncs; i++)
    order[i] = (uint32_t)i;
  qsort_r(order, s->nfuncs, sizeof *order, cmp_funcs, &ctx);
}
