/*
 * stats.c - merge profile files into one set of functions and edges.
 */
#include "cprof-read/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/cct.h"
#include "cprof-read/hist.h"
#include "cprof-read/hybrid.h"
#include "cprof-read/pure.h"
#include "cprof-read/threads.h"
#include "cprof-read/util.h"

void stats_init(struct stats *s) {
  memset(s, 0, sizeof *s);
  s->thread = -1;
  hash_init(&s->func_index);
  hash_init(&s->edge_index);
  hash_init(&s->path_index);
  strpool_init(&s->strings);
}

struct func_key {
  const struct stats *s;
  const char *name, *file;
  uint32_t line;
};

static uint64_t func_hash(const struct func_key *k) {
  uint64_t h = cprof_checksum(CPROF_CHECKSUM_INIT, k->name, strlen(k->name));
  h = cprof_checksum(h, "", 1); /* so ("ab","c") and ("a","bc") differ */
  h = cprof_checksum(h, k->file, strlen(k->file));
  return hash_u64(h ^ k->line);
}

static int func_eq(const void *key, uint32_t entry) {
  const struct func_key *k = key;
  const struct stats_func *f = &k->s->funcs[entry];
  return f->line == k->line && strcmp(f->name, k->name) == 0 &&
         strcmp(f->file, k->file) == 0;
}

uint32_t stats_find(const struct stats *s, const char *name, const char *file,
                    uint32_t line) {
  struct func_key k = {s, name, file, line};
  return hash_find(&s->func_index, func_hash(&k), func_eq, &k);
}

/* pstats' strip_dirs() keeps the last component of a path. */
static const char *display_file(const struct stats *s, const char *path) {
  const char *slash = strrchr(path, '/');
  return s->strip && slash ? slash + 1 : path;
}

/* pstats' add(): one entry per (name, file, line), whatever the file. */
uint32_t stats_func_id(struct stats *s, const char *name, const char *symbol,
                       const char *path, uint32_t line) {
  struct func_key k = {s, name, display_file(s, path), line};
  uint64_t hash = func_hash(&k);
  uint32_t id = hash_find(&s->func_index, hash, func_eq, &k);
  struct stats_func *f;

  if (id != HASH_NONE)
    return id;
  s->funcs = xgrow(s->funcs, &s->funcs_cap, s->nfuncs + 1, sizeof *s->funcs);
  f = memset(&s->funcs[s->nfuncs], 0, sizeof *f);
  f->name = strpool_add(&s->strings, name);
  f->symbol = strpool_add(&s->strings, symbol);
  f->source = strpool_add(&s->strings, path);
  f->file = display_file(s, f->source);
  f->line = line;
  hash_add(&s->func_index, hash, (uint32_t)s->nfuncs);
  return (uint32_t)s->nfuncs++;
}

/*
 * Edges and paths are both records keyed by the pair of indexes they
 * start with; one index lookup serves both.
 */
struct pair_key {
  const void *records;
  size_t size; /* bytes per record */
  uint32_t a, b;
};

static int pair_eq(const void *key, uint32_t entry) {
  const struct pair_key *k = key;
  uint32_t pair[2];

  memcpy(pair, (const char *)k->records + (size_t)entry * k->size, sizeof pair);
  return pair[0] == k->a && pair[1] == k->b;
}

/* The record keyed (a, b) in *records, appended zeroed on first use. */
static uint32_t pair_id(struct hash_index *index, void **records, size_t *n,
                        size_t *cap, size_t size, uint32_t a, uint32_t b) {
  struct pair_key k = {*records, size, a, b};
  uint64_t hash = hash_u64((uint64_t)a << 32 | b);
  uint32_t id = hash_find(index, hash, pair_eq, &k);
  uint32_t pair[2] = {a, b};
  char *rec;

  if (id != HASH_NONE)
    return id;
  *records = xgrow(*records, cap, *n + 1, size);
  rec = memset((char *)*records + *n * size, 0, size);
  memcpy(rec, pair, sizeof pair);
  hash_add(index, hash, (uint32_t)*n);
  return (uint32_t)(*n)++;
}

uint32_t stats_edge_id(struct stats *s, uint32_t caller, uint32_t callee) {
  return pair_id(&s->edge_index, (void **)&s->edges, &s->nedges, &s->edges_cap,
                 sizeof *s->edges, caller, callee);
}

uint32_t stats_path_id(struct stats *s, uint32_t parent, uint32_t func) {
  return pair_id(&s->path_index, (void **)&s->paths, &s->npaths, &s->paths_cap,
                 sizeof *s->paths, parent, func);
}

