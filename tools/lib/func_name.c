/*
 * func_name.c - functions named the way people type them (func_name.h).
 */
#include "cprof-read/func_name.h"

#include <string.h>

size_t func_base_len(const char *name) {
  size_t end = strlen(name);
  int depth = 0;

  while (end > 0 && name[end - 1] != ')') /* " const", " &", " &&" */
    if (strchr(" &constvolatie", name[--end]) == NULL)
      return strlen(name); /* no parameter list at the end */
  while (end > 0) {        /* back to the '(' that opens the last list */
    char c = name[--end];
    depth += c == ')';
    depth -= c == '(';
    if (depth == 0)
      return end;
  }
  return strlen(name);
}

enum match { MATCH_NONE, MATCH_TAIL, MATCH_BASE, MATCH_EXACT };

static enum match match(const struct stats_func *f, const char *query) {
  size_t base = func_base_len(f->name), n = strlen(query);

  if (n == 0)
    return MATCH_NONE;
  if (strcmp(f->name, query) == 0 || strcmp(f->symbol, query) == 0)
    return MATCH_EXACT;
  if (n == base && strncmp(f->name, query, n) == 0)
    return MATCH_BASE;
  if (n + 2 <= base && strncmp(f->name + base - n, query, n) == 0 &&
      strncmp(f->name + base - n - 2, "::", 2) == 0)
    return MATCH_TAIL;
  return MATCH_NONE;
}

size_t func_lookup(const struct stats *s, const char *query, char *picked) {
  enum match best = MATCH_NONE;
  size_t n = 0;

  for (size_t i = 0; i < s->nfuncs; i++) {
    enum match m = match(&s->funcs[i], query);
    best = m > best ? m : best;
  }
  for (size_t i = 0; i < s->nfuncs; i++) {
    picked[i] = best != MATCH_NONE && match(&s->funcs[i], query) == best;
    n += picked[i];
  }
  return n;
}

int func_unique(const struct stats *s, const char *query, const char *picked,
                FILE *err) {
  const char *first = NULL;
  int ambiguous = 0;

  for (size_t i = 0; i < s->nfuncs; i++)
    if (picked[i]) {
      first = first ? first : s->funcs[i].name;
      ambiguous |= strcmp(first, s->funcs[i].name) != 0;
    }
  if (!ambiguous)
    return 0;
  fprintf(err, "prstats: '%s' is ambiguous:", query);
  first = "";
  for (size_t i = 0; i < s->nfuncs; i++)
    if (picked[i]) {
      fprintf(err, "%s %s", first, s->funcs[i].stdname);
      first = ",";
    }
  fputc('\n', err);
  return -1;
}
