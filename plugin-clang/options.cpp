// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * options.cpp - the plugin's arguments, parsed by plugin-common/options.cc
 * from the table in include/cprof/options.def.
 *
 * The driver turns -fplugin-arg-NAME-KEY[=VALUE] into cc1's -plugin-arg-NAME
 * KEY[=VALUE] (it splits at the first '-', so the plugin's name has none
 * and keys may have them), and the front end hands the list to ParseArgs
 * of the action registered as NAME, "cprof_clang".  Arguments for "cprof",
 * the GCC plugin's spelling, are taken as well: clang keeps them for a
 * plugin of that name, and there is none.
 */
#include "cprof-clang.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace cprof {

static const char GccName[] = "cprof";

static void addArguments(const std::string &Plugin,
                         const std::vector<std::string> &Args,
                         std::vector<Argument> &Out) {
  for (const std::string &Arg : Args) {
    size_t Eq = Arg.find('=');
    Out.push_back({Plugin, Arg.substr(0, Eq), Eq != std::string::npos,
                   Eq != std::string::npos ? Arg.substr(Eq + 1) : ""});
  }
}

bool parseOptions(const CompilerInstance &CI,
                  const std::vector<std::string> &Args, Options &Opts) {
  const auto &ForGcc = CI.getFrontendOpts().PluginArgs;
  auto Gcc = ForGcc.find(GccName);
  std::vector<Argument> All;
  DiagnosticsEngine &Diags = CI.getDiagnostics();
  unsigned ID = Diags.getCustomDiagID(DiagnosticsEngine::Error, "%0");

  if (Gcc != ForGcc.end())
    addArguments(GccName, Gcc->second, All);
  addArguments(PluginName, Args, All);
  std::vector<std::string> Problems = parse_options(All, Opts);
  for (const std::string &Problem : Problems)
    Diags.Report(ID) << Problem;
  if (Opts.help)
    llvm::outs() << help_text();
  return Problems.empty();
}

} // namespace cprof
