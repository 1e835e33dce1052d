/*
 * profile_read.c - read one cprof.out and check every field before use
 * (its writer is the runtime's profile_write.c).
 *
 * The checks run in the order a reader can trust the data: the magic and
 * version first, then the sizes the header claims, the checksum over the
 * body, the section table, and last the cross references between records
 * (string offsets, function indexes, parent links, line ranges).
 */
#include "cprof-read/profile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cprof-read/util.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the cprof format is little-endian; prstats reads it with plain copies"
#endif

struct parse {
  struct prof_file *pf;
  const unsigned char *data;
  size_t size;
  char *err;
  size_t errsize;
};

#define FAIL(p, ...) errorf((p)->err, (p)->errsize, __VA_ARGS__)

/* Magic, version and sizes, in that order, then the body's checksum. */
static int check_header(struct parse *p) {
  struct cprof_file_header *h = &p->pf->hdr;
  size_t m = p->size < CPROF_MAGIC_SIZE ? p->size : CPROF_MAGIC_SIZE;

  if (p->size == 0)
    return FAIL(p, "empty file (0 bytes), not a cprof profile");
  if (memcmp(p->data, CPROF_MAGIC, m) != 0)
    return FAIL(p, "not a cprof profile (no %s magic)", CPROF_MAGIC);
  if (p->size < sizeof *h)
    return FAIL(p, "truncated: %zu bytes, less than the %zu-byte header",
                p->size, sizeof *h);
  memcpy(h, p->data, sizeof *h);
  if (h->version > CPROF_FORMAT_VERSION)
    return FAIL(p,
                "format version %" PRIu32
                " is newer than this prstats understands (%d)",
                h->version, CPROF_FORMAT_VERSION);
  if (h->version == 0)
    return FAIL(p, "format version 0 is invalid");
  /* Version 1 had no function flags: its records would be misread. */
  if (h->version < CPROF_FORMAT_VERSION)
    return FAIL(p,
                "format version %" PRIu32 " is older than this prstats "
                "reads (%d): profile the program again with this cprof",
                h->version, CPROF_FORMAT_VERSION);
  if (h->header_size < sizeof *h)
    return FAIL(p, "header_size %" PRIu32 " is less than the %zu-byte header",
                h->header_size, sizeof *h);
  if (h->file_size > p->size)
    return FAIL(p, "truncated: %zu bytes, the header says %" PRIu64, p->size,
                h->file_size);
  if (h->file_size < p->size)
    return FAIL(
        p, "%zu bytes, but the header says %" PRIu64 " (data after the end)",
        p->size, h->file_size);
  if (h->header_size > h->file_size)
    return FAIL(p, "header_size %" PRIu32 " exceeds the file size",
                h->header_size);
  if (cprof_checksum(CPROF_CHECKSUM_INIT, p->data + h->header_size,
                     p->size - h->header_size) != h->checksum)
    return FAIL(p, "corrupted: checksum mismatch");
  /* At least 1 Hz keeps every time (ticks / tick_hz) a finite number. */
  if (!isfinite(h->tick_hz) || h->tick_hz < 1)
    return FAIL(p, "invalid tick_hz %g", h->tick_hz);
  return 0;
}

/* What the reader knows of each section kind, and where it lands. */
struct kind_info {
  const char *name;
  size_t native;  /* bytes of the record as this reader knows it */
  size_t records; /* offsetof the array pointer in struct prof_file */
  size_t count;   /* offsetof its uint64_t count */
};

#define KIND(name, type, array, n)                                             \
  {                                                                            \
    name, sizeof(type), offsetof(struct prof_file, array),                     \
        offsetof(struct prof_file, n)                                          \
  }

static const struct kind_info kinds[] = {
    [CPROF_SEC_STRINGS] = KIND("strings", char, strings, nstrings),
    [CPROF_SEC_FUNCS] =
        KIND("functions", struct cprof_file_func, funcs, nfuncs),
    [CPROF_SEC_NODES] = KIND("nodes", struct cprof_file_node, nodes, nnodes),
    [CPROF_SEC_LINES] = KIND("lines", struct cprof_file_line, lines, nlines),
    [CPROF_SEC_HIST] =
        KIND("histograms", struct cprof_file_hist, hists, nhists),
    [CPROF_SEC_MEMSITES] =
        KIND("memory sites", struct cprof_file_memsite, memsites, nmemsites),
    [CPROF_SEC_MEMORY] =
        KIND("memory totals", struct cprof_file_memory, memory, nmemory),
    [CPROF_SEC_SAMPLE_INFO] = KIND("sample totals",
                                   struct cprof_file_sample_info, sample_info,
                                   nsample_info),
    [CPROF_SEC_MAP_STRINGS] =
        KIND("map strings", char, map_strings, nmap_strings),
    [CPROF_SEC_MAPS] = KIND("maps", struct cprof_file_map, maps, nmaps),
    [CPROF_SEC_SAMPLE_PCS] = KIND("sampled addresses", uint64_t, pcs, npcs),
    [CPROF_SEC_SAMPLE_STACKS] =
        KIND("sampled stacks", struct cprof_file_stack, stacks, nstacks),
    [CPROF_SEC_THREADS] =
        KIND("threads", struct cprof_file_thread, threads, nthreads),
    [CPROF_SEC_SAMPLE_THREADS] =
        KIND("sampled threads", struct cprof_file_sample_thread,
             sample_threads, nsample_threads),
};

