/*
 * test_dump.c - the runtime's writer (rt/core/profile_write.c,
 * rt/base/output.c), read back through prstats' reader, which checks every
 * size, index and the checksum.  The calls go through the ABI with hand-made
 * descriptors, as instrumented code makes them, so the numbers are exact.
 */
#define _GNU_SOURCE /* pthread_setname_np */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cprof.h"
#include "cprof/abi.h"
#include "cprof-read/profile.h"

#define DEPTH 3000 /* nodes enough to grow the writer's buffer many times */

/* Function `name` with `nlines` line slots from line 10 * id. */
#define DESC(fname, id, n)                                                     \
  {                                                                            \
    .abi_version = CPROF_ABI_VERSION, .flags = (n) ? CPROF_FN_LINES : 0,       \
    .line = 10 * (id), .first_line = 10 * (id), .nlines = (n),                 \
    .name = (fname), .symbol = (fname), .file = "/src/dump_test.c"             \
  }

static struct cprof_fn outer_desc = DESC("outer", 1, 3);
static struct cprof_fn chain_desc = DESC("chain", 2, 2);
static struct cprof_fn leaf_desc = DESC("leaf_without_lines", 3, 0);
static struct cprof_fn spin_desc = DESC("spin", 4, 1);

static char path[64];
static char err[256];

static void leaf(void) { __cprof_exit(__cprof_enter(&leaf_desc)); }

/* DEPTH nested calls of chain, each calling leaf once on its way back. */
static void chain(int depth) {
  struct cprof_frame *f = __cprof_enter(&chain_desc);
  __cprof_line(f, 0);
  if (depth > 1)
    chain(depth - 1);
  __cprof_line(f, 1);
  leaf();
  __cprof_exit(f);
}

static void dump_and_load(struct prof_file *pf) {
  assert_int_equal(cprof_dump(path), 0);
  if (prof_load(pf, path, err, sizeof err))
    fail_msg("the runtime wrote a file its reader rejects: %s", err);
}

static const struct cprof_file_func *func(const struct prof_file *pf,
                                          const char *name) {
  for (uint64_t i = 0; i < pf->nfuncs; i++)
    if (strcmp(prof_string(pf, pf->funcs[i].name), name) == 0)
      return &pf->funcs[i];
  fail_msg("no function %s", name);
  return NULL;
}

static uint64_t calls_of(const struct prof_file *pf, const char *name) {
  uint32_t id = (uint32_t)(func(pf, name) - pf->funcs);
  uint64_t calls = 0;
  for (uint64_t v = 0; v < pf->nnodes; v++)
    calls += pf->nodes[v].func == id ? pf->nodes[v].calls : 0;
  return calls;
}

static uint64_t completed_calls(const struct prof_file *pf, const char *name) {
  uint32_t id = (uint32_t)(func(pf, name) - pf->funcs);
  uint64_t calls = 0;
  for (uint64_t i = 0; i < pf->nhists; i++)
    calls += pf->hists[i].func == id ? pf->hists[i].count : 0;
  return calls;
}

/*
 * Dumped from inside outer, on its second line: outer's call is under
 * way, its current line has run until the dump and counts its time.
 */
static void test_sections(void **state) {
  struct prof_file pf;
  const struct cprof_file_func *o, *c;
  struct cprof_frame *f;

  (void)state;
  f = __cprof_enter(&outer_desc);
  __cprof_line(f, 0);
  chain(DEPTH);
  __cprof_line(f, 1);
  dump_and_load(&pf);
  __cprof_exit(f);

  assert_int_equal(pf.nfuncs, 3);             /* spin was never called */
  assert_int_equal(pf.nnodes, 1 + 2 * DEPTH); /* outer, chains, leaves */
  assert_int_equal(pf.nodes[0].parent, CPROF_NO_PARENT);
  for (uint64_t v = 1; v < pf.nnodes; v++)
    assert_true(pf.nodes[v].parent < v);
  assert_int_equal(calls_of(&pf, "outer"), 1);
  assert_int_equal(calls_of(&pf, "chain"), DEPTH);
  assert_int_equal(calls_of(&pf, "leaf_without_lines"), DEPTH);
  assert_int_equal(completed_calls(&pf, "outer"), 0);
  assert_int_equal(completed_calls(&pf, "chain"), DEPTH);

  o = func(&pf, "outer");
  c = func(&pf, "chain");
  assert_int_equal(o->nlines, 3);
  assert_int_equal(c->nlines, 2);
  assert_int_equal(func(&pf, "leaf_without_lines")->nlines, 0);
  assert_int_equal(pf.nlines, 5);
  assert_int_equal(pf.lines[o->line_base + 0].hits, 1);
  assert_int_equal(pf.lines[o->line_base + 1].hits, 1);
  assert_true(pf.lines[o->line_base + 1].ticks > 0); /* open until the dump */
  assert_int_equal(pf.lines[o->line_base + 2].hits, 0);
  assert_int_equal(pf.lines[c->line_base + 0].hits, DEPTH);
  assert_int_equal(pf.lines[c->line_base + 1].hits, DEPTH);
  assert_int_equal(pf.hdr.nthreads, 1);
  /* One thread record, this one's, over every node. */
  assert_int_equal(pf.nthreads, 1);
  assert_int_equal(pf.threads[0].first_node, 0);
  assert_int_equal(pf.threads[0].nnodes, pf.nnodes);
  assert_int_equal(pf.threads[0].tid, (uint32_t)syscall(SYS_gettid));
  assert_int_equal(pf.threads[0].runs, 1);
  assert_string_equal(prof_string(&pf, pf.threads[0].name), "test_dump");
  assert_string_equal(prof_string(&pf, o->file), "/src/dump_test.c");
  prof_free(&pf);
}

static volatile int stop;

/* New call paths, one after the other, while the main thread dumps. */
static void *grow_paths(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "grower");
  for (int depth = 1; !__atomic_load_n(&stop, __ATOMIC_RELAXED); depth++) {
    struct cprof_frame *f = __cprof_enter(&spin_desc);
    __cprof_line(f, 0);
    chain(depth % DEPTH + 1);
    __cprof_exit(f);
  }
  return NULL;
}

/*
 * Other threads go on recording during a dump: nodes and histogram
 * buckets appear while the sections are written, and every file must
 * still be whole and consistent.
 */
static void test_dump_while_running(void **state) {
  pthread_t t;
  uint64_t last = 0;

  (void)state;
  assert_int_equal(pthread_create(&t, NULL, grow_paths, NULL), 0);
  for (int i = 0; i < 20; i++) {
    struct prof_file pf;
    dump_and_load(&pf);
    assert_true(pf.nnodes >= last);
    last = pf.nnodes;
    prof_free(&pf);
  }
  __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
  assert_int_equal(pthread_join(t, NULL), 0);

  /* The grower's record after it ended: its name as it exited. */
  struct prof_file pf;
  dump_and_load(&pf);
  assert_int_equal(pf.nthreads, 2);
  assert_string_equal(prof_string(&pf, pf.threads[1].name), "grower");
  assert_int_equal(pf.threads[1].runs, 1);
  assert_int_equal(pf.threads[1].first_node, pf.threads[0].nnodes);
  prof_free(&pf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sections),
      cmocka_unit_test(test_dump_while_running),
  };
  int fd, rc;

  strcpy(path, "/tmp/cprof-test-dump-XXXXXX");
  fd = mkstemp(path);
  if (fd < 0)
    return 1;
  close(fd);
  setenv("CPROF_OUT", "/dev/null", 1); /* the dump at exit */
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  unlink(path);
  return rc;
}
