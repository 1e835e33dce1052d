/*
 * memory_cli.c - the command line of prstats --memory, --leaks and
 * --memory --diff, which take their own few options.
 */
#include "memory.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

enum { OPT_MEMORY = 256, OPT_LEAKS, OPT_DIFF };

struct mem_cli {
  struct mem_report report;
  int diff;
  const char *output;
  char **files;
  int nfiles;
};

static const char usage[] =
    "Usage: prstats --memory[=GROUP] [OPTION]... FILE\n"
    "       prstats --memory --diff [OPTION]... OLD NEW\n"
    "       prstats --leaks [OPTION]... FILE\n"
    "Memory traced with CPROF_MEMORY=1, in tracemalloc's layouts: size and\n"
    "count are what is still allocated, peak the most at once, allocs all\n"
    "blocks allocated.  FILE is a profile or a cprof_snapshot().\n"
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

static const struct option longopts[] = {
    {"memory", optional_argument, NULL, OPT_MEMORY},
    {"leaks", no_argument, NULL, OPT_LEAKS},
    {"diff", no_argument, NULL, OPT_DIFF},
    {"limit", required_argument, NULL, 'n'},
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Does the command line ask for a memory report? */
int memory_wanted(int argc, char **argv) {
  for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
    if (strcmp(argv[i], "--memory") == 0 ||
        strncmp(argv[i], "--memory=", 9) == 0 ||
        strcmp(argv[i], "--leaks") == 0)
      return 1;
  return 0;
}

static int bad_value(const char *opt, const char *arg, const char *want) {
  fprintf(stderr, "prstats: invalid value '%s' for %s: %s\n", arg, opt, want);
  return -1;
}

/* A unique prefix of line, function or path. */
static int parse_group(struct mem_cli *c, const char *arg) {
  static const char *const names[] = {"line", "function", "path"};
  for (int g = 0; arg && g < 3; g++)
    if (*arg && strncmp(names[g], arg, strlen(arg)) == 0) {
      c->report.by = (enum mem_group)g;
      return 0;
    }
  return arg ? bad_value("--memory", arg, "expected line, function or path")
             : 0;
}

static int parse_limit(struct mem_cli *c, const char *arg) {
  char *end;
  long v = strtol(arg, &end, 10);
  if (end == arg || *end || v < 1)
    return bad_value("-n", arg, "expected a whole number from 1");
  c->report.limit = (size_t)v;
  return 0;
}

static int take_option(struct mem_cli *c, int opt, const char *arg) {
  switch (opt) {
  case OPT_MEMORY:
    return parse_group(c, arg);
  case OPT_LEAKS:
    c->report.leaks = 1;
    return 0;
  case OPT_DIFF:
    c->diff = 1;
    return 0;
  case 'n':
    return parse_limit(c, arg);
  case 'f':
    if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
      return bad_value("-f", arg, "expected text or json");
    c->report.json = arg[0] == 'j';
    return 0;
  case 'o':
    c->output = arg;
    return 0;
  case 'h':
    fputs(usage, stdout);
    exit(0);
  case ':':
    fprintf(stderr, "prstats: option '%s' needs a value\n", arg);
    return -1;
  }
  fprintf(stderr, "prstats: option '%s' does not go with --memory or --leaks\n",
          arg);
  return -1;
}

static int parse_args(struct mem_cli *c, int argc, char **argv) {
  int opt;
  memset(c, 0, sizeof *c);
  opterr = 0;
  while ((opt = getopt_long(argc, argv, ":n:f:o:h", longopts, NULL)) != -1)
    if (take_option(c, opt,
                    opt == ':' || opt == '?' ? argv[optind - 1] : optarg))
      goto usage_error;
  c->files = argv + optind;
  c->nfiles = argc - optind;
  if (c->diff && c->report.leaks) {
    fputs("prstats: --leaks and --diff do not go together\n", stderr);
    goto usage_error;
  }
  if (c->nfiles != (c->diff ? 2 : 1)) {
    fputs(c->diff ? "prstats: --diff takes two snapshots: OLD NEW\n"
                  : "prstats: a memory report reads one profile\n",
          stderr);
    goto usage_error;
  }
  return 0;
usage_error:
  fputs("Try 'prstats --memory --help' for more information.\n", stderr);
  return -1;
}

/* Loads c->files[0..n); on failure says which and why. */
static int load(struct prof_file *pf, const struct mem_cli *c, int n) {
  for (int i = 0; i < n; i++) {
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

static int write_report(FILE *out, const struct mem_cli *c,
                        const struct prof_file *pf) {
  struct mem_rows rows[3];
  int rc;
  for (int i = 0; i < 1 + c->diff; i++)
    mem_group(&rows[i], &pf[i], c->report.by);
  if (c->diff)
    mem_diff(&rows[2], &rows[0], &rows[1]);
  mem_sort(&rows[c->diff ? 2 : 0], c->diff);
  rc = c->diff ? report_memory_diff(out, &c->report, &pf[0], &pf[1], &rows[2])
               : report_memory(out, &c->report, &pf[0], &rows[0]);
  for (int i = 0; i < (c->diff ? 3 : 1); i++)
    mem_rows_free(&rows[i]);
  return rc;
}

int memory_main(int argc, char **argv) {
  struct mem_cli c;
  struct prof_file pf[2];
  struct output out;
  int rc;
  if (parse_args(&c, argc, argv))
    return 2;
  if (load(pf, &c, c.nfiles))
    return 1;
  if ((rc = output_open(&out, c.output)) == 0) {
    rc = write_report(out.fp, &c, pf);
    rc = output_close(&out, rc == 0) || rc;
  }
  for (int i = 0; i < c.nfiles; i++)
    prof_free(&pf[i]);
  return rc ? 1 : 0;
}
