/*
 * symbolize.c - addresses to functions and lines (symbolize.h).
 *
 * Each recorded mapping of a file is reported to libdwfl at its load
 * bias, found from the file's program headers: the segment that the
 * mapping's file offset falls in says which virtual address the mapping
 * starts at.  libdwfl then finds the symbol tables and the DWARF lines,
 * in the file or in its separate debug file (build id, debuglink).  A
 * file that is gone or changed since the run resolves to its mapping and
 * offset only, as does everything without libdw.
 *
 * An address in inlined code is a chain of frames: the scopes that DWARF
 * nests around it (dwarf_getscopes) hold a DW_TAG_inlined_subroutine for
 * each function inlined there, innermost first, whose abstract origin
 * names it and whose DW_AT_call_file and DW_AT_call_line say where in the
 * enclosing function it was inlined.
 */
#include "cprof-read/symbolize.h"

#include <stdlib.h>
#include <string.h>

#include "cprof-read/util.h"

#ifdef CPROF_HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

/* libstdc++'s demangler (prstats links it with libdw). */
char *__cxa_demangle(const char *mangled, char *out, size_t *len, int *status);

struct symbolizer {
  const struct prof_file *pf;
  Dwfl *dwfl;
  char *names[SYMBOLIZE_FRAMES]; /* the last call's names */
};

static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
};

/* The load bias of mapping `m`, from its file's segments; -1: unknown. */
static int load_bias(const char *path, const struct cprof_file_map *m,
                     uint64_t *bias) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  int rc = -1;
  if (fd < 0)
    return -1;
  elf_version(EV_CURRENT);
  Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
  size_t n = 0;
  if (elf && elf_getphdrnum(elf, &n) == 0)
    for (size_t i = 0; i < n && rc < 0; i++) {
      GElf_Phdr ph;
      if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
          !(ph.p_flags & PF_X))
        continue;
      uint64_t page_off = ph.p_offset & ~(uint64_t)0xfff;
      if (m->offset < page_off || m->offset >= ph.p_offset + ph.p_filesz)
        continue;
      *bias = m->start - (ph.p_vaddr - ph.p_offset + m->offset);
      rc = 0;
    }
  elf_end(elf);
  close(fd);
  return rc;
}

/* Has a mapping before `i` the same file (reported once)? */
static int reported(const struct prof_file *pf, uint64_t i) {
  const char *path = pf->map_strings + pf->maps[i].path;
  for (uint64_t k = 0; k < i; k++)
    if (strcmp(pf->map_strings + pf->maps[k].path, path) == 0)
      return 1;
  return 0;
}

struct symbolizer *symbolizer_new(const struct prof_file *pf) {
  struct symbolizer *sym = xcalloc(1, sizeof *sym);
  sym->pf = pf;
  sym->dwfl = dwfl_begin(&callbacks);
  if (!sym->dwfl)
    return sym;
  dwfl_report_begin(sym->dwfl);
  for (uint64_t i = 0; i < pf->nmaps; i++) {
    const char *path = pf->map_strings + pf->maps[i].path;
    uint64_t bias;
    if (path[0] != '/' || reported(pf, i) ||
        load_bias(path, &pf->maps[i], &bias) != 0)
      continue;
    const char *base = strrchr(path, '/') + 1;
    dwfl_report_elf(sym->dwfl, base, path, -1, bias, true);
  }
  dwfl_report_end(sym->dwfl, NULL, NULL);
  return sym;
}

/* Name `raw` of frame `k`, kept until the next call: a versioned symbol
 * (exp@@GLIBC_2.29) by its plain name, a C++ one demangled. */
static const char *keep_name(struct symbolizer *sym, int k, const char *raw) {
  size_t len = strcspn(raw, "@");
  free(sym->names[k]);
  sym->names[k] = strndup(raw, len ? len : strlen(raw));
  int status = -1;
  char *plain = sym->names[k] && raw[0] == '_' && raw[1] == 'Z'
                    ? __cxa_demangle(sym->names[k], NULL, NULL, &status)
                    : NULL;
  if (status == 0) {
    free(sym->names[k]);
    sym->names[k] = plain;
  }
  return sym->names[k] ? sym->names[k] : raw;
}

static const char *die_string(Dwarf_Die *die, int name) {
  Dwarf_Attribute a;
  return dwarf_formstring(dwarf_attr_integrate(die, name, &a));
}

/* The file that attribute `attr` of `die` names, an index into the file
 * table of unit `cu`. */
static const char *unit_file(Dwarf_Die *cu, Dwarf_Die *die, int attr) {
  Dwarf_Attribute a;
  Dwarf_Word index;
  Dwarf_Files *files;
  if (dwarf_formudata(dwarf_attr_integrate(die, attr, &a), &index) != 0 ||
      dwarf_getsrcfiles(cu, &files, NULL) != 0)
    return NULL;
  return dwarf_filesrc(files, index, NULL, NULL);
}

/* Where inlined subroutine `die` was called from, in its enclosing function. */
static void call_site(Dwarf_Die *cu, Dwarf_Die *die, struct symbol *caller) {
  Dwarf_Attribute a;
  Dwarf_Word line;
  if (dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &a), &line) != 0)
    return;
  caller->at_file = unit_file(cu, die, DW_AT_call_file);
  caller->at_line = caller->at_file ? (uint32_t)line : 0;
}

