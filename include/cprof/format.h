/*
 * cprof/format.h - the profile file (cprof.out), the ONE definition.
 *
 * The runtime writes it, prstats and the tests read it.  All integers are
 * little-endian, records are packed as declared (every field is naturally
 * aligned, no padding), and the file is
 *
 *     struct cprof_file_header
 *     nsections x { struct cprof_section, count * record_size bytes }
 *
 * A reader requires the sections it needs, skips kinds it does not know,
 * and accepts a record_size larger than the struct it knows (newer writers
 * append fields at the end of a record).  It rejects a version newer than
 * CPROF_FORMAT_VERSION, and an older one (version 1 had 32-byte function
 * records without flags, version 2 had no samples and no exact min/max).
 *
 * What the data mean: the runtime records, per thread, a calling-context
 * tree (CCT) of profiled functions.  Each node is one distinct call path
 * from a thread's unprofiled code down to a function; it holds the number
 * of calls made along that path and their inclusive ticks.  Everything
 * pstats shows follows from the tree (self time = inclusive minus the
 * children's inclusive; a call is primitive when its function is not
 * already on its path; edges are parent/child node pairs), so the hot path
 * only bumps two counters per call.  See docs/format.md.
 */
#ifndef CPROF_FORMAT_H
#define CPROF_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define CPROF_MAGIC "CPROFDAT" /* 8 bytes, no terminator in the file */
#define CPROF_MAGIC_SIZE 8
#define CPROF_FORMAT_VERSION 3

struct cprof_file_header {
  char magic[CPROF_MAGIC_SIZE];
  uint32_t version;     /* CPROF_FORMAT_VERSION of the writer */
  uint32_t header_size; /* sizeof(struct cprof_file_header) of the writer */
  uint64_t file_size;   /* total bytes; a shorter file is truncated */
  uint64_t checksum;    /* cprof_checksum() of bytes [header_size, file_size) */
  double tick_hz;       /* timer ticks per second (TSC rate) */
  uint64_t run_ticks;   /* ticks from runtime start to this dump */
  /* Probe costs measured at start-up, in ticks (0: not measured): */
  uint64_t call_cost;       /* one enter+exit pair, as its caller sees it */
  uint64_t call_inner_cost; /* the part of it inside the callee's own ticks */
  uint64_t line_cost;       /* one line change */
  uint64_t dropped;         /* calls not recorded (too deep, out of memory) */
  int64_t start_unix_ns;    /* wall clock at runtime start */
  uint32_t pid;
  uint32_t nthreads; /* threads that recorded anything */
  uint32_t program;  /* string offset: the program's path */
  uint32_t nsections;
  uint32_t clock;  /* enum cprof_clock: what a tick is */
  uint16_t flags;  /* CPROF_FILE_* below; readers ignore bits they
                      do not know */
  uint16_t signal; /* with CPROF_FILE_CUT_SHORT: the signal's number */
  /*
   * The line sampler (docs/lines.md): every `sample_period_ns` of a
   * thread's CPU time one sample is due.  The kernel may deliver several
   * due samples as one signal (its CPU timers fire on its scheduler tick),
   * so `samples` counts the samples due, each weighing the period, and
   * `sample_signals` the signals that carried them: the independent
   * observations a sampling error is computed from.  0: no sampling.
   */
  uint64_t sample_period_ns;
  uint64_t samples;
  uint64_t sample_signals;
  /* How far the calibration's repeats spread above the costs kept (the
   * call_cost and line_cost above), in ticks: large when the machine was
   * busy while the runtime measured them. */
  uint64_t call_cost_spread;
  uint64_t line_cost_spread;
};

/* Written as a signal ended the program (CPROF_SIGNALS): calls still under
 * way count up to that moment, as at exit() from deep frames. */
#define CPROF_FILE_CUT_SHORT 0x1u

enum cprof_clock {
  CPROF_CLOCK_TSC = 1,       /* x86 time-stamp counter (rdtsc) */
  CPROF_CLOCK_CNTVCT = 2,    /* Arm generic timer (cntvct_el0) */
  CPROF_CLOCK_MONOTONIC = 3, /* clock_gettime(CLOCK_MONOTONIC), ns */
  /* The same counters, each read waiting for earlier instructions to
   * finish (CPROF_TIMER=ordered): */
  CPROF_CLOCK_TSC_ORDERED = 4,    /* lfence; rdtsc */
  CPROF_CLOCK_CNTVCT_ORDERED = 5, /* isb; mrs cntvct_el0 */
};

