// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * lines-pass.cc - the per-line probes.
 *
 * Runs right after "cfg": basic blocks exist, EH is lowered, and inlining
 * has not happened yet, so probes travel with a profiled function into its
 * callers.  A probe __cprof_line(frame, L - first_line) goes before the
 * first statement of line L in a block and before every statement that
 * moves to another line inside it, unless every path into the block
 * leaves the frame on L already (plugin-common/line-flow.cc: a loop on
 * one line then runs without probes).  The runtime counts a hit only when
 * the frame changes line, so block splitting or merging by the optimisers
 * cannot change the counts (the rule is in docs/lines.md).
 *
 * That is the timed-lines mode; in the default and the line-hits mode
 * the same sites get inline counters instead (hit-counters.cc).
 *
 * Left out: blocks only exceptions reach (landing pads and the cleanups
 * they run, which carry the lines of the scopes they close) and whatever
 * runs after the exit call.  Which statements start a line at all is
 * stmt-lines.cc's business; that includes the return markers, probes with
 * an absolute line that this pass rebases like the ones it inserts, or
 * removes where the frame is on their line already.
 */
#include "cprof-gcc.h"

struct probe_site {
  gimple *stmt;  /* the probe goes before it, or is it (a return marker) */
  unsigned line; /* absolute source line */
};

/* The enter call of a function calls-pass.cc instrumented, or NULL. */
static gcall *find_enter(function *fn) {
  basic_block first = single_succ(ENTRY_BLOCK_PTR_FOR_FN(fn));

  for (gimple_stmt_iterator gsi = gsi_start_bb(first); !gsi_end_p(gsi);
       gsi_next(&gsi)) {
    gimple *stmt = gsi_stmt(gsi);
    if (cprof_calls(stmt, cprof_enter_decl()))
      return as_a<gcall *>(stmt);
  }
  return NULL;
}

/*
 * Marks the blocks ordinary control flow reaches: from the entry, or from
 * a catch handler (the targets of an eh_dispatch), never along EH edges.
 */
static void mark_ordinary_blocks(function *fn, sbitmap ordinary) {
  auto_vec<basic_block> work;
  basic_block bb;

  bitmap_clear(ordinary);
  work.safe_push(ENTRY_BLOCK_PTR_FOR_FN(fn));
  FOR_EACH_BB_FN(bb, fn) {
    gimple *last = last_stmt(bb);
    if (last && gimple_code(last) == GIMPLE_EH_DISPATCH)
      for (edge e : bb->succs)
        work.safe_push(e->dest);
  }
  while (!work.is_empty()) {
    bb = work.pop();
    if (!bitmap_set_bit(ordinary, bb->index))
      continue;
    for (edge e : bb->succs)
      if (!(e->flags & EDGE_EH))
        work.safe_push(e->dest);
  }
}

static bool is_setjmp_like(const gimple *stmt) {
  return is_gimple_call(stmt) && (gimple_call_flags(stmt) & ECF_RETURNS_TWICE);
}

/*
 * What line-flow.cc needs to know of `bb`: the line of its last site,
 * whether a setjmp-like call may resume it on any line, and whether
 * control comes in other than by an ordinary jump from an ordinary block.
 */
static cprof::ProbeBlock describe_block(basic_block bb, const char *file,
                                        sbitmap ordinary) {
  cprof::ProbeBlock block;

  for (edge e : bb->preds)
    if (e->src->index == ENTRY_BLOCK ||
        (e->flags & (EDGE_EH | EDGE_ABNORMAL)) ||
        !bitmap_bit_p(ordinary, e->src->index))
      block.entered_elsewhere = true;
    else
      block.preds.push_back(e->src->index);
  for (gimple_stmt_iterator gsi = gsi_start_bb(bb);
       !gsi_end_p(gsi) && !cprof_calls(gsi_stmt(gsi), cprof_exit_decl());
       gsi_next(&gsi)) {
    unsigned line = cprof_stmt_line(gsi_stmt(gsi), file);
    block.last = line ? line : block.last;
    block.forgets |= is_setjmp_like(gsi_stmt(gsi));
  }
  return block;
}

/*
 * Adds a site wherever the frame moves to another line within `bb`, up to
 * the exit call; it enters `bb` on line `current` (0: unknown).  Markers
 * that would change nothing go.
 */
static void find_sites(basic_block bb, const char *file, unsigned current,
                       vec<probe_site> *sites) {
  gimple_stmt_iterator gsi = gsi_start_bb(bb);

  while (!gsi_end_p(gsi) && !cprof_calls(gsi_stmt(gsi), cprof_exit_decl())) {
    gimple *stmt = gsi_stmt(gsi);
    unsigned line = cprof_stmt_line(stmt, file);
    if (line && line != current) {
      sites->safe_push({stmt, line});
      current = line;
    } else if (cprof_calls(stmt, cprof_line_decl())) {
      gsi_remove(&gsi, true);
      continue;
    }
    gsi_next(&gsi);
  }
}

