/*
 * sampled.c - sampled stacks into functions (sampled.h).
 *
 * A stack's first address is the interrupted instruction; the others are
 * return addresses, resolved one byte back, inside the call.  Its weight
 * (the samples its signal carried) goes to the function on top as self
 * time and once to every function on the stack as inclusive time, however
 * often it recurses.  An address outside every mapping ends the stack
 * there (a frame pointer chain gone astray in code without them).
 *
 * The C library is built without frame pointers, so the walk of nearly
 * every stack stops at its thread's entry point in it, marked cut: a
 * stack that reached one of those is whole all the same.
 */
#include "cprof-read/sampled.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/symbolize.h"
#include "cprof-read/util.h"

struct func_key {
  const struct sampled *sm;
  const char *name, *module; /* pool pointers: equal strings, equal pointers */
};

static uint64_t hash_ptrs(const char *a, const char *b) {
  return hash_u64((uint64_t)(uintptr_t)a * 31 + (uint64_t)(uintptr_t)b);
}

static int func_eq(const void *key, uint32_t entry) {
  const struct func_key *k = key;
  const struct sampled_func *f = &k->sm->funcs[entry];
  return f->name == k->name && f->module == k->module;
}

/* The function of a resolved address, created on first sight. */
static uint32_t func_of(struct sampled *sm, const struct symbol *sy) {
  const char *module = strpool_add(&sm->strings, sy->module ? sy->module : "");
  const char *name =
      strpool_add(&sm->strings, sy->name ? sy->name : "[unknown]");
  struct func_key key = {sm, name, module};
  uint64_t h = hash_ptrs(name, module);
  uint32_t id = hash_find(&sm->index, h, func_eq, &key);
  if (id != HASH_NONE)
    return id;
  sm->funcs =
      xgrow(sm->funcs, &sm->funcs_cap, sm->nfuncs + 1, sizeof *sm->funcs);
  struct sampled_func *f = &sm->funcs[sm->nfuncs];
  memset(f, 0, sizeof *f);
  f->name = name;
  f->module = module;
  const char *base = strrchr(module, '/');
  f->file = strpool_add(&sm->strings, sy->file  ? sy->file
                                      : *module ? (base ? base + 1 : module)
                                                : "~");
  f->line = sy->file ? sy->line : 0;
  size_t len = strlen(f->file) + strlen(name) + 16;
  f->label = xmalloc(len);
  snprintf(f->label, len, "%s:%u(%s)", f->file, f->line, name);
  hash_add(&sm->index, h, (uint32_t)sm->nfuncs);
  return (uint32_t)sm->nfuncs++;
}

/* Distinct addresses of one file, each resolved once. */
struct pc_cache {
  uint64_t *pc;
  uint32_t *func; /* HASH_NONE: in no mapping */
  uint32_t *line; /* the address's own line in its function's file, 0: none */
  size_t n, cap_pc, cap_func, cap_line;
  struct hash_index index;
};

struct pc_key {
  const struct pc_cache *cache;
  uint64_t pc;
};

static int pc_eq(const void *key, uint32_t entry) {
  const struct pc_key *k = key;
  return k->cache->pc[entry] == k->pc;
}

/* The line of `pc` when it is in its function's own file: code inlined
 * from a header has lines of another file, which the function's line view
 * cannot show. */
static uint32_t line_in(struct symbolizer *sy, uint64_t pc,
                        const struct sampled_func *f) {
  const char *file;
  uint32_t line;
  return symbolize_line(sy, pc, &file, &line) == 0 && f->line &&
                 strcmp(file, f->file) == 0
             ? line
             : 0;
}

/* The function of `pc` and, in *line, its line (0: unknown). */
static uint32_t resolve(struct sampled *sm, struct symbolizer *sy,
                        struct pc_cache *c, uint64_t pc, uint32_t *line) {
  struct pc_key key = {c, pc};
  uint64_t h = hash_u64(pc);
  uint32_t at = hash_find(&c->index, h, pc_eq, &key);
  if (at != HASH_NONE) {
    *line = c->line[at];
    return c->func[at];
  }
  struct symbol s;
  uint32_t f = symbolize(sy, pc, &s) == 0 ? func_of(sm, &s) : HASH_NONE;
  *line = f != HASH_NONE ? line_in(sy, pc, &sm->funcs[f]) : 0;
  c->pc = xgrow(c->pc, &c->cap_pc, c->n + 1, sizeof *c->pc);
  c->func = xgrow(c->func, &c->cap_func, c->n + 1, sizeof *c->func);
  c->line = xgrow(c->line, &c->cap_line, c->n + 1, sizeof *c->line);
  c->pc[c->n] = pc;
  c->func[c->n] = f;
  c->line[c->n] = *line;
  hash_add(&c->index, h, (uint32_t)c->n++);
  return f;
}

static int entry_point(const char *name) {
  static const char *const entries[] = {"start_thread",
                                        "__libc_start_call_main",
                                        "__libc_start_main",
                                        "__libc_start_main_impl",
                                        "_start",
                                        "clone",
                                        "clone3",
                                        "__clone",
                                        "__clone3",
                                        "__clone_internal"};
  for (size_t i = 0; i < sizeof entries / sizeof *entries; i++)
    if (strcmp(name, entries[i]) == 0)
      return 1;
  return 0;
}

static struct sampled *sampled_new(void) {
  struct sampled *sm = xcalloc(1, sizeof *sm);
  hash_init(&sm->index);
  strpool_init(&sm->strings);
  sm->debuginfo = symbolize_has_debuginfo();
  return sm;
}

/* One file's pass: its symbolizer, addresses, and per function the last
 * stack counted in it (1-based). */