static inline const char *cprof_clock_name(uint32_t clock) {
  switch (clock) {
  case CPROF_CLOCK_TSC:
    return "TSC";
  case CPROF_CLOCK_CNTVCT:
    return "CNTVCT";
  case CPROF_CLOCK_MONOTONIC:
    return "CLOCK_MONOTONIC";
  case CPROF_CLOCK_TSC_ORDERED:
    return "TSC (ordered)";
  case CPROF_CLOCK_CNTVCT_ORDERED:
    return "CNTVCT (ordered)";
  default:
    return "unknown clock";
  }
}

struct cprof_section {
  uint32_t kind;        /* enum cprof_section_kind */
  uint32_t record_size; /* bytes per record */
  uint64_t count;       /* number of records */
};

enum cprof_section_kind {
  CPROF_SEC_STRINGS = 1,  /* record_size 1: NUL-terminated strings */
  CPROF_SEC_FUNCS = 2,    /* struct cprof_file_func */
  CPROF_SEC_NODES = 3,    /* struct cprof_file_node */
  CPROF_SEC_LINES = 4,    /* struct cprof_file_line */
  CPROF_SEC_HIST = 5,     /* struct cprof_file_hist */
  CPROF_SEC_MEMSITES = 6, /* struct cprof_file_memsite (memory tracing) */
  CPROF_SEC_MEMORY = 7,   /* one struct cprof_file_memory (memory tracing) */
  /* Stack sampling (CPROF_SAMPLE=HZ, docs/sampling.md): all five or none. */
  CPROF_SEC_SAMPLE_INFO = 8,    /* one struct cprof_file_sample_info */
  CPROF_SEC_MAP_STRINGS = 9,    /* record_size 1: the maps' paths, build ids */
  CPROF_SEC_MAPS = 10,          /* struct cprof_file_map */
  CPROF_SEC_SAMPLE_PCS = 11,    /* uint64_t code addresses of the stacks */
  CPROF_SEC_SAMPLE_STACKS = 12, /* struct cprof_file_stack */
  CPROF_SEC_THREADS = 13, /* struct cprof_file_thread; optional (older
                             writers: the threads' nodes are not told apart) */
  CPROF_SEC_SAMPLE_THREADS = 14, /* struct cprof_file_sample_thread; with
                                    the sampled sections, optional */
};

/* One profiled function, merged over every thread. */
struct cprof_file_func {
  uint32_t name; /* string offsets */
  uint32_t symbol;
  uint32_t file;
  uint32_t line;       /* line of the definition */
  uint32_t first_line; /* source line of lines[line_base] */
  uint32_t nlines;     /* 0 when the function has no line data */
  uint64_t line_base;  /* index of its first record in CPROF_SEC_LINES */
  uint32_t flags;      /* CPROF_FUNC_* below */
  uint32_t reserved;
  /* The shortest and the longest completed call (inclusive ticks, raw),
   * exact; both 0 when no timed call completed. */
  uint64_t min_ticks;
  uint64_t max_ticks;
  /* Samples taken with the function on the stack (counted once however
   * often it is there); its lines' samples add up to at most this, the
   * rest fell before its first line or in a frame of it with no line. */
  uint64_t samples;
};

/* Its lines were counted inline (line-hits mode): hits only, ticks are 0.
 * The descriptor flag CPROF_FN_LINE_HITS (cprof/abi.h) is this value. */
#define CPROF_FUNC_LINE_HITS 0x1u
/* Its code tells the sampler which line it is on (the default line mode):
 * the lines' samples measure their time.  CPROF_FN_LINE_SAMPLED is this. */
#define CPROF_FUNC_LINE_SAMPLED 0x8u

#define CPROF_NO_PARENT UINT32_MAX

/*
 * One CCT node.  Nodes are in pre-order: a parent comes before its
 * children, so parent < own index.  A root (called from unprofiled code)
 * has parent CPROF_NO_PARENT; each thread contributes its own roots.
 */
struct cprof_file_node {
  uint32_t parent;
  uint32_t func; /* index into CPROF_SEC_FUNCS */
  uint64_t calls;
  uint64_t ticks;   /* inclusive, raw (no compensation applied) */
  uint64_t samples; /* samples taken with this path on top of the stack */
};

/*
 * Which thread's tree the nodes are: one record per thread state that
 * wrote any, in the order the states were made (the first is the first
 * thread to call a profiled function, usually main).  Their ranges follow
 * each other and cover every node; a node's parent is in its own range.
 * A thread that exits leaves its state to the next new thread, which
 * carries on in the same tree: one record can be several threads that
 * ran one after another (`runs`).  Memory sites and sampled stacks number
 * threads their own way (their `thread` fields are not these indexes).
 */
