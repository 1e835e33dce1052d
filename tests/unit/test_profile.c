/*
 * test_profile.c - the reader: valid files, and every kind of bad input.
 */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builder.h"
#include "cprof-read/profile.h"

static char err[256];

/* main -> fib -> fib, fib with three lines of data. */
static void small_profile(struct fb *b) {
  static const uint64_t hits[] = {1, 0, 2}, ticks[] = {5, 0, 7};
  uint32_t main_fn, fib, root;

  fb_init(b, 1000.0);
  main_fn = fb_func(b, "main", NULL, 3);
  fib = fb_func(b, "fib", "/src/fib.c", 10);
  fb_lines(b, fib, 11, 3, hits, ticks);
  root = fb_node(b, CPROF_NO_PARENT, main_fn, 1, 100);
  fb_node(b, fb_node(b, root, fib, 1, 80), fib, 2, 30);
}

static void check_small(const struct prof_file *pf) {
  assert_int_equal(pf->nfuncs, 2);
  assert_int_equal(pf->nnodes, 3);
  assert_int_equal(pf->nlines, 3);
  assert_true(pf->hdr.tick_hz == 1000.0);
  assert_string_equal(prof_string(pf, pf->hdr.program), "/bin/test-program");
  assert_string_equal(prof_string(pf, pf->funcs[1].name), "fib");
  assert_string_equal(prof_string(pf, pf->funcs[1].file), "/src/fib.c");
  assert_int_equal(pf->funcs[1].first_line, 11);
  assert_int_equal(pf->nodes[2].parent, 1);
  assert_int_equal(pf->nodes[2].calls, 2);
  assert_int_equal(pf->nodes[2].ticks, 30);
  assert_int_equal(pf->lines[2].hits, 2);
  assert_int_equal(pf->lines[2].ticks, 7);
}

static void expect_ok(struct fb_out *o, struct prof_file *pf) {
  if (prof_parse(pf, o->data, o->size, err, sizeof err) != 0)
    fail_msg("unexpected error: %s", err);
}

/* Parses (taking the bytes) and expects one line mentioning `needle`. */
static void expect_error(unsigned char *data, size_t size, const char *needle) {
  struct prof_file pf;

  assert_int_equal(prof_parse(&pf, data, size, err, sizeof err), -1);
  if (!strstr(err, needle))
    fail_msg("error '%s' does not mention '%s'", err, needle);
  assert_null(strchr(err, '\n'));
  assert_null(pf.funcs);
}

static void test_valid(void **state) {
  struct fb b;
  struct fb_out o;
  struct prof_file pf;

  (void)state;
  small_profile(&b);
  fb_build(&b, &o);
  expect_ok(&o, &pf);
  check_small(&pf);
  prof_free(&pf);
  fb_free(&b);
}

/* What a newer writer may add: header fields, record fields, sections. */
static void test_newer_writer_extras(void **state) {
  struct fb b;
  struct fb_out o;
  struct prof_file pf;

  (void)state;
  small_profile(&b);
  b.header_pad = 24;
  b.record_pad = 8;
  b.kinds[b.nkinds++] = 99;
  fb_build(&b, &o);
  expect_ok(&o, &pf);
  check_small(&pf);
  prof_free(&pf);
  fb_free(&b);
}

/* Duration histograms, longer records from a newer writer included. */
static void test_histograms(void **state) {
  struct fb b;
  struct fb_out o;
  struct prof_file pf;

  (void)state;
  small_profile(&b);
  fb_hist(&b, 1, 30, 2);
  fb_hist(&b, 0, 100, 1);
  b.record_pad = 8;
  fb_build(&b, &o);
  expect_ok(&o, &pf);
  check_small(&pf);
  assert_int_equal(pf.nhists, 2);
  assert_int_equal(pf.hists[0].func, 1);
  assert_int_equal(pf.hists[0].bucket, cprof_hist_bucket(30));
  assert_int_equal(pf.hists[0].count, 2);
  assert_int_equal(pf.hists[1].func, 0);
  assert_int_equal(pf.hists[1].bucket, cprof_hist_bucket(100));
  assert_int_equal(pf.hists[1].count, 1);
  prof_free(&pf);
  fb_free(&b);
}

