/*
 * dump.c - serialise what every thread recorded into the file format of
 * include/cprof/format.h.
 *
 * The caller holds rt_lock, so no thread is attaching and no function is
 * registering; threads keep running and may bump counters while we read
 * them.  Calls still under way are written as if they returned now, which
 * is what a profile taken at exit() from deep frames needs.
 */
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "rt.h"

struct dump {
  struct rt_buffer strings, funcs, lines, nodes, hists;
  struct rt_buffer depth_index; /* uint32_t file index of the node at each depth */
  struct rt_buffer node_of;     /* the rt_node of each node record */
  struct rt_memory_sections mem;
  int memory;                   /* the memory sections are written */
  uint64_t now;
  uint32_t nthreads;
  uint64_t dropped;
};

static uint32_t put_string(struct dump *d, const char *s) {
  uint32_t off = (uint32_t)d->strings.size;
  rt_buffer_put(&d->strings, s, strlen(s) + 1);
  return off;
}

/* Ticks of the open activation of `n` at `depth`, if there is one. */
static uint64_t open_ticks(struct rt_thread *t, struct cprof_frame *top,
                           const struct rt_node *n, size_t depth, uint64_t now) {
  struct cprof_frame *f = t->frames + depth;
  return f <= top && f->node == n && f->t_enter != RT_NO_TIME ? now - f->t_enter
                                                              : 0;
}

static void set_depth_index(struct dump *d, size_t depth, uint32_t index) {
  size_t need = (depth + 1) * sizeof index;
  while (d->depth_index.size < need)
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
  int any = 0;
  while (n && !d->depth_index.failed) {
    if (n->calls == 0) {
      n = next_subtree(n, &t->root, &depth);
      continue;
    }
    struct cprof_file_node rec = {
        .parent = depth == 1 ? CPROF_NO_PARENT : depth_index(d, depth - 1),
        .func = n->fn - 1,
        .calls = n->calls,
        .ticks = n->ticks + open_ticks(t, top, n, depth, d->now),
    };
    set_depth_index(d, depth, (uint32_t)(d->nodes.size / sizeof rec));
    rt_buffer_put(&d->nodes, &rec, sizeof rec);
    rt_buffer_put(&d->node_of, &n, sizeof n);
    any = 1;
    if (load_child(n)) {
      n = load_child(n);
      depth++;
    } else {
      n = next_subtree(n, &t->root, &depth);
    }
  }
  d->nthreads += any;
  d->dropped += t->dropped;
}

static void add_lines(struct cprof_file_line *sum, const struct cprof_file_line *l,
                      uint32_t nlines) {
  for (uint32_t i = 0; i < nlines; i++) {
    sum[i].hits += l[i].hits;
    sum[i].ticks += l[i].ticks;
  }
}

/* The current line of every open frame has run until now. */
static void add_open_lines(struct cprof_file_line *sum, uint32_t id,
                           uint64_t now) {
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next)
    for (struct cprof_frame *f = t->frames + 1; f <= t->top; f++)
      if (f->node->fn == id && f->cur_line != RT_NO_LINE)
        sum[f->cur_line].ticks += now - f->t_line;
}

/* Sum one function's line counters over the threads; NULL when it has none. */
static int merged_lines(struct cprof_file_line *sum, uint32_t id, uint32_t nlines,
                        uint64_t now) {
  int any = 0;
  memset(sum, 0, nlines * sizeof *sum);
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next) {
    const struct rt_fnstat *st = rt_thread_stat(t, id);
    if (st && st->nlines == nlines) {
      add_lines(sum, st->lines, nlines);
      any = 1;
    }
  }
  if (any)
    add_open_lines(sum, id, now);
  return any;
}

/* Completed calls of function `id` by duration, over every thread. */
static void put_hist(struct dump *d, uint32_t id) {
  uint64_t count[CPROF_HIST_BUCKETS] = {0};
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next) {
    const struct rt_fnstat *st = rt_thread_stat(t, id);
    for (uint32_t b = 0; st && b < CPROF_HIST_BUCKETS; b++)
      count[b] += st->hist[b];
    if (st && t->pending_hist == st->hist) /* see rt_close_frame */
      count[cprof_hist_bucket(t->pending_ticks)]++;
  }
  for (uint32_t b = 0; b < CPROF_HIST_BUCKETS; b++) {
    struct cprof_file_hist rec = {.func = id - 1, .bucket = b, .count = count[b]};
    if (count[b])
      rt_buffer_put(&d->hists, &rec, sizeof rec);
  }
}

