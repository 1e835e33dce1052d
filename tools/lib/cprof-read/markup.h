/*
 * markup.h - text inside the SVG and HTML outputs, and their inline assets.
 */
#ifndef CPROF_READ_MARKUP_H
#define CPROF_READ_MARKUP_H

#include <stdio.h>

/*
 * Writes s as XML character data or an attribute value: & < > " escaped,
 * bytes that are not valid UTF-8 as U+FFFD, control characters XML 1.0
 * forbids as '?'.
 */
void markup_put(FILE *out, const char *s);

/*
 * The script and style files of tools/lib/view/, as NUL-terminated text
 * (generated at build time by tools/lib/view/embed.cmake).
 */
extern const char view_flame_js[];
extern const char view_page_js[];
extern const char view_page_css[];

#endif /* CPROF_READ_MARKUP_H */
