/*
 * dump.c - the stack sampler's sections of the profile (cprof/format.h):
 * the totals, the executable mappings with their build ids, the threads'
 * names, and every thread's stacks, addresses in one section and records
 * in another.
 *
 * The mappings are read as the file is written, so an address is resolved
 * against what was mapped then: a library unloaded before the end leaves
 * its addresses unknown.  Build ids come from the loaded objects' notes
 * (dl_iterate_phdr), except in a dump made as a signal ends the program,
 * which must not wait for the loader's lock.  The caller holds rt_lock.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "sample/sample.h"

/* The whole of /proc/self/maps, NUL-terminated, into `b`. */
static int read_maps(struct rt_buffer *b) {
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  for (;;) {
    char *at = rt_buffer_extend(b, 4096);
    if (!at)
      break;
    ssize_t n = read(fd, at, 4096);
    if (n < 0 && errno == EINTR)
      n = 0;
    else if (n <= 0) {
      b->size -= 4096;
      break;
    }
    b->size -= 4096 - (size_t)n;
  }
  close(fd);
  rt_buffer_put(b, "", 1);
  return b->failed ? -1 : 0;
}

static uint64_t hex(const char **p) {
  uint64_t v = 0;
  for (;; (*p)++) {
    char c = **p;
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                   : -1;
    if (d < 0)
      return v;
    v = v * 16 + (uint64_t)d;
  }
}

static const char *skip_field(const char *p) {
  while (*p && *p != ' ' && *p != '\n')
    p++;
  while (*p == ' ')
    p++;
  return p;
}

/*
 * "start-end perms offset dev inode   path": each executable mapping of a
 * file (or of the kernel's [vdso]) becomes a record in `maps`, its path
 * a string in `strs`.
 */
static void parse_maps(const char *text, struct rt_buffer *maps,
                       struct rt_buffer *strs) {
  for (const char *p = text; *p;) {
    const char *eol = strchr(p, '\n');
    struct cprof_file_map m = {0};
    m.start = hex(&p);
    p += *p == '-';
    m.end = hex(&p);
    p += *p == ' ';
    int exec = p[0] && p[1] && p[2] == 'x';
    p = skip_field(p);
    m.offset = hex(&p);
    p = skip_field(skip_field(skip_field(p))); /* dev, inode */
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    if (exec && len && (*p == '/' || *p == '[')) {
      m.path = (uint32_t)strs->size;
      rt_buffer_put(strs, p, len);
      rt_buffer_put(strs, "", 1);
      rt_buffer_put(maps, &m, sizeof m);
    }
    p = eol ? eol + 1 : p + len;
  }
}

struct ids {
  struct rt_buffer *maps, *strs;
};

/* The object's GNU build id note, or NULL; its length in *len. */
static const unsigned char *build_id(const struct dl_phdr_info *info,
                                     size_t *len) {
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_NOTE)
      continue;
    const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
    const char *end = p + ph->p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
      const char *name = p + sizeof *n;
      const char *desc = name + ((n->n_namesz + 3) & ~3u);
      if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
          memcmp(name, "GNU", 4) == 0 && desc + n->n_descsz <= end) {
        *len = n->n_descsz;
        return (const unsigned char *)desc;
      }
      p = desc + ((n->n_descsz + 3) & ~3u);
    }
  }
  return NULL;
}

/* Gives its build id to each mapping of the object's executable code. */
static int add_build_id(struct dl_phdr_info *info, size_t size, void *arg) {
  struct ids *ids = arg;
  size_t len = 0;
  const unsigned char *id = build_id(info, &len);
  (void)size;
  for (int i = 0; id && i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
      continue;
    uint64_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
    for (size_t at = 0; at < ids->maps->size;
         at += sizeof(struct cprof_file_map)) {
      struct cprof_file_map m;
      memcpy(&m, ids->maps->data + at, sizeof m);
      if (m.start < lo || m.start >= hi || m.build_id)
        continue;
      m.build_id = (uint32_t)ids->strs->size;
      for (size_t k = 0; k < len; k++) {
        char two[2] = {"0123456789abcdef"[id[k] >> 4],
                       "0123456789abcdef"[id[k] & 15]};
        rt_buffer_put(ids->strs, two, 2);
      }
      rt_buffer_put(ids->strs, "", 1);
      memcpy(ids->maps->data + at, &m, sizeof m);
    }
  }
  return 0;
}

static void put_section(struct rt_buffer *out, uint32_t kind, uint32_t size,
                        const struct rt_buffer *b) {
  size_t at = rt_section_begin(out, kind, size);
  rt_buffer_put(out, b->data, b->size);
  rt_section_end(out, at);
}

