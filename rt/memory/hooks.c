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
 * Under AddressSanitizer or ThreadSanitizer, which bring their own
 * malloc, nothing is interposed and tracing is not available.
 */
#include <errno.h>
#include <stdlib.h>

#include "memory/memory.h"

int mem_tracing;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MEM_HOOKS 0
#else
#define MEM_HOOKS 1
#endif

void rt_memory_start(void) {
  static int warned;
  if (MEM_HOOKS)
    __atomic_store_n(&mem_tracing, 1, __ATOMIC_RELEASE);
  else if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
    rt_warn("memory tracing is not available in a sanitizer build");
}

/* CPROF_MEMORY=1 starts tracing at start-up. */
void rt_memory_init(void) {
  mem_thread_init();
  mem_dump_init();
  if (rt_env_flag("CPROF_MEMORY", 0))
    rt_memory_start();
}

#if MEM_HOOKS

static inline int tracing(void) {
  return __atomic_load_n(&mem_tracing, __ATOMIC_RELAXED);
}

RT_API void *malloc(size_t size) {
  if (likely(!tracing()))
    return __libc_malloc(size);
  return mem_traced(__libc_malloc(size), size);
}

RT_API void free(void *p) {
  if (likely(!tracing()) || !p)
    return __libc_free(p);
  mem_free(p);
}

RT_API void *calloc(size_t n, size_t size) {
  if (likely(!tracing()))
    return __libc_calloc(n, size);
  return mem_traced(__libc_calloc(n, size), n * size); /* NULL on overflow */
}

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

RT_API void *realloc(void *p, size_t size) {
  if (likely(!tracing()))
    return __libc_realloc(p, size);
  return realloc_traced(p, size);
}

RT_API void *reallocarray(void *p, size_t n, size_t size) {
  size_t bytes;
  if (__builtin_mul_overflow(n, size, &bytes)) {
    errno = ENOMEM;
    return NULL;
  }
  return realloc(p, bytes);
}

RT_API void *memalign(size_t align, size_t size) {
  if (likely(!tracing()))
    return __libc_memalign(align, size);
  return mem_traced(__libc_memalign(align, size), size);
}

/* glibc's aligned_alloc is memalign under another name. */
RT_API void *aligned_alloc(size_t align, size_t size) {
  return memalign(align, size);
}

RT_API int posix_memalign(void **out, size_t align, size_t size) {
  if (align == 0 || align % sizeof(void *) || (align & (align - 1)) != 0)
    return EINVAL;
  void *p = memalign(align, size);
  if (!p)
    return ENOMEM;
  *out = p;
  return 0;
}

RT_API void *valloc(size_t size) {
  if (likely(!tracing()))
    return __libc_valloc(size);
  return mem_traced(__libc_valloc(size), size);
}

RT_API void *pvalloc(size_t size) {
  if (likely(!tracing()))
    return __libc_pvalloc(size);
  return mem_traced(__libc_pvalloc(size), size);
}

#endif /* MEM_HOOKS */
