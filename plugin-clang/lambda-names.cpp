// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * lambda-names.cpp - a lambda's symbol, as G++ gives it.
 *
 * Clang names a lambda in an ordinary function's body `f()::$_0`: the
 * closure is private to the unit, so it skips the Itanium ABI's
 * `{lambda(int)#1}`, and its $_N count runs over the whole unit.  The
 * profile names the lambda the way G++ does instead, so both compilers
 * report it alike: the Itanium mangling, where G++ 12 numbers the
 * lambdas of one scope in source order, whatever their signatures.
 *
 * Clang's mangler takes closure numbers from a hook that is a plain
 * function pointer, so the numbers it reads live in this file while a
 * name is being mangled.  They are keyed by the lambda's source location,
 * which an instantiated closure shares with its template's, so every
 * instance of a function template numbers its lambdas as the template.
 */
#include "cprof-clang.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/GlobalDecl.h"
#include "clang/AST/Mangle.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace cprof {
namespace {

/* The closure number of each lambda in a function's body, by location. */
using Numbers = llvm::DenseMap<unsigned, unsigned>;

/* Template patterns only: instances share their numbers. */
class Numbering : public RecursiveASTVisitor<Numbering> {
public:
  bool VisitLambdaExpr(LambdaExpr *E) {
    const CXXRecordDecl *Closure = E->getLambdaClass();
    const DeclContext *Scope = Closure->getDeclContext();

    if (Scope->isFunctionOrMethod())
      ByLocation[Closure->getLocation().getRawEncoding()] = ++Count[Scope];
    return true;
  }

  Numbers ByLocation;

private:
  llvm::DenseMap<const DeclContext *, unsigned> Count;
};

const Numbers *Current; /* while mangleLambdaSymbol runs */

llvm::Optional<unsigned> gccNumber(ASTContext &, const NamedDecl *D) {
  const auto *Closure = dyn_cast<CXXRecordDecl>(D);

  if (!Current || !Closure || !Closure->isLambda())
    return llvm::None;
  auto It = Current->find(Closure->getLocation().getRawEncoding());
  if (It == Current->end())
    return llvm::None;
  return It->second;
}

} // namespace

struct LambdaNames::Impl {
  Numbers ByLocation;
  std::unique_ptr<MangleContext> Mangler;
};

LambdaNames::LambdaNames(ASTContext &Ctx) : P(new Impl) {
  Numbering N;

  N.TraverseDecl(Ctx.getTranslationUnitDecl());
  P->ByLocation = std::move(N.ByLocation);
  P->Mangler.reset(
      ItaniumMangleContext::create(Ctx, Ctx.getDiagnostics(), gccNumber));
}

LambdaNames::~LambdaNames() = default;

std::string LambdaNames::symbol(const FunctionDecl *FD) {
  const auto *Method = dyn_cast<CXXMethodDecl>(FD);
  std::string Symbol;

  if (!Method || !isLambdaCallOperator(Method) ||
      !P->ByLocation.count(Method->getParent()->getLocation().getRawEncoding()))
    return Symbol;
  llvm::raw_string_ostream Out(Symbol);
  Current = &P->ByLocation;
  P->Mangler->mangleName(GlobalDecl(FD), Out);
  Current = nullptr;
  return Out.str();
}

} // namespace cprof
