// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * hit-counters.cpp - line probes as inline counters (the default and the
 * line-hits mode).
 *
 * Instead of calling __cprof_line, a probe for slot K becomes
 *
 *     changed = cur != K;
 *     lines[K].hits += zext(changed);
 *     cur = K;
 *     head->line = K;            (the default mode: a relaxed atomic store)
 *
 * where `lines` is loaded once from the frame's head after the enter call
 * and `cur` lives in an entry-block alloca (cprof/abi.h, struct
 * cprof_frame_head).  The pass runs at the start of the pipeline, so
 * SROA turns `cur` into SSA values and constant propagation folds most
 * comparisons: a probe is usually one add to memory, and the store.  The
 * sequence is branch-free so that no block has to be split.
 *
 * Only the runtime's signal handler reads the line, so the store must be
 * one the optimisers neither drop nor merge with the next line's.  GCC's
 * plugin makes it volatile; LLVM 14 takes a volatile access for a place
 * where the program may stop (Instruction::willReturn), which keeps every
 * counter of a loop in memory.  A monotonic (relaxed) atomic store is
 * kept and ordered just as well (LLVM removes and combines only unordered
 * accesses) without that.  Alias scopes add that no counter is ever in a
 * frame's head (the runtime keeps them apart): without them the store
 * would pin the counters of a loop to memory too.
 */
#include "cprof-clang.h"

#include "cprof/abi.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/MDBuilder.h"

using namespace llvm;

namespace cprof {

/* {alias.scope, noalias} lists: counters and frame heads never overlap. */
static std::pair<MDNode *, MDNode *> scopes(LLVMContext &C, bool Counter) {
  MDBuilder MD(C);
  MDNode *Domain = MD.createAliasScopeDomain("cprof");
  MDNode *Counters = MD.createAliasScope("cprof.counters", Domain);
  MDNode *Heads = MD.createAliasScope("cprof.frame_heads", Domain);
  MDNode *Own = MDNode::get(C, Counter ? Counters : Heads);
  MDNode *Other = MDNode::get(C, Counter ? Heads : Counters);

  return {Own, Other};
}

static void setScopes(Instruction *I, bool Counter) {
  std::pair<MDNode *, MDNode *> S = scopes(I->getContext(), Counter);

  I->setMetadata(LLVMContext::MD_alias_scope, S.first);
  I->setMetadata(LLVMContext::MD_noalias, S.second);
}

HitCounters startHitCounters(Function &F, Instruction *Frame, bool StoreLine) {
  LLVMContext &C = F.getContext();
  IRBuilder<> Top(&F.getEntryBlock(), F.getEntryBlock().begin());
  HitCounters H;

  H.Cur = Top.CreateAlloca(Top.getInt32Ty(), nullptr, "cprof.cur");
  IRBuilder<> B(Frame->getNextNode());
  Value *Head = B.CreateConstInBoundsGEP1_64(
      B.getInt8Ty(), Frame, offsetof(struct cprof_frame_head, lines));
  Type *LinesTy = Type::getInt8PtrTy(C);
  H.Lines =
      B.CreateLoad(LinesTy, B.CreatePointerCast(Head, LinesTy->getPointerTo()),
                   "cprof.lines");
  B.CreateStore(B.getInt32(CPROF_NO_LINE_SLOT), H.Cur);
  if (StoreLine)
    H.Line = B.CreatePointerCast(
        B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), Frame,
                                     offsetof(struct cprof_frame_head, line)),
        B.getInt32Ty()->getPointerTo(), "cprof.line");
  return H;
}

void countHit(IRBuilder<> &B, const HitCounters &H, unsigned Slot) {
  uint64_t Offset = Slot * sizeof(struct cprof_file_line) +
                    offsetof(struct cprof_file_line, hits);
  Value *Changed =
      B.CreateICmpNE(B.CreateLoad(B.getInt32Ty(), H.Cur), B.getInt32(Slot));
  Value *Hits = B.CreatePointerCast(
      B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), H.Lines, Offset),
      B.getInt64Ty()->getPointerTo());
  LoadInst *Old = B.CreateLoad(B.getInt64Ty(), Hits);
  StoreInst *New = B.CreateStore(
      B.CreateAdd(Old, B.CreateZExt(Changed, B.getInt64Ty())), Hits);

  B.CreateStore(B.getInt32(Slot), H.Cur);
  if (!H.Line)
    return;
  setScopes(Old, true);
  setScopes(New, true);
  StoreInst *Line = B.CreateStore(B.getInt32(Slot), H.Line);
  Line->setAtomic(AtomicOrdering::Monotonic);
  Line->setAlignment(Align(4));
  setScopes(Line, false);
}

} // namespace cprof
