/*
 * cli.c - parse prstats' options (docs/prstats.md has the table).
 *
 * getopt_long reads every option of every mode first; --memory or
 * --leaks anywhere then makes the memory report's options (memory.c)
 * apply, else the call profile's (here), in the order given.  An option
 * the mode or format does not read (report_ops' `uses`) is an error, not
 * ignored.  Without a FILE the profile is ./cprof.out, as the runtime
 * writes it; the browser starts with -i only.
 *
 * Last, what the options say about reading the files: cli_stats_init, and
 * cli_write_merged for the modes that write one report of all of them.
 */
#include "prstats.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cprof-read/load.h"
#include "cprof-read/output.h"
#include "cprof-read/util.h"

#ifndef CPROF_VERSION
#define CPROF_VERSION "unknown"
#endif

/* The view options (--callers, -l...) as a `uses` bit: only text has it. */
enum { VIEWS = 1 << 12 };

/* -f text: the views the options choose, printed as text. */
static const struct report_op text = {
    "text", REPORT_FORMAT,
    REPORT_SORTED | REPORT_RESTRICTED | REPORT_PRECISION | REPORT_FUNC | VIEWS,
    NULL, "pstats' and line_profiler's reports (default)"};

/* What --diff and the browser read of the report options. */
static const int diff_uses = REPORT_RESTRICTED | REPORT_PRECISION;
static const int browse_uses = REPORT_SORTED | REPORT_PRECISION | REPORT_FUNC;

static char default_file[] = "cprof.out";
static char *default_files[] = {default_file};

static const char usage[] =
    "Usage: prstats [OPTION]... [FILE]...\n"
    "       prstats --diff [OPTION]... BEFORE AFTER\n"
    "       prstats -i [FILE]...\n"
    "       prstats --memory[=GROUP] | --leaks [OPTION]... [FILE]\n"
    "Report on cprof profiles (default: cprof.out); several FILEs are merged.\n"
    "\n"
    "  -s, --sort=KEY[,KEY]  order by KEY, later keys break ties (repeatable;\n"
    "                        default cumulative); a unique prefix is enough\n"
    "  -n, --limit=N         show the first N functions only\n"
    "  -r, --restrict=R      keep N rows, a fraction (0.1), or the rows whose\n"
    "                        file:line(function) matches a regular "
    "expression;\n"
    "                        repeatable, applied in order\n"
    "      --reverse         the sorted order upside down\n"
    "  -p, --precision=N     decimals of seconds in the tables (default 6;\n"
    "                        3 gives pstats' exact layout)\n"
    "      --callers         pstats' callers view instead of the table\n"
    "      --callees         pstats' callees view instead of the table\n"
    "  -l, --lines[=FUNC]    line_profiler's per-line report, of FUNC only\n"
    "                        when given (-lFUNC, --lines=FUNC: a name with\n"
    "                        or without its scope and parameters, or the\n"
    "                        symbol)\n"
    "      --percentiles     time per call: min, median, 90p, 99p, max\n"
    "  -u, --unit=UNIT       seconds per time unit of the line report\n"
    "                        (default: 1e-06, or 1e-09 when a line takes\n"
    "                        less than 1 us per hit)\n"
    "  -z, --skip-zero       line report: leave out functions that never ran\n"
    "      --strip           file names without their directories\n"
    "      --raw             keep the probes' cost in the times\n"
    "      --thread=N        thread N of each profile only (--threads lists\n"
    "                        them): its calls, times and call tree\n"
    "      --threads         the threads of each profile, with their totals\n"
    "      --diff            compare two profiles, function by function\n"
    "                        (with -f html: a page of the change)\n"
    "  -f, --format=FORMAT   output format (below)\n"
    "      --icicle          -f svg: the root at the top (an icicle graph)\n"
    "  -o, --output=FILE     write to FILE (replaced atomically), not stdout\n"
    "  -i, --interactive     browse the profiles (pstats' browser)\n"
    "      --memory[=GROUP]  the memory trace (CPROF_MEMORY=1) by line,\n"
    "                        function or path (prstats --memory --help)\n"
    "      --leaks           the memory still allocated at exit\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n"
    "An option that the mode or format does not read is an error.\n";

