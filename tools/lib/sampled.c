/*
 * sampled.c - sampled stacks into functions (sampled.h).
 *
 * A stack's first address is the interrupted instruction; the others are
 * return addresses, resolved one byte back, inside the call; an address
 * in inlined code is the inlined functions, innermost first, then the one
 * they are in (symbolize.h).  Its weight
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

/* Distinct addresses of one file, each resolved once into its frames. */
struct pc_cache {
  struct pc_entry {
    uint64_t pc;
    uint32_t first, count; /* its frames in `frames`; 0: in no mapping */
  } *entry;
  struct sampled_frame *frames; /* each address's, innermost first */
  size_t n, nframes, cap_entry, cap_frames;
  struct hash_index index;
};

struct pc_key {
  const struct pc_cache *cache;
  uint64_t pc;
};

static int pc_eq(const void *key, uint32_t entry) {
  const struct pc_key *k = key;
  return k->cache->entry[entry].pc == k->pc;
}

/* The line of a frame when it is in its function's own file: code inlined
 * from a header has lines of another file, which the function's line view
 * cannot show (0: none). */
static uint32_t own_line(const struct symbol *s, const struct sampled_func *f) {
  return s->at_file && f->line && strcmp(s->at_file, f->file) == 0 ? s->at_line
                                                                    : 0;
}

/* The frames of `pc` (symbolize.h: its inlined functions, then the one
 * they are in, each with its line), *n of them: 0 when no mapping holds
 * it. */
