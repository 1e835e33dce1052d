// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
/*
 * hit-counters.cpp - line probes as inline counters (the line-hits mode).
 *
 * Instead of calling __cprof_line, a probe for slot K becomes
 *
 *     changed = cur != K;
 *     lines[K].hits += zext(changed);
 *     cur = K;
 *
 * where `lines` is loaded once from the frame's head after the enter call
 * and `cur` lives in an entry-block alloca (cprof/abi.h, struct
 * cprof_frame_head).  The pass runs at the start of the pipeline, so
 * SROA turns `cur` into SSA values and constant propagation folds most
 * comparisons: a probe is usually one add to memory.  The sequence is
 * branch-free so that no block has to be split.
 */
#include "cprof-clang.h"

#include "cprof/abi.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"

using namespace llvm;

namespace cprof {

HitCounters startHitCounters(Function &F, Instruction *Frame) {
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
  Value *Old = B.CreateLoad(B.getInt64Ty(), Hits);

  B.CreateStore(B.CreateAdd(Old, B.CreateZExt(Changed, B.getInt64Ty())), Hits);
  B.CreateStore(B.getInt32(Slot), H.Cur);
}

} // namespace cprof