/* NULL for a kind this reader skips (a newer writer's addition). */
static const struct kind_info *kind_info(uint32_t kind) {
  if (kind < sizeof kinds / sizeof kinds[0] && kinds[kind].name)
    return &kinds[kind];
  return NULL;
}

static const char *kind_name(uint32_t kind) {
  return kind_info(kind) ? kind_info(kind)->name : "unknown";
}

/*
 * Copies a known section's records into a native array: a newer writer
 * may append fields to a record, and only the prefix we know is kept.
 * Strings are the exception: their records are bytes, exactly 1 wide.
 */
static int take_section(struct parse *p, uint32_t i,
                        const struct cprof_section *sec,
                        const unsigned char *src) {
  const struct kind_info *k = kind_info(sec->kind);
  char *base = (char *)p->pf;
  unsigned char *copy, *old;

  if (!k)
    return 0;
  if (k->native == 1 ? sec->record_size != 1 : sec->record_size < k->native)
    return FAIL(
        p, "section %" PRIu32 " (%s): record_size %" PRIu32 " (expected %s%zu)",
        i, k->name, sec->record_size, k->native > 1 ? "at least " : "",
        k->native);
  memcpy(&old, base + k->records, sizeof old);
  if (old)
    return FAIL(p, "section %" PRIu32 ": a second %s section", i, k->name);
  copy = xcalloc(sec->count, k->native);
  for (uint64_t r = 0; r < sec->count; r++)
    memcpy(copy + r * k->native, src + r * sec->record_size, k->native);
  memcpy(base + k->records, &copy, sizeof copy);
  memcpy(base + k->count, &sec->count, sizeof sec->count);
  return 0;
}

static int read_sections(struct parse *p) {
  const struct cprof_file_header *h = &p->pf->hdr;
  size_t off = h->header_size;
  struct cprof_section sec;

  for (uint32_t i = 0; i < h->nsections; i++) {
    if (p->size - off < sizeof sec)
      return FAIL(p,
                  "section %" PRIu32 " of %" PRIu32
                  " starts past the end of the file",
                  i, h->nsections);
    memcpy(&sec, p->data + off, sizeof sec);
    off += sizeof sec;
    if (sec.record_size == 0 || sec.count > (p->size - off) / sec.record_size)
      return FAIL(p,
                  "section %" PRIu32 " (%s): %" PRIu64 " records of %" PRIu32
                  " bytes do not fit in the file",
                  i, kind_name(sec.kind), sec.count, sec.record_size);
    if (take_section(p, i, &sec, p->data + off))
      return -1;
    off += sec.count * sec.record_size;
  }
  if (off != p->size)
    return FAIL(p, "%zu bytes after the last section", p->size - off);
  if (!p->pf->strings || !p->pf->funcs || !p->pf->nodes)
    return FAIL(p, "no %s section",
                !p->pf->strings ? "strings"
                : !p->pf->funcs ? "functions"
                                : "nodes");
  return 0;
}

/*
 * Record `idx` of `what` refers by `field` to entry `value` of a table of
 * `limit` `unit`: "node 3: function 9 out of range (4 functions)".
 */
static int check_ref(struct parse *p, const char *what, uint64_t idx,
                     const char *field, uint32_t value, uint64_t limit,
                     const char *unit) {
  if (value < limit)
    return 0;
  return FAIL(p, "%s %" PRIu64 ": %s %" PRIu32 " out of range (%" PRIu64 " %s)",
              what, idx, field, value, limit, unit);
}

/* A string offset is good when it points into a NUL-terminated table. */
static int check_string(struct parse *p, const char *what, uint64_t idx,
                        uint32_t off) {
  return check_ref(p, what, idx, "string offset", off, p->pf->nstrings,
                   "bytes of strings");
}

