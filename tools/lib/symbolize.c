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
 */
#include "cprof-read/symbolize.h"

#include <stdlib.h>
#include <string.h>

#include "cprof-read/util.h"

#ifdef CPROF_HAVE_LIBDW
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

/* libstdc++'s demangler (prstats links it with libdw). */
char *__cxa_demangle(const char *mangled, char *out, size_t *len, int *status);

struct symbolizer {
  const struct prof_file *pf;
  Dwfl *dwfl;
  char *name; /* the last name returned */
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

static void resolve(struct symbolizer *sym, uint64_t pc, struct symbol *out) {
  Dwfl_Module *mod = sym->dwfl ? dwfl_addrmodule(sym->dwfl, pc) : NULL;
  GElf_Off off = 0;
  GElf_Sym es;
  const char *name =
      mod ? dwfl_module_addrinfo(mod, pc, &off, &es, NULL, NULL, NULL) : NULL;
  if (!name)
    return;
  /* A versioned symbol (exp@@GLIBC_2.29) by its plain name, demangled. */
  size_t len = strcspn(name, "@");
  free(sym->name);
  sym->name = strndup(name, len ? len : strlen(name));
  int status = -1;
  char *plain = sym->name && sym->name[0] == '_' && sym->name[1] == 'Z'
                    ? __cxa_demangle(sym->name, NULL, NULL, &status)
                    : NULL;
  if (status == 0) {
    free(sym->name);
    sym->name = plain;
  }
  out->name = sym->name ? sym->name : name;
  /* The function's own place: the line of its first instruction. */
  Dwfl_Line *line = dwfl_module_getsrc(mod, pc - off);
  int lineno = 0;
  const char *file =
      line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL;
  if (file) {
    out->file = file;
    out->line = (uint32_t)lineno;
  }
}

int symbolize_line(struct symbolizer *sym, uint64_t pc, const char **file,
                   uint32_t *line) {
  Dwfl_Module *mod = sym->dwfl ? dwfl_addrmodule(sym->dwfl, pc) : NULL;
  Dwfl_Line *at = mod ? dwfl_module_getsrc(mod, pc) : NULL;
  int lineno = 0;
  const char *name =
      at ? dwfl_lineinfo(at, NULL, &lineno, NULL, NULL, NULL) : NULL;
  if (!name || lineno <= 0)
    return -1;
  *file = name;
  *line = (uint32_t)lineno;
  return 0;
}

void symbolizer_free(struct symbolizer *sym) {
  if (sym->dwfl)
    dwfl_end(sym->dwfl);
  free(sym->name);
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

static void resolve(struct symbolizer *sym, uint64_t pc, struct symbol *out) {
  (void)sym, (void)pc, (void)out;
}

int symbolize_line(struct symbolizer *sym, uint64_t pc, const char **file,
                   uint32_t *line) {
  (void)sym, (void)pc, (void)file, (void)line;
  return -1;
}

void symbolizer_free(struct symbolizer *sym) { free(sym); }

int symbolize_has_debuginfo(void) { return 0; }

#endif

int symbolize(struct symbolizer *sym, uint64_t pc, struct symbol *out) {
  const struct prof_file *pf = sym->pf;
  memset(out, 0, sizeof *out);
  for (uint64_t i = 0; i < pf->nmaps; i++) {
    const struct cprof_file_map *m = &pf->maps[i];
    if (pc >= m->start && pc < m->end) {
      out->module = pf->map_strings + m->path;
      out->offset = pc - m->start + m->offset;
      resolve(sym, pc, out);
      return 0;
    }
  }
  return -1;
}
