/*
 * timeit.c - `cprof timeit 'STMT'...`: python -m timeit for C.
 *
 * Each statement goes into a generated C file, inside the loop of
 * cprof/timeit.h's timing core, between #line directives that name it
 * "<stmt>" (then "<stmt2>", ..., and "<setup>"), so that the compiler's
 * messages point at the user's text rather than the generated file.
 * Several statements share the setup and are timed interleaved, run by
 * run, as CPROF_COMPARE does.  The file is compiled with the chosen
 * compiler and run; the program prints the figures itself, so the
 * figures the command shows and those the header gives in a program are
 * the same code's.  --lines builds them once more for a line table
 * (timeit_lines.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "timeit_cmd.h"

static int is_count(const char *s) {
  char *end;
  unsigned long long n = strtoull(s, &end, 10);
  return *s >= '0' && *s <= '9' && *end == '\0' && n > 0;
}

/* Returns the index of the first statement; -1: none; -2: after a message. */
static int parse(int argc, char **argv, struct timeit_opts *o) {
  int i;

  for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    const char *a = argv[i];
    const char **value = strcmp(a, "-s") == 0     ? &o->setup
                         : strcmp(a, "-n") == 0   ? &o->loops
                         : strcmp(a, "-r") == 0   ? &o->runs
                         : strcmp(a, "--cc") == 0 ? &o->cc
                         : strcmp(a, "-O") == 0   ? &o->level
                                                  : NULL;
    struct argv *list = strcmp(a, "-I") == 0          ? &o->include_dirs
                        : strcmp(a, "--include") == 0 ? &o->headers
                        : strcmp(a, "-l") == 0        ? &o->libs
                                                      : NULL;
    if (strcmp(a, "--") == 0)
      return i + 1 < argc ? i + 1 : -1;
    int *flag = strcmp(a, "--json") == 0     ? &o->json
                : strcmp(a, "--lines") == 0  ? &o->lines
                : strcmp(a, "--memory") == 0 ? &o->memory
                                             : NULL;
    if (flag) {
      *flag = 1;
      continue;
    }
    if (!value && !list) {
      driver_error("timeit: unknown option '%s' (cprof timeit --help)", a);
      return -2;
    }
    if (++i == argc) {
      driver_error("timeit: %s needs a value", a);
      return -2;
    }
    if (value)
      *value = argv[i];
    else
      argv_push(list, argv[i]);
  }
  if ((o->loops && !is_count(o->loops)) || (o->runs && !is_count(o->runs))) {
    driver_error("timeit: -n and -r take a whole number from 1");
    return -2;
  }
  return i < argc ? i : -1;
}

/* TEXT as a C string literal's contents. */
static void put_literal(FILE *f, const char *text) {
  for (; *text; text++) {
    if (*text == '"' || *text == '\\')
      fprintf(f, "\\%c", *text);
    else if (*text == '\n')
      fputs("\\n", f);
    else
      fputc(*text, f);
  }
}

void timeit_put_user_code(FILE *f, const char *name, int line, const char *text,
                          const char *follow, int follow_line) {
  fprintf(f, "#line %d \"%s\"\n%s\n;\n#line %d \"%s\"\n", line, name, text,
          follow_line, follow);
}

void timeit_put_headers(FILE *f, const struct timeit_opts *o) {
  fputs("#include <cprof/timeit.h>\n", f);
  for (size_t i = 0; i < o->headers.n; i++) {
    const char *h = o->headers.v[i];
    fprintf(f, h[0] == '<' || h[0] == '"' ? "#include %s\n" : "#include <%s>\n",
            h);
  }
}

void timeit_push_build(struct argv *cmd, const struct timeit_opts *o,
                       const char *src, const char *exe) {
  argv_pushf(cmd, "-O%s", o->level ? o->level : "2");
  for (size_t i = 0; i < o->include_dirs.n; i++)
    argv_pushf(cmd, "-I%s", o->include_dirs.v[i]);
  argv_push(cmd, src);
  argv_push(cmd, "-o");
  argv_push(cmd, exe);
  for (size_t i = 0; i < o->libs.n; i++)
    argv_pushf(cmd, "-l%s", o->libs.v[i]);
}

/* STMT's case of the interleaving: its loop, the one the header's
 * macros make. */
static void put_statement(FILE *f, const char *stmt, int index) {
  char name[32];

  snprintf(name, sizeof name, index ? "<stmt%d>" : "<stmt>", index + 1);
  fprintf(f,
          "    case %d:\n"
          "      for (uint64_t cprof__i = 0; cprof__i < t[%d].loops; "
          "cprof__i++) {\n",
          index, index);
  timeit_put_user_code(f, name, 1, stmt, "<timeit>", 1);
  fputs("        __asm__ __volatile__(\"\");\n"
        "      }\n"
        "      break;\n",
        f);
}

/* What the generated program prints: per statement python -m timeit's
 * line and IPython's (or a JSON object), then each one's time over the
 * first's. */