static void put_functions(struct dump *d) {
  for (uint32_t id = 1; id <= rt_fn_count(); id++) {
    const struct rt_fn *f = rt_fn_get(id);
    struct cprof_file_func rec = {
        .name = put_string(d, f->name),
        .symbol = put_string(d, f->symbol),
        .file = put_string(d, f->file),
        .line = f->line,
        .first_line = f->first_line,
        .line_base = d->lines.size / sizeof(struct cprof_file_line),
    };
    if (f->nlines) {
      size_t mark = d->lines.size;
      struct cprof_file_line *sum =
          rt_buffer_extend(&d->lines, f->nlines * sizeof *sum);
      if (sum && merged_lines(sum, id, f->nlines, d->now))
        rec.nlines = f->nlines;
      else
        d->lines.size = mark;
    }
    rt_buffer_put(&d->funcs, &rec, sizeof rec);
    put_hist(d, id);
  }
}

static void put_section(struct rt_buffer *out, uint32_t kind,
                        uint32_t record_size, const struct rt_buffer *data) {
  struct cprof_section sec = {kind, record_size, data->size / record_size};
  rt_buffer_put(out, &sec, sizeof sec);
  rt_buffer_put(out, data->data, data->size);
}

static void free_dump(struct dump *d) {
  rt_buffer_free(&d->strings);
  rt_buffer_free(&d->funcs);
  rt_buffer_free(&d->lines);
  rt_buffer_free(&d->nodes);
  rt_buffer_free(&d->hists);
  rt_buffer_free(&d->depth_index);
  rt_buffer_free(&d->node_of);
  rt_buffer_free(&d->mem.sites);
  rt_buffer_free(&d->mem.totals);
}

static void put_header(struct rt_buffer *out, const struct dump *d,
                       uint32_t program) {
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
  h.program = program;
  h.nsections = d->memory ? 7 : 5;
  rt_buffer_put(out, &h, sizeof h);
}

/* Fill in the size and checksum once the body is in place. */
static void seal(struct rt_buffer *out) {
  struct cprof_file_header *h = (struct cprof_file_header *)out->data;
  h->file_size = out->size;
  h->checksum = cprof_checksum(CPROF_CHECKSUM_INIT, out->data + sizeof *h,
                               out->size - sizeof *h);
}

int rt_serialize(struct rt_buffer *out, uint64_t now) {
  struct dump d;
  memset(&d, 0, sizeof d);
  d.now = now;
  uint32_t program = put_string(&d, rt_program_name());
  put_functions(&d);
  for (struct rt_thread *t = rt_thread_list(); t; t = t->next)
    put_tree(&d, t);
  d.memory = rt_memory_collect(&d.mem, &d.node_of);
  put_header(out, &d, program);
  put_section(out, CPROF_SEC_STRINGS, 1, &d.strings);
  put_section(out, CPROF_SEC_FUNCS, sizeof(struct cprof_file_func), &d.funcs);
  put_section(out, CPROF_SEC_LINES, sizeof(struct cprof_file_line), &d.lines);
  put_section(out, CPROF_SEC_NODES, sizeof(struct cprof_file_node), &d.nodes);
  put_section(out, CPROF_SEC_HIST, sizeof(struct cprof_file_hist), &d.hists);
  if (d.memory) {
    put_section(out, CPROF_SEC_MEMSITES, sizeof(struct cprof_file_memsite),
                &d.mem.sites);
    put_section(out, CPROF_SEC_MEMORY, sizeof(struct cprof_file_memory),
                &d.mem.totals);
  }
  int failed = d.strings.failed || d.funcs.failed || d.lines.failed ||
               d.nodes.failed || d.hists.failed || d.depth_index.failed ||
               d.node_of.failed || d.mem.sites.failed || d.mem.totals.failed ||
               out->failed;
  free_dump(&d);
  if (failed)
    return -1;
  if (d.dropped)
    rt_warn("%llu calls were not recorded (deeper than CPROF_MAX_DEPTH, or "
            "out of memory)", (unsigned long long)d.dropped);
  seal(out);
  return 0;
}
