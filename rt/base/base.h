/*
 * base.h - the runtime's base layer (rt/base/): messages, the process's
 * identity, memory from the kernel, buffers, the lock, file output.  It
 * calls nothing above it (tests/rt/layers.py checks); the core
 * (rt/core/) and memory tracing (rt/memory/) are built on it.  The timer
 * is in clock.h, for the probes to inline.
 */
#ifndef CPROF_RT_BASE_H
#define CPROF_RT_BASE_H

#include <stddef.h>
#include <stdint.h>

#define RT_API __attribute__((visibility("default")))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
/* For paths off the hot one: out of line, and laid out apart from it. */
#define RT_COLD __attribute__((noinline, cold))

/*
 * An invariant of the runtime.  Checked in debug and sanitizer builds
 * (CPROF_RT_ASSERT, rt/CMakeLists.txt), where a broken one reports and
 * traps; free in a release build, where the profiled program must go on.
 */
#ifdef CPROF_RT_ASSERT
#define RT_ASSERT(cond)                                                        \
  (likely(cond) ? (void)0 : rt_assert_failed(__FILE__, __LINE__, #cond))
void rt_assert_failed(const char *file, int line, const char *cond)
    __attribute__((noreturn, cold));
#else
#define RT_ASSERT(cond) ((void)0)
#endif

/* warn.c: one "cprof: " line on stderr (write(2): safe at exit and in a
 * signal handler) */
void rt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * env.c: the CPROF_* variables.  Unset or empty: the default, silently;
 * a bad value: one "cprof: CPROF_X=value: why, using default" line, and
 * the default.
 */
const char *rt_env(const char *name); /* NULL when unset or empty */
void rt_env_bad(const char *name, const char *value, const char *why,
                const char *fallback);
int rt_env_flag(const char *name, int fallback); /* 0 or 1 */
long rt_env_long(const char *name, long min, long max, long fallback);
double rt_env_seconds(const char *name); /* 0: unset or bad */

/* process.c */
const char *rt_program_name(void); /* the executable's path, "" if unknown */
uint32_t rt_tid(void);              /* the calling thread's kernel id */
void rt_thread_name_of(uint32_t tid, char name[16]); /* its kernel name */
extern int rt_forked_child;        /* set in a forked child (core/reset.c) */

/* arena.c: bump allocation on anonymous mappings; memory comes zeroed */
struct chunk_head {
  struct chunk_head *prev;
  size_t size;
};

struct rt_arena {
  char *next, *end;
  size_t chunk;
  struct chunk_head *last;
  int refilling;
};

void *rt_map_zeroed(size_t size); /* NULL when the kernel refuses */
void *rt_arena_alloc(struct rt_arena *a, size_t size);
void rt_arena_free(struct rt_arena *a);

/* lock.c: one process-wide lock for the rare paths, signals blocked */
void rt_lock(void);
void rt_unlock(void);
int rt_lock_briefly(void); /* 0 when taken within a second, else -1 */

/* buffer.c: a growable byte buffer outside the program's heap */
struct rt_buffer {
  char *data;
  size_t size, cap;
  int failed; /* once set, nothing more is added */
};
void *rt_buffer_extend(struct rt_buffer *b, size_t size); /* zeroed */
void rt_buffer_put(struct rt_buffer *b, const void *data, size_t size);
void rt_buffer_free(struct rt_buffer *b);

/* output.c: the profile's path (CPROF_OUT), written atomically; `path`
 * gets the name of the file written */
#define RT_PATH_MAX 4096
int rt_write_file(const char *pattern, const struct rt_buffer *b,
                  char path[RT_PATH_MAX]);
const char *rt_default_output(void);

#endif
