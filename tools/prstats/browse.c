/*
 * browse.c - pstats' profile browser: `python -m pstats FILE` for cprof.
 *
 * The same commands as pstats' (sort, stats, callers, callees, reverse,
 * strip, add, read, help, quit, EOF) and `lines`, `percentiles` and
 * `memory`, each a small function in a table.  The browser keeps the
 * list of files and rebuilds the merged profile from it whenever the list
 * or the way files are read changes (add, read, strip); a file that fails
 * to load leaves the previous profile in place.  Lines come from browse_line.c:
 * on a terminal it edits them, keeps the history and completes commands, sort
 * keys, function names and files when prstats was built with GNU readline.
 */
#include "prstats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cprof-read/func_name.h"
#include "cprof-read/load.h"
#include "cprof-read/util.h"

struct browser {
  struct stats s;
  int loaded; /* s holds a finished profile */
  char **files;
  int nfiles;
  struct report_opts opts; /* sort, reverse, precision, unit */
  int raw, strip;
  int tty;
  const char *command; /* the one running */
  char *word;          /* the function name completing offered last */
};

struct command {
  const char *name;
  int (*run)(struct browser *b, char **words, int n); /* 1: leave */
  const char *usage, *help;
};

static const struct command commands[];
static struct browser *completing; /* for function_word */

/* Rebuilds the profile from b->files; the old one stays on failure. */
static int reload(struct browser *b) {
  struct stats s;

  stats_init(&s);
  s.raw = b->raw, s.strip = b->strip;
  if (load_files(&s, b->files, b->nfiles)) {
    stats_free(&s);
    return -1;
  }
  if (b->loaded)
    stats_free(&b->s);
  cli_check_ran(&s, b->files, b->nfiles);
  b->s = s;
  b->loaded = 1;
  b->opts.files = b->files;
  b->opts.nfiles = b->nfiles;
  return 0;
}

/* read (append = 0) or add (append = 1) the files in words. */
static void change_files(struct browser *b, char **words, int n, int append) {
  char **old = b->files;
  int nold = b->nfiles, keep = append ? nold : 0;

  b->files = xmalloc((size_t)(keep + n) * sizeof *b->files);
  for (int i = 0; i < keep; i++)
    b->files[i] = xstrdup(old[i]);
  for (int i = 0; i < n; i++)
    b->files[keep + i] = xstrdup(words[i]);
  b->nfiles = keep + n;
  if (reload(b) != 0) { /* back to the old list */
    char **t = b->files;
    b->files = old, old = t;
    b->nfiles = nold, nold = keep + n;
    b->opts.files = b->files;
  }
  for (int i = 0; i < nold; i++)
    free(old[i]);
  free(old);
}

static int loaded(const struct browser *b) {
  if (!b->loaded)
    puts("No statistics object is loaded.");
  return b->loaded;
}

static int cmd_add(struct browser *b, char **words, int n) {
  if (n == 0)
    fputs("prstats: add: which profile?\n", stderr);
  else
    change_files(b, words, n, 1);
  return 0;
}

static int cmd_read(struct browser *b, char **words, int n) {
  if (n == 0)
    fputs("prstats: read: which profile?\n", stderr);
  else
    change_files(b, words, n, 0);
  return 0;
}

/* A report with the restrictions given as the command's words. */
static void view(struct browser *b, char **words, int n, report_fn *fn) {
  struct restriction *r = xmalloc((size_t)(n ? n : 1) * sizeof *r);
  struct report_opts o = b->opts;
  char err[256];
  int ok = 0;

  while (ok < n && restriction_parse(&r[ok], words[ok], err, sizeof err) == 0)
    ok++;
  if (ok < n) {
    fprintf(stderr, "prstats: %s\n", err);
  } else if (loaded(b)) {
    o.restrictions = r;
    o.nrestrictions = n;
    fn(stdout, &b->s, &o);
  }
  while (ok-- > 0)
    restriction_free(&r[ok]);
  free(r);
}

/* The line report, of one function when a word names it. */
static void view_lines(struct browser *b, char **words, int n, report_fn *fn) {
  struct report_opts o = b->opts;

  if (n > 1)
    fputs("prstats: lines: one function at most\n", stderr);
  else if (loaded(b)) {
    o.lines_func = n ? words[0] : NULL;
    fn(stdout, &b->s, &o);
  }
}

/* stats, callers, callees, percentiles, lines: the view of that name. */
static int cmd_view(struct browser *b, char **words, int n) {
  const struct report_op *op = report_find(REPORT_VIEW, b->command);

  if (op->uses & REPORT_FUNC)
    view_lines(b, words, n, op->fn);
  else
    view(b, words, n, op->fn);
  return 0;
}

/* The memory trace of the one file read, by line, function or path. */
static int cmd_memory(struct browser *b, char **words, int n) {
  if (n > 1)
    fputs("prstats: memory: one of line, function or path at most\n", stderr);
  else if (b->nfiles != 1)
    fputs("prstats: memory: the memory report reads one profile\n", stderr);
  else
    memory_show(b->files[0], n ? words[0] : NULL);
  return 0;
}

static int cmd_reverse(struct browser *b, char **words, int n) {
  (void)words, (void)n;
  if (loaded(b))
    b->opts.reverse = !b->opts.reverse;
  return 0;
}