/* Markers that ended up where exceptions alone go must not run. */
static void remove_markers(basic_block bb) {
  gimple_stmt_iterator gsi = gsi_start_bb(bb);

  while (!gsi_end_p(gsi)) {
    if (cprof_calls(gsi_stmt(gsi), cprof_line_decl()))
      gsi_remove(&gsi, true);
    else
      gsi_next(&gsi);
  }
}

/* Whether the function has OpenMP regions (calls-pass.cc warned). */
static bool has_omp(function *fn) {
  basic_block bb;

  FOR_EACH_BB_FN(bb, fn) {
    gimple *last = last_stmt(bb);
    if (last && is_gimple_omp(last))
      return true;
  }
  return false;
}

/* Probes take the line relative to the descriptor's first_line. */
static void insert_probes(tree frame, vec<probe_site> *sites, unsigned first) {
  for (probe_site &site : *sites) {
    tree index = build_int_cst(uint32_type_node, site.line - first);
    gimple_stmt_iterator gsi;
    gcall *probe;

    if (cprof_calls(site.stmt, cprof_line_decl())) {
      gimple_call_set_arg(site.stmt, 1, index);
      continue;
    }
    probe = gimple_build_call(cprof_line_decl(), 2, frame, index);
    gimple_set_location(probe, gimple_location(site.stmt));
    gsi = gsi_for_stmt(site.stmt);
    gsi_insert_before(&gsi, probe, GSI_SAME_STMT);
  }
}

/* Counters in place of probes and markers (the default, line-hits). */
static void insert_counters(gcall *enter, vec<probe_site> *sites,
                            unsigned first) {
  struct cprof_hit_counters c = cprof_start_hit_counters(
      enter, cprof_opts.line_mode == cprof::LineMode::sampled);

  for (probe_site &site : *sites) {
    gimple_stmt_iterator gsi = gsi_for_stmt(site.stmt);
    cprof_count_hit(&gsi, &c, site.line - first);
    if (cprof_calls(site.stmt, cprof_line_decl()))
      gsi_remove(&gsi, true);
  }
}

/* The line each ordinary block is entered on, by block index (0: unknown). */
static std::vector<unsigned> entry_lines(function *fn, const char *file,
                                         sbitmap ordinary) {
  std::vector<cprof::ProbeBlock> blocks(last_basic_block_for_fn(fn));
  basic_block bb;

  FOR_EACH_BB_FN(bb, fn) {
    if (bitmap_bit_p(ordinary, bb->index))
      blocks[bb->index] = describe_block(bb, file, ordinary);
    else
      blocks[bb->index].entered_elsewhere = true;
  }
  return cprof::lines_on_entry(blocks);
}

static unsigned int instrument_lines(function *fn) {
  gcall *enter = find_enter(fn);
  const char *file = DECL_SOURCE_FILE(fn->decl);
  auto_sbitmap ordinary(last_basic_block_for_fn(fn));
  auto_vec<probe_site> sites;
  cprof::LineRange lines;
  std::string why;
  basic_block bb;

  if (!enter || has_omp(fn))
    return 0;
  mark_ordinary_blocks(fn, ordinary);
  std::vector<unsigned> entry = entry_lines(fn, file, ordinary);
  FOR_EACH_BB_FN(bb, fn) {
    if (bitmap_bit_p(ordinary, bb->index))
      find_sites(bb, file, entry[bb->index], &sites);
    else
      remove_markers(bb);
  }
  if (sites.is_empty())
    return 0;
  for (probe_site &site : sites)
    lines.add(site.line);
  if (!cprof::lines_fit(cprof_opts, lines,
                        lang_hooks.decl_printable_name(fn->decl, 2), why)) {
    warning_at(DECL_SOURCE_LOCATION(fn->decl), 0, "cprof: %s", why.c_str());
    FOR_EACH_BB_FN(bb, fn)
    remove_markers(bb);
    return 0;
  }
  if (cprof_opts.line_counters())
    insert_counters(enter, &sites, lines.first);
  else
    insert_probes(gimple_call_lhs(enter), &sites, lines.first);
  cprof_set_line_range(TREE_OPERAND(gimple_call_arg(enter, 0), 0), fn->decl,
                       lines);
  return 0;
}

static const pass_data lines_pass_data = {
    GIMPLE_PASS,   /* type */
    "cprof_lines", /* name, for -fdump-tree-all */
    OPTGROUP_NONE, /* optinfo_flags */
    TV_NONE,       /* tv_id */
    PROP_cfg,      /* properties_required */
    0,             /* properties_provided */
    0,             /* properties_destroyed */
    0,             /* todo_flags_start */
    0,             /* todo_flags_finish */
};

namespace {
class lines_pass : public gimple_opt_pass {
public:
  lines_pass(gcc::context *ctx) : gimple_opt_pass(lines_pass_data, ctx) {}
  bool gate(function *fn) override { return cprof_selected(fn->decl); }
  unsigned int execute(function *fn) override { return instrument_lines(fn); }
};
} // namespace

opt_pass *cprof_make_lines_pass(gcc::context *ctx) {
  return new lines_pass(ctx);
}
