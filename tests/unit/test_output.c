/*
 * test_output.c - reports written through output_write: a file replaced
 * only by a complete report, never by a failed one, and no temporary
 * left behind either way.
 */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cprof-read/output.h"

static char dir[] = "/tmp/cprof-test-output-XXXXXX";
static char path[sizeof dir + 16];

/* Writes the text in ctx; fails (after half of it) when it starts "!". */
static int write_text(FILE *out, const void *ctx) {
  const char *text = ctx;
  if (text[0] != '!')
    return fputs(text, out) < 0 ? -1 : 0;
  fputs(text + 1, out);
  fputs("prstats: test: the report failed\n", stderr);
  return -1;
}

static void put_file(const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void assert_file(const char *want) {
  char got[256] = "";
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  got[fread(got, 1, sizeof got - 1, f)] = '\0';
  fclose(f);
  assert_string_equal(got, want);
}

/* The directory holds the target alone: no temporary left. */
static void assert_alone(void) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int files = 0;
  assert_non_null(d);
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      files++;
  closedir(d);
  assert_int_equal(files, 1);
}

static int setup(void **state) {
  (void)state;
  if (!mkdtemp(dir))
    return -1;
  snprintf(path, sizeof path, "%s/report", dir);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  unlink(path);
  return rmdir(dir);
}

static void test_replaces(void **state) {
  (void)state;
  put_file("old\n");
  assert_int_equal(output_write(path, write_text, "new report\n"), 0);
  assert_file("new report\n");
  assert_alone();
}

static void test_failed_report_keeps_the_file(void **state) {
  (void)state;
  put_file("old\n");
  assert_int_equal(output_write(path, write_text, "!half a rep"), -1);
  assert_file("old\n");
  assert_alone();
}

static void test_missing_directory(void **state) {
  char nowhere[sizeof dir + 32];
  (void)state;
  snprintf(nowhere, sizeof nowhere, "%s/no/such/report", dir);
  assert_int_equal(output_write(nowhere, write_text, "text\n"), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_replaces),
      cmocka_unit_test(test_failed_report_keeps_the_file),
      cmocka_unit_test(test_missing_directory),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
