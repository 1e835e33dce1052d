// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * stmt-lines.cc - which source line a GIMPLE statement starts.
 *
 * Only real code of the function's own file starts a line.  GCC's lowering
 * differs between -O0 and -O2 in a few ways that would show in the counts;
 * the exclusions here remove exactly those, so what is left is the same at
 * every level (docs/lines.md has the rule).
 *
 * Returns are the one kind of code lowering leaves no statement for (it
 * turns them into jumps), so before lowering each return gets a marker: a
 * probe carrying its absolute line, which lines-pass.cc later rebases.
 */
#include "cprof-gcc.h"

/* The line of `loc` when it is in `file`, else 0. */
unsigned cprof_line_in(location_t loc, const char *file) {
  expanded_location xloc;

  if (LOCATION_LOCUS(loc) == UNKNOWN_LOCATION)
    return 0;
  xloc = expand_location(loc);
  return xloc.file && !strcmp(xloc.file, file) ? xloc.line : 0;
}

/*
 * EH lowering's finally_tmp records which way to leave a finally block.
 * GCC uses it at -O0 but copies the block at -O2, and its stores carry the
 * lines of returns and breaks: counting them would make -O0 differ.
 */
static bool is_finally_tmp(tree var) {
  static const char prefix[] = "finally_tmp."; /* create_tmp_var numbers it */

  return var && VAR_P(var) && DECL_ARTIFICIAL(var) && DECL_NAME(var) &&
         !strncmp(IDENTIFIER_POINTER(DECL_NAME(var)), prefix,
                  sizeof prefix - 1);
}

/*
 * In a lambda's body G++ reads a capture ([k], [&n]) into a temporary
 * with a statement located at the capture, in the lambda's first line,
 * rather than at the use: counted, that line would be hit at every call
 * and the use's line entered again.  Clang locates the read at the use.
 */
static bool is_capture_read(gimple *stmt) {
  tree rhs = gimple_assign_rhs1(stmt);

  return gimple_assign_single_p(stmt) && TREE_CODE(rhs) == COMPONENT_REF &&
         LAMBDA_TYPE_P(TREE_TYPE(TREE_OPERAND(rhs, 0))) &&
         LOCATION_LOCUS(EXPR_LOCATION(rhs)) ==
             LOCATION_LOCUS(gimple_location(stmt));
}

/*
 * The line `stmt` starts, or 0 when it starts none.  Returns are left out:
 * the try/finally of calls-pass.cc moved every return after the exit call,
 * where the frame is gone (their markers stand for them).
 */
unsigned cprof_stmt_line(gimple *stmt, const char *file) {
  switch (gimple_code(stmt)) {
  case GIMPLE_ASSIGN:
    if (is_finally_tmp(gimple_assign_lhs(stmt)) || is_capture_read(stmt))
      return 0;
    break;
  case GIMPLE_COND:
    if (is_finally_tmp(gimple_cond_lhs(stmt)))
      return 0;
    break;
  case GIMPLE_SWITCH:
    if (is_finally_tmp(gimple_switch_index(as_a<gswitch *>(stmt))))
      return 0;
    break;
  case GIMPLE_CALL:
    if (cprof_calls(stmt, cprof_line_decl())) /* a return marker */
      return TREE_INT_CST_LOW(gimple_call_arg(stmt, 1));
    if (cprof_is_probe(stmt))
      return 0;
    break;
  case GIMPLE_LABEL:
  case GIMPLE_PREDICT:
  case GIMPLE_NOP:
  case GIMPLE_RETURN:
  case GIMPLE_DEBUG:
    return 0;
  default:
    break;
  }
  return cprof_line_in(gimple_location(stmt), file);
}

struct return_marking {
  tree frame;
  const char *file;
  unsigned end_line; /* the closing brace */
};

/* walk_gimple_seq_mod callback: a marker before each return. */
static tree mark_return(gimple_stmt_iterator *gsi, bool *handled,
                        struct walk_stmt_info *wi) {
  const struct return_marking *how = (const struct return_marking *)wi->info;
  gimple *stmt = gsi_stmt(*gsi);
  unsigned line;

  *handled = false;
  if (gimple_code(stmt) != GIMPLE_RETURN)
    return NULL_TREE;
  /* C++ adds the final return at the closing brace, C does not: skip it. */
  line = cprof_line_in(gimple_location(stmt), how->file);
  if (line && line != how->end_line) {
    gcall *marker = gimple_build_call(cprof_line_decl(), 2, how->frame,
                                      build_int_cst(uint32_type_node, line));
    gimple_set_location(marker, gimple_location(stmt));
    gsi_insert_before(gsi, marker, GSI_SAME_STMT);
  }
  return NULL_TREE;
}

/* Called by calls-pass.cc on the structured body, before "lower". */
void cprof_mark_returns(tree fndecl, tree frame) {
  struct return_marking how = {frame, DECL_SOURCE_FILE(fndecl), 0};
  struct walk_stmt_info wi = {};
  gimple_seq body = gimple_body(fndecl);

  how.end_line =
      cprof_line_in(DECL_STRUCT_FUNCTION(fndecl)->function_end_locus, how.file);
  wi.info = &how;
  walk_gimple_seq_mod(&body, mark_return, NULL, &wi);
}