size_t stats_path_chain(const struct stats *s, uint32_t p, uint32_t **chain,
                        size_t *cap) {
  size_t depth = 0;

  for (uint32_t q = p; q != HASH_NONE; q = s->paths[q].parent) {
    *chain = xgrow(*chain, cap, depth + 1, sizeof **chain);
    (*chain)[depth++] = q;
  }
  return depth;
}

/*
 * Widens f's line array to cover [lo, hi); lines merge by line number.
 * Ranges of one function lie close together (copies of an inline
 * function, a function that moved a little between builds); a union far
 * larger than the ranges themselves would only waste memory, and is
 * refused.
 */
static int cover_lines(struct stats_func *f, uint32_t lo, uint32_t hi) {
  uint64_t data = (uint64_t)f->nlines + (hi - lo);
  struct stats_line *lines;

  if (f->nlines) {
    uint32_t old_hi = f->first_line + f->nlines;
    if (lo >= f->first_line && hi <= old_hi)
      return 0;
    lo = lo < f->first_line ? lo : f->first_line;
    hi = hi > old_hi ? hi : old_hi;
    if (hi - lo > 2 * data + 1024)
      return -1;
  }
  lines = xcalloc(hi - lo, sizeof *lines);
  if (f->nlines)
    memcpy(lines + (f->first_line - lo), f->lines, f->nlines * sizeof *lines);
  free(f->lines);
  f->lines = lines;
  f->first_line = lo;
  f->nlines = hi - lo;
  return 0;
}

struct stats_line *stats_line_at(struct stats_func *f, uint32_t line) {
  if (line == UINT32_MAX || cover_lines(f, line, line + 1))
    return NULL;
  return &f->lines[line - f->first_line];
}

int64_t stats_sample_ticks(const struct stats *s, uint64_t period_ns,
                           uint64_t samples) {
  double hz = s->tick_hz;
  int64_t one;
  if (hz >= 1 && hz < 0x1p63 && hz == (double)(uint64_t)hz) { /* exact */
    unsigned __int128 t =
        ((unsigned __int128)period_ns * (uint64_t)hz + 500000000) / 1000000000;
    one = t < INT64_MAX ? (int64_t)t : INT64_MAX;
  } else {
    one = ticks_of((double)period_ns * hz / 1e9);
  }
  /* A damaged file's period or weight must not overflow. */
  if (samples > (uint64_t)(INT64_MAX / (one ? one : 1)))
    return INT64_MAX;
  return one * (int64_t)samples;
}

/* Samples and sums of them from a damaged file must not wrap. */
static uint64_t count_add(uint64_t a, uint64_t b) {
  return a + b >= a ? a + b : UINT64_MAX;
}

/*
 * Lines by number.  Timed lines keep their time less the cost of the
 * probes that counted their hits; sampled ones keep their samples (their
 * time is apportioned from the function's when a report shows them,
 * line_view.c); every mode keeps its hits.
 */
static int merge_lines(struct stats *s, struct stats_func *f,
                       const struct prof_file *pf,
                       const struct cprof_file_func *ff, char *err,
                       size_t errsize) {
  int timed = !(ff->flags & (CPROF_FUNC_LINE_HITS | CPROF_FUNC_LINE_SAMPLED));
  double cost = s->raw || !timed ? 0 : (double)pf->hdr.line_cost;
  double rate = s->tick_hz / pf->hdr.tick_hz; /* into the first file's */
  const struct cprof_file_line *src;

  if (!ff->nlines) /* line_base is then unchecked: do not even point there */
    return 0;
  if (timed && !f->line_times)
    s->timed_funcs++;
  f->line_times |= timed;
  f->line_sampled |= (ff->flags & CPROF_FUNC_LINE_SAMPLED) != 0;
  src = &pf->lines[ff->line_base];
  if (cover_lines(f, ff->first_line, ff->first_line + ff->nlines)) {
    snprintf(err, errsize,
             "function %s: lines %u-%u and %u-%u are too far apart to merge",
             f->name, f->first_line, f->first_line + f->nlines - 1,
             ff->first_line, ff->first_line + ff->nlines - 1);
    return -1;
  }
  for (uint32_t k = 0; k < ff->nlines; k++) {
    struct stats_line *l = &f->lines[ff->first_line - f->first_line + k];
    double ticks = (double)src[k].ticks - (double)src[k].hits * cost;
    l->hits += src[k].hits;
    l->samples = count_add(l->samples, src[k].samples);
    if (rate == 1 && cost == 0) /* exact beyond 2^53 */
      l->time =
          ticks_add(l->time, src[k].ticks < INT64_MAX ? (int64_t)src[k].ticks
                                                      : INT64_MAX);
    else
      l->time = ticks_add(l->time, ticks_of(ticks * rate));
  }
  return 0;
}

