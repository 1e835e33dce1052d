// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * attribute.cpp - the `profile` attribute.
 *
 * Spelled __attribute__((profile)), __attribute__((__profile__)) and
 * [[gnu::profile]] (the GCC plugin's attribute lands in the gnu namespace,
 * so sources build with either compiler).  A plugin cannot add an
 * attribute class to Clang, so the attribute becomes an AnnotateAttr with
 * a reserved string: select.cpp recognises it on the AST, and CodeGen
 * turns it into an @llvm.global.annotations entry that the IR pass also
 * reads (that is how `opt -passes=cprof` finds profiled functions).
 *
 * Clang 14's __has_attribute() does not see plugin attributes; code tests
 * __CPROF__ instead (action.cpp defines it).
 */
#include "cprof-clang.h"

#include "clang/AST/Attr.h"
#include "clang/Sema/ParsedAttr.h"
#include "clang/Sema/Sema.h"
#include "clang/Sema/SemaDiagnostic.h"

using namespace clang;

namespace cprof {

const char ProfileAnnotation[] = "cprof.profile";

namespace {

class ProfileAttrInfo : public ParsedAttrInfo {
public:
  ProfileAttrInfo() {
    static constexpr Spelling Names[] = {
        {ParsedAttr::AS_GNU, "profile"},
        {ParsedAttr::AS_CXX11, "gnu::profile"},
        {ParsedAttr::AS_C2x, "gnu::profile"},
    };
    Spellings = Names;
    /* No arguments: Sema rejects any with "takes no arguments". */
    NumArgs = 0;
    OptArgs = 0;
  }

  bool diagAppertainsToDecl(Sema &S, const ParsedAttr &Attr,
                            const Decl *D) const override {
    if (isa<FunctionDecl>(D))
      return true;
    S.Diag(Attr.getLoc(), diag::warn_attribute_wrong_decl_type_str)
        << Attr << "functions";
    return false;
  }

  AttrHandling handleDeclAttribute(Sema &S, Decl *D,
                                   const ParsedAttr &Attr) const override {
    D->addAttr(AnnotateAttr::Create(S.Context, ProfileAnnotation, nullptr, 0,
                                    Attr.getRange(),
                                    AttributeCommonInfo::AS_GNU));
    return AttributeApplied;
  }
};

} // namespace
} // namespace cprof

static ParsedAttrInfoRegistry::Add<cprof::ProfileAttrInfo>
    ProfileAttr("profile", "cprof: profile this function");
