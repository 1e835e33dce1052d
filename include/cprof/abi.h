/*
 * cprof/abi.h - the contract between the compiler plugins and the runtime.
 *
 * This is the ONE definition of what instrumented code emits and calls.
 * plugin-gcc/ and plugin-clang/ build the descriptor type from the
 * CPROF_FN_FIELDS list below (so the struct is never spelled twice), and
 * rt/ implements the three entry points.  It must stay valid C and C++.
 *
 * For every profiled function the compiler emits one writable static
 * descriptor and rewrites the body as
 *
 *     struct cprof_frame *f = __cprof_enter(&desc);   (first statement)
 *     __cprof_line(f, L - desc.first_line);           (where a source line starts)
 *     __cprof_exit(f);                                (every return, every unwind)
 *     __cprof_resume(f);                              (after each setjmp-like call)
 *
 * (or __cprof_enter_count/__cprof_exit_count and no line probes, in the
 * counts-only mode). *
 * The runtime never keeps a pointer into the descriptor after registration
 * (it copies name and file), so an instrumented shared object may be
 * dlclose'd before the profile is written.
 */
#ifndef CPROF_ABI_H
#define CPROF_ABI_H

#include <stdint.h>

/* Bumped whenever the descriptor layout or an entry point changes. */
#define CPROF_ABI_VERSION 1

/*
 * Fields of struct cprof_fn, in order.  X(KIND, NAME) where KIND is U32
 * (uint32_t) or STR (const char *, NUL-terminated, static storage).
 */
#define CPROF_FN_FIELDS(X)                                                     \
  X(U32, abi_version) /* CPROF_ABI_VERSION the plugin was built with */        \
  X(U32, id)          /* 0 until the runtime registers it; runtime-owned */    \
  X(U32, flags)       /* CPROF_FN_* below */                                   \
  X(U32, line)        /* line of the function's name in its definition */      \
  X(U32, first_line)  /* line number of __cprof_line index 0 */                \
  X(U32, nlines)      /* number of line slots; indexes are < nlines */         \
  X(STR, name)        /* readable name: "fib", "ns::Shape::area() const" */    \
  X(STR, symbol)      /* linkage (mangled) name */                             \
  X(STR, file)        /* absolute path of the source file */

/* Descriptor flags. */
#define CPROF_FN_LINES 0x1u /* the body carries __cprof_line probes */
/* Its first call starts memory tracing (-fplugin-arg-cprof-memory). */
#define CPROF_FN_MEMORY 0x4u

#define CPROF_U32 uint32_t
#define CPROF_STR const char *
#define CPROF_FIELD_(kind, name) CPROF_##kind name;
struct cprof_fn {
  CPROF_FN_FIELDS(CPROF_FIELD_)
};
#undef CPROF_FIELD_

/* Runtime entry points, as named constants for the plugins. */
#define CPROF_ENTER_NAME "__cprof_enter"
#define CPROF_LINE_NAME "__cprof_line"
#define CPROF_EXIT_NAME "__cprof_exit"
#define CPROF_ENTER_COUNT_NAME "__cprof_enter_count"
#define CPROF_EXIT_COUNT_NAME "__cprof_exit_count"
#define CPROF_RESUME_NAME "__cprof_resume"

/* Opaque per-activation state, owned by the runtime. */
struct cprof_frame;

#ifdef __cplusplus
extern "C" {
#endif

/* Called first in a profiled function; never returns NULL. */
struct cprof_frame *__cprof_enter(struct cprof_fn *fn);

/*
 * Called where execution may move to another source line.  The runtime
 * counts a hit only when `line` differs from the line the frame is on, so
 * probes may be placed generously (see docs/lines.md for the hit rule).
 */
void __cprof_line(struct cprof_frame *frame, uint32_t line);

/* Called on every way out of the function, returns and unwinds alike. */
void __cprof_exit(struct cprof_frame *frame);

/*
 * Counts-only mode (-fplugin-arg-cprof-counts-only), for the hottest code:
 * the same calls, primitive calls and edges, no timer read, no line probes.
 * A function uses either both of these or __cprof_enter/__cprof_exit.
 */
struct cprof_frame *__cprof_enter_count(struct cprof_fn *fn);
void __cprof_exit_count(struct cprof_frame *frame);

/*
 * Called right after every call to a returns-twice function (setjmp,
 * sigsetjmp, ...) in a profiled function.  When it returns the second
 * time, a longjmp has left the frames above `frame` without their exits;
 * the runtime closes them.  The first time it does nothing.
 */
void __cprof_resume(struct cprof_frame *frame);

#ifdef __cplusplus
}
#endif

#endif /* CPROF_ABI_H */
