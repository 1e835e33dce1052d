/*
 * cprof.h - the user API of cprof, a deterministic profiler for C and C++.
 *
 * Mark functions with CPROF_PROFILE (or __attribute__((profile)) when you
 * know the plugin is loaded), build with -fplugin=cprof.so (GCC) or
 * -fplugin=cprof_clang.so (Clang), link with -lcprof, and run: the profile
 * is written to cprof.out (or $CPROF_OUT) at exit.  Everything here is
 * optional; a program that only marks functions needs no call at all.
 */
#ifndef CPROF_H
#define CPROF_H

/*
 * The plugins define __CPROF__.  Without them the attribute would draw an
 * "attribute ignored" warning, so the macro expands to nothing instead.
 */
#ifdef __CPROF__
#define CPROF_PROFILE __attribute__((profile))
#else
#define CPROF_PROFILE
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Start or stop recording new calls, for the whole process (all threads).
 * Calls already under way when recording stops are still completed.
 * Recording is on at start-up unless CPROF_START=0.
 */
void cprof_enable(void);
void cprof_disable(void);

/*
 * Write the profile gathered so far to `path` (NULL: the default output,
 * $CPROF_OUT or cprof.out; "%p" in a path becomes the process id).  Calls
 * still under way count with the time they have run so far.  The file is
 * replaced atomically.  Returns 0, or -1 after printing one "cprof:" line.
 */
int cprof_dump(const char *path);

/* Forget everything recorded so far, in every thread. */
void cprof_reset(void);

/*
 * Write a snapshot of memory tracing (CPROF_MEMORY=1) to `path` (NULL:
 * as cprof_dump): the same file as cprof_dump(), whose memory sections
 * hold, per allocation site, the blocks and bytes still allocated, the
 * peak and the totals, and the process's current and peak traced bytes.
 * `prstats --memory` reads it; `prstats --memory --diff OLD NEW` compares
 * two.  cprof_reset() does not reset memory tracing.  Returns as
 * cprof_dump().
 */
int cprof_snapshot(const char *path);

#ifdef __cplusplus
}
#endif

#endif /* CPROF_H */
