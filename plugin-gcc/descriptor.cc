// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * descriptor.cc - what the instrumented code refers to: the runtime entry
 * points and one static struct cprof_fn per profiled function.
 *
 * The descriptor's type is built from CPROF_FN_FIELDS in cprof/abi.h, and
 * its initialiser is filled through the same list from a host-side struct
 * cprof_fn, so the layout is spelled in one place only.
 */
#include "cprof-gcc.h"
#include "varasm.h"

/*
 * libiberty's demangler is linked into every GCC compiler binary, but the
 * plugin headers do not ship demangle.h; these are its declarations.
 */
extern "C" char *cplus_demangle_v3(const char *mangled, int options);
#define DMGL_PARAMS (1 << 0) /* include the parameter list */
#define DMGL_ANSI (1 << 1)   /* include const, volatile */

/* Trees kept for the whole unit; roots for GCC's garbage collector. */
enum { FN_TYPE, ENTER_DECL, LINE_DECL, EXIT_DECL, RESUME_DECL, NTREES };
static tree cprof_trees[NTREES];

const struct ggc_root_tab cprof_ggc_roots[] = {
    {cprof_trees, NTREES, sizeof(cprof_trees[0]), &gt_ggc_mx_tree_node,
     &gt_pch_nx_tree_node},
    LAST_GGC_ROOT_TAB,
};

/* The frame is opaque to instrumented code: a plain pointer will do. */
tree cprof_frame_type(void) { return ptr_type_node; }
tree cprof_enter_decl(void) { return cprof_trees[ENTER_DECL]; }
tree cprof_line_decl(void) { return cprof_trees[LINE_DECL]; }
tree cprof_exit_decl(void) { return cprof_trees[EXIT_DECL]; }
tree cprof_resume_decl(void) { return cprof_trees[RESUME_DECL]; }

/* The C types behind the KINDs of CPROF_FN_FIELDS. */
static tree type_U32(void) { return uint32_type_node; }
static tree type_STR(void) {
  return build_pointer_type(
      build_qualified_type(char_type_node, TYPE_QUAL_CONST));
}

static tree prepend_field(tree fields, const char *name, tree type) {
  tree field =
      build_decl(BUILTINS_LOCATION, FIELD_DECL, get_identifier(name), type);
  DECL_CHAIN(field) = fields;
  return field;
}