static void test_no_lines_section(void **state) {
  struct fb b;
  struct fb_out o;
  struct prof_file pf;
  uint32_t f;

  (void)state;
  fb_init(&b, 1.0);
  f = fb_func(&b, "f", NULL, 1);
  fb_node(&b, CPROF_NO_PARENT, f, 1, 1);
  b.nkinds = 3;
  fb_build(&b, &o);
  expect_ok(&o, &pf);
  assert_int_equal(pf.nlines, 0);
  prof_free(&pf);
  fb_free(&b);
}

static unsigned char *copy(const char *s, size_t n) {
  unsigned char *p = malloc(n ? n : 1);
  memcpy(p, s, n);
  return p;
}

static void test_empty(void **state) {
  (void)state;
  expect_error(copy("", 0), 0, "empty file");
}

static void test_not_cprof(void **state) {
  static const char text[] = "int main(void) { return 0; }\n"
                             "this is a C file, not a profile at all\n"
                             "padding padding padding padding padding\n";
  (void)state;
  expect_error(copy(text, sizeof text - 1), sizeof text - 1,
               "not a cprof profile");
  expect_error(copy("ELF", 3), 3, "not a cprof profile");
}

static void test_magic_only(void **state) {
  (void)state;
  expect_error(copy("CPRO", 4), 4, "truncated");
  expect_error(copy("CPROFDAT\1", 9), 9, "truncated");
}

/* Builds the small profile, lets `damage` change it, expects `needle`. */
static void expect_damage(void (*damage)(struct fb *b, struct fb_out *o),
                          const char *needle) {
  struct fb b;
  struct fb_out o;

  small_profile(&b);
  fb_build(&b, &o);
  damage(&b, &o);
  expect_error(o.data, o.size, needle);
  fb_free(&b);
}

static struct cprof_file_header *hdr(struct fb_out *o) {
  return (struct cprof_file_header *)o->data;
}

static void cut_last_byte(struct fb *b, struct fb_out *o) {
  (void)b;
  o->size--;
}

static void add_byte(struct fb *b, struct fb_out *o) {
  (void)b;
  o->data = realloc(o->data, o->size + 1);
  o->data[o->size++] = 0;
}

static void flip_body_byte(struct fb *b, struct fb_out *o) {
  (void)b;
  o->data[o->size - 5] ^= 0x10;
}

static void newer_version(struct fb *b, struct fb_out *o) {
  (void)b;
  hdr(o)->version = CPROF_FORMAT_VERSION + 1;
}

static void older_version(struct fb *b, struct fb_out *o) {
  (void)b;
  hdr(o)->version = CPROF_FORMAT_VERSION - 1;
}

static void version_zero(struct fb *b, struct fb_out *o) {
  (void)b;
  hdr(o)->version = 0;
}

static void small_header_size(struct fb *b, struct fb_out *o) {
  (void)b;
  hdr(o)->header_size = 40;
}

static void zero_tick_hz(struct fb *b, struct fb_out *o) {
  (void)b;
  hdr(o)->tick_hz = 0;
}

/* Below 1 Hz, ticks / tick_hz could overflow to infinity. */
static void tiny_tick_hz(struct fb *b, struct fb_out *o) {
  (void)b;
  hdr(o)->tick_hz = 1e-300;
}

