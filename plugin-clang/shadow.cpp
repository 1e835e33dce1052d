// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * shadow.cpp - a second, private code generator over the same AST.
 *
 * Without -g, Clang 14 attaches no source locations to IR, and the main
 * code generator copies its options before any plugin hook runs, so a
 * plugin cannot switch them on there.  The plugin therefore records the
 * declarations the main code generator is handed, in the same order, and
 * at the end of the unit replays them into a code generator of its own
 * set to LocTrackingOnly (what -Rpass uses: locations, nothing emitted).
 * Replaying the whole sequence, not just the profiled functions, gives
 * the same module: the same symbols (lambdas are numbered in the order
 * they are mangled) and the same instructions, now with lines.  The main
 * module itself is never touched, so no debug section can appear.
 *
 * The replay runs before the main code generator finishes the unit (our
 * consumer comes first), while the AST is still alive: with
 * -clear-ast-before-backend, which the driver passes, it is freed before
 * the IR passes run.
 */
#include "cprof-clang.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/CodeGenOptions.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/CodeGen/ModuleBuilder.h"
#include "clang/Frontend/CompilerInstance.h"
#include "llvm/IR/LLVMContext.h"

using namespace clang;

namespace cprof {

bool RecordingConsumer::HandleTopLevelDecl(DeclGroupRef D) {
  Calls.push_back([=](ASTConsumer &C) { C.HandleTopLevelDecl(D); });
  return true;
}

void RecordingConsumer::HandleInlineFunctionDefinition(FunctionDecl *D) {
  Calls.push_back([=](ASTConsumer &C) { C.HandleInlineFunctionDefinition(D); });
}

void RecordingConsumer::HandleTopLevelDeclInObjCContainer(DeclGroupRef D) {
  Calls.push_back(
      [=](ASTConsumer &C) { C.HandleTopLevelDeclInObjCContainer(D); });
}

void RecordingConsumer::HandleTagDeclDefinition(TagDecl *D) {
  Calls.push_back([=](ASTConsumer &C) { C.HandleTagDeclDefinition(D); });
}

void RecordingConsumer::HandleTagDeclRequiredDefinition(const TagDecl *D) {
  Calls.push_back(
      [=](ASTConsumer &C) { C.HandleTagDeclRequiredDefinition(D); });
}

void RecordingConsumer::CompleteTentativeDefinition(VarDecl *D) {
  Calls.push_back([=](ASTConsumer &C) { C.CompleteTentativeDefinition(D); });
}

void RecordingConsumer::CompleteExternalDeclaration(VarDecl *D) {
  Calls.push_back([=](ASTConsumer &C) { C.CompleteExternalDeclaration(D); });
}

void RecordingConsumer::AssignInheritanceModel(CXXRecordDecl *RD) {
  Calls.push_back([=](ASTConsumer &C) { C.AssignInheritanceModel(RD); });
}

void RecordingConsumer::HandleCXXStaticMemberVarInstantiation(VarDecl *D) {
  Calls.push_back(
      [=](ASTConsumer &C) { C.HandleCXXStaticMemberVarInstantiation(D); });
}

void RecordingConsumer::HandleVTable(CXXRecordDecl *RD) {
  Calls.push_back([=](ASTConsumer &C) { C.HandleVTable(RD); });
}

/*
 * The shadow's diagnostics go nowhere: the main code generator reports
 * the same ones.  The engine still needs the source manager to classify
 * locations.
 */
static std::unique_ptr<DiagnosticsEngine>
silentDiagnostics(CompilerInstance &CI) {
  auto Diags = std::make_unique<DiagnosticsEngine>(
      CI.getDiagnostics().getDiagnosticIDs(), new DiagnosticOptions,
      new IgnoringDiagConsumer, /*ShouldOwnClient=*/true);

  Diags->setSourceManager(&CI.getSourceManager());
  Diags->setSuppressAllDiagnostics(true);
  return Diags;
}

RecordingConsumer::Shadow RecordingConsumer::replay(CompilerInstance &CI,
                                                    ASTContext &Ctx) {
  CodeGenOptions Opts = CI.getCodeGenOpts(); /* the generator copies it */
  Shadow S;

  Opts.setDebugInfo(codegenoptions::LocTrackingOnly);
  /* Coverage mapping wants the preprocessor's record of skipped ranges,
     which only the main code generator has; it adds no instruction. */
  Opts.CoverageMapping = false;
  S.Diags = silentDiagnostics(CI);
  S.Context = std::make_unique<llvm::LLVMContext>();
  S.Gen.reset(CreateLLVMCodeGen(*S.Diags, "cprof.shadow",
                                CI.getHeaderSearchOpts(),
                                CI.getPreprocessorOpts(), Opts, *S.Context));
  S.Gen->Initialize(Ctx);
  for (const auto &Call : Calls)
    Call(*S.Gen);
  S.Gen->HandleTranslationUnit(Ctx);
  if (!S.Gen->GetModule())
    S.Gen.reset();
  return S;
}

} // namespace cprof
