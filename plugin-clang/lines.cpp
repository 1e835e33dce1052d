// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * lines.cpp - source lines of IR instructions, and where line probes go.
 *
 * A line comes from the instruction's own location when the user built
 * with -g (or anything else that attaches locations), otherwise from the
 * shadow code generator's copy of the function (shadow.cpp): instruction
 * i of the shadow copy is instruction i of ours, which sameShape() checks
 * before the pass trusts the table.
 *
 * Probes follow the rule of docs/lines.md, the GCC plugin's: one before
 * the first instruction of a line in a block and one before every
 * instruction that moves to another line inside it, except where every
 * way into the block leaves the frame on that line (plugin-common/
 * line-flow.cc: a one-line loop runs without probes).  The runtime counts
 * a hit only when the frame changes line, so probes are still placed
 * generously and later block merging or splitting cannot change the
 * counts.  Left out:
 * blocks only exceptions reach (landing pads and the cleanups they run,
 * which carry the lines of the scopes they close), instructions GCC has
 * no statement for (see startsLine() and epilogue()), and lines from
 * another file than the function's (a body #included from elsewhere).
 */
#include "cprof-clang.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Transforms/Utils/Local.h"

using namespace llvm;

namespace cprof {

/* The line of `I` in the file of `SP`, or 0. */
static unsigned lineOf(const Instruction &I, const DISubprogram *SP) {
  const DILocation *Loc = I.getDebugLoc().get();

  if (!Loc || !SP)
    return 0;
  while (const DILocation *Call = Loc->getInlinedAt())
    Loc = Call; /* the call site is what runs in this function */
  if (Loc->getFilename() != SP->getFilename() ||
      Loc->getDirectory() != SP->getDirectory())
    return 0;
  return Loc->getLine();
}

LineTable lineTable(const Function &F) {
  const DISubprogram *SP = F.getSubprogram();
  LineTable Table;

  for (const Instruction &I : instructions(F))
    Table.push_back({I.getOpcode(), lineOf(I, SP)});
  return Table;
}

bool sameShape(const Function &F, const LineTable &Table) {
  size_t N = 0;

  for (const Instruction &I : instructions(F)) {
    if (N == Table.size() || Table[N].Opcode != I.getOpcode())
      return false;
    N++;
  }
  return N == Table.size();
}

/* Lifetime markers come at -O1 and up only: they must not count. */
static bool isLifetimeMarker(const Instruction &I) {
  return I.isLifetimeStartOrEnd() ||
         (isa<CastInst>(I) && !I.user_empty() &&
          all_of(I.users(), [](const User *U) {
            return cast<Instruction>(U)->isLifetimeStartOrEnd();
          }));
}

/*
 * A plain read of a variable: in GIMPLE a variable is an operand of the
 * statement that uses it, not a statement with a line of its own.
 */
static bool readsVariable(const Instruction &I) {
  const auto *Load = dyn_cast<LoadInst>(&I);

  return Load && !Load->isVolatile() &&
         (isa<AllocaInst>(Load->getPointerOperand()) ||
          isa<GlobalVariable>(Load->getPointerOperand()));
}

/*
 * Whether `I`, on `Line`, can start that line.  CodeGen gives every
 * instruction the line of the expression it computes, which is finer than
 * GCC's statements: jumps GCC has no statement for (the jump back at a
 * loop body's closing brace, `break;`, `continue;`) count only on a line
 * with a return statement, where the jump is the return; variable reads
 * do not count.  Allocas, phis, debug and lifetime markers are not code,
 * nor are the counters of -fprofile-instr-generate.
 */
static bool startsLine(const Instruction &I, unsigned Line,
                       const std::vector<unsigned> &ReturnLines) {
  if (isa<BranchInst>(I) || isa<ReturnInst>(I))
    return is_contained(ReturnLines, Line);
  return !isa<PHINode>(I) && !isa<AllocaInst>(I) && !isa<UnreachableInst>(I) &&
         !I.isEHPad() && !I.isDebugOrPseudoInst() && !isLifetimeMarker(I) &&
         !isa<InstrProfInstBase>(I) && !readsVariable(I);
}

/* What may sit between a ret and the code that computed its value. */
static bool fetchesResult(const Instruction &I) {
  return isa<LoadInst>(I) || isa<CastInst>(I) || isa<ExtractValueInst>(I) ||
         isa<InsertValueInst>(I) || isLifetimeMarker(I) ||
         I.isDebugOrPseudoInst();
}

/*
 * The function's epilogue: the loads and casts that only fetch the value
 * a ret returns, at the closing brace or the last return's line.  GCC
 * counts neither (its epilogue comes after the exit call).  Returns the
 * first of them, or the ret itself, or null in a block without a ret.
 */
static const Instruction *epilogue(const BasicBlock &BB) {
  const Instruction *Start = BB.getTerminator();

  if (!isa<ReturnInst>(Start))
    return nullptr;
  for (const Instruction *I = Start->getPrevNode(); I && fetchesResult(*I);
       I = I->getPrevNode())
    Start = I;
  return Start;
}

/*
 * Instructions whose value nobody uses and that do nothing else, such as
 * the load of `(void)x;`: GCC's front end drops those statements.
 */
static SmallPtrSet<const Instruction *, 16> unusedCode(Function &F) {
  SmallPtrSet<const Instruction *, 16> Unused;
  std::vector<Instruction *> Work;
  auto AllUsersUnused = [&](const Instruction *I) {
    return all_of(I->users(), [&](const User *U) {
      return Unused.count(cast<Instruction>(U));
    });
  };

  for (Instruction &I : instructions(F))
    if (isInstructionTriviallyDead(&I))
      Work.push_back(&I);
  while (!Work.empty()) {
    Instruction *I = Work.back();
    Work.pop_back();
    if (!Unused.insert(I).second)
      continue;
    for (Value *Op : I->operands())
      if (auto *OpI = dyn_cast<Instruction>(Op))
        if (!OpI->mayHaveSideEffects() && !OpI->isTerminator() &&
            AllUsersUnused(OpI))
          Work.push_back(OpI);
  }
  return Unused;
}

static bool calls(const Instruction &I, StringRef Name) {
  const auto *Call = dyn_cast<CallBase>(&I);
  const Function *Callee = Call ? Call->getCalledFunction() : nullptr;

  return Callee && Callee->getName() == Name;
}

const char BeginCatch[] = "__cxa_begin_catch";
const char EndCatch[] = "__cxa_end_catch";

/* Where a C++ catch handler starts running ordinary code again. */
static bool beginsCatch(const BasicBlock &BB) {
  return any_of(BB, [](const Instruction &I) { return calls(I, BeginCatch); });
}

/* A handler's entry as CodeGen emits it, and the first line after it. */
struct CatchEntry {
  std::vector<const Instruction *> Entry; /* from its block's start */
  const Instruction *Next = nullptr;      /* first one on another line */
};

/*
 * Walks from the start of the block of `Begin` (a __cxa_begin_catch
 * call), through unconditional jumps, to the first instruction after
 * `Begin` on another line than `Begin`'s.
 */
static CatchEntry
walkCatchEntry(const Instruction &Begin, const LineTable &Table,
               const DenseMap<const Instruction *, size_t> &Index) {
  unsigned Line = Table[Index.lookup(&Begin)].Line;
  SmallPtrSet<const BasicBlock *, 4> Seen;
  const BasicBlock *BB = Begin.getParent();
  bool After = false;
  CatchEntry E;

  while (BB && Seen.insert(BB).second) {
    for (const Instruction &I : *BB) {
      unsigned Other = Table[Index.lookup(&I)].Line;
      if (After && Other && Other != Line) {
        E.Next = &I;
        return E;
      }
      After |= &I == &Begin;
      if (Other == Line || !Other)
        E.Entry.push_back(&I);
    }
    const auto *Br = dyn_cast<BranchInst>(BB->getTerminator());
    BB = Br && Br->isUnconditional() ? Br->getSuccessor(0) : nullptr;
  }
  return E;
}

/*
 * The innermost handler holding `Line`; if `Line` is a __cxa_end_catch,
 * one that ends there.
 */
static const Handler *handlerAt(const std::vector<Handler> &Handlers,
                                unsigned Line, bool AtEnd) {
  const Handler *Best = nullptr;

  for (const Handler &H : Handlers)
    if (H.CatchLine <= Line && Line <= H.EndLine &&
        (!AtEnd || H.EndLine == Line) &&
        (!Best || H.CatchLine > Best->CatchLine))
      Best = &H;
  return Best;
}

/*
 * CodeGen emits a handler's entry (__cxa_begin_catch and the catch
 * parameter) without a location of its own: it keeps whatever the
 * previous handler or the try block left, often a line far away.  GCC puts
 * it on the `catch` line.  The handler is the innermost one that holds
 * the first other line the entry leads to (its body, or its closing brace
 * if the body is empty), and the entry gets that handler's catch line.
 */
static void fixCatchLines(const Function &F, LineTable &Table,
                          const std::vector<Handler> &Handlers) {
  DenseMap<const Instruction *, size_t> Index;
  size_t N = 0;

  if (Handlers.empty())
    return;
  for (const Instruction &I : instructions(F))
    Index[&I] = N++;
  for (const Instruction &I : instructions(F)) {
    if (!calls(I, BeginCatch))
      continue;
    CatchEntry E = walkCatchEntry(I, Table, Index);
    const Handler *H = E.Next ? handlerAt(Handlers, Table[Index[E.Next]].Line,
                                          calls(*E.Next, EndCatch))
                              : nullptr;
    if (!H)
      continue;
    for (const Instruction *J : E.Entry)
      Table[Index[J]].Line = H->CatchLine;
  }
}

/*
 * The blocks ordinary control flow reaches: from the entry or from a catch
 * handler, never along an unwind edge.
 */
static SmallPtrSet<const BasicBlock *, 32> ordinaryBlocks(const Function &F) {
  SmallPtrSet<const BasicBlock *, 32> Seen;
  std::vector<const BasicBlock *> Work{&F.getEntryBlock()};

  for (const BasicBlock &BB : F)
    if (beginsCatch(BB))
      Work.push_back(&BB);
  while (!Work.empty()) {
    const BasicBlock *BB = Work.back();
    Work.pop_back();
    if (!Seen.insert(BB).second)
      continue;
    if (const auto *Invoke = dyn_cast<InvokeInst>(BB->getTerminator()))
      Work.push_back(Invoke->getNormalDest());
    else
      for (const BasicBlock *Succ : successors(BB))
        Work.push_back(Succ);
  }
  return Seen;
}

static bool isSetjmpLike(const Instruction &I) {
  const auto *Call = dyn_cast<CallInst>(&I);

  return Call && Call->hasFnAttr(Attribute::ReturnsTwice);
}

/*
 * The blocks for line-flow.cc, numbered in function order like `Sites`:
 * only ordinary jumps between ordinary blocks carry a line, not the entry,
 * an unwind edge or a catch handler's start.
 */
static std::vector<ProbeBlock>
probeBlocks(const Function &F,
            const SmallPtrSet<const BasicBlock *, 32> &Ordinary,
            const std::vector<std::vector<LineSite>> &Sites) {
  DenseMap<const BasicBlock *, unsigned> Number;
  std::vector<ProbeBlock> Blocks(Sites.size());
  unsigned Count = 0;

  for (const BasicBlock &BB : F)
    Number[&BB] = Count++;
  for (const BasicBlock &BB : F) {
    unsigned N = Number[&BB];
    ProbeBlock &Block = Blocks[N];
    Block.last = Sites[N].empty() ? 0 : Sites[N].back().Line;
    Block.forgets = any_of(BB, isSetjmpLike);
    Block.entered_elsewhere =
        &BB == &F.getEntryBlock() || !Ordinary.count(&BB) || beginsCatch(BB);
    for (const BasicBlock *Pred : predecessors(&BB)) {
      const auto *Invoke = dyn_cast<InvokeInst>(Pred->getTerminator());
      if (!Ordinary.count(Pred) || (Invoke && Invoke->getUnwindDest() == &BB))
        Block.entered_elsewhere = true;
      else
        Block.preds.push_back(Number[Pred]);
    }
  }
  return Blocks;
}

/*
 * Each block's sites, then those left out because every way into their
 * block leaves the frame on their line already (only a first site can
 * be: the others differ from the one before).
 */
std::vector<LineSite> lineSites(Function &F, LineTable Table,
                                const FunctionInfo &Info) {
  SmallPtrSet<const BasicBlock *, 32> Ordinary = ordinaryBlocks(F);
  SmallPtrSet<const Instruction *, 16> Unused = unusedCode(F);
  std::vector<std::vector<LineSite>> ByBlock;
  std::vector<LineSite> Sites;
  size_t Index = 0;

  fixCatchLines(F, Table, Info.Handlers);
  for (BasicBlock &BB : F) {
    const Instruction *Epilogue = epilogue(BB);
    bool InEpilogue = false;
    unsigned Current = 0;
    ByBlock.emplace_back();
    for (Instruction &I : BB) {
      unsigned Line = Table[Index++].Line;
      InEpilogue |= &I == Epilogue;
      if (!Ordinary.count(&BB) || !Line || Line == Current ||
          (InEpilogue && !isa<ReturnInst>(I)) || Unused.count(&I) ||
          !startsLine(I, Line, Info.ReturnLines))
        continue;
      ByBlock.back().push_back({&I, Line});
      Current = Line;
    }
  }
  std::vector<unsigned> Entry =
      lines_on_entry(probeBlocks(F, Ordinary, ByBlock));
  for (size_t N = 0; N < ByBlock.size(); N++)
    for (const LineSite &Site : ByBlock[N])
      if (&Site != &ByBlock[N].front() || Site.Line != Entry[N])
        Sites.push_back(Site);
  return Sites;
}

} // namespace cprof
