// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * calls-pass.cc - the enter/exit instrumentation.
 *
 * Runs before "lower", on the still structured GIMPLE, and rewrites a
 * profiled function's body the way -finstrument-functions does:
 *
 *     frame = __cprof_enter(&desc);
 *     try { BODY } finally { __cprof_exit(frame); }
 *
 * Lowering then sends every return through the finally block, and EH
 * lowering copies it into the unwinding path, so each activation calls
 * exit exactly once however it ends.  After every setjmp-like call it adds
 * __cprof_resume(frame): when that call returns a second time, a longjmp
 * skipped the exits of the frames above, and the runtime closes them.
 */
#include "cprof-gcc.h"

/*
 * walk_gimple_seq callback: stops at the first OpenMP directive, otherwise
 * lets the walk go on into nested statements (*handled = false).
 */
static tree find_omp(gimple_stmt_iterator *gsi, bool *handled,
                     struct walk_stmt_info *) {
  *handled = is_gimple_omp(gsi_stmt(*gsi));
  return *handled ? integer_one_node : NULL_TREE;
}

/*
 * OpenMP regions become separate functions later ("ompexp"); those are not
 * instrumented, and the parent gets no line probes, since a probe inside a
 * region would refer to the parent's frame.  A note, not a warning: the
 * code is fine, and -Werror builds of OpenMP programs must go on.
 * Returns whether it said so.
 */
static bool warn_about_omp(tree fndecl) {
  struct walk_stmt_info wi = {};

  if (!walk_gimple_seq(gimple_body(fndecl), find_omp, NULL, &wi))
    return false;
  inform(DECL_SOURCE_LOCATION(fndecl),
         "cprof: %qD contains OpenMP directives: its calls are "
         "profiled, but not its lines nor its parallel regions",
         fndecl);
  return true;
}

/* walk_gimple_seq_mod callback: resume after each returns-twice call. */
static tree resume_after_setjmp(gimple_stmt_iterator *gsi, bool *handled,
                                struct walk_stmt_info *wi) {
  gimple *stmt = gsi_stmt(*gsi);

  *handled = false;
  if (is_gimple_call(stmt) && (gimple_call_flags(stmt) & ECF_RETURNS_TWICE)) {
    gcall *resume = gimple_build_call(cprof_resume_decl(), 1, (tree)wi->info);
    gimple_set_location(resume, gimple_location(stmt));
    gsi_insert_after(gsi, resume, GSI_SAME_STMT);
  }
  return NULL_TREE;
}

static void add_resumes(tree fndecl, tree frame) {
  struct walk_stmt_info wi = {};
  gimple_seq body = gimple_body(fndecl);

  wi.info = frame;
  walk_gimple_seq_mod(&body, resume_after_setjmp, NULL, &wi);
}

static unsigned int instrument_calls(tree fndecl) {
  tree desc = cprof_new_descriptor(fndecl);
  tree frame = create_tmp_var_raw(cprof_frame_type(), "cprof_frame");
  gcall *enter =
      gimple_build_call(cprof_enter_decl(), 1, build_fold_addr_expr(desc));
  gcall *exit = gimple_build_call(cprof_exit_decl(), 1, frame);
  gimple_seq body = NULL;
  bool omp = warn_about_omp(fndecl);

  if (cprof_opts.lines() && !omp)
    cprof_mark_returns(fndecl, frame);
  add_resumes(fndecl, frame);
  gimple_call_set_lhs(enter, frame);
  gimple_set_location(enter, DECL_SOURCE_LOCATION(fndecl));
  gimple_set_location(exit, cfun->function_end_locus);
  gimple_seq_add_stmt(&body, enter);
  gimple_seq_add_stmt(&body, gimple_build_try(gimple_body(fndecl),
                                              gimple_seq_alloc_with_stmt(exit),
                                              GIMPLE_TRY_FINALLY));
  /* The body must stay one GIMPLE_BIND; ours declares the frame. */
  gimple_set_body(fndecl, gimple_build_bind(frame, body, NULL_TREE));
  return 0;
}

static const pass_data calls_pass_data = {
    GIMPLE_PASS,     /* type */
    "cprof_calls",   /* name, for -fdump-tree-all */
    OPTGROUP_NONE,   /* optinfo_flags */
    TV_NONE,         /* tv_id */
    PROP_gimple_any, /* properties_required */
    0,               /* properties_provided */
    0,               /* properties_destroyed */
    0,               /* todo_flags_start */
    0,               /* todo_flags_finish */
};

namespace {
class calls_pass : public gimple_opt_pass {
public:
  calls_pass(gcc::context *ctx) : gimple_opt_pass(calls_pass_data, ctx) {}
  bool gate(function *fn) override { return cprof_selected(fn->decl); }
  unsigned int execute(function *fn) override {
    return instrument_calls(fn->decl);
  }
};
} // namespace

opt_pass *cprof_make_calls_pass(gcc::context *ctx) {
  return new calls_pass(ctx);
}
