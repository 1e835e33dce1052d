/*
 * build.c - `cprof build -- make`: a whole build through the driver.
 *
 * CC and CXX become "CPROF [OPTION]... gcc" and "... g++": make, the
 * autotools, CMake (at its first configure) and Meson all take a
 * compiler given with leading words, as they do for `ccache gcc`.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

/* "SELF --KEY... COMPILER", or NULL when an option cannot be one word. */
static char *compiler_command(const struct argv *keys, const char *compiler) {
  size_t size = strlen(driver_paths()->self) + strlen(compiler) + 2;
  char *cmd;

  for (size_t i = 0; i < keys->n; i++)
    size += strlen(keys->v[i]) + 3;
  cmd = malloc(size);
  if (!cmd)
    return NULL;
  strcpy(cmd, driver_paths()->self);
  for (size_t i = 0; i < keys->n; i++) {
    for (const char *c = keys->v[i]; *c; c++)
      if (isspace((unsigned char)*c) || strchr("'\"\\$`", *c)) {
        driver_error("build: '--%s' cannot be passed through CC (no spaces "
                     "or quotes)",
                     keys->v[i]);
        free(cmd);
        return NULL;
      }
    strcat(strcat(cmd, " --"), keys->v[i]);
  }
  return strcat(strcat(cmd, " "), compiler);
}

int cmd_build(int argc, char **argv) {
  struct argv keys = {0};
  const char *cc = "gcc", *cxx = "g++";
  int i;

  for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++) {
    if (strcmp(argv[i], "--cc=clang") == 0) {
      cc = "clang", cxx = "clang++";
    } else if (strcmp(argv[i], "--cc=gcc") == 0) {
      cc = "gcc", cxx = "g++";
    } else {
      int n = driver_plugin_options(1, argv + i, &keys);

      if (n == 0)
        driver_error("build: '%s' is not an option (cprof build --help)",
                     argv[i]);
      if (n != 1)
        return 2;
    }
  }
  if (i + 1 >= argc) {
    driver_error("build: no command given (cprof build [OPTION]... -- make)");
    return 2;
  }
  char *cc_cmd = compiler_command(&keys, cc);
  char *cxx_cmd = cc_cmd ? compiler_command(&keys, cxx) : NULL;
  int status = 2;
  if (cxx_cmd) {
    setenv("CC", cc_cmd, 1);
    setenv("CXX", cxx_cmd, 1);
    status = driver_spawn(argv + i + 1);
  }
  free(cc_cmd);
  free(cxx_cmd);
  argv_free(&keys);
  return status;
}
