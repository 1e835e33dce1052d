/*
 * cprof/timeit.h - time.perf_counter() and %timeit for C, header-only.
 *
 *   #include <cprof/timeit.h>
 *   CPROF_TIMEIT_SETUP(double x = 1.5, x = x * x; cprof_keep(x));
 *   // 2.93 ns ± 0.111 ns per loop (mean ± std. dev. of 7 runs, 5,000,000
 *   // loops each)
 *
 * Works without libcprof and without the plugin: everything below is
 * static in the including file.  The timing core is an iterator that
 * chooses how many loops each run makes (autorange: 1, 2, 5, 10, 20, ...
 * until a run lasts the minimum time; that run is the warm-up, else one
 * is made with the loops given), then makes the timed runs; the caller's own
 * loop does the work, so the statement is inlined where it is timed.  An empty
 * loop of the same count, timed the same way, is the cost of the timer and the
 * loop, and is subtracted. CPROF_COMPARE times two statements interleaved.
 * docs/timeit.md describes every figure and warning.
 */
#ifndef CPROF_TIMEIT_H
#define CPROF_TIMEIT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#ifndef CLOCK_MONOTONIC
#error                                                                         \
    "cprof/timeit.h needs POSIX clocks: -std=gnu11 (GCC's default), or _POSIX_C_SOURCE=199309L before the first #include"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- keeping work the optimiser would delete ---------------------- */

/* The variable X is needed, and may have changed: its computation stays,
 * and what reads it next cannot be computed ahead or hoisted out of the
 * loop (Google Benchmark's DoNotOptimize).  X is an lvalue of any type;
 * it goes through memory (a store and a load), the one operand both GCC
 * and Clang can tie for every type. */
#define cprof_keep(x) __asm__ __volatile__("" : "+m"(x) : : "memory")
/* Every store so far is needed (ClobberMemory). */
#define cprof_clobber() __asm__ __volatile__("" : : : "memory")

/* ---- the clock ------------------------------------------------------ */

struct cprof_perf_counter_info {
  const char *source;   /* "tsc" (invariant, calibrated) or "monotonic_raw" */
  double resolution_ns; /* the smallest step two reads show */
  double cost_ns;       /* one read */
  double tsc_ghz;       /* ticks per ns; 0 without the TSC */
};

struct cprof__clock {
  int ready, tsc;
  uint64_t tsc0, ns0; /* the calibration's origin */
  double ns_per_tick;
};

/* One clock per including file: calibrated at its first read. */
static struct cprof__clock cprof__clock;

static inline uint64_t cprof__raw_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#if defined(__x86_64__) || defined(__i386__)
/* lfence first: the read waits for the work before it, so a run's end is
 * not taken while its last instructions are still in flight. */
static inline uint64_t cprof__tsc(void) {
  __builtin_ia32_lfence();
  return __builtin_ia32_rdtsc();
}

static inline int cprof__tsc_invariant(void) {
  unsigned a, b, c, d;
  return __get_cpuid(0x80000007, &a, &b, &c, &d) && (d >> 8 & 1);
}
#else
static inline uint64_t cprof__tsc(void) { return 0; }
static inline int cprof__tsc_invariant(void) { return 0; }
#endif

/* Ticks against CLOCK_MONOTONIC_RAW over 20 ms: the rate to 1e-6. */
static inline void cprof__clock_calibrate(void) {
  struct cprof__clock *c = &cprof__clock;

  c->ready = 1;
  c->tsc = cprof__tsc_invariant() && getenv("CPROF_TIMEIT_NO_TSC") == NULL;
  if (!c->tsc)
    return;
  c->ns0 = cprof__raw_ns();
  c->tsc0 = cprof__tsc();
  uint64_t ns, ticks;
  do {
    ns = cprof__raw_ns();
    ticks = cprof__tsc();
  } while (ns - c->ns0 < 20000000);
  c->ns_per_tick = (double)(ns - c->ns0) / (double)(ticks - c->tsc0);
}

