// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * action.cpp - the front-end plugin action.
 *
 * Registered as "cprof_clang", the name -fplugin-arg-cprof_clang-KEY
 * addresses (options.cpp takes -fplugin-arg-cprof-KEY too), and run
 * before the main action (AddBeforeMainAction), so that it is active from
 * -fplugin= alone and its consumer sees every declaration before the main
 * code generator does.  When it creates its consumer it
 *
 *   - defines __CPROF__ (include/cprof.h tests it);
 *   - adds this shared object to the pass plugins the backend loads, so
 *     the user needs no -fpass-plugin= (plugin.cpp is that half);
 *   - refuses set-ups where that pass would never run.
 *
 * The consumer keeps profiled empty destructors from becoming aliases
 * (destructors.cpp), records declarations for the shadow code generator
 * and, once the unit is parsed, leaves a description of the profiled
 * functions for the pass (describe.cpp).
 */
#include "cprof-clang.h"

#include <climits>
#include <cstdlib>
#include <dlfcn.h>

#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Passes/PassPlugin.h"

using namespace clang;

namespace cprof {

const char PluginName[] = "cprof_clang";

namespace {

class UnitConsumer : public RecordingConsumer {
public:
  UnitConsumer(CompilerInstance &CI, StringRef InFile, const Options &Opts)
      : CI(CI), ModuleId(InFile.str()), Opts(Opts) {}

  /* Our consumer sees each definition before the code generator does. */
  bool HandleTopLevelDecl(DeclGroupRef D) override {
    for (Decl *Each : D)
      keepOwnDestructor(CI.getASTContext(), Opts, Each);
    return RecordingConsumer::HandleTopLevelDecl(D);
  }

  void HandleInlineFunctionDefinition(FunctionDecl *D) override {
    keepOwnDestructor(CI.getASTContext(), Opts, D);
    RecordingConsumer::HandleInlineFunctionDefinition(D);
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    std::vector<const FunctionDecl *> Fns;

    if (CI.getDiagnostics().hasErrorOccurred())
      return;
    Fns = selectFunctions(Ctx, Opts);
    keepOwnDestructors(Ctx, Fns);
    if (!Fns.empty())
      setCurrentUnit(describeUnit(CI, Ctx, *this, ModuleId, Opts, Fns));
  }

private:
  CompilerInstance &CI;
  std::string ModuleId; /* the main code generator names its module so */
  Options Opts;
};

void report(CompilerInstance &CI, DiagnosticsEngine::Level Level,
            StringRef Message) {
  DiagnosticsEngine &Diags = CI.getDiagnostics();

  Diags.Report(Diags.getCustomDiagID(Level, "%0"))
      << (Twine(PluginName) + ": " + Message).str();
}

/* Only actions that run the IR passes have anything to instrument. */
bool generatesCode(const CompilerInstance &CI) {
  switch (CI.getFrontendOpts().ProgramAction) {
  case frontend::EmitAssembly:
  case frontend::EmitBC:
  case frontend::EmitLLVM:
  case frontend::EmitLLVMOnly:
  case frontend::EmitCodeGenOnly:
  case frontend::EmitObj:
    return true;
  default:
    return false;
  }
}

/* Whether the backend will run the pass; says why not, if not. */
bool pipelineRunsPass(CompilerInstance &CI) {
  const CodeGenOptions &Opts = CI.getCodeGenOpts();

  if (Opts.LegacyPassManager) {
    report(CI, DiagnosticsEngine::Error,
           "-flegacy-pass-manager is not supported: the plugin's pass runs "
           "under the new pass manager only; drop the option");
    return false;
  }
  if (Opts.DisableLLVMPasses) {
    report(CI, DiagnosticsEngine::Warning,
           "no LLVM passes run in this step (-save-temps or "
           "-disable-llvm-passes), so nothing is profiled; build without "
           "them");
    return false;
  }
  return true;
}

std::string realPath(const char *Path) {
  char Buf[PATH_MAX];

  return Path && realpath(Path, Buf) ? std::string(Buf) : std::string();
}

/*
 * The backend dlopens every path in PassPlugins; giving it our own file
 * makes it the same loaded object, so the pass sees the front end's data.
 * Ours goes first: should -fpass-plugin= name a copy of this file, the
 * copy's pass then finds the module already done (instrument.cpp).
 */
bool addPassPlugin(CompilerInstance &CI) {
  std::vector<std::string> &Plugins = CI.getCodeGenOpts().PassPlugins;
  Dl_info Info;
  std::string Self;

  if (dladdr(reinterpret_cast<void *>(&llvmGetPassPluginInfo), &Info))
    Self = realPath(Info.dli_fname);
  if (Self.empty()) {
    report(CI, DiagnosticsEngine::Error,
           "cannot find the path of the plugin's own shared object");
    return false;
  }
  llvm::erase_if(Plugins, [&](const std::string &Path) {
    return realPath(Path.c_str()) == Self; /* -fpass-plugin= named it too */
  });
  Plugins.insert(Plugins.begin(), Self);
  return true;
}

/* Before the preprocessor reads the predefines, i.e. the main file. */
void defineMacro(CompilerInstance &CI) {
  Preprocessor &PP = CI.getPreprocessor();

  PP.setPredefines(PP.getPredefines() + "#define __CPROF__ 1\n");
}

class Action : public PluginASTAction {
public:
  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    return parseOptions(CI, Args, Opts);
  }

  ActionType getActionType() override { return AddBeforeMainAction; }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef InFile) override {
    defineMacro(CI);
    setCurrentUnit(nullptr); /* a previous unit's, in this same process */
    if (!generatesCode(CI) || !pipelineRunsPass(CI) || !addPassPlugin(CI))
      return std::make_unique<ASTConsumer>();
    return std::make_unique<UnitConsumer>(CI, InFile, Opts);
  }

private:
  Options Opts;
};

} // namespace
} // namespace cprof

static FrontendPluginRegistry::Add<cprof::Action>
    CprofAction(cprof::PluginName, "cprof: profile functions (see cprof.h)");
