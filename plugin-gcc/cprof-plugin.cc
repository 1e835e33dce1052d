// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * cprof-plugin.cc - the cprof GCC plugin: options and registration.
 *
 * cprof is a deterministic profiler.  This plugin instruments the functions
 * to profile so that they call the cprof runtime (include/cprof/abi.h):
 *
 *   - __cprof_enter(&desc) first, and __cprof_exit(frame) on every way out,
 *     returns and C++ exception unwinds alike (calls-pass.cc);
 *   - where a source line L starts (lines-pass.cc; the hit rule is
 *     written down in docs/lines.md), an inline counter and a store of
 *     the line into the frame for the sampler (the default), the counter
 *     alone (line-hits), or __cprof_line(frame, L - first_line) (the
 *     timed-lines mode): hit-counters.cc has the inline ones.
 *
 * Which functions: those marked __attribute__((profile)) / [[gnu::profile]],
 * plus the ones the options name.  The plugin defines __CPROF__ so that
 * code can test for it (include/cprof.h does).
 *
 * Options, -fplugin-arg-cprof-KEY[=VALUE]: the table in
 * include/cprof/options.def, parsed by plugin-common/options.cc.
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

cprof::Options cprof_opts;

/* gcc -fplugin=cprof.so --help -v shows it; so does the `help` argument. */
static const std::string help_text = cprof::help_text();
static struct plugin_info cprof_plugin_info = {
    CPROF_VERSION, /* version, from CMake */
    help_text.c_str(),
};

/* False after reporting the problems with the arguments. */
static bool parse_arguments(const struct plugin_name_args *info) {
  std::vector<cprof::Argument> args;

  for (int i = 0; i < info->argc; i++) {
    const struct plugin_argument &arg = info->argv[i];
    args.push_back({info->base_name, arg.key, arg.value != NULL,
                    arg.value ? arg.value : ""});
  }
  std::vector<std::string> problems = cprof::parse_options(args, cprof_opts);
  for (const std::string &problem : problems)
    error("%s", problem.c_str());
  if (cprof_opts.help)
    fputs(help_text.c_str(), stdout);
  return problems.empty();
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
  if (cprof_opts.lines())
    register_callback(plugin, PLUGIN_PASS_MANAGER_SETUP, NULL, &lines);
}

int plugin_init(struct plugin_name_args *info,
                struct plugin_gcc_version *version) {
  const char *plugin = info->base_name;

  if (!plugin_default_version_check(version, &gcc_version)) {
    error("the cprof plugin was built for GCC %s", gcc_version.basever);
    return 1;
  }
  if (!parse_arguments(info))
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
