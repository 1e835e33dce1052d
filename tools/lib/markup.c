/*
 * markup.c - escaping text for the SVG and HTML outputs.
 */
#include "cprof-read/markup.h"

#include "cprof-read/utf8.h"

void markup_put(FILE *out, const char *s) {
  const unsigned char *p = (const unsigned char *)s;

  for (size_t n; *p; p += n ? n : 1) {
    n = utf8_len(p);
    if (*p == '&')
      fputs("&amp;", out);
    else if (*p == '<')
      fputs("&lt;", out);
    else if (*p == '>')
      fputs("&gt;", out);
    else if (*p == '"')
      fputs("&quot;", out);
    else if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      fputc('?', out);
    else if (n)
      fwrite(p, 1, n, out);
    else
      fputs("\xef\xbf\xbd", out);
  }
}
