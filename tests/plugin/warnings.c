/*
 * Code that draws warnings under -Wall -Wextra, and code that must not:
 * warnings.py compiles it with and without the plugin and wants the same
 * diagnostics.  consume() is the pattern of a compression routine's state
 * machine: `saved` is set and used under the same test of s->level, which
 * the optimisers can only see while nothing between the two tests may
 * write *s (a line probe that looked like any call did).
 */
#include <stddef.h>

struct state {
  int level;
  int *window;
  int out;
};

int consume(struct state *s, int n)
{
  int saved;
  if (s->level > 3)
    saved = s->window[n];
  s->out += n;
  for (int i = 0; i < n; i++)
    s->out ^= i;
  if (s->level > 3)
    return saved;
  return s->out;
}

int unused_parameter(int used, int unused)
{
  return used;
}

int sign_compare(int a, unsigned b)
{
  int ignored;
  return a < b;
}

int fall_through(int k)
{
  int r = 0;
  switch (k) {
  case 0:
    r = 1;
  case 1:
    r += 2;
    break;
  default:
    break;
  }
  return r;
}

static int never_called(void)
{
  return 0;
}

int maybe_unset(int c)
{
  int v;
  if (c)
    v = 1;
  return v;
}
