// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * cprof-plugin.cc - the cprof GCC plugin: options and registration.
 *
 * cprof is a deterministic profiler.  This plugin instruments the functions
 * to profile so that they call the cprof runtime (include/cprof/abi.h):
 *
 *   - __cprof_enter(&desc) first, and __cprof_exit(frame) on every way out,
 *     returns and C++ exception unwinds alike (calls-pass.cc);
 *   - __cprof_line(frame, L - first_line) where a source line L starts
 *     (lines-pass.cc; the hit rule is written down in docs/lines.md), or
 *     an inline counter in the line-hits mode (hit-counters.cc).
 *
 * Which functions: those marked __attribute__((profile)) / [[gnu::profile]],
 * plus the ones the options name.  The plugin defines __CPROF__ so that
 * code can test for it (include/cprof.h does).
 *
 * Options (-fplugin-arg-cprof-KEY[=VALUE]):
 *   all              profile every function defined in the unit, except
 *                    compiler-generated ones, those in system headers and
 *                    those marked no_instrument_function (G++ counts lambda
 *                    bodies as generated: write `[](int x)
 *                    __attribute__((profile)) {...}` for those)
 *   functions=a,b    also profile these functions; a name matches the plain
 *                    name, the qualified C++ name (ns::Class::fn) or the
 *                    symbol (mangled name)
 *   no-lines         calls only: no line probes
 *   counts-only      no timers either: calls, primitive calls and edges,
 *                    for the hottest code (__cprof_enter_count/_exit_count)
 *   line-hits        lines counted by inline counters, without their time
 *                    (hit-counters.cc); with counts-only, the one way to
 *                    get line counts there
 *   memory           the first call of a function of this unit starts the
 *                    runtime's memory tracing, as CPROF_MEMORY=1 does
 *                    (descriptor flag CPROF_FN_MEMORY)
 *
 * Debugging:
 *   - -fdump-tree-all shows the plugin's passes as *.cprof_calls (after
 *     the front end, before "lower") and *.cprof_lines (right after "cfg");
 *     naming them in -fdump-tree-NAME does not work (plugin passes are
 *     registered after the options are read);
 *     -fdump-tree-all-lineno adds the line of every statement;
 *   - debug_gimple_stmt(), debug_tree() and debug_bb() print from gdb
 *     (gdb --args $(gcc -print-prog-name=cc1) ... -fplugin=...).
 */
#include "cprof-gcc.h"
#include "plugin-version.h"

int plugin_is_GPL_compatible;

bool cprof_opt_all;
bool cprof_opt_lines;
bool cprof_opt_line_hits;
bool cprof_opt_counts;
bool cprof_opt_memory;
const char *cprof_opt_functions;

static struct plugin_info cprof_plugin_info = {
    CPROF_VERSION, /* version, from CMake */
    "all\t\tprofile every function defined in the unit\n"
    "functions=a,b\talso profile the functions named a and b\n"
    "no-lines\tcount calls only, no per-line probes\n"
    "counts-only\tno timers and no line probes: counts and edges\n"
    "line-hits\tcount lines inline (about 1 ns), without their time\n"
    "memory\t\tstart memory tracing at the first profiled call\n",
};

/* A flag option given a value is a typo worth stopping for. */
static bool takes_no_value(const char *plugin,
                           const struct plugin_argument *arg) {
  if (arg->value)
    error("%<-fplugin-arg-%s-%s%> takes no value", plugin, arg->key);
  return !arg->value;
}

static bool no_lines; /* -fplugin-arg-cprof-no-lines */

/* Parses one -fplugin-arg-NAME-KEY[=VALUE]; false after reporting an error. */
static bool parse_argument(const char *plugin,
                           const struct plugin_argument *arg) {
  const char *key = arg->key;

  if (!strcmp(key, "all")) {
    cprof_opt_all = true;
    return takes_no_value(plugin, arg);
  }
  if (!strcmp(key, "no-lines")) {
    no_lines = true;
    return takes_no_value(plugin, arg);
  }
  if (!strcmp(key, "counts-only")) {
    cprof_opt_counts = true;
    return takes_no_value(plugin, arg);
  }
  if (!strcmp(key, "line-hits")) {
    cprof_opt_line_hits = true;
    return takes_no_value(plugin, arg);
  }
  if (!strcmp(key, "memory")) {
    cprof_opt_memory = true;
    return takes_no_value(plugin, arg);
  }
  if (!strcmp(key, "functions")) {
    if (!arg->value || !arg->value[0]) {
      error("%<-fplugin-arg-%s-functions%> needs a list: "
            "%<-fplugin-arg-%s-functions=a,b%>",
            plugin, plugin);
      return false;
    }
    cprof_opt_functions = arg->value;
    return true;
  }
  error("unknown option %<-fplugin-arg-%s-%s%> (the cprof plugin takes "
        "all, functions=a,b, no-lines, counts-only, line-hits and memory)",
        plugin, key);
  return false;
}

/*
 * Line probes unless no-lines; timed ones need timers (not counts-only),
 * counters do not.  False after reporting options that contradict.
 */
static bool choose_line_mode(const char *plugin) {
  if (no_lines && cprof_opt_line_hits) {
    error("%<-fplugin-arg-%s-no-lines%> and %<-fplugin-arg-%s-line-hits%> "
          "contradict each other",
          plugin, plugin);
    return false;
  }
  cprof_opt_lines = !no_lines && (!cprof_opt_counts || cprof_opt_line_hits);
  return true;
}

/*
 * Passes go where -finstrument-functions works: entry/exit on the whole
 * body before "lower" (so lowering turns the try/finally into the exit
 * call on every return and unwind), lines right after "cfg" (blocks exist,
 * and it still runs before inlining, so an inlined profiled function keeps
 * its probes).
 */
static void register_passes(const char *plugin) {
  static struct register_pass_info calls = {cprof_make_calls_pass(g), "lower",
                                            1, PASS_POS_INSERT_BEFORE};
  static struct register_pass_info lines = {cprof_make_lines_pass(g), "cfg", 1,
                                            PASS_POS_INSERT_AFTER};

  register_callback(plugin, PLUGIN_PASS_MANAGER_SETUP, NULL, &calls);
  if (cprof_opt_lines)
    register_callback(plugin, PLUGIN_PASS_MANAGER_SETUP, NULL, &lines);
}

int plugin_init(struct plugin_name_args *info,
                struct plugin_gcc_version *version) {
  const char *plugin = info->base_name;

  if (!plugin_default_version_check(version, &gcc_version)) {
    error("the cprof plugin was built for GCC %s", gcc_version.basever);
    return 1;
  }
  for (int i = 0; i < info->argc; i++)
    if (!parse_argument(plugin, &info->argv[i]))
      return 1;
  if (!choose_line_mode(plugin))
    return 1;

  register_callback(plugin, PLUGIN_INFO, NULL, &cprof_plugin_info);
  register_callback(plugin, PLUGIN_REGISTER_GGC_ROOTS, NULL,
                    (void *)cprof_ggc_roots);
  register_callback(plugin, PLUGIN_ATTRIBUTES, cprof_register_attribute, NULL);
  register_callback(plugin, PLUGIN_PRAGMAS, cprof_define_macro, NULL);
  register_callback(plugin, PLUGIN_START_UNIT, cprof_build_decls, NULL);
  register_passes(plugin);
  return 0;
}