static const struct option longopts[] = {
    {"sort", required_argument, NULL, 's'},
    {"limit", required_argument, NULL, 'n'},
    {"restrict", required_argument, NULL, 'r'},
    {"reverse", no_argument, NULL, CLI_REVERSE},
    {"precision", required_argument, NULL, 'p'},
    {"callers", no_argument, NULL, CLI_CALLERS},
    {"callees", no_argument, NULL, CLI_CALLEES},
    {"lines", optional_argument, NULL, 'l'},
    {"percentiles", no_argument, NULL, CLI_PERCENTILES},
    {"unit", required_argument, NULL, 'u'},
    {"skip-zero", no_argument, NULL, 'z'},
    {"strip", no_argument, NULL, CLI_STRIP},
    {"raw", no_argument, NULL, CLI_RAW},
    {"thread", required_argument, NULL, CLI_THREAD},
    {"threads", no_argument, NULL, CLI_THREADS},
    {"diff", no_argument, NULL, CLI_DIFF},
    {"format", required_argument, NULL, 'f'},
    {"icicle", no_argument, NULL, CLI_ICICLE},
    {"output", required_argument, NULL, 'o'},
    {"interactive", no_argument, NULL, 'i'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"memory", optional_argument, NULL, CLI_MEMORY},
    {"leaks", no_argument, NULL, CLI_LEAKS},
    {NULL, 0, NULL, 0},
};

int cli_bad_value(const char *opt, const char *arg, const char *want) {
  fprintf(stderr, "prstats: invalid value '%s' for %s: %s\n", arg, opt, want);
  return -1;
}

/* The report options' messages name the letter, whatever was typed. */
static int bad_value(int opt, const char *arg, const char *want) {
  char name[3] = {'-', (char)opt, '\0'};
  return cli_bad_value(name, arg, want);
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

static int parse_thread(struct cli *c, const char *arg) {
  char *end;
  long v = strtol(arg, &end, 10);

  if (end == arg || *end || v < 0 || v >= UINT32_MAX)
    return cli_bad_value("--thread", arg,
                         "expected a thread's number (prstats --threads)");
  c->thread = v;
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
  const struct report_op *op =
      strcmp(arg, text.name) == 0 ? &text : report_find(REPORT_FORMAT, arg);
  size_t n = 0, size;
  char *want;
  FILE *f;
  int rc;

  if (op) {
    c->format = op;
    return 0;
  }
  for (op = report_ops; op->name; op++)
    n += op->kind == REPORT_FORMAT;
  f = xmemstream(&want, &size);
  fprintf(f, "expected %s", text.name);
  for (op = report_ops; op->name; op++)
    if (op->kind == REPORT_FORMAT)
      fprintf(f, "%s%s", --n ? ", " : " or ", op->name);
  fclose(f);
  rc = bad_value('f', arg, want);
  free(want);
  return rc;
}

/* --callers, --callees, -l and --percentiles: a view each. */
static void add_view(struct cli *c, const char *name) {
  c->views |= 1u << (report_find(REPORT_VIEW, name) - report_ops);
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
  printf("  %-10s %s\n", text.name, text.help);
  for (const struct report_op *f = report_ops; f->name; f++)
    if (f->kind == REPORT_FORMAT)
      printf("  %-10s %s\n", f->name, f->help);
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
    return parse_count(opt, arg, 1, 1000000000L, &v) || add_restriction(c, arg)
               ? -1
               : 0;
  case 'r':
    return add_restriction(c, arg);
  case CLI_REVERSE:
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
  case CLI_ICICLE:
    c->opts.icicle = 1;
    return 0;
  }
  return 1; /* not one of these */
}