/* Monotonic nanoseconds from an arbitrary origin. */
static inline uint64_t cprof_perf_counter_ns(void) {
  struct cprof__clock *c = &cprof__clock;

  if (__builtin_expect(!c->ready, 0))
    cprof__clock_calibrate();
  if (!c->tsc)
    return cprof__raw_ns();
  return c->ns0 + (uint64_t)((double)(cprof__tsc() - c->tsc0) * c->ns_per_tick);
}

/* The same in seconds, as Python's time.perf_counter(). */
static inline double cprof_perf_counter(void) {
  return (double)cprof_perf_counter_ns() * 1e-9;
}

/* Resolution: the smallest non-zero step of back-to-back reads; cost: the
 * mean time of one read over 10,000.  Measured at each call. */
static inline struct cprof_perf_counter_info cprof_perf_counter_info(void) {
  struct cprof_perf_counter_info info;
  uint64_t step = UINT64_MAX, prev = cprof_perf_counter_ns(), start = prev;
  enum { READS = 10000 };

  for (int i = 0; i < READS; i++) {
    uint64_t now = cprof_perf_counter_ns();
    if (now > prev && now - prev < step)
      step = now - prev;
    prev = now;
  }
  info.source = cprof__clock.tsc ? "tsc" : "monotonic_raw";
  info.cost_ns = (double)(prev - start) / READS;
  info.resolution_ns = step == UINT64_MAX ? 1 : (double)step;
  info.tsc_ghz = cprof__clock.tsc ? 1 / cprof__clock.ns_per_tick : 0;
  return info;
}

/* ---- options and results ------------------------------------------ */

enum { CPROF_TIMEIT_MAX_RUNS = 100 };
/* SILENT prints nothing: the caller prints the result as it likes. */
enum cprof_timeit_format {
  CPROF_TIMEIT_TEXT = 1,
  CPROF_TIMEIT_JSON,
  CPROF_TIMEIT_SILENT
};

/* Zero fields take CPROF_TIMEIT_RUNS, _LOOPS, _MIN_TIME, _FORMAT
 * (text|json), _QUIET from the environment, else the defaults. */
struct cprof_timeit_options {
  int runs;        /* timed runs: 7 */
  uint64_t loops;  /* loops per run: 0 chooses (autorange) */
  double min_time; /* seconds a run lasts at least when choosing: 0.2 */
  int format;      /* enum cprof_timeit_format: text */
  int quiet;       /* 1: no warnings printed (they stay in the result) */
};

/* Bits of cprof_timeit_result.warnings. */
enum {
  CPROF_TIMEIT_WARN_SLOWEST = 1,     /* slowest run > 4 times the fastest */
  CPROF_TIMEIT_WARN_OUTLIERS = 2,    /* runs beyond 10 MAD of the median */
  CPROF_TIMEIT_WARN_ERROR = 4,       /* std. dev. over 5% of the mean */
  CPROF_TIMEIT_WARN_UNOPTIMIZED = 8, /* the statement was built without -O */
  CPROF_TIMEIT_WARN_GOVERNOR = 16,   /* cpufreq governor not "performance" */
  CPROF_TIMEIT_WARN_ZERO = 32,       /* best run about 0: probably deleted */
};

/* Times are seconds per loop, the empty loop's cost subtracted. */
struct cprof_timeit_result {
  const char *label; /* the statement's text */
  uint64_t loops;    /* loops per run */
  int runs;
  double times[CPROF_TIMEIT_MAX_RUNS];
  double best, worst, mean, stdev, median, mad;
  double overhead;        /* the empty loop's run, seconds (subtracted) */
  double resolution;      /* the clock's step, seconds */
  double error;           /* stdev / mean */
  uint64_t loops_advised; /* loops for an error under 5%; 0: it is */
  int outliers;           /* runs more than 10 MAD from the median */
  int optimized;          /* __OPTIMIZE__ where the statement was built */
  char governor[32];      /* cpu0's cpufreq governor, "" where none */
  unsigned warnings;
};

/* ---- statistics ----------------------------------------------------- */

static inline double cprof__sqrt(double x) { /* no libm needed */
  double r = x > 1 ? x : 1;
  for (int i = 0; i < 64 && x > 0; i++)
    r = 0.5 * (r + x / r);
  return x > 0 ? r : 0;
}

