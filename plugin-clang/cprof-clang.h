// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * cprof-clang.h - what the files of the cprof Clang plugin share.
 *
 * The plugin works in two halves that meet in one process:
 *
 *   front end   options.cpp (-fplugin-arg-cprof_clang-*), attribute.cpp
 *               (`profile`), action.cpp (the plugin action and its AST
 *               consumer), select.cpp (which functions), shadow.cpp (a
 *               private second code generator), describe.cpp (what the IR
 *               pass needs to know about the functions), lambda-names.cpp
 *               (lambdas named as G++ names them), destructors.cpp (an
 *               empty destructor keeps a body of its own);
 *   IR pass     instrument.cpp (enter, exit, line probes and the
 *               descriptor), lines.cpp (source lines of IR instructions).
 *
 * The front end runs first and leaves a UnitInfo for the pass; plugin.cpp
 * registers both halves.  What both plugins decide alike (options,
 * selection, line ranges) is in plugin-common/.
 */
#ifndef CPROF_CLANG_H
#define CPROF_CLANG_H

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cprof-policy.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/DeclGroup.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/IRBuilder.h"

namespace clang {
class CodeGenerator;
class CompilerInstance;
class DiagnosticsEngine;
class FunctionDecl;
} // namespace clang

namespace llvm {
class Function;
class Instruction;
class LLVMContext;
class Module;
} // namespace llvm

namespace cprof {

/* The spelling of -fplugin-arg-NAME-KEY: the name the action registers. */
extern const char PluginName[];

/* options.cpp: false after reporting the bad arguments. */
bool parseOptions(const clang::CompilerInstance &CI,
                  const std::vector<std::string> &Args, Options &Opts);

/* attribute.cpp: the annotation the `profile` attribute stands for. */
extern const char ProfileAnnotation[];

/* select.cpp: the definitions to profile, in a stable order. */
std::vector<const clang::FunctionDecl *> selectFunctions(clang::ASTContext &Ctx,
                                                         const Options &Opts);
/* select.cpp: whether the definition `FD` is one selectFunctions picks. */
bool isProfiled(clang::ASTContext &Ctx, const Options &Opts,
                const clang::FunctionDecl *FD);

/*
 * destructors.cpp: before the code generator sees the definition `D`, and
 * at the end of the unit for the selected functions.
 */
void keepOwnDestructor(clang::ASTContext &Ctx, const Options &Opts,
                       clang::Decl *D);
void keepOwnDestructors(clang::ASTContext &Ctx,
                        const std::vector<const clang::FunctionDecl *> &Fns);

/*
 * shadow.cpp: an AST consumer that records every declaration the main
 * code generator is handed, in order, so that a second code generator can
 * be run over the same sequence later (see shadow.cpp for why).
 */
class RecordingConsumer : public clang::ASTConsumer {
public:
  bool HandleTopLevelDecl(clang::DeclGroupRef D) override;
  void HandleInlineFunctionDefinition(clang::FunctionDecl *D) override;
  void HandleTopLevelDeclInObjCContainer(clang::DeclGroupRef D) override;
  void HandleTagDeclDefinition(clang::TagDecl *D) override;
  void HandleTagDeclRequiredDefinition(const clang::TagDecl *D) override;
  void CompleteTentativeDefinition(clang::VarDecl *D) override;
  void CompleteExternalDeclaration(clang::VarDecl *D) override;
  void AssignInheritanceModel(clang::CXXRecordDecl *RD) override;
  void HandleCXXStaticMemberVarInstantiation(clang::VarDecl *D) override;
  void HandleVTable(clang::CXXRecordDecl *RD) override;

  /* A code generator and what it depends on (destroyed in this order). */
  struct Shadow {
    std::unique_ptr<clang::DiagnosticsEngine> Diags;
    std::unique_ptr<llvm::LLVMContext> Context;
    std::unique_ptr<clang::CodeGenerator> Gen;
  };

  /*
   * Generates the unit again, with line locations but no debug info to
   * emit; Gen is null if that failed.
   */
  Shadow replay(clang::CompilerInstance &CI, clang::ASTContext &Ctx);

private:
  std::vector<std::function<void(clang::ASTConsumer &)>> Calls;
};

/*
 * One instruction of a function in IR order: its opcode and the source
 * line it belongs to (0: none, or another file than the function's).
 */
struct InstLine {
  unsigned Opcode;
  unsigned Line;
};
using LineTable = std::vector<InstLine>;

/* A C++ catch handler: the line of `catch` and of its closing brace. */
struct Handler {
  unsigned CatchLine;
  unsigned EndLine;
};

/* lambda-names.cpp: the symbols G++ gives lambdas, for one unit. */
class LambdaNames {
public:
  explicit LambdaNames(clang::ASTContext &Ctx);
  ~LambdaNames();
  /* "" for all but the call operator of a lambda in a function's body. */
  std::string symbol(const clang::FunctionDecl *FD);

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

/* What the front end knows about one profiled function. */
struct FunctionInfo {
  std::string Symbol;                /* for the profile, if not the IR name */
  std::string File;                  /* absolute path of its file */
  unsigned Line = 0;                 /* line of the function's name */
  std::vector<unsigned> ReturnLines; /* lines with a return statement */
  std::vector<Handler> Handlers;     /* its catch handlers */
  bool HasTable = false;
  LineTable Table; /* from the shadow code generator, if HasTable */
};

/* What the front end leaves for the IR pass about one translation unit. */
struct UnitInfo {
  std::string ModuleId;                  /* the module it describes */
  Options Opts;                          /* the unit's plugin arguments */
  llvm::StringMap<FunctionInfo> Symbols; /* profiled functions by IR name */
};

/* describe.cpp */
std::unique_ptr<UnitInfo>
describeUnit(clang::CompilerInstance &CI, clang::ASTContext &Ctx,
             RecordingConsumer &Recorded, llvm::StringRef ModuleId,
             const Options &Opts,
             const std::vector<const clang::FunctionDecl *> &Fns);
void setCurrentUnit(std::unique_ptr<UnitInfo> Unit);
std::unique_ptr<UnitInfo> takeCurrentUnit(const llvm::Module &M);
std::string absolutePath(llvm::StringRef File);

/* lines.cpp: `Table` must have one entry per instruction of `F`. */
struct LineSite {
  llvm::Instruction *Before; /* the probe goes before it */
  unsigned Line;
};
LineTable lineTable(const llvm::Function &F);
bool sameShape(const llvm::Function &F, const LineTable &Table);
std::vector<LineSite> lineSites(llvm::Function &F, LineTable Table,
                                const FunctionInfo &Info);

/* hit-counters.cpp: the probes of the default and the line-hits mode. */
struct HitCounters {
  llvm::Value *Lines;          /* the frame's struct cprof_file_line array */
  llvm::AllocaInst *Cur;       /* the slot the frame is on */
  llvm::Value *Line = nullptr; /* the frame head's line, if probes set it */
};
HitCounters startHitCounters(llvm::Function &F, llvm::Instruction *Frame,
                             bool StoreLine);
void countHit(llvm::IRBuilder<> &B, const HitCounters &H, unsigned Slot);

/* instrument.cpp: whether the module changed; a symbol's readable name. */
bool instrumentModule(llvm::Module &M);
std::string readableName(llvm::StringRef Symbol);

} // namespace cprof

#endif /* CPROF_CLANG_H */
