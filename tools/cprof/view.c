/*
 * view.c - `cprof view FILE...`: the profile's page in a browser, as
 * `snakeviz prof.out` opens one.
 *
 * prstats --format html writes the page (one self-contained file, so no
 * server is needed) to -o FILE, else to the first profile's name plus
 * ".html" in the current directory.  With a desktop (DISPLAY or
 * WAYLAND_DISPLAY set) xdg-open opens it; without one, or when that
 * fails, the path is printed and the page served on 127.0.0.1 (serve.c)
 * until Ctrl-C, unless --no-serve.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

#define DEFAULT_PORT 8080 /* snakeviz's; the next free one of ten after */

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

/* port < 0: print the path only (--no-serve). */
static int open_page(const char *page, int port) {
  const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
  char *cmd[] = {"xdg-open", (char *)page, NULL};

  if (((display && *display) || (wayland && *wayland)) &&
      driver_spawn(cmd) == 0)
    return 0;
  printf("%s\n", page);
  return port < 0 ? 0 : serve_page(page, port);
}

/* "--port=N", N from 0 to 65535, into *port; 0 if it is not that. */
static int port_option(const char *arg, int *port) {
  char *end;
  long v;

  if (strncmp(arg, "--port=", 7) != 0 || !arg[7])
    return 0;
  v = strtol(arg + 7, &end, 10);
  if (*end || v < 0 || v > 65535)
    return 0;
  *port = (int)v;
  return 1;
}

/* cprof view's options before the files; returns the first file's index,
 * or -1 after saying what is wrong. */
static int view_options(int argc, char **argv, const char **output,
                        int *port) {
  int i = 0;

  while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0) {
    if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
      *output = argv[++i];
    } else if (strncmp(argv[i], "-o", 2) == 0 && argv[i][2]) {
      *output = argv[i] + 2;
    } else if (strcmp(argv[i], "--no-serve") == 0) {
      *port = -1;
    } else if (!port_option(argv[i], port)) {
      driver_error("view: unknown option '%s' (cprof view --help)", argv[i]);
      return -1;
    }
    i++;
  }
  return i < argc && strcmp(argv[i], "--") == 0 ? i + 1 : i;
}

int cmd_view(int argc, char **argv) {
  struct argv cmd = {0};
  const char *output = NULL;
  char *name = NULL;
  int port = DEFAULT_PORT, status;
  int i = view_options(argc, argv, &output, &port);

  if (i < 0)
    return 2;
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
    status = open_page(output, port);
  free(name);
  return status;
}
