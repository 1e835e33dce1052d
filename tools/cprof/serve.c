/*
 * serve.c - one page over HTTP on 127.0.0.1, for `cprof view` where no
 * browser can be started here (an ssh session: `ssh -L 8080:127.0.0.1:8080`
 * and open the URL on the desktop), as snakeviz serves its page.
 *
 * The page is self-contained, so GET / is the whole server; any other
 * path is 404.  One connection at a time, closed after each
 * answer; SIGINT or SIGTERM ends it with status 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "driver.h"

static volatile sig_atomic_t stop;

static void on_stop(int sig) {
  (void)sig;
  stop = 1;
}

/* The page's bytes; NULL after saying why. */
static char *read_page(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  char *data = NULL;
  long n;

  if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
      fseek(f, 0, SEEK_SET) != 0 || !(data = malloc((size_t)n + 1)) ||
      fread(data, 1, (size_t)n, f) != (size_t)n) {
    driver_error("view: %s: %s", path, strerror(errno));
    free(data);
    data = NULL;
  }
  *size = data ? (size_t)n : 0;
  if (f)
    fclose(f);
  return data;
}

/* A listening socket on 127.0.0.1, at `port` or the next free of the ten
 * after it (0: any); the port taken into *port. */
static int listen_local(int *port) {
  for (int k = 0; k < (*port ? 10 : 1); k++) {
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)(*port ? *port + k : 0)),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
      return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 8) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0) {
      *port = ntohs(a.sin_port);
      return fd;
    }
    close(fd);
  }
  return -1;
}

static void send_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0)
      return; /* the browser went away: its loss */
    p += w;
    n -= (size_t)w;
  }
}

/* Answers one request on connection fd: the page at /. */
static void answer(int fd, const char *page, size_t size) {
  char req[2048], head[256];
  ssize_t n = recv(fd, req, sizeof req - 1, 0);

  if (n <= 0)
    return;
  req[n] = '\0';
  int head_only = strncmp(req, "HEAD / ", 7) == 0;
  if (!head_only && strncmp(req, "GET / ", 6) != 0) {
    static const char missing[] = "HTTP/1.0 404 Not Found\r\nContent-Length: "
                                  "10\r\nConnection: close\r\n\r\nnot found\n";
    send_all(fd, missing, sizeof missing - 1);
    return;
  }
  snprintf(head, sizeof head,
           "HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
           "Content-Length: %zu\r\nConnection: close\r\n\r\n",
           size);
  send_all(fd, head, strlen(head));
  if (!head_only)
    send_all(fd, page, size);
}

int serve_page(const char *path, int port) {
  struct sigaction sa = {.sa_handler = on_stop}; /* no SA_RESTART: accept ends */
  size_t size;
  char *page = read_page(path, &size);
  int fd;

  if (!page)
    return 1;
  if ((fd = listen_local(&port)) < 0) {
    driver_error("view: cannot listen on 127.0.0.1: %s", strerror(errno));
    free(page);
    return 1;
  }
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  printf("serving it on http://127.0.0.1:%d/ (Ctrl-C stops)\n", port);
  fflush(stdout);
  int rc = 0;
  while (!stop) {
    int c = accept(fd, NULL, NULL);
    if (c >= 0) {
      answer(c, page, size);
      close(c);
    } else if (errno != EINTR && errno != ECONNABORTED) {
      driver_error("view: accept: %s", strerror(errno));
      rc = 1;
      break;
    }
  }
  close(fd);
  free(page);
  return rc;
}