/* The compile unit holding module address `addr`, its bias in *bias: by
 * .debug_aranges, or, where the compiler wrote none (clang 14 by default,
 * which elfutils 0.188 does not make up for), by each unit's ranges. */
static Dwarf_Die *unit_of(Dwfl_Module *mod, Dwarf_Addr addr, Dwarf_Addr *bias) {
  Dwarf_Die *cu = dwfl_module_addrdie(mod, addr, bias);
  for (Dwarf_Die *c = NULL; !cu && (c = dwfl_module_nextcu(mod, c, bias));)
    if (dwarf_haspc(c, addr - *bias) > 0)
      cu = c;
  return cu;
}

/* The source line of `addr` in unit `cu` into *file and *line. */
static void line_of(Dwarf_Die *cu, Dwarf_Addr addr, const char **file,
                    uint32_t *line) {
  Dwarf_Line *l = dwarf_getsrc_die(cu, addr);
  int lineno = 0;
  *file = l ? dwarf_linesrc(l, NULL, NULL) : NULL;
  *line = *file && dwarf_lineno(l, &lineno) == 0 ? (uint32_t)lineno : 0;
}

/* The functions inlined at `addr` (unit address) into out[0..), innermost
 * first, at most max - 1 of them; returns their number. */
static int inlined(Dwarf_Die *cu, Dwarf_Addr addr, struct symbolizer *sym,
                   struct symbol *out, int max) {
  Dwarf_Die *scopes = NULL;
  int nscopes = dwarf_getscopes(cu, addr, &scopes);
  int n = 0;
  for (int i = 0; i < nscopes && n < max - 1; i++) {
    if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
      continue;
    const char *name = die_string(&scopes[i], DW_AT_linkage_name);
    if (!name)
      name = die_string(&scopes[i], DW_AT_name);
    if (!name)
      continue;
    struct symbol *f = &out[n++];
    f->name = keep_name(sym, n, name);
    /* elfutils 0.188 takes DWARF 5's file 0 (Clang's) for none */
    f->file = dwarf_decl_file(&scopes[i]);
    if (!f->file)
      f->file = unit_file(cu, &scopes[i], DW_AT_decl_file);
    int line = 0;
    f->line = f->file && dwarf_decl_line(&scopes[i], &line) == 0 ? (uint32_t)line : 0;
    call_site(cu, &scopes[i], &out[n]); /* the next frame's line */
  }
  free(scopes);
  return n;
}

static int resolve(struct symbolizer *sym, uint64_t pc, struct symbol *out,
                   int max) {
  Dwfl_Module *mod = sym->dwfl ? dwfl_addrmodule(sym->dwfl, pc) : NULL;
  GElf_Off off = 0;
  GElf_Sym es;
  const char *name =
      mod ? dwfl_module_addrinfo(mod, pc, &off, &es, NULL, NULL, NULL) : NULL;
  if (!name)
    return 1;
  Dwarf_Addr bias = 0;
  Dwarf_Die *cu = unit_of(mod, pc, &bias);
  int n = 0;
  if (cu) {
    line_of(cu, pc - bias, &out[0].at_file, &out[0].at_line);
    n = inlined(cu, pc - bias, sym, out, max);
  }
  struct symbol *f = &out[n];
  f->name = keep_name(sym, 0, name);
  /* The function's own place: the line of its first instruction. */
  Dwarf_Die *start = off ? unit_of(mod, pc - off, &bias) : cu;
  if (start)
    line_of(start, pc - off - bias, &f->file, &f->line);
  return n + 1;
}

void symbolizer_free(struct symbolizer *sym) {
  if (sym->dwfl)
    dwfl_end(sym->dwfl);
  for (int k = 0; k < SYMBOLIZE_FRAMES; k++)
    free(sym->names[k]);
  free(sym);
}

int symbolize_has_debuginfo(void) { return 1; }

#else /* no libdw: mappings and offsets only */

struct symbolizer {
  const struct prof_file *pf;
};

struct symbolizer *symbolizer_new(const struct prof_file *pf) {
  struct symbolizer *sym = xcalloc(1, sizeof *sym);
  sym->pf = pf;
  return sym;
}

static int resolve(struct symbolizer *sym, uint64_t pc, struct symbol *out,
                   int max) {
  (void)sym, (void)pc, (void)out, (void)max;
  return 1;
}

void symbolizer_free(struct symbolizer *sym) { free(sym); }

int symbolize_has_debuginfo(void) { return 0; }

#endif

int symbolize(struct symbolizer *sym, uint64_t pc, struct symbol *out,
              int max) {
  const struct prof_file *pf = sym->pf;
  if (max > SYMBOLIZE_FRAMES)
    max = SYMBOLIZE_FRAMES;
  memset(out, 0, (size_t)max * sizeof *out);
  for (uint64_t i = 0; i < pf->nmaps; i++) {
    const struct cprof_file_map *m = &pf->maps[i];
    if (pc >= m->start && pc < m->end) {
      int n = resolve(sym, pc, out, max);
      for (int k = 0; k < n; k++) {
        out[k].module = pf->map_strings + m->path;
        out[k].offset = pc - m->start + m->offset;
      }
      return n;
    }
  }
  return -1;
}
