/*
 * scale.c - a profile of 100,000 functions with 10 callees each.
 *
 *   scale OUT [FUNCTIONS]
 *
 * Compiling a program with that many functions would take longer than the
 * benchmark, so this calls the runtime's ABI the way instrumented code
 * does, with hand-made descriptors (as tests/tools/fixture.c does).
 *
 * The calls form a complete 10-ary calling-context tree: node k runs
 * function k mod N, and nodes k < N call nodes 10k+1 .. 10k+10.  So
 * function f calls (10f+1 .. 10f+10) mod N, ten distinct callees, which
 * makes N * 10 = 1,000,000 caller -> callee edges over 1,000,001 nodes,
 * six deep, no node with more than ten children.  Every call crosses two
 * source lines.  Then it times cprof_dump(OUT) and prints
 * "bench dump WALL CPU NODES".
 *
 * Last it times the floor under any dump: as many bytes as OUT holds,
 * written the same way (fresh anonymous pages, the file's size reserved,
 * one write, a rename) and prints "bench floor WALL CPU BYTES".  On a
 * virtual machine fresh pages, the program's and the page cache's, can
 * cost far more than the work done in them; the floor shows how much.
 */
#define _GNU_SOURCE /* fallocate */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "cprof.h"
#include "cprof/abi.h"

#define EDGES 10
#define NLINES 4

static struct cprof_fn *descs;

/* Function i, named f<i>, lines 10 * i + 1 .. 10 * i + NLINES of a file. */
static void describe(struct cprof_fn *d, uint32_t i, char *name) {
  sprintf(name, "f%u", i);
  d->abi_version = CPROF_ABI_VERSION;
  d->flags = CPROF_FN_LINES;
  d->line = d->first_line = 10 * i + 1;
  d->nlines = NLINES;
  d->name = d->symbol = name;
  d->file = "/bench/scale/generated.c";
}

/* Node k of the tree: function k mod n, with its subtree. */
static void visit(uint64_t k, uint32_t n) {
  struct cprof_frame *f = __cprof_enter(&descs[k % n]);
  __cprof_line(f, 0);
  if (k < n)
    for (uint64_t j = 1; j <= EDGES; j++)
      visit(EDGES * k + j, n);
  __cprof_line(f, 1);
  __cprof_exit(f);
}

/* Writes as many bytes as `profile` holds to a new file beside it. */
static int write_floor(const char *profile) {
  char tmp[4096], path[4096];
  struct stat st;
  if (stat(profile, &st) != 0 ||
      snprintf(tmp, sizeof tmp, "%s.floor.tmp", profile) >= (int)sizeof tmp ||
      snprintf(path, sizeof path, "%s.floor", profile) >= (int)sizeof path)
    return 1;
  size_t size = (size_t)st.st_size;
  double t = now(), c = cpu_now();
  char *data = mmap(NULL, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (data == MAP_FAILED || fd < 0)
    return 1;
  memset(data, 1, size);
  (void)fallocate(fd, 0, 0, (off_t)size);
  int ok = write(fd, data, size) == (ssize_t)size;
  ok = close(fd) == 0 && ok && rename(tmp, path) == 0;
  munmap(data, size);
  report("floor", now() - t, cpu_now() - c, (long)size);
  unlink(path);
  return ok ? 0 : 1;
}

int main(int argc, char **argv) {
  uint32_t n = argc > 2 ? (uint32_t)atol(argv[2]) : 100000;
  if (argc < 2 || n <= EDGES || n > 10000000) {
    fputs("usage: scale OUT [FUNCTIONS (11 to 10000000)]\n", stderr);
    return 2;
  }
  char *names = malloc((size_t)n * 12);
  descs = calloc(n, sizeof *descs);
  if (!names || !descs)
    return 1;
  for (uint32_t i = 0; i < n; i++)
    describe(&descs[i], i, names + (size_t)i * 12);
  visit(0, n);
  double t = now(), c = cpu_now();
  if (cprof_dump(argv[1]) != 0)
    return 1;
  report("dump", now() - t, cpu_now() - c, (long)n * EDGES + 1);
  return write_floor(argv[1]);
}
