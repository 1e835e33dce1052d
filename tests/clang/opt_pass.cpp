// The IR pass alone, on Clang's IR for this file, as `opt` runs it:
//   clang++ -O0 [-g] -S -emit-llvm ... | opt -load-pass-plugin=cprof_clang.so
//       -passes=cprof,cprof | FileCheck [--check-prefix=NOLINES]
// Without the front-end plugin the pass profiles what carries the
// "cprof.profile" annotation, in the default line mode, and takes lines
// from -g.  It runs twice here: the second run must find the module done.
#include <csetjmp>

#define PROFILE __attribute__((annotate("cprof.profile")))

void may_throw(int);

// Without -g (and without the front end) there are no lines to find:
// function-level data and one warning per function, before the IR.
// NOLINES: warning: cprof_clang: cannot find the source lines of 'square(int)'
// NOLINES: warning: cprof_clang: cannot find the source lines of 'calls(int)'
// NOLINES: warning: cprof_clang: cannot find the source lines of 'jumps()'

// The annotation goes; the descriptor has the ABI version, the flags of
// the default line mode (CPROF_FN_LINES | CPROF_FN_LINE_HITS |
// CPROF_FN_LINE_SAMPLED: 11), the function's line, and the
// multiplication's line as its one line ("return y;" is a line only the
// front end can see).
// CHECK-NOT: @llvm.global.annotations
// CHECK: c"square(int)\00"
// CHECK: c"_Z6squarei\00"
// CHECK: @__cprof_fn._Z6squarei = private global %cprof.fn { i32 {{[1-9][0-9]*}}, i32 0, i32 11, i32 [[@LINE+5]], i32 [[@LINE+7]], i32 1,
// CHECK-NOT: @llvm.global.annotations
// NOLINES: @__cprof_fn._Z6squarei = private global %cprof.fn { i32 {{[1-9][0-9]*}}, i32 0, i32 0, i32 [[@LINE+3]], i32 [[@LINE+3]], i32 0,
// NOLINES-NOT: store atomic
// NOLINES-NOT: @llvm.global.annotations
PROFILE int square(int x)
{
  int y = x * x;
  return y;
}

// The line's probe: its counter (in the counters' alias scope) adds
// whether the frame was on another line, and the line goes into the frame
// head's line (offset 8), a relaxed atomic store in the heads' scope.
// CHECK-LABEL: define {{.*}} @_Z6squarei(
// CHECK: alloca
// CHECK-NOT: __cprof
// CHECK: [[FRAME:%[0-9]+]] = call i8* @__cprof_enter(i8* bitcast (%cprof.fn* @__cprof_fn._Z6squarei to i8*))
// CHECK-NOT: __cprof_enter
// CHECK: %cprof.lines = load i8*
// CHECK: store i32 -1, i32* %cprof.cur
// CHECK-NEXT: [[HEAD:%[0-9]+]] = getelementptr inbounds i8, i8* [[FRAME]], i64 8
// CHECK-NEXT: %cprof.line = bitcast i8* [[HEAD]] to i32*
// CHECK: icmp ne i32 {{%[0-9]+}}, 0
// CHECK: store i64 {{.*}}, !alias.scope [[COUNTERS:![0-9]+]], !noalias [[HEADS:![0-9]+]]
// CHECK-NEXT: store i32 0, i32* %cprof.cur
// CHECK-NEXT: store atomic i32 0, i32* %cprof.line monotonic, align 4, {{.*}}!alias.scope [[HEADS]], !noalias [[COUNTERS]]
// CHECK-NEXT: mul
// CHECK-NOT: __cprof_line
// CHECK-NOT: store atomic
// CHECK: call void @__cprof_exit(i8* [[FRAME]])
// CHECK-NEXT: ret i32

// A call that may throw becomes an invoke whose landing pad calls exit.
// CHECK-LABEL: define {{.*}} @_Z5callsi(
// CHECK: [[FRAME:%[0-9]+]] = call i8* @__cprof_enter(
// CHECK: invoke void @_Z9may_throwi(
// CHECK-NEXT: to label %[[CONT:.*]] unwind label %cprof.cleanup
// CHECK: [[CONT]]:
// CHECK-NEXT: call void @__cprof_exit(i8* [[FRAME]])
// CHECK-NEXT: ret void
// CHECK: cprof.cleanup:
// CHECK-NEXT: landingpad
// CHECK-NEXT: cleanup
// CHECK-NEXT: call void @__cprof_exit(i8* [[FRAME]])
// CHECK-NEXT: resume
PROFILE void calls(int x)
{
  may_throw(x);
}

// A longjmp back to a setjmp skipped the exits of the frames above: the
// runtime closes them when the setjmp returns.
// CHECK-LABEL: define {{.*}} @_Z5jumpsv(
// CHECK: [[FRAME:%[0-9]+]] = call i8* @__cprof_enter(
// CHECK: call i32 @_setjmp(
// CHECK-NEXT: call void @__cprof_resume(i8* [[FRAME]])
static std::jmp_buf env;
PROFILE int jumps()
{
  return setjmp(env);
}

// CHECK-LABEL: define {{.*}} @_Z10unprofiledi(
// CHECK-NOT: __cprof
// CHECK: ret i32
int unprofiled(int x)
{
  return x;
}

// The runtime calls never throw, and go through the GOT.
// CHECK: declare i8* @__cprof_enter(i8*) [[NOUNWIND:#[0-9]+]]
// CHECK: declare void @__cprof_line(i8*, i32) [[NOUNWIND]]
// CHECK: declare void @__cprof_exit(i8*) [[NOUNWIND]]
// CHECK: declare void @__cprof_resume(i8*) [[NOUNWIND]]
// CHECK: attributes [[NOUNWIND]] = { nounwind nonlazybind }
// CHECK: !{i32 7, !"cprof.instrumented", i32 1}
// Two scopes of one domain: counters are never in a frame's head.
// CHECK: [[COUNTERS]] = !{[[COUNTERS_SCOPE:![0-9]+]]}
// CHECK-NEXT: [[COUNTERS_SCOPE]] = !{!"cprof.counters", [[DOMAIN:![0-9]+]]}
// CHECK-NEXT: [[DOMAIN]] = !{!"cprof"}
// CHECK-NEXT: [[HEADS]] = !{[[HEADS_SCOPE:![0-9]+]]}
// CHECK-NEXT: [[HEADS_SCOPE]] = !{!"cprof.frame_heads", [[DOMAIN]]}
