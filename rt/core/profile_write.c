/*
 * profile_write.c - serialise what every thread recorded into the file
 * format of include/cprof/format.h (tools/ has the reader).
 *
 * The caller holds rt_lock, so no thread is attaching and no function is
 * registering; threads keep running and may bump counters while we read
 * them.  Calls still under way are written as if they returned now, which
 * is what a profile taken at exit() from deep frames needs.
 *
 * The file is built in place, one section after the other, in a single
 * buffer: on a large profile fresh pages cost more than the records, so
 * no section is staged elsewhere and copied.  A section's count is filled
 * in after its last record: running threads may add nodes and histogram
 * buckets while we write, so the counts are only known then.  Records may
 * be unaligned (the strings come first), so they are copied, never
 * dereferenced in place.
 */
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "core/core.h"

struct dump {
  struct rt_buffer *out; /* the file so far */
  struct rt_buffer
      depth_index;           /* uint32_t file index of the node at each depth */
  struct rt_buffer node_of;  /* the rt_node of each node record (hooks) */
  int hooked;                /* a plug-in refers to nodes: keep node_of */
  uint32_t nfuncs;           /* functions registered when the dump began */
  uint32_t nnodes;           /* node records so far */
  size_t funcs_at, lines_at; /* offsets of the first record of each */
  struct rt_buffer threads;  /* struct cprof_file_thread, as put_nodes goes */
  uint32_t thread_names;     /* string offset of the first thread's name */
  uint64_t now;
  uint32_t nthreads;
  uint64_t dropped;
  uint64_t samples, sample_signals;
  int signal; /* the run was cut short by it (0: not) */
};

/* Starts a section; returns its offset, for rt_section_end. */
size_t rt_section_begin(struct rt_buffer *out, uint32_t kind,
                        uint32_t record_size) {
  RT_ASSERT(record_size > 0);
  struct cprof_section sec = {kind, record_size, 0};
  size_t at = out->size;
  rt_buffer_put(out, &sec, sizeof sec);
  return at;
}

/* Its count: the records written since rt_section_begin. */
void rt_section_end(struct rt_buffer *out, size_t at) {
  struct cprof_section sec;
  if (out->failed)
    return;
  memcpy(&sec, out->data + at, sizeof sec);
  sec.count = (out->size - at - sizeof sec) / sec.record_size;
  memcpy(out->data + at, &sec, sizeof sec);
}

static void put_string(struct rt_buffer *out, const char *s) {
  rt_buffer_put(out, s, strlen(s) + 1);
}

/* The program's path (offset 0), then each function's name, symbol and
 * file, in the order next_string() hands out their offsets, then each
 * thread's name, read now (put_nodes hands those out). */
static void put_strings(struct dump *d) {
  size_t at = rt_section_begin(d->out, CPROF_SEC_STRINGS, 1);
  put_string(d->out, rt_program_name());
  for (uint32_t id = 1; id <= d->nfuncs; id++) {
    const struct rt_fn *f = rt_fn_get(id);
    put_string(d->out, f->name);
    put_string(d->out, f->symbol);
    put_string(d->out, f->file);
  }
  d->thread_names = (uint32_t)(d->out->size - at - sizeof(struct cprof_section));
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next) {
    if (t->live)
      rt_thread_name_of(t->tid, t->name);
    put_string(d->out, t->name);
  }
  rt_section_end(d->out, at);
}

static uint32_t next_string(uint32_t *off, const char *s) {
  uint32_t at = *off;
  *off += (uint32_t)strlen(s) + 1;
  return at;
}

/* Ticks of the open activation of `n` at `depth`, if there is one. */
static uint64_t open_ticks(struct rt_thread *t, struct cprof_frame *top,
                           const struct rt_node *n, size_t depth,
                           uint64_t now) {
  struct cprof_frame *f = t->frames + depth;
  return f <= top && f->node == n && f->t_enter != RT_NO_TIME ? now - f->t_enter
                                                              : 0;
}

static void set_depth_index(struct dump *d, size_t depth, uint32_t index) {
  size_t need = (depth + 1) * sizeof index;
  while (d->depth_index.size < need && !d->depth_index.failed)
    rt_buffer_put(&d->depth_index, &index, sizeof index);
  if (!d->depth_index.failed)
    memcpy(d->depth_index.data + depth * sizeof index, &index, sizeof index);
}

