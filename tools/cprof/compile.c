/*
 * compile.c - `cprof gcc ...`: the compiler with cprof added, the way
 * `ccache gcc` and `scan-build` wrap one.
 *
 * Added: the plugin with the instrumentation options, cprof's include
 * directory, and when the command links (no -c, -S, -E, -M, -MM,
 * -fsyntax-only), libcprof with an rpath after the user's own inputs, so
 * that the program runs from where it was built.  A static link (-static,
 * -static-pie) takes libcprof.a and wraps the malloc family, which
 * libc.a defines in the same object as its allocator: ld's --wrap sends
 * every call to the runtime's __wrap_ hooks (rt/memory/hooks.c), so that
 * memory tracing works there too.
 */
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"

/* cc and c++ are whichever compiler the system's alternatives name. */
static int is_clang(const char *compiler) {
  char real[PATH_MAX];
  const char *name = driver_which(compiler, real) ? real : compiler;
  const char *base = strrchr(name, '/');

  return strstr(base ? base + 1 : name, "clang") != NULL;
}

/* The names rt/memory/hooks.c exports as __wrap_NAME. */
static const char wrap_malloc[] =
    "-Wl,--wrap=malloc,--wrap=free,--wrap=calloc,--wrap=realloc,"
    "--wrap=reallocarray,--wrap=memalign,--wrap=aligned_alloc,"
    "--wrap=posix_memalign,--wrap=valloc,--wrap=pvalloc";

static int has(int argc, char **argv, const char *arg) {
  for (int i = 0; i < argc; i++)
    if (strcmp(argv[i], arg) == 0)
      return 1;
  return 0;
}

static int links(int argc, char **argv) {
  static const char *const no_link[] = {"-c", "-S",  "-E",
                                        "-M", "-MM", "-fsyntax-only"};

  for (size_t k = 0; k < sizeof no_link / sizeof no_link[0]; k++)
    if (has(argc, argv, no_link[k]))
      return 0;
  return 1;
}

int cmd_compile(const char *compiler, const struct argv *keys, int argc,
                char **argv) {
  const struct paths *p = driver_paths();
  int clang = is_clang(compiler);
  const char *plugin = clang ? p->clang_plugin : p->gcc_plugin;
  struct argv cmd = {0};

  if (!plugin) {
    driver_error("this cprof was built without its %s plugin",
                 clang ? "Clang" : "GCC");
    return 2;
  }
  argv_push(&cmd, compiler);
  argv_pushf(&cmd, "-fplugin=%s", plugin);
  for (size_t i = 0; i < keys->n; i++)
    argv_pushf(&cmd, "-fplugin-arg-cprof-%s", keys->v[i]); /* both plugins */
  argv_pushf(&cmd, "-I%s", p->include_dir);
  for (int i = 0; i < argc; i++)
    argv_push(&cmd, argv[i]);
  if (links(argc, argv)) {
    argv_pushf(&cmd, "-L%s", p->lib_dir);
    if (has(argc, argv, "-static") || has(argc, argv, "-static-pie"))
      argv_push(&cmd, wrap_malloc);
    else
      argv_pushf(&cmd, "-Wl,-rpath,%s", p->lib_dir);
    argv_push(&cmd, "-lcprof");
  }
  execvp(cmd.v[0], cmd.v);
  driver_error("cannot run %s: %m", compiler);
  return 127;
}
