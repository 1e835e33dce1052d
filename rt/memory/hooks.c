/*
 * memory/hooks.c - libcprof's malloc, free and the rest of the family.
 *
 * The program (and the C library's own strdup, getline, fopen..., and
 * libstdc++'s operator new and delete, which call malloc and free) finds
 * these before the C library's, by ordinary symbol interposition.  Until
 * tracing starts each is one predictable branch and a tail call to the
 * C library's implementation under its __libc_ name, so nothing needs
 * dlsym and calls made before our constructor ran are safe.
 *
 * C++ operator new and delete are not redefined here: libstdc++'s (and
 * libc++'s) allocate through malloc/aligned_alloc and free, so every form
 * is traced through these, and new keeps its real new_handler loop and
 * std::bad_alloc.  The sizes are those asked of malloc.
 *
 * Blocks are the C library's own (no header is added), so
 * malloc_usable_size, malloc_trim and blocks allocated before tracing
 * started all keep working.
 *
 * A static program (-static) links libc.a's malloc.o, which defines
 * malloc, free and realloc too (the __libc_ calls below pull it in).  So
 * each hook is hook_NAME, exported as a weak NAME, which libc.a's then
 * overrides without a "multiple definition" error, and as __wrap_NAME,
 * which `ld --wrap=NAME` (`cprof gcc -static` passes it) makes every
 * call to NAME in the program and in libc.a reach.  Whether calls reach
 * the hooks is tried at start-up (probe()); when they do not, tracing
 * says it is unavailable rather than report nothing.
 *
 * Under AddressSanitizer or ThreadSanitizer, which bring their own
 * malloc, nothing is interposed and tracing is not available.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "memory/memory.h"

int mem_tracing;    /* MEM_OFF, MEM_ON, or MEM_PROBE while probe() runs */
static int reached; /* probe(): malloc reached hook_malloc */

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MEM_HOOKS 0
#else
#define MEM_HOOKS 1
#endif

/*
 * Do the C library's calls to malloc reach hook_malloc?  strdup, in the
 * C library, calls malloc as every other caller there does: through the
 * dynamic linker's interposition, or in a static program through the
 * link's resolution (--wrap, or libc.a's own malloc).
 */
static int probe(void) {
  if (!MEM_HOOKS)
    return 0;
  __atomic_store_n(&mem_tracing, MEM_PROBE, __ATOMIC_RELAXED);
  free(strdup("cprof"));
  __atomic_store_n(&mem_tracing, MEM_OFF, __ATOMIC_RELAXED);
  return __atomic_load_n(&reached, __ATOMIC_RELAXED);
}

static int hooked; /* probe()'s answer at start-up */

void rt_memory_start(void) {
  static int warned;
  if (hooked)
    __atomic_store_n(&mem_tracing, MEM_ON, __ATOMIC_RELEASE);
  else if (__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
    return;
  else if (!MEM_HOOKS)
    rt_warn("memory tracing is not available in a sanitizer build");
  else /* a static program has no interpreter (ld.so): AT_BASE is 0 */
    rt_warn("memory tracing is not available: calls to malloc do not reach "
            "libcprof's (%s; see docs/memory.md)",
            getauxval(AT_BASE)
                ? "another malloc, the program's or a library's, comes "
                  "first"
                : "a program linked with -static needs `cprof gcc "
                  "-static`, which wraps malloc");
}

/* CPROF_MEMORY=1 starts tracing at start-up. */
void rt_memory_init(void) {
  mem_thread_init();
  mem_dump_init();
  hooked = probe();
  if (rt_env_flag("CPROF_MEMORY", 0))
    rt_memory_start();
}

#if MEM_HOOKS

/* Exports hook_NAME as the weak NAME and as __wrap_NAME (see above). */
#define EXPORT(name)                                                           \
  extern __typeof__(name) name RT_API                                          \
      __attribute__((weak, alias("hook_" #name)));                             \
  extern __typeof__(name) __wrap_##name RT_API                                 \
      __attribute__((alias("hook_" #name)))

static inline int tracing(void) {
  return __atomic_load_n(&mem_tracing, __ATOMIC_RELAXED) == MEM_ON;
}

/* Any state but MEM_OFF takes the slow path, where probe() is seen. */
static void *hook_malloc(size_t size) {
  int state = __atomic_load_n(&mem_tracing, __ATOMIC_RELAXED);
  if (likely(state == MEM_OFF))
    return __libc_malloc(size);
  if (state == MEM_PROBE) {
    __atomic_store_n(&reached, 1, __ATOMIC_RELAXED);
    return __libc_malloc(size);
  }
  return mem_traced(__libc_malloc(size), size);
}
EXPORT(malloc);

static void hook_free(void *p) {
  if (likely(!tracing()) || !p)
    return __libc_free(p);
  mem_free(p);
}
EXPORT(free);

static void *hook_calloc(size_t n, size_t size) {
  if (likely(!tracing()))
    return __libc_calloc(n, size);
  return mem_traced(__libc_calloc(n, size), n * size); /* NULL on overflow */
}
EXPORT(calloc);
/*
 * The old block leaves the table first: once the C library has moved it,
 * its address may at once be another thread's new block.  A realloc that
 * fails puts it back.  Otherwise a resized block, moved or not, counts as
 * freeing the old size and allocating the new one at the caller's site.
 */
static __attribute__((noinline)) void *realloc_traced(void *p, size_t size) {
  struct mem_entry e;
  if (mem_busy)
    return __libc_realloc(p, size);
  int had = p && mem_forget(&e, (uintptr_t)p);
  void *q = __libc_realloc(p, size);
  if (!q && p && size) { /* failed: p is untouched */
    if (had)
      mem_restore(&e, (uintptr_t)p);
    return NULL;
  }
  if (had)
    mem_note_free(&e);
  return mem_traced(q, size); /* realloc(p, 0) freed p and returns NULL */
}

static void *hook_realloc(void *p, size_t size) {
  if (likely(!tracing()))
    return __libc_realloc(p, size);
  return realloc_traced(p, size);
}
EXPORT(realloc);

static void *hook_reallocarray(void *p, size_t n, size_t size) {
  size_t bytes;
  if (__builtin_mul_overflow(n, size, &bytes)) {
    errno = ENOMEM;
    return NULL;
  }
  return hook_realloc(p, bytes);
}
EXPORT(reallocarray);

static void *hook_memalign(size_t align, size_t size) {
  if (likely(!tracing()))
    return __libc_memalign(align, size);
  return mem_traced(__libc_memalign(align, size), size);
}
EXPORT(memalign);

/* glibc's aligned_alloc is memalign under another name. */
static void *hook_aligned_alloc(size_t align, size_t size) {
  return hook_memalign(align, size);
}
EXPORT(aligned_alloc);

static int hook_posix_memalign(void **out, size_t align, size_t size) {
  if (align == 0 || align % sizeof(void *) || (align & (align - 1)) != 0)
    return EINVAL;
  void *p = hook_memalign(align, size);
  if (!p)
    return ENOMEM;
  *out = p;
  return 0;
}
EXPORT(posix_memalign);

static void *hook_valloc(size_t size) {
  if (likely(!tracing()))
    return __libc_valloc(size);
  return mem_traced(__libc_valloc(size), size);
}
EXPORT(valloc);

static void *hook_pvalloc(size_t size) {
  if (likely(!tracing()))
    return __libc_pvalloc(size);
  return mem_traced(__libc_pvalloc(size), size);
}
EXPORT(pvalloc);

#endif /* MEM_HOOKS */