static void test_header_damage(void **state) {
  char newer[96];

  (void)state;
  snprintf(newer, sizeof newer,
           "format version %d is newer than this prstats understands (%d)",
           CPROF_FORMAT_VERSION + 1, CPROF_FORMAT_VERSION);
  expect_damage(cut_last_byte, "truncated");
  expect_damage(add_byte, "after the end");
  expect_damage(flip_body_byte, "corrupted: checksum mismatch");
  expect_damage(newer_version, newer);
  expect_damage(older_version, "is older than this prstats reads");
  expect_damage(version_zero, "version 0");
  expect_damage(small_header_size, "header_size 40");
  expect_damage(zero_tick_hz, "tick_hz");
  expect_damage(tiny_tick_hz, "invalid tick_hz 1e-300");
}

/*
 * The k-th section's header (0 strings .. 3 lines).  Sections after the
 * strings are not aligned, hence copies rather than pointers.
 */
static struct cprof_section get_sec(const struct fb_out *o, int k) {
  struct cprof_section s;
  memcpy(&s, o->data + o->sec[k], sizeof s);
  return s;
}

static void put_sec(struct fb_out *o, int k, struct cprof_section s) {
  memcpy(o->data + o->sec[k], &s, sizeof s);
  fb_seal(o->data, o->size);
}

static void huge_count(struct fb *b, struct fb_out *o) {
  struct cprof_section s = get_sec(o, 2);
  (void)b;
  s.count = 1ull << 60;
  put_sec(o, 2, s);
}

static void zero_record_size(struct fb *b, struct fb_out *o) {
  struct cprof_section s = get_sec(o, 3);
  (void)b;
  s.record_size = 0;
  put_sec(o, 3, s);
}

static void short_func_records(struct fb *b, struct fb_out *o) {
  struct cprof_section s = get_sec(o, 1);
  (void)b;
  s.record_size = 8;
  put_sec(o, 1, s);
}

static void wide_strings(struct fb *b, struct fb_out *o) {
  struct cprof_section s = get_sec(o, 0);
  s.record_size = 2;
  s.count = b->nstrings / 2;
  put_sec(o, 0, s);
}

static void extra_nsections(struct fb *b, struct fb_out *o) {
  (void)b;
  hdr(o)->nsections++;
}

static void fewer_nsections(struct fb *b, struct fb_out *o) {
  (void)b;
  hdr(o)->nsections--;
}

/* Rebuilds with another list of sections. */
static void set_kinds(struct fb *b, struct fb_out *o, const uint32_t *kinds,
                      int n) {
  memcpy(b->kinds, kinds, n * sizeof *kinds);
  b->nkinds = n;
  free(o->data);
  fb_build(b, o);
}

static void duplicate_nodes(struct fb *b, struct fb_out *o) {
  static const uint32_t k[] = {1, 2, 3, 4, 3};
  set_kinds(b, o, k, 5);
}

static void missing_nodes(struct fb *b, struct fb_out *o) {
  static const uint32_t k[] = {1, 2, 4};
  set_kinds(b, o, k, 3);
}

static void missing_strings(struct fb *b, struct fb_out *o) {
  static const uint32_t k[] = {2, 3, 4};
  set_kinds(b, o, k, 3);
}

static void test_section_damage(void **state) {
  (void)state;
  expect_damage(huge_count, "do not fit");
  expect_damage(zero_record_size, "do not fit");
  char short_funcs[64];
  snprintf(short_funcs, sizeof short_funcs,
           "record_size 8 (expected at least %zu)",
           sizeof(struct cprof_file_func));
  expect_damage(short_func_records, short_funcs);
  expect_damage(wide_strings, "record_size 2 (expected 1)");
  expect_damage(extra_nsections, "starts past the end");
  expect_damage(fewer_nsections, "after the last section");
  expect_damage(duplicate_nodes, "a second nodes section");
  expect_damage(missing_nodes, "no nodes section");
  expect_damage(missing_strings, "no strings section");
}

/* Record damage is done in the builder, which then writes a sealed file. */
static void rebuild(struct fb *b, struct fb_out *o) {
  free(o->data);
  fb_build(b, o);
}