static inline int cprof__cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static inline double cprof__median(double *sorted, int n) {
  return n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

/* Reads cpu0's governor from PATH (a scaling_governor file). */
static inline void cprof_timeit_read_governor(struct cprof_timeit_result *r,
                                              const char *path) {
  FILE *f = fopen(path, "r");

  r->governor[0] = '\0';
  if (!f)
    return;
  if (!fgets(r->governor, sizeof r->governor, f))
    r->governor[0] = '\0';
  r->governor[strcspn(r->governor, "\n")] = '\0';
  fclose(f);
}

/* A run's time that is about none: a quarter of the empty loop's run, or
 * the clock's step where that is more. */
static inline double cprof__zero_floor(const struct cprof_timeit_result *r) {
  return r->overhead / 4 > r->resolution ? r->overhead / 4 : r->resolution;
}

/* Every figure and warning bit from r->times, runs, loops, optimized,
 * governor, overhead and resolution. */
static inline void cprof_timeit_stats(struct cprof_timeit_result *r) {
  double sorted[CPROF_TIMEIT_MAX_RUNS], dev[CPROF_TIMEIT_MAX_RUNS];
  double sum = 0, var = 0;
  int n = r->runs;

  memcpy(sorted, r->times, (size_t)n * sizeof *sorted);
  qsort(sorted, (size_t)n, sizeof *sorted, cprof__cmp_double);
  r->best = sorted[0];
  r->worst = sorted[n - 1];
  for (int i = 0; i < n; i++)
    sum += sorted[i];
  r->mean = sum / n;
  for (int i = 0; i < n; i++)
    var += (sorted[i] - r->mean) * (sorted[i] - r->mean);
  r->stdev = cprof__sqrt(var / n); /* of the runs themselves, as IPython */
  r->median = cprof__median(sorted, n);
  for (int i = 0; i < n; i++)
    dev[i] =
        sorted[i] > r->median ? sorted[i] - r->median : r->median - sorted[i];
  qsort(dev, (size_t)n, sizeof *dev, cprof__cmp_double);
  r->mad = cprof__median(dev, n);
  r->outliers = 0;
  for (int i = 0; i < n && r->mad > 0; i++)
    r->outliers += dev[i] > 10 * r->mad;
  r->error = r->mean > 0 ? r->stdev / r->mean : 0;
  /* Noise that is independent from loop to loop shrinks as 1/sqrt(loops). */
  r->loops_advised = 0;
  if (r->error > 0.05) {
    double factor = (r->error / 0.05) * (r->error / 0.05);
    r->loops_advised = (uint64_t)((double)r->loops * factor) + 1;
  }
  r->warnings = 0;
  if (r->worst > 4 * r->best && r->worst > 1e-6)
    r->warnings |= CPROF_TIMEIT_WARN_SLOWEST;
  if (r->outliers)
    r->warnings |= CPROF_TIMEIT_WARN_OUTLIERS;
  if (r->loops_advised)
    r->warnings |= CPROF_TIMEIT_WARN_ERROR;
  if (!r->optimized)
    r->warnings |= CPROF_TIMEIT_WARN_UNOPTIMIZED;
  if (r->governor[0] && strcmp(r->governor, "performance") != 0)
    r->warnings |= CPROF_TIMEIT_WARN_GOVERNOR;
  /* What the statement adds to its least disturbed run is a fraction of
   * the empty loop's, or under a step of the clock: nothing measurable. */
  if (r->best * (double)r->loops < cprof__zero_floor(r))
    r->warnings |= CPROF_TIMEIT_WARN_ZERO;
}

/* ---- output --------------------------------------------------------- */

/* IPython's _format_time: 3 significant digits in s, ms, µs or ns. */
static inline void cprof_timeit_format_time(char *out, size_t size,
                                            double seconds) {
  static const char *const units[] = {"s", "ms", "\xc2\xb5s", "ns"};
  double scaled = seconds;
  int order = 0;

  while (order < 3 && scaled > 0 && scaled < 1) {
    scaled *= 1000;
    order++;
  }
  if (seconds <= 0) {
    scaled = 0;
    order = 3;
  }
  snprintf(out, size, "%.3g %s", scaled, units[order]);
}

/* "100,000" */
static inline void cprof__thousands(char *out, size_t size, uint64_t n) {
  char digits[32];
  size_t len = (size_t)snprintf(digits, sizeof digits, "%llu",
                                (unsigned long long)n),
         o = 0;

  for (size_t i = 0; i < len && o + 2 < size; i++) {
    if (i && (len - i) % 3 == 0)
      out[o++] = ',';
    out[o++] = digits[i];
  }
  out[o] = '\0';
}

/* `1.23 µs ± 4.5 ns per loop (mean ± std. dev. of 7 runs, 100,000 loops
 * each)` */
static inline void
cprof_timeit_print_ipython(const struct cprof_timeit_result *r, FILE *out) {
  char mean[32], stdev[32], loops[40];

  cprof_timeit_format_time(mean, sizeof mean, r->mean);
  cprof_timeit_format_time(stdev, sizeof stdev, r->stdev);
  cprof__thousands(loops, sizeof loops, r->loops);
  fprintf(out,
          "%s \xc2\xb1 %s per loop (mean \xc2\xb1 std. dev. of %d run%s, %s "
          "loop%s each)\n",
          mean, stdev, r->runs, r->runs == 1 ? "" : "s", loops,
          r->loops == 1 ? "" : "s");
}

/* `200000 loops, best of 7: 1.23 usec per loop` (python -m timeit). */
static inline void
cprof_timeit_print_python(const struct cprof_timeit_result *r, FILE *out) {
  static const struct {
    const char *name;
    double scale;
  } units[] = {{"sec", 1}, {"msec", 1e-3}, {"usec", 1e-6}, {"nsec", 1e-9}};
  int u = 0;

  while (u < 3 && r->best < units[u].scale)
    u++;
  fprintf(out, "%llu loop%s, best of %d: %.3g %s per loop\n",
          (unsigned long long)r->loops, r->loops == 1 ? "" : "s", r->runs,
          r->best / units[u].scale, units[u].name);
}

/* One warning per bit set, each a line starting "cprof: timeit: ". */
static inline void
cprof_timeit_print_warnings(const struct cprof_timeit_result *r, FILE *out) {
  if (r->warnings & CPROF_TIMEIT_WARN_SLOWEST)
    fprintf(out,
            "cprof: timeit: The slowest run took %.2f times longer than "
            "the fastest. This could mean that an intermediate result "
            "is being cached.\n",
            r->worst / r->best);
  if (r->warnings & CPROF_TIMEIT_WARN_OUTLIERS)
    fprintf(out,
            "cprof: timeit: %d of %d runs are outliers (more than 10 "
            "median absolute deviations from the median): another "
            "program may have interfered.\n",
            r->outliers, r->runs);
  if (r->warnings & CPROF_TIMEIT_WARN_ERROR)
    fprintf(out,
            "cprof: timeit: the error is %.1f%% of the mean, over 5%%; "
            "%llu loops per run (-n, CPROF_TIMEIT_LOOPS) should bring it "
            "under.\n",
            100 * r->error, (unsigned long long)r->loops_advised);
  if (r->warnings & CPROF_TIMEIT_WARN_UNOPTIMIZED)
    fprintf(out, "cprof: timeit: the statement was built without "
                 "optimisation (no -O): its time is not that of optimised "
                 "code.\n");
  if (r->warnings & CPROF_TIMEIT_WARN_GOVERNOR)
    fprintf(out,
            "cprof: timeit: the CPU frequency governor is '%s', not "
            "'performance': the clock rate may change between runs.\n",
            r->governor);
  if (r->warnings & CPROF_TIMEIT_WARN_ZERO) {
    char per_loop[32], floor[32];
    cprof_timeit_format_time(per_loop, sizeof per_loop, r->best);
    cprof_timeit_format_time(floor, sizeof floor,
                             cprof__zero_floor(r) / (double)r->loops);
    fprintf(out,
            "cprof: timeit: the statement takes about no time: %s a loop, "
            "under %s (a quarter of the empty loop's time, or the clock's "
            "resolution), so the compiler has probably removed it. Keep "
            "its result with cprof_keep(x), and an input that does not "
            "change from loop to loop too; or it is too cheap to time "
            "alone: time several in one statement (docs/timeit.md).\n",
            per_loop, floor);
  }
}

static inline void cprof_timeit_print_json(const struct cprof_timeit_result *r,
                                           FILE *out) {
  static const char *const names[] = {"slowest",     "outliers", "error",
                                      "unoptimized", "governor", "zero"};
  const char *sep = "";

  fputs("{\"statement\": \"", out);
  for (const char *p = r->label ? r->label : ""; *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(out, "\\%c", *p);
    else if ((unsigned char)*p < 0x20)
      fprintf(out, "\\u%04x", *p);
    else
      fputc(*p, out);
  }
  fprintf(out,
          "\", \"loops\": %llu, \"runs\": %d, \"best\": %.6g, \"worst\": "
          "%.6g, \"mean\": %.6g, \"stdev\": %.6g, \"median\": %.6g, \"mad\": "
          "%.6g, \"overhead\": %.6g, \"error\": %.4g, \"times\": [",
          (unsigned long long)r->loops, r->runs, r->best, r->worst, r->mean,
          r->stdev, r->median, r->mad, r->overhead, r->error);
  for (int i = 0; i < r->runs; i++)
    fprintf(out, "%s%.6g", i ? ", " : "", r->times[i]);
  fputs("], \"warnings\": [", out);
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
    if (r->warnings & 1u << i) {
      fprintf(out, "%s\"%s\"", sep, names[i]);
      sep = ", ";
    }
  fputs("]}\n", out);
}

/* ---- the timing core ------------------------------------------------ */

enum cprof__phase { CPROF__CHOOSE, CPROF__WARM_UP, CPROF__TIMED, CPROF__DONE };

struct cprof_timeit {
  struct cprof_timeit_options opt;
  struct cprof_timeit_result result;
  enum cprof__phase phase;
  int run;        /* timed runs recorded */
  uint64_t loops; /* of the run under way: the caller loops so often */
  uint64_t raw[CPROF_TIMEIT_MAX_RUNS]; /* ns of each timed run */
  uint64_t t0;
};

static inline double cprof__env_double(const char *name, double fallback) {
  const char *v = getenv(name);
  return v && *v ? strtod(v, NULL) : fallback;
}

/* The next count of 1, 2, 5, 10, 20, 50, ... */
static inline uint64_t cprof__next_loops(uint64_t n) {
  uint64_t decade = 1;
  while (decade * 10 <= n)
    decade *= 10;
  return n / decade == 1   ? 2 * decade
         : n / decade == 2 ? 5 * decade
                           : 10 * decade;
}

static inline void cprof_timeit_begin(struct cprof_timeit *t, const char *label,
                                      const struct cprof_timeit_options *opt,
                                      int optimized) {
  const char *format = getenv("CPROF_TIMEIT_FORMAT");

  memset(t, 0, sizeof *t);
  if (opt)
    t->opt = *opt;
  if (!t->opt.runs)
    t->opt.runs = (int)cprof__env_double("CPROF_TIMEIT_RUNS", 7);
  if (t->opt.runs < 1)
    t->opt.runs = 1;
  if (t->opt.runs > CPROF_TIMEIT_MAX_RUNS)
    t->opt.runs = CPROF_TIMEIT_MAX_RUNS;
  if (!t->opt.loops)
    t->opt.loops = (uint64_t)cprof__env_double("CPROF_TIMEIT_LOOPS", 0);
  if (t->opt.min_time <= 0)
    t->opt.min_time = cprof__env_double("CPROF_TIMEIT_MIN_TIME", 0.2);
  if (!t->opt.format)
    t->opt.format = format && strcmp(format, "json") == 0 ? CPROF_TIMEIT_JSON
                                                          : CPROF_TIMEIT_TEXT;
  if (!t->opt.quiet)
    t->opt.quiet = cprof__env_double("CPROF_TIMEIT_QUIET", 0) != 0;
  /* Long enough that the clock's step is under 0.1% of a run. */
  t->result.resolution = cprof_perf_counter_info().resolution_ns * 1e-9;
  double least = t->result.resolution * 1000;
  if (t->opt.min_time < least)
    t->opt.min_time = least;
  t->result.label = label;
  t->result.optimized = optimized;
  t->phase = t->opt.loops ? CPROF__WARM_UP : CPROF__CHOOSE;
  t->loops = t->opt.loops ? t->opt.loops : 1;
}

/* Starts a run of t->loops loops; 0 when every run is done. */
static inline int cprof_timeit_next(struct cprof_timeit *t) {
  if (t->phase == CPROF__DONE)
    return 0;
  t->t0 = cprof_perf_counter_ns();
  return 1;
}

/* Ends the run under way. */
static inline void cprof_timeit_stop(struct cprof_timeit *t) {
  uint64_t ns = cprof_perf_counter_ns() - t->t0;

  switch (t->phase) {
  case CPROF__CHOOSE: /* the run that lasts long enough is the warm-up */
    if ((double)ns * 1e-9 >= t->opt.min_time)
      t->phase = CPROF__TIMED;
    else
      t->loops = cprof__next_loops(t->loops);
    break;
  case CPROF__WARM_UP:
    t->phase = CPROF__TIMED;
    break;
  case CPROF__TIMED:
    t->raw[t->run++] = ns;
    if (t->run == t->opt.runs)
      t->phase = CPROF__DONE;
    break;
  case CPROF__DONE:
    break;
  }
}

/* The empty loop: the same reads and loop as a statement's, nothing in it.
 * Not inlined, so that it stays one loop whatever the caller is. */
__attribute__((noinline)) static uint64_t cprof__empty_run(uint64_t loops) {
  uint64_t t0 = cprof_perf_counter_ns();
  for (uint64_t i = 0; i < loops; i++)
    __asm__ __volatile__("");
  return cprof_perf_counter_ns() - t0;
}

/* Subtracts the empty loop, computes the figures, prints them (as the
 * options say); the result stays in t->result. */
static inline void cprof_timeit_end(struct cprof_timeit *t) {
  struct cprof_timeit_result *r = &t->result;
  uint64_t empty[CPROF_TIMEIT_MAX_RUNS];
  double sorted[CPROF_TIMEIT_MAX_RUNS];

  r->runs = t->opt.runs;
  r->loops = t->loops;
  cprof__empty_run(r->loops); /* its warm-up */
  for (int i = 0; i < r->runs; i++)
    empty[i] = cprof__empty_run(r->loops);
  for (int i = 0; i < r->runs; i++)
    sorted[i] = (double)empty[i];
  qsort(sorted, (size_t)r->runs, sizeof *sorted, cprof__cmp_double);
  r->overhead = cprof__median(sorted, r->runs) * 1e-9;
  for (int i = 0; i < r->runs; i++) {
    double run = (double)t->raw[i] * 1e-9 - r->overhead;
    r->times[i] = (run > 0 ? run : 0) / (double)r->loops;
  }
  cprof_timeit_read_governor(
      r, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  cprof_timeit_stats(r);
  if (t->opt.format == CPROF_TIMEIT_JSON)
    cprof_timeit_print_json(r, stdout);
  if (t->opt.format != CPROF_TIMEIT_TEXT)
    return;
  cprof_timeit_print_ipython(r, stdout);
  if (!t->opt.quiet)
    cprof_timeit_print_warnings(r, stderr);
}

/* ---- comparing statements, interleaved ------------------------------ */

/*
 * Several statements timed in turn, run by run (A B A B ...), so that a
 * change of the machine's speed (another program, the clock rate) falls on
 * all of them alike.  Each chooses its loops first; the timed runs of
 * any wait until all have chosen, so run i of each is taken at the same
 * time.  Returns the statement to run next (its run started), or -1.
 */
static inline int cprof_interleave_next(struct cprof_timeit *t, int n,
                                        int last) {
  int ready = 1;

  for (int i = 0; i < n; i++)
    ready &= t[i].phase >= CPROF__TIMED;
  for (int step = 1; step <= n; step++) {
    int c = (last + step + n) % n;
    if (t[c].phase == CPROF__DONE || (t[c].phase == CPROF__TIMED && !ready))
      continue;
    cprof_timeit_next(&t[c]);
    return c;
  }
  return -1;
}

/* OTHER's time over BASE's: the median of the ratios of runs taken
 * together, and a distribution-free confidence interval for it (order
 * statistics of the pairs: [low, high] holds the true median with
 * probability `confidence`, 95% or more where 6 pairs or more allow). */
struct cprof_compare_result {
  double ratio, low, high, confidence;
  double best; /* OTHER's best run over BASE's: the least disturbed runs */
  int pairs;
};

static inline struct cprof_compare_result
cprof_compare_ratio(const struct cprof_timeit_result *base,
                    const struct cprof_timeit_result *other) {
  struct cprof_compare_result c;
  double q[CPROF_TIMEIT_MAX_RUNS];
  int n = 0;

  memset(&c, 0, sizeof c);
  for (int i = 0; i < base->runs && i < other->runs; i++)
    if (base->times[i] > 0)
      q[n++] = other->times[i] / base->times[i];
  if (n == 0)
    return c;
  qsort(q, (size_t)n, sizeof *q, cprof__cmp_double);
  /* P(Binomial(n, 1/2) < k) for k = 1, 2, ...: the interval from the k-th
   * smallest to the k-th largest misses the median twice that often. */
  double tail = 0, term = 1, half_n = 1;
  for (int i = 0; i < n; i++)
    half_n *= 0.5;
  int k = 1;
  for (int j = 0; 2 * (j + 1) <= n; j++) {
    tail += term * half_n; /* P(X = j) added: P(X <= j) */
    term = term * (n - j) / (j + 1);
    if (1 - 2 * tail < 0.95)
      break;
    k = j + 1;
    c.confidence = 1 - 2 * tail;
  }
  if (c.confidence == 0) /* too few pairs for 95%: the widest there is */
    c.confidence = n > 1 ? 1 - 2 * half_n : 0;
  c.pairs = n;
  c.best = base->best > 0 ? other->best / base->best : 0;
  c.ratio = cprof__median(q, n);
  c.low = q[k - 1];
  c.high = q[n - k];
  return c;
}

/* `[2] / [1] = 1.98 (98.4% confidence 1.95 .. 2.01 of 7 interleaved
 * pairs; best runs 1.97)` */
static inline void cprof_compare_print(const struct cprof_compare_result *c,
                                       int base, int other, FILE *out) {
  fprintf(out,
          "[%d] / [%d] = %.3g (%.3g%% confidence %.3g .. %.3g of %d "
          "interleaved pair%s; best runs %.3g)\n",
          other, base, c->ratio, 100 * c->confidence, c->low, c->high, c->pairs,
          c->pairs == 1 ? "" : "s", c->best);
}

/* Ends the statements of an interleaving, and prints each (as the options
 * say, with its number and text first in text) and B's ratio to A. */
static inline struct cprof_compare_result
cprof_compare_end(struct cprof_timeit t[2]) {
  int text = t[0].opt.format == CPROF_TIMEIT_TEXT;

  for (int i = 0; i < 2; i++) {
    if (text)
      printf("[%d] %s\n", i + 1, t[i].result.label);
    cprof_timeit_end(&t[i]);
  }
  struct cprof_compare_result c =
      cprof_compare_ratio(&t[0].result, &t[1].result);
  if (text)
    cprof_compare_print(&c, 1, 2, stdout);
  return c;
}

#ifdef __OPTIMIZE__
#define CPROF__OPTIMIZED 1
#else
#define CPROF__OPTIMIZED 0
#endif

/*
 * The function form: FN(CTX) is the statement, called once a loop; the
 * empty loop does not call, so the call's cost is part of the time.
 * Returns the figures; prints as the options (NULL: defaults) say.
 */
static inline struct cprof_timeit_result
cprof_timeit(const char *label, void (*fn)(void *ctx), void *ctx,
             const struct cprof_timeit_options *opt) {
  struct cprof_timeit t;

  cprof_timeit_begin(&t, label, opt, CPROF__OPTIMIZED);
  while (cprof_timeit_next(&t)) {
    for (uint64_t i = 0; i < t.loops; i++) {
      fn(ctx);
      __asm__ __volatile__("");
    }
    cprof_timeit_stop(&t);
  }
  cprof_timeit_end(&t);
  return t.result;
}

/* *OUT = *R where OUT is not NULL (a function: no warning that &x is). */
static inline void cprof__copy(void *out, const void *r, size_t size) {
  if (out)
    memcpy(out, r, size);
}

/* The loop a statement is timed in: the empty loop's, with STMT in it. */
#define CPROF__LOOP(loops, ...)                                                \
  do {                                                                         \
    for (uint64_t cprof__i = 0; cprof__i < (loops); cprof__i++) {              \
      __VA_ARGS__;                                                             \
      __asm__ __volatile__("");                                                \
    }                                                                          \
  } while (0)

/*
 * CPROF_TIMEIT_SETUP(setup, stmt): SETUP runs once (its declarations are in
 * scope of STMT), then STMT is timed as %timeit does.  CPROF_TIMEIT_TO also
 * takes options (NULL: defaults) and stores the figures at RESULT_OUT (a
 * struct cprof_timeit_result *, or NULL).  STMT may contain commas; SETUP
 * may not (declare one variable, or wrap expressions in parentheses).
 */
#define CPROF_TIMEIT_TO(result_out, opt, setup, ...)                           \
  do {                                                                         \
    struct cprof_timeit cprof__t;                                              \
    setup;                                                                     \
    cprof_timeit_begin(&cprof__t, #__VA_ARGS__, (opt), CPROF__OPTIMIZED);      \
    while (cprof_timeit_next(&cprof__t)) {                                     \
      CPROF__LOOP(cprof__t.loops, __VA_ARGS__);                                \
      cprof_timeit_stop(&cprof__t);                                            \
    }                                                                          \
    cprof_timeit_end(&cprof__t);                                               \
    cprof__copy((result_out), &cprof__t.result, sizeof cprof__t.result);       \
  } while (0)

#define CPROF_TIMEIT_SETUP(setup, ...) CPROF_TIMEIT_TO(0, 0, setup, __VA_ARGS__)
#define CPROF_TIMEIT(...) CPROF_TIMEIT_TO(0, 0, (void)0, __VA_ARGS__)

/*
 * CPROF_COMPARE(a, b): both timed as CPROF_TIMEIT does, interleaved; prints
 * each and B's time over A's.  CPROF_COMPARE_TO stores the ratio at
 * RESULT_OUT (a struct cprof_compare_result *, or NULL).  Neither A nor B
 * may contain a comma outside parentheses.
 */
#define CPROF_COMPARE_TO(result_out, opt, setup, a, b)                         \
  do {                                                                         \
    struct cprof_timeit cprof__t[2];                                           \
    struct cprof_compare_result cprof__c;                                      \
    setup;                                                                     \
    cprof_timeit_begin(&cprof__t[0], #a, (opt), CPROF__OPTIMIZED);             \
    cprof_timeit_begin(&cprof__t[1], #b, (opt), CPROF__OPTIMIZED);             \
    for (int cprof__k = -1;                                                    \
         (cprof__k = cprof_interleave_next(cprof__t, 2, cprof__k)) >= 0;) {    \
      if (cprof__k == 0)                                                       \
        CPROF__LOOP(cprof__t[0].loops, a);                                     \
      else                                                                     \
        CPROF__LOOP(cprof__t[1].loops, b);                                     \
      cprof_timeit_stop(&cprof__t[cprof__k]);                                  \
    }                                                                          \
    cprof__c = cprof_compare_end(cprof__t);                                    \
    cprof__copy((result_out), &cprof__c, sizeof cprof__c);                     \
  } while (0)

#define CPROF_COMPARE(a, b) CPROF_COMPARE_TO(0, 0, (void)0, a, b)

#ifdef __cplusplus
}
#endif

#endif
