// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * instrument.cpp - the IR pass: calls into the cprof runtime.
 *
 * For each profiled function it emits one private struct cprof_fn
 * descriptor (its type built from CPROF_FN_FIELDS in cprof/abi.h, so the
 * layout is written down once) and rewrites the body as
 *
 *     frame = __cprof_enter(&desc)            after the entry block's allocas
 *     __cprof_line(frame, L - first_line)     where line L starts (lines.cpp)
 *     __cprof_exit(frame)                     before every ret and resume,
 *                                             and on every unwind
 *     __cprof_resume(frame)                   after every returns-twice call
 *                                             (setjmp: a longjmp back here
 *                                             skipped the exits above)
 *
 * and the module refers to LinkSymbol (cprof-policy.h), so that linking it
 * without -lcprof names what is missing.
 *
 * or, in the counts-only mode, __cprof_enter_count/__cprof_exit_count and
 * no line probes.  The __cprof_line calls are the timed-lines mode's; in
 * the default and the line-hits mode the line probes are inline counters
 * instead (hit-counters.cpp), with a store of the line into the frame for
 * the runtime's sampler in the default mode.
 *
 * Exits use EscapeEnumerator as ThreadSanitizer does: calls that may throw
 * become invokes whose landing pad calls exit and resumes.  The runtime
 * calls are nounwind, so they never get such a landing pad themselves.
 *
 * Profiled functions are those the front end described (describe.cpp)
 * and those with a "cprof.profile" @llvm.global.annotations entry, which
 * is how `opt -passes=cprof` finds them in IR written by hand.  Those
 * entries are removed afterwards: they would keep an inlined static
 * function's body alive.  A module flag marks the module as done, so a
 * second registration of the pass (-fpass-plugin= naming this plugin
 * too) does nothing.
 */
#include "cprof-clang.h"

#include <cstdlib>
#include <cxxabi.h>
#include <optional>

#include "cprof/abi.h"

#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/EscapeEnumerator.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;

namespace cprof {
namespace {

const char EnterName[] = CPROF_ENTER_NAME;
const char LineName[] = CPROF_LINE_NAME;
const char ExitName[] = CPROF_EXIT_NAME;
const char EnterCountName[] = CPROF_ENTER_COUNT_NAME;
const char ExitCountName[] = CPROF_EXIT_COUNT_NAME;
const char ResumeName[] = CPROF_RESUME_NAME;
const char DescriptorPrefix[] = "__cprof_fn.";
const char DescriptorTypeName[] = "cprof.fn";
const char CleanupBlockName[] = "cprof.cleanup";
const char DoneFlag[] = "cprof.instrumented";
const char AnnotationsName[] = "llvm.global.annotations";

/* A function to profile and what is known about it. */
struct Target {
  Function *F;
  FunctionInfo Info;
};

class Instrumenter {
public:
  Instrumenter(Module &M, std::unique_ptr<UnitInfo> Unit)
      : M(M), C(M.getContext()), Unit(std::move(Unit)) {}
  bool run();

private:
  std::vector<Target> findTargets();
  void declareRuntime();
  void instrumentFunction(Target &T);
  std::vector<LineSite> findLineSites(Function &F, const FunctionInfo &Info);
  GlobalVariable *createDescriptor(Function &F, const FunctionInfo &Info,
                                   const LineRange &Lines);
  Instruction *instrumentEntry(Function &F, GlobalVariable *Desc);
  void instrumentLines(Function &F, Instruction *Frame,
                       const std::vector<LineSite> &Sites, unsigned First);
  void instrumentExits(Function &F, Value *Frame);
  void instrumentResumes(Function &F, Value *Frame);
  void removeAnnotations();
  void referToRuntime();

  Type *fieldType(uint32_t) { return Type::getInt32Ty(C); }
  Type *fieldType(const char *) { return Type::getInt8PtrTy(C); }
  Constant *fieldValue(uint32_t V) { return ConstantInt::get(fieldType(V), V); }
  Constant *fieldValue(const char *S) { return stringPtr(S); }
  Constant *stringPtr(StringRef S);
  CallInst *callRuntime(IRBuilder<> &B, FunctionCallee Fn,
                        ArrayRef<Value *> Args);
  void warn(const Twine &Message);
  /* Without the front end (opt -passes=cprof), the default options. */
  const Options &opts() const { return Unit ? Unit->Opts : Defaults; }

