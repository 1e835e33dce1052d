/*
 * timeit_lines.c - `cprof timeit --lines [--memory]`: what each line of a
 * statement does per loop, exactly.
 *
 * The statements are built once more, through this driver with the
 * plugin's line-hits mode (counters, no timer; with --memory its default
 * line probes, which count the same hits and give each allocation its
 * line, as line-hits does not yet), in a profiled main() that
 * runs the setup and then each statement in a loop of its own.  Every
 * line of the generated file is in one file, "<stmt>", so that the plugin
 * counts them (it counts the lines of the function's own file): statement
 * K's lines are LINE_BASE * K + 1, ..., the setup's SETUP_LINE on, and the
 * loops' own code FRAME_LINE on, which no table shows.  (The runtime keeps
 * counters for the function's whole span of lines: 16 bytes each, so the
 * span is kept to some 60,000.)  Each loop ends on
 * a frame line, so a statement's first line is hit once a loop however
 * short it is.  The profile is read with the reader prstats uses.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cprof-read/load.h"
#include "cprof-read/memory.h"
#include "cprof-read/stats.h"
#include "timeit_cmd.h"

#define FILE_NAME "<stmt>"
enum { LINE_BASE = 1000, MAX_STATEMENTS = 50 };
enum { SETUP_LINE = LINE_BASE * MAX_STATEMENTS + 1, FRAME_LINE = 60000 };
enum { DEFAULT_LOOPS = 1000 }; /* hits are exact: a few loops are enough */

static int count_lines(const char *text) {
  int n = 1;
  for (const char *p = text; *p; p++)
    n += *p == '\n' && p[1];
  return n;
}

static int generate(const char *path, const struct timeit_opts *o, char **stmts,
                    int count, uint64_t loops) {
  FILE *f = fopen(path, "w");

  if (!f) {
    driver_error("timeit: cannot write %s: %s", path, strerror(errno));
    return -1;
  }
  timeit_put_headers(f, o);
  fprintf(f, "#include <cprof.h>\n#line %d \"%s\"\n", FRAME_LINE, FILE_NAME);
  fputs("CPROF_PROFILE int main(void) {\n", f);
  if (o->setup)
    timeit_put_user_code(f, FILE_NAME, SETUP_LINE, o->setup, FILE_NAME,
                         FRAME_LINE);
  for (int k = 0; k < count; k++) {
    fprintf(f, "  for (uint64_t cprof__i = 0; cprof__i < %llu; cprof__i++) {\n",
            (unsigned long long)loops);
    timeit_put_user_code(f, FILE_NAME, LINE_BASE * k + 1, stmts[k], FILE_NAME,
                         FRAME_LINE);
    fputs("    __asm__ __volatile__(\"\");\n  }\n", f);
  }
  fputs("  return 0;\n}\n", f);
  return fclose(f) == 0 ? 0 : -1;
}

/* Through this driver: the plugin, cprof.h, libcprof. */
static int build(const struct timeit_opts *o, const char *src,
                 const char *exe) {
  struct argv cmd = {0};

  argv_push(&cmd, driver_paths()->self);
  if (!o->memory)
    argv_push(&cmd, "--line-hits");
  argv_push(&cmd, o->cc ? o->cc : "gcc");
  timeit_push_build(&cmd, o, src, exe);
  int status = driver_spawn(cmd.v);
  argv_free(&cmd);
  return status;
}

static int run(const struct timeit_opts *o, const char *exe, const char *out) {
  char *const cmd[] = {(char *)exe, NULL};

  setenv("CPROF_OUT", out, 1);
  setenv("CPROF_MEMORY", o->memory ? "1" : "0", 1);
  unsetenv("CPROF_REPORT");
  return driver_spawn(cmd);
}

/* What one line of a statement did in all its loops. */
struct line_count {
  uint64_t hits, allocs, bytes;
};

/* Hits of main's lines [first, first + n) into c[]. */
static void add_hits(const struct stats *s, uint32_t first, int n,
                     struct line_count *c) {
  for (size_t i = 0; i < s->nfuncs; i++) {
    const struct stats_func *f = &s->funcs[i];
    if (strcmp(f->name, "main") != 0)
      continue;
    for (uint32_t k = 0; k < f->nlines; k++) {
      uint32_t line = f->first_line + k;
      if (line >= first && line < first + (uint32_t)n)
        c[line - first].hits += f->lines[k].hits;
    }
  }
}

/* Allocations at lines [first, first + n) into c[]. */
static void add_memory(const struct mem_rows *rows, uint32_t first, int n,
                       struct line_count *c) {
  for (size_t i = 0; i < rows->n; i++) {
    const struct mem_row *r = &rows->row[i];
    if (r->file && r->line >= first && r->line < first + (uint32_t)n) {
      c[r->line - first].allocs += r->allocs;
      c[r->line - first].bytes += r->alloc_bytes;
    }
  }
}

