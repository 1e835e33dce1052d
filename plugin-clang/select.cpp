// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * select.cpp - which function definitions cprof profiles.
 *
 * The rule is plugin-common/select.cc's, shared with the GCC plugin; here
 * is what Clang calls code the user did not write, which `all` and
 * `functions=` skip: implicit members (a lambda's conversion to a function
 * pointer among them, but not its body; members the user declared
 * `= default` are the user's, as for G++), system headers and functions
 * marked no_instrument_function.
 *
 * The whole translation unit is walked once, after parsing, so template
 * instantiations and lambdas are seen as well as plain definitions.
 */
#include "cprof-clang.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Mangle.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace cprof {
namespace {

bool annotated(const FunctionDecl *FD) {
  for (const FunctionDecl *R : FD->redecls())
    for (const auto *A : R->specific_attrs<AnnotateAttr>())
      if (A->getAnnotation() == ProfileAnnotation)
        return true;
  return false;
}

/* An instantiation carries its template's attribute. */
bool hasProfileAttribute(const FunctionDecl *FD) {
  const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern();

  return annotated(FD) || (Pattern && annotated(Pattern));
}

FunctionNames namesOf(ASTNameGenerator &Names, const FunctionDecl *FD) {
  /* Constructors and destructors have several symbols. */
  std::vector<std::string> Symbols = Names.getAllManglings(FD);

  if (Symbols.empty())
    Symbols.push_back(Names.getName(FD));
  std::string Readable = readableName(Symbols.front());

  return {FD->getNameAsString(), FD->getQualifiedNameAsString(),
          std::move(Symbols), std::move(Readable)};
}

Candidate candidateOf(ASTContext &Ctx, ASTNameGenerator &Names,
                      const FunctionDecl *FD) {
  return {
      hasProfileAttribute(FD),
      FD->hasAttr<NakedAttr>(),
      !FD->isImplicit() && !FD->hasAttr<NoInstrumentFunctionAttr>() &&
          !Ctx.getSourceManager().isInSystemHeader(FD->getLocation()),
      [&Names, FD] { return namesOf(Names, FD); },
  };
}

class Selector : public RecursiveASTVisitor<Selector> {
public:
  Selector(ASTContext &Ctx, const Options &Opts)
      : Ctx(Ctx), Opts(Opts), Names(Ctx) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    consider(FD);
    return true;
  }

  /*
   * A lambda's call operator can carry the attribute, but the walk skips
   * the closure classes (implicit code): take the operator from here.
   */
  bool VisitLambdaExpr(LambdaExpr *E) {
    const FunctionTemplateDecl *Generic = E->getDependentCallOperator();

    consider(E->getCallOperator());
    if (Generic)
      for (const FunctionDecl *FD : Generic->specializations())
        consider(FD);
    return true;
  }

  std::vector<const FunctionDecl *> Selected;

private:
  void consider(const FunctionDecl *FD) {
    if (!FD->doesThisDeclarationHaveABody() || FD->isTemplated() ||
        FD->isConsteval() || !Seen.insert(FD).second)
      return;
    if (isSelected(FD))
      Selected.push_back(FD);
  }

  bool isSelected(const FunctionDecl *FD) {
    Candidate C = candidateOf(Ctx, Names, FD);

    if (C.naked && C.marked)
      warnNaked(FD);
    return selected(Opts, C);
  }

  void warnNaked(const FunctionDecl *FD) {
    DiagnosticsEngine &Diags = Ctx.getDiagnostics();
    unsigned ID = Diags.getCustomDiagID(
        DiagnosticsEngine::Warning,
        "'profile' attribute ignored: %0 is naked (it has no prologue for the "
        "profiler's calls)");

    Diags.Report(FD->getLocation(), ID) << FD;
  }

  ASTContext &Ctx;
  const Options &Opts;
  ASTNameGenerator Names;
  llvm::SmallPtrSet<const FunctionDecl *, 32> Seen;
};

} // namespace

bool isProfiled(ASTContext &Ctx, const Options &Opts, const FunctionDecl *FD) {
  ASTNameGenerator Names(Ctx);

  return !FD->isTemplated() && selected(Opts, candidateOf(Ctx, Names, FD));
}

std::vector<const FunctionDecl *> selectFunctions(ASTContext &Ctx,
                                                  const Options &Opts) {
  Selector S(Ctx, Opts);

  S.TraverseDecl(Ctx.getTranslationUnitDecl());
  return std::move(S.Selected);
}

} // namespace cprof