/* struct cprof_fn; finish_builtin_struct expects the fields reversed. */
static tree build_fn_type(void) {
  tree type = make_node(RECORD_TYPE);
  tree fields = NULL_TREE;

#define CPROF_PREPEND(kind, name)                                              \
  fields = prepend_field(fields, #name, type_##kind());
  CPROF_FN_FIELDS(CPROF_PREPEND)
#undef CPROF_PREPEND
  finish_builtin_struct(type, "cprof_fn", fields, NULL_TREE);
  return type;
}

/*
 * Runtime calls neither throw (so they add no EH edges, and the exit call
 * is safe inside an unwinding cleanup) nor call back into this unit (leaf:
 * the optimisers may keep the unit's statics in registers across them).
 */
static tree runtime_decl(const char *name, tree ret, tree arg1, tree arg2) {
  tree decl =
      build_fn_decl(name, build_function_type_list(ret, arg1, arg2, NULL_TREE));

  TREE_NOTHROW(decl) = 1;
  DECL_ATTRIBUTES(decl) =
      tree_cons(get_identifier("leaf"), NULL_TREE, DECL_ATTRIBUTES(decl));
  /* Call through the GOT, not the PLT: libcprof is usually a shared library. */
  DECL_ATTRIBUTES(decl) =
      tree_cons(get_identifier("noplt"), NULL_TREE, DECL_ATTRIBUTES(decl));
  DECL_ASSEMBLER_NAME(decl); /* set now, LTO streams it */
  return decl;
}

/*
 * What a runtime call does to memory, told to the optimisers with GCC's
 * internal "fn spec" attribute (attr-fnspec.h).  Without it each probe
 * would be a call that may write any memory the unit can reach: values
 * loaded before a line probe would be loaded again after it, so the
 * uninitialised-use analysis could no longer see that a variable's
 * definition and its use are guarded by the same condition, and warned
 * (-Wmaybe-uninitialized) where the build without cprof does not.  The
 * probes must leave the diagnostics as they were, so:
 *
 *   enter  "m "      the frame it returns is memory of the runtime's,
 *                    reached by no other pointer of the unit;
 *   line   ".cw . "  writes nothing but that frame (and reads nothing
 *                    else but the clock), nor lets it escape;
 *   exit, resume ". w "  do not let the frame escape either.
 *
 * The unit itself writes no frame but for the volatile head->line of the
 * default line mode (hit-counters.cc), which only the runtime's signal
 * handler reads, so nothing it stores can be reordered against the
 * runtime's use of one.
 */
static tree with_fnspec(tree decl, const char *spec) {
  tree attr =
      tree_cons(get_identifier("fn spec"),
                build_tree_list(NULL_TREE, build_string(strlen(spec), spec)),
                TYPE_ATTRIBUTES(TREE_TYPE(decl)));

  TREE_TYPE(decl) = build_type_attribute_variant(TREE_TYPE(decl), attr);
  return decl;
}

/* PLUGIN_START_UNIT: the declarations every instrumented function shares. */
void cprof_build_decls(void *, void *) {
  tree fn_ptr, frame = cprof_frame_type();

  cprof_trees[FN_TYPE] = build_fn_type();
  fn_ptr = build_pointer_type(cprof_trees[FN_TYPE]);
  cprof_trees[ENTER_DECL] =
      with_fnspec(runtime_decl(cprof_opts.counts_only ? CPROF_ENTER_COUNT_NAME
                                                      : CPROF_ENTER_NAME,
                               frame, fn_ptr, NULL_TREE),
                  "m ");
  cprof_trees[LINE_DECL] = with_fnspec(
      runtime_decl(CPROF_LINE_NAME, void_type_node, frame, uint32_type_node),
      ".cw . ");
  cprof_trees[EXIT_DECL] =
      with_fnspec(runtime_decl(cprof_opts.counts_only ? CPROF_EXIT_COUNT_NAME
                                                      : CPROF_EXIT_NAME,
                               void_type_node, frame, NULL_TREE),
                  ". w ");
  cprof_trees[RESUME_DECL] = with_fnspec(
      runtime_decl(CPROF_RESUME_NAME, void_type_node, frame, NULL_TREE),
      ". w ");
}

bool cprof_calls(const gimple *stmt, tree callee) {
  return is_gimple_call(stmt) && gimple_call_fndecl(stmt) == callee;
}

/* Whether `stmt` is one of the calls this plugin inserted. */
bool cprof_is_probe(const gimple *stmt) {
  return cprof_calls(stmt, cprof_enter_decl()) ||
         cprof_calls(stmt, cprof_line_decl()) ||
         cprof_calls(stmt, cprof_exit_decl()) ||
         cprof_calls(stmt, cprof_resume_decl());
}

static const char *symbol_name(tree fndecl) {
  const char *symbol = IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(fndecl));

  return symbol + (symbol[0] == '*'); /* '*' marks a verbatim asm name */
}

/*
 * The name users read, as in c++filt: "ns::Shape::area() const", "fib".
 * Demangling the symbol gives the same text other compilers' symbols give,
 * so profiles from GCC and Clang name functions alike.  Not mangled (C,
 * extern "C"): the name, qualified for C++.  The caller frees it.
 */
char *cprof_readable_name(tree fndecl) {
  char *name = cplus_demangle_v3(symbol_name(fndecl), DMGL_PARAMS | DMGL_ANSI);

  return name ? name : xstrdup(lang_hooks.decl_printable_name(fndecl, 1));
}

/* The source file as an absolute path; the caller frees it. */
static char *absolute_file(tree fndecl) {
  const char *file = DECL_SOURCE_FILE(fndecl);

  if (IS_ABSOLUTE_PATH(file))
    return xstrdup(file);
  while (file[0] == '.' && IS_DIR_SEPARATOR(file[1]))
    file += 2;
  return concat(getpwd(), "/", file, NULL);
}