/* "12.5", or "" for nothing: line_profiler leaves lines not run blank. */
static void per_loop(char *out, size_t size, uint64_t n, uint64_t loops) {
  if (n)
    snprintf(out, size, "%.6g", (double)n / (double)loops);
  else
    out[0] = '\0';
}

static void print_table(const struct timeit_opts *o, int k, int count,
                        const char *stmt, const struct line_count *c, int n,
                        uint64_t loops) {
  const char *text = stmt;

  if (o->json) {
    printf("{\"lines\": %d, \"loops\": %llu, \"table\": [", k + 1,
           (unsigned long long)loops);
    for (int i = 0; i < n; i++) {
      printf("%s{\"line\": %d, \"hits\": %.6g", i ? ", " : "", i + 1,
             (double)c[i].hits / (double)loops);
      if (o->memory)
        printf(", \"allocs\": %.6g, \"bytes\": %.6g",
               (double)c[i].allocs / (double)loops,
               (double)c[i].bytes / (double)loops);
      putchar('}');
    }
    puts("]}");
    return;
  }
  if (count > 1)
    printf("\n[%d] lines ", k + 1);
  else
    printf("\nLines ");
  printf("per loop (%llu loops, counted by the plugin%s):\n",
         (unsigned long long)loops, o->memory ? "" : " in line-hits mode");
  printf(o->memory ? "Line #  Hits/loop  Allocs/loop  Bytes/loop  Line "
                     "Contents\n"
                   : "Line #  Hits/loop  Line Contents\n");
  for (int i = 0; i < n; i++) {
    char hits[32], allocs[32], bytes[32];
    size_t len = strcspn(text, "\n");
    per_loop(hits, sizeof hits, c[i].hits, loops);
    printf("%6d  %9s  ", i + 1, hits);
    if (o->memory) {
      per_loop(allocs, sizeof allocs, c[i].allocs, loops);
      per_loop(bytes, sizeof bytes, c[i].bytes, loops);
      printf("%11s  %10s  ", allocs, bytes);
    }
    printf("%.*s\n", (int)len, text);
    text += len + (text[len] == '\n');
  }
}

/* Reads OUT and prints a table per statement; 0, or 1 after a message. */
static int report(const struct timeit_opts *o, const char *out, char **stmts,
                  int count, uint64_t loops) {
  struct stats s;
  struct mem_rows rows = {0};
  struct prof_file mf;
  char err[256], *files[] = {(char *)out};
  int status = 0;

  stats_init(&s);
  if (load_files(&s, files, 1) < 0) {
    stats_free(&s);
    return 1;
  }
  if (o->memory) {
    if (mem_load(&mf, out, err, sizeof err) < 0) {
      driver_error("timeit: --memory: %s", err);
      stats_free(&s);
      return 1;
    }
    mem_group(&rows, &mf, GROUP_LINE);
  }
  for (int k = 0; k < count && !status; k++) {
    int n = count_lines(stmts[k]);
    struct line_count *c = calloc((size_t)n, sizeof *c);
    if (!c) {
      driver_error("timeit: out of memory");
      status = 1;
      break;
    }
    add_hits(&s, (uint32_t)(LINE_BASE * k + 1), n, c);
    add_memory(&rows, (uint32_t)(LINE_BASE * k + 1), n, c);
    print_table(o, k, count, stmts[k], c, n, loops);
    free(c);
  }
  if (o->memory) {
    mem_rows_free(&rows);
    prof_free(&mf);
  }
  stats_free(&s);
  return status;
}

int timeit_lines(const struct timeit_opts *o, const char *dir, char **stmts,
                 int count) {
  char src[4200], exe[4200], out[4200];
  uint64_t loops = o->loops ? strtoull(o->loops, NULL, 10) : DEFAULT_LOOPS;
  int status;

  if (count > MAX_STATEMENTS) {
    driver_error("timeit: --lines: at most %d statements", MAX_STATEMENTS);
    return 2;
  }
  for (int k = 0; k < count; k++)
    if (count_lines(stmts[k]) >= LINE_BASE) {
      driver_error("timeit: --lines: statement %d has %d lines or more", k + 1,
                   LINE_BASE);
      return 2;
    }
  snprintf(src, sizeof src, "%s/lines.c", dir);
  snprintf(exe, sizeof exe, "%s/lines", dir);
  snprintf(out, sizeof out, "%s/lines.out", dir);
  fflush(stdout);
  status = generate(src, o, stmts, count, loops) < 0 ? 1 : build(o, src, exe);
  if (status == 0)
    status = run(o, exe, out);
  else if (status != 127) {
    driver_error("timeit: --lines: the statement does not build with the "
                 "plugin");
    status = 1;
  }
  if (status == 0)
    status = report(o, out, stmts, count, loops);
  else if (status > 128)
    driver_error("timeit: --lines: the statement crashed (%s)",
                 strsignal(status - 128));
  unlink(src);
  unlink(exe);
  unlink(out);
  return status;
}