struct pass {
  struct sampled *sm;
  struct symbolizer *sy;
  struct pc_cache cache;
  uint64_t *seen;
  size_t seen_cap;
};

/* The function of frame `d` of a stack, HASH_NONE: the stack ends there;
 * its line in *line. */
static uint32_t frame_func(struct pass *ps, uint64_t pc, uint32_t d,
                           uint32_t *line) {
  /* A return address is one past its call: resolve the call. */
  uint32_t f = resolve(ps->sm, ps->sy, &ps->cache, pc - (d > 0), line);
  if (f == HASH_NONE && d == 0) { /* the instruction itself: still a sample */
    struct symbol none = {0};
    f = func_of(ps->sm, &none);
  }
  if (f != HASH_NONE && ps->seen_cap < ps->sm->nfuncs) {
    size_t was = ps->seen_cap; /* new entries: never counted */
    ps->seen = xgrow(ps->seen, &ps->seen_cap, ps->sm->nfuncs, sizeof *ps->seen);
    memset(ps->seen + was, 0, (ps->seen_cap - was) * sizeof *ps->seen);
  }
  return f;
}

static void add_stack(struct pass *ps, const struct prof_file *pf, uint64_t i) {
  struct sampled *sm = ps->sm;
  const struct cprof_file_stack *st = &pf->stacks[i];
  uint64_t ns = (uint64_t)st->weight * pf->sample_info->period_ns;
  uint32_t last = HASH_NONE, line;
  int cut = (st->flags & CPROF_STACK_CUT) != 0;
  int pure = !(st->flags & CPROF_STACK_NODE);
  sm->samples += st->weight;
  sm->total_ns += ns;
  if (pure) {
    sm->pure = xgrow(sm->pure, &sm->pure_cap, sm->npure + 1, sizeof *sm->pure);
    sm->pure[sm->npure++] = (struct sampled_stack){st->weight, sm->nframes, 0};
  }
  for (uint32_t d = 0; d < st->depth; d++) {
    uint32_t f = frame_func(ps, pf->pcs[st->first + d], d, &line);
    if (f == HASH_NONE) {
      cut = 1; /* a chain gone astray */
      break;
    }
    if (d == 0)
      sm->funcs[f].self_ns += ns;
    if (d == 0 && (st->flags & CPROF_STACK_NODE)) {
      sm->under =
          xgrow(sm->under, &sm->under_cap, sm->nunder + 1, sizeof *sm->under);
      sm->under[sm->nunder++] = (struct sampled_under){st->node, f, st->weight};
    }
    if (ps->seen[f] != i + 1) {
      ps->seen[f] = i + 1;
      sm->funcs[f].cum_ns += ns;
    }
    if (pure) {
      sm->frames = xgrow(sm->frames, &sm->frames_cap, sm->nframes + 1,
                         sizeof *sm->frames);
      sm->frames[sm->nframes++] = (struct sampled_frame){f, line};
      sm->pure[sm->npure - 1].depth++;
    }
    last = f;
  }
  sm->cut += cut && !entry_point(sm->funcs[last].name);
}

void sampled_add(struct sampled **sp, const struct prof_file *pf) {
  if (!pf->sample_info)
    return;
  if (!*sp)
    *sp = sampled_new();
  struct sampled *sm = *sp;
  const struct cprof_file_sample_info *in = pf->sample_info;
  if (sm->nfiles++ == 0)
    sm->period_ns = in->period_ns;
  else if (in->period_ns != sm->period_ns)
    sm->periods_vary = 1;
  sm->signals += pf->nstacks;
  sm->dropped_signals += in->dropped_signals;
  sm->dropped_samples += in->dropped_samples;
  sm->threads += in->nthreads;
  sm->lost_handler |= (in->flags & CPROF_SAMPLE_LOST_HANDLER) != 0;
  sm->wall |= (in->flags & CPROF_SAMPLE_WALL_CLOCK) != 0;

  sm->nunder = sm->npure = sm->nframes = 0;
  struct pass ps = {.sm = sm, .sy = symbolizer_new(pf)};
  hash_init(&ps.cache.index);
  for (uint64_t i = 0; i < pf->nstacks; i++)
    add_stack(&ps, pf, i);
  free(ps.seen);
  free(ps.cache.pc);
  free(ps.cache.func);
  free(ps.cache.line);
  hash_free(&ps.cache.index);
  symbolizer_free(ps.sy);
}

static const struct sampled *order_of;

static int by_time(const void *a, const void *b) {
  const struct sampled_func *x = &order_of->funcs[*(const uint32_t *)a];
  const struct sampled_func *y = &order_of->funcs[*(const uint32_t *)b];
  if (x->self_ns != y->self_ns)
    return x->self_ns < y->self_ns ? 1 : -1;
  if (x->cum_ns != y->cum_ns)
    return x->cum_ns < y->cum_ns ? 1 : -1;
  return strcmp(x->label, y->label);
}

uint32_t *sampled_order(const struct sampled *sm, size_t *n) {
  uint32_t *order = xmalloc((sm->nfuncs + 1) * sizeof *order);
  *n = 0;
  for (size_t i = 0; i < sm->nfuncs; i++)
    if (sm->funcs[i].cum_ns)
      order[(*n)++] = (uint32_t)i;
  order_of = sm;
  qsort(order, *n, sizeof *order, by_time);
  return order;
}

void sampled_free(struct sampled *sm) {
  if (!sm)
    return;
  for (size_t i = 0; i < sm->nfuncs; i++)
    free(sm->funcs[i].label);
  free(sm->funcs);
  free(sm->under);
  free(sm->pure);
  free(sm->frames);
  hash_free(&sm->index);
  strpool_free(&sm->strings);
  free(sm);
}
