// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * options.cpp - the plugin's arguments.
 *
 * The driver turns -fplugin-arg-cprof_clang-KEY[=VALUE] into cc1's
 * -plugin-arg-cprof_clang KEY[=VALUE] (it splits at the first '-', so the
 * plugin's name has none and keys may have them), and the front end hands
 * the list to ParseArgs of the action registered under that name.
 */
#include "cprof-clang.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

using namespace clang;

namespace cprof {

/* Reports `Message` as an error; always false, for `return error(...)`. */
static bool error(const CompilerInstance &CI, const llvm::Twine &Message) {
  DiagnosticsEngine &Diags = CI.getDiagnostics();
  unsigned ID = Diags.getCustomDiagID(DiagnosticsEngine::Error, "%0");

  Diags.Report(ID) << Message.str();
  return false;
}

static std::string spelling(llvm::StringRef Key) {
  return (llvm::Twine("'-fplugin-arg-") + PluginName + "-" + Key + "'").str();
}

/* A flag given a value is a typo worth stopping for. */
static bool flag(const CompilerInstance &CI, llvm::StringRef Key,
                 bool HasValue) {
  if (HasValue)
    return error(CI, spelling(Key) + " takes no value");
  return true;
}

static bool parseFunctions(const CompilerInstance &CI, llvm::StringRef List,
                           Options &Opts) {
  llvm::SmallVector<llvm::StringRef, 8> Names;

  List.split(Names, ',', -1, /*KeepEmpty=*/false);
  if (Names.empty())
    return error(CI, spelling("functions") +
                         " needs a list: " + spelling("functions=a,b"));
  for (llvm::StringRef Name : Names)
    Opts.Functions.push_back(Name.trim().str());
  return true;
}

static bool parseOne(const CompilerInstance &CI, llvm::StringRef Arg,
                     Options &Opts) {
  auto [Key, Value] = Arg.split('=');
  bool HasValue = Key.size() < Arg.size();

  if (Key == "all") {
    Opts.All = true;
    return flag(CI, Key, HasValue);
  }
  if (Key == "no-lines") {
    Opts.NoLines = true;
    return flag(CI, Key, HasValue);
  }
  if (Key == "counts-only") {
    Opts.CountsOnly = true;
    return flag(CI, Key, HasValue);
  }
  if (Key == "line-hits") {
    Opts.LineHits = true;
    return flag(CI, Key, HasValue);
  }
  if (Key == "memory") {
    Opts.Memory = true;
    return flag(CI, Key, HasValue);
  }
  if (Key == "functions")
    return parseFunctions(CI, Value, Opts);
  return error(CI, "unknown option " + spelling(Key) +
                       " (the cprof plugin takes all, functions=a,b, "
                       "no-lines, counts-only, line-hits and memory)");
}

/* Line probes unless no-lines; timed ones need timers, counters do not. */
static bool chooseLineMode(const CompilerInstance &CI, Options &Opts) {
  if (Opts.NoLines && Opts.LineHits)
    return error(CI, spelling("no-lines") + " and " + spelling("line-hits") +
                         " contradict each other");
  Opts.Lines = !Opts.NoLines && (!Opts.CountsOnly || Opts.LineHits);
  return true;
}

/*
 * The GCC plugin's spelling, -fplugin-arg-cprof-KEY, would otherwise be
 * dropped without a word: clang ignores arguments for plugins it lacks.
 */
static bool checkGccSpelling(const CompilerInstance &CI) {
  const auto &All = CI.getFrontendOpts().PluginArgs;
  auto It = All.find("cprof");

  if (It == All.end() || It->second.empty())
    return true;
  return error(CI, "'-fplugin-arg-cprof-" + It->second.front() +
                       "' is the GCC plugin's spelling; with clang write " +
                       spelling(It->second.front()));
}

bool parseOptions(const CompilerInstance &CI,
                  const std::vector<std::string> &Args, Options &Opts) {
  bool Ok = checkGccSpelling(CI);

  for (const std::string &Arg : Args)
    Ok = parseOne(CI, Arg, Opts) && Ok;
  return Ok && chooseLineMode(CI, Opts);
}

} // namespace cprof
