/*
 * restriction.c - pstats' print restrictions.
 *
 * Two departures from pstats, both to fail loudly instead of quietly: a
 * number outside what a restriction can mean (a negative count, a
 * fraction not between 0 and 1) and a bad regular expression are errors,
 * where pstats prints a note and ignores them.  Words that only read as
 * numbers to strtod ("inf", "nan") stay regular expressions, so a
 * function of that name can still be picked.  The expressions are POSIX
 * extended ones, which agree with Python's for the usual cases (words,
 * alternation, anchors, classes).
 */
#include "cprof-read/restriction.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cprof-read/util.h"

static int parse_number(struct restriction *r, const char *arg, char *err,
                        size_t errsize) {
  char *end;
  double x;

  errno = 0;
  r->count = (size_t)strtoull(arg, &end, 10);
  if (arg[0] != '-' && *end == '\0' && errno == 0) {
    r->kind = RESTRICT_COUNT;
    return 0;
  }
  x = strtod(arg, &end);
  if (*end == '\0' && x > 0 && x < 1) {
    r->kind = RESTRICT_FRACTION;
    r->fraction = x;
    return 0;
  }
  snprintf(err, errsize,
           "restriction '%s': expected a count of rows, a fraction between "
           "0 and 1, or a regular expression",
           arg);
  return -1;
}

int restriction_parse(struct restriction *r, const char *arg, char *err,
                      size_t errsize) {
  int rc;

  memset(r, 0, sizeof *r);
  if (isdigit((unsigned char)arg[0]) || arg[0] == '.' ||
      (arg[0] == '-' && (isdigit((unsigned char)arg[1]) || arg[1] == '.')))
    return parse_number(r, arg, err, errsize);
  if (arg[0] == '\0') {
    snprintf(err, errsize, "empty restriction");
    return -1;
  }
  rc = regcomp(&r->re, arg, REG_EXTENDED | REG_NOSUB);
  if (rc != 0) {
    char why[128];
    regerror(rc, &r->re, why, sizeof why);
    snprintf(err, errsize, "restriction '%s': %s", arg, why);
    return -1;
  }
  r->kind = RESTRICT_REGEX;
  r->text = xstrdup(arg);
  return 0;
}

/* Python's repr() of a str: single quotes unless it holds one and no ". */
static void put_repr(FILE *out, const char *text) {
  char quote = strchr(text, '\'') && !strchr(text, '"') ? '"' : '\'';

  fputc(quote, out);
  for (const char *p = text; *p; p++) {
    if (*p == '\\' || *p == quote)
      fputc('\\', out);
    fputc(*p, out);
  }
  fputc(quote, out);
}

/* The restriction as pstats writes it between < and >. */
static void put_restriction(FILE *out, const struct restriction *r) {
  switch (r->kind) {
  case RESTRICT_COUNT:
    fprintf(out, "%zu", r->count);
    break;
  case RESTRICT_FRACTION: /* the shortest text that reads back, as repr() */
    put_shortest(out, r->fraction);
    break;
  case RESTRICT_REGEX:
    put_repr(out, r->text);
    break;
  }
}

void restriction_apply(const struct restriction *r, uint32_t *list, size_t *n,
                       restriction_label_fn *label, const void *ctx,
                       FILE *notes) {
  size_t kept = *n;

  if (r->kind == RESTRICT_COUNT && r->count < *n)
    kept = r->count;
  else if (r->kind == RESTRICT_FRACTION)
    kept = (size_t)((double)*n * r->fraction + 0.5); /* pstats' rounding */
  else if (r->kind == RESTRICT_REGEX) {
    kept = 0;
    for (size_t i = 0; i < *n; i++)
      if (regexec(&r->re, label(ctx, list[i]), 0, NULL, 0) == 0)
        list[kept++] = list[i];
  }
  if (kept != *n) {
    fprintf(notes, "   List reduced from %zu to %zu due to restriction <", *n,
            kept);
    put_restriction(notes, r);
    fputs(">\n", notes);
  }
  *n = kept;
}

void restriction_free(struct restriction *r) {
  if (r->kind == RESTRICT_REGEX) {
    regfree(&r->re);
    free(r->text);
  }
  memset(r, 0, sizeof *r);
}
