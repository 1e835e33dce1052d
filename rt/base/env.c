/*
 * env.c - the CPROF_* environment, read one way.
 *
 * A variable that is unset or empty takes its default without a word (so
 * `CPROF_X= prog` clears it).  A value that does not parse says so in one
 * line, "cprof: CPROF_X=value: why, using default", and the default is
 * used: the program runs as if the variable were not set.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/base.h"

const char *rt_env(const char *name) {
  const char *v = getenv(name);
  return v && *v ? v : NULL;
}

void rt_env_bad(const char *name, const char *value, const char *why,
                const char *fallback) {
  rt_warn("%s=%s: %s, using %s", name, value, why, fallback);
}

int rt_env_flag(const char *name, int fallback) {
  const char *v = rt_env(name);
  if (!v)
    return fallback;
  if ((v[0] == '0' || v[0] == '1') && !v[1])
    return v[0] - '0';
  rt_env_bad(name, v, "expected 0 or 1", fallback ? "1" : "0");
  return fallback;
}

long rt_env_long(const char *name, long min, long max, long fallback) {
  const char *v = rt_env(name);
  char *end, why[80], def[24];
  if (!v)
    return fallback;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (errno == 0 && end != v && !*end && n >= min && n <= max)
    return n;
  snprintf(why, sizeof why, "not an integer from %ld to %ld", min, max);
  snprintf(def, sizeof def, "%ld", fallback);
  rt_env_bad(name, v, why, def);
  return fallback;
}

/* "inf" and "nan" parse as numbers: a time must be finite. */
double rt_env_seconds(const char *name) {
  const char *v = rt_env(name);
  char *end;
  if (!v)
    return 0;
  double s = strtod(v, &end);
  if (end != v && !*end && s > 0 && s < 1e9)
    return s;
  rt_env_bad(name, v, "not a positive number of seconds", "none");
  return 0;
}
