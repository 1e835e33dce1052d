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
 *     __cprof_line(f, L - desc.first_line);           (where a source line
 * starts)
 *     __cprof_exit(f);                                (every return, every
 * unwind)
 *     __cprof_resume(f);                              (after each setjmp-like
 * call)
 *
 * (or __cprof_enter_count/__cprof_exit_count and no line probes, in the
 * counts-only mode).  In the default line mode and the line-hits mode the
 * line probes are not calls but a few inline instructions on the frame's
 * head (struct cprof_frame_head below); __cprof_line is the timed-lines
 * mode's probe.
 *
 * The runtime never keeps a pointer into the descriptor after registration
 * (it copies name and file), so an instrumented shared object may be
 * dlclose'd before the profile is written.
 */
#ifndef CPROF_ABI_H
#define CPROF_ABI_H

#include <stdint.h>

#include "cprof/format.h"

/* Bumped whenever the descriptor layout, a flag or an entry point changes
 * (3: the line-hits flag took the file's value, CPROF_FN_LINES moved;
 * 4: the frame head's line, for the sampler). */
#define CPROF_ABI_VERSION 4

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
#define CPROF_FN_LINES 0x2u /* the body counts its lines (nlines slots) */
/* ... with inline counters (line-hits mode), not __cprof_line calls.  The
 * profile's function record keeps it as it is (one value, format.h). */
#define CPROF_FN_LINE_HITS CPROF_FUNC_LINE_HITS
/* ... and stores each line it reaches in the frame head, for the sampler
 * (the default line mode).  The file keeps it as it is, too. */
#define CPROF_FN_LINE_SAMPLED CPROF_FUNC_LINE_SAMPLED
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
/*
 * Every unit with profiled code refers to this symbol of libcprof
 * (rt/core/api.c), so that a link without -lcprof fails with "undefined
 * reference to `__cprof_runtime__link_with_lcprof'": the fix in its name.
 */
#define CPROF_LINK_SYMBOL __cprof_runtime__link_with_lcprof
#define CPROF_STRING_(x) #x
#define CPROF_STRING(x) CPROF_STRING_(x)
#define CPROF_LINK_NAME CPROF_STRING(CPROF_LINK_SYMBOL)

/* Per-activation state, owned by the runtime; opaque but for its head. */
struct cprof_frame;

/*
 * Every frame starts with this, the one part instrumented code touches.
 * A function compiled with inline line counters (the default line mode
 * and the line-hits mode) loads `lines` once after its enter and, where
 * line L starts, runs the equivalent of
 *
 *     if (cur != L - first_line)             (cur: a local, initially
 *             lines[L - first_line].hits++;   CPROF_NO_LINE_SLOT)
 *     cur = L - first_line;
 *     head->line = cur;                      (default mode only: a
 *                                             32-bit store, volatile or
 *                                             relaxed atomic)
 *
 * which is __cprof_line's hit rule without its timer: the optimiser folds
 * most of the comparisons away, leaving one add and one store per line.
 * `line` is what the sampler's signal handler reads to know where each
 * profiled frame of the interrupted thread is (CPROF_NO_LINE_SLOT: before
 * the first line); the store is one the compiler may neither drop nor
 * merge with the next line's (GCC: volatile; Clang: a relaxed atomic,
 * plugin-clang/hit-counters.cpp says why).  The array is this thread's counters
 * of the function (struct cprof_file_line is the file's record, kept
 * live); a frame that records nothing points at a scratch array of
 * CPROF_LINE_HITS_MAX slots, so a function with inline counters has at
 * most that many (the plugins give longer ones no line data).
 */
struct cprof_frame_head {
  struct cprof_file_line *lines;
  uint32_t line;
};

#define CPROF_NO_LINE_SLOT UINT32_MAX
#define CPROF_LINE_HITS_MAX 65536u

#ifdef __cplusplus
extern "C" {
#endif

/* Called first in a profiled function; never returns NULL. */
struct cprof_frame *__cprof_enter(struct cprof_fn *fn);

/*
 * Called where execution may move to another source line, in the
 * timed-lines mode.  The runtime counts a hit only when `line` differs
 * from the line the frame is on, so probes may be placed generously (see
 * docs/lines.md for the hit rule).
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
