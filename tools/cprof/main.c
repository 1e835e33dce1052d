/*
 * main.c - `cprof`: compile with the profiler, build a project with it,
 * run a program and see its report.
 *
 *   cprof [OPTION]... gcc|g++|clang|clang++|cc|c++ ARGS...
 *   cprof build [OPTION]... [--cc=gcc|clang] -- COMMAND ARGS...
 *   cprof run [-o FILE] [-s KEY] [-n N] [-l] [--memory] [--sample[=HZ]]
 *             [--] PROG ARGS...
 *   cprof timeit [-s SETUP] [-n LOOPS] [-r RUNS] [OPTION]... 'STMT'...
 *   cprof view [-o PAGE] [--port=N | --no-serve] FILE...
 */
#include <stdio.h>
#include <string.h>

#include "driver.h"

struct command {
  const char *name;
  int (*main)(int argc, char **argv);
  const char *usage; /* printed by `cprof help NAME` and NAME --help */
};

static const struct command commands[] = {
    {"build", cmd_build,
     "Usage: cprof build [OPTION]... [--cc=gcc|clang] -- COMMAND [ARG]...\n"
     "Run a build (make, cmake, meson, ninja, ./configure) with CC and CXX\n"
     "set to `cprof [OPTION]... gcc` and `... g++` (or clang, clang++).\n"
     "OPTIONs are the instrumentation options of `cprof help`.\n"},
    {"run", cmd_run,
     "Usage: cprof run [-o FILE] [-s KEY] [-n N] [-l] [--memory] "
     "[--sample[=HZ]] [--] PROG [ARG]...\n"
     "Run PROG (built with cprof), then print its profile's report, as\n"
     "`python -m cProfile -s KEY` and `kernprof -l -v` do.  The exit status\n"
     "is PROG's.\n\n"
     "  -o FILE     write the profile to FILE (default: $CPROF_OUT, else\n"
     "              cprof.out)\n"
     "  -s KEY      sort the report by KEY (prstats' keys; default "
     "cumulative)\n"
     "  -n N        show the first N functions only\n"
     "  -l          the line report (line_profiler's) instead of the table\n"
     "  --memory    trace allocations (CPROF_MEMORY=1) and print the memory\n"
     "              report\n"
     "  --sample[=HZ]  sample the stacks of any program, built with cprof\n"
     "              or not, HZ times a second of CPU time (default 1000;\n"
     "              CPROF_SAMPLE, docs/sampling.md)\n"},
    {"timeit", cmd_timeit,
     "Usage: cprof timeit [-s SETUP] [-n LOOPS] [-r RUNS] [-I DIR] "
     "[--include H]\n"
     "                    [-l LIB] [--cc gcc|clang] [-O LEVEL] [--json] "
     "[--lines [--memory]]\n"
     "                    'STMT'...\n"
     "Time C statements as `python -m timeit` does: each is compiled in a\n"
     "loop with cprof/timeit.h, then run; several are compared.\n\n"
     "  -s SETUP      code run once before the timing (declarations)\n"
     "  -n LOOPS      loops per run (default: enough for 0.2 s)\n"
     "  -r RUNS       timed runs (default 7)\n"
     "  -I DIR, --include H, -l LIB   include directory, header, library\n"
     "  --cc CC       the compiler (default gcc)\n"
     "  -O LEVEL      the optimisation level (default 2)\n"
     "  --json        one JSON object per statement\n"
     "  --lines       then each line's hits per loop, counted by the plugin\n"
     "  --memory      the same with allocations and bytes per loop\n"},
    {"view", cmd_view,
     "Usage: cprof view [-o PAGE] [--port=N | --no-serve] FILE...\n"
     "Write the profiles' page (prstats --format html: the call tree, the\n"
     "table, the lines; one self-contained file) and open it with xdg-open\n"
     "when there is a desktop (DISPLAY or WAYLAND_DISPLAY), else print its\n"
     "path and serve it on http://127.0.0.1:8080/ until Ctrl-C (over ssh:\n"
     "ssh -L 8080:127.0.0.1:8080 HOST, then open that URL here).\n\n"
     "  -o PAGE     write the page to PAGE (default: the first FILE's name\n"
     "              plus .html, in the current directory)\n"
     "  --port=N    serve on port N, or the next free one of the ten after\n"
     "              it (0: any free port; default 8080)\n"
     "  --no-serve  only print the page's path\n"},
};

static const char usage[] =
    "Usage: cprof [OPTION]... COMPILER [ARG]...\n"
    "       cprof COMMAND [ARG]...\n"
    "Profile C and C++ programs: COMPILER (gcc, g++, clang, clang++, cc,\n"
    "c++, or a versioned name such as gcc-12) runs with the cprof plugin,\n"
    "cprof's include directory, and, when it links, libcprof.\n\n"
    "Instrumentation OPTIONs are the plugin's arguments, --KEY[=VALUE]\n"
    "(`cprof help options` lists them; the plugin checks them).\n\n"
    "Commands:\n"
    "  build    run a build with CC and CXX set to the cprof compilers\n"
    "  run      run a program, then print its profile's report\n"
    "  timeit   time C statements, as python -m timeit\n"
    "  view     open the profile's page in a browser (prstats -f html)\n"
    "  help     this text, `cprof help COMMAND`, or `cprof help options`\n";

static void print_option(const char *key, const char *kind, const char *help) {
  char spelling[64];

  if (strcmp(key, "help") == 0) /* the driver's own `cprof help options` */
    return;
  snprintf(spelling, sizeof spelling, "--%s%s", key,
           strcmp(kind, "NAMES") == 0 ? "=a,b" : "");
  printf("  %-18s %s\n", spelling, help);
}

/* The plugin arguments, from their one table, as the driver spells them. */
static int list_options(void) {
  puts("Instrumentation options (before the compiler's name; cprof build "
       "takes them too):");
#define CPROF_OPTION(ID, KEY, KIND, CONFLICTS, HELP)                           \
  print_option(KEY, #KIND, HELP);
#include "cprof/options.def"
#undef CPROF_OPTION
  return 0;
}

static const struct command *find(const char *name) {
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static int help(const char *name) {
  const struct command *c = name ? find(name) : NULL;

  if (name && strcmp(name, "options") == 0)
    return list_options();
  if (name && !c && strcmp(name, "help") != 0) {
    driver_error("no command '%s' (cprof help lists them)", name);
    return 2;
  }
  fputs(c ? c->usage : usage, stdout);
  return 0;
}

int main(int argc, char **argv) {
  struct argv keys = {0};
  int nopts;

  if (argc < 2) {
    fputs(usage, stderr);
    return 2;
  }
  if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
      strcmp(argv[1], "-h") == 0)
    return help(argc > 2 ? argv[2] : NULL);
  if (strcmp(argv[1], "--version") == 0) {
    puts("cprof " CPROF_VERSION);
    return 0;
  }
  const struct command *c = find(argv[1]);
  if (c) {
    if (argc > 2 && strcmp(argv[2], "--help") == 0)
      return help(c->name);
    return c->main(argc - 2, argv + 2);
  }
  nopts = driver_plugin_options(argc - 1, argv + 1, &keys);
  if (nopts < 0)
    return 2;
  if (1 + nopts >= argc || !driver_is_compiler(argv[1 + nopts])) {
    driver_error("'%s' is neither a command nor a compiler (cprof help)",
                 1 + nopts < argc ? argv[1 + nopts] : "");
    return 2;
  }
  return cmd_compile(argv[1 + nopts], &keys, argc - 2 - nopts,
                     argv + 2 + nopts);
}
