/*
 * fail_mmap.c - an LD_PRELOAD shim that makes one anonymous mmap fail,
 * to show what the runtime does when memory runs out (fault.py).
 *
 *   CPROF_TEST_FAIL_MMAP=N    the Nth anonymous mmap fails (ENOMEM)
 *   CPROF_TEST_FAIL_MMAP=N+   the Nth and every later one fail
 *   CPROF_TEST_MMAP_COUNT=F   at exit, write how many there were to F
 *
 * Only calls that go through the dynamic linker are seen: the runtime's
 * and the program's, not the C library's own (malloc, thread stacks).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef void *mmap_fn(void *, size_t, int, int, int, off_t);

static long count, fail_at;
static int fail_after;

__attribute__((constructor)) static void configure(void) {
  const char *n = getenv("CPROF_TEST_FAIL_MMAP");
  if (n && *n) {
    char *end;
    fail_at = strtol(n, &end, 10);
    fail_after = strcmp(end, "+") == 0;
  }
}

__attribute__((destructor)) static void report(void) {
  const char *path = getenv("CPROF_TEST_MMAP_COUNT");
  FILE *f = path && *path ? fopen(path, "w") : NULL;
  if (f) {
    fprintf(f, "%ld\n", __atomic_load_n(&count, __ATOMIC_RELAXED));
    fclose(f);
  }
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
  static mmap_fn *real;
  if (!real)
    real = (mmap_fn *)dlsym(RTLD_NEXT, "mmap");
  if (flags & MAP_ANONYMOUS) {
    long n = __atomic_add_fetch(&count, 1, __ATOMIC_RELAXED);
    if (fail_at && (n == fail_at || (fail_after && n > fail_at))) {
      errno = ENOMEM;
      return MAP_FAILED;
    }
  }
  return real(addr, len, prot, flags, fd, off);
}