  Module &M;
  LLVMContext &C;
  std::unique_ptr<UnitInfo> Unit;
  const Options Defaults{};
  StructType *DescriptorType = nullptr;
  FunctionCallee Enter, Line, Exit, Resume;
  StringMap<Constant *> Strings;
};

/* One "cprof.profile" entry of @llvm.global.annotations, decoded. */
struct Annotation {
  Function *F = nullptr;
  std::string File;
  unsigned Line = 0;
};

/* Entries are {i8* fn, i8* annotation, i8* file, i32 line, i8* args}. */
bool decodeAnnotation(const Constant *Entry, Annotation &A) {
  StringRef Text, File;

  if (Entry->getNumOperands() < 4 ||
      !getConstantStringInfo(Entry->getOperand(1), Text) ||
      Text != ProfileAnnotation)
    return false;
  A.F = dyn_cast<Function>(Entry->getOperand(0)->stripPointerCasts());
  if (getConstantStringInfo(Entry->getOperand(2), File))
    A.File = absolutePath(File);
  if (const auto *Line = dyn_cast<ConstantInt>(Entry->getOperand(3)))
    A.Line = Line->getZExtValue();
  return A.F != nullptr;
}

FunctionInfo describeAnnotated(const Annotation &A) {
  FunctionInfo Info;

  Info.File = A.File;
  Info.Line = A.Line;
  return Info;
}

/* Clang shows it as "warning: MESSAGE [-Wbackend-plugin]". */
class Warning : public DiagnosticInfo {
public:
  explicit Warning(const Twine &Message)
      : DiagnosticInfo(kind(), DS_Warning), Message(Message.str()) {}
  void print(DiagnosticPrinter &DP) const override { DP << Message; }

private:
  static int kind() {
    static const int Kind = getNextAvailablePluginDiagnosticKind();
    return Kind;
  }
  std::string Message;
};

const ConstantArray *annotationArray(const Module &M) {
  const GlobalVariable *GV = M.getGlobalVariable(AnnotationsName);

  return GV && GV->hasInitializer()
             ? dyn_cast<ConstantArray>(GV->getInitializer())
             : nullptr;
}

} // namespace

/*
 * The name users read.  The C++ runtime's demangler is the one G++ and
 * c++filt use, so both plugins print `{lambda(int)#1}` alike (LLVM's
 * spells lambdas its own way).  Not mangled (C): the symbol.
 */
std::string readableName(StringRef Symbol) {
  char *Name =
      abi::__cxa_demangle(Symbol.str().c_str(), nullptr, nullptr, nullptr);
  std::string Readable = Name ? Name : Symbol.str();

  std::free(Name);
  return Readable;
}

/* In module order, so the output does not depend on hashing. */
std::vector<Target> Instrumenter::findTargets() {
  DenseMap<const Function *, FunctionInfo> Annotated;
  std::vector<Target> Targets;
  Annotation A;

  if (const ConstantArray *Array = annotationArray(M))
    for (const Use &Entry : Array->operands())
      if (decodeAnnotation(cast<Constant>(Entry), A))
        Annotated[A.F] = describeAnnotated(A);
  for (Function &F : M) {
    if (F.isDeclaration() || F.hasFnAttribute(Attribute::Naked))
      continue;
    if (Unit && Unit->Symbols.count(F.getName()))
      Targets.push_back({&F, Unit->Symbols[F.getName()]});
    else if (Annotated.count(&F))
      Targets.push_back({&F, Annotated[&F]});
  }
  return Targets;
}

/*
 * The runtime never throws; nonlazybind calls it through the GOT, not the
 * PLT (libcprof is usually a shared library), as GCC's noplt does.
 */
void Instrumenter::declareRuntime() {
  Type *Ptr = Type::getInt8PtrTy(C), *Void = Type::getVoidTy(C);
  Type *U32 = Type::getInt32Ty(C);
  AttributeList NoUnwind =
      AttributeList::get(C, AttributeList::FunctionIndex,
                         {Attribute::NoUnwind, Attribute::NonLazyBind});
  std::vector<Type *> Fields;

#define CPROF_TYPE_(kind, name)                                                \
  Fields.push_back(fieldType(decltype(cprof_fn::name){}));
  CPROF_FN_FIELDS(CPROF_TYPE_)
#undef CPROF_TYPE_
  DescriptorType = StructType::create(C, Fields, DescriptorTypeName);
  Enter = M.getOrInsertFunction(opts().counts_only ? EnterCountName : EnterName,
                                NoUnwind, Ptr, Ptr);
  Line = M.getOrInsertFunction(LineName, NoUnwind, Void, Ptr, U32);
  Exit = M.getOrInsertFunction(opts().counts_only ? ExitCountName : ExitName,
                               NoUnwind, Void, Ptr);
  Resume = M.getOrInsertFunction(ResumeName, NoUnwind, Void, Ptr);
}

Constant *Instrumenter::stringPtr(StringRef S) {
  Constant *&Ptr = Strings[S];

  if (!Ptr) {
    Constant *Text = ConstantDataArray::getString(C, S);
    auto *GV =
        new GlobalVariable(M, Text->getType(), /*isConstant=*/true,
                           GlobalValue::PrivateLinkage, Text, ".cprof.str");
    GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    GV->setAlignment(Align(1));
    Ptr = ConstantExpr::getPointerCast(GV, Type::getInt8PtrTy(C));
  }
  return Ptr;
}

/*
 * Marked nounwind at the call too: should the unit declare the entry
 * points itself (it includes cprof/abi.h), the callee is a cast of that
 * declaration, which carries no attribute.
 */
CallInst *Instrumenter::callRuntime(IRBuilder<> &B, FunctionCallee Fn,
                                    ArrayRef<Value *> Args) {
  CallInst *Call = B.CreateCall(Fn, Args);

  Call->setDoesNotThrow();
  return Call;
}

void Instrumenter::warn(const Twine &Message) {
  C.diagnose(Warning(Twine(PluginName) + ": " + Message));
}

/*
 * Private to the unit, and in no comdat: copies inlined into other
 * functions refer to it too, so it must outlive the function's own copy.
 * Units that each emit an inline function have their own descriptor; the
 * runtime merges descriptors that describe the same function.
 */
GlobalVariable *Instrumenter::createDescriptor(Function &F,
                                               const FunctionInfo &Info,
                                               const LineRange &Lines) {
  std::string Symbol =
      Info.Symbol.empty()
          ? GlobalValue::dropLLVMManglingEscape(F.getName()).str()
          : Info.Symbol;
  std::string Name = readableName(Symbol);
  std::vector<Constant *> Values;
  cprof_fn Desc = {};

  describe_lines(opts(), Info.Line, Lines, Desc);
  Desc.name = Name.c_str();
  Desc.symbol = Symbol.c_str();
  Desc.file = Info.File.c_str();
#define CPROF_VALUE_(kind, name) Values.push_back(fieldValue(Desc.name));
  CPROF_FN_FIELDS(CPROF_VALUE_)
#undef CPROF_VALUE_
  return new GlobalVariable(
      M, DescriptorType, /*isConstant=*/false, GlobalValue::PrivateLinkage,
      ConstantStruct::get(DescriptorType, Values), DescriptorPrefix + Symbol);
}

/* After the static allocas, which must stay at the top of the entry block. */
Instruction *Instrumenter::instrumentEntry(Function &F, GlobalVariable *Desc) {
  BasicBlock::iterator IP = F.getEntryBlock().getFirstInsertionPt();

  while (isa<AllocaInst>(*IP))
    ++IP;
  IRBuilder<> B(&*IP);
  return callRuntime(B, Enter, {B.CreatePointerCast(Desc, B.getInt8PtrTy())});
}

void Instrumenter::instrumentLines(Function &F, Instruction *Frame,
                                   const std::vector<LineSite> &Sites,
                                   unsigned First) {
  std::optional<HitCounters> Hits;

  if (opts().line_counters() && !Sites.empty())
    Hits = startHitCounters(F, Frame, opts().line_mode == LineMode::sampled);
  for (const LineSite &Site : Sites) {
    IRBuilder<> B(Site.Before);
    if (Hits)
      countHit(B, *Hits, Site.Line - First);
    else
      callRuntime(B, Line, {Frame, B.getInt32(Site.Line - First)});
  }
}

void Instrumenter::instrumentExits(Function &F, Value *Frame) {
  EscapeEnumerator Escapes(F, CleanupBlockName, /*HandleExceptions=*/true);

  while (IRBuilder<> *B = Escapes.Next())
    callRuntime(*B, Exit, {Frame});
}

void Instrumenter::instrumentResumes(Function &F, Value *Frame) {
  std::vector<CallInst *> Calls;

  for (Instruction &I : instructions(F))
    if (auto *Call = dyn_cast<CallInst>(&I))
      if (Call->hasFnAttr(Attribute::ReturnsTwice))
        Calls.push_back(Call);
  for (CallInst *Call : Calls) {
    IRBuilder<> B(Call->getNextNode());
    callRuntime(B, Resume, {Frame});
  }
}

/*
 * Lines come from the function's own locations when it has them (-g),
 * else from the shadow code generator's copy, if it has the same shape.
 */
std::vector<LineSite> Instrumenter::findLineSites(Function &F,
                                                  const FunctionInfo &Info) {
  if (!opts().lines())
    return {};
  if (F.getSubprogram())
    return lineSites(F, lineTable(F), Info);
  if (Info.HasTable && sameShape(F, Info.Table))
    return lineSites(F, Info.Table, Info);
  warn("cannot find the source lines of '" + readableName(F.getName()) + "' (" +
       Info.File + ":" + Twine(Info.Line) +
       "): it is profiled without per-line data");
  return {};
}

/* Line probes are placed before anything moves the instructions. */
void Instrumenter::instrumentFunction(Target &T) {
  std::vector<LineSite> Sites = findLineSites(*T.F, T.Info);
  LineRange Lines;
  std::string Why;

  for (const LineSite &Site : Sites)
    Lines.add(Site.Line);
  if (!lines_fit(opts(), Lines, readableName(T.F->getName()), Why)) {
    warn(Why);
    Sites.clear();
    Lines = LineRange();
  }
  GlobalVariable *Desc = createDescriptor(*T.F, T.Info, Lines);
  Instruction *Frame = instrumentEntry(*T.F, Desc);
  instrumentLines(*T.F, Frame, Sites, Lines.first);
  instrumentResumes(*T.F, Frame);
  instrumentExits(*T.F, Frame);
}

/*
 * A pointer to LinkSymbol, kept though nothing reads it, so that the
 * module needs libcprof by a name that says so.
 */
void Instrumenter::referToRuntime() {
  Constant *Target = M.getOrInsertGlobal(LinkSymbol, Type::getInt8Ty(C));
  auto *Ref =
      new GlobalVariable(M, Type::getInt8PtrTy(C), /*isConstant=*/true,
                         GlobalValue::PrivateLinkage, Target, "__cprof_link");

  appendToCompilerUsed(M, {Ref});
}

void Instrumenter::removeAnnotations() {
  GlobalVariable *GV = M.getGlobalVariable(AnnotationsName);
  const ConstantArray *Array = annotationArray(M);
  std::vector<Constant *> Kept;
  Annotation A;

  if (!Array)
    return;
  for (const Use &Entry : Array->operands())
    if (!decodeAnnotation(cast<Constant>(Entry), A))
      Kept.push_back(cast<Constant>(Entry));
  if (Kept.size() == Array->getNumOperands())
    return;
  if (!Kept.empty()) {
    ArrayType *Type =
        ArrayType::get(Array->getType()->getElementType(), Kept.size());
    auto *New = new GlobalVariable(M, Type, GV->isConstant(), GV->getLinkage(),
                                   ConstantArray::get(Type, Kept), "", GV);
    New->setSection(GV->getSection());
    New->takeName(GV);
  }
  GV->eraseFromParent();
}

bool Instrumenter::run() {
  std::vector<Target> Targets;

  if (M.getModuleFlag(DoneFlag))
    return false;
  Targets = findTargets();
  if (Targets.empty())
    return false;
  declareRuntime();
  referToRuntime();
  for (Target &T : Targets)
    instrumentFunction(T);
  removeAnnotations();
  M.addModuleFlag(Module::Max, DoneFlag, 1);
  return true;
}

bool instrumentModule(Module &M) {
  return Instrumenter(M, takeCurrentUnit(M)).run();
}

} // namespace cprof
