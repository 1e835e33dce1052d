// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * attribute.cc - which functions cprof profiles.
 *
 * The `profile` attribute marks a function; -fplugin-arg-cprof-all and
 * -fplugin-arg-cprof-functions= add more.  __CPROF__ tells code that the
 * attribute exists.
 */
#include "cprof-gcc.h"

/* Runs for every use of the attribute on a declaration. */
static tree handle_profile(tree *node, tree name, tree args, int,
                           bool *no_add) {
  if (args) {
    error("%qE attribute takes no arguments", name);
    *no_add = true;
  } else if (TREE_CODE(*node) != FUNCTION_DECL) {
    warning(OPT_Wattributes, "%qE attribute only applies to functions; ignored",
            name);
    *no_add = true;
  }
  return NULL_TREE;
}

/* A naked function has no prologue to put the enter call in. */
static const struct attribute_spec::exclusions profile_exclusions[] = {
    {"naked", true, false, false},
    {NULL, false, false, false},
};

static const struct attribute_spec profile_attribute = {
    "profile",         /* name */
    0,                 /* min_length */
    -1,                /* max_length: any, so the handler says what's wrong */
    true,              /* decl_required */
    false,             /* type_required */
    false,             /* function_type_required */
    false,             /* affects_type_identity */
    handle_profile,    /* handler */
    profile_exclusions /* exclude */
};

/* PLUGIN_ATTRIBUTES: it lands in the gnu namespace, so [[gnu::profile]]. */
void cprof_register_attribute(void *, void *) {
  register_attribute(&profile_attribute);
}

/*
 * PLUGIN_PRAGMAS runs once the preprocessor exists and before it reads the
 * source, also under -E; from plugin_init cc1 would crash.  Preprocessed
 * input (-save-temps) already carries the macro's effects.
 */
void cprof_define_macro(void *, void *) {
  if (!&parse_in || !parse_in || cpp_get_options(parse_in)->preprocessed)
    return;
  cpp_define(parse_in, "__CPROF__");
}

/* What -fplugin-arg-cprof-functions= may call it; nothing if unnamed. */
static cprof::FunctionNames names_of(tree fndecl) {
  const char *symbol;
  char *readable;

  if (!DECL_NAME(fndecl))
    return {};
  symbol = IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(fndecl));
  readable = cprof_readable_name(fndecl);
  cprof::FunctionNames names = {IDENTIFIER_POINTER(DECL_NAME(fndecl)),
                                lang_hooks.decl_printable_name(fndecl, 1),
                                {symbol + (symbol[0] == '*')},
                                readable};
  free(readable);
  return names;
}

/*
 * G++'s deleting destructor (symbol ...D0Ev) runs the destructor proper,
 * which is profiled on its own, and then operator delete: profiling it too
 * would count every `delete` as two destructor calls.  G++ names it with
 * an identifier no source can spell.
 */
static bool is_deleting_destructor(tree fndecl) {
  return DECL_NAME(fndecl) && id_equal(DECL_NAME(fndecl), "__dt_del ");
}

/*
 * G++ marks a lambda's call operator artificial, like the members it
 * makes up itself (the closure's conversion to a function pointer and
 * the static _FUN that implements it, which only calls the operator), but
 * its body is the user's.
 */
static bool is_lambda_body(tree fndecl) {
  tree scope = DECL_CONTEXT(fndecl);

  return scope && TYPE_P(scope) && LAMBDA_TYPE_P(scope) && DECL_NAME(fndecl) &&
         id_equal(DECL_NAME(fndecl), "operator()");
}

/*
 * The rule is plugin-common/select.cc's.  The attribute, not
 * DECL_NO_INSTRUMENT_FUNCTION_ENTRY_EXIT: GCC sets that flag on every
 * function when -finstrument-functions is off.
 */
bool cprof_selected(tree fndecl) {
  tree attributes = DECL_ATTRIBUTES(fndecl);
  cprof::Candidate c = {
      lookup_attribute("profile", attributes) != NULL_TREE,
      lookup_attribute("naked", attributes) != NULL_TREE,
      (!DECL_ARTIFICIAL(fndecl) || is_lambda_body(fndecl)) &&
          !DECL_IN_SYSTEM_HEADER(fndecl) &&
          !lookup_attribute("no_instrument_function", attributes),
      [fndecl] { return names_of(fndecl); },
  };

  return !is_deleting_destructor(fndecl) && cprof::selected(cprof_opts, c);
}
