/*
 * report_memory.c - memory reports in tracemalloc's layouts, or JSON.
 *
 *   Statistic:      file:LINE: size=554 KiB, count=4004, average=142 B
 *   StatisticDiff:  file:LINE: size=554 KiB (+415 KiB), count=4004 (+3001),
 *                   average=142 B
 *
 * Sizes are written as tracemalloc's _format_size() writes them.  A
 * statistic row goes on with what tracemalloc does not have: the peak and
 * the blocks allocated in all (", peak=600 KiB, allocs=16016 (2.3 MiB)").
 */
#include "cprof-read/memory.h"

#include <inttypes.h>
#include <math.h>

#include "cprof-read/utf8.h"

static const char *const group_names[] = {"line", "function", "path"};

/* tracemalloc's _format_size(): 3 or 4 significant digits and a unit. */
static void put_size(FILE *out, double size, int sign) {
  static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  for (int u = 0;; u++, size /= 1024) {
    if (fabs(size) < 100 && u) {
      fprintf(out, sign ? "%+.1f %s" : "%.1f %s", size, units[u]);
      return;
    }
    if (fabs(size) < 10 * 1024 || u == 4) {
      fprintf(out, sign ? "%+.0f %s" : "%.0f %s", size, units[u]);
      return;
    }
  }
}

static void put_average(FILE *out, const struct mem_row *r) {
  if (r->count) {
    fputs(", average=", out);
    put_size(out, (double)r->size / (double)r->count, 0);
  }
}

static void put_stat(FILE *out, const struct mem_row *r) {
  fprintf(out, "%s: size=", r->key);
  put_size(out, (double)r->size, 0);
  fprintf(out, ", count=%" PRIu64, r->count);
  put_average(out, r);
  fputs(", peak=", out);
  put_size(out, (double)r->peak, 0);
  fprintf(out, ", allocs=%" PRIu64 " (", r->allocs);
  put_size(out, (double)r->alloc_bytes, 0);
  fputs(")\n", out);
}

static void put_stat_diff(FILE *out, const struct mem_row *r) {
  fprintf(out, "%s: size=", r->key);
  put_size(out, (double)r->size, 0);
  fputs(" (", out);
  put_size(out, (double)r->size_diff, 1);
  fprintf(out, "), count=%" PRIu64 " (%+" PRId64 ")", r->count, r->count_diff);
  put_average(out, r);
  fputc('\n', out);
}

static void put_json_row(FILE *out, const struct mem_row *r, int diff) {
  fputs("{\"key\":", out);
  utf8_put_json(out, r->key);
  fputs(",\"file\":", out);
  utf8_put_json(out, r->file);
  fprintf(out, ",\"line\":%" PRIu32, r->line);
  if (r->name) {
    fputs(",\"function\":", out);
    utf8_put_json(out, r->name);
  }
  if (r->path) {
    fputs(",\"path\":", out);
    utf8_put_json(out, r->path);
  }
  fprintf(out, ",\"size\":%" PRIu64 ",\"count\":%" PRIu64, r->size, r->count);
  if (diff)
    fprintf(out, ",\"size_diff\":%" PRId64 ",\"count_diff\":%" PRId64,
            r->size_diff, r->count_diff);
  fprintf(out,
          ",\"peak\":%" PRIu64 ",\"allocs\":%" PRIu64
          ",\"alloc_bytes\":%" PRIu64 "}",
          r->peak, r->allocs, r->alloc_bytes);
}

/* The rows the report shows: --leaks keeps the live ones; -n N the first N. */
static int shown(const struct mem_report *o, const struct mem_row *r,
                 size_t *left) {
  if ((o->leaks && !r->count) || (o->limit && *left == 0))
    return 0;
  (*left)--;
  return 1;
}

