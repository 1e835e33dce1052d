// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * hit-counters.cc - line probes as inline counters (the default and the
 * line-hits mode).
 *
 * Instead of calling __cprof_line, a probe for slot K becomes
 *
 *     changed = cur != K;
 *     lines[K].hits += changed;
 *     cur = K;
 *     head->line = K;            (the default mode: a volatile store)
 *
 * where `lines` is loaded once from the frame's head after the enter
 * call and `cur` is a local (cprof/abi.h, struct cprof_frame_head).  The
 * sequence is branch-free so that the pass needs no new blocks, and it
 * runs before "ssa": constant propagation then knows `cur` almost
 * everywhere, and most probes shrink to a single add to memory, and the
 * store.  The store is volatile so that the optimisers neither drop it
 * (only the runtime's signal handler reads it) nor merge it with the
 * next line's.
 */
#include "cprof-gcc.h"
#include "gimple-fold.h"

/* lines[slot].hits, as a memory reference. */
static tree hits_of(tree lines, unsigned slot) {
  unsigned long offset = slot * sizeof(struct cprof_file_line) +
                         offsetof(struct cprof_file_line, hits);

  return build2(MEM_REF, uint64_type_node, lines,
                build_int_cst(build_pointer_type(uint64_type_node), offset));
}

/* head->line, as a volatile memory reference. */
static tree line_of(tree frame) {
  tree type = build_qualified_type(uint32_type_node, TYPE_QUAL_VOLATILE);
  tree ref = build2(MEM_REF, type, frame,
                    build_int_cst(build_pointer_type(uint32_type_node),
                                  offsetof(struct cprof_frame_head, line)));

  TREE_THIS_VOLATILE(ref) = 1;
  TREE_SIDE_EFFECTS(ref) = 1;
  return ref;
}

/* Loads the frame's counters after `enter`; the frame is on no line yet. */
struct cprof_hit_counters cprof_start_hit_counters(gcall *enter,
                                                   bool store_line) {
  struct cprof_hit_counters c;
  tree frame = gimple_call_lhs(enter);
  tree head = build2(MEM_REF, ptr_type_node, frame,
                     build_int_cst(build_pointer_type(ptr_type_node),
                                   offsetof(struct cprof_frame_head, lines)));
  gimple_stmt_iterator gsi = gsi_for_stmt(enter);
  gimple *load, *reset;

  c.frame = store_line ? frame : NULL_TREE;
  c.lines = create_tmp_reg(ptr_type_node, "cprof_lines");
  c.cur = create_tmp_reg(uint32_type_node, "cprof_cur");
  load = gimple_build_assign(c.lines, head);
  reset = gimple_build_assign(
      c.cur, build_int_cst(uint32_type_node, CPROF_NO_LINE_SLOT));
  gimple_set_location(load, gimple_location(enter));
  gimple_set_location(reset, gimple_location(enter));
  gsi_insert_after(&gsi, load, GSI_NEW_STMT);
  gsi_insert_after(&gsi, reset, GSI_NEW_STMT);
  return c;
}

/* Counts a hit of `slot` before the statement at `gsi`. */
void cprof_count_hit(gimple_stmt_iterator *gsi,
                     const struct cprof_hit_counters *c, unsigned slot) {
  location_t loc = gimple_location(gsi_stmt(*gsi));
  tree k = build_int_cst(uint32_type_node, slot);
  tree old = create_tmp_reg(uint64_type_node, "cprof_hits");
  gimple_seq seq = NULL;
  tree changed, sum;
  gimple *stmt;

  changed = gimple_build(&seq, loc, NE_EXPR, boolean_type_node, c->cur, k);
  changed = gimple_convert(&seq, loc, uint64_type_node, changed);
  stmt = gimple_build_assign(old, hits_of(c->lines, slot));
  gimple_set_location(stmt, loc);
  gimple_seq_add_stmt(&seq, stmt);
  sum = gimple_build(&seq, loc, PLUS_EXPR, uint64_type_node, old, changed);
  stmt = gimple_build_assign(hits_of(c->lines, slot), sum);
  gimple_set_location(stmt, loc);
  gimple_seq_add_stmt(&seq, stmt);
  stmt = gimple_build_assign(c->cur, k);
  gimple_set_location(stmt, loc);
  gimple_seq_add_stmt(&seq, stmt);
  if (c->frame) {
    stmt = gimple_build_assign(line_of(c->frame), k);
    gimple_set_location(stmt, loc);
    gimple_seq_add_stmt(&seq, stmt);
  }
  gsi_insert_seq_before(gsi, seq, GSI_SAME_STMT);
}
