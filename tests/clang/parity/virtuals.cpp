/*
 * Constructor and destructor variants: with a virtual base the complete
 * and base constructors are two functions, and a virtual destructor has a
 * deleting variant that only calls the complete one.  Each construction
 * and each destruction counts once, with either compiler.
 *
 * Base's destructor is left unprofiled: Clang's complete destructor of a
 * class with virtual bases runs the base variant, then destroys the
 * virtual bases itself, and the Clang plugin profiles the base variant
 * only, so a profiled virtual base's destructor would have the caller of
 * the complete destructor as its caller (GCC: the destructor itself).
 */
// CHECK: Base::Base() ncalls=3 pcalls=3
// CHECK: Mid::Mid() ncalls=3 pcalls=3
// CHECK: Leaf::Leaf() ncalls=2 pcalls=2
// CHECK: Leaf::~Leaf() ncalls=2 pcalls=2
// CHECK: Mid::~Mid() ncalls=3 pcalls=3
// CHECK-NOT: Base::~Base()
// CHECK: Leaf::get() const ncalls=2 pcalls=2
// CHECK-EDGE: main -> Leaf::Leaf() ncalls=2 pcalls=2
// CHECK-EDGE: Leaf::Leaf() -> Mid::Mid() ncalls=2 pcalls=2
// CHECK-EDGE: main -> Leaf::~Leaf() ncalls=2 pcalls=2
// CHECK-EDGE: Leaf::~Leaf() -> Mid::~Mid() ncalls=2 pcalls=2
#include <cstdio>

static int trace;

struct Base {
  [[gnu::profile]] Base() { trace += 1; }
  virtual ~Base() { trace -= 1; }
  [[gnu::profile]] virtual int get() const { return 1; }
};

struct Mid : virtual Base {
  [[gnu::profile]] Mid() { trace += 10; }
  [[gnu::profile]] ~Mid() override { trace -= 10; }
};

struct Leaf : Mid {
  [[gnu::profile]] Leaf() { trace += 100; }
  [[gnu::profile]] ~Leaf() override { trace -= 100; }
  [[gnu::profile]] int get() const override { return 2; }
};

[[gnu::profile]] int main()
{
  Base *p = new Leaf;
  int r = p->get();
  delete p;
  {
    Leaf l;
    r += l.get();
  }
  Mid *m = new Mid;
  delete m;
  std::printf("%d %d\n", r, trace);
  return 0;
}
