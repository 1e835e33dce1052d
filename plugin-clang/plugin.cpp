// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * plugin.cpp - the cprof Clang plugin: the IR pass's registration.
 *
 * cprof is a deterministic profiler.  This plugin makes the functions to
 * profile call the cprof runtime (include/cprof/abi.h):
 *
 *     clang -fplugin=cprof_clang.so -O2 app.c -lcprof
 *
 * Which functions: those marked __attribute__((profile)) or
 * [[gnu::profile]] (attribute.cpp), plus the ones the options name
 * (select.cpp).  The plugin defines __CPROF__.
 *
 * Options, -fplugin-arg-cprof_clang-KEY[=VALUE] or the GCC plugin's
 * -fplugin-arg-cprof-KEY[=VALUE]: the table in include/cprof/options.def,
 * parsed by plugin-common/options.cc for the front-end action registered
 * as "cprof_clang" (action.cpp, options.cpp).
 *
 * One shared object, two plugins: the front-end action (action.cpp) is
 * loaded by -fplugin= and hands this same file to the backend as a pass
 * plugin, which calls llvmGetPassPluginInfo() below.  The pass runs at
 * the start of the pipeline, before any inlining, so an inlined profiled
 * function keeps its probes; it is required, so -O0 runs it too.
 *
 * Not supported: -flegacy-pass-manager (an error) and -save-temps (a
 * warning: the step that runs the passes has no front end, so nothing is
 * profiled).  Under -E no AST action runs, so __CPROF__ is not defined.
 *
 * Debugging:
 *   - clang -S -emit-llvm -fplugin=... shows the instrumented IR;
 *   - -mllvm -print-after-all shows the module after each pass, this one
 *     as "cprof::ProfilePass";
 *   - opt -load-pass-plugin=cprof_clang.so -passes=cprof runs the pass
 *     alone on IR; it profiles the functions carrying
 *     __attribute__((annotate("cprof.profile"))) and takes lines from -g.
 */
#include "cprof-clang.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"

using namespace llvm;

namespace cprof {

class ProfilePass : public PassInfoMixin<ProfilePass> {
public:
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    return instrumentModule(M) ? PreservedAnalyses::none()
                               : PreservedAnalyses::all();
  }

  /* Run at -O0 and on optnone functions too. */
  static bool isRequired() { return true; }
};

} // namespace cprof

namespace {

const char PassName[] = "cprof";

void registerCallbacks(PassBuilder &PB) {
  PB.registerPipelineStartEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(cprof::ProfilePass());
      });
  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        if (Name != PassName)
          return false;
        MPM.addPass(cprof::ProfilePass());
        return true;
      });
}

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK __attribute__((visibility("default")))
PassPluginLibraryInfo
llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, PassName, LLVM_VERSION_STRING,
          registerCallbacks};
}
