/*
 * main.c - the prstats command: reports on cprof profiles.
 *
 *   prstats [OPTION]... [FILE]...        (no FILE: cprof.out)
 *   prstats --diff [OPTION]... BEFORE AFTER
 *   prstats -i [FILE]...
 *   prstats --memory[=GROUP] | --leaks [OPTION]... FILE
 *
 * Reads every FILE (each checked in full before use; several are merged
 * the way pstats' add() merges), then prints pstats' table, its callers
 * or callees views, line_profiler's per-line report, percentiles, or
 * writes one of the export formats; or compares two profiles; or runs
 * pstats' interactive browser; or reports on the memory trace as
 * tracemalloc does.  Exit status: 0, 1 on bad input or a failed write, 2
 * on a usage error.
 */
#include "prstats.h"

static int (*const modes[])(const struct cli *c) = {
    [MODE_REPORT] = run_report, [MODE_EXPORT] = run_export,
    [MODE_DIFF] = run_diff,     [MODE_BROWSE] = run_browse,
    [MODE_MEMORY] = run_memory,
};

int main(int argc, char **argv) {
  struct cli cli;
  int rc;

  if (cli_parse(&cli, argc, argv))
    return 2;
  rc = modes[cli.mode](&cli);
  cli_free(&cli);
  return rc ? 1 : 0;
}
