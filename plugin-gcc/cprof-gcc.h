// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * cprof-gcc.h - what the files of the cprof GCC plugin share.
 *
 * The plugin is split by job: cprof-plugin.cc (options, registration),
 * attribute.cc (the `profile` attribute, __CPROF__, which functions are
 * profiled), descriptor.cc (the runtime declarations and the per-function
 * struct cprof_fn), calls-pass.cc (enter/exit), stmt-lines.cc (which line
 * a statement starts), lines-pass.cc (where line probes go) and
 * hit-counters.cc (the inline probes of the default and line-hits
 * modes).  What both plugins decide alike (options, selection, line
 * ranges) is in plugin-common/.  GCC's headers are included here once,
 * in the order they need, after the standard ones that the shared header
 * pulls in.
 */
#ifndef CPROF_GCC_H
#define CPROF_GCC_H

#include "cprof-policy.h"

/* GCC's headers depend on each other's order: keep this one. */
// clang-format off
#include "gcc-plugin.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "basic-block.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "gimple-walk.h"
#include "tree-cfg.h"
#include "cgraph.h"
#include "stringpool.h"
#include "attribs.h"
#include "stor-layout.h"
#include "cp/cp-tree.h" /* before diagnostic-core.h; only its tree macros */
#include "diagnostic-core.h"
#include "langhooks.h"
#include "c-family/c-pragma.h"
// clang-format on

#include "cprof/abi.h"

/*
 * lto1 loads the plugin as well but has no C preprocessor.  Declaring the
 * front-end symbols weak lets the plugin load there; they are only used
 * from the PLUGIN_PRAGMAS callback, which only C and C++ front ends run.
 */
extern cpp_reader *parse_in __attribute__((weak));
extern void cpp_define(cpp_reader *, const char *) __attribute__((weak));
extern cpp_options *cpp_get_options(cpp_reader *) __attribute__((weak));

/* The arguments, parsed once by plugin_init (cprof-plugin.cc). */
extern cprof::Options cprof_opts;

/* attribute.cc */
void cprof_register_attribute(void *gcc_data, void *user_data);
void cprof_define_macro(void *gcc_data, void *user_data);
bool cprof_selected(tree fndecl);

/* descriptor.cc */
extern const struct ggc_root_tab cprof_ggc_roots[];
void cprof_build_decls(void *gcc_data, void *user_data);
tree cprof_frame_type(void);
tree cprof_enter_decl(void);
tree cprof_line_decl(void);
tree cprof_exit_decl(void);
tree cprof_resume_decl(void);
bool cprof_calls(const gimple *stmt, tree callee);
bool cprof_is_probe(const gimple *stmt);
tree cprof_new_descriptor(tree fndecl);
char *cprof_readable_name(tree fndecl); /* the caller frees it */
void cprof_set_line_range(tree desc, tree fndecl,
                          const cprof::LineRange &lines);

/* stmt-lines.cc */
unsigned cprof_line_in(location_t loc, const char *file);
unsigned cprof_stmt_line(gimple *stmt, const char *file);
void cprof_mark_returns(tree fndecl, tree frame);

/* hit-counters.cc: the probes of the default and the line-hits mode */
struct cprof_hit_counters {
  tree lines; /* the frame's struct cprof_file_line array */
  tree cur;   /* the slot the frame is on */
  tree frame; /* whose head's line each probe sets; NULL_TREE: none does */
};
struct cprof_hit_counters cprof_start_hit_counters(gcall *enter,
                                                   bool store_line);
void cprof_count_hit(gimple_stmt_iterator *gsi,
                     const struct cprof_hit_counters *c, unsigned slot);

/* calls-pass.cc and lines-pass.cc */
opt_pass *cprof_make_calls_pass(gcc::context *ctx);
opt_pass *cprof_make_lines_pass(gcc::context *ctx);

#endif /* CPROF_GCC_H */
