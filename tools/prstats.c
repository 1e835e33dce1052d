/*
 * prstats.c - the prstats command: reports on cprof profiles.
 *
 *   prstats [OPTION]... FILE...
 *
 * Reads every FILE (each checked in full before use; several are merged
 * the way pstats' add() merges), then prints pstats' table, its callers
 * or callees views, line_profiler's per-line report, or JSON.  Exit
 * status: 0, 1 on bad input or a failed write, 2 on a usage error.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "profile.h"
#include "report.h"
#include "stats.h"

#ifndef CPROF_VERSION
#define CPROF_VERSION "unknown"
#endif

enum { VIEW_CALLERS = 1, VIEW_CALLEES = 2, VIEW_LINES = 4 };
enum { OPT_CALLERS = 256, OPT_CALLEES };

struct cli {
  struct report_opts opts;
  int views; /* VIEW_* bits; none = the pstats table */
  int json;
  const char *output;
};

static const char usage[] =
    "Usage: prstats [OPTION]... FILE...\n"
    "Report on cprof profiles (cprof.out); several FILEs are merged.\n"
    "\n"
    "  -s, --sort=KEY[,KEY]  order by KEY, later keys break ties (repeatable;\n"
    "                        default cumulative); a unique prefix is enough\n"
    "  -n, --limit=N         show the first N functions only\n"
    "  -p, --precision=N     decimals of seconds in the tables (default 6;\n"
    "                        3 gives pstats' exact layout)\n"
    "      --callers         pstats' callers view instead of the table\n"
    "      --callees         pstats' callees view instead of the table\n"
    "  -l, --lines[=FUNC]    line_profiler's per-line report, of FUNC only\n"
    "                        when given (name or symbol; -lFUNC, "
    "--lines=FUNC)\n"
    "  -u, --unit=UNIT       seconds per time unit of the line report "
    "(1e-06)\n"
    "  -z, --skip-zero       line report: leave out functions that never ran\n"
    "  -f, --format=FORMAT   text (default) or json\n"
    "  -o, --output=FILE     write to FILE (replaced atomically), not stdout\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n"
    "\n"
    "Sort keys:\n";

