/*
 * memory_group.c - the rows of a memory report: sites added up by line,
 * by function or by call path, sorted as tracemalloc sorts them.
 *
 * A file holds one record per site (call path and line) and thread.
 * Counts and sizes of the records of a group simply add up.  Peaks are
 * per thread: each record carries its thread's peak for its site, for its
 * function and line, and for its function; a group's peak is the sum over
 * threads of the thread's peak at the group's level.  Every record of one
 * thread and one (function, line) carries the same line peak, so it is
 * counted once (likewise per function).
 */
#include "cprof-read/memory.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/util.h"

/* One record's part in a group; `who` names the peak it carries. */
struct part {
  struct mem_row row;
  uint64_t who[3];
};

static const char *func_name(const struct prof_file *pf, uint32_t func) {
  return prof_string(pf, pf->funcs[func].name);
}

/* "main > work > leaf": the functions on the node's path from its root. */
static char *path_of(const struct prof_file *pf, uint32_t node, uint32_t func) {
  uint32_t *chain = NULL;
  size_t depth = 0, cap = 0, size;
  char *buf;
  FILE *f = xmemstream(&buf, &size);
  for (uint32_t n = node; n != CPROF_NO_PARENT; n = pf->nodes[n].parent) {
    chain = xgrow(chain, &cap, depth + 1, sizeof *chain);
    chain[depth++] = n;
  }
  if (!depth) /* the node was not written: no calls since a cprof_reset */
    fprintf(f, "? > %s", func_name(pf, func));
  while (depth--)
    fprintf(f, "%s%s", func_name(pf, pf->nodes[chain[depth]].func),
            depth ? " > " : "");
  fclose(f);
  free(chain);
  return buf;
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...) {
  char *buf;
  size_t size;
  FILE *f = xmemstream(&buf, &size);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(f, fmt, ap);
  va_end(ap);
  fclose(f);
  return buf;
}

/* The key, labels and peak of record `i` at the level `by`. */
static void place_part(struct part *p, const struct prof_file *pf, size_t i,
                       enum mem_group by) {
  const struct cprof_file_memsite *s = &pf->memsites[i];
  const struct cprof_file_func *f = &pf->funcs[s->func];
  const char *file = prof_string(pf, f->file);
  p->who[0] = s->thread;
  p->who[1] = s->func;
  p->who[2] = by == GROUP_LINE ? s->line : 0;
  if (by == GROUP_LINE) {
    p->row.key = format("%s:%u", file, s->line);
    p->row.peak = s->line_peak;
  } else if (by == GROUP_FUNCTION) {
    p->row.line = f->line;
    p->row.name = xstrdup(func_name(pf, s->func));
    p->row.key = format("%s:%u(%s)", file, f->line, p->row.name);
    p->row.peak = s->func_peak;
  } else {
    p->row.path = path_of(pf, s->node, s->func);
    p->row.key = format("%s:%u (%s)", file, s->line, p->row.path);
    p->row.peak = s->peak_bytes;
    p->who[1] = i; /* every record is its own site */
  }
  p->row.file = xstrdup(file);
}

static struct part make_part(const struct prof_file *pf, size_t i,
                             enum mem_group by) {
  const struct cprof_file_memsite *s = &pf->memsites[i];
  struct part p;
  memset(&p, 0, sizeof p);
  p.row.line = s->line;
  p.row.size = s->live_bytes;
  p.row.count = s->live_blocks;
  p.row.allocs = s->allocs;
  p.row.alloc_bytes = s->alloc_bytes;
  if (s->func != CPROF_NO_FUNC) {
    place_part(&p, pf, i, by);
    return p;
  }
  /* <unprofiled>: one record per thread, the same set at every level. */
  p.row.key = xstrdup("<unprofiled>");
  p.row.peak = s->line_peak;
  p.who[0] = s->thread;
  p.who[1] = CPROF_NO_FUNC;
  return p;
}

static int cmp_part(const void *a, const void *b) {
  const struct part *x = a, *y = b;
  int c = strcmp(x->row.key, y->row.key);
  for (int i = 0; !c && i < 3; i++)
    c = (x->who[i] > y->who[i]) - (x->who[i] < y->who[i]);
  return c;
}

static void row_free(struct mem_row *r) {
  free(r->key);
  free(r->file);
  free(r->name);
  free(r->path);
}