/*
 * The function's samples, and how many independent observations they
 * are: the file's signals per sample due (the kernel may deliver several
 * due samples as one signal), at most one each.
 */
static void merge_samples(struct stats_func *f, const struct prof_file *pf,
                          const struct cprof_file_func *ff) {
  const struct cprof_file_header *h = &pf->hdr;
  double per = h->samples ? (double)h->sample_signals / (double)h->samples : 1;

  f->samples = count_add(f->samples, ff->samples);
  f->signals += (double)ff->samples * (per < 1 ? per : 1);
}

/* A file's ticks in the first file's: exact at the same rate. */
static int64_t into_first(double rate, uint64_t ticks) {
  if (rate == 1)
    return ticks < INT64_MAX ? (int64_t)ticks : INT64_MAX;
  return ticks_of((double)ticks * rate);
}

/* The exact shortest and longest call, in the first file's ticks. */
static void merge_extremes(struct stats *s, struct stats_func *f,
                           const struct prof_file *pf,
                           const struct cprof_file_func *ff) {
  double rate = s->tick_hz / pf->hdr.tick_hz;
  int64_t lo = into_first(rate, ff->min_ticks);
  int64_t hi = into_first(rate, ff->max_ticks);

  if (ff->min_ticks == 0 && ff->max_ticks == 0)
    return;    /* no timed call completed */
  if (hi < lo) /* a damaged record */
    hi = lo;
  if (!f->has_extremes || lo < f->min_ticks)
    f->min_ticks = lo;
  if (!f->has_extremes || hi > f->max_ticks)
    f->max_ticks = hi;
  f->has_extremes = 1;
}

/* Buckets are kept as the files have them; stats_hist() adds them up. */
static void merge_hists(struct stats *s, const struct prof_file *pf,
                        const uint32_t *fmap) {
  s->buckets = xgrow(s->buckets, &s->buckets_cap, s->nbuckets + pf->nhists,
                     sizeof *s->buckets);
  for (uint64_t i = 0; i < pf->nhists; i++) {
    struct stats_bucket *b = &s->buckets[s->nbuckets++];
    b->func = fmap[pf->hists[i].func];
    b->bucket = pf->hists[i].bucket;
    b->count = pf->hists[i].count;
  }
}

/* The clock, the probe costs and the sampler the reports state in their
 * header. */
static void note_costs(struct stats *s, const struct cprof_file_header *h) {
  double call = (double)h->call_cost / h->tick_hz;
  double inner = (double)h->call_inner_cost / h->tick_hz;
  double line = (double)h->line_cost / h->tick_hz;

  if (s->nfiles++ == 0) {
    s->clock = h->clock;
    s->tick_hz = h->tick_hz;
    s->call_cost = call;
    s->call_inner_cost = inner;
    s->line_cost = line;
    s->call_cost_spread = (double)h->call_cost_spread / h->tick_hz;
    s->line_cost_spread = (double)h->line_cost_spread / h->tick_hz;
  } else if (call != s->call_cost || inner != s->call_inner_cost ||
             line != s->line_cost) {
    s->costs_vary = 1;
  }
  if (h->sample_period_ns) {
    if (!s->sample_period_ns)
      s->sample_period_ns = h->sample_period_ns;
    else if (h->sample_period_ns != s->sample_period_ns)
      s->sample_rate_varies = 1;
  }
  s->samples = count_add(s->samples, h->samples);
  s->sample_signals = count_add(s->sample_signals, h->sample_signals);
  s->dropped += h->dropped;
  if (h->flags & CPROF_FILE_CUT_SHORT && s->cut_short++ == 0)
    s->cut_signal = h->signal;
}