static const struct option longopts[] = {
    {"sort", required_argument, NULL, 's'},
    {"limit", required_argument, NULL, 'n'},
    {"precision", required_argument, NULL, 'p'},
    {"callers", no_argument, NULL, OPT_CALLERS},
    {"callees", no_argument, NULL, OPT_CALLEES},
    {"lines", optional_argument, NULL, 'l'},
    {"unit", required_argument, NULL, 'u'},
    {"skip-zero", no_argument, NULL, 'z'},
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static int bad_value(int opt, const char *arg, const char *want) {
  fprintf(stderr, "prstats: invalid value '%s' for -%c: %s\n", arg, opt, want);
  return -1;
}

/* A whole decimal number in [lo, hi]. */
static int parse_count(int opt, const char *arg, long lo, long hi, long *out) {
  char *end;
  long v = strtol(arg, &end, 10);

  if (end == arg || *end || v < lo || v > hi) {
    char want[64];
    snprintf(want, sizeof want, "expected a whole number from %ld to %ld", lo,
             hi);
    return bad_value(opt, arg, want);
  }
  *out = v;
  return 0;
}

static int parse_unit(const char *arg, double *out) {
  char *end;
  double v = strtod(arg, &end);

  if (end == arg || *end || !isfinite(v) || v <= 0)
    return bad_value('u', arg, "expected a positive number of seconds");
  *out = v;
  return 0;
}

static int parse_format(const char *arg, int *json) {
  if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
    return bad_value('f', arg, "expected text or json");
  *json = arg[0] == 'j';
  return 0;
}

static int parse_sort(struct report_opts *o, const char *arg) {
  char err[256];

  if (sort_parse(&o->sort, arg, err, sizeof err) == 0)
    return 0;
  fprintf(stderr, "prstats: %s\n", err);
  return -1;
}

__attribute__((noreturn)) static void print_help(void) {
  fputs(usage, stdout);
  fputs(sort_help, stdout);
  exit(0);
}

__attribute__((noreturn)) static void print_version(void) {
  printf("prstats (cprof) %s, profile format version %d\n", CPROF_VERSION,
         CPROF_FORMAT_VERSION);
  exit(0);
}

/* One option; returns 0, or -1 on a bad value. */
static int take_option(struct cli *c, int opt, const char *arg) {
  long v;

  switch (opt) {
  case 's':
    return parse_sort(&c->opts, arg);
  case 'n':
    if (parse_count(opt, arg, 1, 1000000000L, &v))
      return -1;
    c->opts.limit = (size_t)v;
    return 0;
  case 'p':
    if (parse_count(opt, arg, 0, 12, &v))
      return -1;
    c->opts.precision = (int)v;
    return 0;
  case OPT_CALLERS:
    c->views |= VIEW_CALLERS;
    return 0;
  case OPT_CALLEES:
    c->views |= VIEW_CALLEES;
    return 0;
  case 'l':
    c->views |= VIEW_LINES;
    c->opts.lines_func = arg;
    return 0;
  case 'u':
    return parse_unit(arg, &c->opts.unit);
  case 'z':
    c->opts.skip_zero = 1;
    return 0;
  case 'f':
    return parse_format(arg, &c->json);
  case 'o':
    c->output = arg;
    return 0;
  case 'h':
    print_help();
  case 'V':
    print_version();
  }
  return -1; /* bad_option has told what was wrong */
}

/* getopt's '?' (unknown option) and ':' (value missing). */
static int bad_option(int opt, char **argv) {
  const char *arg = argv[optind - 1];

  if (opt == '?') { /* "-zq": name the letter; "--x=1": the whole word */
    char letter[3] = {'-', (char)optopt, '\0'};
    fprintf(stderr, "prstats: unknown option '%s'\n",
            strncmp(arg, "--", 2) == 0 ? arg : letter);
  } else if (opt == ':') {
    fprintf(stderr, "prstats: option '%s' needs a value\n", arg);
  }
  return opt == '?' || opt == ':';
}

static int parse_args(struct cli *c, int argc, char **argv) {
  int opt;

  memset(c, 0, sizeof *c);
  c->opts.precision = 6;
  c->opts.unit = 1e-6;
  opterr = 0; /* our own messages, with our prefix */
  while ((opt = getopt_long(argc, argv, ":s:n:p:l::u:zf:o:hV", longopts,
                            NULL)) != -1)
    if (bad_option(opt, argv) || take_option(c, opt, optarg))
      goto usage_error;
  if (optind == argc) {
    fputs("prstats: no profile given\n", stderr);
    goto usage_error;
  }
  if (c->opts.sort.nkeys == 0)
    parse_sort(&c->opts, "cumulative");
  c->opts.files = argv + optind;
  c->opts.nfiles = argc - optind;
  return 0;
usage_error:
  fputs("Try 'prstats --help' for more information.\n", stderr);
  return -1;
}

/* Loads, checks and merges every file; stops at the first bad one. */
static int load_all(struct stats *s, const struct report_opts *o) {
  for (int i = 0; i < o->nfiles; i++) {
    struct prof_file pf;
    char err[256];
    if (prof_load(&pf, o->files[i], err, sizeof err)) {
      fprintf(stderr, "prstats: %s: %s\n", o->files[i], err);
      return -1;
    }
    stats_add(s, &pf);
    prof_free(&pf);
  }
  stats_finish(s);
  return 0;
}

static int run_reports(const struct cli *c, const struct stats *s, FILE *out) {
  static const struct {
    int view;
    report_fn *fn;
  } views[] = {{VIEW_CALLERS, report_callers},
               {VIEW_CALLEES, report_callees},
               {VIEW_LINES, report_lines}};
  int rc = 0;

  if (c->json)
    return report_json(out, s, &c->opts);
  if (!c->views)
    return report_stats(out, s, &c->opts);
  for (size_t i = 0; i < sizeof views / sizeof views[0] && !rc; i++)
    if (c->views & views[i].view)
      rc = views[i].fn(out, s, &c->opts);
  return rc;
}

int main(int argc, char **argv) {
  struct cli cli;
  struct stats s;
  struct output out;
  int rc;

  if (parse_args(&cli, argc, argv))
    return 2;
  stats_init(&s);
  rc = load_all(&s, &cli.opts);
  if (rc == 0 && (rc = output_open(&out, cli.output)) == 0) {
    rc = run_reports(&cli, &s, out.fp);
    rc = output_close(&out, rc == 0) || rc;
  }
  stats_free(&s);
  return rc ? 1 : 0;
}
