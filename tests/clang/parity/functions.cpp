/*
 * -fplugin-arg-cprof-functions= in C++: a name matches the plain name
 * (every `area`), the qualified name (only geo::Circle::scale, not
 * geo::Square::scale) or the symbol (_Z6helperi, one overload of helper).
 */
// ARGS: -fplugin-arg-cprof-functions=area,geo::Circle::scale,_Z6helperi
// CHECK: geo::Circle::area() const ncalls=3 pcalls=3
// CHECK: geo::Square::area() const ncalls=2 pcalls=2
// CHECK: geo::Circle::scale(int) ncalls=1 pcalls=1
// CHECK: helper(int) ncalls=5 pcalls=5
// CHECK-NOT: geo::Square::scale(int)
// CHECK-NOT: helper(double)
// CHECK-NOT: main
// CHECK-EDGE: geo::Circle::area() const -> helper(int) ncalls=3 pcalls=3
// CHECK-LINE: helper(int) @helper_body hits=5
#include <cstdio>

int helper(int x)
{
  return x * x; // @helper_body
}

double helper(double x)
{
  return x / 2;
}

namespace geo {
struct Circle {
  int r;
  int area() const { return 3 * helper(r); }
  void scale(int k) { r *= k; }
};
struct Square {
  int s;
  int area() const { return s * s + helper(1) + (int)helper(0.5); }
  void scale(int k) { s *= k; }
};
} // namespace geo

int main()
{
  geo::Circle c{2};
  geo::Square s{3};
  int t = c.area() + s.area();
  c.scale(2);
  s.scale(2);
  t += c.area() + c.area() + s.area();
  std::printf("%d\n", t);
  return 0;
}
