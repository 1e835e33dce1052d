/*
 * restriction.h - pstats' print restrictions: which rows a view keeps.
 *
 * pstats' print_stats(*amount) takes, in order, any of: an integer (keep
 * that many rows), a fraction (keep that share of the rows) and a regular
 * expression (keep the rows whose "file:line(function)" it matches).  Each
 * applies to what the previous ones left.
 */
#ifndef CPROF_READ_RESTRICTION_H
#define CPROF_READ_RESTRICTION_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum restriction_kind { RESTRICT_COUNT, RESTRICT_FRACTION, RESTRICT_REGEX };

struct restriction {
  enum restriction_kind kind;
  size_t count;    /* RESTRICT_COUNT: at most this many rows */
  double fraction; /* RESTRICT_FRACTION: in (0, 1) */
  char *text;      /* RESTRICT_REGEX: the expression as given */
  regex_t re;      /* ... compiled (POSIX extended, searched for) */
};

/*
 * Reads one restriction: a whole number is a count, another number a
 * fraction (which must lie strictly between 0 and 1), anything else a
 * regular expression.  Returns 0, or -1 with a one-line reason in err.
 */
int restriction_parse(struct restriction *r, const char *arg, char *err,
                      size_t errsize);

/* The "file:line(function)" text of a row, which a regex is matched to. */
typedef const char *restriction_label_fn(const void *ctx, uint32_t row);

/*
 * Keeps the rows of list[0..*n) that pass r, in order.  When rows were
 * dropped, writes pstats' "List reduced from X to Y due to restriction
 * <R>" line to notes.
 */
void restriction_apply(const struct restriction *r, uint32_t *list, size_t *n,
                       restriction_label_fn *label, const void *ctx,
                       FILE *notes);

void restriction_free(struct restriction *r);

#endif /* CPROF_READ_RESTRICTION_H */
