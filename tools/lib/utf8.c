/*
 * utf8.c - checking and repairing UTF-8 (RFC 3629).
 */
#include "cprof-read/utf8.h"

#include <string.h>

#include "cprof-read/util.h"

size_t utf8_len(const unsigned char *p) {
  unsigned char lo = 0x80, hi = 0xbf;
  size_t n;

  if (p[0] >= 0x01 && p[0] < 0x80)
    return 1;
  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    n = 2;
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    n = 3, lo = p[0] == 0xe0 ? 0xa0 : lo, hi = p[0] == 0xed ? 0x9f : hi;
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    n = 4, lo = p[0] == 0xf0 ? 0x90 : lo, hi = p[0] == 0xf4 ? 0x8f : hi;
  else
    return 0; /* NUL, a continuation byte, or never valid */
  if (p[1] < lo || p[1] > hi)
    return 0; /* overlong forms, surrogates, above U+10FFFF */
  for (size_t i = 2; i < n; i++)
    if ((p[i] & 0xc0) != 0x80)
      return 0;
  return n;
}

char *utf8_clean(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  char *out = xmalloc(3 * strlen(s) + 1), *q = out; /* U+FFFD: 3 bytes */

  while (*p) {
    size_t n = utf8_len(p);
    if (n) {
      memcpy(q, p, n);
      q += n, p += n;
    } else {
      memcpy(q, "\xef\xbf\xbd", 3);
      q += 3, p++;
    }
  }
  *q = '\0';
  return out;
}

void utf8_put_json(FILE *out, const char *s) {
  const unsigned char *p = (const unsigned char *)s;

  if (!s) {
    fputs("null", out);
    return;
  }
  fputc('"', out);
  for (size_t n; *p; p += n ? n : 1) {
    n = utf8_len(p);
    if (*p == '"' || *p == '\\')
      fprintf(out, "\\%c", *p);
    else if (*p == '\n')
      fputs("\\n", out);
    else if (*p == '\t')
      fputs("\\t", out);
    else if (*p < 0x20)
      fprintf(out, "\\u%04x", *p);
    else if (n)
      fwrite(p, 1, n, out);
    else
      fputs("\\ufffd", out);
  }
  fputc('"', out);
}
