/*
 * utf8.h - valid UTF-8, for outputs that must carry it (JSON, marshal).
 *
 * A path can hold any bytes; formats that require UTF-8 get U+FFFD in
 * place of each byte that does not start a valid sequence.
 */
#ifndef CPROF_READ_UTF8_H
#define CPROF_READ_UTF8_H

#include <stddef.h>
#include <stdio.h>

/* Bytes of the valid sequence at p (1 for ASCII), 0 if invalid or NUL. */
size_t utf8_len(const unsigned char *p);

/* A malloc'ed copy of s with every invalid byte replaced by U+FFFD. */
char *utf8_clean(const char *s);

/*
 * Writes s as a JSON string (RFC 8259 escapes, invalid bytes as U+FFFD),
 * or null for NULL: the one string writer of every JSON output.
 */
void utf8_put_json(FILE *out, const char *s);

#endif /* CPROF_READ_UTF8_H */