static uint32_t depth_index(const struct dump *d, size_t depth) {
  uint32_t index;
  memcpy(&index, d->depth_index.data + depth * sizeof index, sizeof index);
  return index;
}

static const struct rt_node *load_child(const struct rt_node *n) {
  return __atomic_load_n(&n->child, __ATOMIC_ACQUIRE);
}

/* The next node in pre-order after `n`'s subtree, tracking the depth. */
static const struct rt_node *next_subtree(const struct rt_node *n,
                                          const struct rt_node *root,
                                          size_t *depth) {
  while (n != root && !n->sibling) {
    n = n->parent;
    (*depth)--;
  }
  return n == root ? NULL : n->sibling;
}

/*
 * Pre-order walk without recursion: a 1M-deep tree must not blow the
 * stack.  Subtrees without calls (zeroed by a reset or a fork) are left
 * out: a node is only ever called after its parent.
 */
static void put_tree(struct dump *d, struct rt_thread *t) {
  struct cprof_frame *top = t->top;
  const struct rt_node *n = load_child(&t->root);
  size_t depth = 1;
  uint32_t first = d->nnodes;
  int any = 0;
  while (n && !d->depth_index.failed && !d->out->failed) {
    if (n->calls == 0) {
      n = next_subtree(n, &t->root, &depth);
      continue;
    }
    struct cprof_file_node rec = {
        .parent = depth == 1 ? CPROF_NO_PARENT : depth_index(d, depth - 1),
        .func = n->fn - 1,
        .calls = n->calls,
        .ticks = n->ticks + open_ticks(t, top, n, depth, d->now),
        .samples = n->samples,
    };
    set_depth_index(d, depth, d->nnodes++);
    rt_buffer_put(d->out, &rec, sizeof rec);
    if (d->hooked)
      rt_buffer_put(&d->node_of, &n, sizeof n);
    any = 1;
    if (load_child(n)) {
      n = load_child(n);
      depth++;
    } else {
      n = next_subtree(n, &t->root, &depth);
    }
  }
  if (any) {
    struct cprof_file_thread rec = {
        .first_node = first,
        .nnodes = d->nnodes - first,
        .name = d->thread_names,
        .tid = t->tid,
        .runs = t->runs,
    };
    rt_buffer_put(&d->threads, &rec, sizeof rec);
  }
  d->thread_names += (uint32_t)strlen(t->name) + 1;
  d->nthreads += any;
  d->dropped += t->dropped;
  d->samples += t->samples_due;
  d->sample_signals += t->sample_seq;
}

/* Adds to the (unaligned) line record at `at`. */
static void add_line(char *at, uint64_t hits, uint64_t ticks,
                     uint64_t samples) {
  struct cprof_file_line l;
  memcpy(&l, at, sizeof l);
  l.hits += hits;
  l.ticks += ticks;
  l.samples += samples;
  memcpy(at, &l, sizeof l);
}

/* Does any thread count the lines of function `id`? */
static int has_lines(uint32_t id, uint32_t nlines) {
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next) {
    const struct rt_fnstat *st = rt_thread_stat(t, id);
    if (st && st->nlines == nlines)
      return 1;
  }
  return 0;
}

/* Extremes and samples of function `id` over every thread, into `rec`;
 * a thread's last exit, not yet counted, counts (see rt_close_frame). */
static void merge_calls(struct cprof_file_func *rec, uint32_t id) {
  uint64_t min = UINT64_MAX, max = 0;
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next) {
    const struct rt_fnstat *st = rt_thread_stat(t, id);
    if (!st)
      continue;
    uint64_t lo = st->min_ticks, hi = st->max_ticks;
    if (t->pending == st) {
      lo = t->pending_ticks < lo ? t->pending_ticks : lo;
      hi = t->pending_ticks > hi ? t->pending_ticks : hi;
    }
    min = lo < min ? lo : min;
    max = hi > max ? hi : max;
    rec->samples += st->samples;
  }
  rec->min_ticks = min == UINT64_MAX ? 0 : min;
  rec->max_ticks = max;
}

/*
 * Whether a function has line data is decided here, once: a thread may
 * start counting its lines before put_lines gets to it, and put_lines
 * writes exactly the records these say.
 */