/* Adds `p` into `r` (same key); its peak only when it names a new one. */
static void merge_part(struct mem_row *r, struct part *p,
                       const struct part *prev) {
  r->size += p->row.size;
  r->count += p->row.count;
  r->allocs += p->row.allocs;
  r->alloc_bytes += p->row.alloc_bytes;
  if (memcmp(p->who, prev->who, sizeof p->who) != 0)
    r->peak += p->row.peak;
  row_free(&p->row);
}

/* Rows in key order, one per group. */
void mem_group(struct mem_rows *out, const struct prof_file *pf,
               enum mem_group by) {
  struct part *parts =
      xcalloc(pf->nmemsites ? pf->nmemsites : 1, sizeof *parts);
  for (size_t i = 0; i < pf->nmemsites; i++)
    parts[i] = make_part(pf, i, by);
  qsort(parts, pf->nmemsites, sizeof *parts, cmp_part);
  out->row = xcalloc(pf->nmemsites ? pf->nmemsites : 1, sizeof *out->row);
  out->n = 0;
  for (size_t i = 0; i < pf->nmemsites; i++) {
    if (out->n && strcmp(out->row[out->n - 1].key, parts[i].row.key) == 0)
      merge_part(&out->row[out->n - 1], &parts[i], &parts[i - 1]);
    else
      out->row[out->n++] = parts[i].row;
  }
  free(parts);
}

/*
 * compare_to(): the rows of NEW with their change since OLD; a group in
 * one file only counts as 0 in the other.  Both are in key order and are
 * emptied (their rows move into `out`).
 */
void mem_diff(struct mem_rows *out, struct mem_rows *old,
              struct mem_rows *new_) {
  size_t i = 0, j = 0;
  out->row = xcalloc(old->n + new_->n + 1, sizeof *out->row);
  out->n = 0;
  while (i < old->n || j < new_->n) {
    int c = i == old->n    ? 1
            : j == new_->n ? -1
                           : strcmp(old->row[i].key, new_->row[j].key);
    struct mem_row *r = &out->row[out->n++];
    if (c < 0) { /* gone: everything it had is the change */
      *r = old->row[i++];
      r->size_diff = -(int64_t)r->size;
      r->count_diff = -(int64_t)r->count;
      r->size = r->count = r->peak = r->allocs = r->alloc_bytes = 0;
      continue;
    }
    *r = new_->row[j++];
    r->size_diff = (int64_t)r->size;
    r->count_diff = (int64_t)r->count;
    if (c == 0) {
      r->size_diff -= (int64_t)old->row[i].size;
      r->count_diff -= (int64_t)old->row[i].count;
      row_free(&old->row[i++]);
    }
  }
  old->n = new_->n = 0;
}

static int cmp_u64(uint64_t a, uint64_t b) { return (a < b) - (a > b); }

static uint64_t magnitude(int64_t v) {
  return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* tracemalloc's order, biggest first; then peak, then the key. */
static int cmp_stat(const void *a, const void *b) {
  const struct mem_row *x = a, *y = b;
  int c = cmp_u64(x->size, y->size);
  if (!c)
    c = cmp_u64(x->count, y->count);
  if (!c)
    c = cmp_u64(x->peak, y->peak);
  if (!c)
    c = cmp_u64(x->alloc_bytes, y->alloc_bytes);
  return c ? c : strcmp(x->key, y->key);
}

static int cmp_diff(const void *a, const void *b) {
  const struct mem_row *x = a, *y = b;
  int c = cmp_u64(magnitude(x->size_diff), magnitude(y->size_diff));
  if (!c)
    c = cmp_u64(x->size, y->size);
  if (!c)
    c = cmp_u64(magnitude(x->count_diff), magnitude(y->count_diff));
  if (!c)
    c = cmp_u64(x->count, y->count);
  return c ? c : strcmp(x->key, y->key);
}

void mem_sort(struct mem_rows *r, int diff) {
  qsort(r->row, r->n, sizeof *r->row, diff ? cmp_diff : cmp_stat);
}

void mem_rows_free(struct mem_rows *r) {
  for (size_t i = 0; i < r->n; i++)
    row_free(&r->row[i]);
  free(r->row);
  r->row = NULL;
  r->n = 0;
}
