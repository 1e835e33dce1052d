/*
 * func_name.h - functions named the way people type them.
 *
 * A C++ function's name in the profile is its full signature
 * ("geo::area(geo::Circle const&)"); people write "geo::area", "area" or
 * the linkage name.  The best kind of match wins: the whole name or the
 * symbol, then the name without its parameter list, then its last
 * components ("area", "Shape::area").
 */
#ifndef CPROF_READ_FUNC_NAME_H
#define CPROF_READ_FUNC_NAME_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cprof-read/stats.h"

/*
 * The length of name without its parameter list and what follows it
 * (" const", " &&"): "ns::S::f(int) const" -> "ns::S::f", "operator()(int)"
 * -> "operator()"; a name without one (C) is whole.
 */
size_t func_base_len(const char *name);

/*
 * The functions `query` names, by the best kind of match any of them has,
 * into picked[0 .. s->nfuncs) (1: named); returns how many.
 */
size_t func_lookup(const struct stats *s, const char *query, char *picked);

/*
 * After func_lookup: 0 when the picked functions share one name (one
 * function, or a static one in several files), else -1 after printing
 * "prstats: 'QUERY' is ambiguous: CANDIDATE, ..." to err.
 */
int func_unique(const struct stats *s, const char *query, const char *picked,
                FILE *err);

#endif /* CPROF_READ_FUNC_NAME_H */
