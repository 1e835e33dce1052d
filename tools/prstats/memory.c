/*
 * memory.c - --memory[=GROUP], --leaks and --memory --diff: the memory
 * trace in tracemalloc's layouts (docs/memory.md).  These reports take a
 * few options of their own; any other is refused by name.
 */
#include "prstats.h"

#include <stdlib.h>
#include <string.h>

#include "cprof-read/output.h"

static const char usage[] =
    "Usage: prstats --memory[=GROUP] [OPTION]... [FILE]\n"
    "       prstats --memory --diff [OPTION]... OLD NEW\n"
    "       prstats --leaks [OPTION]... [FILE]\n"
    "Memory traced with CPROF_MEMORY=1, in tracemalloc's layouts: size and\n"
    "count are what is still allocated, peak the most at once, allocs all\n"
    "blocks allocated.  FILE is a profile or a cprof_snapshot() (default\n"
    "cprof.out).\n"
    "\n"
    "      --memory[=GROUP]  by line (default), function, or path (the call\n"
    "                        path of profiled functions and the line)\n"
    "      --diff            compare two snapshots: NEW and its change since "
    "OLD\n"
    "      --leaks           only what was still allocated (at exit)\n"
    "  -n, --limit=N         show the first N rows only\n"
    "  -f, --format=FORMAT   text (default) or json\n"
    "  -o, --output=FILE     write to FILE (replaced atomically), not stdout\n"
    "  -h, --help            show this help and exit\n";

/* A unique prefix of line, function or path. */
static int parse_group(struct cli *c, const char *arg) {
  static const char *const names[] = {"line", "function", "path"};
  for (int g = 0; arg && g < 3; g++)
    if (*arg && strncmp(names[g], arg, strlen(arg)) == 0) {
      c->memory.by = (enum mem_group)g;
      return 0;
    }
  return arg ? cli_bad_value("--memory", arg, "expected line, function or path")
             : 0;
}

static int parse_limit(struct cli *c, const char *arg) {
  char *end;
  long v = strtol(arg, &end, 10);
  if (end == arg || *end || v < 1)
    return cli_bad_value("-n", arg, "expected a whole number from 1");
  c->memory.limit = (size_t)v;
  return 0;
}

int memory_option(struct cli *c, const struct cli_option *o) {
  switch (o->opt) {
  case CLI_MEMORY:
    return parse_group(c, o->arg);
  case CLI_LEAKS:
    c->memory.leaks = 1;
    return 0;
  case CLI_DIFF:
    c->diff = 1;
    return 0;
  case 'n':
    return parse_limit(c, o->arg);
  case 'f':
    if (strcmp(o->arg, "text") != 0 && strcmp(o->arg, "json") != 0)
      return cli_bad_value("-f", o->arg, "expected text or json");
    c->memory.json = o->arg[0] == 'j';
    return 0;
  case 'o':
    c->output = o->arg;
    return 0;
  case 'h':
    fputs(usage, stdout);
    exit(0);
  case ':':
    fprintf(stderr, "prstats: option '%s' needs a value\n", o->word);
    return -1;
  }
  fprintf(stderr, "prstats: option '%s' does not go with --memory or --leaks\n",
          o->word);
  return -1;
}

int memory_check(struct cli *c) {
  if (c->diff && c->memory.leaks) {
    fputs("prstats: --leaks and --diff do not go together\n", stderr);
    return -1;
  }
  if (!c->diff)
    cli_default_file(c);
  if (c->nfiles != (c->diff ? 2 : 1)) {
    fputs(c->diff ? "prstats: --diff takes two snapshots: OLD NEW\n"
                  : "prstats: a memory report reads one profile\n",
          stderr);
    return -1;
  }
  return 0;
}

struct memory {
  const struct cli *c;
  const struct prof_file *pf; /* OLD and NEW with --diff */
};

/* Loads c->files; on failure says which and why. */
static int load(struct prof_file *pf, const struct cli *c) {
  for (int i = 0; i < c->nfiles; i++) {
    char err[256];
    if (mem_load(&pf[i], c->files[i], err, sizeof err)) {
      fprintf(stderr, "prstats: %s: %s\n", c->files[i], err);
      while (i--)
        prof_free(&pf[i]);
      return -1;
    }
  }
  return 0;
}

static int write_memory(FILE *out, const void *ctx) {
  const struct memory *m = ctx;
  const struct mem_report *o = &m->c->memory;
  int diff = m->c->diff, rc;
  struct mem_rows rows[3];

  for (int i = 0; i < 1 + diff; i++)
    mem_group(&rows[i], &m->pf[i], o->by);
  if (diff)
    mem_diff(&rows[2], &rows[0], &rows[1]);
  mem_sort(&rows[diff ? 2 : 0], diff);
  rc = diff ? report_memory_diff(out, o, &m->pf[0], &m->pf[1], &rows[2])
            : report_memory(out, o, &m->pf[0], &rows[0]);
  for (int i = 0; i < (diff ? 3 : 1); i++)
    mem_rows_free(&rows[i]);
  return rc;
}

int run_memory(const struct cli *c) {
  struct prof_file pf[2];
  struct memory m = {c, pf};
  int rc;

  if (load(pf, c))
    return -1;
  rc = output_write(c->output, write_memory, &m);
  for (int i = 0; i < c->nfiles; i++)
    prof_free(&pf[i]);
  return rc;
}

int memory_show(char *file, const char *group) {
  struct cli c = {.mode = MODE_MEMORY, .files = &file, .nfiles = 1};

  return parse_group(&c, group) || run_memory(&c) ? -1 : 0;
}