struct cprof_file_thread {
  uint32_t first_node; /* its nodes: [first_node, first_node + nnodes) */
  uint32_t nnodes;
  uint32_t name; /* string offset: the kernel's name of its last thread
                    (pthread_setname_np), as it ended or at the dump */
  uint32_t tid;  /* the kernel's id of that thread */
  uint32_t runs; /* threads that used the state (0: none since a fork) */
  uint32_t reserved;
};

/*
 * Per source line of a function: line_profiler's hits and time.  Time is
 * measured one of two ways: timed lines (the flags have neither
 * CPROF_FUNC_LINE_HITS nor CPROF_FUNC_LINE_SAMPLED) read the timer at
 * each line change, into ticks; sampled lines (CPROF_FUNC_LINE_SAMPLED)
 * count the samples taken while the innermost frame of the function was
 * on the line, its callees included, into samples.
 */
struct cprof_file_line {
  uint64_t hits;
  uint64_t ticks;   /* from the line's start to the next line's start */
  uint64_t samples; /* samples that found the function on this line */
};

/*
 * Per function, how many completed calls took how long (inclusive ticks),
 * in log-linear buckets (one record per non-empty bucket): 0..3 ticks exactly,
 * then four buckets per power of two (each 25% wide), up to 2^40 ticks (7
 * minutes at 2.6 GHz; longer calls land in the last bucket).  Percentiles come
 * from this, the way LLVM XRay's `account` shows them, without a per-call
 * trace.
 */
#define CPROF_HIST_BUCKETS 160

/* One non-empty bucket of one function's histogram (most are empty). */
struct cprof_file_hist {
  uint32_t func;   /* index into CPROF_SEC_FUNCS */
  uint32_t bucket; /* < CPROF_HIST_BUCKETS, see cprof_hist_bucket() */
  uint64_t count;  /* completed calls that fell in it */
};

static inline uint32_t cprof_hist_bucket(uint64_t ticks) {
  if (ticks < 4)
    return (uint32_t)ticks;
  uint32_t e = 63 - (uint32_t)__builtin_clzll(ticks); /* 2^e <= ticks */
  uint32_t b = (e - 1) * 4 + (uint32_t)((ticks >> (e - 2)) & 3);
  return b < CPROF_HIST_BUCKETS ? b : CPROF_HIST_BUCKETS - 1;
}

/* The smallest tick count that falls in bucket `b`. */
static inline uint64_t cprof_hist_lower(uint32_t b) {
  if (b < 4)
    return b;
  return (uint64_t)(4 + (b & 3)) << (b / 4 - 1);
}

/*
 * Memory tracing (CPROF_MEMORY=1, docs/memory.md).  A file has both
 * sections or neither (tracing never started).  A site is where blocks
 * were allocated: the innermost profiled function on the allocating
 * thread, its call path (CCT node) and the line it was executing, or
 * <unprofiled>.  There is one record per site and thread; readers add up
 * the records that fall in one group.  Sizes are the bytes asked for.
 *
 * Peaks are per thread, at three levels: the site (this path and line),
 * the function and line over every path, and the function.  Every record
 * of one thread, function and line carries the same line_peak, and every
 * record of one thread and function the same func_peak.
 */
#define CPROF_NO_FUNC UINT32_MAX

struct cprof_file_memsite {
  uint32_t func;        /* index into CPROF_SEC_FUNCS, CPROF_NO_FUNC: none */
  uint32_t node;        /* index into CPROF_SEC_NODES (the call path), or
                           CPROF_NO_PARENT: none or not written */
  uint32_t line;        /* source line (the definition's line when the
                           function had not reached a line probe; 0: none) */
  uint32_t thread;      /* which thread (0, 1, ...; reused after one exits) */
  uint64_t allocs;      /* blocks allocated here (a realloc counts as one) */
  uint64_t alloc_bytes; /* their total size */
  uint64_t live_blocks; /* still allocated when the file was written */
  uint64_t live_bytes;
  uint64_t peak_bytes; /* most bytes live at once from this site */
  uint64_t line_peak;  /* ... from this function and line, any path */
  uint64_t func_peak;  /* ... from this function, any line or path */
};

/* tracemalloc's get_traced_memory(), and what could not be traced. */
struct cprof_file_memory {
  uint64_t current;         /* bytes in traced blocks when written */
  uint64_t peak;            /* most at once since tracing started */
  uint64_t untracked_frees; /* frees of blocks allocated before tracing
                               started (not counted) */
  uint64_t dropped;         /* blocks not traced: the tracer lacked memory */
  uint32_t at_exit;         /* 1: written at exit, live blocks are leaks */
  uint32_t reserved;
};