static void put_json_rows(FILE *out, const struct mem_report *o,
                          const struct mem_rows *rows, int diff) {
  size_t left = o->limit;
  const char *sep = "";
  fprintf(out, ",\"group\":\"%s\",\"sites\":[", group_names[o->by]);
  for (size_t i = 0; i < rows->n; i++)
    if (shown(o, &rows->row[i], &left)) {
      fprintf(out, "%s\n", sep);
      put_json_row(out, &rows->row[i], diff);
      sep = ",";
    }
  fputs("]}\n", out);
}

static void put_json_totals(FILE *out, const struct cprof_file_memory *t) {
  fprintf(out,
          "{\"version\":1,\"current\":%" PRIu64 ",\"peak\":%" PRIu64
          ",\"untracked_frees\":%" PRIu64 ",\"dropped\":%" PRIu64
          ",\"at_exit\":%s",
          t->current, t->peak, t->untracked_frees, t->dropped,
          t->at_exit ? "true" : "false");
}

/* What the rows leave out: blocks that could not be counted. */
static void put_notes(FILE *out, const struct cprof_file_memory *t) {
  if (t->untracked_frees)
    fprintf(out,
            "Frees of blocks allocated before tracing started: %" PRIu64
            " (not counted)\n",
            t->untracked_frees);
  if (t->dropped)
    fprintf(out,
            "Blocks not traced (the tracer was out of memory): %" PRIu64 "\n",
            t->dropped);
}

static void put_leak_title(FILE *out, const struct prof_file *pf,
                           const struct mem_rows *rows) {
  uint64_t size = 0, count = 0;
  size_t sites = 0;
  for (size_t i = 0; i < rows->n; i++) {
    size += rows->row[i].size;
    count += rows->row[i].count;
    sites += rows->row[i].count > 0;
  }
  fprintf(out, "Still allocated %s: ",
          pf->memory->at_exit ? "at exit" : "when the profile was written");
  put_size(out, (double)size, 0);
  fprintf(out, " in %" PRIu64 " blocks from %zu %s\n", count, sites,
          sites == 1 ? "site" : "sites");
}

int report_memory(FILE *out, const struct mem_report *o,
                  const struct prof_file *pf, const struct mem_rows *rows) {
  size_t left = o->limit;
  if (o->json) {
    put_json_totals(out, pf->memory);
    fprintf(out, ",\"leaks\":%s", o->leaks ? "true" : "false");
    put_json_rows(out, o, rows, 0);
    return 0;
  }
  if (o->leaks) {
    put_leak_title(out, pf, rows);
  } else {
    fputs("Traced memory: current=", out);
    put_size(out, (double)pf->memory->current, 0);
    fputs(", peak=", out);
    put_size(out, (double)pf->memory->peak, 0);
    fputc('\n', out);
  }
  put_notes(out, pf->memory);
  fputc('\n', out);
  for (size_t i = 0; i < rows->n; i++)
    if (shown(o, &rows->row[i], &left))
      put_stat(out, &rows->row[i]);
  return 0;
}

int report_memory_diff(FILE *out, const struct mem_report *o,
                       const struct prof_file *old,
                       const struct prof_file *new_,
                       const struct mem_rows *rows) {
  const struct cprof_file_memory *a = old->memory, *b = new_->memory;
  size_t left = o->limit;
  if (o->json) {
    put_json_totals(out, b);
    fprintf(out, ",\"current_diff\":%" PRId64 ",\"peak_diff\":%" PRId64,
            (int64_t)(b->current - a->current), (int64_t)(b->peak - a->peak));
    put_json_rows(out, o, rows, 1);
    return 0;
  }
  fputs("Traced memory: current=", out);
  put_size(out, (double)b->current, 0);
  fputs(" (", out);
  put_size(out, (double)(int64_t)(b->current - a->current), 1);
  fputs("), peak=", out);
  put_size(out, (double)b->peak, 0);
  fputs(" (", out);
  put_size(out, (double)(int64_t)(b->peak - a->peak), 1);
  fputs(")\n\n", out);
  for (size_t i = 0; i < rows->n; i++)
    if (shown(o, &rows->row[i], &left))
      put_stat_diff(out, &rows->row[i]);
  return 0;
}