/* Views, formats and modes; returns 0, or -1 on a bad value. */
static int take_option(struct cli *c, const struct cli_option *o) {
  int rc = take_report_option(c, o->opt, o->arg);

  if (rc <= 0)
    return rc;
  switch (o->opt) {
  case CLI_CALLERS:
    add_view(c, "callers");
    return 0;
  case CLI_CALLEES:
    add_view(c, "callees");
    return 0;
  case 'l':
    add_view(c, "lines");
    c->opts.lines_func = o->arg;
    return 0;
  case CLI_PERCENTILES:
    add_view(c, "percentiles");
    return 0;
  case CLI_THREADS:
    add_view(c, "threads");
    return 0;
  case CLI_THREAD:
    return parse_thread(c, o->arg);
  case 'f':
    return parse_format(c, o->arg);
  case 'o':
    c->output = o->arg;
    return 0;
  case CLI_DIFF:
    c->diff = 1;
    return 0;
  case 'h':
    print_help();
  case 'V':
    print_version();
  case ':':
    fprintf(stderr, "prstats: option '%s' needs a value\n", o->word);
    return -1;
  }
  fprintf(stderr, "prstats: unknown option '%s'\n", o->word);
  return -1;
}

/* How the files are read, and the browser. */
static int take_setting(struct cli *c, int opt) {
  if (opt == CLI_RAW)
    c->raw = 1;
  else if (opt == CLI_STRIP)
    c->strip = 1;
  else if (opt == 'i')
    c->browse = 1;
  else
    return 0;
  return 1;
}

/* The report_op `uses` bit an option needs; 0 for the others. */
static int option_needs(int opt) {
  switch (opt) {
  case 's':
  case CLI_REVERSE:
    return REPORT_SORTED;
  case 'n':
  case 'r':
    return REPORT_RESTRICTED;
  case 'p':
    return REPORT_PRECISION;
  case 'u':
  case 'z':
    return REPORT_FUNC;
  case CLI_ICICLE:
    return REPORT_ICICLE;
  case CLI_CALLERS:
  case CLI_CALLEES:
  case 'l':
  case CLI_PERCENTILES:
  case CLI_THREADS:
    return VIEWS;
  }
  return 0;
}

/* Each option must be one the mode or the format reads. */
static int check_applies(const struct cli *c, const struct cli_option *o,
                         int n) {
  const struct report_op *format = c->format ? c->format : &text;
  /* --diff -f html: the page's own options (none but the loading ones). */
  int uses = c->diff ? (c->format && c->format->fn ? format->uses : diff_uses)
             : c->browse ? browse_uses
                         : format->uses;

  for (int i = 0; i < n; i++)
    if (option_needs(o[i].opt) & ~uses) {
      fprintf(stderr, "prstats: %s does not apply to %s%s\n", o[i].word,
              c->diff     ? "--diff"
              : c->browse ? "the browser (-i)"
                          : "-f ",
              c->diff || c->browse ? "" : format->name);
      return -1;
    }
  return 0;
}

void cli_default_file(struct cli *c) {
  if (c->nfiles == 0) {
    c->files = default_files;
    c->nfiles = 1;
  }
}

/* What the files and the options allow together. */
static int check_combination(struct cli *c) {
  const char *why = NULL;

  if (c->diff && c->nfiles != 2)
    why = "--diff takes two profiles: BEFORE AFTER";
  else if (c->diff &&
           (c->browse || c->views ||
            (c->format && c->format->fn && c->format->fn != export_html)))
    why = "--diff prints its own text report, or -f html its page";
  else if (c->browse && (c->output || c->format))
    why = "the browser prints to the terminal: no -o or -f";
  else if (c->format && (c->format->uses & REPORT_BINARY) && !c->output &&
           isatty(1)) {
    fprintf(stderr, "prstats: the %s format is binary: write it with -o FILE\n",
            c->format->name);
    return -1;
  }
  if (why)
    fprintf(stderr, "prstats: %s\n", why);
  return why ? -1 : 0;
}

/* The call profile's options, in order; returns 0 or -1. */
static int take_profile_options(struct cli *c, const struct cli_option *o,
                                int n) {
  for (int i = 0; i < n; i++)
    if (!take_setting(c, o[i].opt) && take_option(c, &o[i]))
      return -1;
  if (!c->browse && !c->diff)
    cli_default_file(c);
  if (check_combination(c) || check_applies(c, o, n))
    return -1;
  if (c->opts.sort.nkeys == 0)
    parse_sort(&c->opts, "cumulative");
  c->opts.restrictions = c->restrictions;
  c->opts.nrestrictions = c->nrestrictions;
  c->opts.files = c->files;
  c->opts.nfiles = c->nfiles;
  c->mode = c->diff                      ? MODE_DIFF
            : c->browse                  ? MODE_BROWSE
            : c->format && c->format->fn ? MODE_EXPORT
                                         : MODE_REPORT;
  return 0;
}