static int check_func(struct parse *p, const char *what, uint64_t idx,
                      uint32_t func) {
  return check_ref(p, what, idx, "function", func, p->pf->nfuncs, "functions");
}

static int check_strings(struct parse *p) {
  const struct prof_file *pf = p->pf;

  if (pf->nstrings == 0 || pf->strings[pf->nstrings - 1] != '\0')
    return FAIL(p, "the strings section does not end with a NUL");
  return check_string(p, "header", 0, pf->hdr.program);
}

static int check_funcs(struct parse *p) {
  const struct prof_file *pf = p->pf;

  if (pf->nfuncs >= UINT32_MAX)
    return FAIL(p, "%" PRIu64 " functions, more than a node can index",
                pf->nfuncs);
  for (uint64_t i = 0; i < pf->nfuncs; i++) {
    const struct cprof_file_func *f = &pf->funcs[i];
    if (check_string(p, "function", i, f->name) ||
        check_string(p, "function", i, f->symbol) ||
        check_string(p, "function", i, f->file))
      return -1;
    if (f->nlines &&
        (f->line_base > pf->nlines || f->nlines > pf->nlines - f->line_base ||
         (uint64_t)f->first_line + f->nlines > UINT32_MAX))
      return FAIL(p,
                  "function %" PRIu64 ": %" PRIu32 " line records at %" PRIu64
                  " out of range (%" PRIu64 " line records)",
                  i, f->nlines, f->line_base, pf->nlines);
  }
  return 0;
}

static int check_nodes(struct parse *p) {
  const struct prof_file *pf = p->pf;

  if (pf->nnodes >= UINT32_MAX)
    return FAIL(p, "%" PRIu64 " nodes, more than a parent link can index",
                pf->nnodes);
  for (uint64_t i = 0; i < pf->nnodes; i++) {
    const struct cprof_file_node *n = &pf->nodes[i];
    if (n->parent != CPROF_NO_PARENT && n->parent >= i)
      return FAIL(
          p, "node %" PRIu64 ": parent %" PRIu32 " does not come before it", i,
          n->parent);
    if (check_func(p, "node", i, n->func))
      return -1;
  }
  return 0;
}

/* The threads' ranges follow each other over every node; no node's
 * parent is in another thread's range. */
static int check_threads(struct parse *p) {
  const struct prof_file *pf = p->pf;
  uint64_t next = 0;

  if (!pf->threads)
    return 0;
  for (uint64_t i = 0; i < pf->nthreads; i++) {
    const struct cprof_file_thread *t = &pf->threads[i];
    if (t->first_node != next || t->nnodes > pf->nnodes - next)
      return FAIL(p, "thread %" PRIu64 ": nodes %" PRIu32 "..+%" PRIu32
                  " do not follow the previous thread's (%" PRIu64 " nodes)",
                  i, t->first_node, t->nnodes, pf->nnodes);
    if (check_string(p, "thread", i, t->name))
      return -1;
    next += t->nnodes;
    for (uint64_t v = t->first_node; v < next; v++)
      if (pf->nodes[v].parent != CPROF_NO_PARENT &&
          pf->nodes[v].parent < t->first_node)
        return FAIL(p, "node %" PRIu64 ": parent in another thread", v);
  }
  if (next != pf->nnodes)
    return FAIL(p, "threads cover %" PRIu64 " of %" PRIu64 " nodes", next,
                pf->nnodes);
  return 0;
}

static int check_hists(struct parse *p) {
  const struct prof_file *pf = p->pf;

  for (uint64_t i = 0; i < pf->nhists; i++) {
    if (check_func(p, "histogram", i, pf->hists[i].func))
      return -1;
    if (pf->hists[i].bucket >= CPROF_HIST_BUCKETS)
      return FAIL(p, "histogram %" PRIu64 ": bucket %" PRIu32 " out of range",
                  i, pf->hists[i].bucket);
  }
  return 0;
}

/*
 * Sites are checked against the call tree by the memory reports, which
 * alone read them; here only what the format promises: memory tracing
 * writes both sections or neither, and one totals record.
 */
static int check_memory(struct parse *p) {
  const struct prof_file *pf = p->pf;

  if (pf->memory && pf->nmemory != 1)
    return FAIL(p, "%" PRIu64 " memory totals records (expected 1)",
                pf->nmemory);
  if (!pf->memory != !pf->memsites)
    return FAIL(p, "memory sections incomplete");
  return 0;
}