/* Each thread number's record, by number, its name a string in `strs`. */
static void name_threads(struct rt_buffer *threads, struct rt_buffer *strs) {
  struct cprof_file_sample_thread *rec =
      rt_buffer_extend(threads, rt_stack_count() * sizeof *rec);
  for (struct rt_stack *s = rt_stack_list(); rec && s; s = s->next) {
    if (s->live)
      rt_thread_name_of(s->tid, s->name);
    rec[s->index] = (struct cprof_file_sample_thread){
        .name = (uint32_t)strs->size, .tid = s->tid, .runs = s->runs};
    rt_buffer_put(strs, s->name, strlen(s->name) + 1);
  }
}

static int put_maps(struct rt_buffer *out, int signal) {
  struct rt_buffer text = {0}, maps = {0}, strs = {0}, threads = {0};
  struct ids ids = {&maps, &strs};
  rt_buffer_put(&strs, "", 1); /* offset 0: the empty string */
  if (read_maps(&text) == 0)
    parse_maps(text.data, &maps, &strs);
  if (!signal && !maps.failed)
    dl_iterate_phdr(add_build_id, &ids);
  name_threads(&threads, &strs);
  put_section(out, CPROF_SEC_MAP_STRINGS, 1, &strs);
  put_section(out, CPROF_SEC_MAPS, sizeof(struct cprof_file_map), &maps);
  put_section(out, CPROF_SEC_SAMPLE_THREADS,
              sizeof(struct cprof_file_sample_thread), &threads);
  int failed = text.failed || maps.failed || strs.failed || threads.failed;
  rt_buffer_free(&text);
  rt_buffer_free(&maps);
  rt_buffer_free(&strs);
  rt_buffer_free(&threads);
  return failed ? -1 : 0;
}

/* Every thread's records up to `snap`: their addresses, then the stacks. */
static void put_pcs(struct rt_buffer *out) {
  size_t at = rt_section_begin(out, CPROF_SEC_SAMPLE_PCS, sizeof(uint64_t));
  for (struct rt_stack *s = rt_stack_list(); s; s = s->next)
    for (size_t w = 0; w < s->snap; w += RT_STACK_HEAD + (s->words[w] & 0xffff))
      rt_buffer_put(out, s->words + w + RT_STACK_HEAD,
                    (s->words[w] & 0xffff) * sizeof(uint64_t));
  rt_section_end(out, at);
}

/* The stacks, each with the file index of its profiled call's node. */
static void put_stacks(struct rt_buffer *out, const struct rt_node_map *m) {
  size_t at = rt_section_begin(out, CPROF_SEC_SAMPLE_STACKS,
                               sizeof(struct cprof_file_stack));
  uint64_t first = 0;
  for (struct rt_stack *s = rt_stack_list(); s; s = s->next)
    for (size_t w = 0; w < s->snap;
         w += RT_STACK_HEAD + (s->words[w] & 0xffff)) {
      uint64_t word = s->words[w];
      const struct rt_node *top =
          (const struct rt_node *)(uintptr_t)s->words[w + 1];
      struct cprof_file_stack rec = {
          .thread = s->index,
          .depth = (uint16_t)(word & 0xffff),
          .flags = (uint16_t)(word >> 16),
          .weight = (uint32_t)(word >> 32),
          .node = rt_node_map_find(m, top),
          .first = first,
      };
      if (rec.node != CPROF_NO_PARENT)
        rec.flags |= CPROF_STACK_NODE;
      else
        rec.node = 0;
      first += rec.depth;
      rt_buffer_put(out, &rec, sizeof rec);
    }
  rt_section_end(out, at);
}

int rt_stack_write(struct rt_buffer *out, const struct rt_buffer *nodes,
                   int signal) {
  struct rt_node_map map;
  if (rt_node_map_build(&map, nodes) < 0)
    return -1;
  struct cprof_file_sample_info info = {
      .period_ns = rt_sample_period_ns(),
      .nthreads = rt_stack_count(),
      .flags = (rt_sampler_owned() ? 0 : CPROF_SAMPLE_LOST_HANDLER) |
               (rt_sampler_wall() ? CPROF_SAMPLE_WALL_CLOCK : 0),
  };
  for (struct rt_stack *s = rt_stack_list(); s; s = s->next) {
    /* Counted with the records they describe, as of the snapshot. */
    s->snap = __atomic_load_n(&s->used, __ATOMIC_ACQUIRE);
    info.signals += s->signals;
    info.samples += s->samples;
    info.dropped_signals += s->dropped_signals;
    info.dropped_samples += s->dropped_samples;
    info.cut += s->cut;
  }
  size_t at = rt_section_begin(out, CPROF_SEC_SAMPLE_INFO, sizeof info);
  rt_buffer_put(out, &info, sizeof info);
  rt_section_end(out, at);
  int r = put_maps(out, signal);
  put_pcs(out);
  put_stacks(out, &map);
  rt_node_map_free(&map);
  return r;
}