static const struct sampled_frame *resolve(struct sampled *sm,
                                           struct symbolizer *sy,
                                           struct pc_cache *c, uint64_t pc,
                                           uint32_t *n) {
  struct pc_key key = {c, pc};
  uint64_t h = hash_u64(pc);
  uint32_t at = hash_find(&c->index, h, pc_eq, &key);
  if (at == HASH_NONE) {
    struct symbol s[SYMBOLIZE_FRAMES];
    int got = symbolize(sy, pc, s, SYMBOLIZE_FRAMES);
    uint32_t count = got > 0 ? (uint32_t)got : 0;
    c->frames = xgrow(c->frames, &c->cap_frames, c->nframes + count,
                      sizeof *c->frames);
    for (uint32_t k = 0; k < count; k++) {
      uint32_t f = func_of(sm, &s[k]);
      c->frames[c->nframes + k] =
          (struct sampled_frame){f, own_line(&s[k], &sm->funcs[f])};
    }
    c->entry = xgrow(c->entry, &c->cap_entry, c->n + 1, sizeof *c->entry);
    c->entry[c->n] = (struct pc_entry){pc, (uint32_t)c->nframes, count};
    c->nframes += count;
    at = (uint32_t)c->n++;
    hash_add(&c->index, h, at);
  }
  *n = c->entry[at].count;
  return c->frames + c->entry[at].first;
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

/* One file's pass: its symbolizer, addresses, the functions of the stack
 * at hand, and per function the last stack counted in it (1-based). */
struct pass {
  struct sampled *sm;
  struct symbolizer *sy;
  struct pc_cache cache;
  struct sampled_frame *stack;
  size_t stack_cap;
  uint64_t *seen;
  size_t seen_cap;
};

/*
 * The functions of stack `st` into ps->stack, innermost first: each
 * address's inlined functions, then the one they were inlined into.
 * Returns their number; *top: the index of the interrupted instruction's
 * out-of-line function.  An address in no mapping ends the stack there
 * (*cut), unless it is the interrupted instruction: a sample all the same.
 */
static uint32_t stack_funcs(struct pass *ps, const struct prof_file *pf,
                            const struct cprof_file_stack *st, uint32_t *top,
                            int *cut) {
  uint32_t n = 0, k;
  struct sampled_frame unknown;
  for (uint32_t d = 0; d < st->depth; d++) {
    /* A return address is one past its call: resolve the call. */
    const struct sampled_frame *fs = resolve(
        ps->sm, ps->sy, &ps->cache, pf->pcs[st->first + d] - (d > 0), &k);
    if (k == 0 && d == 0) {
      struct symbol none = {0};
      unknown = (struct sampled_frame){func_of(ps->sm, &none), 0};
      fs = &unknown, k = 1;
    }
    if (k == 0) {
      *cut = 1; /* a chain gone astray */
      break;
    }
    ps->stack = xgrow(ps->stack, &ps->stack_cap, n + k, sizeof *ps->stack);
    memcpy(ps->stack + n, fs, k * sizeof *fs);
    if (d == 0)
      *top = k - 1;
    n += k;
  }
  if (ps->seen_cap < ps->sm->nfuncs) {
    size_t was = ps->seen_cap; /* new entries: never counted */
    ps->seen = xgrow(ps->seen, &ps->seen_cap, ps->sm->nfuncs, sizeof *ps->seen);
    memset(ps->seen + was, 0, (ps->seen_cap - was) * sizeof *ps->seen);
  }
  return n;
}

/*
 * The function a hybrid row names (hybrid.h): the interrupted one, out of
 * line, not what was inlined into it (code inlined into a profiled
 * function is inside it); but the profiled call's own function where it
 * is among the inlined (a profiled function inlined into another keeps
 * its probes, and the samples in it are its own).
 */
static uint32_t interrupted(const struct pass *ps, const struct prof_file *pf,
                            const struct cprof_file_stack *st, uint32_t top) {
  const struct cprof_file_func *ff = &pf->funcs[pf->nodes[st->node].func];
  for (uint32_t d = 0; d < top; d++) {
    const char *name = ps->sm->funcs[ps->stack[d].func].name;
    if (strcmp(name, prof_string(pf, ff->symbol)) == 0 ||
        strcmp(name, prof_string(pf, ff->name)) == 0)
      return ps->stack[d].func;
  }
  return ps->stack[top].func;
}

static void add_stack(struct pass *ps, const struct prof_file *pf, uint64_t i) {
  struct sampled *sm = ps->sm;
  const struct cprof_file_stack *st = &pf->stacks[i];
  uint64_t ns = (uint64_t)st->weight * pf->sample_info->period_ns;
  uint32_t last = HASH_NONE, top = 0;
  int cut = (st->flags & CPROF_STACK_CUT) != 0;
  int pure = !(st->flags & CPROF_STACK_NODE);
  sm->samples += st->weight;
  sm->total_ns += ns;
  uint32_t n = stack_funcs(ps, pf, st, &top, &cut);
  if (pure) { /* kept whole for its rows (pure.h) */
    sm->pure = xgrow(sm->pure, &sm->pure_cap, sm->npure + 1, sizeof *sm->pure);
    sm->pure[sm->npure++] = (struct sampled_stack){st->weight, sm->nframes, n};
    sm->frames = xgrow(sm->frames, &sm->frames_cap, sm->nframes + n,
                       sizeof *sm->frames);
    memcpy(sm->frames + sm->nframes, ps->stack, n * sizeof *ps->stack);
    sm->nframes += n;
  }
  for (uint32_t d = 0; d < n; d++) {
    uint32_t f = ps->stack[d].func;
    if (d == 0)
      sm->funcs[f].self_ns += ns;
    if (d == top && (st->flags & CPROF_STACK_NODE)) {
      sm->under =
          xgrow(sm->under, &sm->under_cap, sm->nunder + 1, sizeof *sm->under);
      sm->under[sm->nunder++] = (struct sampled_under){
          st->node, interrupted(ps, pf, st, top), st->weight};
    }
    if (ps->seen[f] != i + 1) {
      ps->seen[f] = i + 1;
      sm->funcs[f].cum_ns += ns;
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
  free(ps.stack);
  free(ps.cache.entry);
  free(ps.cache.frames);
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
  hash_free(&sm->index);
  strpool_free(&sm->strings);
  free(sm);
}
