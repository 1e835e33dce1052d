/*
 * cli.c - parse prstats' options (docs/prstats.md has the table).
 *
 * The interactive browser starts with -i, or by itself when stdin and
 * stdout are terminals and no option asks for a printed report: only
 * --raw and --strip, which say how to read the files, leave it on.
 */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#ifndef CPROF_VERSION
#define CPROF_VERSION "unknown"
#endif

static const struct format formats[] = {
    {"text", NULL, 0, "pstats' and line_profiler's reports (default)", 0},
    {"json", report_json, 0, "everything, as documented JSON", 0},
    {"pstats", export_pstats, 1,
     "Python's pstats file (.prof): python -m pstats, snakeviz", 0},
    {"callgrind", export_callgrind, 0,
     "callgrind format: callgrind_annotate, KCachegrind", 0},
    {"folded", export_folded, 0, "folded stacks: flamegraph.pl, speedscope", 1},
};
#define NFORMATS (sizeof formats / sizeof formats[0])

enum {
  OPT_CALLERS = 256,
  OPT_CALLEES,
  OPT_PERCENTILES,
  OPT_REVERSE,
  OPT_STRIP,
  OPT_RAW,
  OPT_DIFF,
};

static const char usage[] =
    "Usage: prstats [OPTION]... FILE...\n"
    "       prstats --diff [OPTION]... BEFORE AFTER\n"
    "       prstats -i [FILE]...\n"
    "Report on cprof profiles (cprof.out); several FILEs are merged.\n"
    "\n"
    "  -s, --sort=KEY[,KEY]  order by KEY, later keys break ties (repeatable;\n"
    "                        default cumulative); a unique prefix is enough\n"
    "  -n, --limit=N         show the first N functions only\n"
    "  -r, --restrict=R      keep N rows, a fraction (0.1), or the rows whose\n"
    "                        file:line(function) matches a regular expression;\n"
    "                        repeatable, applied in order\n"
    "      --reverse         the sorted order upside down\n"
    "  -p, --precision=N     decimals of seconds in the tables (default 6;\n"
    "                        3 gives pstats' exact layout)\n"
    "      --callers         pstats' callers view instead of the table\n"
    "      --callees         pstats' callees view instead of the table\n"
    "  -l, --lines[=FUNC]    line_profiler's per-line report, of FUNC only\n"
    "                        when given (name or symbol; -lFUNC, "
    "--lines=FUNC)\n"
    "      --percentiles     time per call: min, median, 90p, 99p, max\n"
    "  -u, --unit=UNIT       seconds per time unit of the line report "
    "(1e-06)\n"
    "  -z, --skip-zero       line report: leave out functions that never ran\n"
    "      --strip           file names without their directories\n"
    "      --raw             keep the probes' cost in the times\n"
    "      --diff            compare two profiles, function by function\n"
    "  -f, --format=FORMAT   output format (below)\n"
    "  -o, --output=FILE     write to FILE (replaced atomically), not stdout\n"
    "  -i, --interactive     browse the profiles (pstats' browser)\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n";

static const struct option longopts[] = {
    {"sort", required_argument, NULL, 's'},
    {"limit", required_argument, NULL, 'n'},
    {"restrict", required_argument, NULL, 'r'},
    {"reverse", no_argument, NULL, OPT_REVERSE},
    {"precision", required_argument, NULL, 'p'},
    {"callers", no_argument, NULL, OPT_CALLERS},
    {"callees", no_argument, NULL, OPT_CALLEES},
    {"lines", optional_argument, NULL, 'l'},
    {"percentiles", no_argument, NULL, OPT_PERCENTILES},
    {"unit", required_argument, NULL, 'u'},
    {"skip-zero", no_argument, NULL, 'z'},
    {"strip", no_argument, NULL, OPT_STRIP},
    {"raw", no_argument, NULL, OPT_RAW},
    {"diff", no_argument, NULL, OPT_DIFF},
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"interactive", no_argument, NULL, 'i'},
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

static int parse_format(struct cli *c, const char *arg) {
  for (size_t i = 0; i < NFORMATS; i++)
    if (strcmp(arg, formats[i].name) == 0) {
      c->format = &formats[i];
      return 0;
    }
  return bad_value('f', arg,
                   "expected text, json, pstats, callgrind or folded");
}

static int parse_sort(struct report_opts *o, const char *arg) {
  char err[256];

  if (sort_parse(&o->sort, arg, err, sizeof err) == 0)
    return 0;
  fprintf(stderr, "prstats: %s\n", err);
  return -1;
}

/* -n N and -r R both append to the restrictions, in command-line order. */
static int add_restriction(struct cli *c, const char *arg) {
  struct restriction r;
  char err[256];

  if (restriction_parse(&r, arg, err, sizeof err)) {
    fprintf(stderr, "prstats: %s\n", err);
    return -1;
  }
  c->restrictions = xrealloc(c->restrictions, (size_t)(c->nrestrictions + 1) *
                                                  sizeof *c->restrictions);
  c->restrictions[c->nrestrictions++] = r;
  return 0;
}

