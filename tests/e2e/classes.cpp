/*
 * C++ methods, a constructor, an operator and template instances: each is
 * its own function, named as c++filt shows its symbol.
 */
// CHECK: shapes::Rect::Rect(int, int) ncalls=3 pcalls=3
// CHECK: shapes::Rect::area() const ncalls=3 pcalls=3
// CHECK: shapes::Rect::operator+=(int) ncalls=2 pcalls=2
// CHECK: int total<int>(int const*, int) ncalls=1 pcalls=1
// CHECK: double total<double>(double const*, int) ncalls=1 pcalls=1
// CHECK-EDGE: main -> shapes::Rect::area() const ncalls=3 pcalls=3
// CHECK-EDGE: main -> int total<int>(int const*, int) ncalls=1 pcalls=1
// CHECK-LINE: int total<int>(int const*, int) @tsum hits=4
// CHECK-LINE: double total<double>(double const*, int) @tsum hits=2
// CHECK-LINE: shapes::Rect::area() const @area hits=3
#include <cstdio>

namespace shapes {
class Rect {
public:
  [[gnu::profile]] Rect(int w, int h) : w_(w), h_(h) {}
  [[gnu::profile]] int area() const
  {
    return w_ * h_; // @area
  }
  [[gnu::profile]] Rect &operator+=(int d)
  {
    w_ += d;
    return *this;
  }

private:
  int w_, h_;
};
} // namespace shapes

template <typename T> [[gnu::profile]] T total(const T *v, int n)
{
  T s = 0;
  for (int i = 0; i < n; i++)
    s += v[i]; // @tsum
  return s;
}

[[gnu::profile]] int main()
{
  shapes::Rect a(1, 2), b(3, 4), c(5, 6);
  a += 1;
  b += 2;
  int ints[4] = {a.area(), b.area(), c.area(), 1};
  double reals[2] = {0.5, 1.5};
  std::printf("%d %g\n", total(ints, 4), total(reals, 2));
  return 0;
}