/*
 * The option getopt_long just returned, named as it was typed: a long
 * option's word ("--sort=x" whole), a letter, or what was not understood.
 */
static void record(struct cli_option *o, int opt, int longopt, char **argv) {
  const char *last = argv[optind - 1];

  o->opt = opt;
  o->arg = optarg;
  o->letter[0] = '-';
  o->letter[1] = (char)(opt == '?' || opt == ':' ? optopt : opt);
  o->letter[2] = '\0';
  if (opt == ':' || (opt == '?' && strncmp(last, "--", 2) == 0))
    o->word = last;
  else if (opt != '?' && longopt)
    o->word = optarg && optarg == last ? argv[optind - 2] : last;
  else
    o->word = o->letter;
}

int cli_parse(struct cli *c, int argc, char **argv) {
  struct cli_option *o = xmalloc((size_t)argc * sizeof *o);
  int opt, n = 0, memory = 0, longopt = -1, rc;

  memset(c, 0, sizeof *c);
  c->opts.precision = 6;
  c->thread = -1;
  opterr = 0; /* our own messages, with our prefix */
  while ((opt = getopt_long(argc, argv, ":s:n:r:p:l::u:zf:o:ihV", longopts,
                            &longopt)) != -1) {
    record(&o[n++], opt, longopt >= 0, argv);
    memory |= opt == CLI_MEMORY || opt == CLI_LEAKS;
    longopt = -1;
  }
  c->files = argv + optind;
  c->nfiles = argc - optind;
  if (memory) {
    c->mode = MODE_MEMORY;
    rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
      rc = memory_option(c, &o[i]);
    rc = rc || memory_check(c);
  } else {
    rc = take_profile_options(c, o, n);
  }
  free(o);
  if (!rc)
    return 0;
  cli_free(c);
  fprintf(stderr, "Try 'prstats %s' for more information.\n",
          memory ? "--memory --help" : "--help");
  return -1;
}

void cli_free(struct cli *c) {
  for (int i = 0; i < c->nrestrictions; i++)
    restriction_free(&c->restrictions[i]);
  free(c->restrictions);
  c->restrictions = NULL;
  c->nrestrictions = 0;
}

void cli_stats_init(const struct cli *c, struct stats *s) {
  stats_init(s);
  s->raw = c->raw;
  s->strip = c->strip;
  s->thread = c->thread;
  s->folded = c->format && (c->format->uses & REPORT_PATHS);
}

struct merged {
  const struct cli *c;
  const struct stats *s;
  cli_write_fn *write;
};

static int write_merged(FILE *out, const void *ctx) {
  const struct merged *m = ctx;
  return m->write(out, m->c, m->s);
}

void cli_check_ran(const struct stats *s, char *const *files, int nfiles) {
  if (s->sampled) /* CPROF_SAMPLE: any program, built with cprof or not */
    return;
  for (size_t i = 0; i < s->nfuncs; i++)
    if (stats_ran(&s->funcs[i]))
      return;
  fprintf(stderr,
          "prstats: %s: no profiled function ran: was the program built with "
          "-fplugin=cprof.so (GCC), -fplugin=cprof_clang.so (Clang) or "
          "`cprof gcc`, and are functions marked CPROF_PROFILE "
          "(or -fplugin-arg-cprof-all)?\n",
          nfiles == 1 ? files[0] : "these profiles");
}

int cli_write_merged(const struct cli *c, cli_write_fn *write) {
  struct stats s;
  struct merged m = {c, &s, write};
  int rc;

  cli_stats_init(c, &s);
  rc = load_files(&s, c->files, c->nfiles);
  if (rc == 0)
    cli_check_ran(&s, c->files, c->nfiles);
  rc = rc || output_write(c->output, write_merged, &m);
  stats_free(&s);
  return rc ? -1 : 0;
}
