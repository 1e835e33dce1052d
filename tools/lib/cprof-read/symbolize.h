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

/* What is known of one address; the strings live until the next call. */
struct symbol {
  const char *name;   /* demangled; NULL: no symbol covers the address */
  const char *file;   /* source file of the function's start, NULL: none */
  uint32_t line;      /* its line there, 0: unknown */
  const char *module; /* the mapped file's path; NULL: in no mapping */
  uint64_t offset;    /* the address's offset in the module's file */
};

/* A symbolizer for the mappings of `pf`, which must outlive it. */
struct symbolizer *symbolizer_new(const struct prof_file *pf);

/* Resolves `pc` into `out`; returns 0, or -1 when no mapping holds it. */
int symbolize(struct symbolizer *sym, uint64_t pc, struct symbol *out);

/*
 * The source line of the instruction at `pc` itself (symbolize gives its
 * function's first line): its file into *file (valid until the next call)
 * and line into *line.  Returns 0, or -1 when DWARF has no line there.
 */
int symbolize_line(struct symbolizer *sym, uint64_t pc, const char **file,
                   uint32_t *line);

void symbolizer_free(struct symbolizer *sym);

/* Does this prstats read debug information (was it built with libdw)? */
int symbolize_has_debuginfo(void);

#endif /* CPROF_READ_SYMBOLIZE_H */
