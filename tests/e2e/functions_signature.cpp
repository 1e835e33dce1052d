/*
 * -fplugin-arg-cprof-functions= takes a function as the profile names it,
 * parameters and all (spaces do not count): one overload of scale(), not
 * the other, and a member function by its qualified name and signature.
 */
// ARGS: -fplugin-arg-cprof-functions=checked_sqrt(double),scale(int,int),geo::Box::area()const
// CHECK: checked_sqrt(double) ncalls=2 pcalls=2
// CHECK: scale(int, int) ncalls=1 pcalls=1
// CHECK: geo::Box::area() const ncalls=1 pcalls=1
// CHECK-NOT: scale(double, double)
// CHECK-NOT: main
#include <cmath>
#include <cstdio>

double checked_sqrt(double x)
{
  return x < 0 ? 0 : std::sqrt(x);
}

int scale(int a, int b)
{
  return a * b;
}

double scale(double a, double b)
{
  return a * b;
}

namespace geo {
struct Box {
  int w, h;
  int area() const;
};
int Box::area() const
{
  return w * h;
}
} // namespace geo

int main(int argc, char **)
{
  geo::Box b = {argc, 3};
  std::printf("%g %g %d %g %d\n", checked_sqrt(argc * 4.0), checked_sqrt(-1.0 * argc),
              scale(argc, 2), scale(argc * 1.5, 2.0), b.area());
  return 0;
}