static void list_sort_keys(void) {
  puts("Valid sort keys (unique prefixes are accepted):");
  fputs(sort_help, stdout);
}

/* Keys as separate words or comma-separated, as on the command line. */
static int cmd_sort(struct browser *b, char **words, int n) {
  struct sort_spec spec = {.nkeys = 0};
  char err[256];

  for (int i = 0; i < n; i++)
    if (sort_parse(&spec, words[i], err, sizeof err)) {
      fprintf(stderr, "prstats: %s\n", err);
      n = 0;
      break;
    }
  if (n == 0)
    list_sort_keys();
  else if (loaded(b))
    b->opts.sort = spec, b->opts.reverse = 0;
  return 0;
}

static int cmd_strip(struct browser *b, char **words, int n) {
  (void)words, (void)n;
  if (loaded(b) && !b->strip) {
    b->strip = 1;
    if (reload(b))
      b->strip = 0;
  }
  return 0;
}

static int cmd_help(struct browser *b, char **words, int n) {
  (void)b;
  for (const struct command *c = commands; c->name; c++)
    if (n == 0 || strcmp(words[0], c->name) == 0) {
      if (n)
        printf("%s\n  %s\n", c->usage, c->help);
      else
        printf("  %-29s %s\n", c->usage, c->help);
      if (n)
        return 0;
    }
  if (n)
    fprintf(stderr, "prstats: no command '%s'\n", words[0]);
  return 0;
}

static int cmd_quit(struct browser *b, char **words, int n) {
  (void)b, (void)words, (void)n;
  return 1;
}

static const struct command commands[] = {
    {"add", cmd_add, "add FILE...", "merge more profiles into this one"},
    {"callees", cmd_view, "callees [RESTRICTION...]",
     "what each function called"},
    {"callers", cmd_view, "callers [RESTRICTION...]",
     "what called each function"},
    {"EOF", cmd_quit, "EOF", "leave the browser (also end of input)"},
    {"help", cmd_help, "help [COMMAND]", "the commands, or one of them"},
    {"lines", cmd_view, "lines [FUNC]",
     "line_profiler's report, of FUNC only when given"},
    {"memory", cmd_memory, "memory [line|function|path]",
     "the memory trace (CPROF_MEMORY=1), by line, function or path"},
    {"percentiles", cmd_view, "percentiles [RESTRICTION...]",
     "time per call: min, median, 90p, 99p, max"},
    {"quit", cmd_quit, "quit", "leave the browser"},
    {"read", cmd_read, "read FILE...", "replace the profile by these files"},
    {"reverse", cmd_reverse, "reverse", "turn the sorted order upside down"},
    {"sort", cmd_sort, "sort [KEY...]",
     "order by these keys; without one, list the keys"},
    {"stats", cmd_view, "stats [RESTRICTION...]",
     "pstats' table; RESTRICTION: N rows, a fraction, or a regex"},
    {"strip", cmd_strip, "strip", "drop the directories from file names"},
    {NULL, NULL, NULL, NULL},
};

/* Splits line into words in place; returns a malloc'ed array. */
static char **split(char *line, int *n) {
  char **words = NULL, *save = NULL;
  size_t cap = 0;

  *n = 0;
  for (char *w = strtok_r(line, " \t", &save); w;
       w = strtok_r(NULL, " \t", &save)) {
    words = xgrow(words, &cap, (size_t)*n + 1, sizeof *words);
    words[(*n)++] = w;
  }
  return words;
}

/* Runs one line; returns 1 when the browser should stop. */
static int run_line(struct browser *b, char *line) {
  int n, rc = 0;
  char **words = split(line, &n);

  if (n > 0) {
    const struct command *c = commands;
    while (c->name && strcmp(c->name, words[0]) != 0)
      c++;
    b->command = c->name;
    if (c->name)
      rc = c->run(b, words + 1, n - 1);
    else
      fprintf(stderr, "prstats: unknown command '%s' (help lists them)\n",
              words[0]);
  }
  free(words);
  fflush(stdout);
  return rc;
}

/* The i-th command name, NULL past the last: what completes first. */
static const char *command_word(size_t i) {
  return i < sizeof commands / sizeof commands[0] ? commands[i].name : NULL;
}

/* The i-th function's name as `lines` takes it: no parameter list. */
static const char *function_word(size_t i) {
  const struct browser *b = completing;

  if (!b->loaded || i >= b->s.nfuncs)
    return NULL;
  free(completing->word);
  completing->word = xstrdup(b->s.funcs[i].name);
  completing->word[func_base_len(completing->word)] = '\0';
  return completing->word;
}

int run_browse(const struct cli *c) {
  struct browser b = {.opts = c->opts, .raw = c->raw, .strip = c->strip};
  char *line;

  b.tty = isatty(0);
  if (c->nfiles)
    change_files(&b, c->files, c->nfiles, 0);
  if (b.tty)
    puts("Welcome to the profile statistics browser ('help' lists the "
         "commands).");
  completing = &b;
  line_open(b.tty, command_word, function_word);
  while ((line = line_next()) != NULL) {
    int stop = run_line(&b, line);
    free(line);
    if (stop)
      break;
  }
  if (!line && b.tty)
    putchar('\n');
  for (int i = 0; i < b.nfiles; i++)
    free(b.files[i]);
  free(b.files);
  free(b.word);
  if (b.loaded)
    stats_free(&b.s);
  return 0;
}
