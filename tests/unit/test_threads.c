/*
 * test_threads.c - the thread records (format.h cprof_file_thread): the
 * reader's checks, one thread's part of a file (threads.h) and the merged
 * profile of one thread (struct stats' `thread`, load.c).
 */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builder.h"
#include "cprof-read/load.h"
#include "cprof-read/profile.h"
#include "cprof-read/threads.h"

static char err[256];

/*
 * Thread 0 'main': main -> work (ticks 100, 60); thread 1 'pool' (three
 * threads in turn): worker -> work twice (ticks 50, 40).  main has line
 * data and a histogram, worker a histogram.
 */
static void two_threads(struct fb *b) {
  static const uint64_t hits[] = {1, 1}, ticks[] = {0, 0};
  uint32_t main_fn, work, worker, root;

  fb_init(b, 1000.0);
  main_fn = fb_func(b, "main", NULL, 3);
  work = fb_func(b, "work", NULL, 10);
  worker = fb_func(b, "worker", NULL, 20);
  fb_lines(b, main_fn, 4, 2, hits, ticks);
  fb_hist(b, main_fn, 100, 1);
  fb_hist(b, worker, 50, 1);
  fb_thread(b, 2, "main", 41, 1);
  fb_node(b, fb_node(b, CPROF_NO_PARENT, main_fn, 1, 100), work, 1, 60);
  fb_thread(b, 2, "pool", 47, 3);
  root = fb_node(b, CPROF_NO_PARENT, worker, 1, 50);
  fb_node(b, root, work, 2, 40);
}

static void parse(struct fb *b, struct prof_file *pf) {
  struct fb_out o;

  fb_build(b, &o);
  if (prof_parse(pf, o.data, o.size, err, sizeof err) != 0)
    fail_msg("rejected: %s", err);
}

static void test_one_thread(void **state) {
  struct fb b;
  struct prof_file pf;
  char label[128];

  (void)state;
  two_threads(&b);
  parse(&b, &pf);
  assert_int_equal(prof_thread_count(&pf), 2);
  prof_thread_label(&pf, 1, label, sizeof label);
  assert_string_equal(label, "thread 1 'pool' (tid 47; 3 threads in turn)");
  prof_thread_label(&pf, 0, label, sizeof label);
  assert_string_equal(label, "thread 0 'main' (tid 41)");

  assert_int_equal(prof_only_thread(&pf, 2, err, sizeof err), -1);
  assert_string_equal(err, "no thread 2 (its threads: 0 to 1)");
  assert_int_equal(pf.nnodes, 4); /* unchanged */

  assert_int_equal(prof_only_thread(&pf, 1, err, sizeof err), 0);
  assert_int_equal(pf.nnodes, 2);
  assert_int_equal(pf.nodes[0].parent, CPROF_NO_PARENT);
  assert_int_equal(pf.nodes[0].func, 2);
  assert_int_equal(pf.nodes[1].parent, 0);
  assert_int_equal(pf.nodes[1].calls, 2);
  assert_int_equal(pf.nodes[1].ticks, 40);
  /* main did not run in it: its lines and histogram are gone. */
  assert_int_equal(pf.funcs[0].nlines, 0);
  assert_int_equal(pf.nhists, 1);
  assert_int_equal(pf.hists[0].func, 2);
  assert_int_equal(prof_thread_count(&pf), 1);
  assert_int_equal(pf.threads[0].first_node, 0);
  prof_free(&pf);
  fb_free(&b);
}

/* load_files with `thread` set: the numbers of that thread alone, the
 * two threads' adding up to the merged profile's. */
static void test_merged(void **state) {
  struct fb b;
  struct fb_out o;
  struct stats all, one[2];
  char *path;

  (void)state;
  two_threads(&b);
  fb_build(&b, &o);
  path = fb_write_temp(o.data, o.size);
  stats_init(&all);
  assert_int_equal(load_files(&all, &path, 1), 0);
  for (int k = 0; k < 2; k++) {
    stats_init(&one[k]);
    one[k].thread = k;
    assert_int_equal(load_files(&one[k], &path, 1), 0);
  }
  assert_int_equal(all.total_calls, 5);
  assert_int_equal(one[0].total_calls, 2);
  assert_int_equal(one[1].total_calls, 3);
  assert_int_equal(one[0].total_time + one[1].total_time, all.total_time);
  assert_int_equal(one[1].total_time, 50);
  assert_string_equal(one[1].thread_label,
                      "thread 1 'pool' (tid 47; 3 threads in turn)");
  assert_null(all.thread_label);
  uint32_t work = stats_find(&one[1], "work", "/src/test.c", 10);
  assert_int_equal(one[1].funcs[work].ncalls, 2);
  assert_int_equal(one[1].funcs[work].tottime, 40);
  /* main is known (the file names it) but did not run in thread 1, its
   * line hits of thread 0 left out. */
  assert_false(
      stats_ran(&one[1].funcs[stats_find(&one[1], "main", "/src/test.c", 3)]));
  for (int k = 0; k < 2; k++)
    stats_free(&one[k]);
  stats_free(&all);
  unlink(path);
  free(path);
  free(o.data);
  fb_free(&b);
}

/* A file without thread records (an older runtime's) cannot be cut. */
static void test_no_records(void **state) {
  struct fb b;
  struct prof_file pf;

  (void)state;
  fb_init(&b, 1000.0);
  fb_node(&b, CPROF_NO_PARENT, fb_func(&b, "main", NULL, 3), 1, 10);
  parse(&b, &pf);
  assert_int_equal(prof_thread_count(&pf), 0);
  assert_int_equal(prof_only_thread(&pf, 0, err, sizeof err), -1);
  assert_string_equal(err, "no thread records (written by an older cprof): "
                           "its threads cannot be told apart");
  prof_free(&pf);
  fb_free(&b);
}

static void expect_damage(void (*damage)(struct fb *), const char *needle) {
  struct fb b;
  struct fb_out o;
  struct prof_file pf;

  two_threads(&b);
  damage(&b);
  fb_build(&b, &o);
  assert_int_equal(prof_parse(&pf, o.data, o.size, err, sizeof err), -1);
  if (!strstr(err, needle))
    fail_msg("error '%s' does not mention '%s'", err, needle);
  fb_free(&b);
}

static void gap(struct fb *b) { b->threads[1].first_node = 3; }
static void overlap(struct fb *b) { b->threads[0].nnodes = 3; }
static void short_cover(struct fb *b) { b->threads[1].nnodes = 1; }
static void past_end(struct fb *b) { b->threads[1].nnodes = 9; }
static void bad_name(struct fb *b) { b->threads[0].name = UINT32_MAX; }
static void parent_elsewhere(struct fb *b) { b->nodes[3].parent = 1; }

static void test_damage(void **state) {
  (void)state;
  expect_damage(gap, "thread 1: nodes 3..+2 do not follow the previous");
  expect_damage(overlap, "thread 1: nodes 2..+2 do not follow the previous");
  expect_damage(short_cover, "threads cover 3 of 4 nodes");
  expect_damage(past_end, "thread 1: nodes 2..+9 do not follow");
  expect_damage(bad_name, "thread 0: string offset 4294967295 out of range");
  expect_damage(parent_elsewhere, "node 3: parent in another thread");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_one_thread),
      cmocka_unit_test(test_merged),
      cmocka_unit_test(test_no_records),
      cmocka_unit_test(test_damage),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