__attribute__((noreturn)) static void print_help(void) {
  fputs(usage, stdout);
  fputs("\nFormats (-f):\n", stdout);
  for (size_t i = 0; i < NFORMATS; i++)
    printf("  %-10s %s\n", formats[i].name, formats[i].help);
  fputs("\nSort keys (-s):\n", stdout);
  fputs(sort_help, stdout);
  exit(0);
}

__attribute__((noreturn)) static void print_version(void) {
  printf("prstats (cprof) %s, profile format version %d\n", CPROF_VERSION,
         CPROF_FORMAT_VERSION);
  exit(0);
}

/* The options that shape a report; returns 0, or -1 on a bad value. */
static int take_report_option(struct cli *c, int opt, const char *arg) {
  long v;

  switch (opt) {
  case 's':
    return parse_sort(&c->opts, arg);
  case 'n':
    return parse_count(opt, arg, 1, 1000000000L, &v) ||
                   add_restriction(c, arg)
               ? -1
               : 0;
  case 'r':
    return add_restriction(c, arg);
  case OPT_REVERSE:
    c->opts.reverse = 1;
    return 0;
  case 'p':
    if (parse_count(opt, arg, 0, 12, &v))
      return -1;
    c->opts.precision = (int)v;
    return 0;
  case 'u':
    return parse_unit(arg, &c->opts.unit);
  case 'z':
    c->opts.skip_zero = 1;
    return 0;
  }
  return 1; /* not one of these */
}

/* Views, formats and modes; returns 0, or -1 on a bad value. */
static int take_option(struct cli *c, int opt, const char *arg) {
  int rc = take_report_option(c, opt, arg);

  if (rc <= 0)
    return rc;
  switch (opt) {
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
  case OPT_PERCENTILES:
    c->views |= VIEW_PERCENTILES;
    return 0;
  case 'f':
    return parse_format(c, arg);
  case 'o':
    c->output = arg;
    return 0;
  case OPT_DIFF:
    c->diff = 1;
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

/* Options that do not ask for a printed report. */
static int take_setting(struct cli *c, int opt) {
  if (opt == OPT_RAW)
    c->raw = 1;
  else if (opt == OPT_STRIP)
    c->strip = 1;
  else if (opt == 'i')
    c->browse = 2; /* asked for */
  else
    return 0;
  return 1;
}

/* What the files and the options allow together. */
static int check_combination(struct cli *c) {
  const char *why = NULL;

  if (c->diff && c->nfiles != 2)
    why = "--diff takes two profiles: BEFORE AFTER";
  else if (c->diff && (c->browse || c->views || (c->format && c->format->write)))
    why = "--diff prints its own text report only";
  else if (c->browse && (c->output || c->format))
    why = "the browser prints to the terminal: no -o or -f";
  else if (!c->browse && c->nfiles == 0)
    why = "no profile given";
  else if (c->format && c->format->binary && !c->output && isatty(1))
    why = "the pstats format is binary: write it with -o FILE";
  if (why)
    fprintf(stderr, "prstats: %s\n", why);
  return why ? -1 : 0;
}

int cli_parse(struct cli *c, int argc, char **argv) {
  int opt, asked = 0;

  memset(c, 0, sizeof *c);
  c->opts.precision = 6;
  c->opts.unit = 1e-6;
  opterr = 0; /* our own messages, with our prefix */
  while ((opt = getopt_long(argc, argv, ":s:n:r:p:l::u:zf:o:ihV", longopts,
                            NULL)) != -1) {
    if (take_setting(c, opt))
      continue;
    asked = 1;
    if (bad_option(opt, argv) || take_option(c, opt, optarg))
      goto usage_error;
  }
  c->files = argv + optind;
  c->nfiles = argc - optind;
  if (!c->browse && !asked && c->nfiles && isatty(0) && isatty(1))
    c->browse = 1; /* by default */
  if (check_combination(c))
    goto usage_error;
  if (c->opts.sort.nkeys == 0)
    parse_sort(&c->opts, "cumulative");
  c->opts.restrictions = c->restrictions;
  c->opts.nrestrictions = c->nrestrictions;
  c->opts.files = c->files;
  c->opts.nfiles = c->nfiles;
  return 0;
usage_error:
  fputs("Try 'prstats --help' for more information.\n", stderr);
  return -1;
}

void cli_free(struct cli *c) {
  for (int i = 0; i < c->nrestrictions; i++)
    restriction_free(&c->restrictions[i]);
  free(c->restrictions);
  c->restrictions = NULL;
  c->nrestrictions = 0;
}