/* The sampled sections come together; each reference lands inside. */
static int check_samples(struct parse *p) {
  const struct prof_file *pf = p->pf;
  int any = pf->sample_info || pf->map_strings || pf->maps || pf->pcs ||
            pf->stacks || pf->sample_threads;

  if (!any)
    return 0;
  if (!pf->sample_info || !pf->map_strings || !pf->maps || !pf->pcs ||
      !pf->stacks)
    return FAIL(p, "sampled sections incomplete");
  if (pf->nsample_info != 1)
    return FAIL(p, "%" PRIu64 " sample totals records (expected 1)",
                pf->nsample_info);
  if (pf->nmap_strings == 0 || pf->map_strings[pf->nmap_strings - 1] != '\0')
    return FAIL(p, "the map strings section does not end with a NUL");
  for (uint64_t i = 0; i < pf->nmaps; i++)
    if (pf->maps[i].path >= pf->nmap_strings ||
        pf->maps[i].build_id >= pf->nmap_strings)
      return FAIL(p, "map %" PRIu64 ": string out of range", i);
  for (uint64_t i = 0; i < pf->nstacks; i++) {
    const struct cprof_file_stack *st = &pf->stacks[i];
    if (st->depth == 0 || st->first > pf->npcs ||
        st->depth > pf->npcs - st->first)
      return FAIL(p, "stack %" PRIu64 ": addresses out of range", i);
    if (st->thread >= pf->sample_info->nthreads)
      return FAIL(p, "stack %" PRIu64 ": thread %" PRIu32 " out of range", i,
                  st->thread);
    if ((st->flags & CPROF_STACK_NODE) && st->node >= pf->nnodes)
      return FAIL(p, "stack %" PRIu64 ": node %" PRIu32 " out of range", i,
                  st->node);
  }
  if (pf->sample_threads &&
      pf->nsample_threads != pf->sample_info->nthreads)
    return FAIL(p, "%" PRIu64 " sampled thread records for %" PRIu32
                " threads", pf->nsample_threads, pf->sample_info->nthreads);
  for (uint64_t i = 0; i < pf->nsample_threads; i++)
    if (pf->sample_threads[i].name >= pf->nmap_strings)
      return FAIL(p, "sampled thread %" PRIu64 ": name out of range", i);
  return 0;
}

int prof_parse(struct prof_file *pf, unsigned char *data, size_t size,
               char *err, size_t errsize) {
  struct parse p = {pf, data, size, err, errsize};
  int rc;

  memset(pf, 0, sizeof *pf);
  rc = check_header(&p) || read_sections(&p) || check_strings(&p) ||
       check_funcs(&p) || check_nodes(&p) || check_threads(&p) ||
       check_hists(&p) ||
       check_memory(&p) || check_samples(&p);
  free(data); /* everything needed was copied out */
  if (rc) {
    prof_free(pf);
    return -1;
  }
  return 0;
}

/* Reads a whole file; a pipe or /dev/stdin works as well as a file. */
static unsigned char *read_all(int fd, size_t *size, char *err,
                               size_t errsize) {
  size_t cap = 0, len = 0;
  unsigned char *buf = NULL;

  for (;;) {
    ssize_t n;
    buf = xgrow(buf, &cap, len + 65536, 1);
    n = read(fd, buf + len, cap - len);
    if (n == 0)
      break;
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      errorf(err, errsize, "read error: %s", strerror(errno));
      free(buf);
      return NULL;
    }
    len += (size_t)n;
  }
  *size = len;
  return buf;
}

int prof_load(struct prof_file *pf, const char *path, char *err,
              size_t errsize) {
  struct stat st;
  unsigned char *data;
  size_t size;
  int fd = open(path, O_RDONLY | O_CLOEXEC);

  memset(pf, 0, sizeof *pf);
  if (fd < 0)
    return errorf(err, errsize, "cannot open: %s", strerror(errno));
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    return errorf(err, errsize, "is a directory, not a cprof profile");
  }
  data = read_all(fd, &size, err, errsize);
  close(fd);
  if (!data)
    return -1;
  return prof_parse(pf, data, size, err, errsize);
}

void prof_free(struct prof_file *pf) {
  free((void *)pf->strings);
  free(pf->funcs);
  free(pf->nodes);
  free(pf->lines);
  free(pf->hists);
  free(pf->memsites);
  free(pf->memory);
  free(pf->sample_info);
  free((void *)pf->map_strings);
  free(pf->maps);
  free(pf->pcs);
  free(pf->stacks);
  free(pf->threads);
  free(pf->sample_threads);
  memset(pf, 0, sizeof *pf);
}
