/*
 * paths.c - where the plugins, the header, the runtime and prstats are.
 *
 * Run from the build tree, the driver uses what that tree built; anywhere
 * else it is installed, and finds everything relative to its own place
 * (PREFIX/bin/cprof), so a prefix moved or unpacked elsewhere (dpkg-deb -x)
 * works as well as the one it was configured for.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

/* "" (a plugin not built) is NULL; a relative path is under `prefix`. */
static const char *locate(const char *prefix, const char *path) {
  char *full;

  if (!*path)
    return NULL;
  if (!prefix || path[0] == '/')
    return path;
  if (asprintf(&full, "%s/%s", prefix, path) < 0)
    return NULL;
  return full;
}

static void fill(struct paths *p, const char *prefix, int built) {
  p->gcc_plugin =
      locate(prefix, built ? CPROF_BUILD_GCC_PLUGIN : CPROF_INSTALL_GCC_PLUGIN);
  p->clang_plugin = locate(prefix, built ? CPROF_BUILD_CLANG_PLUGIN
                                         : CPROF_INSTALL_CLANG_PLUGIN);
  p->include_dir = locate(prefix, built ? CPROF_BUILD_INCLUDE_DIR
                                        : CPROF_INSTALL_INCLUDE_DIR);
  p->lib_dir =
      locate(prefix, built ? CPROF_BUILD_LIB_DIR : CPROF_INSTALL_LIB_DIR);
  p->prstats =
      locate(prefix, built ? CPROF_BUILD_PRSTATS : CPROF_INSTALL_PRSTATS);
}

const struct paths *driver_paths(void) {
  static struct paths p;
  static char self[PATH_MAX], dir[PATH_MAX];

  if (p.self)
    return &p;
  if (!realpath("/proc/self/exe", self)) {
    driver_error("cannot find where cprof itself is (/proc/self/exe)");
    exit(127);
  }
  p.self = self;
  strcpy(dir, self);
  if (strcmp(dirname(dir), CPROF_BUILD_DIR) == 0) {
    fill(&p, NULL, 1);
  } else {
    fill(&p, dirname(dir), 0); /* PREFIX/bin/cprof -> PREFIX */
  }
  return &p;
}