static void put_functions(struct dump *d) {
  size_t at =
      rt_section_begin(d->out, CPROF_SEC_FUNCS, sizeof(struct cprof_file_func));
  uint32_t str = (uint32_t)strlen(rt_program_name()) + 1;
  uint64_t nlines = 0;
  d->funcs_at = d->out->size;
  for (uint32_t id = 1; id <= d->nfuncs; id++) {
    const struct rt_fn *f = rt_fn_get(id);
    uint32_t name = next_string(&str, f->name);
    uint32_t symbol = next_string(&str, f->symbol);
    struct cprof_file_func rec = {
        .name = name,
        .symbol = symbol,
        .file = next_string(&str, f->file),
        .line = f->line,
        .first_line = f->first_line,
        .nlines = f->nlines && has_lines(id, f->nlines) ? f->nlines : 0,
        .line_base = nlines,
        .flags = f->flags,
    };
    merge_calls(&rec, id);
    nlines += rec.nlines;
    rt_buffer_put(d->out, &rec, sizeof rec);
  }
  rt_section_end(d->out, at);
}

static struct cprof_file_func func_record(const struct dump *d, uint32_t id) {
  struct cprof_file_func rec;
  memcpy(&rec, d->out->data + d->funcs_at + (id - 1) * sizeof rec, sizeof rec);
  return rec;
}

/* The current line of every open frame has run until now. */
static void add_open_lines(struct dump *d) {
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next)
    for (struct cprof_frame *f = t->frames + 1; f <= t->top; f++) {
      uint32_t slot = f->head.line;
      if (!f->nlines || slot == RT_NO_LINE)
        continue;
      struct cprof_file_func rec = func_record(d, f->node->fn);
      if (slot < rec.nlines)
        add_line(d->out->data + d->lines_at +
                     (rec.line_base + slot) * sizeof(struct cprof_file_line),
                 0, d->now - f->t_line, 0);
    }
}

/* One function's line counters summed over the threads, into `sum`. */
static void sum_lines(char *sum, uint32_t id, uint32_t nlines) {
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next) {
    const struct rt_fnstat *st = rt_thread_stat(t, id);
    if (!st || st->nlines != nlines)
      continue;
    for (uint32_t k = 0; k < nlines; k++)
      add_line(sum + k * sizeof *st->lines, st->lines[k].hits,
               st->lines[k].ticks, st->lines[k].samples);
  }
}

static void put_lines(struct dump *d) {
  size_t at =
      rt_section_begin(d->out, CPROF_SEC_LINES, sizeof(struct cprof_file_line));
  d->lines_at = d->out->size;
  for (uint32_t id = 1; id <= d->nfuncs && !d->out->failed; id++) {
    struct cprof_file_func rec = func_record(d, id);
    char *sum =
        rt_buffer_extend(d->out, rec.nlines * sizeof(struct cprof_file_line));
    if (sum && rec.nlines)
      sum_lines(sum, id, rec.nlines);
  }
  if (!d->out->failed)
    add_open_lines(d);
  rt_section_end(d->out, at);
}

/* Completed calls of function `id` by duration, over every thread. */
static void put_hist(struct dump *d, uint32_t id) {
  uint64_t count[CPROF_HIST_BUCKETS] = {0};
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next) {
    const struct rt_fnstat *st = rt_thread_stat(t, id);
    for (uint32_t b = 0; st && b < CPROF_HIST_BUCKETS; b++)
      count[b] += st->hist[b];
    if (st && t->pending == st) /* see rt_close_frame */
      count[cprof_hist_bucket(t->pending_ticks)]++;
  }
  for (uint32_t b = 0; b < CPROF_HIST_BUCKETS; b++) {
    struct cprof_file_hist rec = {
        .func = id - 1, .bucket = b, .count = count[b]};
    if (count[b])
      rt_buffer_put(d->out, &rec, sizeof rec);
  }
}

static void put_nodes(struct dump *d) {
  size_t at =
      rt_section_begin(d->out, CPROF_SEC_NODES, sizeof(struct cprof_file_node));
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next)
    put_tree(d, t);
  rt_section_end(d->out, at);
}

static void put_threads(struct dump *d) {
  size_t at = rt_section_begin(d->out, CPROF_SEC_THREADS,
                               sizeof(struct cprof_file_thread));
  if (!d->threads.failed)
    rt_buffer_put(d->out, d->threads.data, d->threads.size);
  rt_section_end(d->out, at);
}

