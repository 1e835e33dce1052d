/*
 * view.c - `cprof view FILE...`: the profile's page in a browser, as
 * `snakeviz prof.out` opens one.
 *
 * prstats --format html writes the page (one self-contained file, so no
 * server is needed) to -o FILE, else to the first profile's name plus
 * ".html" in the current directory.  With a desktop (DISPLAY or
 * WAYLAND_DISPLAY set) xdg-open opens it; without one, or when that
 * fails, the path is printed to open by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

/* The page's default name: "cprof.out" -> "cprof.out.html", here. */
static char *page_name(const char *profile) {
  const char *base = strrchr(profile, '/');
  size_t n;
  char *name;

  base = base ? base + 1 : profile;
  n = strlen(base);
  name = malloc(n + sizeof ".html");
  if (!name) {
    driver_error("view: out of memory");
    exit(1);
  }
  memcpy(name, base, n);
  memcpy(name + n, ".html", sizeof ".html");
  return name;
}

static int open_page(const char *page) {
  const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
  char *cmd[] = {"xdg-open", (char *)page, NULL};

  if (((display && *display) || (wayland && *wayland)) &&
      driver_spawn(cmd) == 0)
    return 0;
  printf("%s\n", page);
  return 0;
}

int cmd_view(int argc, char **argv) {
  struct argv cmd = {0};
  const char *output = NULL;
  char *name = NULL;
  int i = 0, status;

  if (argc > 1 && strcmp(argv[0], "-o") == 0) {
    output = argv[1];
    i = 2;
  } else if (argc > 0 && strncmp(argv[0], "-o", 2) == 0 && argv[0][2]) {
    output = argv[0] + 2;
    i = 1;
  }
  if (i < argc && strcmp(argv[i], "--") == 0)
    i++;
  if (i < argc && argv[i][0] == '-') {
    driver_error("view: unknown option '%s' (cprof view --help)", argv[i]);
    return 2;
  }
  if (i == argc) {
    driver_error("view: no profile given (cprof view [-o PAGE] FILE...)");
    return 2;
  }
  if (!output)
    output = name = page_name(argv[i]);
  argv_push(&cmd, driver_paths()->prstats);
  argv_push(&cmd, "--format=html");
  argv_push(&cmd, "-o");
  argv_push(&cmd, output);
  argv_push(&cmd, "--");
  for (; i < argc; i++)
    argv_push(&cmd, argv[i]);
  status = driver_spawn(cmd.v);
  argv_free(&cmd);
  if (status == 0)
    status = open_page(output);
  free(name);
  return status;
}