/* Initial values, one overload per KIND of CPROF_FN_FIELDS. */
static tree field_value(tree type, uint32_t value) {
  return build_int_cst(type, value);
}

static tree field_value(tree type, const char *value) {
  return fold_convert(type, build_string_literal(strlen(value) + 1, value));
}

static tree build_initializer(const struct cprof_fn *values) {
  vec<constructor_elt, va_gc> *elts = NULL;
  tree field = TYPE_FIELDS(cprof_trees[FN_TYPE]);

#define CPROF_VALUE(kind, name)                                                \
  CONSTRUCTOR_APPEND_ELT(elts, field,                                          \
                         field_value(TREE_TYPE(field), values->name));         \
  field = DECL_CHAIN(field);
  CPROF_FN_FIELDS(CPROF_VALUE)
#undef CPROF_VALUE
  return build_constructor(cprof_trees[FN_TYPE], elts);
}

/*
 * (Re)writes the descriptor's initialiser for probes on `lines` (empty:
 * none).  Safe until the variable is output, which happens after every
 * function has been lowered.
 */
void cprof_set_line_range(tree desc, tree fndecl,
                          const cprof::LineRange &lines) {
  struct cprof_fn values = {};
  char *name = cprof_readable_name(fndecl);
  char *file = absolute_file(fndecl);

  cprof::describe_lines(cprof_opts, DECL_SOURCE_LINE(fndecl), lines, values);
  values.name = name;
  values.symbol = symbol_name(fndecl);
  values.file = file;
  DECL_INITIAL(desc) = build_initializer(&values);
  free(name);
  free(file);
}

/*
 * A pointer to cprof::LinkSymbol, kept though nothing reads it, so that
 * the unit needs libcprof by a name that says so.  Once per unit.
 */
static void refer_to_runtime(void) {
  static bool done;
  tree target, ref;

  if (done)
    return;
  done = true;
  target = build_decl(BUILTINS_LOCATION, VAR_DECL,
                      get_identifier(cprof::LinkSymbol), char_type_node);
  SET_DECL_ASSEMBLER_NAME(target, DECL_NAME(target));
  TREE_PUBLIC(target) = 1;
  DECL_EXTERNAL(target) = 1;
  DECL_ARTIFICIAL(target) = 1;
  ref = build_decl(BUILTINS_LOCATION, VAR_DECL, get_identifier("__cprof_link"),
                   ptr_type_node);
  SET_DECL_ASSEMBLER_NAME(ref, DECL_NAME(ref));
  TREE_STATIC(ref) = 1;
  TREE_READONLY(ref) = 1;
  TREE_USED(ref) = 1;
  DECL_ARTIFICIAL(ref) = 1;
  DECL_IGNORED_P(ref) = 1;
  DECL_PRESERVE_P(ref) = 1;
  DECL_INITIAL(ref) = fold_convert(ptr_type_node, build_fold_addr_expr(target));
  varpool_node::finalize_decl(ref);
}

/* A new static, writable descriptor for `fndecl` (the runtime sets id). */
tree cprof_new_descriptor(tree fndecl) {
  char *name = concat("__cprof_fn.", symbol_name(fndecl), NULL);
  tree desc = build_decl(DECL_SOURCE_LOCATION(fndecl), VAR_DECL,
                         get_identifier(name), cprof_trees[FN_TYPE]);

  /* Set the symbol ourselves: the C++ mangler knows nothing of this decl. */
  SET_DECL_ASSEMBLER_NAME(desc, DECL_NAME(desc));
  free(name);
  TREE_STATIC(desc) = 1;
  TREE_ADDRESSABLE(desc) = 1;
  TREE_USED(desc) = 1;
  DECL_ARTIFICIAL(desc) = 1;
  DECL_IGNORED_P(desc) = 1;
  cprof_set_line_range(desc, fndecl, cprof::LineRange());
  varpool_node::finalize_decl(desc);
  refer_to_runtime();
  return desc;
}
