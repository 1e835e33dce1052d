/*
 * symbolize.h - code addresses of a sampled run as functions, files and
 * lines, after the run (symbolize.c).
 *
 * The addresses are resolved against the executable mappings the profile
 * recorded, reading each mapped file (and its separate debug information,
 * found by build id or debuglink) with elfutils' libdwfl.  Built without
 * libdw, only the mapping and the offset in it are known.
 */
#ifndef CPROF_READ_SYMBOLIZE_H
#define CPROF_READ_SYMBOLIZE_H

#include <stdint.h>

#include "cprof-read/profile.h"

struct symbolizer;

/* The most frames one address expands to (symbolize). */
#define SYMBOLIZE_FRAMES 16

/* One frame of an address: a function, and where the address is in it;
 * the strings live until the next call. */
struct symbol {
  const char *name;    /* demangled; NULL: no symbol covers the address */
  const char *file;    /* source file of the function's start, NULL: none */
  uint32_t line;       /* its line there, 0: unknown */
  const char *at_file; /* the address's own line in this frame: the */
  uint32_t at_line;    /* instruction's, or the inlined call's; 0: unknown */
  const char *module;  /* the mapped file's path; NULL: in no mapping */
  uint64_t offset;     /* the address's offset in the module's file */
};

/* A symbolizer for the mappings of `pf`, which must outlive it. */
struct symbolizer *symbolizer_new(const struct prof_file *pf);

/*
 * Resolves `pc` into out[0..n), innermost first, and returns n (1 to
 * `max`), or -1 when no mapping holds it.  Where DWARF says the address
 * is in code inlined into a function (DW_TAG_inlined_subroutine), the
 * inlined functions come first, innermost first, each with its own
 * declaration's file and line, and then the out-of-line function of the
 * symbol table that holds them; otherwise, or without debug information,
 * that function alone.  A deeper chain keeps its innermost max - 1.
 */
int symbolize(struct symbolizer *sym, uint64_t pc, struct symbol *out, int max);

void symbolizer_free(struct symbolizer *sym);

/* Does this prstats read debug information (was it built with libdw)? */
int symbolize_has_debuginfo(void);

#endif /* CPROF_READ_SYMBOLIZE_H */
