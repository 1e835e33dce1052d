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

/* Whether `name` is one of the comma-separated names in `list`. */
static bool in_list(const char *list, const char *name) {
  size_t len = strlen(name);

  for (const char *p = list; p; p = strchr(p, ',')) {
    if (*p == ',')
      p++;
    if (!strncmp(p, name, len) && (p[len] == ',' || p[len] == '\0'))
      return true;
  }
  return false;
}

/* -fplugin-arg-cprof-functions= accepts any of the names users see. */
static bool named_in_options(tree fndecl) {
  const char *symbol = IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(fndecl));

  if (!cprof_opt_functions || !DECL_NAME(fndecl))
    return false;
  return in_list(cprof_opt_functions, IDENTIFIER_POINTER(DECL_NAME(fndecl))) ||
         in_list(cprof_opt_functions,
                 lang_hooks.decl_printable_name(fndecl, 1)) ||
         in_list(cprof_opt_functions, symbol + (symbol[0] == '*'));
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
 * The attribute wins over everything but `naked`.  The options skip code the
 * user did not write (compiler-generated functions, system headers) and
 * functions that opted out of instrumentation.
 */
bool cprof_selected(tree fndecl) {
  if (lookup_attribute("naked", DECL_ATTRIBUTES(fndecl)) ||
      is_deleting_destructor(fndecl))
    return false;
  if (lookup_attribute("profile", DECL_ATTRIBUTES(fndecl)))
    return true;
  /*
   * The attribute, not DECL_NO_INSTRUMENT_FUNCTION_ENTRY_EXIT: GCC sets
   * that flag on every function when -finstrument-functions is off.
   */
  if (DECL_ARTIFICIAL(fndecl) || DECL_IN_SYSTEM_HEADER(fndecl) ||
      lookup_attribute("no_instrument_function", DECL_ATTRIBUTES(fndecl)))
    return false;
  return cprof_opt_all || named_in_options(fndecl);
}