int stats_add(struct stats *s, const struct prof_file *pf, char *err,
              size_t errsize) {
  uint32_t *fmap = xmalloc(pf->nfuncs * sizeof *fmap);
  int rc = 0;

  sampled_add(&s->sampled, pf);
  s->file_threads += prof_thread_count(pf);

  note_costs(s, &pf->hdr);
  /* A program not built with cprof times no call: then the sampled
   * stacks' nanoseconds are the profile's ticks, and their times exact. */
  if (s->nfiles == 1 && pf->nnodes == 0 && pf->sample_info) {
    s->tick_hz = 1e9;
    s->sampled_clock = 1;
  }
  for (uint64_t i = 0; i < pf->nfuncs; i++)
    fmap[i] = stats_func_id(s, prof_string(pf, pf->funcs[i].name),
                            prof_string(pf, pf->funcs[i].symbol),
                            prof_string(pf, pf->funcs[i].file),
                            pf->funcs[i].line);
  /* The tree first: its per-node arrays are gone before lines and
   * histograms are copied, which keeps the peak of a large file lower. */
  cct_add(s, pf, fmap);
  hybrid_add(s, pf, fmap); /* sampled time outside them, under them */
  pure_add(s, pf);         /* and the stacks outside every profiled call */
  for (uint64_t i = 0; i < pf->nfuncs && rc == 0; i++) {
    struct stats_func *f = &s->funcs[fmap[i]];
    merge_samples(f, pf, &pf->funcs[i]);
    merge_extremes(s, f, pf, &pf->funcs[i]);
    rc = merge_lines(s, f, pf, &pf->funcs[i], err, errsize);
  }
  if (rc == 0)
    merge_hists(s, pf, fmap);
  free(fmap);
  return rc;
}

int stats_hist(const struct stats *s, const struct stats_func *f,
               uint64_t *count) {
  memset(count, 0, CPROF_HIST_BUCKETS * sizeof *count);
  for (size_t i = f->hist_first; i < f->hist_first + f->nhist; i++)
    count[s->buckets[i].bucket] += s->buckets[i].count;
  return f->nhist != 0;
}

int64_t stats_call_cost(const struct stats *s, const struct stats_func *f) {
  int64_t cost = ticks_sub(f->rawtime, f->calltime);

  if (s->raw || !f->ncalls || cost <= 0)
    return 0;
  /* Rounded to the nearest tick; ncalls is at least 1. */
  return (int64_t)(((unsigned __int128)cost * 2 + f->ncalls) /
                   ((unsigned __int128)f->ncalls * 2));
}

/*
 * v clamped to [lo, hi], less `cost`, within [0, top], in seconds.  No
 * call takes longer than the function's cumtime (an outermost call is a
 * part of it, a recursive one a part of one): the average cost leaves the
 * longest calls of a recursive function most of their probes' cost.
 */
static double point(const struct stats *s, double v, double lo, double hi,
                    int64_t cost, int64_t top) {
  v = v < lo ? lo : v > hi ? hi : v;
  v -= (double)cost;
  v = v < (double)top ? v : (double)top;
  return (v > 0 ? v : 0) / s->tick_hz;
}

uint64_t stats_percentiles(const struct stats *s, const struct stats_func *f,
                           double seconds[STATS_POINTS]) {
  uint64_t count[CPROF_HIST_BUCKETS];
  struct hist_summary h;
  int64_t cost = stats_call_cost(s, f);
  double lo, hi;

  stats_hist(s, f, count);
  hist_summarize(count, &h);
  /* The exact extremes when the runtime kept them, else the buckets'. */
  lo = f->has_extremes ? (double)f->min_ticks : h.min;
  hi = f->has_extremes ? (double)f->max_ticks : h.max;
  seconds[0] = point(s, lo, lo, hi, cost, f->cumtime);
  seconds[1] = point(s, h.median, lo, hi, cost, f->cumtime);
  seconds[2] = point(s, h.p90, lo, hi, cost, f->cumtime);
  seconds[3] = point(s, h.p99, lo, hi, cost, f->cumtime);
  seconds[4] = point(s, hi, lo, hi, cost, f->cumtime);
  return h.count;
}

double stats_seconds(const struct stats *s, int64_t ticks) {
  return (double)ticks / s->tick_hz;
}

int stats_ran(const struct stats_func *f) {
  if (f->ncalls || f->sampled)
    return 1;
  for (uint32_t k = 0; k < f->nlines; k++)
    if (f->lines[k].hits)
      return 1;
  return 0;
}

/* pstats orders callers and callees by their (file, line, name) key. */
static int cmp_fln(const void *a, const void *b) {
  const struct stats_func *f = *(const struct stats_func *const *)a;
  const struct stats_func *g = *(const struct stats_func *const *)b;
  int c = strcmp(f->file, g->file);

  if (c)
    return c;
  if (f->line != g->line)
    return f->line < g->line ? -1 : 1;
  return strcmp(f->name, g->name);
}

