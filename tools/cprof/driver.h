/*
 * driver.h - the `cprof` command: subcommands and what they share.
 *
 * One file per subcommand (compile.c, build.c, run.c), as uftrace keeps
 * its cmds/; main.c dispatches by name.  Every subcommand takes the
 * arguments after its name and returns the exit status.
 */
#ifndef CPROF_DRIVER_H
#define CPROF_DRIVER_H

#include <stddef.h>

/* A NULL-terminated argument vector that grows; dies when memory runs out. */
struct argv {
  char **v;
  size_t n, cap;
};
void argv_push(struct argv *a, const char *s);
void argv_free(struct argv *a);
void argv_pushf(struct argv *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Where the installed (or built) parts of cprof are. */
struct paths {
  const char *gcc_plugin;   /* -fplugin= value for GCC */
  const char *clang_plugin; /* -fplugin= value for Clang */
  const char *include_dir;  /* cprof.h */
  const char *lib_dir;      /* libcprof.so and libcprof.a */
  const char *prstats;
  const char *self; /* this program, absolute */
};
const struct paths *driver_paths(void);

/* Runs argv[0] with PATH lookup and waits; the shell's exit status of it
 * (128 + N after signal N), or 127 after a message when it cannot start. */
int driver_spawn(char *const argv[]);

/* The file PATH lookup would run for NAME, symlinks resolved, in `out`
 * (PATH_MAX bytes); 0 when there is none. */
int driver_which(const char *name, char *out);

/* "cprof: " + message on stderr. */
void driver_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The instrumentation options that come before a compiler's name
 * (--all, --functions=a,b, ...: `cprof help options`): each --KEY[=VALUE]
 * becomes the plugin argument KEY[=VALUE], and the plugin checks it against the
 * one option table, so the driver never keeps a second list.
 * Returns how many of argv[0..] were options.
 */
int driver_plugin_options(int argc, char **argv, struct argv *keys);

/* Is NAME (or its basename) a compiler the driver wraps? */
int driver_is_compiler(const char *name);

int cmd_compile(const char *compiler, const struct argv *keys, int argc,
                char **argv);
int cmd_build(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_timeit(int argc, char **argv);
int cmd_view(int argc, char **argv);
/* serve.c: the page at http://127.0.0.1:PORT/ (0: any port) until
 * SIGINT or SIGTERM; 0, or 1 after saying why. */
int serve_page(const char *path, int port);

#endif
