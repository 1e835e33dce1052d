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
 * longer the trivial body that the aliasing looks for.
 */
#include "cprof-clang.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Stmt.h"

using namespace clang;

namespace cprof {

void keepOwnDestructor(ASTContext &Ctx, const Options &Opts, Decl *D) {
  auto *Dtor = dyn_cast<CXXDestructorDecl>(D);

  if (!Dtor || !Dtor->doesThisDeclarationHaveABody() ||
      !Dtor->hasTrivialBody() || !isProfiled(Ctx, Opts, Dtor))
    return;
  auto *Body = cast<CompoundStmt>(Dtor->getBody());
  Stmt *Null = new (Ctx) NullStmt(Body->getRBracLoc());
  Dtor->setBody(CompoundStmt::Create(Ctx, Null, Body->getLBracLoc(),
                                     Body->getRBracLoc()));
}

} // namespace cprof