static const char show_code[] =
    "static void show(struct cprof_timeit *t, int count, int json) {\n"
    "  for (int i = 0; i < count; i++) {\n"
    "    const struct cprof_timeit_result *r = &t[i].result;\n"
    "    if (json) {\n"
    "      cprof_timeit_print_json(r, stdout);\n"
    "    } else {\n"
    "      if (count > 1)\n"
    "        printf(\"[%d] %s\\n\", i + 1, r->label);\n"
    "      cprof_timeit_print_python(r, stdout);\n"
    "      cprof_timeit_print_ipython(r, stdout);\n"
    "    }\n"
    "    fflush(stdout);\n"
    "    cprof_timeit_print_warnings(r, stderr);\n"
    "  }\n"
    "  for (int i = 1; i < count; i++) {\n"
    "    struct cprof_compare_result c =\n"
    "        cprof_compare_ratio(&t[0].result, &t[i].result);\n"
    "    if (json)\n"
    "      printf(\"{\\\"ratio\\\": [%d, 1], \\\"median\\\": %.6g, "
    "\\\"low\\\": "
    "%.6g, \\\"high\\\": %.6g, \\\"confidence\\\": %.4g, \\\"best\\\": "
    "%.6g}\\n\",\n"
    "             i + 1, c.ratio, c.low, c.high, c.confidence, c.best);\n"
    "    else\n"
    "      cprof_compare_print(&c, 1, i + 1, stdout);\n"
    "  }\n"
    "}\n";

/* The statements timed interleaved (cprof_interleave_next), after SETUP,
 * which they share. */
static int generate(const char *path, const struct timeit_opts *o, char **stmts,
                    int count) {
  FILE *f = fopen(path, "w");

  if (!f) {
    driver_error("timeit: cannot write %s: %s", path, strerror(errno));
    return -1;
  }
  timeit_put_headers(f, o);
  fputs(show_code, f);
  fprintf(f,
          "int main(void) {\n"
          "  struct cprof_timeit t[%d];\n"
          "  struct cprof_timeit_options opt = {0};\n"
          "  opt.format = CPROF_TIMEIT_SILENT;\n",
          count);
  if (o->setup)
    timeit_put_user_code(f, "<setup>", 1, o->setup, "<timeit>", 1);
  for (int i = 0; i < count; i++) {
    fprintf(f, "  cprof_timeit_begin(&t[%d], \"", i);
    put_literal(f, stmts[i]);
    fputs("\", &opt, CPROF__OPTIMIZED);\n", f);
  }
  fprintf(f,
          "  for (int k = -1; (k = cprof_interleave_next(t, %d, k)) >= 0;) {\n"
          "    switch (k) {\n",
          count);
  for (int i = 0; i < count; i++)
    put_statement(f, stmts[i], i);
  fprintf(f,
          "    }\n"
          "    cprof_timeit_stop(&t[k]);\n"
          "  }\n"
          "  for (int i = 0; i < %d; i++)\n"
          "    cprof_timeit_end(&t[i]);\n"
          "  show(t, %d, %d);\n"
          "  return 0;\n"
          "}\n",
          count, count, o->json);
  return fclose(f) == 0 ? 0 : -1;
}

static int compile(const struct timeit_opts *o, const char *src,
                   const char *exe) {
  struct argv cmd = {0};

  argv_push(&cmd, o->cc ? o->cc : "gcc");
  argv_pushf(&cmd, "-I%s", driver_paths()->include_dir);
  timeit_push_build(&cmd, o, src, exe);
  int status = driver_spawn(cmd.v);
  argv_free(&cmd);
  return status;
}

static int run(const struct timeit_opts *o, const char *exe) {
  char *const cmd[] = {(char *)exe, NULL};

  if (o->loops)
    setenv("CPROF_TIMEIT_LOOPS", o->loops, 1);
  if (o->runs)
    setenv("CPROF_TIMEIT_RUNS", o->runs, 1);
  int status = driver_spawn(cmd);
  if (status > 128)
    driver_error("timeit: the statement crashed (%s)", strsignal(status - 128));
  else if (status)
    driver_error("timeit: the program exited with status %d", status);
  return status;
}

int cmd_timeit(int argc, char **argv) {
  struct timeit_opts o = {0};
  int first = parse(argc, argv, &o);

  if (first == -2)
    return 2;
  if (first < 0) {
    driver_error("timeit: no statement given (cprof timeit [OPTION]... "
                 "'STMT')");
    return 2;
  }
  for (int i = first; i < argc; i++)
    if (argv[i][strspn(argv[i], " \t\n;")] == '\0') {
      driver_error("timeit: statement %d is empty", i - first + 1);
      return 2;
    }
  const char *tmp = getenv("TMPDIR");
  char dir[4096], src[4200], exe[4200];
  snprintf(dir, sizeof dir, "%s/cprof-timeit-XXXXXX",
           tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    driver_error("timeit: cannot make a directory in %s: %s", dir,
                 strerror(errno));
    return 1;
  }
  snprintf(src, sizeof src, "%s/timeit.c", dir);
  snprintf(exe, sizeof exe, "%s/timeit", dir);
  int status = generate(src, &o, argv + first, argc - first);
  if (status == 0)
    status = compile(&o, src, exe);
  if (status == 0) {
    status = run(&o, exe);
    if (status == 0 && (o.lines || o.memory))
      status = timeit_lines(&o, dir, argv + first, argc - first);
  } else if (status != 127) { /* 127: the compiler did not start (said so) */
    driver_error("timeit: the statement does not compile");
    status = 1;
  }
  unlink(src);
  unlink(exe);
  rmdir(dir);
  return status < 0 ? 1 : status;
}