static uint32_t *rank_by_fln(const struct stats *s) {
  struct stats_func **order = xmalloc(s->nfuncs * sizeof *order);
  uint32_t *rank = xmalloc(s->nfuncs * sizeof *rank);

  for (size_t i = 0; i < s->nfuncs; i++)
    order[i] = &s->funcs[i];
  qsort(order, s->nfuncs, sizeof *order, cmp_fln);
  for (size_t i = 0; i < s->nfuncs; i++)
    rank[order[i] - s->funcs] = (uint32_t)i;
  free(order);
  return rank;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/*
 * Groups the edges by their callee (callers lists) or caller (callees
 * lists) with a counting sort, then orders each group by the other end's
 * rank: sorting (rank << 32 | edge) keys needs no comparison context.
 */
static void fill_lists(struct stats *s, const uint32_t *rank, uint32_t *store,
                       int callers) {
  size_t *end = xcalloc(s->nfuncs + 1, sizeof *end);
  uint64_t *key = xmalloc(s->nedges * sizeof *key);

  for (size_t e = 0; e < s->nedges; e++)
    end[callers ? s->edges[e].callee : s->edges[e].caller]++;
  for (size_t f = 1; f <= s->nfuncs; f++)
    end[f] += end[f - 1];
  for (size_t e = s->nedges; e-- > 0;) {
    const struct stats_edge *d = &s->edges[e];
    uint32_t own = callers ? d->callee : d->caller;
    uint32_t other = callers ? d->caller : d->callee;
    key[--end[own]] = (uint64_t)rank[other] << 32 | e;
  }
  /* end[f] is now where f's group starts, end[f + 1] where it ends. */
  for (size_t f = 0; f < s->nfuncs; f++) {
    size_t lo = end[f], n = end[f + 1] - lo;
    qsort(key + lo, n, sizeof *key, cmp_u64);
    for (size_t k = lo; k < lo + n; k++)
      store[k] = (uint32_t)key[k];
    *(callers ? &s->funcs[f].callers : &s->funcs[f].callees) = store + lo;
    *(callers ? &s->funcs[f].ncallers : &s->funcs[f].ncallees) = (uint32_t)n;
  }
  free(end);
  free(key);
}

/* Each function's buckets together (a counting sort by function). */
static void group_buckets(struct stats *s) {
  struct stats_bucket *sorted = xmalloc(s->nbuckets * sizeof *sorted);
  size_t at = 0;

  for (size_t i = 0; i < s->nbuckets; i++)
    s->funcs[s->buckets[i].func].nhist++;
  for (size_t f = 0; f < s->nfuncs; f++) {
    s->funcs[f].hist_first = at;
    at += s->funcs[f].nhist;
    s->funcs[f].nhist = 0;
  }
  for (size_t i = 0; i < s->nbuckets; i++) {
    struct stats_func *f = &s->funcs[s->buckets[i].func];
    sorted[f->hist_first + f->nhist++] = s->buckets[i];
  }
  free(s->buckets);
  s->buckets = sorted;
  s->buckets_cap = s->nbuckets;
}

static char *std_name(const struct stats_func *f) {
  int n = snprintf(NULL, 0, "%s:%u(%s)", f->file, f->line, f->name);
  char *label = xmalloc((size_t)n + 1);

  snprintf(label, (size_t)n + 1, "%s:%u(%s)", f->file, f->line, f->name);
  return label;
}

void stats_finish(struct stats *s) {
  uint32_t *rank = rank_by_fln(s);

  for (size_t i = 0; i < s->nfuncs; i++) {
    struct stats_func *f = &s->funcs[i];
    s->total_calls += f->ncalls;
    s->prim_calls += f->pcalls;
    s->total_time = ticks_add(s->total_time, f->tottime);
    f->stdname = std_name(f);
  }
  group_buckets(s);
  s->edge_lists = xmalloc(2 * s->nedges * sizeof *s->edge_lists);
  fill_lists(s, rank, s->edge_lists, 1);
  fill_lists(s, rank, s->edge_lists + s->nedges, 0);
  free(rank);
}

void stats_free(struct stats *s) {
  sampled_free(s->sampled);
  free(s->thread_label);
  for (size_t i = 0; i < s->nfuncs; i++) {
    free(s->funcs[i].stdname);
    free(s->funcs[i].lines);
  }
  free(s->funcs);
  free(s->edges);
  free(s->buckets);
  free(s->paths);
  free(s->edge_lists);
  hash_free(&s->func_index);
  hash_free(&s->edge_index);
  hash_free(&s->path_index);
  strpool_free(&s->strings);
  memset(s, 0, sizeof *s);
}
