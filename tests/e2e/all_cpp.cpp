/*
 * -fplugin-arg-cprof-all profiles every function the user wrote, the
 * same set with G++ and Clang: lambdas (named as c++filt shows G++'s
 * symbols, numbered in source order within their function), constructors,
 * destructors (Square's is empty: Clang would otherwise make it an alias
 * of Shape's from -O1 on; Triangle's is `= default`, which G++ counts as
 * the user's) and template instances.  The closure's
 * conversion to a function pointer is compiler-generated: not profiled.
 * Lambdas take run-time arguments: G++ would evaluate a call with
 * constant ones at compile time (they are constexpr), and Clang not.
 */
// ARGS: -fplugin-arg-cprof-all
// CHECK: main ncalls=1 pcalls=1
// CHECK: main::{lambda(int, int)#1}::operator()(int, int) const ncalls=29 pcalls=29
// CHECK: main::{lambda(int)#2}::operator()(int) const ncalls=4 pcalls=4
// CHECK: main::{lambda(int)#3}::operator()(int) const ncalls=1 pcalls=1
// CHECK: main::{lambda(int)#3}::operator()(int) const::{lambda(int)#1}::operator()(int) const ncalls=2 pcalls=2
// CHECK: apply<int>(int (*)(int), int)::{lambda(int)#1}::operator()(int) const ncalls=1 pcalls=1
// CHECK: int apply<int>(int (*)(int), int) ncalls=1 pcalls=1
// CHECK: Shape::Shape(int) ncalls=4 pcalls=4
// CHECK: Shape::~Shape() ncalls=4 pcalls=4
// CHECK: Shape::area() const ncalls=3 pcalls=3
// CHECK: Square::Square(int) ncalls=2 pcalls=2
// CHECK: Triangle::Triangle(int) ncalls=1 pcalls=1
// CHECK: Square::~Square() ncalls=2 pcalls=2
// CHECK: Circle::~Circle() ncalls=1 pcalls=1
// CHECK: Triangle::~Triangle() ncalls=1 pcalls=1
// CHECK: mix(int)::{lambda(int)#1}::operator()(int) const ncalls=1 pcalls=1
// CHECK: mix(int)::{lambda(int, int)#2}::operator()(int, int) const ncalls=1 pcalls=1
// CHECK: mix(int)::{lambda(int)#3}::operator()(int) const ncalls=1 pcalls=1
// CHECK: auto main::{lambda(auto:1)#4}::operator()<int>(int) const ncalls=1 pcalls=1
// CHECK: auto main::{lambda(auto:1)#4}::operator()<double>(double) const ncalls=1 pcalls=1
// CHECK: int twice<int>(int) ncalls=1 pcalls=1
// CHECK: double twice<double>(double) ncalls=1 pcalls=1
// CHECK-EDGE: Square::~Square() -> Shape::~Shape() ncalls=2 pcalls=2
// CHECK-EDGE: main -> Square::~Square() ncalls=2 pcalls=2
// CHECK-EDGE: main -> Circle::~Circle() ncalls=1 pcalls=1
// CHECK-EDGE: Circle::~Circle() -> Shape::~Shape() ncalls=1 pcalls=1
// CHECK-EDGE: Triangle::~Triangle() -> Shape::~Shape() ncalls=1 pcalls=1
// CHECK-LINE: main::{lambda(int)#2}::operator()(int) const @square hits=4
#include <algorithm>
#include <cstdio>

struct Shape {
  explicit Shape(int s) : side(s) {}
  virtual ~Shape() { std::printf("~Shape(%d)\n", side); }
  virtual int area() const { return side * side; }
  int side;
};

struct Square : Shape {
  explicit Square(int s) : Shape(s) {}
  ~Square() {}
};

struct Circle : Shape {
  explicit Circle(int r) : Shape(r) {}
  ~Circle();
};

Circle::~Circle() {}

struct Triangle : Shape {
  explicit Triangle(int s) : Shape(s) {}
  ~Triangle() override = default;
};

template <typename T> T twice(T x) { return x + x; }

template <typename T> T apply(T (*fn)(T), T x) {
  auto call = [fn](T y) { return fn(y); };
  return call(x);
}

static int negate(int x) { return -x; }

inline int mix(int k)
{
  auto one = [](int x) { return x + 1; };
  auto sum = [](int x, int y) { return x + y; };
  auto two = [](int x) { return x + 2; };
  return one(k) + sum(k, k) + two(k);
}

int main()
{
  int v[] = {5, 3, 9, 1, 7, 2, 8, 6, 4, 0};
  int compared = 0;
  std::sort(v, v + 10, [&compared](int a, int b) {
    compared++;
    return a < b;
  });
  int (*square)(int) = [](int x) {
    return x * x; // @square
  };
  int s = 0;
  for (int i = 0; i < 4; i++)
    s += square(i);
  auto nested = [](int k) {
    auto inner = [](int x) { return x + 1; };
    return inner(k) + inner(k + 1);
  };
  s += nested(s);
  {
    Square a(2);
    Shape *b = new Square(3);
    Shape *c = new Circle(4);
    s += a.area() + b->area() + c->area();
    delete b;
    delete c;
    Triangle t(5);
  }
  s += apply(negate, 1) + mix(s);
  auto generic = [](auto x) { return x + 3; };
  s += generic(s) + int(generic(0.5 * s));
  std::printf("%d %d %d %g\n", s, compared, twice(3), twice(1.5));
  return compared == 29 ? 0 : 1; /* the CHECK above counts the same calls */
}