static void put_hists(struct dump *d) {
  size_t at =
      rt_section_begin(d->out, CPROF_SEC_HIST, sizeof(struct cprof_file_hist));
  for (uint32_t id = 1; id <= d->nfuncs; id++)
    put_hist(d, id);
  rt_section_end(d->out, at);
}

static void free_dump(struct dump *d) {
  rt_buffer_free(&d->depth_index);
  rt_buffer_free(&d->node_of);
  rt_buffer_free(&d->threads);
}

/* The sections written, read back: the header's count cannot disagree. */
static uint32_t count_sections(const struct rt_buffer *out) {
  uint32_t n = 0;
  size_t at = sizeof(struct cprof_file_header);
  for (; at < out->size; n++) {
    struct cprof_section sec;
    memcpy(&sec, out->data + at, sizeof sec);
    at += sizeof sec + (size_t)sec.count * sec.record_size;
  }
  RT_ASSERT(at == out->size);
  return n;
}

/* The header goes in last, when the sizes and the checksum are known. */
static void seal(struct rt_buffer *out, const struct dump *d) {
  struct cprof_file_header h;
  memset(&h, 0, sizeof h);
  memcpy(h.magic, CPROF_MAGIC, CPROF_MAGIC_SIZE);
  h.version = CPROF_FORMAT_VERSION;
  h.header_size = sizeof h;
  h.clock = RT_CLOCK;
  h.tick_hz = rt_clock_rate();
  h.run_ticks = d->now - rt_clock_start_ticks();
  h.start_unix_ns = rt_clock_start_unix_ns();
  h.call_cost = rt_costs.call;
  h.call_inner_cost = rt_costs.call_inner;
  h.line_cost = rt_costs.line;
  h.pid = (uint32_t)getpid();
  h.nthreads = d->nthreads;
  h.dropped = d->dropped;
  h.program = 0; /* the first string */
  h.flags = d->signal ? CPROF_FILE_CUT_SHORT : 0;
  h.signal = (uint16_t)d->signal;
  h.sample_period_ns = rt_sample_period_ns();
  h.samples = d->samples;
  h.sample_signals = d->sample_signals;
  h.call_cost_spread = rt_costs.call_spread;
  h.line_cost_spread = rt_costs.line_spread;
  h.nsections = count_sections(out);
  h.file_size = out->size;
  h.checksum = cprof_checksum(CPROF_CHECKSUM_INIT, out->data + sizeof h,
                              out->size - sizeof h);
  memcpy(out->data, &h, sizeof h);
}

/* The core's sections, in file order: each may use those before it. */
static void (*const core_sections[])(struct dump *) = {
    put_strings, put_functions, put_lines, put_nodes, put_threads, put_hists,
};

int rt_serialize(struct rt_buffer *out, uint64_t now, int signal) {
  struct dump d;
  memset(&d, 0, sizeof d);
  d.out = out;
  d.now = now;
  d.signal = signal;
  d.nfuncs = rt_fn_count();
  /* Read once: a plug-in that starts during the dump shows in the next. */
  int memory = rt_hooks.dump_active && rt_hooks.dump_active();
  d.hooked = memory || rt_hooks.sample_write;
  rt_buffer_extend(out, sizeof(struct cprof_file_header));
  for (size_t i = 0; i < sizeof core_sections / sizeof *core_sections; i++)
    core_sections[i](&d);
  int failed = d.depth_index.failed || d.node_of.failed || d.threads.failed ||
               out->failed;
  if (!failed && memory)
    failed = rt_hooks.dump_write(out, &d.node_of) < 0 || out->failed;
  if (!failed && rt_hooks.sample_write)
    failed = rt_hooks.sample_write(out, &d.node_of, signal) < 0 || out->failed;
  free_dump(&d);
  if (failed)
    return -1;
  d.dropped += __atomic_load_n(&rt_stateless_calls, __ATOMIC_RELAXED);
  if (d.dropped)
    rt_warn("%llu calls were not recorded (deeper than CPROF_MAX_DEPTH, or "
            "out of memory)",
            (unsigned long long)d.dropped);
  seal(out, &d);
  return 0;
}