/*
 * Stack sampling (CPROF_SAMPLE=HZ, docs/sampling.md), of any program,
 * profiled or not.  Every `period_ns` of a thread's CPU time one sample is
 * due; a signal carries one or more of them (as for the line sampler, the
 * kernel fires CPU timers on its tick) and records the thread's stack
 * once, as code addresses walked by frame pointers, weighing the samples
 * it carried.  The addresses are resolved after the run against the
 * executable mappings the process had when the file was written.
 */
struct cprof_file_sample_info {
  uint64_t period_ns; /* CPU time per sample (wall time: flags) */
  uint64_t signals;   /* stacks recorded (one per signal) */
  uint64_t samples;   /* the samples they carried: the sum of the weights */
  uint64_t dropped_signals; /* not recorded: a thread's buffer was full, */
  uint64_t dropped_samples; /* and the samples they carried */
  uint64_t cut;       /* stacks whose walk stopped at a frame that could not
                         be followed (CPROF_STACK_CUT) */
  uint32_t nthreads;  /* thread numbers used by the stacks: 0 .. nthreads-1 */
  uint32_t flags;     /* CPROF_SAMPLE_* below; readers ignore the others */
};

/* The program replaced the SIGPROF handler: samples stopped at that point. */
#define CPROF_SAMPLE_LOST_HANDLER 0x1u
/* The period is of wall time, blocked or not (CPROF_SAMPLE_WALL=1), not
 * of each thread's CPU time. */
#define CPROF_SAMPLE_WALL_CLOCK 0x2u

/* One executable file mapping of the process (/proc/self/maps, r-x). */
struct cprof_file_map {
  uint64_t start, end; /* addresses [start, end) */
  uint64_t offset;     /* file offset mapped at start */
  uint32_t path;       /* offset in CPROF_SEC_MAP_STRINGS */
  uint32_t build_id;   /* ditto: the GNU build id in hex, "" when unknown */
};

/*
 * One recorded stack: pcs[first .. first + depth) of CPROF_SEC_SAMPLE_PCS,
 * innermost first.  The first is the interrupted instruction; each other
 * is a return address (the call is at the address before it).
 */
struct cprof_file_stack {
  uint32_t thread; /* 0 .. nthreads-1 (a number is reused after an exit) */
  uint16_t depth;  /* >= 1 */
  uint16_t flags;  /* CPROF_STACK_* below */
  uint32_t weight; /* samples it carried (>= 1) */
  uint32_t node;   /* with CPROF_STACK_NODE: the CCT node (CPROF_SEC_NODES)
                      on top of the thread's shadow stack, the profiled
                      call the sample fell in; older writers wrote 0 */
  uint64_t first;
};

/*
 * Who the sampled stacks' thread numbers are: record k is thread number k
 * of cprof_file_stack (nthreads of cprof_file_sample_info in all).  As
 * the core's states, a number is reused by the next thread that starts
 * after one exits (`runs`, the name and id the last one's).
 */
struct cprof_file_sample_thread {
  uint32_t name; /* offset in CPROF_SEC_MAP_STRINGS: the kernel's name */
  uint32_t tid;  /* the kernel's id */
  uint32_t runs; /* threads that used the number (0: none since a fork) */
  uint32_t reserved;
};

/* The walk stopped before the outermost frame (a frame pointer outside
 * the thread's stack, misaligned or not above the last, or too deep):
 * the callers above the last address are missing. */
#define CPROF_STACK_CUT 0x1u
/* `node` is set: the program was profiled and a profiled call was under
 * way (the hybrid profile, docs/sampling.md). */
#define CPROF_STACK_NODE 0x2u

/*
 * FNV-1a taken a 64-bit little-endian word at a time (bytes for the tail),
 * continued from `h` (start with CPROF_CHECKSUM_INIT).  Every step is a
 * bijection of h, so any one changed word changes the result.  Catches
 * corruption, not malice; eight times faster than byte-wise FNV-1a on the
 * hundreds of megabytes a large profile can have.
 */
#define CPROF_CHECKSUM_INIT 0xcbf29ce484222325ull
static inline uint64_t cprof_checksum(uint64_t h, const void *data,
                                      size_t size) {
  const unsigned char *p = (const unsigned char *)data;
  for (; size >= 8; p += 8, size -= 8) {
    uint64_t w;
    memcpy(&w, p, sizeof w);
    h = (h ^ w) * 0x100000001b3ull;
  }
  for (; size; p++, size--)
    h = (h ^ *p) * 0x100000001b3ull;
  return h;
}

#endif /* CPROF_FORMAT_H */
