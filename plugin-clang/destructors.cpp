// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * destructors.cpp - a profiled empty destructor keeps a body of its own.
 *
 * From -O1 on, Clang does not emit a destructor whose body is `{}` when
 * all it does is run its one base's destructor: the symbol becomes an
 * alias of the base's, or its uses are pointed there
 * (-mconstructor-aliases, on by default).  The derived destructor then
 * has no code to profile, and its calls count as the base's; G++ keeps
 * both.  So before the code generator sees a profiled destructor with an
 * empty body, its body gets one null statement: no instruction, but no
 * longer the trivial body that the aliasing looks for.  A definition the
 * code generator emits at once (out of line) is seen as it arrives; the
 * others, inline and `= default` ones whose bodies Sema writes when they
 * are used, at the end of the unit, before the code generator emits them.
 */
#include "cprof-clang.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Stmt.h"

using namespace clang;

namespace cprof {

/* The body `{ ; }`: no instruction, but not the trivial body. */
static void giveBody(ASTContext &Ctx, CXXDestructorDecl *Dtor) {
  auto *Body = cast<CompoundStmt>(Dtor->getBody());
  Stmt *Null = new (Ctx) NullStmt(Body->getRBracLoc());

  Dtor->setBody(CompoundStmt::Create(Ctx, Null, Body->getLBracLoc(),
                                     Body->getRBracLoc()));
}

static bool hasEmptyBody(const FunctionDecl *FD) {
  return isa<CXXDestructorDecl>(FD) && FD->doesThisDeclarationHaveABody() &&
         FD->hasTrivialBody();
}

void keepOwnDestructor(ASTContext &Ctx, const Options &Opts, Decl *D) {
  auto *FD = dyn_cast<FunctionDecl>(D);

  if (FD && hasEmptyBody(FD) && isProfiled(Ctx, Opts, FD))
    giveBody(Ctx, cast<CXXDestructorDecl>(FD));
}

/* The AST is the compiler's: the selection only points into it. */
void keepOwnDestructors(ASTContext &Ctx,
                        const std::vector<const FunctionDecl *> &Fns) {
  for (const FunctionDecl *FD : Fns)
    if (hasEmptyBody(FD))
      giveBody(Ctx,
               const_cast<CXXDestructorDecl *>(cast<CXXDestructorDecl>(FD)));
}

} // namespace cprof
