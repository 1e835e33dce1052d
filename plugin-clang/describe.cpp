// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * describe.cpp - what the IR pass learns from the front end.
 *
 * The pass sees only IR: it needs to know which functions to profile
 * (including ones chosen by name or `all`, and constructors, which get no
 * @llvm.global.annotations entry), where they are in the source, and the
 * line of every instruction.  The shadow code generator (shadow.cpp)
 * answers all three: it produces the same module with locations, and it
 * maps each symbol back to its declaration.  The answer waits in a
 * process-wide slot for the pass, which runs later in the same cc1, from
 * the same loaded copy of this shared object.
 */
#include "cprof-clang.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/CodeGen/ModuleBuilder.h"
#include "clang/Frontend/CompilerInstance.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace cprof {

static std::unique_ptr<UnitInfo> CurrentUnit;

void setCurrentUnit(std::unique_ptr<UnitInfo> Unit) {
  CurrentUnit = std::move(Unit);
}

std::unique_ptr<UnitInfo> takeCurrentUnit(const llvm::Module &M) {
  if (!CurrentUnit || CurrentUnit->ModuleId != M.getModuleIdentifier())
    return nullptr;
  return std::move(CurrentUnit);
}

/*
 * As the GCC plugin spells it, so both profiles of one program agree: the
 * working directory (as $PWD names it) joined to the name the compiler
 * was given, without leading "./".
 */
std::string absolutePath(llvm::StringRef File) {
  llvm::SmallString<256> Dir;

  if (File.empty() || llvm::sys::path::is_absolute(File))
    return File.str();
  while (File.consume_front("./"))
    ;
  if (llvm::sys::fs::current_path(Dir))
    return File.str();
  llvm::sys::path::append(Dir, File);
  return std::string(Dir.str());
}

/* Should the shadow fail, only attribute-marked functions are found. */
static void warnNoShadow(CompilerInstance &CI) {
  DiagnosticsEngine &Diags = CI.getDiagnostics();

  Diags.Report(Diags.getCustomDiagID(
      DiagnosticsEngine::Warning,
      "%0: cannot generate the unit a second time: functions chosen by "
      "option are not profiled, nor are the lines of any"))
      << PluginName;
}

static unsigned lineOf(const SourceManager &SM, SourceLocation Loc) {
  return SM.getPresumedLineNumber(SM.getExpansionLoc(Loc));
}

/*
 * The statements lines.cpp must know about, at the lines CodeGen gives
 * them (a macro's expansion): returns, whose jumps are the only branches
 * that start a line, and catch handlers, whose entry CodeGen leaves
 * without a location of its own.  Lambdas and blocks are functions of
 * their own.
 */
static void findStatements(const Stmt *S, const SourceManager &SM,
                           FunctionInfo &Info) {
  if (!S || isa<LambdaExpr>(S) || isa<BlockExpr>(S))
    return;
  if (isa<ReturnStmt>(S))
    Info.ReturnLines.push_back(lineOf(SM, S->getBeginLoc()));
  if (const auto *Catch = dyn_cast<CXXCatchStmt>(S))
    Info.Handlers.push_back(
        {lineOf(SM, Catch->getCatchLoc()),
         lineOf(SM, Catch->getHandlerBlock()->getEndLoc())});
  for (const Stmt *Child : S->children())
    findStatements(Child, SM, Info);
}

static FunctionInfo describeFunction(const SourceManager &SM,
                                     const FunctionDecl *FD) {
  PresumedLoc Loc = SM.getPresumedLoc(FD->getLocation());
  FunctionInfo Info;

  if (Loc.isValid()) {
    Info.File = absolutePath(Loc.getFilename());
    Info.Line = Loc.getLine();
  }
  findStatements(FD->getBody(), SM, Info);
  return Info;
}

/* Whether `F` calls another function that `Symbols` maps to `FD`. */
static bool callsVariant(const llvm::Function &F, const FunctionDecl *FD,
                         const llvm::StringMap<const FunctionDecl *> &Symbols) {
  for (const llvm::Instruction &I : llvm::instructions(F)) {
    const auto *Call = dyn_cast<llvm::CallBase>(&I);
    const auto *Callee =
        Call ? dyn_cast<llvm::Function>(
                   Call->getCalledOperand()->stripPointerCastsAndAliases())
             : nullptr;
    if (Callee && Callee != &F && Symbols.lookup(Callee->getName()) == FD)
      return true;
  }
  return false;
}

/*
 * The symbols of the profiled functions, mapped to their definitions.
 * Every variant of a constructor or destructor CodeGen emits counts, but
 * those that run another variant of the same one (the deleting
 * destructor; with virtual bases, the complete destructor): GCC gives
 * every variant a whole body of its own, so that one construction or
 * destruction counts once, and so must we.
 */
static llvm::StringMap<const FunctionDecl *>
profiledSymbols(CodeGenerator &Gen,
                const std::vector<const FunctionDecl *> &Fns) {
  llvm::DenseMap<const Decl *, const FunctionDecl *> Wanted;
  llvm::StringMap<const FunctionDecl *> Symbols;
  std::vector<llvm::StringRef> Delegating;

  for (const FunctionDecl *FD : Fns)
    Wanted[FD->getCanonicalDecl()] = FD;
  for (const llvm::Function &F : *Gen.GetModule()) {
    const Decl *D =
        F.isDeclaration() ? nullptr : Gen.GetDeclForMangledName(F.getName());
    auto It = D ? Wanted.find(D->getCanonicalDecl()) : Wanted.end();
    if (It != Wanted.end())
      Symbols[F.getName()] = It->second;
  }
  for (const auto &Entry : Symbols)
    if (isa<CXXConstructorDecl>(Entry.second) ||
        isa<CXXDestructorDecl>(Entry.second))
      if (callsVariant(*Gen.GetModule()->getFunction(Entry.first()),
                       Entry.second, Symbols))
        Delegating.push_back(Entry.first());
  for (llvm::StringRef Symbol : Delegating)
    Symbols.erase(Symbol);
  return Symbols;
}

std::unique_ptr<UnitInfo>
describeUnit(CompilerInstance &CI, ASTContext &Ctx, RecordingConsumer &Recorded,
             llvm::StringRef ModuleId, const Options &Opts,
             const std::vector<const FunctionDecl *> &Fns) {
  RecordingConsumer::Shadow S = Recorded.replay(CI, Ctx);
  auto Unit = std::make_unique<UnitInfo>();

  Unit->ModuleId = ModuleId.str();
  Unit->Opts = Opts;
  if (!S.Gen) {
    warnNoShadow(CI);
    return Unit;
  }
  LambdaNames Lambdas(Ctx);
  for (const auto &Entry : profiledSymbols(*S.Gen, Fns)) {
    FunctionInfo Info = describeFunction(CI.getSourceManager(), Entry.second);
    Info.Symbol = Lambdas.symbol(Entry.second);
    if (Opts.lines()) {
      Info.Table = lineTable(*S.Gen->GetModule()->getFunction(Entry.first()));
      Info.HasTable = true;
    }
    Unit->Symbols[Entry.first()] = std::move(Info);
  }
  return Unit;
}

} // namespace cprof