static void parent_is_self(struct fb *b, struct fb_out *o) {
  b->nodes[2].parent = 2;
  rebuild(b, o);
}

static void parent_after(struct fb *b, struct fb_out *o) {
  b->nodes[1].parent = 2;
  rebuild(b, o);
}

static void func_out_of_range(struct fb *b, struct fb_out *o) {
  b->nodes[1].func = 2;
  rebuild(b, o);
}

static void lines_past_end(struct fb *b, struct fb_out *o) {
  b->funcs[1].nlines = 4;
  rebuild(b, o);
}

static void line_base_past_end(struct fb *b, struct fb_out *o) {
  b->funcs[1].line_base = UINT64_MAX - 1;
  rebuild(b, o);
}

static void line_numbers_overflow(struct fb *b, struct fb_out *o) {
  b->funcs[1].first_line = UINT32_MAX - 1;
  rebuild(b, o);
}

static void name_out_of_range(struct fb *b, struct fb_out *o) {
  b->funcs[0].name = (uint32_t)b->nstrings;
  rebuild(b, o);
}

static void file_out_of_range(struct fb *b, struct fb_out *o) {
  b->funcs[1].file = UINT32_MAX;
  rebuild(b, o);
}

static void unterminated_strings(struct fb *b, struct fb_out *o) {
  b->strings[b->nstrings - 1] = 'x';
  rebuild(b, o);
}

static void hist_func_out_of_range(struct fb *b, struct fb_out *o) {
  fb_hist(b, 1, 5, 1);
  b->hists[0].func = 9;
  rebuild(b, o);
}

static void program_out_of_range(struct fb *b, struct fb_out *o) {
  (void)b;
  hdr(o)->program = 1u << 20;
}

static void test_record_damage(void **state) {
  (void)state;
  expect_damage(parent_is_self, "node 2: parent 2 does not come before it");
  expect_damage(parent_after, "node 1: parent 2 does not come before it");
  expect_damage(func_out_of_range, "node 1: function 2 out of range");
  expect_damage(lines_past_end, "function 1: 4 line records");
  expect_damage(line_base_past_end, "out of range");
  expect_damage(line_numbers_overflow, "function 1: 3 line records");
  expect_damage(name_out_of_range, "function 0: string offset");
  expect_damage(file_out_of_range, "function 1: string offset 4294967295");
  expect_damage(unterminated_strings, "does not end with a NUL");
  expect_damage(program_out_of_range, "header 0: string offset");
  expect_damage(hist_func_out_of_range,
                "histogram 0: function 9 out of range (2 functions)");
}

static void expect_load_error(const char *path, const char *needle) {
  struct prof_file pf;

  assert_int_equal(prof_load(&pf, path, err, sizeof err), -1);
  if (!strstr(err, needle))
    fail_msg("error '%s' does not mention '%s'", err, needle);
}

static void test_load(void **state) {
  struct fb b;
  struct fb_out o;
  struct prof_file pf;
  char *path;

  (void)state;
  small_profile(&b);
  fb_build(&b, &o);
  path = fb_write_temp(o.data, o.size);
  if (prof_load(&pf, path, err, sizeof err))
    fail_msg("unexpected error: %s", err);
  check_small(&pf);
  prof_free(&pf);
  unlink(path);
  free(path);
  free(o.data);
  fb_free(&b);

  path = fb_write_temp("", 0);
  expect_load_error(path, "empty file");
  unlink(path);
  expect_load_error(path, "cannot open: No such file or directory");
  free(path);
  expect_load_error("/", "is a directory");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid),
      cmocka_unit_test(test_newer_writer_extras),
      cmocka_unit_test(test_histograms),
      cmocka_unit_test(test_no_lines_section),
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_not_cprof),
      cmocka_unit_test(test_magic_only),
      cmocka_unit_test(test_header_damage),
      cmocka_unit_test(test_section_damage),
      cmocka_unit_test(test_record_damage),
      cmocka_unit_test(test_load),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
